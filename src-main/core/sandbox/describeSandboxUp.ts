// What `raincoat sandbox up` and `npm start` print once a sandbox is up: its agents, the entry root, the access file, the
// password (once) and where the keys' passphrase is kept.
import { count } from '../../../src-shared/text/count.ts';
import type { SandboxUp } from './sandboxUp.ts';

export function describeSandboxUp(up: SandboxUp): string[] {
  const nodes = Object.keys(up.access.nodes);
  const roots = nodes.filter((n) => n.startsWith('root-')).length;
  return [
    `The sandbox overlay is up: ${count(nodes.length, 'agent')} on 127.0.0.1 (${count(roots, 'root')}, ${count(nodes.length - roots, 'leaf', 'leaves')}) in ${(up.ms / 1000).toFixed(1)} s.`,
    `  entry root     ${up.access.entry} at ${up.access.nodes[up.access.entry]!.url}`,
    `  access file    ${up.accessFile}`,
    `                 the application and "raincoat login", "status" and "deploy" use it when given no --access`,
    `  administrator  administrator, password ${up.password}`,
    `                 shown only now; kept for the command line in ${up.passwordFile} (mode 0600)`,
    `  keys           sealed under a random passphrase kept in ${up.passphraseFile} (mode 0600), beside the password:`,
    `                 a local demonstration; a real overlay's passphrase is the administrator's alone, kept nowhere`,
    `"raincoat sandbox status" shows every node; "raincoat sandbox down" takes it all down.`,
  ];
}
