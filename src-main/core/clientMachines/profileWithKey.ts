// A profile the agent enrolled (everything but the key, which stays with whoever made it) with the client's key inline,
// for a machine that gets the one file.
import type { KeyObject } from 'node:crypto';

export function withKeyInline(profile: string, key: KeyObject): string {
  // The agent's profile may name a key file on a VM; the key travels in this file instead.
  const lines = profile.trimEnd().split('\n').filter((line) => !/^key\s/.test(line));
  const pem = (key.export({ type: 'pkcs8', format: 'pem' }) as string).trim();
  return `${lines.join('\n')}\n<key>\n${pem}\n</key>\n`;
}
