// The lab harness's public face: real daemons in network namespaces for e2e tests.
export { createLab, Lab, KEPT_DIR, type CreateLabOptions, type Link, type LinkEnd, type LinkOptions, type SpawnOptions } from './lab.ts';
export { Host, SWITCH_BRIDGE, type RouteOptions } from './host.ts';
export { Daemon, type ExitInfo, type WaitForLogOptions } from './daemon.ts';
export { Charon, CHARON_PLUGINS, renderStrongswanConf, type CharonOptions } from './strongswan.ts';
export { Openvpn, OPENVPN_READY, type OpenvpnOptions } from './openvpn.ts';
export { parseListSas, parsePretty, type ChildSa, type IkeSa, type ViciMessage, type ViciSection } from '../../src-node/swanctlPretty.ts';
export { labAvailable, skipUnlessLab, type LabAvailability, type LabFeature, type SkippableContext } from './available.ts';
export { findResidue, listNamespaces, sweepStaleLabs, LAB_BASE_DIR, type Residue } from './residue.ts';
export { isLive } from './procfs.ts';
export { makeOpensslPki, type OpensslPkiOptions } from './opensslPki.ts';
export { addOneToOneNat, renderOneToOneNat, type OneToOneNat } from './nat.ts';
export { waitFor, WaitTimeoutError, type WaitOptions } from './wait.ts';
export { run, type RunOptions, type RunResult } from './run.ts';
export type { FileMap } from './files.ts';
export type { PingOptions, PingResult } from './ping.ts';
