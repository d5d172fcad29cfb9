// A deploy while it is prepared and when its plan waits for an answer: every node added, changed, unchanged or removed
// (a node with files opens to their diffs and, on VyOS, its set/delete commands), the keys to be made, the tunnels
// removed; Deploy approves, Cancel declines.
import { useEffect, useMemo, useRef } from 'react';
import type { DeployPlanView } from '../../src-shared/contract/overlayContract.ts';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { RootNames } from '../overlay/nodeLabel.ts';
import { nodeLabel, rootNames } from '../overlay/nodeLabel.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectBusy, selectDeploy, selectOverlayActions } from '../overlay/overlaySelectors.ts';
import { diffLineKind, planCounts } from '../overlay/planSummary.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectTopology } from '../store/selectors.ts';

type PlanNode = DeployPlanView['nodes'][number];

export function PlanDialog() {
  const deploy = useOverlay(selectDeploy);
  const busy = useOverlay(selectBusy);
  const actions = useOverlay(selectOverlayActions);
  const topology = useEditor(selectTopology);
  const names = useMemo(() => rootNames(topology), [topology]);
  const cancel = useRef<HTMLButtonElement>(null);
  const plan = deploy?.phase === 'planned' ? deploy.plan : null;
  // Focus starts on Cancel once there is a plan, so a stray Enter sends nothing.
  useEffect(() => {
    if (plan) cancel.current?.focus();
  }, [plan]);
  if (deploy === null) return null;

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && plan && !busy && void actions.decline()}>
      <div className="dialog plan-dialog" role="dialog" aria-modal="true" aria-labelledby="plan-title">
        <h2 id="plan-title">{plan ? 'Deploy this plan?' : 'Preparing the deploy'}</h2>
        {plan ? (
          <>
            <p>
              {planCounts(plan)}. Nothing is sent until you press Deploy; open a node to see exactly what it will receive.
            </p>
            <div className="plan-body">
              <ul className="plan-nodes" aria-label="Nodes">
                {plan.nodes.map((node) => (
                  <PlanNodeItem key={node.node} node={node} names={names} />
                ))}
              </ul>
              <PlanList title="Keys to be made" items={plan.keys} />
              <PlanList title="Tunnels removed" items={plan.removedTunnels.map((t) => `${nodeLabel(rootNodeName(t.a), names)} ↔ ${nodeLabel(rootNodeName(t.b), names)} (${t.name})`)} />
              <PlanList title="Notices" items={deploy.notices} />
            </div>
            <div className="dialog-buttons">
              <button type="button" ref={cancel} disabled={busy} onClick={() => void actions.decline()}>
                Cancel
              </button>
              <button type="button" className="primary" disabled={busy} onClick={() => void actions.approve()}>
                Deploy
              </button>
            </div>
          </>
        ) : (
          <>
            <p role="status">Checking the topology, making the keys that are new and writing each node's configuration…</p>
            <PlanList title="Notices" items={deploy.notices} />
          </>
        )}
      </div>
    </div>
  );
}

function PlanNodeItem({ node, names }: { node: PlanNode; names: RootNames }) {
  const line = (
    <>
      <span className="node-label">{nodeLabel(node.node, names)}</span> <span className={`change change-${node.change}`}>{node.change}</span>{' '}
      <span className="muted">{node.backend}</span>
    </>
  );
  const commands = node.commands ?? [];
  if (node.files.length === 0 && commands.length === 0) return <li data-node={node.node}>{line}</li>;
  return (
    <li data-node={node.node}>
      <details>
        <summary>{line}</summary>
        {node.files.map((file) => (
          <div className="file-diff" key={file.path}>
            <div className="file-path">
              {file.path} <span className="muted">({file.change})</span>
            </div>
            <pre>
              {file.diff.map((text, i) => (
                <span key={i} className={`diff-${diffLineKind(text)}`}>
                  {text}
                  {'\n'}
                </span>
              ))}
            </pre>
          </div>
        ))}
        {commands.length > 0 && (
          <div className="file-diff">
            <div className="file-path">VyOS commands</div>
            <pre>{commands.join('\n')}</pre>
          </div>
        )}
      </details>
    </li>
  );
}

function PlanList({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
