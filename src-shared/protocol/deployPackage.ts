// The deploy package the application posts to the entry root: its schema, its digest, secret references, and building it.
import { z } from 'zod';
import { importSealingKey, SealedBlobSchema, sealSecret, type SealingKey } from '../crypto/seal.ts';
import { RootIdSchema, RootSchema, TunnelSchema } from '../topology/schemas.ts';
import { validateTopology } from '../topology/validate.ts';
import { formatProblem, zodProblems, type Problem } from '../validation/zodProblems.ts';
import { NodeNameSchema } from '../plan/nodeNames.ts';
import { canonicalJson } from './canonicalJson.ts';

/**
 * The package format's version; a node refuses a package of another version by it. History:
 * - 1 (2026-11-25): each node's files, VyOS commands and secrets sealed to its identity key; the nodes and tunnels
 *   removed; the confirmation deadline; the entry root; the digest over all of it.
 * - 2 (2026-11-25): packages carry the overlay (topology and agent port) that decides the nodes' flood neighbours.
 * - 3 (2026-12-07): the digest covers each node's part by its own digest, so a package may travel with only the parts
 *   its receiver needs (`omitted` names the others by digest) and still be checked whole.
 * - 4 (2026-12-08): a part names the deploy its secrets were sealed for (`sealedIn`), so the application carries a node's
 *   part unchanged from one deploy to the next instead of sealing its secrets afresh each time.
 */
export const DEPLOY_PACKAGE_VERSION = 4;
/** How long a node keeps an unconfirmed deploy before it reverts by itself (seed: VyOS commit-confirm, overlay-wide). */
export const DEFAULT_CONFIRM_DEADLINE_MS = 10 * 60_000;
export const MIN_CONFIRM_DEADLINE_MS = 10_000;
export const MAX_CONFIRM_DEADLINE_MS = 24 * 60 * 60_000;
export const MAX_FILE_CHARS = 1024 * 1024;

export const DEPLOY_BACKENDS = ['vyos', 'linux', 'dry-run'] as const;
export const DeployBackendSchema = z.enum(DEPLOY_BACKENDS);
export type DeployBackend = z.infer<typeof DeployBackendSchema>;

/** One PEM certificate, base64 lines between its armour. */
export const PemCertificateSchema = z.string().regex(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/, 'expected one PEM certificate');

export const DigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256: and 64 hex digits');

export const TopologyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$/, 'expected a topology id: 1 to 64 of A-Z a-z 0-9 . _ : + -');


/**
 * A path relative to the backend's own folder. No segment may start with a dot, so `..`, `.` and hidden
 * names (which the backends keep for themselves) are impossible, and nothing can escape the folder.
 */
