// The drawing: roots as nodes, tunnels as edges; dragging between two roots adds a tunnel, dropping a root stores its place
// (neither while a deploy is under way).
import { Background, ConnectionMode, Controls, ReactFlow } from '@xyflow/react';
import type { Connection, EdgeTypes, NodeTypes } from '@xyflow/react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectActions, selectEdges, selectNodes } from '../store/selectors.ts';
import { RootNodeView } from './RootNodeView.tsx';
import { rootIdOfNode } from './toFlow.ts';
import type { RootNode, TunnelEdge } from './toFlow.ts';
import { TunnelEdgeView } from './TunnelEdgeView.tsx';

const nodeTypes: NodeTypes = { root: RootNodeView };
const edgeTypes: EdgeTypes = { tunnel: TunnelEdgeView };

export function Canvas() {
  const nodes = useEditor(selectNodes);
  const edges = useEditor(selectEdges);
  const actions = useEditor(selectActions);
  const editable = useOverlay(selectEditingBlocked) === null;

  const onConnect = (connection: Connection) => {
    const a = rootIdOfNode(connection.source);
    const b = rootIdOfNode(connection.target);
    if (a !== null && b !== null) void actions.connect(a, b);
  };
  // A deleted root or tunnel is only there to be seen until the deploy: clicking it selects nothing.
  const onEdgeClick = (_: unknown, edge: TunnelEdge) => {
    if (edge.data?.deleted) return;
    const a = rootIdOfNode(edge.source);
    const b = rootIdOfNode(edge.target);
    if (a !== null && b !== null) actions.select({ kind: 'tunnel', a, b });
  };
  const onNodeClick = (_: unknown, node: RootNode) => {
    if (node.data.deleted) return;
    const id = rootIdOfNode(node.id);
    if (id !== null) actions.select({ kind: 'root', id });
  };
  const onNodeDragStop = (_: unknown, node: RootNode) => {
    const id = rootIdOfNode(node.id);
    if (id !== null) void actions.dropRoot(id, node.position);
  };

  // Deleting goes through the side panel, which asks first; so the Delete key does nothing here.
  return (
    <ReactFlow<RootNode, TunnelEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      connectionMode={ConnectionMode.Loose}
      onNodesChange={actions.changeNodes}
      onConnect={onConnect}
      onNodeClick={onNodeClick}
      onEdgeClick={onEdgeClick}
      onPaneClick={() => actions.select({ kind: 'none' })}
      onNodeDragStop={onNodeDragStop}
      deleteKeyCode={null}
      nodesDraggable={editable}
      nodesConnectable={editable}
      fitView
      fitViewOptions={{ padding: 0.3, maxZoom: 1.2 }}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
