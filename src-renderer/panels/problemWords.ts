// Validation problems in the editor's words: each message as a sentence, and where it is said in words instead of a path.
import type { Problem } from '../../src-shared/contract/contract.ts';

/** What each field of a root or tunnel is called on screen. */
const FIELD_WORDS: Record<string, string> = {
  id: 'id',
  name: 'name',
  internetAddress: 'internet address',
  overlay: 'overlay',
  maxClients: 'max clients',
  cloud: 'cloud',
  'cloud.provider': 'cloud',
  'cloud.natted': 'NATed address',
  position: 'position',
  'position.x': 'position',
  'position.y': 'position',
  a: 'first root',
  b: 'second root',
};

/** `expected a name…` → `Expected a name….`: the shared messages start small and end bare, as the CLI prints them after a path. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** `roots[1].overlay` → `Root 2 in the list, overlay`; `tunnels[0]` → `Tunnel 1 in the list`; `` → `The topology`. */
export function placeWords(path: string): string {
  const entry = /^(roots|tunnels)\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (entry) {
    const [, list, index, rest] = entry;
    const what = `${list === 'roots' ? 'Root' : 'Tunnel'} ${Number(index) + 1} in the list`;
    return rest === undefined ? what : `${what}, ${FIELD_WORDS[rest] ?? rest}`;
  }
  if (path === '' || path === 'topology') return 'The topology';
  if (path === 'roots') return 'The list of roots';
  if (path === 'tunnels') return 'The list of tunnels';
  return `The field ${JSON.stringify(path)}`;
}

/** A problem that belongs to no field on screen, as one line of words. */
export function problemLine(problem: Problem): string {
  return `${placeWords(problem.path)}: ${asSentence(problem.message)}`;
}
