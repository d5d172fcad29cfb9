// A topology as the file `raincoat validate` reads and the editor imports: plain JSON, two-space indented, a final newline.
import type { Topology } from '../../../src-shared/topology/schemas.ts';

export function topologyFileText(topology: Topology): string {
  return `${JSON.stringify(topology, null, 2)}\n`;
}
