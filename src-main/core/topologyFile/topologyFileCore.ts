// The contract's topology file calls, on the platform's file dialogs: choose a file to open, and export the pending
// topology as the plain JSON file `raincoat validate` reads.
import { writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { CorePart } from '../endpoint/serve.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { TOPOLOGY_FILE_NAME, topologyFileText } from '../../../src-shared/topology/topologyFileText.ts';

/** The platform's file dialogs (Electron's, from the shell); each answers null when cancelled. */
export interface FileDialogs {
  chooseTopologyToOpen(): Promise<string | null>;
  /** `suggestedName` is a file name the dialog starts with. */
  chooseWhereToSave(suggestedName: string): Promise<string | null>;
}

export type TopologyFileCall = 'topologyFile.choose' | 'topologyFile.export';

export interface TopologyFileCoreOptions {
  /** Null where there are no dialogs (the loopback host: the browser reads and downloads files itself). */
  dialogs: FileDialogs | null;
  /** Injected for tests of a failing disk. */
  write?: (file: string, text: string) => Promise<void>;
}

export function topologyFileCore(store: TopologyStore, options: TopologyFileCoreOptions): CorePart<TopologyFileCall> {
  // Not secret, and the administrator's own file: readable as any file they save.
  const { dialogs, write = (file, text) => writeFileAtomic(file, text, 0o644) } = options;
  const needDialogs = (): FileDialogs => {
    // A browser never calls these (it has a file input and downloads): reaching here is a renderer bug, said plainly.
    if (dialogs === null) throw new Error('this window has no file dialogs: a browser opens and downloads topology files itself');
    return dialogs;
  };
  return {
    handlers: {
      'topologyFile.choose': async () => ({ path: await needDialogs().chooseTopologyToOpen() }),
      'topologyFile.export': async () => {
        const path = await needDialogs().chooseWhereToSave(TOPOLOGY_FILE_NAME);
        if (path !== null) await write(path, topologyFileText(store.pending()));
        return { savedTo: path };
      },
    },
    subscribe: () => () => {},
  };
}
