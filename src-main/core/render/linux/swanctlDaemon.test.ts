// Loads rendered swanctl.conf files into a real charon (in a namespace of its own): strongSwan must accept every setting.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKeys, samplePlan } from '../testing/fixtureKeys.ts';
import { createLab, daemonsUnavailable, waitForFile, waitForText, type Lab } from '../testing/netnsLab.ts';
import { renderSwanctlConf } from './renderSwanctlConf.ts';

const CHARON = '/usr/lib/ipsec/charon';
const SWANCTL = '/usr/sbin/swanctl';
const unavailable = daemonsUnavailable([CHARON, SWANCTL, '/usr/bin/unshare']);
const plan = samplePlan('mesh');
const keys = await fixtureKeys(plan);

describe('rendered swanctl.conf loads into a real charon', () => {
  let lab: Lab | undefined;
  let dir = '';
  let namespace = '';

  beforeAll(async () => {
    if (unavailable) return;
    dir = mkdtempSync(join(tmpdir(), 'raincoat-render-swan-'));
    mkdirSync(join(dir, 'run'));
    // The plugin order matters: kernel-libipsec before kernel-netlink (see LAB-NOTES), and kdf for IKEv2 keys.
    writeFileSync(
      join(dir, 'strongswan.conf'),
      [
        'charon {',
        '  load = random nonce openssl kdf pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-libipsec kernel-netlink socket-default vici updown',
        '  filelog {',
        '    main {',
        `      path = ${dir}/charon.log`,
        '      default = 1',
        '      append = no',
        '      flush_line = yes',
        '    }',
        '  }',
        '  syslog {',
        '    daemon {',
        '      default = -1',
        '    }',
        '  }',
        '}',
        `swanctl { socket = unix://${dir}/run/charon.vici }`,
        '',
      ].join('\n'),
    );
    lab = createLab('rcs');
    namespace = lab.namespace('swan');
    // charon's pid file and socket are compiled in under /run, so it gets a private /run.
    lab.start(namespace, '/usr/bin/unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind ${dir}/run /run && exec ${CHARON}`], {
      STRONGSWAN_CONF: join(dir, 'strongswan.conf'),
    });
    await waitForText(join(dir, 'charon.log'), /loaded plugins/, 10_000);
    await waitForFile(join(dir, 'run', 'charon.vici'), 10_000);
  }, 30_000);

  afterAll(async () => {
    await lab?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.for(plan.roots.map((r) => r.rootId))('root %i: every connection and secret loads', (rootId, ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    const swanctlDir = join(dir, `root-${rootId}`);
    for (const sub of ['x509', 'x509ca', 'x509crl', 'private', 'pubkey', 'rsa', 'ecdsa', 'pkcs8', 'pkcs12', 'x509ocsp', 'x509aa', 'x509ac', 'bliss']) {
      mkdirSync(join(swanctlDir, sub), { recursive: true });
    }
    writeFileSync(join(swanctlDir, 'swanctl.conf'), renderSwanctlConf(plan, rootId, keys), { mode: 0o600 });
    const out = lab!.exec(namespace, 'env', [`STRONGSWAN_CONF=${join(dir, 'strongswan.conf')}`, `SWANCTL_DIR=${swanctlDir}`, SWANCTL, '--load-all', '--noprompt']);
    const tunnels = plan.tunnels.filter((t) => t.a === rootId || t.b === rootId).map((t) => t.name);
    for (const name of tunnels) {
      expect(out).toContain(`loaded ike secret 'ike-${name}'`);
      expect(out).toContain(`loaded connection '${name}'`);
    }
    expect(out).toContain(`successfully loaded ${tunnels.length} connections`);
    expect(out).not.toMatch(/fail|error|invalid|unknown/i);
    const conns = lab!.exec(namespace, 'env', [`STRONGSWAN_CONF=${join(dir, 'strongswan.conf')}`, SWANCTL, '--list-conns']);
    for (const name of tunnels) expect(conns).toMatch(new RegExp(`${name}: IKEv2`));
    expect(conns).toMatch(/local:\s+%any|local:\s+203\.0\.0\.\d+/);
  });
});
