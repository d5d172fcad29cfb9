// A topology as the file `raincoat validate` reads and the editor imports and exports: plain JSON, two-space indented,
// a final newline, under one suggested name.
import type { Topology } from './schemas.ts';

/** The name a file export suggests, in main's save dialog and as a browser download. */
export const TOPOLOGY_FILE_NAME = 'topology.json';

export function topologyFileText(topology: Topology): string {
  return `${JSON.stringify(topology, null, 2)}\n`;
}
