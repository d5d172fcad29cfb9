import { describe, expect, it } from 'vitest';
import { AUDIT_LOG_LIMITS, createAuditLog } from './auditLog.ts';
import { entry, REFUSED } from './auditEntries.testkit.ts';

const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id);

describe('the audit log', () => {
  it('keeps each entry once, however often it arrives', () => {
    const log = createAuditLog();
    const one = entry(1);
    expect(log.add(one)).toBe(true);
    expect(log.add({ ...one })).toBe(false);
    expect(log.entries()).toEqual([one]);
  });

  it('answers the newest entries since a time, oldest first by the time they were recorded, and how many it left out', () => {
    const log = createAuditLog();
    // Arrived out of order: root 2's entry of t=20 came after root 1's of t=30.
    const [a, b, c, d] = [entry(10), entry(30), entry(20, undefined, { root: 2 }), entry(40)];
    for (const e of [a, b, c, d]) log.add(e!);
    expect(log.read({ limit: 10 })).toEqual({ entries: [a, c, b, d], omitted: 0 });
    expect(log.read({ since: 20, limit: 10 })).toEqual({ entries: [c, b, d], omitted: 0 });
    expect(log.read({ since: 20, limit: 2 })).toEqual({ entries: [b, d], omitted: 1 });
    expect(log.read({ since: 41, limit: 2 })).toEqual({ entries: [], omitted: 0 });
  });

  it('drops the oldest past its count, and forgets their ids', () => {
    const log = createAuditLog({ ...AUDIT_LOG_LIMITS, maxEntries: 3 });
    const all = [1, 2, 3, 4, 5].map((t) => entry(t));
    for (const e of all) log.add(e);
    expect(ids(log.entries())).toEqual(ids(all.slice(2)));
    expect(log.add(all[0]!)).toBe(true);
  });

  it('drops the oldest past its bytes, keeping the newest even when it alone is over', () => {
    const one = entry(1);
    const size = Buffer.byteLength(JSON.stringify(one));
    const log = createAuditLog({ ...AUDIT_LOG_LIMITS, maxBytes: 2 * size + 1 });
    const all = [one, entry(2), entry(3)];
    for (const e of all) log.add(e);
    expect(ids(log.entries())).toEqual(ids(all.slice(1)));
    const tiny = createAuditLog({ ...AUDIT_LOG_LIMITS, maxBytes: 1 });
    tiny.add(entry(1));
    const last = entry(2);
    tiny.add(last);
    expect(tiny.entries()).toEqual([last]);
  });

  it('keeps refused logins within their share, so that guessing pushes nothing else out', () => {
    const log = createAuditLog({ maxEntries: 6, maxBytes: 1e9, maxRefusals: 2 });
    const login = entry(1, { kind: 'login', lock: 'held' });
    const deploy = entry(2, { kind: 'deploy-confirmed', topologyId: 't1' });
    log.add(login);
    log.add(deploy);
    const guesses = [3, 4, 5, 6, 7, 8, 9].map((t) => entry(t, REFUSED));
    for (const g of guesses) log.add(g);
    expect(ids(log.entries())).toEqual(ids([login, deploy, ...guesses.slice(-2)]));
  });

  it('takes back what a previous run kept, within the same bounds', () => {
    const kept = [1, 2, 3].map((t) => entry(t));
    expect(createAuditLog(AUDIT_LOG_LIMITS, kept).entries()).toEqual(kept);
    expect(createAuditLog({ ...AUDIT_LOG_LIMITS, maxEntries: 2 }, kept).entries()).toEqual(kept.slice(1));
  });
});
