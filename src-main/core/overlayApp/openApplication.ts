// Opens the application on an overlay, for both the Electron shell and the loopback host: the overlay named, else the
// running sandbox's, else none; its own pending topology (the sandbox's drawn one at first); and, for the sandbox, the
// login with its kept password, so the overlay shows at once.
import { join } from 'node:path';
import { loadJsonFile } from '../../../src-node/loadJsonFile.ts';
import { SANDBOX_FILES, SandboxSpecSchema } from '../../../src-shared/sandbox/sandboxControl.ts';
import { appStateDir, overlayStateDir, PENDING_FILE } from '../deployRun/overlayState.ts';
import type { AppEndpoint, AppEndpointOptions } from '../endpoint/openAppEndpoint.ts';
import { openAppEndpoint } from '../endpoint/openAppEndpoint.ts';
import { loadOverlay } from '../overlayAccess/loadOverlay.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { KeptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import { sandboxDir } from '../sandbox/sandboxDir.ts';
import type { OsBox } from '../secrets/osBox.ts';
import { overlayUnlocker } from '../secrets/overlayUnlocker.ts';


export interface ApplicationOptions extends Pick<AppEndpointOptions, 'clientFor' | 'now' | 'timers' | 'overlayOptions' | 'fileDialogs'> {
  env: NodeJS.ProcessEnv;
  /** The overlay's access file the user named; without it, the running sandbox's if there is one. */
  accessFile?: string;
  /** Where the pending topology is kept when no overlay is configured (the application's data folder). */
  noOverlayFile: string;
  /** Log in to the sandbox with its kept password as soon as it opens (default true). */
  autoLogin?: boolean;
  /** The OS's secret store (the shell's safeStorage): the overlay's keys then open without their passphrase on this machine. */
  box?: OsBox;
}

export interface Application extends AppEndpoint {
  /** Lines for the user: which overlay, where its pending topology is, why there is none. */
  notices: string[];
  /**
   * The overlay's kept keys (null with no overlay): `state()` says whether a deploy can open them without asking
   * (`none`/`plain`: a new passphrase is needed, `locked`: theirs), `unlock(passphrase)` takes it once for the run.
   */
  keys: KeptOverlayKeys | null;
}

/** Where a deploy that finds the keys locked tells the administrator to give their passphrase. */
const GIVE_IT_HERE = "give it to the application once (it stays in memory until the application closes), or start the application with RAINCOAT_PASSPHRASE";

export class ApplicationError extends Error {
  override name = 'ApplicationError';
}

export async function openApplication(options: ApplicationOptions): Promise<Application> {
  const { env } = options;
  const loaded = await loadOverlay({ ...(options.accessFile === undefined ? {} : { accessFile: options.accessFile }), env });
  // An overlay the user named that cannot be read is an error; no sandbox running is only the empty start.
  if (!loaded.ok && options.accessFile !== undefined) throw new ApplicationError(loaded.message);
  const notices: string[] = [];
  const stateDir = appStateDir(env);
  let app: AppEndpoint;
  let keys: KeptOverlayKeys | null = null;
  if (!loaded.ok) {
    notices.push(`no overlay: ${loaded.message}`);
    app = await openAppEndpoint({ ...options, stateFile: options.noOverlayFile, stateDir, overlay: null });
  } else {
    const sandbox = options.accessFile === undefined;
    const overlayDir = overlayStateDir(stateDir, loaded.access);
    const stateFile = join(overlayDir, PENDING_FILE);
    const secrets = overlayUnlocker({ env, sandbox: loaded.sandbox, otherwise: GIVE_IT_HERE, notice: (line) => console.error(line), ...(options.box ? { box: options.box } : {}) });
    keys = keptOverlayKeys(join(overlayDir, KEYS_FILE), secrets);
    // With no kept password the sandbox's administrator was never made: the login card says the built-in one applies.
    const sandboxAdministrator = sandbox ? ((await loaded.passwords.readKept()) === undefined ? ('built-in' as const) : ('kept' as const)) : undefined;
    app = await openAppEndpoint({
      ...options,
      stateFile,
      stateDir,
      overlay: { access: loaded.access, sandbox, ...(sandboxAdministrator ? { sandboxAdministrator } : {}), passwords: loaded.passwords, secrets, keys, ...(options.box ? { box: options.box } : {}) },
    });
    notices.push(`overlay ${loaded.access.name}: entry ${loaded.access.entry} at ${loaded.access.nodes[loaded.access.entry]!.url}`, `pending topology: ${stateFile}`);
    if (sandbox && app.store.pending().roots.length === 0 && app.store.deployed() === null) await seedFromSandbox(app, env, notices);
    // An earlier run's session first (it was killed holding the lock); else, for the sandbox, its kept password.
    const resumed = await app.overlay.resumeKeptSession();
    if (resumed) notices.push(`took up the session kept by an earlier run, at ${loaded.access.entry}`);
    else if (sandbox && options.autoLogin !== false) {
      void app.overlay.loginWithKeptPassword().then((result) => {
        if (!result.ok) notices.push(`not logged in: ${result.refusal.message}`);
      });
    }
  }
  if (app.store.recovery) notices.push(`${app.store.recovery.reason}; kept aside as ${app.store.recovery.keptAs}; started empty`);
  return { ...app, notices, keys };
}

/** The sandbox's own topology becomes the pending one, so its first deploy is one click away. */
async function seedFromSandbox(app: AppEndpoint, env: NodeJS.ProcessEnv, notices: string[]): Promise<void> {
  const file = join(sandboxDir(env), SANDBOX_FILES.spec);
  const json = await loadJsonFile(file);
  const spec = json.ok ? SandboxSpecSchema.safeParse(json.value) : undefined;
  if (!spec?.success) return void notices.push(`the sandbox's topology could not be read from ${file}; the pending topology starts empty`);
  const saved = await app.store.save(spec.data.topology);
  if (saved.ok) notices.push(`the pending topology is the sandbox's (${spec.data.topology.roots.length} roots): deploy it from the application`);
}
