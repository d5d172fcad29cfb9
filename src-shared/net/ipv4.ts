// IPv4 address and prefix arithmetic on unsigned 32-bit integers, shared by validation, the planner and renderers.

/** An IPv4 prefix as numbers: `base` is the network address (host bits zero). */
export interface Prefix {
  readonly base: number;
  readonly length: number;
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted-quad literal (no leading zeros beyond "0", octets 0–255); undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** An address with a prefix length, as written `a.b.c.d/n`: unlike a `Prefix`, host bits may be set (`10.1.2.0/16`). */
export interface Cidr {
  readonly address: number;
  readonly length: number;
}

/** Parses `a.b.c.d/n` with n from 0 to 32, host bits set or not; undefined when the text is not written so. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  return length > 32 ? undefined : { address, length };
}

/** Parses `a.b.c.d/n`; undefined when the text is not a prefix or has host bits set. */
export function parsePrefix(text: string): Prefix | undefined {
  const cidr = parseCidr(text);
  if (cidr === undefined || networkOf(cidr) !== cidr.address) return undefined;
  return { base: cidr.address, length: cidr.length };
}

/** The first address of the prefix of this length that holds the address: its host bits cleared. */
export function networkOf(cidr: Cidr): number {
  return cidr.address - (cidr.address % blockSize(cidr.length));
}

export function formatPrefix(prefix: Prefix): string {
  return `${formatIpv4(prefix.base)}/${prefix.length}`;
}

/** Number of addresses in a prefix of this length. */
export function blockSize(length: number): number {
  return 2 ** (32 - length);
}

export function prefixContains(outer: Prefix, address: number): boolean {
  return address >= outer.base && address < outer.base + blockSize(outer.length);
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return a.base < b.base + blockSize(b.length) && b.base < a.base + blockSize(a.length);
}

/** The dotted netmask of a prefix length, as OpenVPN's `server` directive wants it. */
export function netmask(length: number): string {
  return formatIpv4(length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0);
}
