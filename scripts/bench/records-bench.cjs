// Records benchmark (CloudWatch Logs), in plain Node (run with --expose-gc); prints one JSON line.
//   node --expose-gc scripts/bench/records-bench.cjs '<json options>'
// Options: profile, region, count (records to load, e.g. 100000). The emulator runs in another
// process; the code under test is the transpiled source (BENCH_OUT_DIR) with the production SDK
// bundle and AWS worker (BENCH_SDK_JS, BENCH_WORKER_JS), as in node-bench.cjs.
//   find       the CloudWatch Logs flow log with the most records (60 s interval, all traffic)
//   firstScreen  Show Records' first request: 500 records through the AWS worker (cold, then warm)
//   load       `count` records end to end (request -> parsed rows on this thread), pages of 10,000:
//              records/s, heap per record, longest event-loop stall of this thread; and the floor:
//              the same response bodies through JSON.parse alone
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

const [scenario, raw] = process.argv.slice(2);
const o = JSON.parse(raw || '{}');
const config = loadSharedConfig(process.env);
const profile = listProfiles(process.env, config).profiles.find((p) => p.name === o.profile);
const settings = () => ({ maxAttempts: 3, requestTimeoutMs: 60_000, userAgent: 'bench' });
const clients = new ClientCache({ settings, config: () => config, logger: silentLogger });

// Longest gap between 5 ms ticks of this thread (wall), and the most CPU this thread used between
// two ticks (Linux schedstat: on-CPU ns of the calling thread): on a loaded machine the wall gap
// includes time other processes held the core; the CPU figure is this thread's own work.
function threadCpuNs() {
  try {
    return Number(require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}
function stallMonitor() {
  let max = 0;
  let maxCpu = 0;
  let last = performance.now();
  let lastCpu = threadCpuNs();
  const t = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuNs();
    max = Math.max(max, now - last - 5);
    maxCpu = Math.max(maxCpu, (cpu - lastCpu) / 1e6);
    last = now;
    lastCpu = cpu;
  }, 5);
  return () => {
    clearInterval(t);
    return { wall: Math.max(0, max), cpu: maxCpu };
  };
}

async function main() {
  if (scenario === 'find') {
    const sdk = loadSdk();
    const out = await clients.ec2Client(profile, o.region).send(new sdk.DescribeFlowLogsCommand({}));
    const f = out.FlowLogs.find(
      (x) =>
        x.LogDestinationType === 'cloud-watch-logs' &&
        x.DeliverLogsStatus !== 'FAILED' &&
        x.MaxAggregationInterval === 60 &&
        x.TrafficType === 'ALL' &&
        (x.LogFormat || '').includes('${action}'),
    );
    return { group: f.LogGroupName, format: f.LogFormat, flowLogId: f.FlowLogId };
  }
  const pool = new AwsWorkerPool(WORKER_JS, { logger: silentLogger, poolSize: 1 });
  pool.configure(settings(), [profile]);
  // o.stored: the records stay in the AWS worker (issue 22: a column store per load), only counts cross.
  const source = new CloudWatchRecordSource(
    (args, signal) => pool.call('filterLogEvents', profile.name, o.region, args, signal),
    o.group,
    o.format,
    undefined,
    o.stored ? (op, args, signal) => pool.call(op, profile.name, o.region, args, signal) : undefined,
  );
  const query = { startMs: o.startMs, endMs: o.endMs, filters: [] };
  try {
    if (scenario === 'firstScreen') {
      const runs = [];
      for (let i = 0; i < (o.reps || 5); i++) {
        const t0 = performance.now();
        const loader = new RecordLoader(source, query);
        await loader.load(500, 10_000);
        runs.push({ ms: performance.now() - t0, requests: loader.progress.requests, records: loader.records.length });
      }
      return { cold: runs[0], warm: runs.slice(1) };
    }
    if (scenario === 'load') {
      // Warm the worker (SDK loaded, client made) so the run measures the steady state.
      await new RecordLoader(source, query).load(10, 10);
      global.gc();
      const heap0 = process.memoryUsage().heapUsed;
      const stop = stallMonitor();
      const t0 = performance.now();
      const loader = new RecordLoader(source, query);
      const outcome = await loader.load(Infinity, o.count);
      const ms = performance.now() - t0;
      const stall = stop();
      global.gc();
      const heapPerRecord = (process.memoryUsage().heapUsed - heap0) / loader.size;
      const result = {
        ms,
        stored: !!o.stored,
        records: loader.size,
        requests: loader.progress.requests,
        outcome: outcome.status,
        recordsPerSec: loader.size / (ms / 1000),
        heapPerRecord,
        stallMs: stall.wall,
        stallCpuMs: stall.cpu,
        firstId: loader.records[0]?.id,
        lastId: loader.records.at(-1)?.id,
      };
      // Floor: the same requests in this thread, response bodies kept, then JSON.parse alone.
      const client = clients.logsClient(profile, o.region);
      const handler = client.config.requestHandler;
      const handle = handler.handle.bind(handler);
      const bodies = [];
      handler.handle = async (request, options) => {
        const res = await handle(request, options);
        const chunks = [];
        for await (const c of res.response.body) chunks.push(c);
        const buf = Buffer.concat(chunks);
        bodies.push(buf);
        res.response.body = buf;
        return res;
      };
      const sdk = loadSdk();
      let token;
      let events = 0;
      do {
        const page = await client.send(
          new sdk.FilterLogEventsCommand({
            logGroupName: o.group,
            startTime: o.startMs,
            endTime: o.endMs,
            limit: Math.min(10_000, o.count - events),
            nextToken: token,
          }),
        );
        events += page.events.length;
        token = page.nextToken;
      } while (token && events < o.count);
      const t1 = performance.now();
      let parsed = 0;
      const dec = new TextDecoder();
      for (const b of bodies) parsed += JSON.parse(dec.decode(b)).events.length;
      const floorMs = performance.now() - t1;
      result.floor = {
        ms: floorMs,
        events: parsed,
        bytes: bodies.reduce((s, b) => s + b.length, 0),
        recordsPerSec: parsed / (floorMs / 1000),
      };
      return result;
    }
    throw new Error(`unknown scenario ${scenario}`);
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
