// Reads the client VMs' first-boot script template, found beside the code that asks: from source it is three folders up
// (src-main/core/clientMachines/), from a bundle (dist/shell, dist/cli) two, and in the packaged application the agent's
// resources sit beside app.asar (electron-builder.yml's extraResources: resources/agent → agent).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['../../../resources/agent/cloud-init/client-user-data.sh', '../../resources/agent/cloud-init/client-user-data.sh', '../../../agent/cloud-init/client-user-data.sh'];

/** `from` is the URL of the module asking (this one, whether run from source or bundled). */
export async function readFirstBootTemplate(from: string = import.meta.url, read: (file: string) => Promise<string> = (file) => readFile(file, 'utf8')): Promise<string> {
  const tried: string[] = [];
  for (const relative of CANDIDATES) {
    const file = fileURLToPath(new URL(relative, from));
    try {
      return await read(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      tried.push(file);
    }
  }
  throw new Error(`the client VMs' first-boot script is missing (looked at ${tried.join(', ')})`);
}
