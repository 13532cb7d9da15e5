// One benchmark scenario of the extension's AWS core, in plain Node (run with --expose-gc).
//   node --expose-gc scripts/bench/node-bench.cjs SCENARIO '<json options>'
// Prints one JSON line (the result) on stdout. The emulator runs in another process.
//
// The code under test is the transpiled source (BENCH_OUT_DIR/src/aws/...), with one change of
// wiring: src/aws/worker/sdk.ts's require('./sdkBundle') is pointed at the production SDK bundle
// (BENCH_SDK_JS, a copy of dist/sdk.js), so the SDK that loads is the one the extension ships.
//
// "wire" time = from the SDK's HTTP handler being called to the whole response body being in
// memory (the handler is wrapped per client): that is the emulator plus the network, the part
// the extension does not control. "overhead" = total - wire.
'use strict';
const path = require('node:path');
const crypto = require('node:crypto');
const Module = require('node:module');

const OUT = process.env.BENCH_OUT_DIR;
const SDK_JS = process.env.BENCH_SDK_JS;
if (!OUT || !SDK_JS) throw new Error('BENCH_OUT_DIR and BENCH_SDK_JS must be set');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === './sdkBundle' && parent?.filename?.endsWith(path.join('src', 'aws', 'worker', 'sdk.js'))) return SDK_JS;
  return resolve.call(this, request, parent, ...rest);
};

const { ClientCache } = require(path.join(OUT, 'src/aws/worker/clients.js'));
const { FlowLogService } = require(path.join(OUT, 'src/aws/flowLogService.js'));
const { InProcessAws } = require(path.join(OUT, 'test/support/inProcessAws.js'));
const { loadSharedConfig } = require(path.join(OUT, 'src/shared/sharedConfig.js'));
const { listProfiles } = require(path.join(OUT, 'src/shared/profiles.js'));
const { silentLogger } = require(path.join(OUT, 'test/support/loggers.js'));
const { searchAllRegions } = require(path.join(OUT, 'src/aws/searchAllRegions.js'));
const { loadSdk, sdkLoadInfo } = require(path.join(OUT, 'src/aws/worker/sdk.js'));
const { AwsWorkerPool } = require(path.join(OUT, 'src/aws/awsWorkerPool.js'));
// The production AWS worker (a copy of dist/awsWorker.js next to the copy of dist/sdk.js).
const WORKER_JS = process.env.BENCH_WORKER_JS;

const wire = { ms: 0, requests: 0 };

/** Wraps each new EC2 client's HTTP handler to time the wire part of every request. */
function instrument(clients) {
  const create = clients.ec2Client.bind(clients);
  const done = new WeakSet();
  clients.ec2Client = (profile, region) => {
    const client = create(profile, region);
    if (!done.has(client)) {
      done.add(client);
      const handler = client.config.requestHandler;
      const handle = handler.handle.bind(handler);
      handler.handle = async (request, options) => {
        const t0 = performance.now();
        try {
          const out = await handle(request, options);
          const body = out.response.body;
          if (body && typeof body.on === 'function') {
            const chunks = [];
            for await (const c of body) chunks.push(c);
            out.response.body = Buffer.concat(chunks); // a Uint8Array body is used as is by the SDK
          }
          return out;
        } finally {
          wire.ms += performance.now() - t0;
          wire.requests += 1;
        }
      };
    }
    return client;
  };
}

/**
 * The service as the extension builds it. worker: true = pages fetched and parsed in the page
 * worker (what the extension does); false = in this thread (lets the wire time be measured).
 */
/** Calls the AWS workers answered (the pool's observer): the requests that went through them. */
let poolAnswers = 0;

function makeService({ worker = false, pages: existing } = {}) {
  const env = process.env;
  const config = loadSharedConfig(env);
  const settings = () => ({ maxAttempts: 5, requestTimeoutMs: 30_000, userAgent: 'vpc-flow-logs-explorer/bench' });
  const clients = new ClientCache({ settings, config: () => config, logger: silentLogger, env });
  instrument(clients);
  const profiles = listProfiles(env, config).profiles;
  let pages = existing;
  if (!pages && worker) {
    pages = new AwsWorkerPool(WORKER_JS, { logger: silentLogger, onAnswer: () => (poolAnswers += 1) });
    pages.configure(settings(), profiles);
  }
  return { clients, pages, service: new FlowLogService(pages ?? new InProcessAws(clients, profiles), silentLogger), profiles };
}

const query = { filters: [] };
const idsHash = (items) =>
  crypto
    .createHash('sha256')
    .update(
      items
        .map((f) => f.FlowLogId)
        .sort()
        .join('\n'),
    )
    .digest('hex');

async function timed(fn) {
  const w0 = wire.ms;
  const r0 = wire.requests;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const total = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { total, wire: wire.ms - w0, requests: wire.requests - r0, cpu: (c.user + c.system) / 1000, result };
}

/**
 * Longest gap between ticks of a 5 ms interval timer (a blocked event loop delays the tick), and
 * the CPU time this process used during that gap: on a loaded machine a gap can also be time the
 * process was not scheduled at all (then CPU < wall).
 */
