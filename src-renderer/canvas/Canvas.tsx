// The drawing: roots as nodes, tunnels as edges; dragging from one root onto another adds a tunnel (a refusal is said
// over the drawing), dragging a root by its name stores its place (neither while a deploy is under way); a minimap (once
// the drawing is on screen), zoom out to the whole overlay, a fit of the view when the topology is replaced or laid out,
// and the canvas's tools.
// Drawn at the level of detail the zoom allows (levelOfDetail.ts), starting from the fitted view.
import { Background, ConnectionLineType, ConnectionMode, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeTypes, FinalConnectionState, NodeTypes, Viewport } from '@xyflow/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectActions, selectEdges, selectFitRequest, selectNodes } from '../store/selectors.ts';
import './canvas.css';
import { CanvasTools } from './CanvasTools.tsx';
import { initialViewport } from './initialViewport.ts';
import { detailAt } from './levelOfDetail.ts';
import { RefusalToast } from './RefusalToast.tsx';
import { reservedSizes } from './rootBox.ts';
import { RootNodeView } from './RootNodeView.tsx';
import { rootIdOfNode } from './toFlow.ts';
import type { RootNode, TunnelEdge } from './toFlow.ts';
import { TunnelEdgeView } from './TunnelEdgeView.tsx';
import { usePaintedSinceMount } from './usePaintedSinceMount.ts';

const nodeTypes: NodeTypes = { root: RootNodeView };
const edgeTypes: EdgeTypes = { tunnel: TunnelEdgeView };
const FIT = { padding: 0.15, maxZoom: 1.2 } as const;
/** Low enough for 500 roots laid out (some 6,000 px across) to fit a window 800 px wide. */
const MIN_ZOOM = 0.05;
const START_FIT = { ...FIT, minZoom: MIN_ZOOM };
/** A click on a root that moves the pointer a few pixels selects it; only a longer drag draws a tunnel. */
const CONNECT_AFTER_PX = 6;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

const minimapClass = (node: RootNode) => `minimap-root${node.data.change ? ` ${node.data.change}` : ''}`;

export function Canvas() {
  const nodes = useEditor(selectNodes);
  const edges = useEditor(selectEdges);
  const actions = useEditor(selectActions);
  const fitRequest = useEditor(selectFitRequest);
  const editable = useOverlay(selectEditingBlocked) === null;
  const { fitView, getZoom } = useReactFlow();
  const painted = usePaintedSinceMount();
  const frame = useRef<HTMLDivElement>(null);
  // React Flow starts once the frame has a size, from a view already fitted to the roots (initialViewport.ts).
  const [start, setStart] = useState<{ viewport: Viewport | undefined; sized: boolean } | null>(null);
  useLayoutEffect(() => {
    const box = frame.current;
    const viewport = box ? initialViewport(nodes, box.clientWidth, box.clientHeight, START_FIT) : undefined;
    // Far out a root is a block of the reserved size (levelOfDetail.ts): React Flow, told so, need not measure first,
    // and the view fitted at that size is already React Flow's own fit.
    const sized = viewport !== undefined && detailAt(viewport.zoom) === 'far';
    if (sized) actions.changeNodes(reservedSizes(nodes));
    setStart({ viewport, sized });
    // Only the first drawing's roots: React Flow fits the later ones itself.
  }, []);

  // The first drawing starts fitted (initialViewport, then React Flow's fitView below): a request made before the canvas
  // was there is about it.
  const fitRequestAtStart = useRef(fitRequest);
  useEffect(() => {
    if (fitRequest === fitRequestAtStart.current) return;
    let stale = false;
    void (async () => {
      const before = detailAt(getZoom());
      await fitView(FIT);
      // The fit drew the roots at another level of detail, so at other sizes than it fitted: once React Flow has measured
      // them (in the next frame's layout), fit those.
      if (detailAt(getZoom()) === before) return;
      await nextFrame();
      await nextFrame();
      if (!stale) await fitView(FIT);
    })();
    return () => {
      stale = true;
    };
  }, [fitRequest, fitView, getZoom]);

  // Handlers keep their identity across drawings: React Flow hands them to every node and edge, and a new one would
  // redraw all 1,500 of them on each step of a drag.
  const handlers = useMemo(() => {
    const rootsOf = (edge: { source: string; target: string }) => [rootIdOfNode(edge.source), rootIdOfNode(edge.target)] as const;
    return {
      onConnect(connection: Connection) {
        const [a, b] = rootsOf(connection);
        if (a !== null && b !== null) void actions.connect(a, b);
      },
      // While a tunnel is drawn, the name rows and leaf buttons let the pointer through to the handle under them (canvas.css).
      onConnectStart: () => frame.current?.classList.add('connecting'),
      // React Flow drops a tunnel from a root onto itself without a word; main's refusal says why it cannot be.
      onConnectEnd(_: unknown, state: FinalConnectionState) {
        frame.current?.classList.remove('connecting');
        const from = state.fromNode ? rootIdOfNode(state.fromNode.id) : null;
        if (from !== null && state.toNode?.id === state.fromNode?.id) void actions.connect(from, from);
      },
      // A deleted root or tunnel is only there to be seen until the deploy: clicking it selects nothing.
      onEdgeClick(_: unknown, edge: TunnelEdge) {
        if (edge.data?.change === 'deleted') return;
        const [a, b] = rootsOf(edge);
        if (a !== null && b !== null) actions.select({ kind: 'tunnel', a, b });
      },
      onNodeClick(_: unknown, node: RootNode) {
        if (node.data.change === 'deleted') return;
        const id = rootIdOfNode(node.id);
        if (id !== null) actions.select({ kind: 'root', id });
      },
      onNodeDragStop(_: unknown, node: RootNode) {
        const id = rootIdOfNode(node.id);
        if (id !== null) void actions.dropRoot(id, node.position);
      },
      onPaneClick: () => actions.select({ kind: 'none' }),
    };
  }, [actions]);

  // Deleting goes through the side panel, which asks first; so the Delete key does nothing here.
  return (
    <div className="canvas-frame" ref={frame}>
      {start && (
        <ReactFlow<RootNode, TunnelEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          connectionMode={ConnectionMode.Loose}
          connectionLineType={ConnectionLineType.Straight}
          connectOnClick={false}
          connectionDragThreshold={CONNECT_AFTER_PX}
          onNodesChange={actions.changeNodes}
          {...handlers}
          deleteKeyCode={null}
          nodesDraggable={editable}
          nodesConnectable={editable}
          minZoom={MIN_ZOOM}
          {...(start.viewport && { defaultViewport: start.viewport })}
          fitView={!start.sized}
          fitViewOptions={FIT}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
          {/* A second drawing of every root: it waits for the first picture (some 50 ms of 500 roots' first drawing). */}
          {painted && <MiniMap<RootNode> pannable zoomable nodeClassName={minimapClass} ariaLabel="Minimap of the whole overlay" />}
          <CanvasTools editable={editable} />
          <RefusalToast />
        </ReactFlow>
      )}
    </div>
  );
}
