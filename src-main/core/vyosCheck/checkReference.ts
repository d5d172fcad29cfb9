// Checks VyOS set commands against a reference tree: every path exists, and every tag and value meets its constraint.
import type { ReferenceConstraint, ReferenceNode, ReferenceTree } from './referenceTree.ts';
import { parseSetCommands } from './parseSetCommands.ts';
import { runValidator } from './validators.ts';

export interface ReferenceProblem {
  line: number;
  command: string;
  message: string;
}

/** PCRE's POSIX bracket classes, which JavaScript lacks, as JavaScript class contents. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7f',
  blank: ' \\t',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

const regexCache = new Map<string, RegExp>();

/** VyOS anchors each regex as ^…$; here the whole alternation is grouped too, which is never looser. */
export function compileVyosRegex(source: string): RegExp {
  const cached = regexCache.get(source);
  if (cached) return cached;
  const translated = source.replace(/\[:([a-z]+):\]/g, (whole, name: string) => {
    const cls = POSIX_CLASSES[name];
    if (cls === undefined) throw new Error(`regex ${source}: POSIX class ${whole} is not supported`);
    return cls;
  });
  const regex = new RegExp(`^(?:${translated})$`);
  regexCache.set(source, regex);
  return regex;
}

interface Verdict {
  ok: boolean;
  unknownValidators: string[];
}

function alternatives(constraint: ReferenceConstraint, value: string, unknown: string[]): boolean {
  if ((constraint.regex ?? []).some((r) => compileVyosRegex(r).test(value))) return true;
  return (constraint.validator ?? []).some((v) => {
    const result = runValidator(v.name, v.argument, value);
    if (result === 'unknown') unknown.push(v.argument ? `${v.name} ${v.argument}` : v.name);
    return result === true;
  });
}

function allOf(group: ReferenceConstraint, value: string, unknown: string[]): boolean {
  const regexes = (group.regex ?? []).every((r) => compileVyosRegex(r).test(value));
  const validators = (group.validator ?? []).every((v) => {
    const result = runValidator(v.name, v.argument, value);
    if (result === 'unknown') unknown.push(v.argument ? `${v.name} ${v.argument}` : v.name);
    return result === true;
  });
  return regexes && validators;
}

/** Whether a tag or value meets the node's constraint and constraint groups (none: anything goes). */
function checkValue(node: ReferenceNode, value: string): Verdict {
  const unknownValidators: string[] = [];
  const constraintOk = node.constraint === undefined || alternatives(node.constraint, value, unknownValidators);
  const groupsOk = (node.constraintGroup ?? []).every((g) => allOf(g, value, unknownValidators));
  return { ok: constraintOk && groupsOk, unknownValidators };
}

function valueMessage(what: string, node: ReferenceNode, value: string, verdict: Verdict): string {
  const detail = node.constraintErrorMessage ? ` (${node.constraintErrorMessage.replaceAll('\\n', ' ')})` : '';
  const unknown =
    verdict.unknownValidators.length > 0
      ? `; validator ${verdict.unknownValidators.map((v) => `"${v}"`).join(', ')} is not implemented here, so it cannot vouch for it`
      : '';
  return `${what} ${JSON.stringify(value)} is not valid${detail}${unknown}`;
}

/** Every problem of the set commands against the reference tree; [] when each path and value is valid. */
export function checkSetCommands(text: string, reference: ReferenceTree): ReferenceProblem[] {
  return checkParsedCommands(parseSetCommands(text), reference);
}

/** As checkSetCommands, for commands already split into words (a caller that also builds their tree splits them once). */
export function checkParsedCommands(parsed: ReturnType<typeof parseSetCommands>, reference: ReferenceTree): ReferenceProblem[] {
  const { commands, problems: parseProblems } = parsed;
  const problems: ReferenceProblem[] = parseProblems.map((p) => ({ line: p.line, command: p.text, message: p.message }));
  /** Values seen per single-valued leaf path, to catch two different values for one setting. */
  const singleValues = new Map<string, { value: string; line: number }>();

  for (const command of commands) {
    const report = (message: string) => problems.push({ line: command.line, command: command.text, message });
    const { words } = command;
    let children = reference.tree.children;
    let i = 0;
    const pathSoFar = () => words.slice(0, i).join(' ');
    while (i < words.length) {
      const word = words[i]!;
      const node: ReferenceNode | undefined = Object.hasOwn(children, word) ? children[word] : undefined;
      if (!node) {
        report(`"${word}" is not a configuration node${i > 0 ? ` under "${pathSoFar()}"` : ''}`);
        break;
      }
      i++;
      if (node.kind === 'node') {
        children = node.children ?? {};
        continue;
      }
      if (node.kind === 'tagNode') {
        const tag = words[i];
        if (tag === undefined) {
          report(`"${pathSoFar()}" needs a tag value`);
          break;
        }
        const verdict = checkValue(node, tag);
        if (!verdict.ok) report(`${pathSoFar()}: ${valueMessage('tag', node, tag, verdict)}`);
        i++;
        children = node.children ?? {};
        continue;
      }
      const rest = words.slice(i);
      const path = pathSoFar();
      if (node.valueless) {
        if (rest.length > 0) report(`"${path}" takes no value, found ${JSON.stringify(rest.join(' '))}`);
      } else if (rest.length === 0) {
        report(`"${path}" needs a value`);
      } else if (rest.length > 1) {
        report(`"${path}" takes one value, found ${rest.length} words (quote values with spaces)`);
      } else {
        const value = rest[0]!;
        const verdict = checkValue(node, value);
        if (!verdict.ok) report(`${path}: ${valueMessage('value', node, value, verdict)}`);
        if (!node.multi) {
          const earlier = singleValues.get(path);
          if (earlier && earlier.value !== value) {
            report(`"${path}" holds one value, but line ${earlier.line} already set ${JSON.stringify(earlier.value)}`);
          } else if (!earlier) singleValues.set(path, { value, line: command.line });
        }
      }
      break;
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
