import { describe, expect, it } from 'vitest';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import { Refusal } from '../wire/refusal.ts';
import { stateCopy } from './stateCopy.ts';
import type { StateCopy } from './stateCopy.ts';
import { statePage } from './statePage.ts';

async function copy(): Promise<StateCopy> {
  const made = await stateCopy({ version: 1, storedAt: 1, storedBy: 1, state: sampleAdminState('topology-1', 500) }, 1 << 20);
  if (!('copy' in made)) throw new Error(made.problem);
  return made.copy;
}

describe('a page of the kept state', () => {
  it('reads the whole state, page after page, each saying which state it is of', async () => {
    const kept = await copy();
    let text = '';
    for (let offset = 0; offset < kept.head.size; ) {
      const page = statePage(kept, { offset, digest: kept.head.digest }, 100);
      expect(page.head).toEqual(kept.head);
      expect(page.offset).toBe(offset);
      text += page.text;
      offset += page.text.length;
    }
    expect(text).toBe(kept.bytes.toString('utf8'));
    expect(statePage(kept, { offset: kept.head.size }, 100).text).toBe('');
  });

  it.each([
    ['no state kept', undefined, {}, new Refusal('not_found', 'no administrator state here: none was put at a root this one has heard from since (a deploy keeps it)')],
    ['another state than the pages read so far', 'kept', { digest: `sha256:${'0'.repeat(64)}` }, new Refusal('conflict', 'the administrator state changed while it was read (now topology topology-1): read it again from the start')],
    ['an offset past the end', 'kept', { offset: 100_000 }, new Refusal('malformed', 'offset 100000 is past the end of the state (')],
  ])('refuses with %s', async (_what, which, wanted, refusal) => {
    const kept = which === undefined ? undefined : await copy();
    let thrown: unknown;
    try {
      statePage(kept, { offset: 0, ...wanted });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Refusal);
    expect((thrown as Refusal).code).toBe(refusal.code);
    expect((thrown as Refusal).message).toContain(refusal.message);
  });
});
