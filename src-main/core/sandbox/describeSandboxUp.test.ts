import { describe, expect, it } from 'vitest';
import { sampleAccess } from '../overlayAccess/overlayAccess.testkit.ts';
import { describeSandboxUp } from './describeSandboxUp.ts';

const up = {
  access: sampleAccess(),
  accessFile: '/state/sandbox/overlay-access.json',
  password: 'the-random-password',
  passwordFile: '/state/sandbox/admin-password',
  passphraseFile: '/state/sandbox/keys-passphrase',
  hostPid: 4242,
  ms: 6100,
};

describe('describeSandboxUp', () => {
  it('shows the password once, and says plainly where the keys’ passphrase is kept, and that this is a demonstration', () => {
    const lines = describeSandboxUp(up);
    expect(lines).toContain('  administrator  administrator, password the-random-password');
    expect(lines).toContain('  keys           sealed under a random passphrase kept in /state/sandbox/keys-passphrase (mode 0600), beside the password:');
    expect(lines).toContain("                 a local demonstration; a real overlay's passphrase is the administrator's alone, kept nowhere");
  });
});
