// Parses `swanctl --pretty` output (vici messages printed one item per line): the IKE and CHILD SAs of `--list-sas`, the
// connections of `--list-conns`. The agent reads its tunnels' states from them; the lab reads its charons'.

export type ViciValue = string | string[] | ViciSection;
export interface ViciSection {
  [key: string]: ViciValue;
}
/** One top-level message, e.g. `list-sa event { … }`. */
export interface ViciMessage {
  name: string;
  body: ViciSection;
}

export interface ChildSa {
  /** Child configuration name ("net"). */
  name: string;
  /** Its key in the listing, name and unique id ("net-2"). */
  key: string;
  uniqueid: number;
  reqid: number;
  state: string;
  mode: string;
  protocol: string;
  encap: boolean;
  spiIn: string;
  spiOut: string;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  localTs: string[];
  remoteTs: string[];
  raw: ViciSection;
}

export interface IkeSa {
  /** Connection name. */
  name: string;
  uniqueid: number;
  version: number;
  state: string;
  localHost: string;
  localPort: number;
  localId: string;
  remoteHost: string;
  remotePort: number;
  remoteId: string;
  initiator: boolean;
  /** strongSwan detected NAT on the peer's side (always so under kernel-libipsec, which forces UDP encapsulation). */
  natRemote: boolean;
  children: ChildSa[];
  raw: ViciSection;
}

/** Splits pretty output into its messages; throws on a line it does not understand. */
export function parsePretty(text: string): ViciMessage[] {
  const messages: ViciMessage[] = [];
  const stack: ViciSection[] = [];
  let list: string[] | null = null;
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '') continue;
    const where = `swanctl output line ${index + 1} ${JSON.stringify(rawLine)}`;
    const top = stack[stack.length - 1];
    if (list !== null) {
      if (line === ']') list = null;
      else list.push(line);
    } else if (line === '}') {
      if (stack.pop() === undefined) throw new Error(`${where} closes nothing`);
    } else if (line.endsWith(' {')) {
      const section: ViciSection = {};
      const name = line.slice(0, -2);
      if (top === undefined) messages.push({ name, body: section });
      else top[name] = section;
      stack.push(section);
    } else {
      const kv = /^(\S+) =(?: (.*))?$/.exec(line);
      const key = kv?.[1];
      if (key === undefined) throw new Error(`${where} is not a section, value or list`);
      if (top === undefined) throw new Error(`${where} stands outside any message`);
      const value = kv?.[2] ?? '';
      if (value === '[') top[key] = list = [];
      else top[key] = value;
    }
  }
  if (stack.length > 0 || list !== null) throw new Error('swanctl output ends inside a section');
  return messages;
}

/** The IKE SAs (with their CHILD SAs) in `swanctl --list-sas --pretty` output. */
export function parseListSas(text: string): IkeSa[] {
  const sas: IkeSa[] = [];
  for (const message of parsePretty(text)) {
    if (message.name !== 'list-sa event') continue;
    for (const [name, value] of Object.entries(message.body)) {
      if (!isSection(value)) continue;
      const childSections = value['child-sas'];
      sas.push({
        name,
        uniqueid: num(value, 'uniqueid'),
        version: num(value, 'version'),
        state: str(value, 'state'),
        localHost: str(value, 'local-host'),
        localPort: num(value, 'local-port'),
        localId: str(value, 'local-id'),
        remoteHost: str(value, 'remote-host'),
        remotePort: num(value, 'remote-port'),
        remoteId: str(value, 'remote-id'),
        initiator: str(value, 'initiator') === 'yes',
        natRemote: str(value, 'nat-remote') === 'yes',
        children: isSection(childSections)
          ? Object.entries(childSections).flatMap(([key, child]) => (isSection(child) ? [toChildSa(key, child)] : []))
          : [],
        raw: value,
      });
    }
  }
  return sas;
}

/** The names of the connections loaded, in `swanctl --list-conns --pretty` output. */
export function parseListConns(text: string): string[] {
  return parsePretty(text)
    .filter((message) => message.name === 'list-conn event')
    .flatMap((message) => Object.entries(message.body).flatMap(([name, value]) => (isSection(value) ? [name] : [])));
}

function toChildSa(key: string, s: ViciSection): ChildSa {
  return {
    name: str(s, 'name'),
    key,
    uniqueid: num(s, 'uniqueid'),
    reqid: num(s, 'reqid'),
    state: str(s, 'state'),
    mode: str(s, 'mode'),
    protocol: str(s, 'protocol'),
    encap: str(s, 'encap') === 'yes',
    spiIn: str(s, 'spi-in'),
    spiOut: str(s, 'spi-out'),
    bytesIn: num(s, 'bytes-in'),
    bytesOut: num(s, 'bytes-out'),
    packetsIn: num(s, 'packets-in'),
    packetsOut: num(s, 'packets-out'),
    localTs: strs(s, 'local-ts'),
    remoteTs: strs(s, 'remote-ts'),
    raw: s,
  };
}

function isSection(v: ViciValue | undefined): v is ViciSection {
  return typeof v === 'object' && !Array.isArray(v);
}

function str(s: ViciSection, key: string): string {
  const v = s[key];
  return typeof v === 'string' ? v : '';
}

/** A missing number reads as NaN, so that comparing it fails loudly. */
function num(s: ViciSection, key: string): number {
  const v = s[key];
  return typeof v === 'string' && v !== '' ? Number(v) : NaN;
}

function strs(s: ViciSection, key: string): string[] {
  const v = s[key];
  return Array.isArray(v) ? v : [];
}
