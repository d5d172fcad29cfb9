// A short help one click away: what a root, a leaf and a tunnel are, how to draw them, and the keys.
import { ClosingDialog } from './ClosingDialog.tsx';

const KEYS: Array<[string, string]> = [
  ['Ctrl+Z', 'undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'redo'],
  ['Delete', 'delete the selected root or tunnel (after asking)'],
  ['Escape', 'let go of the selection, or close a dialog'],
  ['Tab', 'move between the controls; every one can be reached without a mouse'],
];

export function HelpDialog({ onClose }: { onClose(): void }) {
  return (
    <ClosingDialog title="How Raincoat works" className="wide-dialog help-dialog" onClose={onClose}>
      <p>Raincoat joins the clouds you run machines in into one private network, the overlay. You draw it; Raincoat makes the keys and the VPN configuration and deploys them.</p>
      <dl className="help-terms">
        <dt>Root</dt>
        <dd>One per cloud or site: the machine that joins that cloud to the others. It owns a block of private addresses (its overlay, a /16) for the cloud's client machines.</dd>
        <dt>Leaf</dt>
        <dd>A VPN server inside a cloud that client machines connect to. Raincoat adds as many as the root's max clients need (about 100 clients each); you never draw them.</dd>
        <dt>Tunnel</dt>
        <dd>An encrypted link between two roots. Clients of two clouds reach each other along the tunnels drawn, directly or through other roots.</dd>
        <dt>Client machine</dt>
        <dd>Any VM of yours in a cloud: it connects to a leaf of its cloud's root and gets an address in the overlay.</dd>
      </dl>
      <h3>Drawing</h3>
      <p>Add a root with the Add root button, edit it in the panel on the right, and drag from one root onto another to add a tunnel. Nothing reaches the clouds until you deploy; Deploy shows exactly what each machine will get first.</p>
      <h3>Keys</h3>
      <table className="help-keys">
        <tbody>
          {KEYS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ClosingDialog>
  );
}
