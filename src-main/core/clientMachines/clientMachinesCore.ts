// The contract's client-machine calls on the logged-in session, for any deployed root: enrollment tokens made through the
// entry root's token route (for another root, granted there through the overlay), a first-boot script carrying one, and
// a client profile enrolled at the root as a client VM would be.
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CallOutput } from '../../../src-shared/contract/contract.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';
import { createCsr } from '../../../src-node/x509/certificationRequest.ts';
import type { AgentClient } from '../agentClient/agentClient.ts';
import type { CorePart } from '../endpoint/serve.ts';
import type { Session } from '../session/session.ts';
import { firstBootScript, hostAndPort } from './firstBootScript.ts';
import { withKeyInline } from './profileWithKey.ts';

export type ClientMachinesCall = 'clients.firstBoot' | 'clients.profile';

/** A script may wait in a launch template or an autoscaling group for a while; a profile's token is spent at once. */
export const SCRIPT_TOKEN_TTL_MS = 7 * 24 * 3_600_000;
export const PROFILE_TOKEN_TTL_MS = 10 * 60_000;

export interface ClientMachinesOptions {
  /** The overlay the application was started on; null when none is configured. */
  access: OverlayAccess | null;
  currentSession(): Session | undefined;
  /** A client of one node's agent, without a session: the enrollment a client VM makes. */
  clientFor(access: OverlayAccess, node: string): AgentClient;
  /** The first-boot script's template (readFirstBootTemplate). */
  template(): Promise<string>;
  /** The key a profile's client gets: P-256, as the overlay's own. */
  newKey?(): KeyObject;
}

type Refused = { ok: false; reason: string };
type Token = { token: string; id: string; usesLeft: number; expiresAt: number };

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

/** Where a client-machine call makes its token: see `at`. */
type Place = { ok: true; session: Session; access: OverlayAccess; node: string; scope: { rootId?: number } };

export function clientMachinesCore(options: ClientMachinesOptions): CorePart<ClientMachinesCall> {
  const newKey = options.newKey ?? p256;

  /**
   * The session and the root's access when a token can be made for it, and the token routes' scope: the entry root's own
   * tokens are made there, another root's the entry root grants it (an older agent takes no `rootId`); else why not.
   */
  const at = (rootId: number): Refused | Place => {
    const { access } = options;
    if (access === null) return { ok: false, reason: 'no overlay is configured: client machines join a deployed overlay' };
    const session = options.currentSession();
    if (session === undefined) return { ok: false, reason: 'log in first: enrollment tokens are made at the root for the administrator' };
    const node = rootNodeName(rootId);
    if (!Object.hasOwn(access.nodes, node)) return { ok: false, reason: `${node} is not in overlay "${access.name}" yet: deploy it first` };
    return { ok: true, session, access, node, scope: node === session.entry ? {} : { rootId } };
  };

  const makeToken = async ({ session, node, scope }: Place, request: { uses: number; ttlMs: number; label: string }): Promise<Refused | { ok: true; token: Token }> => {
    const made = await session.api.createEnrollmentToken({ ...request, ...scope });
    if (!made.ok) return { ok: false, reason: node === session.entry ? `${node} did not make an enrollment token: ${made.reason}` : `${session.entry} could not grant ${node} an enrollment token: ${made.reason}` };
    return { ok: true, token: made.answer };
  };

  return {
    handlers: {
      async 'clients.firstBoot'({ rootId, machines }): Promise<CallOutput<'clients.firstBoot'>> {
        const place = at(rootId);
        if (!place.ok) return place;
        const template = await options.template();
        const made = await makeToken(place, { uses: machines, ttlMs: SCRIPT_TOKEN_TTL_MS, label: `first-boot script, ${machines} machine${machines === 1 ? '' : 's'}` });
        if (!made.ok) return made;
        const { token } = made;
        const script = firstBootScript(template, { ...hostAndPort(place.access.nodes[place.node]!.url), node: place.node, token: token.token, controlCaPem: place.access.controlCaPem });
        return { ok: true, node: place.node, script, tokenId: token.id, machines: token.usesLeft, expiresAt: token.expiresAt };
      },
      async 'clients.profile'({ rootId }): Promise<CallOutput<'clients.profile'>> {
        const place = at(rootId);
        if (!place.ok) return place;
        const made = await makeToken(place, { uses: 1, ttlMs: PROFILE_TOKEN_TTL_MS, label: 'client profile' });
        if (!made.ok) return made;
        const key = newKey();
        const client = options.clientFor(place.access, place.node);
        try {
          const enrolled = await client.api.enroll({ token: made.token.token, csr: createCsr('raincoat-client', key), format: 'json' });
          if (!enrolled.ok || typeof enrolled.answer === 'string') {
            // The token was not spent: it goes, so that nothing able to enroll is left behind.
            await place.session.api.revokeEnrollmentToken({ id: made.token.id, ...place.scope });
            return { ok: false, reason: `${place.node} did not enroll the client: ${enrolled.ok ? 'it answered the profile as text, not the JSON asked for' : enrolled.reason}` };
          }
          const { name, node, profile } = enrolled.answer;
          return { ok: true, name, node, profile: withKeyInline(profile, key) };
        } finally {
          client.close();
        }
      },
    },
    subscribe: () => () => {},
  };
}
