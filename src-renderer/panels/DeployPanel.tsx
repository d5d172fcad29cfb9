// A deploy beside the graph: each node's progress while nodes report, then how it ended, with every failure and why.
import { useMemo } from 'react';
import { DEPLOY_LOOK, reportedText } from '../overlay/deployProgress.ts';
import { summarizeOutcome } from '../overlay/deployOutcome.ts';
import { nodeLabel, rootNames } from '../overlay/nodeLabel.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectDeploy, selectOverlayActions } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectTopology } from '../store/selectors.ts';
import { StateBadge } from './StateBadge.tsx';

export function DeployPanel() {
  const deploy = useOverlay(selectDeploy);
  const actions = useOverlay(selectOverlayActions);
  const topology = useEditor(selectTopology);
  const names = useMemo(() => rootNames(topology), [topology]);
  const summary = useMemo(() => (deploy ? summarizeOutcome(deploy) : null), [deploy]);
  if (deploy === null) return null;
  return (
    <section className="deploy-panel" aria-label="Deploy">
      <h2>{summary ? 'Deploy done' : 'Deploying'}</h2>
      {deploy.topologyId !== null && <p className="muted topology-id">topology {deploy.topologyId}</p>}
      {summary ? (
        <div className={`outcome tone-${summary.tone}`} role="status">
          <p className="outcome-headline">{summary.headline}</p>
          {summary.details.length > 0 && (
            <ul>
              {summary.details.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
          {summary.failures.length > 0 && (
            <ul aria-label="Failures">
              {summary.failures.map((f) => (
                <li key={f.node}>
                  {nodeLabel(f.node, names)} {f.state === 'failed' ? 'failed' : 'could not be reached'}: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p role="status">{reportedText(deploy)}</p>
      )}
      {deploy.nodes.length > 0 && (
        <ul className="deploy-nodes" aria-label="Nodes in this deploy">
          {deploy.nodes.map((n) => (
            <li key={n.node} data-node={n.node}>
              <span className="node-label">{nodeLabel(n.node, names)}</span> <StateBadge look={DEPLOY_LOOK[n.state]} />
              {n.reason !== undefined && <div className="reason">{n.reason}</div>}
            </li>
          ))}
        </ul>
      )}
      {deploy.notices.length > 0 && (
        <ul className="notices" aria-label="Notices">
          {deploy.notices.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      {summary && (
        <div className="form-buttons">
          <button type="button" onClick={actions.closeDeploy}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}
