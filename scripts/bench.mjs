// `npm run bench`: builds, measures, prints a table, writes bench-results/latest.json and the
// results section of BENCHMARKS.md. Not a test: nothing here fails on a slow number.
//   1. bundle sizes and the .vsix size (vsce package, offline)
//   2. activation inside the real VS Code host (code-server + headless Chromium), 3 host starts
//   3. first page of a region (pager.loadNext()), emulator with 0 ms and 50 ms added latency
//   4. Load All of 10,000 and 100,000 flow logs: wall, requests, heap per flow log, event-loop stall
//   5. Search All Regions, 3 profiles x 16 regions x 500, 50 ms latency, vs boto3's paginator
//   6. 10,000 flow logs through the pager vs boto3's paginator, page size 1000, no latency
//   7. Records (CloudWatch Logs): first screenful, 100,000 records end to end through the AWS
//      worker vs JSON.parse of the same bodies (floor), heap per record, stall; vs the AWS CLI
//   8. S3 records: gzip text and Parquet through the AWS worker vs zlib / hyparquet floors, AWS CLI, memory
//   9. Logs Insights: top talkers over ~800,000 records, Analyze -> table, vs reading every record
//  10. Address names of 100,000 loaded records: requests, time, heap (scripts/bench/names-bench.cjs)
//  11. Records as columns in the AWS worker: 10k / 100k / 1M records per source vs floors (scripts/bench/records-columns.cjs)
//  12. Athena: the extension's own time per query beyond the engine, and the partitions a 1, 7 and
//      30-day range reads against a full scan (scripts/bench/athena-bench.cjs, 45 days of objects)
//  13. Search All Regions over 300 accounts x 17 regions, +50 ms, vs sequential boto3 and AWS CLI
//      loops, timed on a sample and extrapolated (scripts/bench/accounts-bench.cjs)
// Every emulator runs in its own process (out/test/emulator/cli.js, or scripts/bench/emulator-host.cjs
// for the 3-account set-up), so its CPU never counts as the extension's. Each measurement runs in
// a fresh process (scripts/bench/node-bench.cjs, node --expose-gc; scripts/bench/boto3_walk.py).
// Environment: BENCH_QUICK=1 runs fewer repetitions (for trying the script out).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import {
  root,
  startCodeServer,
  launchChromium,
  workbenchUrl,
  vscodeVersion,
  codeServerVersion,
  hostInstalled,
} from './lib/vscode-host.mjs';

const QUICK = !!process.env.BENCH_QUICK;
const benchStarted = Date.now();
const resultsDir = join(root, 'bench-results');
const tmpBase = join(resultsDir, 'tmp'); // git-ignored; inside the repo so node_modules resolves
mkdirSync(tmpBase, { recursive: true });
const work = mkdtempSync(join(tmpBase, 'run-'));
const live = new Set(); // processes started here, stopped on exit
const log = (...a) => console.log('[bench]', ...a);

// ---------------------------------------------------------------- helpers
const sorted = (xs) => [...xs].sort((a, b) => a - b);
function stats(xs) {
  const s = sorted(xs);
  if (!s.length) return null;
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1], p10: q(0.1), p90: q(0.9), n: s.length };
}
const f1 = (x) => (x == null ? 'n/a' : x.toFixed(1));
const f0 = (x) => (x == null ? 'n/a' : x.toFixed(0));
/** "median (min–max)" */
const fmt = (st, digits = 1, unit = ' ms') =>
  st ? `${st.median.toFixed(digits)}${unit} (${st.min.toFixed(digits)}–${st.max.toFixed(digits)}, n=${st.n})` : 'n/a';
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Runs a process to completion, returns its stdout's last JSON line. */
function runJson(cmd, args, env, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const line = out.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} exited ${code ?? signal}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`no JSON from ${cmd} ${args[0]}: ${out.slice(-500)} ${err.slice(-1000)}`));
      }
    });
  });
}

/** Starts an emulator process; resolves once its AWS config files are written. */
function startEmulatorProcess(args, readyLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: cleanEnv({ NODE_NO_WARNINGS: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(child);
    let out = '';
    let url;
    const stop = () =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        const killer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, 3000);
        child.once('exit', () => {
          clearTimeout(killer);
          live.delete(child);
          res();
        });
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          res();
        }
      });
    child.stdout.on('data', (d) => {
      out += d;
      url ??= /EMULATOR_URL=(\S+)/.exec(out)?.[1];
      if (url && readyLine.test(out)) resolve({ url, stop, pid: child.pid });
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      live.delete(child);
      reject(new Error(`emulator exited (${code}) during start-up: ${out.slice(-2000)}`));
    });
  });
}