export const RelativePathSchema = z
  .string()
  .max(200, 'expected a path of at most 200 characters')
  .regex(
    /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*(\/[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)*$/,
    'expected a relative path of segments from A-Z a-z 0-9 . _ @ + - that do not start with a dot',
  );

const SECRET_REFERENCE = /\{\{secret:([^{}\s]*)\}\}/g;

/** The secret paths that `{{secret:PATH}}` references in a file or command name, in order. */
export function secretReferences(text: string): string[] {
  return [...text.matchAll(SECRET_REFERENCE)].map((m) => m[1] ?? '');
}

/** Replaces every `{{secret:PATH}}` by that secret's text; throws on a reference to a secret that is not there. */
export function substituteSecrets(text: string, secrets: ReadonlyMap<string, string>): string {
  return text.replace(SECRET_REFERENCE, (_all, path: string) => {
    const value = secrets.get(path);
    if (value === undefined) throw new Error(`reference to unknown secret "${path}"`);
    return value;
  });
}

/**
 * One VyOS configuration line as the agent will put it in a vbash script: `set` or `delete`, then words that
 * are either bare (A-Z a-z 0-9 _ . : / @ + = , -) or single-quoted without a quote or line break inside.
 * Nothing else reaches the shell, so a line cannot run a command of its own.
 */
export function isVyosCommandLine(line: string): boolean {
  return /^(set|delete)( ([A-Za-z0-9_.:/@+=,-]+|'[^'\r\n]*'))+$/.test(line);
}

const VyosCommandSchema = z
  .string()
  .max(MAX_FILE_CHARS)
  .refine(isVyosCommandLine, "expected a VyOS line: set|delete, then bare words or 'single-quoted' words");

/**
 * One node's share. `files` are written as they are; each `sealedSecrets` entry opens to a file of its own
 * (mode 0600), and `{{secret:PATH}}` in a file or command is replaced by that secret on the node.
 */
export const NodePartSchema = z
  .strictObject({
    backend: DeployBackendSchema,
    files: z.record(RelativePathSchema, z.string().max(MAX_FILE_CHARS)),
    commands: z.array(VyosCommandSchema).optional(),
    sealedSecrets: z.record(RelativePathSchema, SealedBlobSchema),
    /** The node's identity certificate, re-issued by the control CA for its own key before the one it has expires. */
    identityCertificate: PemCertificateSchema.max(8192).optional(),
    /** The deploy the secrets were sealed for (sealingTopology): an earlier one when the part is carried on unchanged. */
    sealedIn: TopologyIdSchema.optional(),
  })
  .superRefine((part, ctx) => {
    for (const path of Object.keys(part.files)) {
      if (path in part.sealedSecrets) ctx.addIssue({ code: 'custom', path: ['files', path], message: 'is also a sealed secret', input: path });
    }
    if (part.commands !== undefined && part.backend !== 'vyos') {
      ctx.addIssue({ code: 'custom', path: ['commands'], message: 'only a vyos node carries VyOS commands', input: part.commands });
    }
    const texts: [PropertyKey[], string][] = [
      ...Object.entries(part.files).map(([path, text]): [PropertyKey[], string] => [['files', path], text]),
      ...(part.commands ?? []).map((text, i): [PropertyKey[], string] => [['commands', i], text]),
    ];
    for (const [path, text] of texts) {
      for (const ref of secretReferences(text)) {
        if (!(ref in part.sealedSecrets)) ctx.addIssue({ code: 'custom', path, message: `references unknown secret "${ref}"`, input: text });
      }
    }
  });
export type NodePart = z.infer<typeof NodePartSchema>;

export const RemovedTunnelSchema = z
  .strictObject({ a: RootIdSchema, b: RootIdSchema })
  .refine((t) => t.a !== t.b, 'expected a tunnel between two different roots');

export const RemovedSchema = z.strictObject({
  /** Nodes that leave the overlay: they tear down everything Raincoat set up on them. */
  nodes: z.array(NodeNameSchema),
  /** Tunnels deleted in the topology, by root ids; each end terminates `tunnelName(a, b)`. */
  tunnels: z.array(RemovedTunnelSchema),
});

/**
 * The overlay a deploy puts in place, for the agents themselves: each derives from it who its flood neighbours are
 * (a root's tunnel peers and leaves, a leaf's root) and where to reach them. `null` in a package: the agents keep the
 * neighbours of their configuration files.
 */
export const DeployOverlaySchema = z
  .strictObject({
    topology: z.strictObject({ roots: z.array(RootSchema), tunnels: z.array(TunnelSchema) }),
    /** The TCP port the agents listen on, as the application installed them; an agent's configuration may name another address for a node. */
    agentPort: z.number().int().min(1).max(65535),
  })
  .superRefine((overlay, ctx) => {
    for (const problem of overlayProblems(overlay.topology)) ctx.addIssue({ code: 'custom', path: ['topology'], message: formatProblem(problem) });
  });

/**
 * The overlays found valid lately, by their JSON: every copy of a package carries the same overlay, and a host of many
 * agents (the sandbox) would check it once per agent (validating a topology costs ten times writing it out).
 */
const validOverlays = new Set<string>();
const VALID_OVERLAYS_KEPT = 16;

function overlayProblems(topology: unknown): Problem[] {
  const text = JSON.stringify(topology);
  if (validOverlays.has(text)) return [];
  const checked = validateTopology(topology);
  if (!checked.ok) return checked.problems;
  if (validOverlays.size >= VALID_OVERLAYS_KEPT) validOverlays.delete(validOverlays.values().next().value!);
  validOverlays.add(text);
  return [];
}
export type DeployOverlay = z.infer<typeof DeployOverlaySchema>;

/** Every field is required on the wire, so the digest never depends on defaults filled in on one side. */
const bodyShape = {
  version: z.literal(DEPLOY_PACKAGE_VERSION),
  topologyId: TopologyIdSchema,
  createdAt: z.iso.datetime(),
  deadlineMs: z.number().int().min(MIN_CONFIRM_DEADLINE_MS).max(MAX_CONFIRM_DEADLINE_MS),
  entryRootId: RootIdSchema,
  nodes: z.record(NodeNameSchema, NodePartSchema),
  /** The parts left out of this copy of the package, by their digests (partDigest); empty in a whole package. */
  omitted: z.record(NodeNameSchema, DigestSchema),
  removed: RemovedSchema,
  overlay: DeployOverlaySchema.nullable(),
};

function refineBody(body: { nodes: Record<string, unknown>; omitted: Record<string, unknown>; removed: { nodes: string[] } }, ctx: z.RefinementCtx): void {
  body.removed.nodes.forEach((name, i) => {
    if (name in body.nodes || name in body.omitted) ctx.addIssue({ code: 'custom', path: ['removed', 'nodes', i], message: `${name} is also deployed`, input: name });
  });
  for (const name of Object.keys(body.omitted)) {
    if (name in body.nodes) ctx.addIssue({ code: 'custom', path: ['omitted', name], message: 'is also carried whole', input: name });
  }
}

export const DeployPackageBodySchema = z.strictObject(bodyShape).superRefine(refineBody);
export type DeployPackageBody = z.infer<typeof DeployPackageBodySchema>;

export const DeployPackageSchema = z.strictObject({ ...bodyShape, digest: DigestSchema }).superRefine(refineBody);
export type DeployPackage = z.infer<typeof DeployPackageSchema>;

export type ParseResult = { ok: true; package: DeployPackage } | { ok: false; problems: string[] };

/** Validates a received package's shape; problems read `path: expected X, found Y`. The digest is checked apart (async). */
export function parseDeployPackage(value: unknown): ParseResult {
  const result = DeployPackageSchema.safeParse(value, { reportInput: true });
  return result.success ? { ok: true, package: result.data } : { ok: false, problems: problemsOf(result.error) };
}

function problemsOf(error: z.ZodError): string[] {
  return zodProblems(error, '(package)').map(formatProblem);
}

async function sha256Of(value: unknown): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(value))));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Parts are never changed once parsed: each one's digest is worked out once, for the package's digest and its copies. */
const partDigests = new WeakMap<NodePart, Promise<string>>();

