// Runs mocha test files in this process and writes a summary (passed/failed/pending) as JSON.
// Shared by the unit layer (plain Node) and the integration layer (inside VS Code's extension host,
// through test/integration/index.ts), so both layers count tests the same way.
'use strict';
const fs = require('node:fs');

/**
 * @param {{files: string[], summaryFile?: string, timeout?: number, grep?: string, layer: string, extra?: object}} opts
 * @returns {Promise<{passed: number, failed: number, pending: number, failures: {title: string, error: string}[]}>}
 */
function runMocha(opts) {
  // mocha 12 is an ES module: require() gives its namespace on Node 20, its default on Node 24.
  const mod = require('mocha');
  const Mocha = typeof mod === 'function' ? mod : (mod.Mocha ?? mod.default);
  if (opts.logFile) {
    // Inside VS Code's extension host, console output only reaches the browser console, so the
    // reporter's lines also go to a file that the test runner streams to the terminal.
    const util = require('node:util');
    const base = (mod.reporters ?? Mocha.reporters).Base;
    const original = base.consoleLog;
    base.consoleLog = (...args) => {
      fs.appendFileSync(opts.logFile, util.format(...args) + '\n');
      original(...args);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: !process.env.NO_COLOR && !opts.logFile, timeout: opts.timeout ?? 20000 });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of opts.files) mocha.addFile(f);
  const summary = { layer: opts.layer, passed: 0, failed: 0, pending: 0, failures: [], ...(opts.extra || {}) };
  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run(() => {
        if (opts.summaryFile) fs.writeFileSync(opts.summaryFile, JSON.stringify(summary, null, 2));
        resolve(summary);
      });
    } catch (err) {
      summary.failed += 1;
      summary.failures.push({ title: 'loading test files', error: String((err && err.stack) || err) });
      if (opts.summaryFile) fs.writeFileSync(opts.summaryFile, JSON.stringify(summary, null, 2));
      reject(err);
      return;
    }
    runner.on('pass', () => {
      summary.passed += 1;
    });
    runner.on('pending', () => {
      summary.pending += 1;
    });
    runner.on('fail', (test, err) => {
      summary.failed += 1;
      summary.failures.push({ title: test.fullTitle(), error: String((err && err.message) || err).slice(0, 2000) });
    });
  });
}

module.exports = { runMocha };

// CLI: node scripts/lib/run-mocha.cjs <layer> <summaryFile> <files...>
if (require.main === module) {
  const [layer, summaryFile, ...files] = process.argv.slice(2);
  runMocha({ layer, summaryFile, files, grep: process.env.MOCHA_GREP })
    .then((s) => process.exit(s.failed > 0 ? 1 : 0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
