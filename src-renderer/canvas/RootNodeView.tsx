// A root on the canvas: its name, overlay, clients and leaves, with the handle a tunnel is dragged from.
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { RootNode } from './toFlow.ts';

export const RootNodeView = memo(function RootNodeView({ data, selected }: NodeProps<RootNode>) {
  return (
    <div className={selected ? 'root-node selected' : 'root-node'} data-testid="root-node">
      <Handle type="target" position={Position.Top} />
      <div className="root-node-name">{data.name}</div>
      <div className="root-node-overlay">{data.overlay}</div>
      <div className="root-node-counts">
        {data.maxClients} clients · {data.leaves} {data.leaves === 1 ? 'leaf' : 'leaves'}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
