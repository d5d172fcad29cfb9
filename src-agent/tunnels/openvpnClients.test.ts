import { describe, expect, it } from 'vitest';
import { connectedClients } from './openvpnClients.ts';
import { OPENVPN_STATUS } from './recorded.testkit.ts';

const withoutClients = OPENVPN_STATUS.split('\n').filter((line) => !line.startsWith('CLIENT_LIST,') && !line.startsWith('ROUTING_TABLE,')).join('\n');
const twice = OPENVPN_STATUS.replace(/^(CLIENT_LIST,.*)$/m, '$1\n$1');

describe('connectedClients', () => {
  it.each([
    ['the recorded file with one client', OPENVPN_STATUS, 1],
    ['a file with none', withoutClients, 0],
    ['a file with two', twice, 2],
    ['a file cut before its END', OPENVPN_STATUS.slice(0, OPENVPN_STATUS.indexOf('GLOBAL_STATS')), undefined],
    ['an empty file (truncated for a rewrite)', '', undefined],
    ['a version 1 status', 'OpenVPN CLIENT LIST\nUpdated,2026-12-07 20:34:41\nCommon Name,Real Address\nclient-1-1,172.16.1.10:49520\nEND\n', undefined],
  ])('%s: %s', (_case, text, count) => {
    expect(connectedClients(text)).toBe(count);
  });
});
