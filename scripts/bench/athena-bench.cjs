// Athena benchmark, in plain Node. Run after `node scripts/build.mjs --tests`:
//   node scripts/bench/athena-bench.cjs        (also step 11 of `npm run bench`)
// Progress and one line per query on stderr; the summary as one JSON line on stdout (the last line).
// The local endpoint (in this process) runs the queries in DuckDB over its S3 objects; the
// extension's path is the operation table (src/aws/worker/awsOperations.ts, in this thread: the
// real SDK over real HTTP) and runAthenaQuery. Three flow logs (daily text, per-hour Parquet, Hive
// per-hour text) with 45 days of objects, one per hour (sparse, so the run stays quick).
//
// 1. The extension's own time per query, beyond the engine, every built-in analysis over 1 day:
//      ownMs   = (the endpoint's SubmissionDateTime - the start of buildAthenaQuery)
//              + (answer read - the poll that saw the final state): composing the SQL, the
//                StartQueryExecution call, the GetQueryResults pages and their reading. It counts
//                the endpoint's HTTP handling too (same process): an upper bound of the extension's.
//      lagMs   = the poll that saw the final state - the endpoint's CompletionDateTime: the poll
//                interval's cost (the extension polls first at 100 ms, growing by half to 2 s).
//      engineMs, wallMs. Floors, same run: `SELECT 1` through the same path (ownMs of a query with
//      no work) and one GetWorkGroup round trip.
// 2. Partitions: for 1, 7 and 30 days the partitions the predicate allows, the partitions read
//    and the bytes scanned (the endpoint's own record of the files it read), against a full scan
//    of the table (`SELECT count(*)` with no predicate: every partition of the 45 days).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const OUT = process.env.BENCH_OUT_DIR || path.join(__dirname, '../../out');
const { startEmulator } = require(path.join(OUT, 'test/emulator/server.js'));
const { defaultAccounts, awsConfigFor } = require(path.join(OUT, 'test/emulator/fixtures.js'));
const { hashString } = require(path.join(OUT, 'test/emulator/prng.js'));
const { ClientCache } = require(path.join(OUT, 'src/aws/worker/clients.js'));
const { loadSharedConfig } = require(path.join(OUT, 'src/shared/sharedConfig.js'));
const { listProfiles } = require(path.join(OUT, 'src/shared/profiles.js'));
const { silentLogger } = require(path.join(OUT, 'test/support/loggers.js'));
const { InProcessAws } = require(path.join(OUT, 'test/support/inProcessAws.js'));
const { buildTable, partitionCount, partitionRange } = require(path.join(OUT, 'src/athena/table.js'));
const { buildAthenaQuery, ATHENA_ANALYSIS_IDS } = require(path.join(OUT, 'src/athena/queries.js'));
const { runAthenaQuery } = require(path.join(OUT, 'src/athena/run.js'));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGION = 'us-east-1';
const RETENTION_DAYS = 45;
const STRIDE = 12; // one 5-minute window in 12: one object per hour
const say = (...a) => process.stderr.write(a.join(' ') + '\n');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

/** A flow log ID whose objects are never corrupt nor "large" at this stride (the endpoint picks those by the ID's hash). */
function cleanId(i) {
  for (let n = 0; ; n++) {
    const id = `fl-0be0${String(i)}${n.toString(16).padStart(12, '0')}`;
    const h = hashString(id);
    if (h % 4 !== 3 && h % 12 !== 11) return id;
  }
}

