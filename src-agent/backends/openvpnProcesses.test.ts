import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { createCommandRunner } from './commandRunner.ts';
import { createOpenVpnProcesses, type OpenVpnProcesses } from './openvpnProcesses.ts';

/**
 * Stands in for `openvpn --daemon`: refuses a config containing "bad", exits at once (as OpenVPN does when it
 * dies after daemonising) for one containing "dies", and otherwise leaves a detached process owning the pid file.
 */
const FAKE_OPENVPN = `#!/bin/sh
config=""; pidfile=""
while [ $# -gt 0 ]; do
  case "$1" in --config) config="$2"; shift ;; --writepid) pidfile="$2"; shift ;; esac
  shift
done
grep -q bad "$config" && { echo "Options error: bad" >&2; exit 1; }
grep -q dies "$config" && exit 0
sh -c 'echo $$ > "$1"; trap "rm -f \\"$1\\"; exit 0" TERM; while :; do sleep 0.05; done' fake-openvpn "$pidfile" </dev/null >/dev/null 2>&1 &
exit 0
`;

let dir: string;
let processes: OpenVpnProcesses;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-ovpn-'));
  await writeFile(join(dir, 'openvpn'), FAKE_OPENVPN);
  await chmod(join(dir, 'openvpn'), 0o755);
  processes = createOpenVpnProcesses({ runDir: join(dir, 'run'), binary: join(dir, 'openvpn'), waitMs: 1_000, runner: createCommandRunner(systemClock), clock: systemClock });
});
afterEach(async () => {
  for (const name of await processes.running()) await processes.stop(name);
  await rm(dir, { recursive: true, force: true });
});

/** Gone, or a zombie waiting for a parent (in a container, PID 1 may never reap it). */
async function exited(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat === '' || /^\d+ \(.*\) Z /.test(stat);
}

async function config(name: string, text: string): Promise<string> {
  const path = join(dir, `${name}.conf`);
  await writeFile(path, text);
  return path;
}

describe('OpenVPN processes', () => {
  it('starts instances, finds them again through their pid files, and stops them', async () => {
    await processes.start('uplink', await config('uplink', 'dev tun\n'));
    await processes.start('clients', await config('clients', 'dev tun\n'));
    expect(await processes.running()).toEqual(['clients', 'uplink']);
    const pid = Number(await readFile(join(dir, 'run', 'uplink.pid'), 'utf8'));

    const again = createOpenVpnProcesses({ runDir: join(dir, 'run'), binary: join(dir, 'openvpn'), runner: createCommandRunner(systemClock), clock: systemClock });
    expect(await again.running()).toEqual(['clients', 'uplink']);

    await processes.stop('uplink');
    expect(await processes.running()).toEqual(['clients']);
    expect(await exited(pid)).toBe(true);
    await processes.stop('uplink');
  });

  it('does not take a pid file whose process is gone, or belongs to something else, as a running instance', async () => {
    await processes.start('uplink', await config('uplink', 'dev tun\n'));
    await writeFile(join(dir, 'run', 'ghost.pid'), '999999\n');
    await writeFile(join(dir, 'run', 'self.pid'), `${process.pid}\n`);
    expect(await processes.running()).toEqual(['uplink']);
    await processes.stop('self');
    expect(() => process.kill(process.pid, 0)).not.toThrow();
  });

  it('reports an instance OpenVPN refuses to start', async () => {
    await expect(processes.start('broken', await config('broken', 'bad option\n'))).rejects.toThrow('openvpn broken failed (exit 1): Options error: bad');
  });

  it('reports an instance that does not stay up', async () => {
    await expect(processes.start('short', await config('short', 'dies\n'))).rejects.toThrow(/openvpn short did not stay up/);
  });

  it('refuses an instance name that could leave its folder', async () => {
    await expect(processes.start('../x', '/dev/null')).rejects.toThrow(/bad OpenVPN instance name/);
  });
});
