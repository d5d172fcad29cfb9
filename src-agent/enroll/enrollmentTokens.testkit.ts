// Enrollment tokens kept in memory for tests: the store as a test can read it, and the tokens on it.
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { createEnrollmentTokens } from './enrollmentTokens.ts';
import type { EnrollmentTokens, EnrollmentTokensFile } from './enrollmentTokens.ts';

function memoryStore(): StateStore<EnrollmentTokensFile> & { saved: EnrollmentTokensFile | undefined } {
  const store = {
    saved: undefined as EnrollmentTokensFile | undefined,
    load: async () => (store.saved ? { kind: 'ok' as const, value: structuredClone(store.saved) } : { kind: 'missing' as const }),
    save: async (value: EnrollmentTokensFile) => {
      store.saved = structuredClone(value);
    },
  };
  return store;
}

export function memoryTokens(now: () => number): { tokens: EnrollmentTokens; store: ReturnType<typeof memoryStore> } {
  const store = memoryStore();
  return { tokens: createEnrollmentTokens({ store, now }), store };
}
