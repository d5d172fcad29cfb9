// A long-running process started inside a namespace: its log file, waiting for log lines, and stopping it without orphans.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { liveGroupMembers } from './procfs.ts';
import { inNamespace } from './run.ts';
import { waitFor } from './wait.ts';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnDaemonOptions {
  /** Short label used in messages. */
  name: string;
  ns: string;
  argv: readonly string[];
  /** File that receives the process's stdout and stderr. */
  outputPath: string;
  /** File `waitForLog` reads; defaults to `outputPath` (charon, for example, writes its own log file). */
  logPath?: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/** How helpers start daemons: the lab's implementation marks and tracks them for cleanup. */
export type StartDaemon = (options: SpawnDaemonOptions) => Daemon;

export interface WaitForLogOptions {
  timeoutMs?: number;
  /** Only look at log bytes from this offset on (see `logMark`). */
  since?: number;
}

const TAIL_LINES = 30;

export class Daemon {
  readonly name: string;
  readonly ns: string;
  readonly pid: number;
  readonly outputPath: string;
  readonly logPath: string;
  /** Settles when the process has exited (and been reaped). */
  readonly exited: Promise<ExitInfo>;
  #exit: ExitInfo | null = null;

  constructor(options: SpawnDaemonOptions) {
    this.name = options.name;
    this.ns = options.ns;
    this.outputPath = options.outputPath;
    this.logPath = options.logPath ?? options.outputPath;
    const fd = openSync(options.outputPath, 'a', 0o600);
    const [cmd, ...args] = inNamespace(options.ns, options.argv);
    try {
      // Its own process group, so that stop() reaches its children and a terminal's Ctrl-C does not.
      const child = spawn(cmd as string, args, { detached: true, stdio: ['ignore', fd, fd], env: options.env, cwd: options.cwd });
      this.exited = new Promise((resolve) => {
        const settle = (info: ExitInfo): void => {
          this.#exit ??= info;
          resolve(this.#exit);
        };
        child.on('exit', (code, signal) => settle({ code, signal }));
        // Without a listener a failed spawn would throw out of the event loop; it counts as an exit without a code.
        child.on('error', () => settle({ code: null, signal: null }));
      });
      if (child.pid === undefined) throw new Error(`lab: could not start ${this.name}`);
      this.pid = child.pid;
    } finally {
      closeSync(fd);
    }
  }

  get running(): boolean {
    return this.#exit === null;
  }

  get exitInfo(): ExitInfo | null {
    return this.#exit;
  }

  /** The log text from byte offset `since` (a `logMark()`) on; empty while the file does not exist yet. */
  log(since = 0): string {
    return existsSync(this.logPath) ? readFileSync(this.logPath).subarray(since).toString('utf8') : '';
  }

  /** Current end of the log, to wait later for a line written after this point. */
  logMark(): number {
    return existsSync(this.logPath) ? statSync(this.logPath).size : 0;
  }

  /** The last lines of the log and of the output, for error messages. */
  tail(lines = TAIL_LINES): string {
    const pick = (path: string): string =>
      existsSync(path) ? readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no file)';
    const parts = [`--- ${this.name} log ${this.logPath} (last ${lines} lines) ---`, pick(this.logPath)];
    if (this.outputPath !== this.logPath) parts.push(`--- ${this.name} output ${this.outputPath} ---`, pick(this.outputPath));
    return parts.join('\n');
  }

  /**
   * Waits until the log contains `pattern`; fails at once if the process exits first, or if `failOn` shows up.
   * Resolves with the match.
   */
  async waitForLog(
    pattern: RegExp | string,
    options: WaitForLogOptions & { failOn?: RegExp } = {},
  ): Promise<RegExpExecArray> {
    const re = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(
      () => {
        const text = this.log(options.since);
        const match = re.exec(text);
        if (match !== null) return match;
        const failure = options.failOn?.exec(text);
        if (failure != null) throw new Error(`lab: ${this.name} logged "${failure[0]}"\n${this.tail()}`);
        if (!this.running) throw new Error(`lab: ${this.name} exited (${describeExit(this.#exit)}) before logging ${re}\n${this.tail()}`);
        return null;
      },
      { timeoutMs: options.timeoutMs ?? 10_000, what: `${this.name} to log ${re}`, describe: () => this.tail() },
    );
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is reaped and its group is empty. */
  async stop(options: { graceMs?: number } = {}): Promise<ExitInfo> {
    if (this.running) {
      signalGroup(this.pid, 'SIGTERM');
      const grace = options.graceMs ?? 3_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
      ]);
      clearTimeout(timer);
      if (timedOut) signalGroup(this.pid, 'SIGKILL');
    }
    const info = await this.exited;
    // Children that outlived the leader (a script charon ran, say) still carry the group id.
    signalGroup(this.pid, 'SIGKILL');
    await waitFor(() => liveGroupMembers(this.pid).length === 0, { timeoutMs: 5_000, what: `the process group of ${this.name} to end` });
    return info;
  }

  /** Synchronous SIGKILL of the group, for exit handlers. */
  killNow(): void {
    signalGroup(this.pid, 'SIGKILL');
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function describeExit(exit: ExitInfo | null): string {
  if (exit === null) return 'still running';
  return exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
