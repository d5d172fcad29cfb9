// Edits one root's fields (or a new root's), shows each validation problem under its field, and deletes the root after asking;
// all of it waits while a deploy is under way.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { CLOUD_PROVIDERS } from '../../src-shared/topology/schemas.ts';
import type { CloudProvider, Topology } from '../../src-shared/topology/schemas.ts';
import { ConfirmButton } from '../dialogs/ConfirmButton.tsx';
import { Field } from './Field.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import type { DraftRoot } from '../store/edits.ts';
import { numberOrText, tunnelsOf } from '../store/edits.ts';
import type { RootField } from '../store/fieldProblems.ts';
import { rootIsDeployed } from '../store/pendingChangesText.ts';
import { selectActions, selectChanges } from '../store/selectors.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked } from '../overlay/overlaySelectors.ts';

export interface RootFormProps {
  topology: Topology;
  initial: DraftRoot;
  isNew: boolean;
  problems: Partial<Record<RootField, string[]>>;
}

export function RootForm({ topology, initial, isNew, problems }: RootFormProps) {
  const actions = useEditor(selectActions);
  const blocked = useOverlay(selectEditingBlocked);
  const changes = useEditor(selectChanges);
  const [fields, setFields] = useState<{ name: string; internetAddress: string; overlay: string; maxClients: string; provider: CloudProvider }>({
    name: initial.name,
    internetAddress: initial.internetAddress,
    overlay: initial.overlay,
    maxClients: String(initial.maxClients),
    provider: initial.cloud?.provider ?? 'existing',
  });
  const [saving, setSaving] = useState(false);

  /** The form's fields only: where the root sits on the canvas is the canvas's to change. */
  const edited = () => ({
    name: fields.name,
    internetAddress: fields.internetAddress.trim(),
    overlay: fields.overlay.trim(),
    maxClients: numberOrText(fields.maxClients),
    cloud: { ...initial.cloud, provider: fields.provider },
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    if (isNew) await actions.command({ kind: 'addRoot', root: { ...initial, ...edited() } }, { kind: 'root', id: initial.id });
    else await actions.command({ kind: 'editRoot', id: initial.id, changes: edited() });
    setSaving(false);
  };
  const field = (key: 'name' | 'internetAddress' | 'overlay' | 'maxClients', label: string, hint: string) => (
    <Field label={label} messages={problems[key]} fieldName={key}>
      {(id, describedBy) => (
        <input
          id={id}
          name={key}
          value={fields[key]}
          placeholder={hint}
          aria-invalid={problems[key] ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
        />
      )}
    </Field>
  );
  const tunnelCount = isNew ? 0 : tunnelsOf(topology, initial.id).length;
  const goes =
    tunnelCount === 0
      ? `Root ${initial.name} (${initial.overlay}) and its leaves leave the pending topology.`
      : `Root ${initial.name} (${initial.overlay}), its leaves and its ${tunnelCount} tunnel${tunnelCount === 1 ? '' : 's'} leave the pending topology.`;
  const stays = changes && rootIsDeployed(changes, initial.id) ? ' They stay on the overlay, struck through, until the next deploy removes them.' : '';

  return (
    <form className="root-form" onSubmit={submit} aria-label={isNew ? 'New root' : `Root ${initial.name}`}>
      <h2>{isNew ? 'New root' : initial.name}</h2>
      <p className="muted">id {initial.id}</p>
      <fieldset className="plain" disabled={blocked !== null}>
        {field('name', 'Name', 'aws-east')}
        {field('internetAddress', 'Internet address', '203.0.113.10')}
        {field('overlay', 'Overlay', '10.1.0.0/16')}
        {field('maxClients', 'Max clients', '250')}
        <Field label="Cloud" messages={problems.cloud} fieldName="cloud">
          {(id, describedBy) => (
            <select id={id} value={fields.provider} aria-describedby={describedBy} onChange={(e) => setFields({ ...fields, provider: e.target.value as CloudProvider })}>
              {CLOUD_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={saving}>
            {isNew ? 'Add root' : 'Save'}
          </button>
          {isNew ? (
            <button type="button" onClick={() => actions.select({ kind: 'none' })}>
              Cancel
            </button>
          ) : (
            <ConfirmButton
            label="Delete…"
              title={`Delete ${initial.name}?`}
              message={goes + stays}
              confirmLabel="Delete root"
              onConfirm={() => void actions.command({ kind: 'deleteRoot', id: initial.id }, { kind: 'none' })}
            />
          )}
        </div>
      </fieldset>
    </form>
  );
}
