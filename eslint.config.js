// Lint rules, chiefly DESIGN.md's import boundaries: src-shared is pure, only the Electron shell imports
// electron, the renderer never reaches into the main process, and the agent stands apart from the app.
// src-main/core/common is the one part of the app the agent may import: Node-only code both need (X.509 and DER,
// atomic files). It may use Node, npm libraries and pure src-shared, but nothing else of the project, so the agent's
// bundle never pulls in the application.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const bareNodeBuiltins = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'url', 'util', 'worker_threads', 'stream', 'events', 'tls', 'dgram', 'zlib'];
const pattern = (group, message) => ({ group, message });
/** Forbids Node's modules (node:* and their bare names) and the given patterns. */
const restrict = (nodeMessage, ...patterns) => [
  'error',
  {
    paths: nodeMessage ? bareNodeBuiltins.map((name) => ({ name, message: nodeMessage })) : [],
    patterns: [...(nodeMessage ? [pattern(['node:*'], nodeMessage)] : []), ...patterns],
  },
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
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': restrict(
        'src-shared is pure: no Node modules (DESIGN.md).',
        pattern(['electron'], 'src-shared never imports electron (DESIGN.md).'),
        pattern(['**/src-main/**', '**/src-renderer/**', '**/src-agent/**'], 'src-shared depends on nothing else in the project.'),
      ),
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': restrict(
        'The renderer runs in a sandboxed page: browser APIs only.',
        pattern(['electron'], 'The renderer reaches the main process only through the contract (window.raincoat).'),
        pattern(['**/src-main/**', '**/src-agent/**'], 'The renderer never imports src-main or src-agent (DESIGN.md).'),
      ),
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': restrict(
        null,
        pattern(['electron'], 'Only src-main/shell imports electron: the core stays testable under plain Node.'),
        pattern(['**/src-renderer/**'], 'The main process does not import the renderer.'),
      ),
    },
  },
  // Out of common means one more '../' than the file's depth in it (its files sit at two depths); pure src-shared lies
  // three levels up from there.
  ...[
    ['src-main/core/common/*.ts', '^\\.\\./(?!\\.\\./\\.\\./src-shared/)'],
    ['src-main/core/common/*/*.ts', '^\\.\\./\\.\\./(?!\\.\\./\\.\\./src-shared/)'],
  ].map(([files, outOfCommon]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron'], 'src-main/core/common is plain Node: never electron.'),
            { regex: outOfCommon, message: 'src-main/core/common depends on nothing else in the project but pure src-shared: the agent imports it.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['src-agent/**'],
    rules: {
      'no-restricted-imports': restrict(
        null,
        pattern(['electron'], 'The agent runs on routers: no electron.'),
        { regex: 'src-(main/(?!core/common/)|renderer/)', message: 'The agent is bundled alone: it may import src-shared, src-main/core/common and Node only.' },
      ),
    },
  },
);
