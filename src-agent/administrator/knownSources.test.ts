import { describe, expect, it } from 'vitest';
import { createKnownSources } from './knownSources.ts';

describe('createKnownSources', () => {
  it('remembers at most max sources, forgetting the least recently successful', () => {
    const known = createKnownSources(3);
    for (const source of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.4']) known.add(source);
    expect(known.size).toBe(3);
    expect(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].filter((source) => known.has(source))).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.4']);
  });
});
