// Client VMs enroll at a leaf or a root with their root's token: a CSR in, a signed certificate and a ready .ovpn out.
// Only a root holds its cloud's OpenVPN CA, so a leaf passes the request to its root and adds its own profile; whoever
// completes the profile makes the client's tls-crypt-v2 key where the template asks for one.
import { randomBytes } from 'node:crypto';
import type { LoginRateLimiter } from '../administrator/loginRateLimiter.ts';
import { CsrError, readCsr } from '../../src-node/x509/certificationRequest.ts';
import { certifyRequest } from '../../src-node/x509/signCsr.ts';
import { Refusal } from '../wire/refusal.ts';
import { isRefusalCode } from '../../src-shared/protocol/refusals.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { JsonHandler } from '../wire/route.ts';
import { agentApi, refusalsOf, SignedClientSchema } from '../../src-shared/protocol/agentApi.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import type { EnrollmentGrants } from './enrollmentGrants.ts';
import type { EnrollmentTokens } from './enrollmentTokens.ts';
import { completeProfile } from './enrollmentMaterial.ts';
import type { EnrollmentMaterial } from './enrollmentMaterial.ts';
import { NoMaterial } from './deployedMaterial.ts';

/** Client certificates live as long as the agents' own (and never past their CA). */
const CLIENT_CERT_DAYS = 825;
/** What a client VM may be told of a refusal: the table's refusals of `enroll`. */
const ENROLL_REFUSALS: ReadonlySet<RefusalCode> = new Set(refusalsOf('enroll'));


export interface ClientEnrollmentOptions {
  self: string;
  /** This node's root (itself when it is one). */
  rootId: number;
  role: 'root' | 'leaf';
  /** A root's tokens; a leaf has none (its root checks them). */
  tokens: EnrollmentTokens | undefined;
  /** A root's way to other roots' tokens (the token routes with another root's id). */
  grants: EnrollmentGrants | undefined;
  material(): Promise<EnrollmentMaterial>;
  client: PeerClient;
  /** A leaf's way to its root. */
  rootTarget(): PeerTarget | undefined;
  limiter: LoginRateLimiter;
  now(): number;
  log(event: string, fields: Record<string, unknown>): void;
}

/** The enrollment routes of the API table: at a leaf only `enroll` (its root signs); a root serves them all. */
export interface EnrollmentHandlers {
  enroll: JsonHandler<'enroll'>;
  peerEnroll?: JsonHandler<'peerEnroll'>;
  createEnrollmentToken?: JsonHandler<'createEnrollmentToken'>;
  listEnrollmentTokens?: JsonHandler<'listEnrollmentTokens'>;
  revokeEnrollmentToken?: JsonHandler<'revokeEnrollmentToken'>;
}