/** `sha256:<hex>` over the canonical JSON of one node's part, as the package digest covers it. */
export function partDigest(part: NodePart): Promise<string> {
  let digest = partDigests.get(part);
  if (digest === undefined) partDigests.set(part, (digest = sha256Of(part)));
  return digest;
}

/**
 * `sha256:<hex>` over the canonical JSON of everything but the digest, each part replaced by its digest and the parts
 * left out taken by theirs: a copy of the package with some parts left out has the whole package's digest.
 */
export async function computeDeployDigest(body: DeployPackageBody): Promise<string> {
  const { digest: _ignored, nodes, omitted, ...rest } = body as DeployPackageBody & { digest?: string };
  const parts: Record<string, string> = { ...omitted };
  for (const [name, part] of Object.entries(nodes)) parts[name] = await partDigest(part);
  return sha256Of({ ...rest, parts });
}

/** Every node the package deploys, its part carried or left out. */
export function packageNodeNames(pkg: Pick<DeployPackage, 'nodes' | 'omitted'>): string[] {
  return [...Object.keys(pkg.nodes), ...Object.keys(pkg.omitted)];
}

export async function verifyDeployDigest(pkg: DeployPackage): Promise<boolean> {
  return (await computeDeployDigest(pkg)) === pkg.digest;
}

/** The deploy a part's secrets were sealed for: the one it names, else the package's own. */
export function sealingTopology(part: Pick<NodePart, 'sealedIn'>, topologyId: string): string {
  return part.sealedIn ?? topologyId;
}

/** What a sealed secret is bound to: it opens only for the deploy it was sealed for, this node and this path. */
export function secretContext(topologyId: string, nodeName: string, path: string): string {
  return `raincoat deploy ${topologyId} ${nodeName} ${path}`;
}

export interface DeployNodeInput {
  backend: DeployBackend;
  files?: Record<string, string>;
  commands?: string[];
  /** Plaintext secrets by path; they are sealed to the node's identity key and never stored as they are. */
  secrets?: Record<string, string | Uint8Array>;
  identityCertificate?: string;
}

