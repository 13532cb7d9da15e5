// Address names benchmark (issue 27), in plain Node (--expose-gc); prints one JSON line.
//   node --expose-gc scripts/bench/names-bench.cjs '<json options>'   options: profile, region, records
// The emulator runs in another process (out/test/emulator/cli.js); the code under test is the
// transpiled source (BENCH_OUT_DIR) with the production SDK bundle and AWS worker (BENCH_SDK_JS,
// BENCH_WORKER_JS), as in insights-bench.cjs. The records are the ones the endpoint serves for the
// region's CloudWatch Logs flow logs (its own generator), 100,000 of them, as if loaded:
//   firstScreen  the addresses of the first 50 records (what the records page shows first)
//   all          every address and interface ID of the 100,000 records, 2,000 at a time (the
//                resolver's bound per call): requests, time, heap kept by the cache
//   cached       the same again: every name from the cache (0 requests)
// Floors measured in the same run: collecting the unique addresses of the records (a Set), and one
// DescribeNetworkInterfaces round trip with a 200-value filter sent straight through the worker.
'use strict';
const path = require('node:path');
const OUT = process.env.BENCH_OUT_DIR;
const WORKER_JS = process.env.BENCH_WORKER_JS;
const { loadSharedConfig } = require(path.join(OUT, 'src/shared/sharedConfig.js'));
const { listProfiles } = require(path.join(OUT, 'src/shared/profiles.js'));
const { silentLogger } = require(path.join(OUT, 'test/support/loggers.js'));
const { AwsWorkerPool } = require(path.join(OUT, 'src/aws/awsWorkerPool.js'));
const { AddressResolver } = require(path.join(OUT, 'src/network/resolver.js'));
const { streamsOf, windowEvents } = require(path.join(OUT, 'test/emulator/logs/records.js'));

const o = JSON.parse(process.argv[2] || '{}');
const config = loadSharedConfig(process.env);
const profile = listProfiles(process.env, config).profiles.find((p) => p.name === o.profile);
const settings = () => ({ maxAttempts: 3, requestTimeoutMs: 120_000, userAgent: 'bench' });
const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
};

async function main() {
  const pool = new AwsWorkerPool(WORKER_JS, { logger: silentLogger, poolSize: 2 });
  pool.configure(settings(), [profile]);
  try {
    // The records the endpoint serves (seed 1, the CLI's default), as loaded rows' three columns.
    const flowLogs = await pool.call('describeFlowLogsPage', profile.name, o.region, { query: { filters: [] }, pageSize: 1000 });
    const account = flowLogs.items[0]?.DeliverLogsPermissionArn?.split(':')[4] ?? '111111111111';
    const streams = flowLogs.items
      .filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED')
      .map((f) => streamsOf(o.seed ?? 1, account, o.region, f));
    const want = o.records ?? 100_000;
    const rows = [];
    const now = Math.floor(Date.now() / 600_000) - 2;
    for (let w = now; rows.length < want && w > now - 5000; w--)
      for (const s of streams) {
        const fields = s.fields;
        const [src, dst, eni] = ['srcaddr', 'dstaddr', 'interface-id'].map((n) => fields.indexOf(n));
        for (const e of windowEvents(s, w)) {
          const v = e.message.split(' ');
          if (v[src] === '-' || src < 0) continue;
          rows.push([v[src], v[dst], v[eni]]);
        }
      }
    rows.length = Math.min(rows.length, want);

    // Floor 1: the unique addresses of the records.
    let t = performance.now();
    const unique = new Set();
    for (const r of rows) for (const a of r) unique.add(a);
    const floorCollectMs = performance.now() - t;
    const addresses = [...unique];

    // Floor 2: one DescribeNetworkInterfaces with a 200-value filter, straight through the worker.
    const sample = addresses.filter((a) => /^10\./.test(a)).slice(0, 200);
    await pool.call('findInterfacesPage', profile.name, o.region, {
      filterName: 'addresses.private-ip-address',
      values: sample,
      pageSize: 1000,
    });
    const one = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await pool.call('findInterfacesPage', profile.name, o.region, {
        filterName: 'addresses.private-ip-address',
        values: sample,
        pageSize: 1000,
      });
      one.push(performance.now() - t);
    }
    one.sort((a, b) => a - b);
    const oneRequestMs = one[2];

    const before = heap();
    const resolver = new AddressResolver(pool, { maxEntries: 200_000 });
    t = performance.now();
    const first = await resolver.resolveAddresses(profile.name, o.region, [...new Set(rows.slice(0, 50).flat())]);
    const firstScreen = { ms: performance.now() - t, requests: first.requests, names: first.names.size };

    t = performance.now();
    let requests = 0;
    let named = 0;
    let owners = 0;
    for (let i = 0; i < addresses.length; i += 2000) {
      const r = await resolver.resolveAddresses(profile.name, o.region, addresses.slice(i, i + 2000));
      requests += r.requests;
      named += r.names.size;
      for (const n of r.names.values()) if (n.interfaceId) owners++;
    }
    const all = { ms: performance.now() - t, requests, named, owners };
    const after = heap();

    t = performance.now();
    let again = 0;
    for (let i = 0; i < addresses.length; i += 2000)
      again += (await resolver.resolveAddresses(profile.name, o.region, addresses.slice(i, i + 2000))).requests;
    const cached = { ms: performance.now() - t, requests: again };

    console.log(
      JSON.stringify({
        records: rows.length,
        uniqueAddresses: addresses.length,
        floorCollectMs,
        oneRequestMs,
        firstScreen,
        all,
        cached,
        heapBytes: after - before,
        bytesPerName: (after - before) / Math.max(1, named),
      }),
    );
  } finally {
    await pool.dispose();
  }
}

main().catch((e) => {
  console.log(JSON.stringify({ error: String(e?.stack ?? e) }));
  process.exitCode = 1;
});
