// Checks a deploy package's digest once per package on this node: the fetch that picks a neighbour's answer, the
// acceptance rules and every later re-delivery of the package kept all share the one answer.
import { verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';

export type DigestCheck = (pkg: DeployPackage) => Promise<boolean>;

/** Remembers the answer per package object: packages are never changed once parsed, so the answer holds for its life. */
export function createDigestCheck(verify: DigestCheck = verifyDeployDigest): DigestCheck {
  const checked = new WeakMap<DeployPackage, Promise<boolean>>();
  return (pkg) => {
    let intact = checked.get(pkg);
    if (intact === undefined) checked.set(pkg, (intact = verify(pkg)));
    return intact;
  };
}
