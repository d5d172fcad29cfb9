// The room a root takes on the canvas: what React Flow measured, or the size the layout reserves until it has.
import type { Node } from '@xyflow/react';
import type { Box } from './placeInView.ts';

/** canvas.css gives a root its width; its height grows with what it shows (status, deploy, its leaves open). */
export const ROOT_SIZE = { width: 220, height: 150 } as const;

export function rootBox(node: Pick<Node, 'position' | 'measured'>): Box {
  return { ...node.position, width: node.measured?.width ?? ROOT_SIZE.width, height: node.measured?.height ?? ROOT_SIZE.height };
}
