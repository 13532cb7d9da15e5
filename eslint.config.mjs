// ESLint (flat config): typescript-eslint's recommended rules plus the project's layer rules.
// The layers (docs/architecture.md): a pure core that never imports `vscode`; webview/ never
// imports commands/; the AWS core imports nothing of the layers above it.
import tseslint from 'typescript-eslint';

const vscodeBanned = { name: 'vscode', message: 'The pure core never imports vscode (docs/architecture.md).' };
const webviewNotCommands = {
  group: ['**/commands/*', '**/tree/*'],
  message: 'webview/ never imports commands/ or tree/: it takes a FlowLogRef; shared values live in the pure core (src/explorer/).',
};
// The thread boundary (the vscode-eslint way): the main thread never imports src/aws/worker/; the
// worker imports only itself, the protocol and the shared pure modules, never the main-thread side.
const notWorker = {
  group: ['**/worker/*'],
  message: 'The main thread never imports src/aws/worker/ (it talks to the worker through awsWorkerProtocol.ts).',
};
const upperLayers = {
  group: ['**/filters/*', '**/tree/*', '**/commands/*', '**/webview/*', '../services', '../extension'],
  message: 'src/aws/ is the bottom layer: it imports nothing of the layers above it.',
};
const mainThreadAws = {
  group: [
    '../awsWorkerPool',
    '../flowLogService',
    '../flowLogPager',
    '../flowLogQueries',
    '../searchAllRegions',
    '../sdkConfigView',
    '**/*Source',
    '**/runAnalysis',
  ],
  message: 'The worker never imports main-thread files (docs/architecture.md).',
};
// The explorer model (src/explorer/) sits below the VS Code layer: nodes and commands use it, never the reverse.
const vscodeLayer = {
  group: [
    '**/tree/*',
    '**/commands/*',
    '**/recordsView/*',
    '**/insightsView/*',
    '**/webview/detailPanel',
    '../services',
    '../extension',
    '../settings',
    '../outputLogger',
  ],
  message: 'src/explorer/ is pure: it imports nothing of the VS Code layer (the nodes and commands use it).',
};
const worker = 'src/aws/worker/**';
const pureCore = [
  'src/aws/**/*.ts',
  'src/filters/**/*.ts',
  'src/records/**/*.ts',
  'src/coverage/**/*.ts',
  'src/insights/**/*.ts',
  'src/explorer/**/*.ts',
  'src/tree/flowLogLabels.ts',
  'src/webview/render.ts',
  'src/webview/escape.ts',
  'src/webview/logFormat.ts',
  'src/webview/messages.ts',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'media/**', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Each block names every restriction for its files (a later block replaces an earlier one's).
  {
    files: ['src/**/*.ts'],
    ignores: [worker],
    rules: { 'no-restricted-imports': ['error', { patterns: [notWorker] }] },
  },
  {
    files: pureCore,
    ignores: [worker],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [notWorker] }] },
  },
  {
    files: ['src/aws/**/*.ts'],
    ignores: [worker],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [upperLayers, notWorker] }] },
  },
  {
    files: [worker],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [upperLayers, mainThreadAws] }] },
  },
  {
    files: ['src/explorer/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [vscodeLayer, notWorker] }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [webviewNotCommands, notWorker] }] },
  },
  {
    files: pureCore.filter((f) => f.startsWith('src/webview/')),
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [webviewNotCommands, notWorker] }] },
  },
);
