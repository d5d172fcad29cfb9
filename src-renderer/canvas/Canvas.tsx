// The drawing: roots as nodes, tunnels as edges; dragging from one root onto another adds a tunnel (a refusal is said
// over the drawing), dragging a root by its name stores its place (neither while a deploy is under way); a minimap,
// zoom out to the whole overlay, a fit of the view when the topology is replaced or laid out, and the canvas's tools.
import { Background, ConnectionLineType, ConnectionMode, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeTypes, FinalConnectionState, NodeTypes } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectActions, selectEdges, selectFitRequest, selectNodes } from '../store/selectors.ts';
import './canvas.css';
import { CanvasTools } from './CanvasTools.tsx';
import { RefusalToast } from './RefusalToast.tsx';
import { RootNodeView } from './RootNodeView.tsx';
import { rootIdOfNode } from './toFlow.ts';
import type { RootNode, TunnelEdge } from './toFlow.ts';
import { TunnelEdgeView } from './TunnelEdgeView.tsx';

const nodeTypes: NodeTypes = { root: RootNodeView };
const edgeTypes: EdgeTypes = { tunnel: TunnelEdgeView };
const FIT = { padding: 0.15, maxZoom: 1.2 } as const;
/** Low enough for 500 roots laid out (some 6,000 px across) to fit a window 800 px wide. */
const MIN_ZOOM = 0.05;
/** A click on a root that moves the pointer a few pixels selects it; only a longer drag draws a tunnel. */
const CONNECT_AFTER_PX = 6;

const minimapClass = (node: RootNode) => `minimap-root${node.data.change ? ` ${node.data.change}` : ''}`;

export function Canvas() {
  const nodes = useEditor(selectNodes);
  const edges = useEditor(selectEdges);
  const actions = useEditor(selectActions);
  const fitRequest = useEditor(selectFitRequest);
  const editable = useOverlay(selectEditingBlocked) === null;
  const { fitView } = useReactFlow();
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (fitRequest > 0) void fitView(FIT);
  }, [fitRequest, fitView]);

  const onConnect = (connection: Connection) => {
    const a = rootIdOfNode(connection.source);
    const b = rootIdOfNode(connection.target);
    if (a !== null && b !== null) void actions.connect(a, b);
  };
  // While a tunnel is drawn, the name rows and leaf buttons let the pointer through to the handle under them (canvas.css).
  const onConnectStart = () => frame.current?.classList.add('connecting');
  // React Flow drops a tunnel from a root onto itself without a word; main's refusal says why it cannot be.
  const onConnectEnd = (_: unknown, state: FinalConnectionState) => {
    frame.current?.classList.remove('connecting');
    const from = state.fromNode ? rootIdOfNode(state.fromNode.id) : null;
    if (from !== null && state.toNode?.id === state.fromNode?.id) void actions.connect(from, from);
  };
  // A deleted root or tunnel is only there to be seen until the deploy: clicking it selects nothing.
  const onEdgeClick = (_: unknown, edge: TunnelEdge) => {
    if (edge.data?.change === 'deleted') return;
    const a = rootIdOfNode(edge.source);
    const b = rootIdOfNode(edge.target);
    if (a !== null && b !== null) actions.select({ kind: 'tunnel', a, b });
  };
  const onNodeClick = (_: unknown, node: RootNode) => {
    if (node.data.change === 'deleted') return;
    const id = rootIdOfNode(node.id);
    if (id !== null) actions.select({ kind: 'root', id });
  };
  const onNodeDragStop = (_: unknown, node: RootNode) => {
    const id = rootIdOfNode(node.id);
    if (id !== null) void actions.dropRoot(id, node.position);
  };

  // Deleting goes through the side panel, which asks first; so the Delete key does nothing here.
  return (
    <div className="canvas-frame" ref={frame}>
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
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={() => actions.select({ kind: 'none' })}
        onNodeDragStop={onNodeDragStop}
        deleteKeyCode={null}
        nodesDraggable={editable}
        nodesConnectable={editable}
        minZoom={MIN_ZOOM}
        fitView
        fitViewOptions={FIT}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <MiniMap<RootNode> pannable zoomable nodeClassName={minimapClass} ariaLabel="Minimap of the whole overlay" />
        <CanvasTools editable={editable} />
        <RefusalToast />
      </ReactFlow>
    </div>
  );
}
