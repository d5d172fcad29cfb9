// A throw-away ECDSA P-256 PKI made with the openssl command (LAB-NOTES recipe): a CA, one server and some client certificates.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary, run } from './run.ts';

export interface OpensslPkiOptions {
  /** Common name of the server certificate; default "server". */
  server?: string;
  /** Common names of client certificates; default ["client1"]. */
  clients?: readonly string[];
}

const EXTENSIONS = (eku: string): string =>
  `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${eku}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`;

/**
 * Makes the PKI in `workDir` and returns its files by name: `ca.crt`, and `<cn>.crt` / `<cn>.key` for the server and each
 * client, ready to hand to `lab.startOpenvpn` as files. Keys are written with mode 0600.
 */
export async function makeOpensslPki(workDir: string, options: OpensslPkiOptions = {}): Promise<Record<string, string>> {
  const openssl = binary('openssl');
  const server = options.server ?? 'server';
  const clients = options.clients ?? ['client1'];
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const at = (name: string): string => join(workDir, name);
  const newKey = async (name: string): Promise<void> => {
    await run([openssl, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', at(`${name}.key`)]);
    chmodSync(at(`${name}.key`), 0o600);
  };

  await newKey('ca');
  await run([
    openssl, 'req', '-x509', '-new', '-key', at('ca.key'), '-sha256', '-days', '2', '-subj', '/CN=lab-ca', '-out', at('ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const issue = async (cn: string, eku: 'serverAuth' | 'clientAuth'): Promise<void> => {
    await newKey(cn);
    await run([openssl, 'req', '-new', '-key', at(`${cn}.key`), '-subj', `/CN=${cn}`, '-out', at(`${cn}.csr`)]);
    writeFileSync(at(`${cn}.ext`), EXTENSIONS(eku));
    await run([
      openssl, 'x509', '-req', '-in', at(`${cn}.csr`), '-CA', at('ca.crt'), '-CAkey', at('ca.key'),
      '-set_serial', `0x${randomBytes(16).toString('hex')}`,
      '-sha256', '-days', '2', '-extfile', at(`${cn}.ext`), '-out', at(`${cn}.crt`),
    ]);
  };
  await Promise.all([issue(server, 'serverAuth'), ...clients.map((cn) => issue(cn, 'clientAuth'))]);

  const files: Record<string, string> = { 'ca.crt': readFileSync(at('ca.crt'), 'utf8') };
  for (const cn of [server, ...clients]) {
    files[`${cn}.crt`] = readFileSync(at(`${cn}.crt`), 'utf8');
    files[`${cn}.key`] = readFileSync(at(`${cn}.key`), 'utf8');
  }
  return files;
}
