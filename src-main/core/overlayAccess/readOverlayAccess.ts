// Reads an OverlayAccess file for a command: the overlay, or one message saying what is wrong and what to do.
import { access as fileExists } from 'node:fs/promises';
import { OverlayAccessSchema } from '../../../src-shared/overlay/overlayAccess.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import { loadJsonFile } from '../../../src-node/loadJsonFile.ts';

export type ReadAccess = { ok: true; access: OverlayAccess } | { ok: false; message: string };

/** `file` is the access file to read; `isDefault` when it is the sandbox's, not one the user named. */
export async function readOverlayAccess(file: string, isDefault: boolean): Promise<ReadAccess> {
  const missing = await fileExists(file).then(
    () => false,
    (error: unknown) => (error as { code?: unknown }).code === 'ENOENT',
  );
  if (missing) {
    return {
      ok: false,
      message: isDefault
        ? `no sandbox overlay is running here (${file} does not exist): run "raincoat sandbox up", or pass --access FILE for another overlay`
        : `${file}: no such file; pass --access the overlay access file of an overlay (a sandbox writes its own, used when --access is not given)`,
    };
  }
  const json = await loadJsonFile(file);
  if (!json.ok) return { ok: false, message: json.message };
  const parsed = OverlayAccessSchema.safeParse(json.value, { reportInput: true });
  if (!parsed.success) return { ok: false, message: zodProblems(parsed.error, 'access').map((p) => `${file}: ${formatProblem(p)}`).join('\n') };
  return { ok: true, access: parsed.data };
}
