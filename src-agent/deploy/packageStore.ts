// Keeps on disk the deploy packages a node may run, one file per package named by its digest, so that after a restart it
// still enrolls clients on, serves, and can go back to the configuration each of them made.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DeployPackageSchema, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import { readJsonFile } from '../../src-node/jsonStateFile.ts';
import { packageBytes } from './packageBytes.ts';

export interface PackageStore {
  /** Every package stored; a `problem` for each file that was corrupt (kept aside) or not the package it is named for. */
  load(): Promise<{ packages: DeployPackage[]; problems: string[] }>;
  save(pkg: DeployPackage): Promise<void>;
  remove(digest: string): Promise<void>;
}

const FILE = /^([0-9a-f]{64})\.json$/;

/**
 * The packages hold sealed secrets only, but stay owner-only all the same. A package is written as the bytes it is
 * served as: serialised once, not once more by every node that keeps it (hundreds in the sandbox's one process).
 */
export function packageStore(dir: string, now: () => number = Date.now): PackageStore {
  const fileOf = (digest: string) => path.join(dir, `${digest.replace(/^sha256:/, '')}.json`);
  return {
    async load() {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      const packages: DeployPackage[] = [];
      const problems: string[] = [];
      for (const name of names.sort()) {
        const hex = FILE.exec(name)?.[1];
        if (hex === undefined) continue;
        const read = await readJsonFile(path.join(dir, name), DeployPackageSchema, now);
        if (read.kind === 'corrupt') problems.push(`the stored deploy package ${name} was corrupt (${read.reason}); kept it as ${read.keptAs}`);
        else if (read.kind === 'ok' && read.value.digest !== `sha256:${hex}`) problems.push(`the stored deploy package ${name} is another package (${read.value.digest}); left it out`);
        else if (read.kind === 'ok') packages.push(read.value);
      }
      return { packages, problems };
    },
    async save(pkg) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(fileOf(pkg.digest), packageBytes(pkg), 0o600);
    },
    remove: (digest) => rm(fileOf(digest), { force: true }),
  };
}
