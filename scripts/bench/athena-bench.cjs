// Athena benchmark, in plain Node; prints JSON lines. Run after `node scripts/build.mjs --tests`:
//   node scripts/bench/athena-bench.cjs
// The local endpoint (in this process) runs the queries in DuckDB over its S3 objects; the
// extension's path is the operation table (src/aws/worker/awsOperations.ts, in this thread) and
// runAthenaQuery. For each analysis on a per-hour Parquet flow log and a daily text one:
//   wallMs      StartQueryExecution -> answer read (polling every 50 ms)
//   engineMs    EngineExecutionTimeInMillis the endpoint reported
//   beyondMs    wallMs - engineMs: the extension's own time plus the calls and the poll waits
//   floorMs     one GetWorkGroup round trip through the same client, measured in the same run
// and for ranges of 1, 7 and 30 days the partitions the predicate allows, the partitions read and
// the bytes scanned (the endpoint keeps 7 days of objects).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const OUT = path.join(__dirname, '../../out');
const { startEmulator } = require(path.join(OUT, 'test/emulator/server.js'));
const { defaultAccounts, awsConfigFor } = require(path.join(OUT, 'test/emulator/fixtures.js'));
const { ClientCache } = require(path.join(OUT, 'src/aws/worker/clients.js'));
const { loadSharedConfig } = require(path.join(OUT, 'src/aws/sharedConfig.js'));
const { listProfiles } = require(path.join(OUT, 'src/aws/profiles.js'));
const { silentLogger } = require(path.join(OUT, 'test/support/loggers.js'));
const { InProcessAws } = require(path.join(OUT, 'test/support/inProcessAws.js'));
const { buildTable, partitionCount } = require(path.join(OUT, 'src/athena/table.js'));
const { buildAthenaQuery, ATHENA_ANALYSIS_IDS } = require(path.join(OUT, 'src/athena/queries.js'));
const { runAthenaQuery } = require(path.join(OUT, 'src/athena/run.js'));

const HOUR = 3_600_000;
const REGION = 'us-east-1';

async function main() {
  const [acct] = defaultAccounts(0);
  const now = Date.now();
  const em = await startEmulator({
    accounts: [acct],
    seed: 3,
    s3: { largeObjectRecords: 2000, now: () => now },
    athena: { workGroups: { primary: { outputLocation: 's3://bench-results/out/' } } },
  });
  const logs = [
    ['plain-text', false, false],
    ['parquet', false, true],
  ].map(([FileFormat, HiveCompatiblePartitions, PerHourPartition], i) => ({
    FlowLogId: `fl-00000000000000b0${i}`,
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    ResourceId: 'vpc-0123456789abcdef0',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::bench-flow-logs/f${i}/`,
    CreationTime: new Date(now - 60 * 24 * HOUR),
    DestinationOptions: { FileFormat, HiveCompatiblePartitions, PerHourPartition },
  }));
  em.setFlowLogs(acct.accountId, REGION, logs);
  // No corrupt objects in the benchmark: every partition is readable.
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
  const run = (sql) => runAthenaQuery(call, sql, { workGroup: 'primary', pollMs: 50 });
  await call('athenaGetWorkGroup', { workGroup: 'primary' }); // warm the client
  const floors = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await call('athenaGetWorkGroup', { workGroup: 'primary' });
    floors.push(performance.now() - t);
  }
  floors.sort((a, b) => a - b);
  const floorMs = floors[10];
  await run('CREATE DATABASE IF NOT EXISTS bench');
  for (const log of logs) {
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region: REGION, database: 'bench' });
    const created = await run(spec.ddl);
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const layout = `${log.DestinationOptions.FileFormat}${log.DestinationOptions.PerHourPartition ? ' per-hour' : ' daily'}`;
    // Skip ranges with a corrupt object (Athena fails such a query, as it must).
    const corrupt = em.s3.objects('bench-flow-logs', `f${logs.indexOf(log)}/`).some((o) => o.kind === 'corrupt');
    for (const days of [1, 7, 30]) {
      const endTime = now - HOUR;
      const startTime = endTime - days * 24 * HOUR;
      const rows = [];
      for (const analysis of ATHENA_ANALYSIS_IDS) {
        const t0 = performance.now();
        const q = buildAthenaQuery(spec, { analysis, startTime, endTime, address: '10.0.0.1', limit: 1000 });
        const buildMs = performance.now() - t0;
        const r = await run(q.sql);
        const wallMs = performance.now() - t0;
        if (!r.ok) {
          rows.push({ analysis, error: r.error.message.slice(0, 120) });
          continue;
        }
        const e = em.athena.execution(r.answer.execution.queryExecutionId);
        rows.push({
          analysis,
          buildMs: +buildMs.toFixed(2),
          wallMs: Math.round(wallMs),
          engineMs: r.answer.execution.engineExecutionMs,
          beyondMs: Math.round(wallMs - r.answer.execution.engineExecutionMs),
          bytes: r.answer.execution.dataScannedBytes,
          partitionsRead: e.partitionsRead.length,
        });
      }
      console.log(
        JSON.stringify({
          layout,
          days,
          corruptObjectsInBucket: corrupt,
          partitionsAllowed: partitionCount(!!log.DestinationOptions.PerHourPartition, startTime, endTime),
          floorMs: +floorMs.toFixed(1),
          rows,
        }),
      );
    }
  }
  clients.dispose();
  await em.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
