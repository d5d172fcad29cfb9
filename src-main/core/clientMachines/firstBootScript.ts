// Fills the client VMs' first-boot script (resources/agent/cloud-init/client-user-data.sh) with where to enroll and the
// token: each value goes between the single quotes the template puts around its placeholder.
export interface EnrollmentPlace {
  /** The agent's address and HTTPS port the VM reaches. */
  host: string;
  port: number;
  /** The node name its certificate carries (`root-1`): the script pins TLS to it. */
  node: string;
  token: string;
  controlCaPem: string;
}

const PLACEHOLDERS: ReadonlyArray<[string, (place: EnrollmentPlace) => string]> = [
  ['@@ENROLL_HOST@@', (p) => p.host],
  ['@@ENROLL_PORT@@', (p) => String(p.port)],
  ['@@ENROLL_NODE@@', (p) => p.node],
  ['@@ENROLL_TOKEN@@', (p) => p.token],
  ['@@CONTROL_CA_PEM@@', (p) => p.controlCaPem.trim()],
];

/** Throws when the template lacks a placeholder's quoted slot, or a value would end its quotes early. */
export function firstBootScript(template: string, place: EnrollmentPlace): string {
  let script = template;
  for (const [placeholder, valueOf] of PLACEHOLDERS) {
    const slot = `'${placeholder}'`;
    if (!script.includes(slot)) throw new Error(`the first-boot script has no ${slot} to fill`);
    const value = valueOf(place);
    // Inside single quotes the shell takes everything literally but a single quote.
    if (value.includes("'")) throw new Error(`${placeholder.slice(2, -2).toLowerCase()} holds a single quote, which the script cannot carry`);
    script = script.replaceAll(slot, `'${value}'`);
  }
  return script;
}

/** The host and port of an agent's `https://host[:port]` address, as the script's `curl --resolve` takes them. */
export function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === '' ? 443 : Number(parsed.port) };
}
