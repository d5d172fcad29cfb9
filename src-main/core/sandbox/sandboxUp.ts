// `raincoat sandbox up`: the whole overlay of a topology on this machine. One background host runs an agent per root
// and per leaf on 127.0.0.1; this enrolls them with a new control CA, waits until every one listens, makes the
// administrator with a random password, keeps a random passphrase for the overlay's keys, and writes how the
// application and the command line reach the overlay.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { HostNodes, SandboxSpec } from '../../../src-shared/sandbox/sandboxControl.ts';
import { sandboxNodeNames } from '../../../src-shared/sandbox/sandboxNodeNames.ts';
import { count } from '../../../src-shared/text/count.ts';
import { DEFAULT_ADMINISTRATOR } from '../../../src-shared/protocol/defaultAdministrator.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { awaitedTimers, sleep } from '../agentClient/timers.ts';
import { createCa } from '../pki/issueCertificate.ts';
import { certifyNodes } from './certifyNodes.ts';
import { controlClient } from './controlClient.ts';
import type { ControlCall } from './controlClient.ts';
import { findSandbox } from './findSandbox.ts';
import { endHostAfter, endStaleHost, spawnHost } from './hostProcess.ts';
import { makeAdministrator } from './makeAdministrator.ts';
import { removeSandboxFiles } from './removeSandboxFiles.ts';
import { sandboxAccess } from './sandboxAccess.ts';
import { SandboxError } from './sandboxError.ts';
import { sandboxSpec, SANDBOX_HEARTBEAT_MS } from './sandboxSpec.ts';

export interface SandboxUpOptions {
  dir: string;
  topology: Topology;
  /** The agent bundle the host runs (findAgentBundle). */
  bundle: string;
  /** Node's options for the host process. */
  nodeArgs?: readonly string[];
  heartbeatIntervalMs?: number;
  /**
   * For tests of an administrator's first login: the administrator is not made, so the overlay takes the built-in
   * credentials once, with a new password (as a real overlay's first login does), and no password is kept.
   */
  builtInAdministrator?: boolean;
  /** One line at each step, and as the agents come up. */
  progress: (line: string) => void;
}

export interface SandboxUp {
  access: OverlayAccess;
  accessFile: string;
  /** Shown once by the command; kept in `passwordFile` (0600) for the command line. The built-in one, not kept, with `builtInAdministrator`. */
  password: string;
  passwordFile: string;
  /** The passphrase the overlay's keys are sealed under, never shown: kept (0600) for the application and the command line. */
  passphraseFile: string;
  hostPid: number;
  ms: number;
}

/**
 * The host's Node options. V8's defaults: its lite mode, which the agent's service unit uses for small nodes, saves
 * little here (the code is shared by every agent of the process) and slows hundreds of agents' heartbeats.
 */
const HOST_NODE_ARGS: readonly string[] = [];

