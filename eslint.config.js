// Lint rules, chiefly DESIGN.md's import boundaries: src-shared is pure, only the Electron shell imports
// electron, the renderer never reaches into the main process, the agent stands apart from the app, and src-node
// (Node code both the agent and the app need) imports nothing of the project but pure src-shared.
// Leaving a folder means naming another top-level folder in the specifier, so one regex per folder holds at every depth.
// Test kits (`*.testkit.ts`, the fixtures tests share) live beside the tests; production code never imports them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const bareNodeBuiltins = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'url', 'util', 'worker_threads', 'stream', 'events', 'tls', 'dgram', 'zlib'];
const pattern = (group, message) => ({ group, message });
const outOf = (folders, message) => ({ regex: `(^|/)(${folders.join('|')})/`, message });
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/*.testkit.ts'];
const noTestKits = { regex: '\\.testkit(\\.ts)?$', message: 'Test kits are for tests: production code never imports a *.testkit.ts.' };
/** Forbids Node's modules (node:* and their bare names) and the given patterns. */
const restrict = (nodeMessage, ...patterns) => [
  'error',
  {
    paths: nodeMessage ? bareNodeBuiltins.map((name) => ({ name, message: nodeMessage })) : [],
    patterns: [...(nodeMessage ? [pattern(['node:*'], nodeMessage)] : []), ...patterns],
  },
];
/** One folder's import rule: as given for its tests, and with test kits forbidden for the rest of it. */
const area = (files, nodeMessage, patterns, ignores = []) => [
  { files, ignores, rules: { 'no-restricted-imports': restrict(nodeMessage, ...patterns) } },
  { files, ignores: [...ignores, ...testFiles], rules: { 'no-restricted-imports': restrict(nodeMessage, ...patterns, noTestKits) } },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'resources/agent/*.mjs', '**/*.cjs', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', globalThis: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  ...area(['src-shared/**'], 'src-shared is pure: no Node modules (DESIGN.md).', [
    pattern(['electron'], 'src-shared never imports electron (DESIGN.md).'),
    outOf(['src-main', 'src-renderer', 'src-agent', 'src-node', 'e2e', 'bench'], 'src-shared depends on nothing else in the project.'),
  ]),
  ...area(['src-renderer/**'], 'The renderer runs in a sandboxed page: browser APIs only.', [
    pattern(['electron'], 'The renderer reaches the main process only through the contract (window.raincoat).'),
    outOf(['src-main', 'src-agent', 'src-node', 'e2e', 'bench'], 'The renderer never imports src-main, src-node or src-agent (DESIGN.md).'),
  ]),
  ...area(['src-main/**'], null, [
    pattern(['electron'], 'Only src-main/shell imports electron: the core stays testable under plain Node.'),
    outOf(['src-renderer', 'src-agent', 'e2e', 'bench'], 'The main process imports src-shared and src-node, never the renderer or the agent.'),
  ], ['src-main/shell/**']),
  ...area(['src-main/shell/**'], null, [outOf(['src-renderer', 'src-agent', 'e2e', 'bench'], 'The main process imports src-shared and src-node, never the renderer or the agent.')]),
  ...area(['src-node/**'], null, [
    pattern(['electron'], 'src-node is plain Node: never electron.'),
    outOf(['src-main', 'src-renderer', 'src-agent', 'e2e', 'bench'], 'src-node depends on nothing else in the project but pure src-shared: the agent and the app both import it.'),
  ]),
  ...area(['src-agent/**'], null, [
    pattern(['electron'], 'The agent runs on routers: no electron.'),
    outOf(['src-main', 'src-renderer', 'e2e', 'bench'], 'The agent is bundled alone: it may import src-shared, src-node and Node only.'),
  ]),
);
