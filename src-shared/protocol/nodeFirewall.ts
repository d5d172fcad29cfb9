// What Raincoat owns of a node's firewall, which the renderers fill and the agent's backends replace: on linux one
// nftables table, carried as one file of the node's part; on VyOS the ipv4 input and forward filters and its network groups.

/** In a linux node's part (and its backend's folder): the ruleset, loaded with `nft -f`, which replaces the table whole. */
export const LINUX_FIREWALL_FILE = 'firewall.nft';

/** The one nftables table Raincoat owns (family inet); the host's other tables are never touched. */
export const NFT_TABLE = 'raincoat';

/** VyOS subtrees that are Raincoat's firewall: deleted before each apply, so a rule no longer rendered goes. */
export const VYOS_FIREWALL_SUBTREES = ['firewall ipv4 input filter', 'firewall ipv4 forward filter'] as const;

/** Raincoat's VyOS network groups (`raincoat-net-1`, …), which only its own rules name. */
export const VYOS_FIREWALL_GROUP_PREFIX = 'raincoat-net-';
