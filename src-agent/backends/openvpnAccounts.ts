// What OpenVPN instances that drop root (openvpnDrop) need before they start: their system group and user, made once if
// missing, and each server's jail handed to them (its CRL read again, its files written, after the drop). All else stays root's.
import { describeFailure, QUICK_COMMAND_MS, runChecked, type CommandRunner } from './commandRunner.ts';
import type { OpenvpnDrop } from './openvpnDrop.ts';

/** getent's exit code for "no such entry". */
const NOT_FOUND = 2;

async function exists(runner: CommandRunner, database: 'passwd' | 'group', name: string): Promise<boolean> {
  const result = await runner('getent', [database, name], { timeoutMs: QUICK_COMMAND_MS });
  if (result.code === 0) return true;
  if (result.code === NOT_FOUND) return false;
  throw new Error(describeFailure(`getent ${database} ${name}`, result));
}

/** A system account that cannot log in and has no home: nothing but a uid for OpenVPN to run as. */
async function ensureAccount(runner: CommandRunner, user: string, group: string | undefined): Promise<void> {
  if (group !== undefined && !(await exists(runner, 'group', group))) await runChecked(runner, 'groupadd', ['--system', group]);
  if (await exists(runner, 'passwd', user)) return;
  const primaryGroup = group === undefined ? ['--user-group'] : ['--gid', group];
  await runChecked(runner, 'useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...primaryGroup, user]);
}

/**
 * `drops` are the instances' (openvpnDropOf); every jail must lie inside `root`, the backend's folder, which the deploy
 * just wrote as root: its files are handed over on every apply, since a rewritten file belongs to root again.
 */
export async function prepareOpenvpnDrops(runner: CommandRunner, root: string, drops: readonly OpenvpnDrop[]): Promise<void> {
  const accounts = new Map(drops.map((d) => [`${d.user}:${d.group ?? ''}`, d]));
  for (const { user, group } of accounts.values()) await ensureAccount(runner, user, group);
  for (const { user, group, jail } of drops) {
    if (jail === undefined) continue;
    if (!jail.startsWith(`${root.replace(/\/+$/, '')}/`) || jail.split('/').includes('..')) throw new Error(`OpenVPN's jail ${jail} is not inside ${root}`);
    await runChecked(runner, 'chown', ['-R', '--', group === undefined ? user : `${user}:${group}`, jail]);
  }
}
