// A deploy package's bytes, as announced (its size) and sent to the neighbours that ask: serialised once per package.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';

export type PackageBytes = (pkg: DeployPackage) => Buffer;

/** Shared by every agent of the process, as the parsed packages are (sharedParse.ts). */
const serialised = new WeakMap<DeployPackage, Buffer>();

/** Packages are never changed once parsed, so their bytes are kept for as long as the package is. */
export const packageBytes: PackageBytes = (pkg) => {
  let bytes = serialised.get(pkg);
  if (!bytes) serialised.set(pkg, (bytes = Buffer.from(JSON.stringify(pkg))));
  return bytes;
};