export function clientEnrollmentHandlers(options: ClientEnrollmentOptions): EnrollmentHandlers {
  const { role, tokens, grants } = options;
  let nextLeaf = 0;

  const material = async (): Promise<EnrollmentMaterial> => {
    try {
      return await options.material();
    } catch (error) {
      if (error instanceof NoMaterial) throw new Refusal('conflict', error.message);
      throw error;
    }
  };

  /**
   * At a root: checks the request and the token (the CSR first, so a malformed one costs no use) and signs.
   * `source` is the client's address, whose failures count against it (a bad CSR as well as a bad token: checking one
   * costs CPU before any token is looked at); a leaf passing requests on counts them itself.
   */
  async function sign(token: string, csrPem: string, source: string | undefined, via: string): Promise<{ name: string; certificate: string }> {
    let request;
    try {
      request = readCsr(csrPem);
    } catch (error) {
      if (!(error instanceof CsrError)) throw error;
      if (source !== undefined) options.limiter.failed(source);
      throw new Refusal('malformed', `csr: ${error.message}`);
    }
    const own = await material();
    if (own.role !== 'root') throw new Error('only a root signs client certificates');
    const consumed = await tokens!.consume(token);
    if (!consumed.ok) {
      if (source !== undefined) options.limiter.failed(source);
      throw new Refusal('forbidden', consumed.reason);
    }
    // The CA names the client, not the requester: unique, and safe in every file it appears in.
    const name = `client-${options.rootId}-${randomBytes(6).toString('hex')}`;
    const certificate = certifyRequest(own.ca, request, 'client', { commonName: name, now: new Date(options.now()), lifetimeDays: CLIENT_CERT_DAYS }).certPem;
    options.log('client_enrolled', { name, token: consumed.id, via });
    return { name, certificate };
  }

  /** At a leaf: the same request, signed by its root. */
  async function signAtRoot(token: string, csr: string): Promise<{ name: string; certificate: string }> {
    const root = options.rootTarget();
    if (!root) throw new Refusal('unavailable', `${options.self} does not know where its root is`);
    let response;
    try {
      response = await options.client.request(root, agentApi.peerEnroll.method, agentApi.peerEnroll.path, { token, csr });
    } catch (error) {
      throw new Refusal('unavailable', `cannot reach ${root.node} to sign the certificate: ${(error as Error).message}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new Refusal('unavailable', `${root.node} answered ${response.status} with something that is not JSON`);
    }
    if (response.status !== 200) {
      const { error, reason } = (body ?? {}) as { error?: unknown; reason?: unknown };
      // The client VM is told the root's refusal only where it is one `enroll` declares; the root's other refusals
      // (its peer checks of this leaf) are this leaf's trouble, not the client's.
      const code = isRefusalCode(error) && ENROLL_REFUSALS.has(error) ? error : 'unavailable';
      throw new Refusal(code, `${root.node}: ${typeof reason === 'string' ? reason : `answered ${response.status}`}`);
    }
    const signed = SignedClientSchema.safeParse(body);
    if (!signed.success) throw new Refusal('unavailable', `${root.node} answered with no certificate: ${zodProblems(signed.error, 'answer').map(formatProblem).join('; ')}`);
    return signed.data;
  }

  function checkRate(source: string): void {
    const verdict = options.limiter.check(source);
    if (!verdict.allowed) throw new Refusal('rate_limited', `too many failed enrollments from ${source}; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
  }

  const enroll: JsonHandler<'enroll'> = {
      async handle(caller, request) {
        checkRate(caller.address);
        let signed: { name: string; certificate: string };
        let profile: string;
        let node: string;
        const own = await material();
        if (own.role === 'root') {
          signed = await sign(request.token, request.csr, caller.address, caller.address);
          // Clients are spread over the root's leaves in turn.
          const leaves = [...own.leafProfiles.keys()];
          node = leaves[nextLeaf++ % leaves.length]!;
          profile = own.leafProfiles.get(node)!;
        } else {
          try {
            signed = await signAtRoot(request.token, request.csr);
          } catch (error) {
            if (error instanceof Refusal && (error.code === 'forbidden' || error.code === 'malformed')) options.limiter.failed(caller.address);
            throw error;
          }
          node = options.self;
          profile = own.profile;
        }
        const ovpn = completeProfile(profile, signed.certificate, own.tlsCryptV2ServerKey, new Date(options.now()));
        if (request.format === 'ovpn') return { bytes: Buffer.from(ovpn), contentType: 'application/x-openvpn-profile' };
        return { json: { name: signed.name, node, certificate: signed.certificate, profile: ovpn } };
      },
  };
  if (role === 'leaf' || !tokens || !grants) return { enroll };
  /** The root a token route is about: another root's id means a grant, this root's (or none) its own tokens. */
  const elsewhere = (rootId: number | undefined): rootId is number => rootId !== undefined && rootId !== options.rootId;

  return {
    enroll,
    peerEnroll: {
      async handle(caller, request) {
        const leaf = caller.node ?? '';
        if (!new RegExp(`^leaf-${options.rootId}-[1-9]\\d*$`).test(leaf)) throw new Refusal('forbidden', `${leaf} is not a leaf of ${options.self}`);
        return { json: await sign(request.token, request.csr, undefined, leaf) };
      },
    },
    createEnrollmentToken: {
      async handle(_caller, { rootId, uses, ttlMs, label }) {
        const request = { uses, ttlMs, ...(label === undefined ? {} : { label }) };
        const created = elsewhere(rootId) ? await grants.grant(rootId, request) : await tokens.create(request);
        return { status: 201, json: { token: created.token, ...created.info } };
      },
    },
    listEnrollmentTokens: { handle: () => ({ json: { tokens: tokens.list() } }) },
    revokeEnrollmentToken: {
      async handle(_caller, { id, rootId }) {
        if (elsewhere(rootId)) await grants.revoke(rootId, id);
        else if (!(await tokens.revoke(id))) throw new Refusal('not_found', `no enrollment token ${id} at ${options.self}`);
        return { json: { revoked: id } };
      },
    },
  };
}
