// Proves the lint rules that enforce DESIGN.md's import boundaries still catch each kind of violation, at every depth.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** `../` enough times to climb from a file at `filePath` to the repository's root. */
const up = (filePath: string) => '../'.repeat(filePath.split('/').length - 1);
const depths = (folder: string) => [`${folder}/x.ts`, `${folder}/a/x.ts`, `${folder}/a/b/x.ts`, `${folder}/a/b/c/x.ts`];
const importing = (file: string, target: string) => `import { x } from '${up(file)}${target}';\nexport const y = x;\n`;

describe('import boundaries', () => {
  it.each([
    ['src-shared/x.ts', "import { readFile } from 'node:fs/promises';\nexport const y = readFile;\n", 'src-shared is pure'],
    ['src-shared/x.ts', "import path from 'path';\nexport const y = path;\n", 'src-shared is pure'],
    ['src-shared/x.ts', "import { x } from '../src-main/cli/io.ts';\nexport const y = x;\n", 'depends on nothing else'],
    ['src-shared/x.ts', "import { x } from '../src-node/atomicFile.ts';\nexport const y = x;\n", 'depends on nothing else'],
    ['src-renderer/x.ts', "import { x } from '../src-main/core/a.ts';\nexport const y = x;\n", 'never imports src-main'],
    ['src-renderer/x.ts', "import { x } from '../src-node/atomicFile.ts';\nexport const y = x;\n", 'never imports src-main'],
    ['src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n", 'only through the contract'],
    ['src-main/core/x.ts', "import { app } from 'electron';\nexport const y = app;\n", 'Only src-main/shell imports electron'],
    ['src-main/core/x.ts', "import { x } from '../../src-agent/agent.ts';\nexport const y = x;\n", 'never the renderer or the agent'],
    ['src-agent/x.ts', "import { x } from '../src-main/core/a.ts';\nexport const y = x;\n", 'bundled alone'],
    ['src-agent/x.ts', "import { x } from '../src-main/core/pki/keyTypes.ts';\nexport const y = x;\n", 'bundled alone'],
    ['src-agent/x.ts', "import { x } from '../src-renderer/main.tsx';\nexport const y = x;\n", 'bundled alone'],
    ['src-node/x.ts', "import { app } from 'electron';\nexport const y = app;\n", 'src-node is plain Node'],
    ['src-agent/deploy/x.ts', "import { x } from './fakes.testkit.ts';\nexport const y = x;\n", 'Test kits are for tests'],
    ['src-main/core/x.ts', "import { x } from '../../src-node/x509/pki.testkit.ts';\nexport const y = x;\n", 'Test kits are for tests'],
  ])('%s may not: %s', async (file, code, why) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(why);
  });

  // The rule that once counted folder depths let a file two folders down import core/pki unnoticed.
  it.each(depths('src-node').flatMap((file) => ['src-main/core/pki/keyTypes.ts', 'src-main/cli/raincoat.ts', 'src-agent/clock.ts', 'src-renderer/main.tsx', 'e2e/lab/lab.ts'].map((target) => [file, target])))(
    '%s may not import %s',
    async (file, target) => {
      const messages = await restricted(file, importing(file, target));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('src-node depends on nothing else in the project but pure src-shared');
    },
  );

  it.each(depths('src-agent').flatMap((file) => ['src-main/core/pki/keyTypes.ts', 'src-renderer/main.tsx'].map((target) => [file, target])))('%s may not import %s', async (file, target) => {
    const messages = await restricted(file, importing(file, target));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('bundled alone');
  });

  it.each([
    ['src-main/shell/x.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['src-main/core/x.ts', "import { x } from '../../src-shared/net/ipv4.ts';\nexport const y = x;\n"],
    ['src-main/core/pki/x.ts', "import { x } from '../../../src-node/atomicFile.ts';\nexport const y = x;\n"],
    ['src-agent/x.ts', "import { readFile } from 'node:fs/promises';\nexport const y = readFile;\n"],
    ['src-agent/enroll/x.ts', "import { x } from '../../src-node/x509/signCsr.ts';\nexport const y = x;\n"],
    ['src-agent/deploy/x.test.ts', "import { x } from '../backends/fakes.testkit.ts';\nexport const y = x;\n"],
    ['src-node/x.ts', "import { readFile } from 'node:fs/promises';\nimport { z } from 'zod';\nimport { y as w } from './x509/der.ts';\nexport const y = [readFile, z, w];\n"],
    ['src-shared/plan/x.ts', "import { x } from '../net/ipv4.ts';\nexport const y = x;\n"],
    ...depths('src-node').map((file) => [file, importing(file, 'src-shared/net/ipv4.ts')]),
  ])('%s may: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
