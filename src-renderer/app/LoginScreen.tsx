// The login view: the entry root, the administrator's user and password (and a new password at the first login), each
// refusal in plain words; then, while logging in, each root's agreement to the administrator lock as it arrives.
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { DEFAULT_ADMINISTRATOR } from '../../src-shared/protocol/defaultAdministrator.ts';
import type { LoginFields } from '../overlay/loginInput.ts';
import { loginInput } from '../overlay/loginInput.ts';
import { refusalWords } from '../overlay/loginRefusal.ts';
import { nodeLabel, rootNames } from '../overlay/nodeLabel.ts';
import type { RootNames } from '../overlay/nodeLabel.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectBusy, selectOverlayActions, selectOverlayInfo, selectSession } from '../overlay/overlaySelectors.ts';
import { lockProgress } from '../overlay/sessionScreen.ts';
import { Field } from '../panels/Field.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { selectTopology } from '../store/selectors.ts';
import type { SessionView } from '../../src-shared/contract/overlayContract.ts';

/** One component for the form and the wait, so what was typed survives a login that goes back to the form refused. */
export function LoginScreen() {
  const overlay = useOverlay(selectOverlayInfo);
  const session = useOverlay(selectSession);
  const busy = useOverlay(selectBusy);
  const actions = useOverlay(selectOverlayActions);
  const topology = useEditor(selectTopology);
  const names = useMemo(() => rootNames(topology), [topology]);
  const [fields, setFields] = useState<LoginFields>({ user: DEFAULT_ADMINISTRATOR.user, password: '', newPassword: '', again: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const builtIn = overlay?.sandboxAdministrator === 'built-in';
  // A sandbox that still has the built-in administrator: its credentials are filled in, as the card says.
  useEffect(() => {
    if (builtIn) setFields((typed) => (typed.password === '' ? { ...typed, password: DEFAULT_ADMINISTRATOR.password } : typed));
  }, [builtIn]);
  if (overlay === null || session === null || session.phase === 'in') return null;
  if (session.phase === 'logging-in') return <LockWait overlayName={overlay.name} session={session} names={names} />;

  const refusal = session.refusal;
  // A refused new password is asked for again, with the reason.
  const needsNewPassword = refusal?.code === 'new-password-required' || refusal?.code === 'weak-password';
  const words = refusal ? refusalWords(refusal) : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = loginInput(fields, needsNewPassword);
    setProblem(checked.ok ? null : checked.problem);
    if (checked.ok) await actions.login(checked.input);
  };
  const input = (key: keyof LoginFields, label: string, type: 'text' | 'password', autoComplete: string) => (
    <Field label={label} messages={undefined} fieldName={key}>
      {(id) => <input id={id} name={key} type={type} autoComplete={autoComplete} value={fields[key]} onChange={(e) => setFields({ ...fields, [key]: e.target.value })} />}
    </Field>
  );

  return (
    <div className="login-screen">
      <section className="login-card" aria-labelledby="login-title">
        <h1 id="login-title">Log in to {overlay.name}</h1>
        <p>
          You log in at the entry root, <strong>{nodeLabel(overlay.entry, names)}</strong> at <code>{overlay.entryUrl}</code>. Every cloud's root then agrees
          that you are the administrator, so that no one else changes the overlay while you do.
        </p>
        {overlay.sandbox && <SandboxCredentials builtIn={builtIn} />}
        {words && (
          <div className="refusal" role="alert">
            <p className="refusal-reason">{words.headline}</p>
            {words.detail && <p className="muted">{words.detail}</p>}
          </div>
        )}
        <form onSubmit={submit} aria-label="Log in">
          {input('user', 'User', 'text', 'username')}
          {input('password', needsNewPassword ? 'Current password' : 'Password', 'password', 'current-password')}
          {needsNewPassword && (
            <>
              {input('newPassword', 'New password', 'password', 'new-password')}
              {input('again', 'New password again', 'password', 'new-password')}
            </>
          )}
          {problem && (
            <p className="field-problem" role="alert">
              {problem}
            </p>
          )}
          <div className="form-buttons">
            <button type="submit" className="primary" disabled={busy}>
              Log in
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}

/** Where the sandbox's credentials come from: the built-in ones, filled in, or the password kept when it was brought up. */
function SandboxCredentials({ builtIn }: { builtIn: boolean }) {
  if (builtIn) {
    return (
      <p className="sandbox-credentials">
        This sandbox still has Raincoat's built-in administrator, and its credentials are filled in: user <code>{DEFAULT_ADMINISTRATOR.user}</code>, password{' '}
        <code>{DEFAULT_ADMINISTRATOR.password}</code>. Press <strong>Log in</strong>, then choose a password of your own; the sandbox keeps it for its commands.
      </p>
    );
  }
  return (
    <p className="muted sandbox-credentials">
      The sandbox's password was printed when <code>npm start</code> brought the sandbox up; <code>raincoat</code> keeps it in the sandbox folder's{' '}
      <code>admin-password</code> file.
    </p>
  );
}

function LockWait({ overlayName, session, names }: { overlayName: string; session: Extract<SessionView, { phase: 'logging-in' }>; names: RootNames }) {
  const progress = lockProgress(session);
  return (
    <div className="login-screen">
      <section className="login-card" aria-labelledby="wait-title">
        <h1 id="wait-title">Logging in to {overlayName}</h1>
        <p role="status">{progress.headline}</p>
        <p className="muted">Each cloud's root must agree before you can change anything: this keeps two administrators from deploying at once.</p>
        {session.expected > 0 && <progress max={session.expected} value={session.acknowledged} aria-label="Roots that agreed" />}
        {progress.roots.length > 0 && (
          <ul className="lock-roots" aria-label="Roots">
            {progress.roots.map((r) => (
              <li key={r.node} className={r.agreed ? 'tone-good' : 'tone-busy'}>
                <span aria-hidden="true">{r.agreed ? '✔' : '…'}</span> {nodeLabel(r.node, names)}: {r.agreed ? 'agreed' : 'waiting'}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