async function main() {
  const [acct] = defaultAccounts(0);
  const now = Date.now();
  const em = await startEmulator({
    accounts: [acct],
    seed: 3,
    s3: { largeObjectRecords: 2000, now: () => now, retentionDays: RETENTION_DAYS, windowStride: STRIDE },
    athena: { workGroups: { primary: { outputLocation: 's3://bench-results/out/' } } },
  });
  const layouts = [
    ['plain-text', false, false],
    ['parquet', false, true],
    ['plain-text', true, true],
  ];
  const logs = layouts.map(([FileFormat, HiveCompatiblePartitions, PerHourPartition], i) => ({
    FlowLogId: cleanId(i),
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    ResourceId: 'vpc-0123456789abcdef0',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::bench-flow-logs/f${i}/`,
    CreationTime: new Date(now - 60 * DAY),
    DestinationOptions: { FileFormat, HiveCompatiblePartitions, PerHourPartition },
  }));
  em.setFlowLogs(acct.accountId, REGION, logs);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'athena-bench-'));
  const files = awsConfigFor({ url: em.url }, [{ name: 'p', account: acct, region: REGION }]);
  fs.writeFileSync(path.join(dir, 'config'), files.config);
  fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
  const env = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
  const config = loadSharedConfig(env);
  const clients = new ClientCache({
    settings: () => ({ maxAttempts: 1, requestTimeoutMs: 300_000, userAgent: 'bench' }),
    config: () => config,
    logger: silentLogger,
    env,
  });
  const aws = new InProcessAws(clients, listProfiles(env, config).profiles);
  const call = (op, args, signal) => aws.call(op, 'p', REGION, args, signal);

  /** One query, timed as the header says (the extension's default polling). */
  async function timed(makeSql) {
    const t0 = Date.now();
    const sql = makeSql();
    let finalSeen = 0;
    const r = await runAthenaQuery(call, sql, {
      workGroup: 'primary',
      onProgress: (e) => {
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.state)) finalSeen = Date.now();
      },
    });
    const tEnd = Date.now();
    if (!r.ok) return { error: r.error.message.slice(0, 160) };
    const e = em.athena.execution(r.answer.execution.queryExecutionId);
    return {
      wallMs: tEnd - t0,
      engineMs: r.answer.execution.engineExecutionMs,
      ownMs: e.submitted - t0 + (tEnd - finalSeen),
      lagMs: finalSeen - e.completed,
      bytes: r.answer.execution.dataScannedBytes,
      partitionsRead: e.partitionsRead,
      rows: r.answer.rows,
    };
  }

  await call('athenaGetWorkGroup', { workGroup: 'primary' }); // warm the client
  const rtts = [];
  for (let i = 0; i < 20; i++) {
    const t = Date.now();
    await call('athenaGetWorkGroup', { workGroup: 'primary' });
    rtts.push(Date.now() - t);
  }
  const select1 = [];
  for (let i = 0; i < 5; i++) {
    const q = await timed(() => 'SELECT 1');
    if (q.error) throw new Error(q.error);
    select1.push(q.ownMs);
  }
  const floors = { getWorkGroupMs: median(rtts), select1OwnMs: median(select1) };
  say(`floors: GetWorkGroup round trip ${floors.getWorkGroupMs} ms, SELECT 1 own time ${floors.select1OwnMs} ms`);
  const created = await timed(() => 'CREATE DATABASE IF NOT EXISTS bench');
  if (created.error) throw new Error(created.error);

  const summary = { retentionDays: RETENTION_DAYS, objectsPerFlowLog: 0, floors, layouts: [] };
  for (const log of logs) {
    const o = log.DestinationOptions;
    const layout = `${o.FileFormat}, ${o.HiveCompatiblePartitions ? 'Hive' : 'default'}, ${o.PerHourPartition ? 'per hour' : 'daily'}`;
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region: REGION, database: 'bench' });
    const made = await timed(() => spec.ddl);
    if (made.error) throw new Error(made.error);
    const objects = em.s3.objects('bench-flow-logs', `f${logs.indexOf(log)}/`);
    summary.objectsPerFlowLog = objects.length;
    const endTime = now - HOUR;
    const entry = { layout, objects: objects.length, analyses: [], ranges: [] };
    // 1. Every analysis over one day.
    for (const analysis of ATHENA_ANALYSIS_IDS) {
      const q = await timed(
        () => buildAthenaQuery(spec, { analysis, startTime: endTime - DAY, endTime, address: '10.0.0.1', limit: 1000 }).sql,
      );
      say(`${layout} · ${analysis} · 1 day: ${JSON.stringify({ ...q, rows: q.rows?.length, partitionsRead: q.partitionsRead?.length })}`);
      entry.analyses.push({ analysis, ...q, rows: q.rows?.length, partitionsRead: q.partitionsRead?.length });
    }
    // 2. Partitions of 1, 7, 30 days against a full scan (traffic over time: every record of the range).
    for (const days of [1, 7, 30]) {
      const startTime = endTime - days * DAY;
      const q = await timed(() => buildAthenaQuery(spec, { analysis: 'trafficOverTime', startTime, endTime }).sql);
      const range = partitionRange(!!o.PerHourPartition, startTime, endTime);
      const row = {
        days,
        partitionsAllowed: partitionCount(!!o.PerHourPartition, startTime, endTime),
        partitionsRead: q.partitionsRead?.length,
        allInRange: q.partitionsRead?.every((p) => p >= range.first && p <= range.last),
        bytes: q.bytes,
        engineMs: q.engineMs,
        ownMs: q.ownMs,
        error: q.error,
      };
      say(`${layout} · ${days} days: ${JSON.stringify(row)}`);
      entry.ranges.push(row);
    }
    const full = await timed(() => `SELECT count(*) FROM "bench"."${spec.table}"`);
    entry.full = {
      partitionsRead: full.partitionsRead?.length,
      bytes: full.bytes,
      engineMs: full.engineMs,
      records: full.rows?.[0]?.[0],
      error: full.error,
    };
    say(`${layout} · full scan: ${JSON.stringify(entry.full)}`);
    const own = entry.analyses.filter((a) => !a.error).map((a) => a.ownMs);
    entry.ownMs = { median: median(own), max: Math.max(...own), n: own.length };
    entry.lagMs = median(entry.analyses.filter((a) => !a.error).map((a) => a.lagMs));
    entry.engineMs = median(entry.analyses.filter((a) => !a.error).map((a) => a.engineMs));
    entry.errors = entry.analyses.filter((a) => a.error).length;
    entry.analyses = entry.analyses.map(({ analysis, ownMs, engineMs, lagMs, wallMs, error }) => ({
      analysis,
      ownMs,
      engineMs,
      lagMs,
      wallMs,
      error,
    }));
    summary.layouts.push(entry);
  }
  clients.dispose();
  await em.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(summary) + '\n');
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
