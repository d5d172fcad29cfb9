// What VyOS would refuse in a node's rendered set commands: paths and values its configuration tree rejects, and commit-time rules.
import type { VyosVersion } from '../render/renderOptions.ts';
import { checkParsedCommands } from './checkReference.ts';
import { configTreeFromSet } from './configTreeFromSet.ts';
import { parseSetCommands } from './parseSetCommands.ts';
import { loadReferenceTree } from './referenceTree.ts';
import { verifyVyosConfig } from './verifyVyosConfig.ts';

export interface VyosRefusal {
  /** `line 12` of the set commands, or a configuration path (`vpn ipsec site-to-site peer tunnel-1-2`). */
  where: string;
  /** VyOS's own words where it has them (its constraint messages, its commit errors). */
  message: string;
}

/** Everything VyOS `version` would refuse in `setCommands` (the text of a vyos.set file); [] when it would commit them. */
export function checkVyosConfig(setCommands: string, version: VyosVersion): VyosRefusal[] {
  const reference = loadReferenceTree(version);
  const parsed = parseSetCommands(setCommands);
  const refused: VyosRefusal[] = checkParsedCommands(parsed, reference).map((p) => ({ where: `line ${p.line}`, message: p.message }));
  const tree = configTreeFromSet(parsed.commands, reference);
  refused.push(...verifyVyosConfig(tree, { vyosVersion: version }).map((p) => ({ where: p.path, message: p.message })));
  return refused;
}
