// ESLint (flat config): typescript-eslint's recommended rules plus the project's layer rules.
// The layers (docs/architecture.md): a pure core that never imports `vscode`; webview/ never
// imports commands/; the AWS core imports nothing of the layers above it.
import tseslint from 'typescript-eslint';

const vscodeBanned = { name: 'vscode', message: 'The pure core never imports vscode (docs/architecture.md).' };
const webviewNotCommands = { group: ['**/commands/*'], message: 'webview/ never imports commands/: shared values live in the pure core.' };
const pureCore = [
  'src/aws/**/*.ts',
  'src/filters/**/*.ts',
  'src/records/**/*.ts',
  'src/coverage/**/*.ts',
  'src/insights/**/*.ts',
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
  {
    files: pureCore,
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned] }] },
  },
  {
    files: ['src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned],
          patterns: [
            {
              group: ['**/filters/*', '**/tree/*', '**/commands/*', '**/webview/*', '../services', '../extension'],
              message: 'src/aws/ is the bottom layer: it imports nothing of the layers above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [webviewNotCommands] }] },
  },
  {
    files: pureCore.filter((f) => f.startsWith('src/webview/')),
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned], patterns: [webviewNotCommands] }] },
  },
);
