// Many accounts at once (issue 28): Search All Regions over 300 accounts × 17 regions against the
// local endpoint with 50 ms added to every request, through the extension's AWS worker pool and its
// per-account scheduler (src/aws/accountScheduler.ts), beside a sequential boto3 loop and a
// sequential AWS CLI loop over the same (account, region) pairs. The loops take minutes (5,100 calls
// one after another), so each times a sample of pairs and the full loop is extrapolated from it
// (said so in the output). The floor: the latency alone, 5,100 requests at the concurrency used.
//   node scripts/bench/accounts-bench.cjs ['{"accounts":300,"regions":17,"latencyMs":50,"out":"out","dist":"dist"}']
// Needs `node scripts/build.mjs --tests` first. Prints progress on stderr and one JSON line on stdout.
'use strict';
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, existsSync } = require('node:fs');
const os = require('node:os');

const root = path.resolve(__dirname, '../..');
const opts = {
  accounts: 300,
  regions: 17,
  latencyMs: 50,
  flowLogsPerRegion: 3,
  concurrency: [16, 64],
  perAccount: 4,
  boto3Pairs: 100,
  cliCalls: 8,
  out: path.join(root, 'out'),
  dist: path.join(root, 'dist'),
  ...JSON.parse(process.argv[2] ?? '{}'),
};
const REGIONS = [
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
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
].slice(0, opts.regions);
const log = (...a) => console.error('[accounts-bench]', ...a);

const { FlowLogService } = require(path.join(opts.out, 'src/aws/flowLogService.js'));
const { AwsWorkerPool } = require(path.join(opts.out, 'src/aws/awsWorkerPool.js'));
const { listProfiles } = require(path.join(opts.out, 'src/shared/profiles.js'));
const { loadSharedConfig } = require(path.join(opts.out, 'src/shared/sharedConfig.js'));
const { searchAllRegions } = require(path.join(opts.out, 'src/aws/searchAllRegions.js'));
const { silentLogger } = require(path.join(opts.out, 'test/support/loggers.js'));

function cleanEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** The emulator in its own process (its CPU is not the client's): scripts/bench/emulator-host.cjs. */
function startEmulator(configDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(__dirname, 'emulator-host.cjs'),
        opts.out,
        JSON.stringify({
          accounts: opts.accounts,
          regions: REGIONS,
          flowLogsPerRegion: opts.flowLogsPerRegion,
          latencyMs: opts.latencyMs,
          hostile: false,
          configDir,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let url;
    child.stdout.on('data', (d) => {
      out += d;
      url ??= /EMULATOR_URL=(\S+)/.exec(out)?.[1];
      if (url && /READY/.test(out)) resolve({ url, child });
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`emulator exited (${code}): ${out.slice(-1000)}`)));
  });
}

