// Renders the vbash scripts that apply Raincoat's VyOS configuration (and load a backup) through VyOS's script template.
import { isVyosCommandLine } from '../../src-shared/protocol/deployPackage.ts';

const HEADER = ['#!/bin/vbash', 'source /opt/vyatta/etc/functions/script-template'];
/**
 * After the template, `exit` is an alias that only leaves the configuration session (dropping what was not
 * committed); `builtin exit 1` then ends the script with a failure. The message names a step, never a value.
 */
const FAIL = "fail() { echo \"raincoat: $1 failed\" >&2; exit; builtin exit 1; }";

export interface ApplyScriptInput {
  /** For the comment line only. */
  label: string;
  /** Subtrees Raincoat owns, deleted first so that what the commands no longer set disappears. */
  ownedSubtrees: readonly string[];
  /** `set`/`delete` lines, secrets already in place. */
  commands: readonly string[];
  configBootPath: string;
}

/**
 * A `delete` may find nothing to delete (first deploy, or a subtree already gone): that is not an error.
 * A `set` that fails aborts before commit. Deleting and setting again what is unchanged leaves VyOS nothing to commit.
 */
export function renderApplyScript(input: ApplyScriptInput): string {
  const deletes = input.ownedSubtrees.map((subtree) => `delete ${subtree}`);
  for (const line of [...deletes, ...input.commands]) {
    if (!isVyosCommandLine(line)) throw new Error(`not a VyOS set/delete line: ${describeLine(line)}`);
  }
  return [
    ...HEADER,
    `# Raincoat deploy ${oneLine(input.label)}: written by the agent and removed once it has run.`,
    FAIL,
    'configure',
    ...deletes.map((line) => `${line} >/dev/null 2>&1 || true`),
    ...input.commands.map((line, i) => (line.startsWith('delete ') ? `${line} >/dev/null 2>&1 || true` : `${line} || fail 'command ${i + 1}'`)),
    "commit || fail 'commit'",
    `save ${input.configBootPath} || fail 'save'`,
    'exit',
    '',
  ].join('\n');
}

/** Loads a saved config.boot in place of the running configuration, commits and saves it. */
export function renderLoadScript(input: { label: string; backupPath: string; configBootPath: string }): string {
  return [
    ...HEADER,
    `# Raincoat ${oneLine(input.label)}: written by the agent and removed once it has run.`,
    FAIL,
    'configure',
    `load ${input.backupPath} || fail 'load'`,
    "commit || fail 'commit'",
    `save ${input.configBootPath} || fail 'save'`,
    'exit',
    '',
  ].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/[^A-Za-z0-9 ._:+-]/g, '_');
}

/** Names the offending line by its first words only: the rest may hold a secret. */
function describeLine(line: string): string {
  return JSON.stringify(line.split(/\s+/).slice(0, 3).join(' ').slice(0, 40));
}
