// Proves the lint rules that enforce DESIGN.md's import boundaries still catch each kind of violation.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src-shared/x.ts', "import { readFile } from 'node:fs/promises';\nexport const y = readFile;\n", 'src-shared is pure'],
    ['src-shared/x.ts', "import path from 'path';\nexport const y = path;\n", 'src-shared is pure'],
    ['src-shared/x.ts', "import { x } from '../src-main/cli/io.ts';\nexport const y = x;\n", 'depends on nothing else'],
    ['src-renderer/x.ts', "import { x } from '../src-main/core/a.ts';\nexport const y = x;\n", 'never imports src-main'],
    ['src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n", 'only through the contract'],
    ['src-main/core/x.ts', "import { app } from 'electron';\nexport const y = app;\n", 'Only src-main/shell imports electron'],
    ['src-agent/x.ts', "import { x } from '../src-main/core/a.ts';\nexport const y = x;\n", 'bundled alone'],
    ['src-shared/x.ts', "import { x } from '../src-main/core/common/atomicFile.ts';\nexport const y = x;\n", 'depends on nothing else'],
    ['src-main/core/common/x.ts', "import { app } from 'electron';\nexport const y = app;\n", 'common is plain Node'],
    ['src-main/core/common/x.ts', "import { x } from '../pki/keyTypes.ts';\nexport const y = x;\n", 'nothing else in the project but pure src-shared'],
    ['src-main/core/common/x.ts', "import { x } from '../../cli/raincoat.ts';\nexport const y = x;\n", 'nothing else in the project but pure src-shared'],
    ['src-main/core/common/x509/x.ts', "import { x } from '../../render/keyMaterial.ts';\nexport const y = x;\n", 'nothing else in the project but pure src-shared'],
    ['src-main/core/common/x509/x.ts', "import { x } from '../../../../src-agent/clock.ts';\nexport const y = x;\n", 'nothing else in the project but pure src-shared'],
    ['src-agent/x.ts', "import { x } from '../src-main/core/pki/keyTypes.ts';\nexport const y = x;\n", 'bundled alone'],
    ['src-agent/x.ts', "import { x } from '../src-renderer/main.tsx';\nexport const y = x;\n", 'bundled alone'],
    ['src-renderer/x.ts', "import { x } from '../src-main/core/common/atomicFile.ts';\nexport const y = x;\n", 'never imports src-main'],
  ])('%s may not: %s', async (file, code, why) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(why);
  });

  it.each([
    ['src-main/shell/x.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['src-main/core/x.ts', "import { x } from '../../src-shared/net/ipv4.ts';\nexport const y = x;\n"],
    ['src-agent/x.ts', "import { readFile } from 'node:fs/promises';\nexport const y = readFile;\n"],
    ['src-agent/enroll/x.ts', "import { x } from '../../src-main/core/common/x509/signCsr.ts';\nexport const y = x;\n"],
    ['src-main/core/pki/x.ts', "import { x } from '../common/atomicFile.ts';\nexport const y = x;\n"],
    ['src-main/core/common/x.ts', "import { readFile } from 'node:fs/promises';\nimport { z } from 'zod';\nimport { y as w } from './x509/der.ts';\nexport const y = [readFile, z, w];\n"],
    ['src-main/core/common/x509/x.ts', "import { parseIpv4 } from '../../../../src-shared/net/ipv4.ts';\nimport { x } from '../atomicFile.ts';\nexport const y = [parseIpv4, x];\n"],
    ['src-main/core/common/x.ts', "import { parseIpv4 } from '../../../src-shared/net/ipv4.ts';\nexport const y = parseIpv4;\n"],
    ['src-shared/plan/x.ts', "import { x } from '../net/ipv4.ts';\nexport const y = x;\n"],
  ])('%s may: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
