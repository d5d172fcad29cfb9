// Checks whether this machine can run lab tests (root, network namespaces, TUN, the daemons), and skips a test loudly when not.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeRunId } from './runId.ts';
import { binary, findBinary, runSync } from './run.ts';
import { CHARON_PATH, IPSEC_PLUGIN_DIR } from './strongswan.ts';

/** What a test needs beyond network namespaces. */
export type LabFeature = 'strongswan' | 'openvpn' | 'openssl' | 'nftables';
export type LabAvailability = { ok: true } | { ok: false; missing: string[] };

const DEFAULT_FEATURES: readonly LabFeature[] = ['strongswan', 'openvpn', 'openssl'];
const cache = new Map<string, LabAvailability>();

/** Whether lab tests needing `features` (default: the daemons and openssl) can run here; `missing` says what is not there, in words. */
export function labAvailable(features: readonly LabFeature[] = DEFAULT_FEATURES): LabAvailability {
  const key = [...features].sort().join(',');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const missing = [...new Set([...baseMissing(), ...features.flatMap(featureMissing)])];
  const result: LabAvailability = missing.length === 0 ? { ok: true } : { ok: false, missing };
  cache.set(key, result);
  return result;
}

/** The part of vitest's test context used here (`ctx.skip`). */
export interface SkippableContext {
  skip(note?: string): never;
}

/** Skips the running test, with the reason printed and in vitest's report, unless the lab can run here. */
export function skipUnlessLab(ctx: SkippableContext, features?: readonly LabFeature[]): void {
  const availability = labAvailable(features);
  if (availability.ok) return;
  const reason = `lab test skipped: ${availability.missing.join('; ')}`;
  console.warn(reason);
  ctx.skip(reason);
}

function baseMissing(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return ['Linux (network namespaces)'];
  if (process.getuid?.() !== 0) missing.push('root (the lab creates network namespaces)');
  for (const name of ['ip', 'unshare', 'ping', 'sh']) if (findBinary(name) === null) missing.push(`executable ${name}`);
  if (missing.length === 0) {
    const problem = netnsProblem();
    if (problem !== null) missing.push(`working "ip netns" (${problem})`);
  }
  return missing;
}

/** Creates and deletes a throw-away namespace; its name carries this process's run prefix, so a crash here is swept later. */
function netnsProblem(): string | null {
  const ns = `${makeRunId(process.pid)}-probe`;
  const ip = binary('ip');
  const added = runSync([ip, 'netns', 'add', ns], { allowFailure: true });
  if (added.code !== 0) return (added.stderr || added.stdout).trim() || `exit code ${added.code}`;
  runSync([ip, 'netns', 'del', ns], { allowFailure: true });
  return null;
}

function featureMissing(feature: LabFeature): string[] {
  switch (feature) {
    case 'openvpn':
      return [
        ...(findBinary('openvpn') === null ? ['executable openvpn'] : []),
        ...(isCharDevice('/dev/net/tun') ? [] : ['/dev/net/tun']),
      ];
    case 'strongswan':
      return [
        ...(existsSync(CHARON_PATH) ? [] : [CHARON_PATH]),
        ...(findBinary('swanctl') === null ? ['executable swanctl'] : []),
        ...['kernel-libipsec', 'kdf', 'vici']
          .map((plugin) => join(IPSEC_PLUGIN_DIR, `libstrongswan-${plugin}.so`))
          .filter((path) => !existsSync(path))
          .map((path) => `strongSwan plugin ${path}`),
        ...(isCharDevice('/dev/net/tun') ? [] : ['/dev/net/tun (kernel-libipsec)']),
      ];
    case 'openssl':
      return findBinary('openssl') === null ? ['executable openssl'] : [];
    case 'nftables':
      return findBinary('nft') === null ? ['executable nft (Debian package nftables), for NAT in the lab'] : [];
  }
}

function isCharDevice(path: string): boolean {
  try {
    return statSync(path).isCharacterDevice();
  } catch {
    return false;
  }
}