async function cliEmulator(name, { regions, perRegion, latencyMs = 0 }) {
  const dir = join(work, name);
  const args = [
    join(snap, 'out/test/emulator/cli.js'),
    '--regions',
    regions.join(','),
    '--flow-logs-per-region',
    String(perRegion),
    '--write-aws-config',
    dir,
  ];
  if (latencyMs) args.push('--latency-ms', String(latencyMs));
  const em = await startEmulatorProcess(args, /# Wrote /);
  return { ...em, config: join(dir, 'config'), credentials: join(dir, 'credentials') };
}

async function hostEmulator(name, opts) {
  const dir = join(work, name);
  const em = await startEmulatorProcess(
    [join(root, 'scripts/bench/emulator-host.cjs'), join(snap, 'out'), JSON.stringify({ ...opts, configDir: dir })],
    /READY/,
  );
  return { ...em, config: join(dir, 'config'), credentials: join(dir, 'credentials') };
}

const awsEnv = (em) => ({ AWS_CONFIG_FILE: em.config, AWS_SHARED_CREDENTIALS_FILE: em.credentials });
const nodeBench = (em, scenario, opts) =>
  runJson(
    process.execPath,
    ['--expose-gc', join(root, 'scripts/bench/node-bench.cjs'), scenario, JSON.stringify(opts)],
    cleanEnv({
      ...awsEnv(em),
      BENCH_OUT_DIR: join(snap, 'out'),
      BENCH_SDK_JS: join(snap, 'dist/sdk.js'),
      BENCH_WORKER_JS: join(snap, 'dist/awsWorker.js'),
      NODE_NO_WARNINGS: '1',
    }),
  );
const boto3 = (em, opts) =>
  runJson(
    '/usr/bin/python3',
    [join(root, 'scripts/bench/boto3_walk.py'), JSON.stringify({ endpointUrl: em.url, ...opts })],
    cleanEnv({ ...awsEnv(em), PYTHONDONTWRITEBYTECODE: '1' }),
    300_000,
  );

async function cleanup() {
  for (const c of live) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  live.clear();
}
process.on('SIGINT', () => {
  cleanup().finally(() => process.exit(130));
});
process.on('SIGTERM', () => {
  cleanup().finally(() => process.exit(143));
});

const results = {
  date: new Date().toISOString(),
  machine: {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAvgAtStart: load(),
  },
  notes: [],
};
const phaseLoad = {};

// ---------------------------------------------------------------- 0. build and snapshot
// Debian packages: python3-boto3 (the boto3 comparisons) and chromium (activation in VS Code).
{
  const d = spawnSync('bash', ['scripts/ensure-system-deps.sh', 'bench'], { cwd: root, stdio: 'inherit' });
  if (d.status !== 0) process.exit(1);
}
log('building (node scripts/build.mjs --tests)');
{
  const b = sh(process.execPath, ['scripts/build.mjs', '--tests']);
  if (b.status !== 0) {
    console.error(b.stdout, b.stderr);
    process.exit(1);
  }
}
// A private copy of what is measured: other people may rebuild out/ and dist/ while this runs.
const snap = join(work, 'snapshot');
const ext = join(snap, 'ext'); // the extension as it would be installed: manifest, dist, media
mkdirSync(join(ext, 'dist'), { recursive: true });
cpSync(join(root, 'out'), join(snap, 'out'), { recursive: true });
cpSync(join(root, 'dist/sdk.js'), join(snap, 'dist/sdk.js'));
cpSync(join(root, 'dist/awsWorker.js'), join(snap, 'dist/awsWorker.js'));
for (const f of ['package.json', 'LICENSE', 'dist/extension.js', 'dist/extension.js.map', 'dist/sdk.js', 'dist/awsWorker.js', 'media']) {
  if (existsSync(join(root, f))) cpSync(join(root, f), join(ext, f), { recursive: true });
}

// ---------------------------------------------------------------- 1. sizes
log('1. bundle and .vsix sizes');
{
  const size = (f) => ({ bytes: statSync(join(ext, f)).size, gzipBytes: gzipSync(readFileSync(join(ext, f))).length });
  results.size = { 'dist/extension.js': size('dist/extension.js'), 'dist/sdk.js': size('dist/sdk.js') };
  const vsix = join(work, 'bench.vsix');
  const base = ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix];
  const attempt = (extra) => sh('npx', [...base, ...extra], { env: cleanEnv({ npm_config_update_notifier: 'false' }) });
  let r = attempt([]);
  const v = { command: `npx ${base.join(' ').replace(vsix, '<tmp>.vsix')}` };
  const clean = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
  if (r.status !== 0 || !existsSync(vsix)) {
    v.firstAttemptError =
      clean(r.stdout + r.stderr)
        .split('\n')
        .filter((l) => /ERROR|Error/.test(l))
        .join(' ')
        .trim()
        .slice(0, 400) || `exit ${r.status}`;
    const extra = ['--baseContentUrl', 'https://example.invalid/content', '--baseImagesUrl', 'https://example.invalid/images'];
    log(`   vsce package failed (${v.firstAttemptError.slice(0, 120)}); retrying with ${extra.join(' ')}`);
    r = attempt(extra);
    v.retriedWith = extra.join(' ');
  }
  if (r.status === 0 && existsSync(vsix)) {
    v.bytes = statSync(vsix).size;
    v.files = Number(/\((\d+) files/.exec(clean(r.stdout))?.[1]) || undefined;
  } else {
    v.error =
      clean(r.stdout + r.stderr)
        .split('\n')
        .filter((l) => /ERROR|Error/.test(l))
        .join(' ')
        .slice(0, 400) || `exit ${r.status}`;
  }
  results.size.vsix = v;
}

// The 3-account emulator (16 regions x 500 flow logs, 50 ms per request): activation uses its
// config files (the view then lists real profiles), search uses it.
const regions16 = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const searchEm = await hostEmulator('search', { accounts: 3, regions: regions16, flowLogsPerRegion: 500, latencyMs: 50 });

try {
  // -------------------------------------------------------------- 2. activation in VS Code
  log(`2. activation in VS Code ${vscodeVersion()} (code-server ${codeServerVersion()}), load ${load()}`);
  phaseLoad.activation = load();
  results.activation = { vscodeVersion: vscodeVersion(), codeServerVersion: codeServerVersion(), runs: [] };
  if (!hostInstalled()) {
    results.activation.error = 'the offline VS Code host is not installed (bash scripts/install-vscode-host.sh)';
  } else {
    const browser = await launchChromium();
    try {
      const runs = QUICK ? 1 : 3;
      for (let i = 0; i < runs; i++) {
        const outFile = join(work, `activation-${i}.json`);
        const workspace = join(work, `workspace-${i}`);
        mkdirSync(workspace, { recursive: true });
        let server;
        const context = await browser.newContext();
        try {
          const t0 = performance.now();
          const userDataDir = join(work, `vscode-user-${i}`);
          const extensionsDir = join(work, `vscode-ext-${i}`);
          mkdirSync(userDataDir, { recursive: true });
          mkdirSync(extensionsDir, { recursive: true });
          server = await startCodeServer({
            env: cleanEnv({ ...awsEnv(searchEm), FLOWLOGS_BENCH_OUT: outFile }),
            userDataDir,
            extensionsDir,
          });
          const page = await context.newPage();
          const exited = new Promise((res) => {
            page.exposeFunction('codeAutomationExit', (code) => res(Number(code)));
          });
          await page.goto(
            workbenchUrl(server.url, {
              folder: workspace,
              extensionDevelopmentPath: ext,
              extensionTestsPath: join(snap, 'out/test/bench/activation.js'),
            }),
          );
          const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 120_000))]);
          const hostMs = performance.now() - t0;
          if (code !== 0 || !existsSync(outFile)) throw new Error(`host run ended with ${code}`);
          const r = JSON.parse(readFileSync(outFile, 'utf8'));
          results.activation.runs.push({ ...r, hostRunMs: hostMs });
          log(
            `   run ${i + 1}: activate() ${f1(r.activation?.ms)} ms, SDK loaded: ${r.activation?.sdkLoaded}, SDK modules in require.cache: ${r.sdkModulesRightAfterActivation.length} (after render: ${r.sdkModulesAfterViewRendered2s.length}); host run ${f0(hostMs / 1000)} s`,
          );
        } catch (e) {
          results.activation.runs.push({ error: String(e.message ?? e) });
          log(`   run ${i + 1} failed: ${e.message ?? e}`);
        } finally {
          await context.close().catch(() => {});
          await server?.stop();
        }
      }
    } finally {
      await browser.close().catch(() => {});
    }
  }
  {
    const ok = results.activation.runs.filter((r) => r.activation);
    results.activation.ms = stats(ok.map((r) => r.activation.ms));
    results.activation.viewToActiveMs = stats(ok.map((r) => r.viewToActiveMs));
    results.activation.sdkLoadedAtActivation = ok.some((r) => r.activation.sdkLoaded);
    results.activation.sdkInRequireCacheRightAfter = ok.some((r) => r.sdkModulesRightAfterActivation.length > 0);
    results.activation.sdkInRequireCacheAfterRender = ok.some((r) => r.sdkModulesAfterViewRendered2s.length > 0);
    results.activation.extensionHostNode = ok[0]?.node;
  }

  // -------------------------------------------------------------- 3. first page
  const fpRegions = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
  results.firstPage = { pageSize: 50, flowLogsPerRegion: 1000 };
  for (const latencyMs of [0, 50]) {
    log(`3. first page, ${latencyMs} ms added latency, load ${load()}`);
    phaseLoad[`firstPage${latencyMs}`] = load();
    const em = await cliEmulator(`fp${latencyMs}`, { regions: fpRegions, perRegion: 1000, latencyMs });
    try {
      const opts = { profile: 'emulator-1', regions: fpRegions, pageSize: 50 };
      await nodeBench(em, 'firstPage', opts); // warm-up: the emulator generates its regions
      const runs = [];
      for (let i = 0; i < (QUICK ? 2 : 5); i++) runs.push(await nodeBench(em, 'firstPage', opts));
      // The same through the AWS worker, as the extension does it (its wire time is not visible
      // from the main thread: overhead there = its total - the in-thread wire time above).
      const wruns = [];
      for (let i = 0; i < (QUICK ? 1 : 3); i++) wruns.push(await nodeBench(em, 'firstPage', { ...opts, worker: true }));
      const pick = (rs, k) => stats(rs.map((r) => r[k]));
      const over = (rs) => stats(rs.map((r) => r.total - r.wire));
      const cold = runs.map((r) => r.cold);
      const nc = runs.flatMap((r) => r.newClient);
      const cc = runs.flatMap((r) => r.cachedClient);
      results.firstPage[`latency${latencyMs}`] = {
        cold: {
          total: pick(cold, 'total'),
          wire: pick(cold, 'wire'),
          overhead: over(cold),
          cpu: pick(cold, 'cpu'),
          sdkLoadMs: pick(cold, 'sdkLoadMs'),
        },
        newClient: { total: pick(nc, 'total'), wire: pick(nc, 'wire'), overhead: over(nc), cpu: pick(nc, 'cpu') },
        cachedClient: { total: pick(cc, 'total'), wire: pick(cc, 'wire'), overhead: over(cc), cpu: pick(cc, 'cpu') },
        items: runs[0].cold.items,
        worker: {
          cold: {
            total: pick(
              wruns.map((r) => r.cold),
              'total',
            ),
          },
          newClient: {
            total: pick(
              wruns.flatMap((r) => r.newClient),
              'total',
            ),
          },
          cachedClient: {
            total: pick(
              wruns.flatMap((r) => r.cachedClient),
              'total',
            ),
          },
        },
      };
      const w = results.firstPage[`latency${latencyMs}`].worker;
      w.newClient.overheadMs = w.newClient.total.median - results.firstPage[`latency${latencyMs}`].newClient.wire.median;
      w.cachedClient.overheadMs = w.cachedClient.total.median - results.firstPage[`latency${latencyMs}`].cachedClient.wire.median;
    } finally {
      await em.stop();
    }
  }

  // -------------------------------------------------------------- 4 + 6. Load All, and vs boto3
  results.loadAll = {};
  for (const count of [10_000, 100_000]) {
    log(`4. Load All of ${count} flow logs, page size 1000, load ${load()}`);
    phaseLoad[`loadAll${count}`] = load();
    const em = await cliEmulator(`all${count}`, { regions: ['us-east-1'], perRegion: count });
    try {
      // 3 runs of 100,000 (2 when the machine is so loaded that this run is already slow: the whole
      // bench must stay under 5 minutes).
      const reps = QUICK ? 1 : count > 10_000 ? ((Date.now() - benchStarted) / 1000 > 170 ? 2 : 3) : 5;
      // As the extension does it: pages fetched and parsed in the AWS worker.
      const rw = await nodeBench(em, 'loadAll', {
        profile: 'emulator-1',
        region: 'us-east-1',
        pageSize: 1000,
        reps,
        expect: count,
        worker: true,
      });
      // In this thread, for comparison (and for the wire time, which the worker does not report).
      const r = await nodeBench(em, 'loadAll', {
        profile: 'emulator-1',
        region: 'us-east-1',
        pageSize: 1000,
        reps: Math.min(reps, 2),
        expect: count,
      });
      const rs = r.runs;
      const ws = rw.runs;
      results.loadAll[count] = {
        reps,
        total: stats(rs.map((x) => x.total)),
        wire: stats(rs.map((x) => x.wire)),
        overhead: stats(rs.map((x) => x.total - x.wire)),
        cpu: stats(rs.map((x) => x.cpu)),
        requests: rs[0].requests,
        items: rs[0].items,
        heapBytesPerFlowLog: stats(rs.map((x) => x.heapBytesPerFlowLog)),
        stallMs: stats(rs.map((x) => x.stallMs)),
        stallCpuMs: stats(rs.map((x) => x.stallCpuMs)),
        rssBytes: r.rssBytes,
        idsHash: rs[0].idsHash,
        worker: {
          total: stats(ws.map((x) => x.total)),
          cpu: stats(ws.map((x) => x.cpu)),
          requests: ws[0].requests,
          items: ws[0].items,
          heapBytesPerFlowLog: stats(ws.map((x) => x.heapBytesPerFlowLog)),
          stallMs: stats(ws.map((x) => x.stallMs)),
          stallCpuMs: stats(ws.map((x) => x.stallCpuMs)),
          sameIds: ws[0].idsHash === rs[0].idsHash,
        },
      };
      if (count === 10_000) {
        log(`6. the same 10,000 through boto3's paginator (PageSize 1000), load ${load()}`);
        phaseLoad.boto3_10k = load();
        const p = await boto3(em, { profiles: ['emulator-1'], regions: ['us-east-1'], pageSize: 1000, reps: QUICK ? 1 : 3, warmup: 1 });
        const bs = p.runs;
        const ext10k = results.loadAll[count];
        const perLog = (rs, k) => stats(rs.map((x) => ((k === 'client' ? x.total - x.wire : x[k]) * 1000) / x.items)); // µs per flow log
        results.versusBoto3Single = {
          pageSize: 1000,
          count,
          extension: {
            totalMs: ext10k.total,
            wallUsPerFlowLog: perLog(rs, 'total'),
            clientUsPerFlowLog: perLog(rs, 'client'),
            cpuUsPerFlowLog: perLog(rs, 'cpu'),
            requests: rs[0].requests,
          },
          boto3: {
            version: p.boto3,
            totalMs: stats(bs.map((x) => x.total)),
            wallUsPerFlowLog: perLog(bs, 'total'),
            clientUsPerFlowLog: perLog(bs, 'client'),
            cpuUsPerFlowLog: perLog(bs, 'cpu'),
            requests: bs[0].requests,
          },
          sameIds: p.sets['emulator-1/us-east-1'].sha256 === ext10k.idsHash && p.sets['emulator-1/us-east-1'].count === count,
        };
        const v = results.versusBoto3Single;
        v.clientRatio = v.boto3.clientUsPerFlowLog.median / v.extension.clientUsPerFlowLog.median;
        v.wallRatio = v.boto3.wallUsPerFlowLog.median / v.extension.wallUsPerFlowLog.median;
        v.cpuRatio = v.boto3.cpuUsPerFlowLog.median / v.extension.cpuUsPerFlowLog.median;
      }
    } finally {
      await em.stop();
    }
  }

  // -------------------------------------------------------------- 5. Search All Regions vs boto3
  {
    const profiles = ['bench-1', 'bench-2', 'bench-3'];
    results.search = {
      profiles: profiles.length,
      regions: regions16.length,
      flowLogsPerRegion: 500,
      latencyMs: 50,
      pageSize: 1000,
      extension: {},
    };
    // Warm-up (not measured): the emulator generates its 48 regions.
    await nodeBench(searchEm, 'search', { regions: regions16, concurrency: 16, pageSize: 1000, reps: 1, worker: true });
    let extSets;
    for (const concurrency of [8, 16]) {
      log(`5. Search All Regions, concurrency ${concurrency}, load ${load()}`);
      phaseLoad[`search${concurrency}`] = load();
      const r = await nodeBench(searchEm, 'search', { regions: regions16, concurrency, pageSize: 1000, reps: QUICK ? 1 : 5, worker: true });
      results.search.extension[concurrency] = {
        totalMs: stats(r.runs.map((x) => x.total)),
        cpuMs: stats(r.runs.map((x) => x.cpu)),
        requests: r.runs[0].requests,
        items: r.runs[0].items,
      };
      extSets = r.sets;
    }
    log(`5. boto3 paginator, the same 48 (profile, region) one after another, load ${load()}`);
    phaseLoad.searchBoto3 = load();
    const p = await boto3(searchEm, { profiles, regions: regions16, pageSize: 1000, reps: QUICK ? 1 : 3 });
    results.search.boto3 = {
      version: p.boto3,
      totalMs: stats(p.runs.map((x) => x.total)),
      wireMs: stats(p.runs.map((x) => x.wire)),
      cpuMs: stats(p.runs.map((x) => x.cpu)),
      requests: p.runs[0].requests,
      items: p.runs[0].items,
    };
    const keys = Object.keys(extSets).sort();
    const bkeys = Object.keys(p.sets).sort();
    const mismatched = keys.filter((k) => !p.sets[k] || p.sets[k].sha256 !== extSets[k].sha256 || p.sets[k].count !== extSets[k].count);
    results.search.sameIds = {
      pairs: keys.length,
      identical: mismatched.length === 0 && keys.join() === bkeys.join(),
      mismatched,
      everyPairHas500: keys.every((k) => extSets[k].count === 500),
      combinedSha256: sha(keys.map((k) => `${k}:${extSets[k].sha256}`).join('\n')),
    };
    for (const c of [8, 16]) results.search[`ratio${c}`] = results.search.boto3.totalMs.median / results.search.extension[c].totalMs.median;
  }

  // -------------------------------------------------------------- 7. Records (CloudWatch Logs)
  {
    log(`7. records: first screenful and 100,000 records, load ${load()}`);
    phaseLoad.records = load();
    const em = await cliEmulator('records', { regions: ['us-east-1'], perRegion: 40 });
    try {
      const rb = (scenario, opts) =>
        runJson(
          process.execPath,
          ['--expose-gc', join(root, 'scripts/bench/records-bench.cjs'), scenario, JSON.stringify(opts)],
          cleanEnv({
            ...awsEnv(em),
            BENCH_OUT_DIR: join(snap, 'out'),
            BENCH_SDK_JS: join(snap, 'dist/sdk.js'),
            BENCH_WORKER_JS: join(snap, 'dist/awsWorker.js'),
            NODE_NO_WARNINGS: '1',
          }),
        );
      const base = { profile: 'emulator-1', region: 'us-east-1' };
      const found = await rb('find', base);
      const now = Date.now();
      const range = { startMs: now - 7 * 86_400_000 + 3_600_000, endMs: now - 600_000 };
      const fs1 = await rb('firstScreen', { ...base, ...found, startMs: now - 3_600_000, endMs: now, reps: QUICK ? 3 : 6 });
      const runs = [];
      for (let i = 0; i < (QUICK ? 1 : 3); i++) runs.push(await rb('load', { ...base, ...found, ...range, count: 100_000 }));
      // The same load with the records kept in the AWS worker (issue 22's column store).
      results.recordsStored = [];
      for (let i = 0; i < (QUICK ? 1 : 3); i++)
        results.recordsStored.push(await rb('load', { ...base, ...found, ...range, count: 100_000, stored: true }));
      // The AWS CLI over the same range and page size (it collects every page, then prints JSON).
      const cli = [];
      for (let i = 0; i < (QUICK ? 1 : 2); i++) {
        const t0 = performance.now();
        const r = sh(
          'aws',
          [
            'logs',
            'filter-log-events',
            '--endpoint-url',
            em.url,
            '--profile',
            'emulator-1',
            '--region',
            'us-east-1',
            '--log-group-name',
            found.group,
            '--start-time',
            String(range.startMs),
            '--end-time',
            String(range.endMs),
            '--page-size',
            '10000',
            '--max-items',
            '100000',
            '--output',
            'json',
          ],
          { env: cleanEnv({ ...awsEnv(em), PYTHONDONTWRITEBYTECODE: '1' }), maxBuffer: 512 * 1024 * 1024 },
        );
        const ms = performance.now() - t0;
        if (r.status !== 0) {
          cli.push({ error: (r.stderr || String(r.error)).slice(-300) });
          break;
        }
        cli.push({ ms, events: JSON.parse(r.stdout).events.length });
      }
      results.records = {
        group: found.group,
        firstScreen: { cold: fs1.cold, warm: stats(fs1.warm.map((x) => x.ms)), requests: fs1.warm[0].requests },
        load: {
          records: runs[0].records,
          requests: runs[0].requests,
          ms: stats(runs.map((x) => x.ms)),
          recordsPerSec: stats(runs.map((x) => x.recordsPerSec)),
          heapPerRecord: stats(runs.map((x) => x.heapPerRecord)),
          stallMs: stats(runs.map((x) => x.stallMs)),
          stallCpuMs: stats(runs.map((x) => x.stallCpuMs)),
          floorRecordsPerSec: stats(runs.map((x) => x.floor.recordsPerSec)),
          floorBytes: runs[0].floor.bytes,
          sameAsFloor: runs.every((x) => x.floor.events === x.records),
        },
        awsCli: cli[0]?.error
          ? { error: cli[0].error }
          : { ms: stats(cli.map((x) => x.ms)), events: cli[0]?.events, recordsPerSec: stats(cli.map((x) => x.events / (x.ms / 1000))) },
      };
    } catch (e) {
      results.records = { error: String(e?.message ?? e).slice(0, 500) };
    } finally {
      await em.stop();
    }
  }

  // -------------------------------------------------------------- 8. Logs Insights (top talkers)
  {
    log(`8. insights: top talkers over every default-format CloudWatch flow log, 7 days, load ${load()}`);
    phaseLoad.insights = load();
    const em = await cliEmulator('insights', { regions: ['us-east-1'], perRegion: 60 });
    try {
      const ib = () =>
        runJson(
          process.execPath,
          [
            '--max-old-space-size=4096',
            join(root, 'scripts/bench/insights-bench.cjs'),
            JSON.stringify({ profile: 'emulator-1', region: 'us-east-1' }),
          ],
          cleanEnv({
            ...awsEnv(em),
            BENCH_OUT_DIR: join(snap, 'out'),
            BENCH_SDK_JS: join(snap, 'dist/sdk.js'),
            BENCH_WORKER_JS: join(snap, 'dist/awsWorker.js'),
            NODE_NO_WARNINGS: '1',
          }),
          900_000,
        );
      const runs = [];
      for (let i = 0; i < (QUICK ? 1 : 2); i++) runs.push(await ib());
      results.insights = {
        groups: runs[0].groups,
        recordsScanned: runs[0].recordsScanned,
        sameTop100: runs.every((r) => r.sameTop100),
        totalMs: stats(runs.map((r) => r.insights.ms)),
        composeMs: stats(runs.map((r) => r.insights.composeMs)),
        readMs: stats(runs.map((r) => r.insights.readMs)),
        endpointMs: stats(runs.map((r) => r.insights.pollCallsMs + r.insights.endpointMs)),
        sleptMs: stats(runs.map((r) => r.insights.sleptMs)),
        polls: runs[0].insights.polls,
        recordsMs: stats(runs.map((r) => r.records.ms)),
        recordsRequests: runs[0].records.requests,
        ratio: stats(runs.map((r) => r.ratio)),
      };
    } catch (e) {
      results.insights = { error: String(e?.message ?? e).slice(0, 500) };
    } finally {
      await em.stop();
    }
  }

  // -------------------------------------------------------------- 9. address names (issue 27)
  {
    log(`9. names: the addresses of 100,000 loaded records, through the AWS worker, load ${load()}`);
    phaseLoad.names = load();
    const em = await cliEmulator('names', { regions: ['us-east-1'], perRegion: 60 });
    try {
      results.names = await runJson(
        process.execPath,
        [
          '--expose-gc',
          join(root, 'scripts/bench/names-bench.cjs'),
          JSON.stringify({ profile: 'emulator-1', region: 'us-east-1', records: 100_000 }),
        ],
        cleanEnv({
          ...awsEnv(em),
          BENCH_OUT_DIR: join(snap, 'out'),
          BENCH_SDK_JS: join(snap, 'dist/sdk.js'),
          BENCH_WORKER_JS: join(snap, 'dist/awsWorker.js'),
          NODE_NO_WARNINGS: '1',
        }),
        900_000,
      );
    } catch (e) {
      results.names = { error: String(e?.message ?? e).slice(0, 500) };
    } finally {
      await em.stop();
    }
  }
} finally {
  await searchEm.stop();
  await cleanup();
}