async function extension(env, concurrency) {
  const config = loadSharedConfig(env);
  const profiles = listProfiles(env, config).profiles;
  let answers = 0;
  const pool = new AwsWorkerPool(path.join(opts.dist, 'awsWorker.js'), { logger: silentLogger, onAnswer: () => (answers += 1) });
  const settings = { maxAttempts: 5, requestTimeoutMs: 30_000, userAgent: 'vpc-flow-logs-explorer/bench' };
  pool.configure(settings, profiles);
  const service = new FlowLogService(pool, silentLogger);
  const targets = profiles.flatMap((p) => REGIONS.map((region) => ({ profile: p, profileName: p.name, region })));
  // Warm-up: the workers start and load the SDK (one call per worker's worth of profiles).
  await searchAllRegions(targets.slice(0, 8), { filters: [] }, (t) => service.describeFlowLogsPage(t.profile, t.region), {
    concurrency: 8,
  });
  pool.invalidate();
  answers = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const groups = await searchAllRegions(targets, { filters: [] }, (t) => service.describeFlowLogsPage(t.profile, t.region), {
    concurrency,
    perAccount: opts.perAccount,
    throttleRetries: 2,
    accountOf: (t) => t.profileName,
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  pool.dispose();
  const failed = groups.filter((g) => g.error);
  if (failed.length === groups.length) throw new Error(`every region failed: ${failed[0].error.message}`);
  return {
    concurrency,
    perAccount: opts.perAccount,
    pairs: targets.length,
    ms,
    cpuMs: (c.user + c.system) / 1000,
    requests: answers,
    flowLogs: groups.reduce((n, g) => n + g.flowLogs.length, 0),
    failed: failed.length,
    firstError: failed[0]?.error?.message,
    floorMs: Math.ceil(answers / concurrency) * opts.latencyMs,
  };
}

/** boto3, one (account, region) after another, as a script would: a sample, extrapolated. */
function boto3(env, url) {
  const perAccount = REGIONS.length;
  const accounts = Math.max(1, Math.round(opts.boto3Pairs / perAccount));
  const profiles = Array.from({ length: accounts }, (_, i) => `bench-${i + 1}`);
  const r = spawnSync(
    '/usr/bin/python3',
    [path.join(__dirname, 'boto3_walk.py'), JSON.stringify({ endpointUrl: url, profiles, regions: REGIONS, pageSize: 1000, reps: 1 })],
    { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).slice(-400) };
  const line = r.stdout.trim().split('\n').pop();
  const out = JSON.parse(line);
  const run = out.runs[0];
  const pairs = accounts * perAccount;
  const totalS = run.totalMs ?? run.total ?? run.ms;
  return {
    sampledPairs: pairs,
    sampleMs: totalS,
    requests: run.requests,
    extrapolatedMs: (totalS / pairs) * opts.accounts * REGIONS.length,
  };
}

/** The AWS CLI (one process per call, as a shell loop runs it): a sample, extrapolated. */
function awsCli(env, url) {
  if (!existsSync('/usr/bin/aws')) return { error: '/usr/bin/aws is not installed' };
  const version = spawnSync('/usr/bin/aws', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  const t0 = performance.now();
  let ok = 0;
  for (let i = 0; i < opts.cliCalls; i++) {
    const r = spawnSync(
      '/usr/bin/aws',
      [
        'ec2',
        'describe-flow-logs',
        '--profile',
        `bench-${(i % opts.accounts) + 1}`,
        '--region',
        REGIONS[i % REGIONS.length],
        '--endpoint-url',
        url,
        '--output',
        'json',
      ],
      { env, encoding: 'utf8' },
    );
    if (r.status === 0) ok += 1;
  }
  const ms = performance.now() - t0;
  return { version, sampledCalls: opts.cliCalls, ok, sampleMs: ms, extrapolatedMs: (ms / opts.cliCalls) * opts.accounts * REGIONS.length };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlogs-accounts-bench-'));
  const em = await startEmulator(dir);
  const env = cleanEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
  // The AWS workers read the environment of this process (as in the extension host).
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, env);
  try {
    const result = {
      accounts: opts.accounts,
      regions: REGIONS.length,
      latencyMs: opts.latencyMs,
      loadAvg: os.loadavg().map((x) => +x.toFixed(2)),
      extension: [],
    };
    for (const c of opts.concurrency) {
      log(`extension: ${opts.accounts} accounts × ${REGIONS.length} regions, concurrency ${c}, ${opts.perAccount} per account`);
      result.extension.push(await extension(env, c));
    }
    log(`boto3: a sequential sample of ~${opts.boto3Pairs} pairs`);
    result.boto3 = boto3(env, em.url);
    log(`AWS CLI: ${opts.cliCalls} sequential calls`);
    result.awsCli = awsCli(env, em.url);
    result.loadAvgAtEnd = os.loadavg().map((x) => +x.toFixed(2));
    for (const e of result.extension)
      log(
        `extension c=${e.concurrency}/${e.perAccount} per account: ${(e.ms / 1000).toFixed(1)} s, ${e.requests} requests, ${e.failed} failed; floor ${(e.floorMs / 1000).toFixed(1)} s`,
      );
    if (result.boto3.extrapolatedMs)
      log(
        `boto3 sequential: ${(result.boto3.sampleMs / 1000).toFixed(1)} s for ${result.boto3.sampledPairs} pairs → ${(result.boto3.extrapolatedMs / 1000).toFixed(0)} s for all (extrapolated)`,
      );
    if (result.awsCli.extrapolatedMs)
      log(
        `AWS CLI sequential: ${(result.awsCli.sampleMs / 1000).toFixed(1)} s for ${result.awsCli.sampledCalls} calls → ${(result.awsCli.extrapolatedMs / 1000).toFixed(0)} s for all (extrapolated)`,
      );
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    em.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
