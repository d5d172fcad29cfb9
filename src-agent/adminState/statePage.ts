// A page of the administrator's state a root keeps, as a session reads it: the whole state is more than the application
// takes in one answer for large overlays, so it is read a page at a time, each page saying which state it is of.
import { ADMIN_STATE_PAGE_CHARS } from '../../src-shared/protocol/adminState.ts';
import type { AdminStatePage } from '../../src-shared/protocol/adminState.ts';
import type { BodyOf } from '../../src-shared/protocol/agentApi.ts';
import { Refusal } from '../wire/refusal.ts';
import type { StateCopy } from './stateCopy.ts';

export function statePage(kept: StateCopy | undefined, wanted: BodyOf<'readAdminState'>, pageChars = ADMIN_STATE_PAGE_CHARS): AdminStatePage {
  if (kept === undefined) throw new Refusal('not_found', 'no administrator state here: none was put at a root this one has heard from since (a deploy keeps it)');
  const { head } = kept;
  if (wanted.digest !== undefined && wanted.digest !== head.digest) {
    throw new Refusal('conflict', `the administrator state changed while it was read (now topology ${head.topologyId}): read it again from the start`);
  }
  if (wanted.offset > head.size) throw new Refusal('malformed', `offset ${wanted.offset} is past the end of the state (${head.size})`);
  // The text is ASCII (every field's schema says so): a character is a byte.
  return { head, offset: wanted.offset, text: kept.bytes.subarray(wanted.offset, wanted.offset + pageChars).toString('utf8') };
}
