// Administrator states for tests: valid in shape (a sealed envelope that opens nothing), made apart by their topology
// and the size of their deployed record.
import type { AdminState } from './adminState.ts';

const b64 = (chars: number, fill = 'A') => fill.repeat(chars);

/** A state whose `deployed` is `deployedChars` characters of base64url. */
export function sampleAdminState(topologyId = 'topology-1', deployedChars = 64, fill = 'A'): AdminState {
  return {
    version: 1,
    topologyId,
    deployedAt: '2026-12-08T10:00:00.000Z',
    deployed: b64(deployedChars, fill),
    keys: {
      format: 'raincoat-sealed',
      version: 1,
      purpose: 'overlay-keys',
      data: { iv: b64(16), ct: b64(40) },
      passphraseKey: { kdf: 'scrypt', N: 2 ** 14, r: 8, p: 1, salt: b64(22), iv: b64(16), ct: b64(64) },
    },
  };
}