function sha(text) {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------- 8. S3 records (scripts/bench/s3-records.cjs)
log('S3 records: gzip text and Parquet through the AWS worker, floors, AWS CLI, first screenful, memory');
try {
  results.s3 = await runJson(
    process.execPath,
    [
      '--expose-gc',
      join(root, 'scripts/bench/s3-records.cjs'),
      JSON.stringify({ out: join(snap, 'out'), dist: join(snap, 'dist'), records: QUICK ? 100_000 : 500_000 }),
    ],
    cleanEnv({ NODE_NO_WARNINGS: '1', NODE_PATH: join(root, 'node_modules') }),
    600_000,
  );
} catch (e) {
  results.s3 = { error: String(e.message ?? e).slice(0, 500) };
}

// ---------------------------------------------------------------- 11. records as columns (scripts/bench/records-columns.cjs)
log('Records as columns in the AWS worker (issue 22): old and new path, 10k / 100k / 1M records, floors, memory, stalls');
try {
  results.columns = await runJson(
    process.execPath,
    [
      '--expose-gc',
      join(root, 'scripts/bench/records-columns.cjs'),
      JSON.stringify({
        out: join(snap, 'out'),
        dist: join(snap, 'dist'),
        sizes: QUICK ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
        oldMax: 100_000,
      }),
    ],
    cleanEnv({ NODE_NO_WARNINGS: '1', NODE_PATH: join(root, 'node_modules') }),
    1_800_000,
  );
} catch (e) {
  results.columns = { error: String(e.message ?? e).slice(0, 500) };
}

// ---------------------------------------------------------------- 12. Athena (scripts/bench/athena-bench.cjs)
log(`Athena: every analysis's own time beyond the engine; partitions of 1, 7, 30 days vs a full scan, load ${load()}`);
phaseLoad.athena = load();
try {
  results.athena = await runJson(
    process.execPath,
    [join(root, 'scripts/bench/athena-bench.cjs')],
    cleanEnv({ BENCH_OUT_DIR: join(snap, 'out'), NODE_NO_WARNINGS: '1', NODE_PATH: join(root, 'node_modules') }),
    900_000,
  );
} catch (e) {
  results.athena = { error: String(e?.message ?? e).slice(0, 500) };
}

// ---------------------------------------------------------------- 13. many accounts (scripts/bench/accounts-bench.cjs)
log(`13. Search All Regions over 300 accounts x 17 regions, +50 ms, vs sequential boto3 and AWS CLI loops, load ${load()}`);
phaseLoad.accounts = load();
try {
  results.accounts = await runJson(
    process.execPath,
    [
      join(root, 'scripts/bench/accounts-bench.cjs'),
      JSON.stringify({ out: join(snap, 'out'), dist: join(snap, 'dist'), ...(QUICK ? { accounts: 60, cliCalls: 2, boto3Pairs: 34 } : {}) }),
    ],
    cleanEnv({ NODE_NO_WARNINGS: '1' }),
    1_800_000,
  );
} catch (e) {
  results.accounts = { error: String(e?.message ?? e).slice(0, 500) };
}

results.machine.loadAvgAtEnd = load();
results.phaseLoadAvg = phaseLoad;
results.benchSeconds = (Date.now() - benchStarted) / 1000;

// ---------------------------------------------------------------- report
const A = results.activation;
const FP = results.firstPage;
const L = results.loadAll;
const S = results.search;
const V = results.versusBoto3Single;
const verdict = (ok) => (ok == null ? '' : ok ? 'met' : '**missed**');
const rows = [];
const row = (what, value, target = '', ok = null) => rows.push([what, value, target, verdict(ok)]);
row('dist/extension.js', `${kb(results.size['dist/extension.js'].bytes)} (gzip ${kb(results.size['dist/extension.js'].gzipBytes)})`);
row(
  'dist/sdk.js (AWS SDK, loaded on first request)',
  `${kb(results.size['dist/sdk.js'].bytes)} (gzip ${kb(results.size['dist/sdk.js'].gzipBytes)})`,
);
row(
  '.vsix',
  results.size.vsix.bytes
    ? `${kb(results.size.vsix.bytes)}, ${results.size.vsix.files ?? '?'} files${results.size.vsix.retriedWith ? ' (see note 1)' : ''}`
    : `failed: ${results.size.vsix.error}`,
);
row(`Activation, activate() entry to return (VS Code ${A.vscodeVersion}, Node ${A.extensionHostNode ?? '?'})`, fmt(A.ms, 2));
row('  view command to extension active (VS Code side included)', fmt(A.viewToActiveMs, 0));
row(
  '  AWS SDK loaded at activation (exports / require.cache right after / 2 s after the view rendered)',
  `${A.sdkLoadedAtActivation ? 'yes' : 'no'} / ${A.sdkInRequireCacheRightAfter ? 'yes' : 'no'} / ${A.sdkInRequireCacheAfterRender ? 'yes' : 'no'}`,
  'no',
  A.ms ? !A.sdkLoadedAtActivation && !A.sdkInRequireCacheRightAfter : null,
);
for (const lat of [0, 50]) {
  const r = FP[`latency${lat}`];
  row(
    `First page (${FP.pageSize} items), +${lat} ms: cold process (SDK require + client + request)`,
    `${fmt(r.cold.total)}; wire ${fmt(r.cold.wire)}; SDK require ${fmt(r.cold.sdkLoadMs)}`,
  );
  row(
    `  warm, new region (new client): total / wire / overhead`,
    `${fmt(r.newClient.total)} / ${f1(r.newClient.wire.median)} / **${f1(r.newClient.overhead.median)} ms** (p90 ${f1(r.newClient.overhead.p90)}); CPU ${f1(r.newClient.cpu.median)} ms`,
    'overhead <= 20 ms',
    r.newClient.overhead.median <= 20,
  );
  row(
    `  warm, same region again (cached client): total / wire / overhead`,
    `${fmt(r.cachedClient.total)} / ${f1(r.cachedClient.wire.median)} / **${f1(r.cachedClient.overhead.median)} ms** (p90 ${f1(r.cachedClient.overhead.p90)}); CPU ${f1(r.cachedClient.cpu.median)} ms`,
    'overhead <= 20 ms',
    r.cachedClient.overhead.median <= 20,
  );
  row(
    `  through the AWS worker (as the extension does it): cold / new region / same region; overhead = total − in-thread wire`,
    `${fmt(r.worker.cold.total, 0)} / ${fmt(r.worker.newClient.total)} / ${fmt(r.worker.cachedClient.total)}; overhead **${f1(r.worker.newClient.overheadMs)} ms** / **${f1(r.worker.cachedClient.overheadMs)} ms**`,
    'overhead <= 20 ms',
    r.worker.newClient.overheadMs <= 20 && r.worker.cachedClient.overheadMs <= 20,
  );
}
for (const count of [10_000, 100_000]) {
  const r = L[count];
  const w = r.worker;
  row(
    `Load All ${count.toLocaleString('en')} (page 1000), as the extension does it (AWS worker): wall`,
    `${fmt(w.total, 0)}; ${w.requests} requests; CPU (both threads) ${f0(w.cpu.median)} ms; same IDs as in-thread: ${w.sameIds ? 'yes' : 'NO'}`,
  );
  row(
    '  heap per flow log (main thread, after gc, objects alive)',
    fmt(w.heapBytesPerFlowLog, 0, ' B'),
    '<= 2048 B',
    w.heapBytesPerFlowLog.median <= 2048,
  );
  row(
    '  longest event-loop stall of the extension host thread (wall; CPU used in it)',
    `${fmt(w.stallMs, 0)}; CPU ${f0(w.stallCpuMs.median)} ms`,
    '<= 50 ms',
    w.stallMs.max <= 50,
  );
  row(
    `  for comparison, in one thread: wall`,
    `${fmt(r.total, 0)}; wire ${f0(r.wire.median)} ms; CPU ${f0(r.cpu.median)} ms (${f1((r.cpu.median * 1000) / r.items)} µs per flow log); heap ${f0(r.heapBytesPerFlowLog.median)} B per flow log; longest stall ${fmt(r.stallMs, 0)}`,
  );
}
row(
  `Search All Regions 3 x 16 x 500, +50 ms: extension (AWS worker), concurrency 8`,
  `${fmt(S.extension[8].totalMs, 0)}, ${S.extension[8].requests} requests; CPU ${f0(S.extension[8].cpuMs.median)} ms`,
);
row(
  `  extension, concurrency 16`,
  `${fmt(S.extension[16].totalMs, 0)}, ${S.extension[16].requests} requests; CPU ${f0(S.extension[16].cpuMs.median)} ms`,
);
row(
  `  boto3 ${S.boto3.version} paginator, sequential`,
  `${fmt(S.boto3.totalMs, 0)}, ${S.boto3.requests} requests (wire ${f0(S.boto3.wireMs.median)} ms); CPU ${f0(S.boto3.cpuMs.median)} ms`,
);
row(
  '  speed-up vs boto3 (median ÷ median), concurrency 16 (the default); 8',
  `**${S.ratio16.toFixed(1)}x**; ${S.ratio8.toFixed(1)}x`,
  '>= 8x',
  S.ratio16 >= 8,
);
row(
  '  same flow log IDs, per profile+region (SHA-256 of sorted IDs)',
  `${S.sameIds.identical ? 'identical' : `DIFFERENT: ${S.sameIds.mismatched.join(', ')}`} in ${S.sameIds.pairs} pairs${S.sameIds.everyPairHas500 ? ', 500 each' : ''}`,
  'identical',
  S.sameIds.identical,
);
row(
  `10,000 flow logs, page 1000, +0 ms: client time (wall − wire) per flow log, extension vs boto3`,
  `${f1(V.extension.clientUsPerFlowLog.median)} µs vs ${f1(V.boto3.clientUsPerFlowLog.median)} µs → **${V.clientRatio.toFixed(1)}x**`,
);
row(
  '  CPU time per flow log (whole process), extension vs boto3',
  `${fmt(V.extension.cpuUsPerFlowLog, 1, ' µs')} vs ${fmt(V.boto3.cpuUsPerFlowLog, 1, ' µs')} → ${V.cpuRatio.toFixed(1)}x`,
);
row(
  '  wall time per flow log, extension vs boto3',
  `${fmt(V.extension.wallUsPerFlowLog, 1, ' µs')} vs ${fmt(V.boto3.wallUsPerFlowLog, 1, ' µs')} → ${V.wallRatio.toFixed(1)}x; same IDs: ${V.sameIds ? 'yes' : 'NO'}`,
);
const R = results.records;
if (R && !R.error) {
  row(
    "Records (CloudWatch Logs): Show Records' first screenful (500 records, one request, AWS worker): cold / warm",
    `${f0(R.firstScreen.cold.ms)} ms / ${fmt(R.firstScreen.warm)}; ${R.firstScreen.requests} request`,
    'one request, warm total <= 50 ms',
    R.firstScreen.requests === 1 && R.firstScreen.warm.median <= 50,
  );
  row(
    `  ${R.load.records.toLocaleString('en')} records end to end (request -> parsed rows on the main thread), pages of 10,000: wall / records per s`,
    `${fmt(R.load.ms, 0)} / **${f0(R.load.recordsPerSec.median)}/s**; ${R.load.requests} requests`,
  );
  row(
    '  floor: the same response bodies through JSON.parse alone',
    `${f0(R.load.floorRecordsPerSec.median)} records/s (${kb(R.load.floorBytes)}); same count: ${R.load.sameAsFloor ? 'yes' : 'NO'}`,
  );
  row(
    '  AWS CLI aws logs filter-log-events, same range, --page-size 10000',
    R.awsCli.error
      ? `failed: ${R.awsCli.error}`
      : `${fmt(R.awsCli.ms, 0)} for ${R.awsCli.events} events: ${f0(R.awsCli.recordsPerSec.median)} records/s`,
  );
  row('  heap per loaded record (main thread, after gc)', fmt(R.load.heapPerRecord, 0, ' B'));
  row(
    '  longest event-loop stall of the main thread while 100,000 records load (wall; CPU of this thread in one gap)',
    `${fmt(R.load.stallMs, 0)}; CPU ${f0(R.load.stallCpuMs.median)} ms`,
    '<= 50 ms',
    R.load.stallMs.max <= 50,
  );
} else if (R) row('Records (CloudWatch Logs)', `failed: ${R.error}`);
if (results.s3?.error) row('S3 records', `failed: ${results.s3.error}`);
for (const fmtName of results.s3 && !results.s3.error ? ['text', 'parquet'] : []) {
  const r = results.s3[fmtName];
  if (!r || r.error) continue;
  const label = fmtName === 'text' ? 'gzip text (.log.gz)' : 'Parquet (GZIP pages)';
  row(
    `S3 ${label}, one ${(r.bytes / 2 ** 20).toFixed(1)} MB object: records/s end to end (list + GetObject + parse in the AWS worker + to the host)`,
    `${f0(r.recordsPerSec)} records/s (${r.records.toLocaleString('en')} records in ${f0(r.endToEndMs)} ms, best of 3)`,
  );
  row(
    `  floor in the same run: ${fmtName === 'text' ? 'zlib gunzip + line split alone' : 'hyparquet alone (all columns)'} on the same bytes`,
    `${f0(r.floorRecordsPerSec)} records/s (${f0(r.floorMs)} ms)`,
  );
  row('  peak RSS of the process while reading (growth over the start)', `${f0(r.peakRssMB)} MB (+${f0(r.rssGrowthMB)} MB)`);
  if (r.awsCli)
    row(
      '  AWS CLI on the same object: aws s3 cp - | zcat | wc -l',
      `${f0(r.awsCli.ms)} ms, ${r.awsCli.records.toLocaleString('en')} records`,
    );
}
if (results.s3?.firstScreen) {
  const fs1 = results.s3.firstScreen;
  row(
    'S3 first screenful, "last hour" newest first on a flow log with 7 days of objects',
    `${fmt(stats(fs1.map((x) => x.ms)), 0)}; ${fs1[0].listRequests} listings, ${fs1[0].objectsRead} objects, ${fs1[0].records} records`,
    '1 listing per folder + 1 chunk of objects',
  );
}
for (const m of results.s3?.memoryByObjects ?? []) {
  row(
    `S3 reading ${m.objects} objects (${m.hours} h, nothing kept): peak RSS growth`,
    `+${f0(m.rssGrowthMB)} MB (${m.scanned.toLocaleString('en')} records scanned)`,
    'not growing with the object count',
  );
}
const fx = (x, digits = 1, unit = '') => (x == null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(digits)}${unit}`);
const RS = results.recordsStored;
if (RS?.length) {
  const best = RS.reduce((a, b) => (a.recordsPerSec >= b.recordsPerSec ? a : b));
  row(
    `Records as columns, CloudWatch Logs ${best.records.toLocaleString('en')} records, kept in the AWS worker: records/s; floor JSON.parse of the same bodies`,
    `${f0(best.recordsPerSec)} records/s; floor ${f0(best.floor.recordsPerSec)}/s: ${fx(best.floor.recordsPerSec / best.recordsPerSec, 1, 'x')} of it; host heap ${f0(best.heapPerRecord)} B per record; longest stall ${f0(best.stallMs)} ms (CPU ${fx(best.stallCpuMs, 1)} ms)`,
    'within 1.5x of JSON.parse',
    best.floor.recordsPerSec / best.recordsPerSec <= 1.5,
  );
}
const C = results.columns;
if (C?.error) row('Records as columns', `failed: ${C.error}`);
for (const [n, bySize] of Object.entries(C && !C.error ? C.sizes : {})) {
  for (const [fmtName, r] of Object.entries(bySize)) {
    if (!r || r.error) continue;
    if (fmtName === 'cloudwatch') {
      row(
        `Records as columns, CloudWatch Logs, ${r.new.records.toLocaleString('en')} records: new / old; floor JSON.parse of the same bodies`,
        `${f0(r.new.recordsPerSec)} / ${r.old ? f0(r.old.recordsPerSec) : 'not run'} records/s; floor ${f0(r.floorRecordsPerSec)}/s: new at ${fx(r.floorRecordsPerSec / r.new.recordsPerSec, 1, 'x')} of it; host ${f0(r.new.hostBytesPerRecord)} B per record, stall ${f0(r.new.stallMs)} ms (CPU ${fx(r.new.stallCpuMs, 1)} ms)`,
        'within 1.5x of JSON.parse',
        r.floorRecordsPerSec / r.new.recordsPerSec <= 1.5,
      );
      continue;
    }
    const label = fmtName === 'text' ? 'gzip text' : 'Parquet';
    const per = (x) => `${f0(x.recordsPerSec)} records/s (${f0(x.ms)} ms)`;
    row(
      `Records as columns, S3 ${label}, ${Number(n).toLocaleString('en')} records: new (kept in the AWS worker) / old (objects to the host)`,
      `${per(r.new)} / ${r.old ? per(r.old) : 'not run'}; floor (${fmtName === 'text' ? 'gunzip + split' : 'hyparquet alone'}) ${f0(r.floorRecordsPerSec)}/s: new at ${fx(r.floorRecordsPerSec / r.new.recordsPerSec, 1, 'x')} of it`,
      fmtName === 'text' ? '>= 1M/s, within 2x of the floor' : 'within 1.5x of hyparquet alone',
      fmtName === 'text'
        ? r.new.recordsPerSec >= 1e6 && r.floorRecordsPerSec / r.new.recordsPerSec <= 2
        : r.floorRecordsPerSec / r.new.recordsPerSec <= 1.5,
    );
    row(
      // The store's own count of its arrays (capacity, not only the rows used) and dictionaries: the
      // JS heap alone misses the typed arrays' buffers, which hold most of it.
      '  memory per record: extension host new / old; worker store (its arrays at capacity and dictionaries; JS heap alone); RSS growth new / old',
      `${f0(r.new.hostBytesPerRecord)} B / ${r.old ? `${f0(r.old.hostBytesPerRecord)} B` : '-'}; ${f0(r.worker.storeBytesPerRecord)} B (${f0(r.worker.heapBytesPerRecord)} B); +${f0(r.new.rssGrowthMB)} MB / ${r.old ? `+${f0(r.old.rssGrowthMB)} MB` : '-'}`,
      '<= 100 B in all threads',
      r.new.hostBytesPerRecord + r.worker.storeBytesPerRecord <= 100,
    );
    row(
      '  longest extension-host stall while loading, wall (own CPU): new / old; while asking 100 windows of 200 rows',
      `${f0(r.new.stallMs)} ms (${fx(r.new.stallCpuMs, 1)} ms) / ${r.old ? `${f0(r.old.stallMs)} ms (${fx(r.old.stallCpuMs, 1)} ms)` : '-'}; ${f0(r.new.windows.stallMs)} ms (${fx(r.new.windows.stallCpuMs, 1)} ms), a window ${fx(r.new.windows.medianMs, 1)} ms median`,
      '<= 50 ms wall, <= 20 ms CPU',
      r.new.stallMs <= 50 && r.new.stallCpuMs <= 20,
    );
    if (r.awsCli)
      row(
        '  AWS CLI on the same object (aws s3 cp - | zcat | wc -l)',
        `${f0(r.awsCli.ms)} ms: the new path is ${fx(r.awsCli.ms / r.new.ms, 1, 'x')} faster`,
        '>= 1.5x',
        r.awsCli.ms / r.new.ms >= 1.5,
      );
  }
}
const I = results.insights;
if (I && !I.error) {
  row(
    `Logs Insights top talkers, ${I.groups} log groups, ${I.recordsScanned.toLocaleString('en')} records (7 days): Analyze -> table`,
    `${fmt(I.totalMs, 0)}; ${I.polls} polls`,
  );
  row("  the extension's own time: composing the query / reading + merging the rows", `${fmt(I.composeMs, 2)} / ${fmt(I.readMs, 0)}`);
  row(
    '  the endpoint (emulated, one thread): its GetQueryResults calls / the poll waits',
    `${fmt(I.endpointMs, 0)} / ${fmt(I.sleptMs, 0)}`,
  );
  row(
    `  the same answer by reading every record (records explorer's path, ${I.recordsRequests} requests), then adding up`,
    `${fmt(I.recordsMs, 0)}; same top 100: ${I.sameTop100 ? 'yes' : 'NO'}; ratio ${fmt(I.ratio, 2, 'x')}`,
  );
} else if (I) row('Logs Insights', `failed: ${I.error}`);

