import { describe, expect, it } from 'vitest';
import { createRefusalRecords } from './refusalRecords.ts';

function records(options: Partial<Parameters<typeof createRefusalRecords>[0]> = {}) {
  let t = 1_000_000;
  const made = createRefusalRecords({ now: () => t, ...options });
  return { admit: (address: string) => made.admit(address), wait: (ms: number) => (t += ms) };
}

describe('which refused logins are recorded', () => {
  it('records the first few from an address, then one a minute, each saying how many went unrecorded before it', () => {
    const { admit, wait } = records();
    expect([1, 2, 3].map(() => admit('198.51.100.7'))).toEqual([1, 2, 3].map(() => ({ record: true, alsoRefused: 0 })));
    for (let i = 0; i < 10; i++) expect(admit('198.51.100.7')).toEqual({ record: false });
    wait(30_000);
    expect(admit('198.51.100.7')).toEqual({ record: false });
    wait(30_000);
    expect(admit('198.51.100.7')).toEqual({ record: true, alsoRefused: 11 });
    expect(admit('198.51.100.7')).toEqual({ record: false });
  });

  it('counts refusals skipped (not worth an entry of their own) into the next one recorded from there', () => {
    const made = createRefusalRecords({ now: () => 0 });
    made.skip('198.51.100.7');
    made.skip('198.51.100.7');
    expect(made.admit('203.0.113.9')).toEqual({ record: true, alsoRefused: 0 });
    expect(made.admit('198.51.100.7')).toEqual({ record: true, alsoRefused: 2 });
    expect(made.admit('198.51.100.7')).toEqual({ record: true, alsoRefused: 0 });
  });

  it('records another address meanwhile, its own count apart', () => {
    const { admit } = records();
    for (let i = 0; i < 5; i++) admit('198.51.100.7');
    expect(admit('203.0.113.9')).toEqual({ record: true, alsoRefused: 0 });
  });

  it('records a few a minute over all addresses together, however many addresses guess', () => {
    const { admit, wait } = records({ overall: { burst: 4, perSecond: 1 / 10 } });
    const verdicts = Array.from({ length: 100 }, (_, i) => admit(`10.0.${i >> 8}.${i & 255}`));
    expect(verdicts.filter((v) => v.record)).toHaveLength(4);
    wait(10_000);
    expect(admit('10.1.0.1')).toEqual({ record: true, alsoRefused: 0 });
    expect(admit('10.1.0.2')).toEqual({ record: false });
  });

  it('forgets the counts of the addresses heard from longest ago past its bound', () => {
    const { admit, wait } = records({ perAddress: { burst: 1, perSecond: 1 / 60 }, maxAddresses: 2 });
    for (const address of ['a', 'b', 'c']) {
      admit(address);
      admit(address);
    }
    wait(60_000);
    expect(admit('a')).toEqual({ record: true, alsoRefused: 0 });
    expect(admit('c')).toEqual({ record: true, alsoRefused: 1 });
  });
});
