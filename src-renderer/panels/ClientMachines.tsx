// A deployed root's client machines: the first-boot script (cloud-init user data) that gets new VMs of its cloud onto the
// overlay, to copy or download, and a client profile for a machine set up by hand.
import { useState } from 'react';
import type { FirstBootScript } from '../../src-shared/contract/clientMachinesContract.ts';
import { MAX_TOKEN_USES } from '../../src-shared/protocol/agentApi.ts';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { count } from '../../src-shared/text/count.ts';
import { useClientMachinesPort } from './ClientMachinesContext.tsx';
import { Field } from './Field.tsx';
import './clientMachines.css';

type Said = { text: string; failed: boolean };

/** The number typed, when it is a whole number of machines a token can enroll; else why not. */
export function machinesOf(typed: string): { ok: true; machines: number } | { ok: false; problem: string } {
  const machines = Number(typed.trim());
  if (typed.trim() === '' || !Number.isInteger(machines) || machines < 1 || machines > MAX_TOKEN_USES) return { ok: false, problem: `A whole number from 1 to ${MAX_TOKEN_USES.toLocaleString('en')}.` };
  return { ok: true, machines };
}

export function ClientMachines({ rootId, rootName }: { rootId: number; rootName: string }) {
  const { api, copy, download } = useClientMachinesPort();
  const [typed, setTyped] = useState('1');
  const [script, setScript] = useState<FirstBootScript | null>(null);
  const [said, setSaid] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  const wanted = machinesOf(typed);
  const node = rootNodeName(rootId);

  /** One call at a time; what it did (or why not) becomes the line under the buttons. */
  const run = async (call: () => Promise<Said | null>) => {
    setBusy(true);
    try {
      setSaid(await call());
    } catch (error) {
      setSaid({ text: error instanceof Error ? error.message : String(error), failed: true });
    } finally {
      setBusy(false);
    }
  };

  const makeScript = () =>
    run(async () => {
      if (!wanted.ok) return { text: wanted.problem, failed: true };
      const answer = await api['clients.firstBoot']({ rootId, machines: wanted.machines });
      if (!answer.ok) return { text: answer.reason, failed: true };
      setScript(answer);
      return null;
    });

  const makeProfile = () =>
    run(async () => {
      const answer = await api['clients.profile']({ rootId });
      if (!answer.ok) return { text: answer.reason, failed: true };
      download(`${answer.name}.ovpn`, answer.profile);
      return { text: `${answer.name}.ovpn downloaded: it connects through ${answer.node}. Its key is in that file and nowhere else: keep it safe.`, failed: false };
    });

  return (
    <section className="client-machines" aria-label={`Client machines of ${rootName}`}>
      <h3>Client machines</h3>
      <p className="muted">
        A new VM in this cloud joins the overlay at its first boot when given this script as its user data (cloud-init): it makes its own key, enrolls at {node} with a
        one-time token and connects to a leaf with OpenVPN.
      </p>
      <div className="machines-row">
        <Field label="Machines" messages={wanted.ok ? undefined : [wanted.problem]} fieldName="machines">
          {(id, describedBy) => <input id={id} inputMode="numeric" value={typed} aria-invalid={wanted.ok ? undefined : true} aria-describedby={describedBy} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
        <button type="button" disabled={busy || !wanted.ok} onClick={() => void makeScript()}>
          Make first-boot script
        </button>
      </div>
      {script && (
        <>
          <textarea readOnly aria-label={`First-boot script for ${rootName}`} value={script.script} spellCheck={false} />
          <p className="said">
            Its token enrolls {count(script.machines, 'machine')} until {new Date(script.expiresAt).toLocaleString()}. Whoever has the script can use it: keep it as
            private as a password.
          </p>
          <div className="form-buttons">
            <button type="button" onClick={() => void run(async () => (await copy(script.script), { text: 'Copied.', failed: false }))}>
              Copy
            </button>
            <button type="button" onClick={() => download(`raincoat-client-${script.node}.sh`, script.script)}>
              Download
            </button>
          </div>
        </>
      )}
      <p className="muted">For a machine you set up by hand: an OpenVPN profile with a certificate and key of its own.</p>
      <button type="button" disabled={busy} onClick={() => void makeProfile()}>
        Download a client profile
      </button>
      {said && (
        <p className={said.failed ? 'said failed' : 'said'} role={said.failed ? 'alert' : 'status'}>
          {said.text}
        </p>
      )}
    </section>
  );
}