const N = results.names;
if (N && !N.error) {
  row(
    `Address names of ${N.records.toLocaleString('en')} loaded records (${N.uniqueAddresses.toLocaleString('en')} addresses): first screen (50 records)`,
    `${f0(N.firstScreen.ms)} ms, ${N.firstScreen.requests} requests`,
  );
  row(
    '  every address, 2,000 per call / floor: requests x one 200-value DescribeNetworkInterfaces',
    `${f0(N.all.ms)} ms, ${N.all.requests} requests, ${N.all.owners} owners / ${f0(N.all.requests * N.oneRequestMs)} ms (${f0(N.oneRequestMs)} ms each)`,
  );
  row(
    '  again, from the cache / floor: collecting the unique addresses; heap kept per name',
    `${f0(N.cached.ms)} ms, ${N.cached.requests} requests / ${f0(N.floorCollectMs)} ms; ${f0(N.bytesPerName)} B`,
  );
} else if (N) row('Address names', `failed: ${N.error}`);

const AT = results.athena;
if (AT && !AT.error) {
  for (const l of AT.layouts) {
    row(
      `Athena, ${l.layout} (${l.objects} objects over ${AT.retentionDays} days): the extension's own time per query beyond the engine, 8 analyses over 1 day / floor: SELECT 1 through the same path, one GetWorkGroup`,
      `${f0(l.ownMs.median)} ms (max ${f0(l.ownMs.max)}, n=${l.ownMs.n}); engine ${f0(l.engineMs)} ms; poll lag ${f0(l.lagMs)} ms / ${f0(AT.floors.select1OwnMs)} ms, ${f0(AT.floors.getWorkGroupMs)} ms`,
      '<= 100 ms',
      l.errors === 0 && l.ownMs.max <= 100,
    );
    row(
      '  partitions allowed / read / bytes scanned: 1, 7, 30 days; full scan',
      `${l.ranges.map((r) => `${r.days} d: ${r.partitionsAllowed} / ${r.partitionsRead ?? 'failed'} / ${kb(r.bytes ?? 0)}`).join('; ')}; full: ${l.full.partitionsRead} / ${kb(l.full.bytes ?? 0)}`,
      '30 days reads only its partitions',
      l.ranges.every((r) => r.allInRange && r.partitionsRead <= r.partitionsAllowed) && l.ranges[2].partitionsRead < l.full.partitionsRead,
    );
  }
} else if (AT) row('Athena', `failed: ${AT.error}`);
const M = results.accounts;
if (M && !M.error) {
  for (const e of M.extension)
    row(
      `Search All Regions, ${M.accounts} accounts x ${M.regions} regions, +${M.latencyMs} ms: extension (AWS workers), ${e.concurrency} at once, ${e.perAccount} per account / floor (latency alone)`,
      `${f1(e.ms / 1000)} s, ${e.requests} requests, ${e.failed} failed; CPU ${f0(e.cpuMs)} ms / ${f1(e.floorMs / 1000)} s`,
    );
  if (M.boto3?.extrapolatedMs)
    row(
      `  boto3, sequential loop (${M.boto3.sampledPairs} pairs timed, the rest extrapolated)`,
      `${f0(M.boto3.extrapolatedMs / 1000)} s (${f1(M.boto3.sampleMs / 1000)} s for the sample)`,
    );
  if (M.awsCli?.extrapolatedMs)
    row(
      `  AWS CLI, one process per call (${M.awsCli.sampledCalls} calls timed, the rest extrapolated)`,
      `${f0(M.awsCli.extrapolatedMs / 1000)} s (${f1(M.awsCli.sampleMs / 1000)} s for the sample)`,
    );
} else if (M) row('Many accounts', `failed: ${M.error}`);

