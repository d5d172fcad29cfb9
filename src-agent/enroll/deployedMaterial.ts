// The enrollment material of the deploy in effect on this node, opened once per deploy and kept in memory.
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { resolvePart } from '../deploy/resolvePart.ts';
import { readEnrollmentMaterial } from './enrollmentMaterial.ts';
import type { EnrollmentMaterial } from './enrollmentMaterial.ts';

export interface DeployedMaterialOptions {
  self: string;
  role: 'root' | 'leaf';
  openingKey: OpeningKey;
  /**
   * The stored package, and the digest of the package in effect here: material comes only from a package that is in
   * effect, the very one (a package under the same topology id but another digest is not).
   */
  current(): DeployPackage | undefined;
  runningDigest(): string | undefined;
}

export class NoMaterial extends Error {}

export function deployedMaterial(options: DeployedMaterialOptions): () => Promise<EnrollmentMaterial> {
  let cached: { digest: string; material: EnrollmentMaterial } | undefined;
  return async () => {
    const pkg = options.current();
    if (!pkg || options.runningDigest() !== pkg.digest) throw new NoMaterial('no deployed topology is in effect on this node yet');
    if (cached?.digest === pkg.digest) return cached.material;
    const part = pkg.nodes[options.self];
    if (!part) throw new NoMaterial(`the deployed topology has no part for ${options.self}`);
    try {
      const resolved = await resolvePart(pkg.topologyId, options.self, part, options.openingKey);
      cached = { digest: pkg.digest, material: readEnrollmentMaterial(resolved.part.files, options.role) };
    } catch (error) {
      throw new NoMaterial(`cannot enroll clients with topology ${pkg.topologyId}: ${(error as Error).message}`);
    }
    return cached.material;
  };
}
