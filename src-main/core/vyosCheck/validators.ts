// The VyOS value validators Raincoat's generated settings meet, reimplemented; any other validator is unknown.
import { isIPv6 } from 'node:net';
import { blockSize, parseIpv4 } from '../../../src-shared/net/ipv4.ts';

/** true/false for a validator implemented here; 'unknown' for any other (which then never passes a check). */
export type ValidatorResult = boolean | 'unknown';

interface Cidr {
  family: 4 | 6;
  /** IPv4 only: host bits are all zero. */
  isNetwork: boolean;
}

function parseCidr(value: string): Cidr | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const address = value.slice(0, slash);
  const lengthText = value.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return length <= 32 ? { family: 4, isNetwork: v4 % blockSize(length) === 0 } : undefined;
  if (isIPv6(address) && length <= 128) return { family: 6, isNetwork: ipv6HostBitsZero(address, length) };
  return undefined;
}

function ipv6HostBitsZero(address: string, length: number): boolean {
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  const bits = all.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
  return !bits.slice(length).includes('1');
}

const isV4 = (v: string) => parseIpv4(v) !== undefined;
const isV6 = (v: string) => isIPv6(v) && !v.includes('%');

function numeric(args: string[], value: string): ValidatorResult {
  const ranges: [number, number][] = [];
  let allowRange = false;
  let nonNegative = false;
  let positive = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--range') {
      const m = /^(\d+)-(\d+)$/.exec(args[++i] ?? '');
      if (!m) return 'unknown';
      ranges.push([Number(m[1]), Number(m[2])]);
    } else if (arg === '--allow-range') allowRange = true;
    else if (arg === '--non-negative') nonNegative = true;
    else if (arg === '--positive') positive = true;
    else return 'unknown';
  }
  const inBounds = (n: number) =>
    (ranges.length === 0 || ranges.some(([lo, hi]) => n >= lo && n <= hi)) && (!nonNegative || n >= 0) && (!positive || n > 0);
  const m = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!m) return false;
  if (m[2] !== undefined) return allowRange && Number(m[1]) <= Number(m[2]) && inBounds(Number(m[1])) && inBounds(Number(m[2]));
  return inBounds(Number(m[1]));
}

const FQDN_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function fqdn(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => FQDN_LABEL.test(label));
}

function base64(value: string): boolean {
  return value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

const IP_PROTOCOL_NAMES = new Set(['all', 'ip', 'icmp', 'igmp', 'tcp', 'udp', 'gre', 'esp', 'ah', 'ipv6-icmp', 'ospf', 'pim', 'vrrp', 'sctp', 'tcp_udp']);

function ipProtocol(value: string): boolean {
  const name = value.startsWith('!') ? value.slice(1) : value;
  if (/^(0|[1-9]\d{0,2})$/.test(name)) return Number(name) <= 255;
  return IP_PROTOCOL_NAMES.has(name);
}

/** VyOS's port-multi: comma-separated ports and ranges (`500,4500`, `!22`, `1000-2000`); a service name (checked against /etc/services there) cannot be vouched for here. */
function portMulti(value: string): ValidatorResult {
  const inRange = (text: string) => Number(text) >= 1 && Number(text) <= 65_535;
  let result: ValidatorResult = true;
  for (const item of value.split(',').map((p) => (p.startsWith('!') ? p.slice(1) : p))) {
    const range = /^(\d{1,5})-(\d{1,5})$/.exec(item);
    if (range) {
      if (!inRange(range[1]!) || !inRange(range[2]!) || Number(range[1]) > Number(range[2])) return false;
    } else if (/^\d+$/.test(item)) {
      if (!inRange(item)) return false;
    } else if (/^[a-z][a-z0-9-]*$/.test(item)) result = 'unknown';
    else return false;
  }
  return result;
}

const VALIDATORS: Record<string, (args: string[], value: string) => ValidatorResult> = {
  numeric,
  'ipv4-address': (_, v) => isV4(v),
  'ipv6-address': (_, v) => isV6(v),
  'ip-address': (_, v) => isV4(v) || isV6(v),
  ipv4: (_, v) => isV4(v) || parseCidr(v)?.family === 4,
  ipv6: (_, v) => isV6(v) || parseCidr(v)?.family === 6,
  'ipv4-prefix': (_, v) => {
    const c = parseCidr(v);
    return c?.family === 4 && c.isNetwork;
  },
  'ipv6-prefix': (_, v) => {
    const c = parseCidr(v);
    return c?.family === 6 && c.isNetwork;
  },
  'ip-prefix': (_, v) => parseCidr(v)?.isNetwork === true,
  'ipv4-host': (_, v) => {
    const c = parseCidr(v);
    return c?.family === 4 && !c.isNetwork;
  },
  'ip-host': (_, v) => {
    const c = parseCidr(v);
    return c !== undefined && !c.isNetwork;
  },
  fqdn: (_, v) => fqdn(v),
  base64: (_, v) => base64(v),
  'ip-protocol': (_, v) => ipProtocol(v),
  'port-multi': (_, v) => portMulti(v),
};

/**
 * Runs a validator as the reference tree names it: `name` may carry arguments itself
 * (`file-path --lookup-path /sys/class/net --directory`), and `argument` holds the rest.
 */
export function runValidator(name: string, argument: string | undefined, value: string): ValidatorResult {
  const [program = '', ...nameArgs] = name.trim().split(/\s+/);
  const args = [...nameArgs, ...(argument ? argument.trim().split(/\s+/) : [])];
  const validator = VALIDATORS[program];
  return validator ? validator(args, value) : 'unknown';
}

