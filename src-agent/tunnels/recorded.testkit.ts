// Output recorded from real daemons in the lab (e2e/lab/tunnelMeasurement.test.ts): strongSwan 5.9.8 and OpenVPN 2.6.14 on
// root 1 of a two-root overlay with its tunnel up, and a leaf's client server with one client VM connected.
import { readFileSync } from 'node:fs';

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), 'utf8');

export const LIST_CONNS = recorded('swanctl-list-conns.txt');
export const LIST_SAS = recorded('swanctl-list-sas.txt');
export const OPENVPN_STATUS = recorded('openvpn-status-v2.txt');
