// The fixed shape of every root's /16: how the address plan carves it (see planAddresses.ts for the why).

/** Every root's overlay is a /16, the block this plan carves. */
export const OVERLAY_PREFIX_LENGTH = 16;
/** OpenVPN clients one leaf server is planned for (seed §4: about 100 per server). */
export const CLIENTS_PER_LEAF = 100;
/** Each leaf's client subnet: a /25 holds 100 clients plus the server with room to spare. */
export const LEAF_PREFIX_LENGTH = 25;
/** The root's own OpenVPN server (its leaves' uplinks) gets the /16's first /22: 1,021 uplink addresses. */
export const UPLINK_PREFIX_LENGTH = 22;
/** /25s left for leaves once the uplink /22 is taken: 512 - 8. */
export const MAX_LEAVES_PER_ROOT = 2 ** (LEAF_PREFIX_LENGTH - 16) - 2 ** (LEAF_PREFIX_LENGTH - UPLINK_PREFIX_LENGTH);
/** What one root's /16 can serve: 504 leaves × 100 clients. */
export const MAX_CLIENTS_PER_ROOT = MAX_LEAVES_PER_ROOT * CLIENTS_PER_LEAF;
