import { describe, expect, it } from 'vitest';
import { parseListConns, parseListSas, parsePretty } from './swanctlPretty.ts';

// Output of `swanctl --list-sas --pretty` from strongSwan 5.9.8 with kernel-libipsec (shortened to one IKE_SA per event).
const LIST_SAS = `list-sa event {
  s2s {
    uniqueid = 2
    version = 2
    state = ESTABLISHED
    local-host = 192.0.2.1
    local-port = 4500
    local-id = a.lab.test
    remote-host = 192.0.2.2
    remote-port = 4500
    remote-id = C=CH, O=lab, CN=b
    initiator = yes
    nat-remote = yes
    child-sas {
      net-2 {
        name = net
        uniqueid = 2
        reqid = 1
        state = INSTALLED
        mode = TUNNEL
        protocol = ESP
        encap = yes
        spi-in = 81c3726e
        spi-out = 11c68923
        bytes-in = 84
        packets-in = 1
        bytes-out = 168
        packets-out = 2
        local-ts = [
          10.1.0.0/24
        ]
        remote-ts = [
          10.2.0.0/24
          10.3.0.0/24
        ]
      }
    }
  }
}
list-sa event {
  other {
    uniqueid = 3
    version = 2
    state = CONNECTING
    local-host = 192.0.2.1
    local-port = 500
    local-id = a.lab.test
    remote-host = 192.0.2.3
    remote-port = 500
    remote-id = %any
    initiator = yes
    child-sas {
    }
  }
}
list-sas reply {
}
`;

describe('parseListSas', () => {
  const sas = parseListSas(LIST_SAS);

  it('reads every IKE_SA of every event', () => {
    expect(sas.map((s) => [s.name, s.uniqueid, s.state])).toEqual([
      ['s2s', 2, 'ESTABLISHED'],
      ['other', 3, 'CONNECTING'],
    ]);
  });

  it.each([
    ['localHost', '192.0.2.1'],
    ['localPort', 4500],
    ['remoteHost', '192.0.2.2'],
    ['remoteId', 'C=CH, O=lab, CN=b'],
    ['initiator', true],
    ['natRemote', true],
    ['version', 2],
  ] as const)('reads the IKE_SA field %s', (field, value) => {
    expect(sas[0]?.[field]).toEqual(value);
  });

  it('reads CHILD_SAs with counters, SPIs and traffic selectors', () => {
    expect(sas[0]?.children).toHaveLength(1);
    const child = sas[0]?.children[0];
    expect(child).toMatchObject({
      name: 'net', key: 'net-2', uniqueid: 2, reqid: 1, state: 'INSTALLED', mode: 'TUNNEL', protocol: 'ESP', encap: true,
      spiIn: '81c3726e', spiOut: '11c68923', bytesIn: 84, packetsIn: 1, bytesOut: 168, packetsOut: 2,
      localTs: ['10.1.0.0/24'], remoteTs: ['10.2.0.0/24', '10.3.0.0/24'],
    });
    expect(sas[1]?.children).toEqual([]);
    expect(sas[1]?.natRemote).toBe(false);
  });

  it('gives NaN, not 0, for a number that is missing', () => {
    const [sa] = parseListSas('list-sa event {\n  x {\n    state = CONNECTING\n  }\n}\n');
    expect(sa?.uniqueid).toBeNaN();
  });

  it('finds nothing in an empty listing', () => {
    expect(parseListSas('list-sas reply {\n}\n')).toEqual([]);
  });
});

describe('parsePretty', () => {
  it('keeps empty values and nested sections', () => {
    expect(parsePretty('m {\n  a =\n  b = x y\n  s {\n    l = [\n    ]\n  }\n}\n')).toEqual([
      { name: 'm', body: { a: '', b: 'x y', s: { l: [] } } },
    ]);
  });

  it.each([
    ['a stray closing brace', '}\n', /closes nothing/],
    ['a line that is nothing known', 'm {\n  what is this\n}\n', /not a section, value or list/],
    ['a value outside a message', 'a = b\n', /outside any message/],
    ['an unclosed section', 'm {\n  a = b\n', /ends inside a section/],
    ['an unclosed list', 'm {\n  l = [\n    x\n', /ends inside a section/],
  ])('rejects %s', (_what, text, error) => {
    expect(() => parsePretty(text)).toThrow(error);
  });
});

describe('parseListConns', () => {
  it('names the connections of every event, not their sections', () => {
    const text = `list-conn event {
  tunnel-1-2 {
    local_addrs = [
      192.0.2.1
    ]
    version = IKEv2
    children {
      tunnel-1-2 {
        mode = TUNNEL
      }
    }
  }
}
list-conn event {
  tunnel-1-3 {
    version = IKEv2
  }
}
list-conns reply {
}
`;
    expect(parseListConns(text)).toEqual(['tunnel-1-2', 'tunnel-1-3']);
    expect(parseListConns('list-conns reply {\n}\n')).toEqual([]);
  });
});
