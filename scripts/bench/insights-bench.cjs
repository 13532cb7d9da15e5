// Logs Insights benchmark, in plain Node; prints one JSON line.
//   node scripts/bench/insights-bench.cjs '<json options>'   options: profile, region, maxGroups
// The emulator runs in another process (out/test/emulator/cli.js); the code under test is the
// transpiled source (BENCH_OUT_DIR) with the production SDK bundle and AWS worker (BENCH_SDK_JS,
// BENCH_WORKER_JS), as in records-bench.cjs. Top talkers over every default-format CloudWatch
// Logs flow log of the region (up to 50 log groups: one query) for 7 days:
//   insights  Analyze -> table: composing the query, StartQuery, polling GetQueryResults (the
//             endpoint's emulated Running phase, then the call in which it computes the answer),
//             reading + merging the rows. The extension's own time is composing + reading +
//             the polls' client-side overhead; the endpoint's is the completing call.
//   records   the same answer by reading every record through the records explorer's path
//             (FilterLogEvents pages through the AWS worker, RecordLoader) and adding up here.
'use strict';
const path = require('node:path');
const Module = require('node:module');
const OUT = process.env.BENCH_OUT_DIR;
const SDK_JS = process.env.BENCH_SDK_JS;
const WORKER_JS = process.env.BENCH_WORKER_JS;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === './sdkBundle' && parent?.filename?.endsWith(path.join('src', 'aws', 'worker', 'sdk.js'))) return SDK_JS;
  return resolve.call(this, request, parent, ...rest);
};
const { ClientCache } = require(path.join(OUT, 'src/aws/worker/clients.js'));
const { loadSharedConfig } = require(path.join(OUT, 'src/shared/sharedConfig.js'));
const { listProfiles } = require(path.join(OUT, 'src/shared/profiles.js'));
const { silentLogger } = require(path.join(OUT, 'test/support/loggers.js'));
const { loadSdk } = require(path.join(OUT, 'src/aws/worker/sdk.js'));
const { AwsWorkerPool } = require(path.join(OUT, 'src/aws/awsWorkerPool.js'));
const { CloudWatchRecordSource } = require(path.join(OUT, 'src/records/cloudWatchSource.js'));
const { RecordLoader } = require(path.join(OUT, 'src/records/source.js'));
const { recordLayout } = require(path.join(OUT, 'src/shared/recordsFields.js'));
const { fieldValue } = require(path.join(OUT, 'src/shared/recordsParse.js'));
const { buildAnalysisQuery } = require(path.join(OUT, 'src/shared/insightsAnalyses.js'));
const { runAnalysis } = require(path.join(OUT, 'src/insights/runAnalysis.js'));
const { readResults, mergeTables } = require(path.join(OUT, 'src/shared/insightsResults.js'));
const { DEFAULT_LOG_FORMAT } = require(path.join(OUT, 'src/shared/logFormat.js'));

const o = JSON.parse(process.argv[2] || '{}');
const config = loadSharedConfig(process.env);
const profile = listProfiles(process.env, config).profiles.find((p) => p.name === o.profile);
const settings = () => ({ maxAttempts: 3, requestTimeoutMs: 300_000, userAgent: 'bench' });
const clients = new ClientCache({ settings, config: () => config, logger: silentLogger });

