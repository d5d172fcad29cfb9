// The room a root takes on the canvas: what React Flow measured, or the size the layout reserves until it has.
import type { Node, NodeDimensionChange } from '@xyflow/react';
import type { Box } from './placeInView.ts';

/**
 * canvas.css gives a root its width, and a far root (levelOfDetail.ts) this height too; a closer root's height grows
 * with what it shows (status, deploy, its leaves open).
 */
export const ROOT_SIZE = { width: 220, height: 150 } as const;

export function rootBox(node: Pick<Node, 'position' | 'measured'>): Box {
  return { ...node.position, width: node.measured?.width ?? ROOT_SIZE.width, height: node.measured?.height ?? ROOT_SIZE.height };
}

/**
 * The reserved size for each root React Flow has not measured, as the changes it would report once it had: where that is
 * the size they will have (far out), React Flow then draws them with their tunnels at once instead of measuring first.
 */
export function reservedSizes(nodes: readonly Pick<Node, 'id' | 'measured'>[]): NodeDimensionChange[] {
  return nodes.filter((n) => n.measured === undefined).map((n) => ({ type: 'dimensions', id: n.id, dimensions: { ...ROOT_SIZE } }));
}
