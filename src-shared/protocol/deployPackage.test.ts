import { describe, expect, it } from 'vitest';
import { utf8DecodeStrict } from '../crypto/base64.ts';
import { importOpeningKey, openSealed, SealError } from '../crypto/seal.ts';
import {
  buildDeployPackage,
  computeDeployDigest,
  DEFAULT_CONFIRM_DEADLINE_MS,
  DeployPackageError,
  isVyosCommandLine,
  parseDeployPackage,
  sealingTopology,
  secretContext,
  secretReferences,
  substituteSecrets,
  verifyDeployDigest,
  type DeployPackage,
  type DeployPackageInput,
} from './deployPackage.ts';

async function identity() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    spki: new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)),
    pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
}

const PSK = 'psk-0123456789abcdef0123456789abcdef0123456789abcdef01234567';

async function sample(overrides: Partial<DeployPackageInput> = {}) {
  const root1 = await identity();
  const root2 = await identity();
  const input: DeployPackageInput = {
    topologyId: '2026-01-02T03:04:05.000Z',
    createdAt: '2026-01-02T03:04:05.000Z',
    entryRootId: 1,
    nodes: {
      'root-1': {
        backend: 'linux',
        files: { 'swanctl/swanctl.conf': 'connections {}\nsecrets { ike { secret = "{{secret:swanctl/psk}}" } }\n' },
        secrets: { 'swanctl/psk': PSK },
      },
      'root-2': {
        backend: 'vyos',
        files: {},
        commands: ["set vpn ipsec authentication psk tunnel-1-2 secret '{{secret:psk}}'", 'delete vpn ipsec site-to-site peer old'],
        secrets: { psk: PSK },
      },
    },
    identityKeys: { 'root-1': root1.spki, 'root-2': root2.spki },
    removed: { nodes: ['root-3'], tunnels: [{ a: 1, b: 3 }] },
    ...overrides,
  };
  return { pkg: await buildDeployPackage(input), root1, root2 };
}

