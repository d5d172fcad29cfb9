// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallInput, CallOutput } from '../../src-shared/contract/contract.ts';
import { ClientMachines, machinesOf } from './ClientMachines.tsx';
import { ClientMachinesProvider } from './ClientMachinesContext.tsx';
import type { ClientMachinesPort } from './ClientMachinesContext.tsx';

afterEach(cleanup);

const SCRIPT = "#!/bin/sh\nRAINCOAT_TOKEN='rce_00112233aabbccdd.secret'\n";
const EXPIRES = Date.UTC(2027, 0, 8, 12);

function panel(answers: { firstBoot?: CallOutput<'clients.firstBoot'>; profile?: CallOutput<'clients.profile'> }) {
  const asked: Array<[string, CallInput<'clients.firstBoot'> | CallInput<'clients.profile'>]> = [];
  const copied: string[] = [];
  const downloads: Array<[string, string]> = [];
  const port: ClientMachinesPort = {
    api: {
      'clients.firstBoot': async (input) => (asked.push(['clients.firstBoot', input]), answers.firstBoot ?? { ok: false, reason: 'not scripted' }),
      'clients.profile': async (input) => (asked.push(['clients.profile', input]), answers.profile ?? { ok: false, reason: 'not scripted' }),
    },
    copy: async (text) => void copied.push(text),
    download: (name, text) => void downloads.push([name, text]),
  };
  render(
    <ClientMachinesProvider value={port}>
      <ClientMachines rootId={2} rootName="euca-lab" />
    </ClientMachinesProvider>,
  );
  return { asked, copied, downloads, user: userEvent.setup() };
}

describe('the client machines of a root', () => {
  it('makes a first-boot script for the machines asked, shows it whole, and copies and downloads it', async () => {
    const { asked, copied, downloads, user } = panel({ firstBoot: { ok: true, node: 'root-2', script: SCRIPT, tokenId: '00112233aabbccdd', machines: 3, expiresAt: EXPIRES } });
    const machines = screen.getByRole('textbox', { name: 'Machines' });
    await user.clear(machines);
    await user.type(machines, '3');
    await user.click(screen.getByRole('button', { name: 'Make first-boot script' }));
    expect(asked).toEqual([['clients.firstBoot', { rootId: 2, machines: 3 }]]);
    expect(screen.getByRole('textbox', { name: 'First-boot script for euca-lab' })).toHaveProperty('value', SCRIPT);
    expect(screen.getByText(/^Its token enrolls 3 machines until /).textContent).toContain(new Date(EXPIRES).toLocaleString());

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(copied).toEqual([SCRIPT]);
    expect(screen.getByRole('status').textContent).toBe('Copied.');
    await user.click(screen.getByRole('button', { name: 'Download' }));
    expect(downloads).toEqual([['raincoat-client-root-2.sh', SCRIPT]]);
  });

  it('says why main made no script, and shows none', async () => {
    const { user } = panel({ firstBoot: { ok: false, reason: 'root-2 makes enrollment tokens only for a session logged in at it, and this session is at root-1' } });
    await user.click(screen.getByRole('button', { name: 'Make first-boot script' }));
    expect(screen.getByRole('alert').textContent).toBe('root-2 makes enrollment tokens only for a session logged in at it, and this session is at root-1');
    expect(screen.queryByRole('textbox', { name: /First-boot script/ })).toBeNull();
  });

  it('asks for nothing while the number of machines is not one a token can enroll', async () => {
    const { asked, user } = panel({});
    const machines = screen.getByRole('textbox', { name: 'Machines' });
    await user.clear(machines);
    await user.type(machines, '0');
    expect(screen.getByRole('alert').textContent).toBe('A whole number from 1 to 10,000.');
    expect(machines.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Make first-boot script' })).toHaveProperty('disabled', true);
    expect(asked).toEqual([]);
  });

  it('downloads a client profile under its name, or says why not', async () => {
    const ok = panel({ profile: { ok: true, name: 'client-2-0a0b0c0d0e0f', node: 'leaf-2-1', profile: 'client\n<key>\nK\n</key>\n' } });
    await ok.user.click(screen.getByRole('button', { name: 'Download a client profile' }));
    expect(ok.asked).toEqual([['clients.profile', { rootId: 2 }]]);
    expect(ok.downloads).toEqual([['client-2-0a0b0c0d0e0f.ovpn', 'client\n<key>\nK\n</key>\n']]);
    expect(screen.getByRole('status').textContent).toBe('client-2-0a0b0c0d0e0f.ovpn downloaded: it connects through leaf-2-1. Its key is in that file and nowhere else: keep it safe.');
    cleanup();

    const refused = panel({ profile: { ok: false, reason: 'root-2 did not enroll the client: no deployed topology is in effect on this node yet' } });
    await refused.user.click(screen.getByRole('button', { name: 'Download a client profile' }));
    expect(screen.getByRole('alert').textContent).toBe('root-2 did not enroll the client: no deployed topology is in effect on this node yet');
    expect(refused.downloads).toEqual([]);
  });
});

describe('machinesOf', () => {
  it.each([
    ['1', { ok: true, machines: 1 }],
    [' 250 ', { ok: true, machines: 250 }],
    ['10000', { ok: true, machines: 10_000 }],
    ['10001', { ok: false, problem: 'A whole number from 1 to 10,000.' }],
    ['2.5', { ok: false, problem: 'A whole number from 1 to 10,000.' }],
    ['', { ok: false, problem: 'A whole number from 1 to 10,000.' }],
    ['ten', { ok: false, problem: 'A whole number from 1 to 10,000.' }],
  ])('%j', (typed, expected) => {
    expect(machinesOf(typed)).toEqual(expected);
  });
});
