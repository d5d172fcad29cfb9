// Raincoat's nftables table on a linux node: loaded from the part's ruleset with `nft -f` (one transaction that replaces
// the table whole, leaving the host's other tables alone), or deleted, by name only, when the configuration has none.
import { NFT_TABLE } from '../../src-shared/protocol/nodeFirewall.ts';
import { describeFailure, type CommandRunner } from './commandRunner.ts';

const TIMEOUT_MS = 30_000;

export async function loadFirewall(runner: CommandRunner, rulesetPath: string): Promise<void> {
  const result = await runner('nft', ['-f', rulesetPath], { timeoutMs: TIMEOUT_MS });
  if (result.code !== 0) throw new Error(describeFailure(`nft -f ${rulesetPath}`, result));
}

/** Succeeds when the table is already gone. */
export async function removeFirewall(runner: CommandRunner): Promise<void> {
  const result = await runner('nft', ['delete', 'table', 'inet', NFT_TABLE], { timeoutMs: TIMEOUT_MS });
  if (result.code !== 0 && !/No such file or directory/.test(result.stderr)) throw new Error(describeFailure(`nft delete table inet ${NFT_TABLE}`, result));
}
