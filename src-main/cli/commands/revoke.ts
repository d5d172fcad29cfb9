// `raincoat revoke LEAF|CLIENT`: puts a leaf's or a client's certificates on its root's CRL in the overlay's kept keys;
// the next `raincoat deploy` carries the CRL to every server of that cloud and gives a revoked leaf new certificates.
// Only the overlay's audit trail hears of it now, in a session of the command's own.
import { parseRevocable } from '../../core/keyHygiene/revokeCertificate.ts';
import { revokeInState } from '../../core/keyHygiene/revokeInState.ts';
import { count } from '../../../src-shared/text/count.ts';
import type { Command } from './command.ts';
import { KEPT_KEYS_USAGE, keptKeysCommand, processKeptKeysDeps } from './keptKeysCommand.ts';
import type { KeptKeysDeps } from './keptKeysCommand.ts';

const USAGE = `Usage: raincoat revoke LEAF|CLIENT [--access FILE] [--user USER] [--state DIR]

Revokes a leaf's certificates (leaf-1-2: its server certificate for client VMs and its uplink client certificate) or
a client's (client-1-3, when the overlay's kept keys hold it) with its root's OpenVPN CA: the serials go on that CA's
CRL in the kept keys, and the next "raincoat deploy" carries the CRL to every server that trusts the CA (the root's
uplink server, each of its leaves' client servers), gives a revoked leaf new certificates, and shows both in its plan.
The leaf must be in the topology last deployed from this state folder. Nothing reaches the nodes until that deploy;
the revocation is recorded at once in the overlay's audit trail, in a session at the entry root (logged in and out as
status does).
Options:
${KEPT_KEYS_USAGE}
Exit 0 when the certificates are revoked (or a leaf's already were) and recorded; 1 when there is no such leaf or
client, the overlay's state cannot be read, the login is refused or the audit trail does not take the record; 2 for a
usage problem, or an access file or a password that cannot be found.`;

export function createRevokeCommand(deps: KeptKeysDeps): Command {
  return keptKeysCommand(
    {
      name: 'revoke',
      summary: "revoke a leaf's or a client's certificates at the next deploy",
      usage: USAGE,
      arguments: 1,
      target([name]) {
        if (name === undefined) return { ok: false, message: 'expected a leaf or a client to revoke' };
        const what = parseRevocable(name);
        return what === undefined ? { ok: false, message: `${JSON.stringify(name)} is neither a leaf (leaf-1-2) nor a client (client-1-3)` } : { ok: true, target: what };
      },
      edit: revokeInState,
      audit: ({ rootId, revoked }, { name }) => ({ kind: 'certificate-revoked', subject: name, rootId, revoked }),
      done({ rootId, revoked }, { kind, name }) {
        const leafToo = kind === 'leaf' ? ` and gives ${name} new certificates` : '';
        return revoked === 0
          ? `${name}: its certificates were already revoked; the next "raincoat deploy" carries root-${rootId}'s CRL${leafToo}`
          : `${name}: ${count(revoked, 'certificate')} revoked by root-${rootId}'s CA; the next "raincoat deploy" carries its CRL to root-${rootId} and its leaves${leafToo}`;
      },
    },
    deps,
  );
}

export const revokeCommand = createRevokeCommand(processKeptKeysDeps);
