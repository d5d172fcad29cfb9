// How the editor imports and exports topology files (the plain JSON `raincoat validate` reads): through main's dialogs
// in Electron, through a file input and a download in a browser. A file with problems is refused whole, with all of them.
import type { Api, Problem } from '../../src-shared/contract/contract.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { count } from '../../src-shared/text/count.ts';
import { formatJsonError, parseJsonText } from '../../src-shared/validation/parseJsonText.ts';
import { TOPOLOGY_FILE_NAME, topologyFileText } from '../../src-shared/topology/topologyFileText.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';

export type ImportOutcome = { kind: 'imported' } | { kind: 'cancelled' } | { kind: 'refused'; reason: string; problems: Problem[] };

export interface TopologyFiles {
  /** Asks for a file and makes it the pending topology (undoable), or changes nothing. */
  importTopology(): Promise<ImportOutcome>;
  /** Where the file went (a path, or the browser's downloads), or null when cancelled. */
  exportTopology(topology: Topology): Promise<string | null>;
}

/** Electron: main shows its dialogs, reads and writes; the renderer never names a path main did not choose. */
export function dialogFiles(api: Pick<Api, 'topologyFile.choose' | 'topology.open' | 'topologyFile.export'>): TopologyFiles {
  return {
    async importTopology() {
      const { path } = await api['topologyFile.choose']();
      if (path === null) return { kind: 'cancelled' };
      const result = await api['topology.open']({ path });
      return result.ok ? { kind: 'imported' } : { kind: 'refused', reason: result.reason, problems: result.problems };
    },
    async exportTopology() {
      return (await api['topologyFile.export']()).savedTo;
    },
  };
}

/** The page's side of a browser's files: a file the administrator picks (null when cancelled), and a download. */
export interface BrowserPage {
  pickFile(): Promise<{ name: string; text(): Promise<string> } | null>;
  download(name: string, text: string): void;
}

/**
 * A browser: the file is read and checked here with the shared validation, so a file with problems sends nothing, and
 * a good one goes to main as `topology.save`, which checks it again.
 */
export function browserFiles(api: Pick<Api, 'topology.save'>, page: BrowserPage): TopologyFiles {
  return {
    async importTopology() {
      const file = await page.pickFile();
      if (file === null) return { kind: 'cancelled' };
      const parsed = parseJsonText(await file.text());
      if (!parsed.ok) return { kind: 'refused', reason: formatJsonError(file.name, parsed), problems: [] };
      const checked = validateTopology(parsed.value);
      if (!checked.ok) return { kind: 'refused', reason: `${file.name} not opened: ${count(checked.problems.length, 'problem')}; the pending topology is unchanged`, problems: checked.problems };
      const result = await api['topology.save']({ topology: checked.topology });
      return result.ok ? { kind: 'imported' } : { kind: 'refused', reason: result.reason, problems: result.problems };
    },
    async exportTopology(topology) {
      page.download(TOPOLOGY_FILE_NAME, topologyFileText(topology));
      return 'your downloads';
    },
  };
}

/** The browser page's file input and download link, made when needed. */
export function documentPage(document: Document): BrowserPage {
  return {
    pickFile() {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      return new Promise((resolve) => {
        input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
        input.addEventListener('cancel', () => resolve(null), { once: true });
        input.click();
      });
    },
    download(name, text) {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      // The click has started the download by the time the next task runs.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  };
}