describe('buildDeployPackage', () => {
  it('builds a package that parses, carries its digest and the default deadline, and holds no plaintext secret', async () => {
    const { pkg } = await sample();
    expect(parseDeployPackage(JSON.parse(JSON.stringify(pkg)))).toEqual({ ok: true, package: pkg });
    expect(await verifyDeployDigest(pkg)).toBe(true);
    expect(pkg.deadlineMs).toBe(DEFAULT_CONFIRM_DEADLINE_MS);
    expect(JSON.stringify(pkg)).not.toContain(PSK);
    expect(pkg.removed).toEqual({ nodes: ['root-3'], tunnels: [{ a: 1, b: 3 }] });
  });

  it('seals each secret to its own node, for its own path', async () => {
    const { pkg, root1, root2 } = await sample();
    const blob = pkg.nodes['root-1']?.sealedSecrets['swanctl/psk'];
    if (!blob) throw new Error('missing blob');
    const key1 = await importOpeningKey(root1.pkcs8);
    const plain = await openSealed(blob, key1, secretContext(pkg.topologyId, 'root-1', 'swanctl/psk'));
    expect(utf8DecodeStrict(plain)).toBe(PSK);
    await expect(openSealed(blob, await importOpeningKey(root2.pkcs8), secretContext(pkg.topologyId, 'root-1', 'swanctl/psk'))).rejects.toThrow(SealError);
    await expect(openSealed(blob, key1, secretContext(pkg.topologyId, 'root-1', 'other/path'))).rejects.toThrow(/does not open/);
    await expect(openSealed(blob, key1, secretContext('another-deploy', 'root-1', 'swanctl/psk'))).rejects.toThrow(/does not open/);
  });

  it('carries a part sealed for an earlier deploy as it is, under the digest, and it still opens for that deploy', async () => {
    const { pkg: earlier, root1 } = await sample();
    const carried = earlier.nodes['root-1']!;
    expect(carried.sealedIn).toBe(earlier.topologyId);
    const { pkg } = await sample({ topologyId: '2026-01-03T00:00:00.000Z', sealedParts: { 'root-1': carried }, nodes: { 'root-2': { backend: 'linux', files: {} } } });
    expect(pkg.nodes['root-1']).toEqual(carried);
    expect(pkg.nodes['root-2']!.sealedIn).toBe('2026-01-03T00:00:00.000Z');
    expect(await verifyDeployDigest(pkg)).toBe(true);
    const blob = pkg.nodes['root-1']!.sealedSecrets['swanctl/psk']!;
    const key1 = await importOpeningKey(root1.pkcs8);
    expect(utf8DecodeStrict(await openSealed(blob, key1, secretContext(sealingTopology(pkg.nodes['root-1']!, pkg.topologyId), 'root-1', 'swanctl/psk')))).toBe(PSK);
    await expect(openSealed(blob, key1, secretContext(pkg.topologyId, 'root-1', 'swanctl/psk'))).rejects.toThrow(/does not open/);
    await expect(sample({ sealedParts: { 'root-1': carried } })).rejects.toThrow(/root-1: both sealed before and to be sealed/);
  });

  it('refuses a node with secrets but no identity key, and invalid content', async () => {
    await expect(sample({ identityKeys: {} })).rejects.toThrow(DeployPackageError);
    const error = await sample({ nodes: { 'root-1': { backend: 'linux', files: { '../etc/passwd': 'x' } } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployPackageError);
    expect((error as DeployPackageError).problems.join('\n')).toMatch(/nodes\.root-1\.files\.\.\.\/etc\/passwd/);
  });
});

describe('the overlay a package carries', () => {
  const overlay = {
    topology: {
      roots: [
        { id: 1, name: 'one', internetAddress: '198.51.100.1', overlay: '10.1.0.0/16', maxClients: 100 },
        { id: 2, name: 'two', internetAddress: '198.51.100.2', overlay: '10.2.0.0/16', maxClients: 100 },
      ],
      tunnels: [{ a: 1, b: 2 }],
    },
    agentPort: 7443,
  };

  it('is null when none is given, and carried (under the digest) when one is', async () => {
    expect((await sample()).pkg.overlay).toBeNull();
    const { pkg } = await sample({ overlay });
    expect(pkg.overlay).toEqual(overlay);
    expect(parseDeployPackage(JSON.parse(JSON.stringify(pkg)))).toEqual({ ok: true, package: pkg });
    expect(await verifyDeployDigest({ ...pkg, overlay: { ...overlay, agentPort: 7444 } })).toBe(false);
  });

  it('must be a valid topology', async () => {
    const broken = { ...overlay, topology: { ...overlay.topology, tunnels: [{ a: 1, b: 3 }] } };
    const error = await sample({ overlay: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployPackageError);
    expect((error as DeployPackageError).problems.join('\n')).toMatch(/overlay\.topology: tunnels\[0\]\.b: root 3 does not exist/);
  });

  it('is checked whole each time, however often the same valid one came before', async () => {
    const { pkg } = await sample({ overlay });
    for (let i = 0; i < 3; i++) expect(parseDeployPackage(JSON.parse(JSON.stringify(pkg))).ok).toBe(true);
    const duplicate = { ...overlay.topology, roots: [overlay.topology.roots[0], { ...overlay.topology.roots[1], overlay: '10.1.0.0/16' }] };
    const parsed = parseDeployPackage({ ...JSON.parse(JSON.stringify(pkg)), overlay: { ...overlay, topology: duplicate } });
    expect(parsed.ok).toBe(false);
  });
});

describe('digest', () => {
  it('does not depend on key order and changes with any content', async () => {
    const { pkg } = await sample();
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reordered = reverseKeys(pkg) as DeployPackage;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(pkg));
    expect(await computeDeployDigest(reordered)).toBe(pkg.digest);
    const tampered: DeployPackage = structuredClone(pkg);
    tampered.nodes['root-1']!.files['swanctl/swanctl.conf'] += '# changed\n';
    expect(await verifyDeployDigest(tampered)).toBe(false);
    expect(await verifyDeployDigest({ ...pkg, deadlineMs: pkg.deadlineMs + 1 })).toBe(false);
  });
});

/** A package as received off the wire, loosely typed so the cases below can break it. */
interface WirePackage {
  nodes: Record<string, { backend: string; files: Record<string, string>; commands?: string[]; sealedSecrets: Record<string, { epk: string }> }>;
  removed: { nodes: string[]; tunnels: { a: number; b: number }[] };
  deadlineMs?: number;
  digest: string;
  extra?: number;
}

describe('parseDeployPackage', () => {
  const base = async () => JSON.parse(JSON.stringify((await sample()).pkg)) as WirePackage;

  it.each<[string, (p: WirePackage) => void, RegExp]>([
    ['a path that climbs out', (p) => (p.nodes['root-1']!.files['../x'] = ''), /nodes\.root-1\.files\.\.\.\/x: expected a relative path/],
    ['an absolute path', (p) => (p.nodes['root-1']!.files['/etc/x'] = ''), /expected a relative path/],
    ['a hidden file', (p) => (p.nodes['root-1']!.files['.raincoat-commands'] = ''), /expected a relative path/],
    ['commands on a linux node', (p) => (p.nodes['root-1']!.commands = ['set a b']), /commands: only a vyos node/],
    ['a shell command smuggled into a VyOS line', (p) => (p.nodes['root-2']!.commands = ['set a b; rm -rf /']), /expected a VyOS line/],
    ['a reference to a missing secret', (p) => (p.nodes['root-1']!.files['a.conf'] = '{{secret:nope}}'), /references unknown secret "nope"/],
    ['a file that is also a secret', (p) => (p.nodes['root-1']!.files['swanctl/psk'] = ''), /is also a sealed secret/],
    ['a removed node that is also deployed', (p) => p.removed.nodes.push('root-1'), /removed\.nodes\[1\]: root-1 is also deployed/],
    ['a tunnel from a root to itself', (p) => p.removed.tunnels.push({ a: 2, b: 2 }), /two different roots/],
    ['a missing deadline', (p) => delete p.deadlineMs, /deadlineMs/],
    ['a deadline too short', (p) => (p.deadlineMs = 500), /deadlineMs/],
    ['a malformed digest', (p) => (p.digest = 'md5:00'), /digest: expected sha256/],
    ['an unknown backend', (p) => (p.nodes['root-1']!.backend = 'junos'), /backend/],
    ['an unknown field', (p) => (p.extra = 1), /extra|Unrecognized/i],
    ['a damaged sealed blob', (p) => (p.nodes['root-1']!.sealedSecrets['swanctl/psk']!.epk = 'short'), /epk: expected an uncompressed P-256 point/],
  ])('reports %s', async (_name, mutate, problem) => {
    const pkg = await base();
    mutate(pkg);
    const result = parseDeployPackage(pkg);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(problem);
  });
});

describe('isVyosCommandLine', () => {
  it.each([
    ['set interfaces openvpn vtun10 mode server', true],
    ["set interfaces openvpn vtun10 description 'Raincoat; leaf $1 `x` | y'", true],
    ['delete vpn ipsec site-to-site peer 192.0.2.2', true],
    ["set pki ca raincoat-1 certificate 'MIIB+/=='", true],
    ['show interfaces', false],
    ['set', false],
    ['set a  b', false],
    ['set a b; reboot', false],
    ['set a $(id)', false],
    ['set a `id`', false],
    ["set a 'unterminated", false],
    ["set a 'line\nbreak'", false],
    ['set a b\nrun reboot', false],
    ['set a "double"', false],
  ])('%j → %s', (line, ok) => {
    expect(isVyosCommandLine(line)).toBe(ok);
  });
});

describe('secret references', () => {
  it('finds and substitutes references, and refuses unknown ones', () => {
    const text = 'a={{secret:x/y}} b={{secret:z}}';
    expect(secretReferences(text)).toEqual(['x/y', 'z']);
    expect(substituteSecrets(text, new Map([['x/y', '1'], ['z', '$&2']]))).toBe('a=1 b=$&2');
    expect(() => substituteSecrets(text, new Map([['z', '2']]))).toThrow(/unknown secret "x\/y"/);
  });
});