function stallProbe(periodMs = 5) {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let worst = { ms: 0, cpuMs: 0 };
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const gap = now - last - periodMs;
    if (gap > worst.ms) worst = { ms: gap, cpuMs: (cpu.user + cpu.system) / 1000 };
    last = now;
    lastCpu = process.cpuUsage();
  };
  const timer = setInterval(tick, periodMs);
  return () => {
    clearInterval(timer);
    tick();
    return { ms: Math.max(0, worst.ms), cpuMs: worst.cpuMs };
  };
}

function heap() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

const scenarios = {
  /** First page of a region, as the tree's RegionNode.getChildren asks for it (pager.loadNext()). */
  async firstPage({ profile: name, regions, pageSize, worker }) {
    const { service, profiles } = makeService({ worker });
    const profile = profiles.find((p) => p.name === name);
    const one = async (region) => {
      const pager = service.pager(profile, region, query, pageSize);
      const m = await timed(() => pager.loadNext());
      if (m.result.error) throw new Error(`${region}: ${m.result.error.message}`);
      return { total: m.total, wire: m.wire, cpu: m.cpu, requests: m.requests, items: m.result.added.length };
    };
    // Cold: the first request of the process: SDK require, client, credentials, request.
    const cold = await one(regions[0]);
    cold.sdkLoadMs = sdkLoadInfo().ms;
    // Warm, new client: another region (its first request); the SDK is loaded.
    const newClient = [];
    for (const r of regions.slice(1)) newClient.push(await one(r));
    // Warm, cached client: the same regions again with new pagers (Refresh This Node).
    const cachedClient = [];
    for (const r of regions.slice(1)) cachedClient.push(await one(r));
    return { cold, newClient, cachedClient };
  },

  /** Every page of one region (Load All), with heap and event-loop stall. */
  async loadAll({ profile: name, region, pageSize, reps, expect, worker }) {
    const { service, profiles, pages } = makeService({ worker });
    const profile = profiles.find((p) => p.name === name);
    loadSdk();
    // Warm-up (not measured): client, connection, and the emulator generating the region.
    const warm = service.pager(profile, region, query, pageSize);
    const w = await warm.loadNext();
    if (w.error) throw new Error(w.error.message);
    const runs = [];
    // Each run in its own function, so that nothing of a finished run (a suspended async frame's
    // stale registers) is still reachable when the next run takes its "before" heap reading.
    const once = async () => {
      const pager = service.pager(profile, region, query, pageSize);
      const h0 = heap();
      const stop = stallProbe();
      const sent0 = poolAnswers;
      const m = await timed(() => pager.loadAll());
      const stall = stop();
      if (pages) m.requests = poolAnswers - sent0;
      if (m.result.error) throw new Error(m.result.error.message);
      const n = pager.items.length;
      m.result = undefined;
      const h1 = heap(); // the pager, and so every loaded FlowLog object, is still referenced here
      if (expect && n !== expect) throw new Error(`loaded ${n}, expected ${expect}`);
      return {
        total: m.total,
        wire: m.wire,
        cpu: m.cpu,
        requests: m.requests,
        items: n,
        heapBytesPerFlowLog: (h1 - h0) / n,
        heapDeltaBytes: h1 - h0,
        stallMs: stall.ms,
        stallCpuMs: stall.cpuMs,
        idsHash: idsHash(pager.items),
      };
    };
    for (let i = 0; i < reps; i++) runs.push(await once());
    return { runs, rssBytes: process.memoryUsage().rss };
  },

  /** Search All Regions over every profile of the config file x the given regions. */
  async search({ regions, concurrency, pageSize, reps, worker }) {
    loadSdk(); // loaded before timing, as boto3 is imported before its timing
    // The extension's AWS workers are long-lived: start them and load the SDK in each before
    // timing (an untimed warm-up search), then give every run fresh clients (boto3: fresh sessions).
    const pool = worker ? makeService({ worker }).pages : undefined;
    if (pool) {
      const { service, profiles } = makeService({ pages: pool });
      const targets = profiles.flatMap((p) => regions.map((region) => ({ profile: p, profileName: p.name, region })));
      await searchAllRegions(targets, query, (t) => service.describeFlowLogsPage(t.profile, t.region), { concurrency, pageSize });
    }
    const runs = [];
    let groups;
    for (let i = 0; i < reps; i++) {
      const w0 = wire.requests;
      const s0 = poolAnswers;
      pool?.invalidate();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { service, profiles } = makeService({ pages: pool });
      const targets = profiles.flatMap((p) => regions.map((region) => ({ profile: p, profileName: p.name, region })));
      const result = await searchAllRegions(targets, query, (t) => service.describeFlowLogsPage(t.profile, t.region), {
        concurrency,
        pageSize,
      });
      const total = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const errors = result.filter((g) => g.error).map((g) => `${g.profileName}/${g.region}: ${g.error.message}`);
      if (errors.length) throw new Error(errors.join('; '));
      runs.push({
        total,
        cpu: (c.user + c.system) / 1000,
        requests: pool ? poolAnswers - s0 : wire.requests - w0,
        items: result.reduce((n, g) => n + g.flowLogs.length, 0),
      });
      groups = result;
    }
    pool?.dispose();
    const sets = {};
    for (const g of groups) sets[`${g.profileName}/${g.region}`] = { count: g.flowLogs.length, sha256: idsHash(g.flowLogs) };
    return { runs, sets };
  },
};

const [name, json] = process.argv.slice(2);
scenarios[name](JSON.parse(json ?? '{}')).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  },
);
