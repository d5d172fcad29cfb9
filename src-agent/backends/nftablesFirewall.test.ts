import { describe, expect, it } from 'vitest';
import { fakeRunner } from './fakes.testkit.ts';
import { loadFirewall, removeFirewall } from './nftablesFirewall.ts';

describe('nftablesFirewall', () => {
  it('loads the ruleset file with nft -f, and says why it could not', async () => {
    const ok = fakeRunner();
    await loadFirewall(ok.run, '/etc/raincoat/firewall.nft');
    expect(ok.calls.map((c) => [c.command, ...c.args])).toEqual([['nft', '-f', '/etc/raincoat/firewall.nft']]);
    const bad = fakeRunner(() => ({ code: 1, stderr: '/etc/raincoat/firewall.nft:9:5-10: Error: syntax error, unexpected junk\n' }));
    await expect(loadFirewall(bad.run, '/etc/raincoat/firewall.nft')).rejects.toThrow('nft -f /etc/raincoat/firewall.nft failed (exit 1): /etc/raincoat/firewall.nft:9:5-10: Error: syntax error');
  });

  it("deletes Raincoat's table by name alone (never a flush), taking a table already gone as done", async () => {
    const gone = fakeRunner(() => ({ code: 1, stderr: 'Error: Could not process rule: No such file or directory\ndelete table inet raincoat\n' }));
    await removeFirewall(gone.run);
    expect(gone.calls.map((c) => [c.command, ...c.args])).toEqual([['nft', 'delete', 'table', 'inet', 'raincoat']]);
    const denied = fakeRunner(() => ({ code: 1, stderr: 'Error: Could not process rule: Operation not permitted' }));
    await expect(removeFirewall(denied.run)).rejects.toThrow(/nft delete table inet raincoat failed \(exit 1\): .*Operation not permitted/);
  });
});