async function main() {
  const sdk = loadSdk();
  const out = await clients.ec2Client(profile, o.region).send(new sdk.DescribeFlowLogsCommand({}));
  const groups = [
    ...new Set(
      out.FlowLogs.filter(
        (f) =>
          f.LogDestinationType === 'cloud-watch-logs' &&
          f.DeliverLogsStatus !== 'FAILED' &&
          (!f.LogFormat || f.LogFormat === DEFAULT_LOG_FORMAT),
      ).map((f) => f.LogGroupName),
    ),
  ].slice(0, o.maxGroups ?? 50);
  const pool = new AwsWorkerPool(WORKER_JS, { logger: silentLogger, poolSize: 2 });
  pool.configure(settings(), [profile]);
  const now = Date.now();
  const startTime = now - 7 * 86_400_000 + 3_600_000;
  const endTime = now - 600_000;
  try {
    // Warm the worker (SDK loaded, client made).
    await pool.call('getQueryResults', profile.name, o.region, { queryId: 'warm-up' });

    // ---- insights
    const t0 = performance.now();
    const q = buildAnalysisQuery({ analysis: 'topTalkers', startTime, endTime, limit: 10000 });
    const composeMs = performance.now() - t0;
    const calls = [];
    let raw;
    const api = {
      call: async (op, ...a) => {
        const s = performance.now();
        const r = await pool.call(op, ...a);
        if (op === 'startQuery') calls.push({ op: 'start', ms: performance.now() - s });
        if (op === 'getQueryResults') {
          calls.push({ op: 'get', ms: performance.now() - s, status: r.ok ? r.status : 'error' });
          if (r.ok && r.status === 'Complete') raw = r.results;
        }
        return r;
      },
    };
    let slept = 0;
    const sleep = (ms) => {
      slept += ms;
      return new Promise((res) => setTimeout(res, ms));
    };
    const outcome = await runAnalysis(api, q, [{ profile, region: o.region, logGroupNames: groups }], { sleep });
    const insightsMs = performance.now() - t0;
    const r0 = performance.now();
    mergeTables(q, [readResults(q, raw)]);
    const readMs = performance.now() - r0;
    const completing = calls.filter((c) => c.op === 'get').at(-1);
    const polls = calls.filter((c) => c.op === 'get');

    // ---- records: every record through the records explorer's path, added up here
    const layout = recordLayout(DEFAULT_LOG_FORMAT);
    const t1 = performance.now();
    const talkers = new Map();
    let records = 0;
    let requests = 0;
    for (const group of groups) {
      const source = new CloudWatchRecordSource(
        (args, signal) => pool.call('filterLogEvents', profile.name, o.region, args, signal),
        group,
        DEFAULT_LOG_FORMAT,
      );
      const loader = new RecordLoader(source, { startMs: q.startTime * 1000, endMs: q.endTime * 1000 + 999, filters: [] });
      const res = await loader.load(Infinity, 5_000_000);
      if (res.status !== 'done') throw new Error(`records: ${JSON.stringify(res).slice(0, 300)}`);
      requests += loader.progress.requests;
      for (const r of loader.records) {
        records++;
        const src = fieldValue(layout, r, 'srcaddr');
        if (src === '-') continue;
        const key = `${src} ${fieldValue(layout, r, 'dstaddr')}`;
        talkers.set(key, (talkers.get(key) ?? 0) + Number(fieldValue(layout, r, 'bytes')));
      }
    }
    const recordsMs = performance.now() - t1;
    const insightsTalkers = new Map(outcome.table.rows.map((r) => [`${r[0]} ${r[1]}`, r[2]]));
    const top = [...talkers].sort((a, b) => b[1] - a[1]).slice(0, 100);
    const sameTop =
      top.every(([k, v]) => insightsTalkers.get(k) === v) &&
      outcome.table.rows.slice(0, 100).every((r) => talkers.get(`${r[0]} ${r[1]}`) === r[2]);
    return {
      groups: groups.length,
      recordsScanned: outcome.statistics.recordsScanned,
      state: outcome.state,
      insights: {
        ms: insightsMs,
        composeMs,
        readMs,
        rows: outcome.table.rows.length,
        polls: polls.length,
        sleptMs: slept,
        endpointMs: completing?.ms,
        pollCallsMs: polls.slice(0, -1).reduce((s, c) => s + c.ms, 0),
        startMs: calls.find((c) => c.op === 'start')?.ms,
      },
      records: { ms: recordsMs, records, requests },
      sameTop100: sameTop,
      ratio: recordsMs / insightsMs,
    };
  } finally {
    pool.dispose();
    clients.dispose();
  }
}

main().then(
  (r) => {
    console.log(JSON.stringify(r));
    process.exit(0);
  },
  (e) => {
    console.error(e?.stack || e);
    process.exit(1);
  },
);
