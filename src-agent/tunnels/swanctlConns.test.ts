import { describe, expect, it } from 'vitest';
import { TRIANGLE_ROOT_1_CONF, TRIANGLE_ROOT_3_CONF } from './recorded.testkit.ts';
import { reroutedConnections } from './swanctlConns.ts';

/** The rendered connections section, as it is: what a reroute with every tunnel's rendered traffic gives back. */
const connectionsOf = (conf: string) => `${conf.slice(conf.indexOf('connections {'), conf.indexOf('secrets {')).trimEnd()}\n`;

describe('reroutedConnections', () => {
  it('gives back the rendered connections, without the secrets, when each tunnel carries what it was rendered with', () => {
    const same = reroutedConnections(TRIANGLE_ROOT_1_CONF, [
      { name: 'tunnel-1-2', peer: 2, children: [{ local: ['10.1.0.0/16'], remote: ['10.2.0.0/16'] }] },
      { name: 'tunnel-1-3', peer: 3, children: [{ local: ['10.1.0.0/16'], remote: ['10.3.0.0/16'] }] },
    ]);
    expect(same).toBe(connectionsOf(TRIANGLE_ROOT_1_CONF));
    expect(same).not.toMatch(/secret/);
  });

  it('replaces a cut tunnel’s children by its probe, and widens the other, keeping every other setting of the child', () => {
    const text = reroutedConnections(TRIANGLE_ROOT_1_CONF, [
      { name: 'tunnel-1-2', peer: 2, children: [], probe: { local: ['10.1.0.1/32'], remote: ['10.2.0.1/32'] } },
      { name: 'tunnel-1-3', peer: 3, children: [{ local: ['10.1.0.0/16'], remote: ['10.2.0.0/15'] }] },
    ]);
    const child = (name: string, local: string, remote: string) =>
      [
        `            ${name} {`,
        `                local_ts = ${local}`,
        `                remote_ts = ${remote}`,
        '                esp_proposals = aes256gcm16-ecp256',
        '                rekey_time = 3600s',
        '                start_action = start',
        '                dpd_action = restart',
        '                close_action = none',
        '            }',
      ].join('\n');
    expect(text).toContain(`        children {\n${child('tunnel-1-2-probe', '10.1.0.1/32', '10.2.0.1/32')}\n        }\n    }\n    tunnel-1-3 {`);
    expect(text).toContain(`        children {\n${child('tunnel-1-3', '10.1.0.0/16', '10.2.0.0/15')}\n        }\n    }\n}\n`);
    expect(text.match(/^ {12}\S+ \{$/gm)).toEqual(['            tunnel-1-2-probe {', '            tunnel-1-3 {']);
    // The IKE settings (addresses, identities, retries) are the rendered ones.
    expect(text).toContain('        remote_addrs = 192.0.2.2\n');
    expect(text.match(/keyingtries = 0/g)).toHaveLength(2);
  });

  it('names a tunnel’s further children as the renderer does, and leaves the tunnels not named as they are', () => {
    const text = reroutedConnections(TRIANGLE_ROOT_3_CONF, [
      { name: 'tunnel-2-3', peer: 2, children: [{ local: ['10.1.0.0/16', '10.3.0.0/16'], remote: ['10.2.0.0/16'] }, { local: ['10.4.0.0/16'], remote: ['10.5.0.0/16'] }] },
    ]);
    expect(text.match(/^ {12}\S+ \{$/gm)).toEqual(['            tunnel-1-3 {', '            tunnel-2-3 {', '            tunnel-2-3-t2 {']);
    expect(text).toContain('                local_ts = 10.1.0.0/16, 10.3.0.0/16\n                remote_ts = 10.2.0.0/16\n');
    expect(text).toContain('                local_ts = 10.3.0.0/16\n                remote_ts = 10.1.0.0/16\n');
    expect(text.match(/start_action = trap\|start/g)).toHaveLength(3);
  });

  it.each([
    ['no connections section', 'secrets {\n}\n', /no connections section/],
    ['an unclosed section', 'connections {\n    tunnel-1-2 {\n', /not closed/],
    ['a stray closing brace', '}\n', /closes nothing/],
  ])('refuses a file with %s', (_case, text, problem) => {
    expect(() => reroutedConnections(text, [])).toThrow(problem);
  });
});
