// A tunnel on the canvas: an arc between the centres of its two roots, bent as its data says (tunnelPath.ts), since a
// tunnel has no direction; drawn as the deployed overlay has it, added, or deleted but still deployed; once its roots
// report it, in its state's colour and dash (up, connecting, down), the word on hover; and faded when a root at either
// end is down or failed.
import { BaseEdge } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import type { OverlayStoreState } from '../overlay/overlayStore.ts';
import { TUNNEL_LOOK } from '../overlay/tunnelStatus.ts';
import type { TunnelEdge } from './toFlow.ts';
import { tunnelEndsLook, tunnelOverlayLook } from './tunnelEnds.ts';
import { curvePath, tunnelCurve } from './tunnelPath.ts';

/**
 * A point to a hundredth of a pixel: React Flow measures the roots' centres again after the first drawing, a few
 * millionths of a pixel off what they were declared at (toFlow.ts), and the path then stays the same string.
 */
const hundredths = (v: number) => Math.round(v * 100);
const rounded = (x: number, y: number) => ({ x: hundredths(x) / 100, y: hundredths(y) / 100 });

type Props = EdgeProps<TunnelEdge>;

/** What the view draws from (its ends to a hundredth of a pixel): equal, it would draw the same. */
const DRAWN_FROM = ['id', 'source', 'target', 'selected', 'data'] as const;
const ENDS = ['sourceX', 'sourceY', 'targetX', 'targetY'] as const;
const drawsAlike = (a: Props, b: Props) => DRAWN_FROM.every((key) => a[key] === b[key]) && ENDS.every((key) => hundredths(a[key]) === hundredths(b[key]));

/**
 * React Flow would draw an edge between a source and a target handle, which makes every tunnel look directed; drawing
 * centre to centre under the (opaque) roots reads as the unordered link it is. The ends are the roots' centre handles
 * (RootNodeView.tsx), which React Flow hands over as source and target.
 */
export const TunnelEdgeView = memo(function TunnelEdgeView({ id, source, target, sourceX, sourceY, targetX, targetY, selected, data }: Props) {
  // One kept object per look: the edge redraws only when what its ends or its roots say of it changes, not on every status read.
  const { state, ends } = useOverlay(
    useCallback(
      (s: OverlayStoreState) => tunnelOverlayLook(s.tunnelStatus.get(id), tunnelEndsLook(s.graphStatus.get(source)?.status, s.graphStatus.get(target)?.status)),
      [id, source, target],
    ),
  );
  const path = curvePath(tunnelCurve(rounded(sourceX, sourceY), rounded(targetX, targetY), data?.bend));
  const classes = ['tunnel-edge', selected && 'selected', data?.change, state && `tunnel-${state}`, ends].filter(Boolean).join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={classes} />
      {/* A title in the edge's group: the state in words on hover, beside its colour and dash. */}
      {state && <title>{`Tunnel ${TUNNEL_LOOK[state].icon} ${TUNNEL_LOOK[state].word}`}</title>}
    </>
  );
}, drawsAlike);
