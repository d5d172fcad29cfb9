// Every timer of the agent goes through the injected clock (clock.ts), so tests and simulations drive time: this fails,
// naming the file and line, on any global timer elsewhere in src-agent's production code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A call of a global timer (bare or through globalThis), or an import of Node's timers modules. */
const GLOBAL_TIMER = /(?:^|[^.\w$]|globalThis\.)(?:setTimeout|setInterval|setImmediate)\s*\(|['"]node:timers(?:\/promises)?['"]/;

/** The 1-based lines of `text` that use a global timer; comment lines are skipped. */
function globalTimerLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.trimStart();
    if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
    if (GLOBAL_TIMER.test(line)) lines.push(i + 1);
  });
  return lines;
}

/** src-agent's production files: not tests, not test kits, and not the clock itself, which is where timers live. */
function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return productionFiles(file);
    if (!entry.name.endsWith('.ts') || /\.(test|testkit)\.ts$/.test(entry.name) || file === path.join(here, 'clock.ts')) return [];
    return [file];
  });
}

describe('timers', () => {
  it('are all the injected clock’s in src-agent', () => {
    const found = productionFiles(here).flatMap((file) => globalTimerLines(readFileSync(file, 'utf8')).map((line) => `${path.relative(here, file)}:${line}`));
    expect(found).toEqual([]);
  });

  it.each<[string, string, number[]]>([
    ['a bare setTimeout', 'const t = setTimeout(() => undefined, 5);', [1]],
    ['a setInterval, unref’d', 'x;\nsetInterval(tick, 1_000).unref();', [2]],
    ['a setImmediate', 'await new Promise((r) => setImmediate(r));', [1]],
    ['a timer through globalThis', 'globalThis.setTimeout(f, 1);', [1]],
    ['Node’s timers module', "import { setTimeout as sleep } from 'node:timers/promises';", [1]],
    ['the clock’s timers', 'clock.setTimeout(f, 1);\noptions.clock.setInterval(f, 1);', []],
    ['a name that only ends like one', 'resetTimeout(f, 1);', []],
    ['a comment', '// setTimeout(f, 1) would bypass the clock', []],
  ])('are found: %s', (_case, code, lines) => {
    expect(globalTimerLines(code)).toEqual(lines);
  });
});
