// The address plan: from a valid topology, each root's leaves and every subnet inside its /16.
//
// Layout of a root's /16 (a.b.0.0/16), fixed so that growth never renumbers anything:
//   a.b.0.0/22            the root's OpenVPN server for its leaves' uplinks; the server is a.b.0.1 and
//                         leaf n's uplink end is always a.b.0.(1+n) (pinned, so routes to it are static)
//   a.b.4.0/25 + (n-1)    leaf n's client subnet (n = 1, 2, …), server at its first host address
// Leaf n's subnet depends only on n, and a root's leaves are numbered 1..ceil(maxClients/100), so raising
// maxClients only appends leaves and adding roots touches no other root's numbers.
import type { Root, Topology } from '../topology/schemas.ts';
import { isNatted } from '../topology/schemas.ts';
import { blockSize, formatIpv4, formatPrefix, parsePrefix } from '../net/ipv4.ts';
import { leafNodeName, rootNodeName, tunnelName } from './nodeNames.ts';
import { CLIENTS_PER_LEAF, LEAF_PREFIX_LENGTH, MAX_CLIENTS_PER_ROOT, UPLINK_PREFIX_LENGTH } from './planConstants.ts';

export interface LeafPlan {
  rootId: number;
  /** 1-based, stable: leaf n keeps its number and subnets as long as its root keeps ≥ n leaves. */
  index: number;
  /** `leaf-<rootId>-<index>`: the node's name in rendered output and on the wire. */
  nodeName: string;
  /** The client VMs' subnet (a /25) and the leaf's own address in it. */
  clientSubnet: string;
  clientServerAddress: string;
  /** Clients planned on this leaf: 100, except the last leaf that takes the remainder. */
  maxClients: number;
  /** The leaf's pinned address on its root's uplink subnet. */
  uplinkAddress: string;
}

export interface RootPlan {
  rootId: number;
  name: string;
  /** `root-<id>`: the node's name in rendered output and on the wire. */
  nodeName: string;
  overlay: string;
  internetAddress: string;
  natted: boolean;
  maxClients: number;
  /** The subnet of the root's OpenVPN server that its leaves connect to, and the server's address. */
  uplinkSubnet: string;
  uplinkServerAddress: string;
  leaves: LeafPlan[];
}

export interface TunnelPlan {
  /** The lower root id first: tunnels are unordered. */
  a: number;
  b: number;
  /** `tunnel-<a>-<b>`. */
  name: string;
}

export interface AddressPlan {
  /** In ascending root id. */
  roots: RootPlan[];
  /** In ascending (a, b). */
  tunnels: TunnelPlan[];
  summary: { roots: number; tunnels: number; leaves: number; clientCapacity: number };
}

export function leafCount(maxClients: number): number {
  return Math.ceil(maxClients / CLIENTS_PER_LEAF);
}

/** Plans one root; the topology must be valid (an overlay that is not a /16 throws). */
export function planRoot(root: Root): RootPlan {
  const overlay = parsePrefix(root.overlay);
  if (!overlay || overlay.length !== 16) throw new Error(`planRoot: ${root.overlay} is not a /16; validate the topology first`);
  if (root.maxClients > MAX_CLIENTS_PER_ROOT) throw new Error(`planRoot: ${root.maxClients} clients exceed ${MAX_CLIENTS_PER_ROOT}`);
  const uplinkBlocks = blockSize(UPLINK_PREFIX_LENGTH);
  const leafBlock = blockSize(LEAF_PREFIX_LENGTH);
  const leaves: LeafPlan[] = [];
  const count = leafCount(root.maxClients);
  for (let index = 1; index <= count; index++) {
    const subnetBase = overlay.base + uplinkBlocks + (index - 1) * leafBlock;
    leaves.push({
      rootId: root.id,
      index,
      nodeName: leafNodeName(root.id, index),
      clientSubnet: formatPrefix({ base: subnetBase, length: LEAF_PREFIX_LENGTH }),
      clientServerAddress: formatIpv4(subnetBase + 1),
      maxClients: Math.min(CLIENTS_PER_LEAF, root.maxClients - (index - 1) * CLIENTS_PER_LEAF),
      uplinkAddress: formatIpv4(overlay.base + 1 + index),
    });
  }
  return {
    rootId: root.id,
    name: root.name,
    nodeName: rootNodeName(root.id),
    overlay: root.overlay,
    internetAddress: root.internetAddress,
    natted: isNatted(root),
    maxClients: root.maxClients,
    uplinkSubnet: formatPrefix({ base: overlay.base, length: UPLINK_PREFIX_LENGTH }),
    uplinkServerAddress: formatIpv4(overlay.base + 1),
    leaves,
  };
}

/** Derives the whole plan; deterministic (sorted by id), so equal topologies give byte-equal JSON. */
export function planAddresses(topology: Topology): AddressPlan {
  const roots = [...topology.roots].sort((x, y) => x.id - y.id).map(planRoot);
  const tunnels = topology.tunnels
    .map((t) => {
      const [a, b] = t.a < t.b ? [t.a, t.b] : [t.b, t.a];
      return { a, b, name: tunnelName(a, b) };
    })
    .sort((x, y) => x.a - y.a || x.b - y.b);
  const leaves = roots.reduce((n, r) => n + r.leaves.length, 0);
  const clientCapacity = roots.reduce((n, r) => n + r.maxClients, 0);
  return { roots, tunnels, summary: { roots: roots.length, tunnels: tunnels.length, leaves, clientCapacity } };
}
