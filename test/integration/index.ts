// Entry point of the integration layer: VS Code calls run() inside its extension host (the
// development payload's extensionTestsPath, or @vscode/test-electron's). It runs every
// out/test/integration/*.test.js with mocha (in name order, but LAST below goes last) and writes
// a summary the test runner reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Shared with the unit layer so both count the same way (plain CommonJS, outside out/).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runMocha } = require(path.resolve(__dirname, '../../../scripts/lib/run-mocha.cjs'));

// Files that run after all the others, in this order, whatever their names. faults-secrets scans
// every line the output channel kept in this extension host for the secrets the other files
// (the faults-* files above all) configured, so it must come after every file that logs.
const LAST = ['faults-secrets.test.js'];

/** Every test file by name, except LAST, which follows in its own order. */
function runOrder(names: string[]): string[] {
  const rest = names.filter((f) => !LAST.includes(f)).sort();
  return [...rest, ...LAST.filter((f) => names.includes(f))];
}

export async function run(): Promise<void> {
  const dir = __dirname;
  const only = process.env.FLOWLOGS_INTEGRATION_FILES?.split(',').filter(Boolean);
  const files = runOrder(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.test.js'))
      .filter((f) => !only || only.some((o) => f.startsWith(o))),
  ).map((f) => path.join(dir, f));
  console.log(
    `[flowlogs-tests] VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}), Node ${process.version}, ${files.length} test files`,
  );
  const summary = await runMocha({
    layer: 'integration',
    files,
    timeout: 60000,
    grep: process.env.MOCHA_GREP,
    summaryFile: process.env.FLOWLOGS_TEST_SUMMARY,
    logFile: process.env.FLOWLOGS_TEST_LOG,
    extra: { vscodeVersion: vscode.version, appName: vscode.env.appName, appHost: vscode.env.appHost, node: process.version },
  });
  console.log(`[flowlogs-tests] integration: ${summary.passed} passed, ${summary.failed} failed`);
  if (summary.failed > 0) throw new Error(`${summary.failed} integration test(s) failed`);
  if (summary.passed === 0) throw new Error('no integration test ran');
}
