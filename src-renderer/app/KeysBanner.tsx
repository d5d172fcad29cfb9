// Asks for the passphrase of the overlay's kept keys when a deploy would need it: theirs to open them, or a new one
// (typed twice) to seal them the first time. It stays in main's memory until the application closes.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { KeysNeed } from '../overlay/keysPrompt.ts';
import { passphraseProblem } from '../overlay/keysPrompt.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectBusy, selectOverlayActions } from '../overlay/overlaySelectors.ts';
import { Field } from '../panels/Field.tsx';

export function KeysBanner({ need }: { need: KeysNeed }) {
  const actions = useOverlay(selectOverlayActions);
  const busy = useOverlay(selectBusy);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = passphraseProblem(need, passphrase, again);
    setProblem(wrong);
    if (wrong !== null) return;
    if (await actions.unlockKeys(passphrase)) {
      setPassphrase('');
      setAgain('');
    }
  };
  return (
    <form className="banner warning keys-form" aria-label="Overlay keys" onSubmit={(event) => void submit(event)}>
      <p>
        {need === 'theirs'
          ? "This overlay's keys (its certificate authorities and tunnel keys) are sealed under your passphrase: give it to deploy."
          : "Choose a passphrase for this overlay's keys (its certificate authorities and tunnel keys): they are kept sealed under it, and a new workstation needs it to take over."}
      </p>
      <Field label="Passphrase" messages={problem === null ? undefined : [problem]} fieldName="passphrase">
        {(id, describedBy) => <input id={id} type="password" autoComplete={need === 'new' ? 'new-password' : 'current-password'} value={passphrase} aria-describedby={describedBy} onChange={(e) => setPassphrase(e.target.value)} />}
      </Field>
      {need === 'new' && (
        <Field label="Passphrase again" messages={undefined} fieldName="passphrase-again">
          {(id) => <input id={id} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}
        </Field>
      )}
      <button type="submit" disabled={busy}>
        {need === 'theirs' ? 'Open the keys' : 'Seal the keys'}
      </button>
    </form>
  );
}
