import { describe, expect, it } from 'vitest';
import { readFirstBootTemplate } from './readFirstBootTemplate.ts';

const missing = (file: string) => Promise.reject(Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' }));

describe('readFirstBootTemplate', () => {
  it('reads the template from source', async () => {
    expect(await readFirstBootTemplate()).toContain("RAINCOAT_TOKEN='@@ENROLL_TOKEN@@'");
  });

  it.each([
    ['a bundle in dist/shell', 'file:///app/dist/shell/main.cjs', '/app/resources/agent/cloud-init/client-user-data.sh'],
    ['the packaged application', 'file:///opt/Raincoat/resources/app.asar/dist/shell/main.cjs', '/opt/Raincoat/resources/agent/cloud-init/client-user-data.sh'],
  ])('finds it beside %s', async (_where, from, expected) => {
    const text = await readFirstBootTemplate(from, (file) => (file === expected ? Promise.resolve('script') : missing(file)));
    expect(text).toBe('script');
  });

  it('says where it looked when it is nowhere', async () => {
    await expect(readFirstBootTemplate('file:///w/x/a/b/c.mjs', missing)).rejects.toThrow(
      "the client VMs' first-boot script is missing (looked at /w/resources/agent/cloud-init/client-user-data.sh, /w/x/resources/agent/cloud-init/client-user-data.sh, /w/agent/cloud-init/client-user-data.sh)",
    );
  });

  it('passes on a failure other than a missing file', async () => {
    await expect(readFirstBootTemplate('file:///x/a/b/c.mjs', () => Promise.reject(Object.assign(new Error('EACCES: denied'), { code: 'EACCES' })))).rejects.toThrow('EACCES: denied');
  });
});
