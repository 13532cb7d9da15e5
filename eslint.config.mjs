// ESLint (flat config): typescript-eslint's recommended rules plus the project's layer rules.
// The layer rules live in layers.config.cjs (dependency-cruiser checks the same rules over the
// import graph): `layers/imports` below resolves each import of a src/ file to its path and
// reports the imports a rule forbids.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import layers from './layers.config.cjs';

const root = dirname(fileURLToPath(import.meta.url));
const repoPath = (abs) => relative(root, abs).split(sep).join('/');
const isFile = (p) => existsSync(p) && statSync(p).isFile();

/** The repository path an import names (as TypeScript resolves it), or the package's name. */
function target(file, spec) {
  if (!spec.startsWith('.')) return spec;
  const abs = resolve(dirname(file), spec);
  const found = [abs, `${abs}.ts`, `${abs}/index.ts`].find(isFile);
  return repoPath(found ?? `${abs}.ts`);
}

const compiled = layers.rules
  .filter((r) => !r.circular)
  .map((r) => ({
    ...r,
    from: new RegExp(r.from),
    fromNot: r.fromNot && new RegExp(r.fromNot),
    to: new RegExp(r.to),
    toNot: r.toNot && new RegExp(r.toNot),
  }));

const importsRule = {
  meta: { type: 'problem', docs: { description: 'The layer rules of layers.config.cjs' }, schema: [] },
  create(context) {
    const file = repoPath(context.filename);
    const active = compiled.filter((r) => r.from.test(file) && !(r.fromNot && r.fromNot.test(file)));
    if (!active.length) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const to = target(context.filename, source.value);
      for (const r of active) {
        if (r.to.test(to) && !(r.toNot && r.toNot.test(to))) {
          context.report({ node, message: `${file} may not import ${to} (${r.name}): ${r.comment}` });
        }
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check(n, n.argument?.literal ?? n.argument),
      TSExternalModuleReference: (n) => check(n, n.expression),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n, n.arguments[0]);
      },
    };
  },
};

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
    files: ['src/**/*.ts'],
    plugins: { layers: { rules: { imports: importsRule } } },
    rules: { 'layers/imports': 'error' },
  },
);
