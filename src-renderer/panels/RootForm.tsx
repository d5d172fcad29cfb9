// Edits one root's fields (or a new root's): each problem the shared validation finds shows under its field as it is
// typed (and all of them once Save is pressed), and the panel hears whether there is an unsaved edit; all of it waits
// while a deploy is under way.
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { nattedByDefault, type CloudProvider, type Topology } from '../../src-shared/topology/schemas.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import type { DraftRoot } from '../store/edits.ts';
import type { RootField } from '../store/fieldProblems.ts';
import { selectActions } from '../store/selectors.ts';
import { CLOUD_WORDS } from './cloudWords.ts';
import { Field } from './Field.tsx';
import { asSentence } from './problemWords.ts';
import type { RootFields } from './rootDraft.ts';
import { changedFields, draftProblems, editedFields, fieldsOf, nattedAfterTick } from './rootDraft.ts';

/** What the panel needs to know of the form to ask before an edit is lost. */
export interface FormEdit {
  changed: RootField[];
  invalid: boolean;
}

export interface RootFormProps {
  topology: Topology;
  initial: DraftRoot;
  /** Where the root sits in `topology.roots` (the end for a new one): problem paths count from there. */
  index: number;
  isNew: boolean;
  onEdit(edit: FormEdit): void;
  onDelete(): void;
}

export function RootForm({ topology, initial, index, isNew, onEdit, onDelete }: RootFormProps) {
  const actions = useEditor(selectActions);
  const blocked = useOverlay(selectEditingBlocked);
  const [fields, setFields] = useState<RootFields>(() => fieldsOf(initial));
  const [saving, setSaving] = useState(false);
  // Before the first Save a new root's empty fields are not yet wrong, only not filled in.
  const [submitted, setSubmitted] = useState(false);
  const changed = useMemo(() => changedFields(initial, fields), [initial, fields]);
  const problems = useMemo(() => draftProblems(topology, index, { ...initial, ...editedFields(initial, fields) }), [topology, index, initial, fields]);
  const invalid = Object.keys(problems).length > 0;
  const shown = (field: RootField) => (submitted || changed.includes(field) ? problems[field]?.map(asSentence) : undefined);

  useEffect(() => onEdit({ changed, invalid }), [onEdit, changed, invalid]);
  useEffect(() => () => onEdit({ changed: [], invalid: false }), [onEdit]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setSaving(true);
    // Sent even when invalid: main has the last word and says why in the panel.
    if (isNew) await actions.command({ kind: 'addRoot', root: { ...initial, ...editedFields(initial, fields) } }, { kind: 'root', id: initial.id });
    else await actions.command({ kind: 'editRoot', id: initial.id, changes: editedFields(initial, fields) });
    setSaving(false);
  };
  const field = (key: 'name' | 'internetAddress' | 'overlay' | 'maxClients', label: string, hint: string, inputMode?: 'numeric' | 'decimal') => (
    <Field label={label} messages={shown(key)} fieldName={key}>
      {(id, describedBy) => (
        <input
          id={id}
          name={key}
          value={fields[key]}
          placeholder={hint}
          inputMode={inputMode}
          aria-invalid={shown(key) ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <form className="root-form" onSubmit={submit} aria-label={isNew ? 'New root' : `Root ${initial.name}`}>
      <h2>{isNew ? 'New root' : initial.name}</h2>
      <p className="muted">id {initial.id}</p>
      <fieldset className="plain" disabled={blocked !== null}>
        {field('name', 'Name', 'aws-east')}
        {field('internetAddress', 'Internet address', '203.0.113.10', 'decimal')}
        {field('overlay', 'Overlay', '10.1.0.0/16')}
        {field('maxClients', 'Max clients', '250', 'numeric')}
        <Field label="Cloud" messages={shown('cloud')} fieldName="cloud">
          {(id, describedBy) => (
            <select id={id} value={fields.provider} aria-describedby={describedBy} onChange={(e) => setFields({ ...fields, provider: e.target.value as CloudProvider })}>
              {Object.entries(CLOUD_WORDS).map(([provider, words]) => (
                <option key={provider} value={provider}>
                  {words}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            name="natted"
            checked={fields.natted ?? nattedByDefault(fields.provider)}
            aria-describedby={`natted-hint-${initial.id}`}
            onChange={(e) => setFields({ ...fields, natted: nattedAfterTick(fields.provider, e.target.checked) })}
          />
          NAT: the machine's public address is mapped onto a private address
        </label>
        <p className="muted hint" id={`natted-hint-${initial.id}`}>
          Tick it when the machine does not see its internet address on its own network card, as on Amazon EC2,
          Eucalyptus, Azure and Google Cloud; set by the cloud chosen. Raincoat then listens on the private address and
          tells the other roots the internet one.
        </p>
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={saving}>
            {isNew ? 'Add root' : 'Save'}
          </button>
          {isNew ? (
            <button type="button" onClick={() => actions.select({ kind: 'none' })}>
              Cancel
            </button>
          ) : (
            <button type="button" className="danger" title="Also the Delete key" onClick={onDelete}>
              Delete…
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}
