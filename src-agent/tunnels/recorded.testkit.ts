// Output recorded from real daemons in the lab (e2e/lab/tunnelMeasurement.test.ts): strongSwan 5.9.8 and OpenVPN 2.6.14 on
// root 1 of a two-root overlay with its tunnel up, and a leaf's client server with one client VM connected. And the
// swanctl.conf Raincoat renders for roots 1 and 3 of a triangle (roots 1, 2, 3 at 192.0.2.<id>, overlays 10.<id>.0.0/16),
// its pre-shared keys replaced.
import { readFileSync } from 'node:fs';

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), 'utf8');

export const LIST_CONNS = recorded('swanctl-list-conns.txt');
export const LIST_SAS = recorded('swanctl-list-sas.txt');
export const OPENVPN_STATUS = recorded('openvpn-status-v2.txt');
export const TRIANGLE_ROOT_1_CONF = recorded('triangle-root-1.swanctl.conf');
export const TRIANGLE_ROOT_3_CONF = recorded('triangle-root-3.swanctl.conf');