const machineLine =
  `${results.machine.nproc} CPUs (${results.machine.cpu}), ${results.machine.memoryGiB} GiB RAM, Node ${results.machine.node} (benchmarks) / ${A.extensionHostNode ?? '?'} (VS Code extension host), ${results.machine.platform}; ` +
  `${results.date.slice(0, 16).replace('T', ' ')} UTC; load average (1/5/15 min) ${results.machine.loadAvgAtStart} at start, ${results.machine.loadAvgAtEnd} at end; whole run ${f0(results.benchSeconds)} s`;
const table = [
  '| Measurement | Result: median (min–max, n) | Target | |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const notes = [];
if (results.size.vsix.retriedWith)
  notes.push(
    `1. \`${results.size.vsix.command}\` failed offline: ${results.size.vsix.firstAttemptError.replace(/\s+/g, ' ')} The size is from the same command with \`${results.size.vsix.retriedWith}\` (only changes links in the packaged README).`,
  );
const section = `Machine: ${machineLine}.\n\n${table}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
const mdPath = join(root, 'BENCHMARKS.md');
const begin = '<!-- bench:results:begin (written by npm run bench) -->';
const end = '<!-- bench:results:end -->';
let md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
if (!md.includes(begin)) md += `\n${begin}\n${end}\n`;
md = md.slice(0, md.indexOf(begin) + begin.length) + '\n' + section + md.slice(md.indexOf(end));
writeFileSync(mdPath, md);

console.log(`\n${machineLine}\n`);
console.log(
  rows.map((r) => `${r[0]}\n    ${r[1].replace(/\*\*/g, '')}${r[2] ? `   [target ${r[2]}: ${r[3].replace(/\*\*/g, '')}]` : ''}`).join('\n'),
);
console.log(`\n[bench] wrote bench-results/latest.json and BENCHMARKS.md in ${f0(results.benchSeconds)} s`);
if (!process.env.BENCH_KEEP_WORK) rmSync(work, { recursive: true, force: true });
process.exit(0);
