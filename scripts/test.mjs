// `npm test`: every test layer, in order, with one summary at the end.
//   lint         ESLint (with the layer rules of layers.config.cjs), dependency-cruiser, prettier --check
//   unit         mocha in plain Node: test/unit/ (pure core + the real SDK over HTTP to the local
//                endpoint), then test/unit/emulator/ (the local endpoint's own tests)
//   integration  mocha inside a real VS Code extension host, with the built extension loaded
//   ui           a browser walk through the real workbench (tree clicks, webview)
// Host for the VS Code layers: VSCODE_TEST_HOST=code-server (default: offline, code-server in
// headless Chromium) or electron (@vscode/test-electron; needs internet and a display).
// Exits non-zero when any test fails, when a layer runs zero tests, or when VS Code cannot start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startCodeServer, launchChromium, workbenchUrl, vscodeVersion, codeServerVersion, stripAnsi } from './lib/vscode-host.mjs';
import { ensureNpmDeps } from './lib/ensure-npm-deps.mjs';

const layers = (process.env.FLOWLOGS_TEST_LAYERS ?? 'lint,unit,integration,ui').split(',');
const hostKind = process.env.VSCODE_TEST_HOST ?? 'code-server';
// Ctrl-C or a timeout: exit normally so the 'exit' hooks stop code-server and Chromium too.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const results = [];
const pumps = [];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n[test] ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function readSummary(file, layer, note) {
  if (!existsSync(file)) return { layer, passed: 0, failed: 1, note: `${note}: no summary written (the layer crashed before reporting)` };
  return { ...JSON.parse(readFileSync(file, 'utf8')), note };
}

