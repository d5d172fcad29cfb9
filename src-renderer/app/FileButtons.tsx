// Import and export of the topology file: importing over pending changes asks first, a file with problems shows them
// all and changes nothing, and where an export went is said until dismissed.
import { useState } from 'react';
import { count } from '../../src-shared/text/count.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { ImportProblemsDialog } from '../dialogs/ImportProblemsDialog.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { describeChanges } from '../store/pendingChangesText.ts';
import { selectActions, selectChanges, selectTopology } from '../store/selectors.ts';
import { useTopologyFiles } from './FilesContext.tsx';
import type { ImportOutcome } from './topologyFiles.ts';

export function FileButtons({ blocked }: { blocked: boolean }) {
  const files = useTopologyFiles();
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const changes = useEditor(selectChanges);
  const [replacing, setReplacing] = useState(false);
  const [refused, setRefused] = useState<Extract<ImportOutcome, { kind: 'refused' }> | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (work: () => Promise<void>) => {
    setNote(null);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  const importFile = () =>
    run(async () => {
      const outcome = await files.importTopology();
      if (outcome.kind === 'refused') setRefused(outcome);
      if (outcome.kind === 'imported') {
        actions.select({ kind: 'none' });
        setNote('Topology imported: undo brings back the one it replaced.');
      }
    });
  const exportFile = () =>
    run(async () => {
      if (!topology) return;
      const where = await files.exportTopology(topology);
      if (where !== null) setNote(`Topology exported to ${where}.`);
    });
  const pending = changes?.count ?? 0;

  return (
    <>
      <button type="button" disabled={blocked} title="Replace the pending topology with a JSON topology file" onClick={() => (pending > 0 ? setReplacing(true) : void importFile())}>
        Import…
      </button>
      <button type="button" disabled={!topology} title="Save the pending topology as the JSON file raincoat validate reads" onClick={() => void exportFile()}>
        Export…
      </button>
      {replacing && changes && (
        <ConfirmDialog
          title="Replace the pending topology?"
          message={`Importing a file replaces the pending topology and its ${count(pending, 'pending change')} (${describeChanges(changes)}). Undo brings them back.`}
          confirmLabel="Choose a file…"
          onCancel={() => setReplacing(false)}
          onConfirm={() => {
            setReplacing(false);
            void importFile();
          }}
        />
      )}
      {refused && <ImportProblemsDialog reason={refused.reason} problems={refused.problems} onClose={() => setRefused(null)} />}
      {(note ?? failure) !== null && (
        <div className={`toast${failure === null ? '' : ' error'}`} role={failure === null ? 'status' : 'alert'}>
          <span>{failure ?? note}</span>
          <button type="button" aria-label="Dismiss" onClick={() => (setNote(null), setFailure(null))}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
