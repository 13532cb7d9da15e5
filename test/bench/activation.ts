// Benchmark module run inside the real VS Code extension host (extensionTestsPath), not a test:
// it asserts nothing. Opens the Flow Logs view (which activates the extension through
// onView:flowLogs.explorer), reads the extension's own activation measurement from its exports,
// and looks in require.cache for any AWS SDK module right after activation and again once the
// view has rendered. Writes JSON to FLOWLOGS_BENCH_OUT. Driven by scripts/bench.mjs.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'flowlogs-dev.vpc-flow-logs-explorer';

function sdkModules(): string[] {
  return Object.keys(require.cache).filter((k) => /[\\/]@aws-sdk[\\/]|[\\/]@smithy[\\/]|[\\/]dist[\\/]sdk\.js$/.test(k));
}

export async function run(): Promise<void> {
  const outFile = process.env.FLOWLOGS_BENCH_OUT;
  if (!outFile) throw new Error('FLOWLOGS_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  const activeBefore = ext.isActive;
  const sdkBefore = sdkModules();
  const started = performance.now();
  await vscode.commands.executeCommand('workbench.view.extension.flowLogsExplorer');
  // Poll at the finest grain the event loop allows, so the check runs right after activate() returns.
  const deadline = Date.now() + 30_000;
  while (!ext.isActive && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  const viewToActiveMs = performance.now() - started;
  const sdkRightAfter = sdkModules();
  const exportsActivation = (ext.exports as { activation?: { ms: number; sdkLoaded: boolean } } | undefined)?.activation;
  // Let the view render its root (profiles), then look again.
  await new Promise((r) => setTimeout(r, 2000));
  const sdkAfterRender = sdkModules();
  const result = {
    vscodeVersion: vscode.version,
    node: process.version,
    activeBefore,
    active: ext.isActive,
    activation: exportsActivation,
    viewToActiveMs,
    sdkModulesBefore: sdkBefore.length,
    sdkModulesRightAfterActivation: sdkRightAfter,
    sdkModulesAfterViewRendered2s: sdkAfterRender,
  };
  fs.writeFileSync(outFile, JSON.stringify(result));
}
