// Options every renderer takes: deploy-time addresses, the VyOS release, and where the Linux files live.

export type VyosVersion = '1.4' | '1.5';
export type ClientServerBackend = 'linux' | 'vyos';
export const VYOS_VERSIONS: readonly VyosVersion[] = ['1.4', '1.5'];

export interface RenderOptions {
  /** The VyOS release to render for; default '1.4'. */
  vyosVersion?: VyosVersion;
  /**
   * Nodes' internet (cloud) addresses by node name (`root-1`, `leaf-1-2`), known at deploy time. A root
   * defaults to its planned internetAddress; a leaf to its node name, which the administrator maps in DNS or hosts.
   */
  addresses?: Record<string, string>;
  /** The private address on the box, by node name, of a NATed root; absent, IKE binds to any address. */
  localAddresses?: Record<string, string>;
  /** Linux: the folder holding the node's files on the node; OpenVPN's key and ccd paths point into it. Default '/etc/raincoat'. */
  baseDir?: string;
  /** Linux: write certificates and keys inline in the OpenVPN files instead of pointing at files. */
  inlineKeys?: boolean;
  /**
   * Linux: OpenVPN drops to this user and group once started (keys and tun device kept). Each server then runs chrooted
   * in its jail (`jail/<role>/` under the node's folder: its CRL and client-config-dir), which must belong to that user.
   * Absent: OpenVPN keeps running as root.
   */
  openvpnUser?: { user: string; group: string };
  /**
   * The TCP port the agents listen on: one for every node, or by node name (a deploy's nodes, each as the overlay access
   * reaches it). A node with a port gets a firewall (linux `firewall.nft`, nftables; VyOS `firewall` rules): only what it
   * serves open from the internet side, its agent's port always among it, forwarding only between the overlay's prefixes
   * along the drawn paths.
   */
  agentPort?: number | Readonly<Record<string, number>>;
  /**
   * What the leaves' client servers run, for client profiles: `linux` (default; OpenVPN 2.5+), where each profile carries
   * its own tls-crypt-v2 key, or `vyos`, which has no tls-crypt-v2, where profiles carry the cloud's clients' tls-crypt key.
   */
  clientServers?: ClientServerBackend;
  /**
   * The backend each node runs, by node name, when only its files are wanted (a deploy): a VyOS node's configuration,
   * or a linux node's files. Absent, every node gets both side by side (`raincoat render`).
   */
  backendOf?: (nodeName: string) => RenderedBackend;
}

export type RenderedBackend = 'vyos' | 'linux';

export const DEFAULT_BASE_DIR = '/etc/raincoat';

/** What deploys drop OpenVPN to: a system user and group of Raincoat's own, which the agent's linux backend creates. */
export const DEFAULT_OPENVPN_USER = { user: 'raincoat-openvpn', group: 'raincoat-openvpn' } as const;

/** Whether `nodeName`'s files for `backend` are wanted (RenderOptions.backendOf). */
export function rendersFor(options: RenderOptions, nodeName: string, backend: RenderedBackend): boolean {
  return options.backendOf === undefined || options.backendOf(nodeName) === backend;
}

/** The port of `nodeName`'s agent, when the options give one (RenderOptions.agentPort). */
export function agentPortOf(options: RenderOptions, nodeName: string): number | undefined {
  const { agentPort } = options;
  return typeof agentPort === 'object' ? agentPort[nodeName] : agentPort;
}
