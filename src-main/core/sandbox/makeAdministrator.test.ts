import { describe, expect, it } from 'vitest';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import type { login, LoginCredentials, LoginResult } from '../session/login.ts';
import type { Session } from '../session/session.ts';
import { makeAdministrator } from './makeAdministrator.ts';

const access = { entry: 'root-1' } as OverlayAccess;

/** A login that answers from a script, noting what it was asked; the session it gives notes its logout. */
function scripted(answers: Array<'ok' | { code: 'unavailable' | 'bad-credentials' | 'refused'; message: string }>) {
  const asked: LoginCredentials[] = [];
  const events: string[] = [];
  const fake = (async (_access: OverlayAccess, credentials: LoginCredentials): Promise<LoginResult> => {
    asked.push(credentials);
    const next = answers.shift() ?? { code: 'refused', message: 'script ended' };
    if (next !== 'ok') return { ok: false, ...next };
    const session = { logout: async () => (events.push('logout'), { ok: true as const }) } as unknown as Session;
    return { ok: true, session, progress: { loginId: 'l', phase: 'active', acknowledged: 2, expected: 2, waitingFor: [] } };
  }) as typeof login;
  return { fake, asked, events };
}

describe('makeAdministrator', () => {
  it('sets the password at the first login the entry root takes, then logs out', async () => {
    const { fake, asked, events } = scripted([{ code: 'unavailable', message: 'not heard root-2 yet' }, { code: 'unavailable', message: 'not heard root-2 yet' }, 'ok']);
    const waits: string[] = [];
    await makeAdministrator(access, 'random-password', { deadlineMs: 10_000, login: fake, wait: async () => undefined, onWait: (why) => waits.push(why) });
    expect(asked).toEqual(Array(3).fill({ user: 'administrator', password: 'makeitrain', newPassword: 'random-password' }));
    expect(waits).toEqual(['not heard root-2 yet', 'not heard root-2 yet']);
    expect(events).toEqual(['logout']);
  });

  it('gives up at once on any other refusal, saying why', async () => {
    const { fake, asked } = scripted([{ code: 'bad-credentials', message: 'wrong password' }, 'ok']);
    await expect(makeAdministrator(access, 'p', { deadlineMs: 10_000, login: fake, wait: async () => undefined })).rejects.toThrow('root-1 did not let the administrator be made: wrong password');
    expect(asked).toHaveLength(1);
  });

  it('gives up when the roots are still not ready at the deadline', async () => {
    let t = 0;
    const { fake } = scripted(Array(100).fill({ code: 'unavailable', message: 'not heard root-3 yet' }));
    const tried = makeAdministrator(access, 'p', { deadlineMs: 1_000, login: fake, now: () => t, wait: async (ms) => void (t += ms) });
    await expect(tried).rejects.toThrow('not heard root-3 yet');
    expect(t).toBeGreaterThanOrEqual(1_000);
  });
});
