import { describe, expect, it } from 'vitest';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { chooseEntry } from './chooseEntry.ts';
import { sampleAccess } from './overlayAccess.testkit.ts';

describe('chooseEntry', () => {
  const sample = sampleAccess();
  const access: OverlayAccess = { ...sample, nodes: { ...sample.nodes, 'root-2': { ...sample.nodes['root-1']!, url: 'https://127.0.0.1:4003' } } };
  const roots = Object.keys(access.nodes).filter((n) => n.startsWith('root-'));
  const other = roots.find((n) => n !== access.entry)!;
  const url = access.nodes[other]!.url;

  it.each([
    ['its name', other],
    ['its agent address', url],
    ['its address without the scheme', url.replace('https://', '')],
    ['its address with a trailing slash', `${url}/`],
  ])('finds a root by %s', (_how, entry) => {
    expect(chooseEntry(access, entry)).toEqual({ ok: true, access: { ...access, entry: other } });
  });

  it.each([['a leaf', Object.keys(access.nodes).find((n) => n.startsWith('leaf-'))!], ['an unknown root', 'root-99'], ['an unknown address', 'https://192.0.2.1:7443']])(
    'refuses %s, listing the roots',
    (_what, entry) => {
      const chosen = chooseEntry(access, entry);
      expect(chosen).toMatchObject({ ok: false, message: expect.stringContaining(`is not a root of overlay ${access.name}: its roots are ${access.entry} (`) });
    },
  );
});
