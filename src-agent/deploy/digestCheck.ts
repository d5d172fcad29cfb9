// Checks a deploy package's digest once per package on this node: the fetch that picks a neighbour's answer, the
// acceptance rules and every later re-delivery of the package kept all share the one answer.
import { verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';

export type DigestCheck = (pkg: DeployPackage) => Promise<boolean>;

/** The answers of the real check, shared by every agent of the process: co-hosted agents share parsed packages (sharedParse.ts). */
const verified = new WeakMap<DeployPackage, Promise<boolean>>();

/** Remembers the answer per package object: packages are never changed once parsed, so the answer holds for its life. */
export function createDigestCheck(verify: DigestCheck = verifyDeployDigest): DigestCheck {
  const checked = verify === verifyDeployDigest ? verified : new WeakMap<DeployPackage, Promise<boolean>>();
  return (pkg) => {
    let intact = checked.get(pkg);
    if (intact === undefined) checked.set(pkg, (intact = verify(pkg)));
    return intact;
  };
}
