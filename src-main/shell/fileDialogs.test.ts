import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { electronFileDialogs } from './fileDialogs.ts';

/** Electron's dialog as a recording: each call's window and options, answered as scripted. */
function fakeDialog(answers: { open?: Electron.OpenDialogReturnValue; save?: Electron.SaveDialogReturnValue }) {
  const asked: Array<{ window: unknown; options: OpenDialogOptions | SaveDialogOptions }> = [];
  const record = (a: unknown, b: unknown) => asked.push(b === undefined ? { window: null, options: a as OpenDialogOptions } : { window: a, options: b as OpenDialogOptions });
  const dialog = {
    showOpenDialog: async (a: unknown, b?: unknown) => (record(a, b), answers.open ?? { canceled: true, filePaths: [] }),
    showSaveDialog: async (a: unknown, b?: unknown) => (record(a, b), answers.save ?? { canceled: true }),
  } as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  return { dialog, asked };
}

const window = { id: 1 } as unknown as BrowserWindow;

describe('electronFileDialogs', () => {
  it('opens one JSON file, attached to the focused window', async () => {
    const { dialog, asked } = fakeDialog({ open: { canceled: false, filePaths: ['/home/a/topology.json'] } });
    expect(await electronFileDialogs(dialog, () => window).chooseTopologyToOpen()).toBe('/home/a/topology.json');
    expect(asked).toEqual([{ window, options: expect.objectContaining({ properties: ['openFile'], filters: expect.arrayContaining([{ name: 'Topology (JSON)', extensions: ['json'] }]) }) }]);
  });

  it('saves under the suggested name, asking before it overwrites, with no window when none has focus', async () => {
    const { dialog, asked } = fakeDialog({ save: { canceled: false, filePath: '/home/a/out.json' } });
    expect(await electronFileDialogs(dialog, () => null).chooseWhereToSave('topology.json')).toBe('/home/a/out.json');
    expect(asked).toEqual([{ window: null, options: expect.objectContaining({ defaultPath: 'topology.json', properties: ['showOverwriteConfirmation'] }) }]);
  });

  it.each([
    { what: 'open', answers: { open: { canceled: true, filePaths: [] } } },
    { what: 'save', answers: { save: { canceled: true, filePath: '' } } },
  ])('answers null when the $what dialog is cancelled', async ({ what, answers }) => {
    const dialogs = electronFileDialogs(fakeDialog(answers).dialog, () => window);
    expect(await (what === 'open' ? dialogs.chooseTopologyToOpen() : dialogs.chooseWhereToSave('t.json'))).toBeNull();
  });
});
