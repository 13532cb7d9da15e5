// Runs `npm ci` when the project's npm packages are missing (a fresh clone), so `npm test` and
// `npm start` work with nothing run before them. Imports only Node built-ins.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function ensureNpmDeps(root) {
  const needed = [
    'esbuild',
    'mocha',
    'playwright-core',
    '@aws-sdk/client-ec2',
    '@vscode/codicons',
    'eslint',
    'typescript-eslint',
    'dependency-cruiser',
    'prettier',
  ];
  const missing = needed.filter((p) => !existsSync(join(root, 'node_modules', p, 'package.json')));
  if (!missing.length) return;
  console.log(`[setup] npm packages missing (${missing.join(', ')}): running npm ci`);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[setup] npm ci failed; run it yourself and look at its output');
    process.exit(1);
  }
}