export async function sandboxUp(options: SandboxUpOptions): Promise<SandboxUp> {
  const { dir, topology, progress } = options;
  const started = Date.now();
  const found = await findSandbox(dir);
  if (found.state === 'running') {
    throw new SandboxError(`a sandbox is already running in ${dir} (${count(found.nodes.nodes.length, 'agent')}): take it down first with "raincoat sandbox down"`);
  }
  // What a sandbox that ended without `down` left (a restart of the machine, a killed host) is replaced.
  if (found.state === 'stale') await endStaleHost(found.pid);
  await removeSandboxFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const spec = sandboxSpec(topology, options.heartbeatIntervalMs ?? SANDBOX_HEARTBEAT_MS);
  const nodes = sandboxNodeNames(topology);
  await writeFileAtomic(path.join(dir, SANDBOX_FILES.spec), `${JSON.stringify(spec, null, 1)}\n`, 0o600);
  progress(`starting the sandbox host for ${count(nodes.length, 'agent')} in ${dir}`);
  const host = await spawnHost(dir, options.bundle, options.nodeArgs ?? HOST_NODE_ARGS);
  const call = controlClient(host);
  try {
    progress('enrolling every node with a new control CA');
    const ca = createCa('raincoat sandbox control CA');
    const certs = certifyNodes(ca, (await call('csrs')).csrs, nodes);
    await call('enroll', { controlCaPem: ca.certPem, certs });
    const running = await agentsListening(call, nodes.length, progress);
    const access = sandboxAccess(spec.entry, ca.certPem, running.nodes, certs);
    const accessFile = path.join(dir, SANDBOX_FILES.access);
    const passwordFile = path.join(dir, SANDBOX_FILES.password);
    const passphraseFile = path.join(dir, SANDBOX_FILES.passphrase);
    await writeFileAtomic(passphraseFile, `${randomBytes(24).toString('base64url')}\n`, 0o600);
    const password = options.builtInAdministrator ? DEFAULT_ADMINISTRATOR.password : await keptAdministrator(access, spec, passwordFile, progress);
    // Written last: the application and the command line take its presence for a sandbox they can use.
    await writeFileAtomic(accessFile, `${JSON.stringify(access, null, 1)}\n`, 0o600);
    return { access, accessFile, password, passwordFile, passphraseFile, hostPid: host.pid, ms: Date.now() - started };
  } catch (error) {
    await call('down').catch(() => undefined);
    await endHostAfter(host.pid, 15_000);
    await removeSandboxFiles(dir, [SANDBOX_FILES.logs]);
    const message = error instanceof Error ? error.message : String(error);
    throw new SandboxError(`${message}\nthe sandbox was taken down; its logs are in ${path.join(dir, SANDBOX_FILES.logs)}`);
  }
}

/** Makes the administrator with a random password, kept in `passwordFile` before the agents take it; returns it. */
async function keptAdministrator(access: OverlayAccess, spec: SandboxSpec, passwordFile: string, progress: (line: string) => void): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  // Kept before it is set: were this command stopped after the agents took it, it would not be lost.
  await writeFileAtomic(passwordFile, `${password}\n`, 0o600);
  progress(`making the administrator at ${spec.entry}, once the roots have heard one another`);
  let told = '';
  const onWait = (reason: string) => {
    if (reason !== told) progress(`${spec.entry} is not ready: ${(told = reason)}`);
  };
  let shown = 0;
  const onLock = (acknowledged: number, expected: number) => {
    if (acknowledged <= shown || (acknowledged - shown < Math.max(1, expected / 10) && acknowledged < expected)) return;
    progress(`the administrator's first login: ${acknowledged} of ${count(expected, 'root')} acknowledged`);
    shown = acknowledged;
  };
  await makeAdministrator(access, password, { deadlineMs: 60_000 + 6 * spec.heartbeatIntervalMs, onWait, onLock });
  return password;
}

/** Follows the agents as they start, a line each tenth of them; refuses when any failed, or they take too long. */
async function agentsListening(call: ControlCall, nodes: number, progress: (line: string) => void): Promise<HostNodes> {
  const limitMs = 60_000 + 100 * nodes;
  const deadline = Date.now() + limitMs;
  let shown = 0;
  for (;;) {
    const state = await call('nodes');
    const up = state.nodes.filter((n) => n.process === 'up').length;
    const failed = state.nodes.filter((n) => n.process === 'failed');
    if (state.phase === 'running' || up - shown >= Math.max(1, nodes / 10)) {
      progress(`agents listening: ${up}/${nodes}`);
      shown = up;
    }
    if (state.phase === 'running') {
      if (failed.length === 0) return state;
      throw new SandboxError(`${count(failed.length, 'agent')} did not start: ${failed.slice(0, 5).map((n) => `${n.node}: ${n.reason}`).join('; ')}`);
    }
    if (Date.now() > deadline) throw new SandboxError(`only ${up} of ${count(nodes, 'agent')} listen after ${Math.round(limitMs / 1000)} s`);
    await sleep(awaitedTimers, 250);
  }
}
