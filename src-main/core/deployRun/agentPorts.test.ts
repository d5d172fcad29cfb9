import { describe, expect, it } from 'vitest';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { agentPortsByNode, portOfAgentUrl } from './agentPorts.ts';

describe('agent ports', () => {
  it.each([
    ['https://198.51.100.7:7443', 7443],
    ['https://127.0.0.1:4021', 4021],
    ['https://root-1.example', 443],
    ['https://198.51.100.7:443', 443],
  ])('%s listens on %i', (url, port) => {
    expect(portOfAgentUrl(url)).toBe(port);
  });

  it("gives each node its own agent's port", () => {
    const node = (url: string) => ({ url, certPem: '', backend: 'linux' as const });
    const access = { nodes: { 'root-1': node('https://192.0.2.1:7443'), 'leaf-1-1': node('https://127.0.0.1:4011') } } as unknown as OverlayAccess;
    expect(agentPortsByNode(access)).toEqual({ 'root-1': 7443, 'leaf-1-1': 4011 });
  });
});
