// Whether a sandbox runs in a folder: its host's file names a live process that answers on the control channel.
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { HostFile, HostNodes } from '../../../src-shared/sandbox/sandboxControl.ts';
import { controlClient } from './controlClient.ts';
import type { ControlCall } from './controlClient.ts';
import { isAlive, readHostFile } from './hostProcess.ts';

export type FoundSandbox =
  /** No host file: nothing runs here (files of an earlier sandbox may remain). */
  | { state: 'none' }
  /** A host file whose process is gone (the machine restarted, the host was killed) or does not answer. */
  | { state: 'stale'; pid: number | undefined; why: string }
  | { state: 'running'; host: HostFile; call: ControlCall; nodes: HostNodes };

export async function findSandbox(dir: string, timeoutMs = 30_000): Promise<FoundSandbox> {
  const host = await readHostFile(dir);
  if (host === 'missing') return { state: 'none' };
  if (host === 'invalid') return { state: 'stale', pid: undefined, why: `${SANDBOX_FILES.host} is not a sandbox host's file` };
  if (!isAlive(host.pid)) return { state: 'stale', pid: undefined, why: `its host (pid ${host.pid}) is gone` };
  const call = controlClient(host, timeoutMs);
  try {
    return { state: 'running', host, call, nodes: await call('nodes') };
  } catch (error) {
    return { state: 'stale', pid: host.pid, why: (error as Error).message };
  }
}
