// A tunnel on the canvas: an arc between the centres of its two roots, bent as its data says (tunnelPath.ts), since a
// tunnel has no direction; drawn as the deployed overlay has it, added, or deleted but still deployed, and faded when a
// root at either end is down or failed.
import { BaseEdge, useInternalNode } from '@xyflow/react';
import type { EdgeProps, InternalNode } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import type { OverlayStoreState } from '../overlay/overlayStore.ts';
import type { TunnelEdge } from './toFlow.ts';
import type { Point } from './tunnelPath.ts';
import { tunnelEndsLook } from './tunnelEnds.ts';
import { curvePath, tunnelCurve } from './tunnelPath.ts';

function centre(node: InternalNode): Point {
  const { x, y } = node.internals.positionAbsolute;
  return { x: x + (node.measured.width ?? 0) / 2, y: y + (node.measured.height ?? 0) / 2 };
}

/**
 * React Flow would draw an edge between a source and a target handle, which makes every tunnel look directed; drawing
 * centre to centre under the (opaque) roots reads as the unordered link it is.
 */
export const TunnelEdgeView = memo(function TunnelEdgeView({ id, source, target, selected, data }: EdgeProps<TunnelEdge>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  // A string: the edge redraws only when what its ends say of it changes, not on every status read.
  const ends = useOverlay(useCallback((s: OverlayStoreState) => tunnelEndsLook(s.graphStatus.get(source)?.status, s.graphStatus.get(target)?.status), [source, target]));
  if (!from || !to) return null;
  const change = data?.change ? ` ${data.change}` : '';
  return <BaseEdge id={id} path={curvePath(tunnelCurve(centre(from), centre(to), data?.bend))} className={`tunnel-edge${selected ? ' selected' : ''}${change}${ends ? ` ${ends}` : ''}`} />;
});
