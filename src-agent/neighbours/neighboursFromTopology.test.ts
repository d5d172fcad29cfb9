import { describe, expect, it } from 'vitest';
import type { DeployOverlay } from '../../src-shared/protocol/deployPackage.ts';
import { neighboursFromTopology, neighboursInEffect } from './neighboursFromTopology.ts';

const root = (id: number, maxClients = 100) => ({ id, name: `r${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients });

/** Root 1 (two leaves) — root 2 — root 3, and root 4 with no tunnel at all. */
const overlay: DeployOverlay = {
  topology: { roots: [root(3), root(1, 150), root(2), root(4)], tunnels: [{ a: 2, b: 1 }, { a: 2, b: 3 }] },
  agentPort: 7443,
};

describe('neighboursFromTopology', () => {
  it.each<[string, string, { node: string; url: string }[] | undefined]>([
    [
      'a root: its tunnel peers at their internet addresses, then its leaves at their uplink addresses',
      'root-1',
      [
        { node: 'root-2', url: 'https://198.51.100.2:7443' },
        { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
        { node: 'leaf-1-2', url: 'https://10.1.0.3:7443' },
      ],
    ],
    [
      'a root with two tunnels, whichever end it is',
      'root-2',
      [
        { node: 'root-1', url: 'https://198.51.100.1:7443' },
        { node: 'root-3', url: 'https://198.51.100.3:7443' },
        { node: 'leaf-2-1', url: 'https://10.2.0.2:7443' },
      ],
    ],
    ['a root without tunnels: its leaves only', 'root-4', [{ node: 'leaf-4-1', url: 'https://10.4.0.2:7443' }]],
    ['a leaf: its root at the uplink server address', 'leaf-1-2', [{ node: 'root-1', url: 'https://10.1.0.1:7443' }]],
    ['a root the topology does not have', 'root-9', undefined],
    ['a leaf its root does not have', 'leaf-1-3', undefined],
    ['a leaf of a root the topology does not have', 'leaf-9-1', undefined],
    ['a name that is no node', 'router', undefined],
  ])('%s', (_what, self, expected) => {
    expect(neighboursFromTopology(self, overlay)).toEqual(expected);
  });

  it('uses the port the package names', () => {
    expect(neighboursFromTopology('leaf-2-1', { ...overlay, agentPort: 443 })).toEqual([{ node: 'root-2', url: 'https://10.2.0.1:443' }]);
  });
});

describe('neighboursInEffect', () => {
  const configured = [
    { node: 'root-2', url: 'https://203.0.113.2:17443' },
    { node: 'root-3', url: 'https://203.0.113.3:7443' },
  ];
  const fromTopology = [
    { node: 'root-2', url: 'https://198.51.100.2:7443' },
    { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
  ];

  it.each<[string, { node: string; url: string }[] | undefined, { node: string; url: string }[]]>([
    ['no topology: the configured neighbours', undefined, configured],
    [
      "a topology: its neighbours (a configured one it has not is dropped), at the configuration's address where listed",
      fromTopology,
      [
        { node: 'root-2', url: 'https://203.0.113.2:17443' },
        { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
      ],
    ],
    ['a topology without neighbours for this node: none', [], []],
  ])('%s', (_what, topology, expected) => {
    expect(neighboursInEffect(configured, topology)).toEqual(expected);
  });

  it("takes a new neighbour's address from the address book where the configuration has one, its own entries winning", () => {
    const addresses = [
      { node: 'root-2', url: 'https://127.0.0.1:4002' },
      { node: 'root-4', url: 'https://127.0.0.1:4004' },
    ];
    const withNewPeer = [...fromTopology, { node: 'root-4', url: 'https://198.51.100.4:7443' }, { node: 'root-5', url: 'https://198.51.100.5:7443' }];
    expect(neighboursInEffect(configured, withNewPeer, addresses)).toEqual([
      { node: 'root-2', url: 'https://203.0.113.2:17443' },
      { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
      { node: 'root-4', url: 'https://127.0.0.1:4004' },
      { node: 'root-5', url: 'https://198.51.100.5:7443' },
    ]);
    expect(neighboursInEffect(configured, undefined, addresses)).toEqual(configured);
  });
});
