// Keeps the newest deploy package on disk so a root can serve it (get_deploy) to the neighbours and leaves that ask.
import { DeployPackageSchema, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import { readJsonFile } from '../../src-node/jsonStateFile.ts';

export interface PackageStore {
  /** The stored package; `problem` when the file was corrupt (it is then kept aside and nothing is returned). */
  load(): Promise<{ package?: DeployPackage; problem?: string }>;
  save(pkg: DeployPackage): Promise<void>;
}

/** The package holds sealed secrets only, but stays owner-only all the same. */
export function packageStore(path: string, now: () => number = Date.now): PackageStore {
  return {
    async load() {
      const read = await readJsonFile(path, DeployPackageSchema, now);
      if (read.kind === 'ok') return { package: read.value };
      if (read.kind === 'corrupt') return { problem: `the stored deploy package was corrupt (${read.reason}); kept it as ${read.keptAs}` };
      return {};
    },
    save: (pkg) => writeFileAtomic(path, JSON.stringify(pkg), 0o600),
  };
}
