// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { OverlayProvider } from '../overlay/OverlayContext.tsx';
import { createOverlayStore } from '../overlay/overlayStore.ts';
import type { OverlayApi } from '../overlay/overlayStore.ts';
import { fakeMain } from '../panels/editorHarness.testkit.tsx';
import { createEditorStore } from '../store/editorStore.ts';
import { EditorProvider } from '../store/EditorContext.tsx';
import { LoginScreen } from './LoginScreen.tsx';

afterEach(cleanup);

const OUT: OverlayState['session'] = { phase: 'out', refusal: null, ended: null };

async function loginCard(overlay: Partial<NonNullable<OverlayState['overlay']>>) {
  const editor = createEditorStore(fakeMain({ roots: [], tunnels: [] }).api);
  await editor.getState().actions.load();
  const store = createOverlayStore({} as OverlayApi);
  render(
    <EditorProvider store={editor}>
      <OverlayProvider store={store}>
        <LoginScreen />
      </OverlayProvider>
    </EditorProvider>,
  );
  act(() => store.getState().actions.receiveEvent({ overlay: { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:4001', sandbox: true, nodes: 8, ...overlay }, session: OUT, status: null, deploy: null, keys: null, revision: 1 }));
  const field = (label: string) => (screen.getByLabelText(label, { exact: true }) as HTMLInputElement).value;
  return { card: screen.getByRole('region', { name: 'Log in to sandbox' }).textContent ?? '', user: field('User'), password: field('Password') };
}

describe('the login card', () => {
  it.each<[string, Partial<NonNullable<OverlayState['overlay']>>, RegExp, RegExp | null, string]>([
    ['a sandbox with the built-in administrator', { sandboxAdministrator: 'built-in' }, /built-in administrator, and its credentials are filled in: user administrator, password makeitrain\. Press Log in, then choose a password of your own/, /printed when npm start/, 'makeitrain'],
    ['a sandbox whose password is kept', { sandboxAdministrator: 'kept' }, /The sandbox's password was printed when npm start brought the sandbox up; raincoat keeps it in the sandbox folder's admin-password file\./, /built-in|makeitrain/, ''],
    ['another overlay', { name: 'sandbox', sandbox: false }, /You log in at the entry root/, /sandbox's password|built-in|makeitrain/, ''],
  ])('on %s says what to type', async (_what, overlay, says, never, password) => {
    const shown = await loginCard(overlay);
    expect(shown.card).toMatch(says);
    if (never) expect(shown.card).not.toMatch(never);
    expect([shown.user, shown.password]).toEqual(['administrator', password]);
  });
});