export interface DeployPackageInput {
  topologyId: string;
  /** ISO 8601 UTC, e.g. new Date().toISOString(). Nodes refuse a package older than the one they have. */
  createdAt: string;
  deadlineMs?: number;
  entryRootId: number;
  nodes: Record<string, DeployNodeInput>;
  /**
   * Parts sealed for an earlier deploy (their `sealedIn` names it), carried as they are: a node whose input did not change
   * need not have its secrets sealed again. A node is either here or in `nodes`.
   */
  sealedParts?: Record<string, NodePart>;
  /** Each node's identity public key (SPKI DER or PEM, e.g. from its control-CA certificate); required for nodes with secrets. */
  identityKeys: Record<string, Uint8Array | ArrayBuffer | string | SealingKey>;
  removed?: { nodes?: string[]; tunnels?: { a: number; b: number }[] };
  /** The deployed topology and the agents' port, from which the agents take their neighbours; absent: they keep their configured ones. */
  overlay?: DeployOverlay;
}

export class DeployPackageError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid deploy package: ${problems.join('; ')}`);
    this.name = 'DeployPackageError';
    this.problems = problems;
  }
}

/**
 * Seals every node's secrets to that node (each part names this deploy as the one it was sealed for), carries the parts
 * sealed before as they are, fills the default deadline, validates, and adds the digest.
 */
export async function buildDeployPackage(input: DeployPackageInput): Promise<DeployPackage> {
  const nodes: Record<string, unknown> = { ...input.sealedParts };
  const problems: string[] = [];
  for (const name of Object.keys(input.nodes)) {
    if (Object.hasOwn(nodes, name)) problems.push(`nodes.${name}: both sealed before and to be sealed`);
  }
  for (const [name, node] of Object.entries(input.nodes)) {
    const secrets = Object.entries(node.secrets ?? {});
    if (secrets.length > 0 && input.identityKeys[name] === undefined) problems.push(`nodes.${name}: no identity key to seal its ${secrets.length} secret(s) to`);
  }
  if (problems.length > 0) throw new DeployPackageError(problems);
  // Sealing is most of a package's making (an ECDH agreement per secret): the nodes' secrets are sealed all at once, so
  // that the agreements run on the crypto thread pool side by side rather than one after another.
  const sealed = await Promise.all(
    Object.entries(input.nodes).map(async ([name, node]) => {
      const secrets = Object.entries(node.secrets ?? {});
      const keyInput = input.identityKeys[name];
      if (keyInput === undefined || secrets.length === 0) return {};
      const key = isSealingKey(keyInput) ? keyInput : await importSealingKey(keyInput);
      const blobs = await Promise.all(secrets.map(([path, plaintext]) => sealSecret(plaintext, key, secretContext(input.topologyId, name, path))));
      return Object.fromEntries(secrets.map(([path], i) => [path, blobs[i]]));
    }),
  );
  Object.entries(input.nodes).forEach(([name, node], i) => {
    nodes[name] = {
      backend: node.backend,
      files: node.files ?? {},
      ...(node.commands === undefined ? {} : { commands: node.commands }),
      sealedSecrets: sealed[i],
      ...(node.identityCertificate === undefined ? {} : { identityCertificate: node.identityCertificate }),
      sealedIn: input.topologyId,
    };
  });
  const body = DeployPackageBodySchema.safeParse({
    version: DEPLOY_PACKAGE_VERSION,
    topologyId: input.topologyId,
    createdAt: input.createdAt,
    deadlineMs: input.deadlineMs ?? DEFAULT_CONFIRM_DEADLINE_MS,
    entryRootId: input.entryRootId,
    nodes,
    omitted: {},
    removed: { nodes: input.removed?.nodes ?? [], tunnels: input.removed?.tunnels ?? [] },
    overlay: input.overlay ?? null,
  }, { reportInput: true });
  if (!body.success) throw new DeployPackageError(problemsOf(body.error));
  return { ...body.data, digest: await computeDeployDigest(body.data) };
}

function isSealingKey(value: unknown): value is SealingKey {
  return typeof value === 'object' && value !== null && 'publicKey' in value && 'keyId' in value;
}
