// A tunnel on the canvas: a straight line between the centres of its two roots, since a tunnel has no direction; dashed when deleted but still deployed.
import { BaseEdge, getStraightPath, useInternalNode } from '@xyflow/react';
import type { EdgeProps, InternalNode } from '@xyflow/react';
import { memo } from 'react';
import type { TunnelEdge } from './toFlow.ts';

function centre(node: InternalNode): { x: number; y: number } {
  const { x, y } = node.internals.positionAbsolute;
  return { x: x + (node.measured.width ?? 0) / 2, y: y + (node.measured.height ?? 0) / 2 };
}

/**
 * React Flow would draw an edge between a source and a target handle, which makes every tunnel look
 * directed; drawing centre to centre under the (opaque) nodes reads as the unordered link it is.
 */
export const TunnelEdgeView = memo(function TunnelEdgeView({ id, source, target, selected, data }: EdgeProps<TunnelEdge>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!from || !to) return null;
  const a = centre(from);
  const b = centre(to);
  const [path] = getStraightPath({ sourceX: a.x, sourceY: a.y, targetX: b.x, targetY: b.y });
  return <BaseEdge id={id} path={path} className={`tunnel-edge${selected ? ' selected' : ''}${data?.deleted ? ' deleted' : ''}`} />;
});
