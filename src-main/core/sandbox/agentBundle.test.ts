import { describe, expect, it } from 'vitest';
import { findAgentBundle } from './agentBundle.ts';

describe('findAgentBundle', () => {
  it.each([
    ['the bundled command line', 'file:///app/dist/cli/raincoat.mjs', '/app/resources/agent/raincoat-agent.mjs'],
    ['the command line from source', 'file:///app/src-main/core/sandbox/agentBundle.ts', '/app/resources/agent/raincoat-agent.mjs'],
  ])('finds it from %s', (_, from, expected) => {
    expect(findAgentBundle(from, (file) => file === expected)).toEqual({ ok: true, file: expected });
  });

  it('says how to build it when it is missing', () => {
    const found = findAgentBundle('file:///app/src-main/core/sandbox/agentBundle.ts', () => false);
    expect(found).toEqual({ ok: false, message: expect.stringMatching(/resources\/agent\/raincoat-agent.mjs is missing\): run "npm run build"/) });
  });
});
