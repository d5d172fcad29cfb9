// Raincoat's nftables table on a linux node: loaded from the part's ruleset with `nft -f` (one transaction that replaces
// the table whole, leaving the host's other tables alone), or deleted, by name only, when the configuration has none.
import { NFT_TABLE } from '../../src-shared/protocol/nodeFirewall.ts';
import { describeFailure, QUICK_COMMAND_MS, runChecked, type CommandRunner } from './commandRunner.ts';

export function loadFirewall(runner: CommandRunner, rulesetPath: string): Promise<void> {
  return runChecked(runner, 'nft', ['-f', rulesetPath]);
}

/** Succeeds when the table is already gone. */
export async function removeFirewall(runner: CommandRunner): Promise<void> {
  const result = await runner('nft', ['delete', 'table', 'inet', NFT_TABLE], { timeoutMs: QUICK_COMMAND_MS });
  if (result.code !== 0 && !/No such file or directory/.test(result.stderr)) throw new Error(describeFailure(`nft delete table inet ${NFT_TABLE}`, result));
}
