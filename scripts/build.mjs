// Builds the extension bundle (dist/extension.js) and transpiles the tests (out/).
//   node scripts/build.mjs              production bundle: minified, with a source map
//   node scripts/build.mjs --dev        unminified bundle
//   node scripts/build.mjs --watch      development: rebuild on change
//   node scripts/build.mjs --tests      also transpile src/ and test/ file by file to out/
//   node scripts/build.mjs --tests-only only the tests
// Type checking is separate (npm run typecheck): esbuild strips types, it does not check them.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = !args.has('--dev') && !watch;
const testsOnly = args.has('--tests-only');
const withTests = testsOnly || args.has('--tests');

/** @type {import('esbuild').BuildOptions} */
const extensionOptions = {
  absWorkingDir: root,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: true,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // The AWS SDK lives in its own file, dist/sdk.js, required by src/aws/worker/sdk.ts on first use:
  // activation loads only the small extension bundle.
  plugins: [
    {
      name: 'sdk-as-separate-file',
      setup(b) {
        b.onResolve({ filter: /^\.\/sdkBundle$/ }, () => ({ path: './sdk.js', external: true }));
      },
    },
  ],
};

/** @type {import('esbuild').BuildOptions} */
const sdkOptions = {
  ...extensionOptions,
  entryPoints: ['src/aws/worker/sdkBundle.ts'],
  outfile: 'dist/sdk.js',
  plugins: [],
};

/** The AWS worker (src/aws/worker/awsWorker.ts): it loads the SDK from dist/sdk.js like the extension. */
/** @type {import('esbuild').BuildOptions} */
const workerOptions = {
  ...extensionOptions,
  entryPoints: ['src/aws/worker/awsWorker.ts'],
  outfile: 'dist/awsWorker.js',
};

/** The records page (src/webviews/records/main.ts and its modules): an IIFE in media/dist/. */
/** @type {import('esbuild').BuildOptions} */
const recordsPageOptions = {
  absWorkingDir: root,
  entryPoints: ['src/webviews/records/main.ts'],
  outfile: 'media/dist/recordsPage.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: production,
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [],
};

/** The detail and Insights pages (src/webviews/detail/, src/webviews/insights/, Chart.js bundled in): IIFEs in media/dist/. */
const detailPageOptions = { ...recordsPageOptions, entryPoints: ['src/webviews/detail/main.ts'], outfile: 'media/dist/detailPage.js' };
const insightsPageOptions = {
  ...recordsPageOptions,
  entryPoints: ['src/webviews/insights/main.ts'],
  outfile: 'media/dist/insightsPage.js',
};
/** The Athena answer page (src/webviews/athena/, Chart.js bundled in): an IIFE in media/dist/. */
/** @type {import('esbuild').BuildOptions} */
const athenaPageOptions = {
  ...recordsPageOptions,
  entryPoints: ['src/webviews/athena/main.ts'],
  outfile: 'media/dist/athenaPage.js',
};

function listTs(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const p = join(dir, name);
    if (statSync(join(root, p)).isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function reportSize(result) {
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js'))
      console.log(`[build] ${relative(root, join(root, file))}: ${(info.bytes / 1024).toFixed(1)} KB${production ? ' (minified)' : ''}`);
  }
}

async function buildTests() {
  rmSync(join(root, 'out'), { recursive: true, force: true });
  const entryPoints = [...listTs('src'), ...listTs('test')];
  await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`[build] transpiled ${entryPoints.length} files to out/`);
}

// The webview's icons: codicons from npm, copied into media/ (the only folder the webview may load from).
function copyCodicons() {
  const from = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = join(root, 'media', 'codicons');
  mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(from, f), join(to, f));
}

if (!testsOnly) copyCodicons();

if (watch) {
  const report = {
    name: 'report',
    setup(b) {
      b.onEnd((r) => r.errors.length === 0 && reportSize(r));
    },
  };
  for (const options of [
    extensionOptions,
    sdkOptions,
    workerOptions,
    recordsPageOptions,
    detailPageOptions,
    insightsPageOptions,
    athenaPageOptions,
  ]) {
    const ctx = await esbuild.context({ ...options, plugins: [...options.plugins, report] });
    await ctx.watch();
  }
  console.log('[build] watching src/ for changes');
} else {
  if (!testsOnly) {
    const results = await Promise.all([
      esbuild.build(extensionOptions),
      esbuild.build(sdkOptions),
      esbuild.build(workerOptions),
      esbuild.build(recordsPageOptions),
      esbuild.build(detailPageOptions),
      esbuild.build(insightsPageOptions),
      esbuild.build(athenaPageOptions),
    ]);
    results.forEach(reportSize);
  }
  if (withTests) await buildTests();
}
