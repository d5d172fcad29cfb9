// `npm test`: lint (with the import boundaries), type-check, then every vitest project (unit, e2e: UI,
// agents, lab), and a closing line "tests: N passed, N failed, N skipped" that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const step = (name, command, args) => {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
};

const only = process.argv.slice(2);
const checks = [];
if (only.length === 0) {
  checks.push(['lint', step('lint', 'eslint', ['.'])]);
  checks.push(['typecheck', step('typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit'])]);
}
mkdirSync('test-results', { recursive: true });
rmSync('test-results/vitest.json', { force: true });
const testsOk = step('tests', 'vitest', ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...only]);

let counts = { passed: 0, failed: 0, skipped: 0 };
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  counts = { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
  for (const file of report.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === 'skipped' || t.status === 'pending') console.log(`skipped: ${t.fullName}`);
    }
  }
} catch {
  counts.failed += 1;
  console.log('tests: no report was written (vitest did not finish)');
}
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
if (failedChecks.length) console.log(`checks failed: ${failedChecks.join(', ')}`);
if (!testsOk && counts.failed === 0) counts.failed = 1;
const failed = counts.failed + failedChecks.length;
console.log(`tests: ${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped`);
process.exit(failed === 0 && testsOk ? 0 : 1);