/** An isolated AWS environment: empty config files, no AWS_* variables from the developer. */
function isolatedAwsEnv(dir) {
  const env = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
  const config = join(dir, 'aws-config');
  const credentials = join(dir, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  return { ...env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

function cleanEnv(extra) {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

// 0. What the layers need: npm packages, the Debian packages of the layers that run (see
// scripts/ensure-system-deps.sh: boto3 for the unit layer, Chromium for the VS Code layers), the
// offline VS Code host, the build. The lint layer needs none of them.
ensureNpmDeps(root);
const vscodeLayers = layers.some((l) => l === 'integration' || l === 'ui');
if (vscodeLayers && hostKind === 'code-server') sh('bash', ['scripts/install-vscode-host.sh']);
else if (vscodeLayers) sh('bash', ['scripts/ensure-system-deps.sh', 'vscode-host']);
if (layers.includes('unit') || layers.includes('emulator')) sh('bash', ['scripts/ensure-system-deps.sh', 'unit']);
sh(process.execPath, ['scripts/build.mjs', '--tests']);

const work = mkdtempSync(join(tmpdir(), 'flowlogs-test-'));
mkdirSync(join(work, 'workspace'), { recursive: true });

// 0b. Static checks: the layer rules (ESLint per file, dependency-cruiser on the import graph: no
// cycle) and the formatter. Each is one check that passes or fails.
if (layers.includes('lint')) {
  console.log('\n=== static checks (layer rules, import graph, format) ===');
  const checks = [
    ['eslint (typescript-eslint + layer rules)', ['node_modules/eslint/bin/eslint.js', 'src', 'test', '--max-warnings', '0']],
    [
      'dependency-cruiser (no cycles, layers)',
      ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs'],
    ],
    ['prettier --check', ['node_modules/prettier/bin/prettier.cjs', '--check', '.']],
  ];
  const summary = { layer: 'lint', passed: 0, failed: 0, failures: [] };
  for (const [title, args] of checks) {
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    if (r.status === 0) {
      summary.passed++;
      console.log(`  ok      ${title}`);
    } else {
      summary.failed++;
      summary.failures.push({ title, error: out.split('\n').slice(-1)[0] || `exit ${r.status}` });
      console.log(`  FAILED  ${title}\n${out.split('\n').slice(-40).join('\n')}`);
    }
  }
  results.push({ ...summary, note: 'eslint, dependency-cruiser, prettier' });
}

// 1. Unit layer, in two runs with a summary line each: the product's tests (test/unit/*.test.ts)
// and the local endpoint's own tests (test/unit/emulator/*.test.ts: the emulator checked against
// the real AWS SDK and boto3). FLOWLOGS_TEST_LAYERS=emulator runs the second alone.
function runUnit(dir, layer, note) {
  console.log(`\n=== ${layer} tests (plain Node ${process.version}): ${dir.replace('out/', '')}/*.test.ts ===`);
  const files = readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => join(dir, f));
  const summaryFile = join(work, `${layer.replace(/\W/g, '-')}.json`);
  spawnSync(process.execPath, ['scripts/lib/run-mocha.cjs', layer, summaryFile, ...files], {
    stdio: 'inherit',
    cwd: root,
    env: cleanEnv(isolatedAwsEnv(work)),
  });
  results.push(readSummary(summaryFile, layer, `plain Node ${process.version}, ${note}`));
}
if (layers.includes('unit')) runUnit('out/test/unit', 'unit', 'the product');
if (layers.includes('unit') || layers.includes('emulator')) runUnit('out/test/unit/emulator', 'unit/emulator', 'the local endpoint');

// 2. Integration layer, inside a real VS Code.
if (layers.includes('integration')) {
  const summaryFile = join(work, 'integration.json');
  const awsEnv = isolatedAwsEnv(work);
  const env = {
    ...awsEnv,
    FLOWLOGS_TEST_SUMMARY: summaryFile,
    FLOWLOGS_TEST_LOG: join(work, 'integration.log'),
    FLOWLOGS_TEST_ARTIFACTS: join(root, 'test-artifacts'),
  };
  const testsPath = join(root, 'out/test/integration/index.js');
  if (hostKind === 'electron') {
    console.log('\n=== integration tests (host: desktop VS Code through @vscode/test-electron) ===');
    const { runTests } = await import('@vscode/test-electron');
    try {
      await runTests({
        extensionDevelopmentPath: root,
        extensionTestsPath: testsPath,
        launchArgs: [join(work, 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: env,
      });
    } catch (err) {
      console.error('[test] VS Code (electron) failed:', err);
    }
    results.push(readSummary(summaryFile, 'integration', 'desktop VS Code via @vscode/test-electron'));
  } else {
    console.log(
      `\n=== integration tests (host: code-server ${codeServerVersion()} = VS Code ${vscodeVersion()}, in headless Chromium) ===`,
    );
    results.push(await runInCodeServer({ env, testsPath, summaryFile, workspace: join(work, 'workspace') }));
  }
}

// 3. UI layer: the tests start their own code-server + Chromium (scripts/lib/vscode-host.mjs).
if (layers.includes('ui')) {
  console.log(`\n=== UI tests (workbench in headless Chromium, code-server ${codeServerVersion()}) ===`);
  const files = existsSync(join(root, 'out/test/ui'))
    ? readdirSync(join(root, 'out/test/ui'))
        .filter((f) => f.endsWith('.test.js'))
        .sort()
        .map((f) => join('out/test/ui', f))
    : [];
  const summaryFile = join(work, 'ui.json');
  spawnSync(process.execPath, ['scripts/lib/run-mocha.cjs', 'ui', summaryFile, ...files], {
    stdio: 'inherit',
    cwd: root,
    env: cleanEnv({ FLOWLOGS_TEST_ARTIFACTS: join(root, 'test-artifacts') }),
  });
  results.push(readSummary(summaryFile, 'ui', `VS Code ${vscodeVersion()} workbench`));
}

async function runInCodeServer({ env, testsPath, summaryFile, workspace }) {
  let server;
  let browser;
  const timeoutMs = Number(process.env.FLOWLOGS_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);
  try {
    server = await startCodeServer({ env });
    browser = await launchChromium();
    const page = await browser.newPage();
    const exitCode = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    if (process.env.FLOWLOGS_DEBUG_CONSOLE) {
      page.on('console', (msg) => process.stdout.write(`[console] ${stripAnsi(msg.text()).slice(0, 500)}\n`));
    }
    // The extension host's reporter writes to a log file (its console only reaches the browser):
    // stream that file to the terminal.
    let printed = 0;
    const pump = () => {
      if (!existsSync(env.FLOWLOGS_TEST_LOG)) return;
      const text = readFileSync(env.FLOWLOGS_TEST_LOG, 'utf8');
      process.stdout.write(text.slice(printed));
      printed = text.length;
    };
    const pumpTimer = setInterval(pump, 250);
    pumps.push(() => {
      clearInterval(pumpTimer);
      pump();
    });
    await page.goto(workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: root, extensionTestsPath: testsPath }));
    const code = await Promise.race([exitCode, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (code === 'timeout') {
      return { layer: 'integration', passed: 0, failed: 1, note: `VS Code host did not finish within ${timeoutMs / 1000} s` };
    }
    const summary = readSummary(
      summaryFile,
      'integration',
      `VS Code ${vscodeVersion()} (code-server ${codeServerVersion()}), headless Chromium`,
    );
    if (code !== 0 && summary.failed === 0) summary.failed = 1;
    return summary;
  } catch (err) {
    console.error('[test] the VS Code host could not start:', err.message);
    return { layer: 'integration', passed: 0, failed: 1, note: `VS Code host could not start: ${err.message.split('\n')[0]}` };
  } finally {
    for (const p of pumps.splice(0)) p();
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}

// Summary.
console.log('\n=== summary ===');
let passed = 0;
let failed = 0;
for (const r of results) {
  const ran = r.passed + r.failed;
  const zero = ran === 0;
  if (zero) r.failed += 1;
  passed += r.passed;
  failed += r.failed;
  console.log(
    `${r.layer}: ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} pending` : ''}  [${r.note}]${zero ? '  <- no test ran: counted as a failure' : ''}`,
  );
  for (const f of r.failures ?? []) console.log(`  FAILED ${f.title}: ${f.error.split('\n')[0]}`);
}
if (!process.env.FLOWLOGS_KEEP_WORK) rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
