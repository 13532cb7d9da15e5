// Records over a range read through Athena (issue 25.4) against the local endpoint (DuckDB over
// its own S3 objects), through the extension's path: the records SELECT (athena/recordsQuery.ts),
// started and waited for, its answer paged by the worker operation athenaRecordsRead into a
// column store. The records must be EXACTLY those the object path (S3RecordSource: s3List and
// s3Read into a store) loads for the same range and filters, for text and Parquet, default and
// Hive, daily and per-hour layouts; and Cancel sends StopQueryExecution.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/server';
import { awsConfigFor, defaultAccounts } from '../../emulator/fixtures';
import type { FlowLog } from '../../../src/shared/types';
import type { FieldFilter } from '../../../src/shared/recordsFilters';
import { ClientCache } from '../../../src/aws/worker/clients';
import { loadSharedConfig } from '../../../src/shared/sharedConfig';
import { listProfiles } from '../../../src/shared/profiles';
import { MemoryLogger } from '../../support/loggers';
import { InProcessAws } from '../../support/inProcessAws';
import { buildTable, partitionRange, type TableSpec } from '../../../src/athena/table';
import { runAthenaQuery, type AthenaCall } from '../../../src/athena/run';
import { AthenaRecordSource } from '../../../src/athena/recordsSource';
import { S3RecordSource } from '../../../src/records/s3/s3Source';
import { s3Location } from '../../../src/records/s3/layout';
import { RecordLoader, type RecordSource } from '../../../src/records/source';
import type { RecordStoreCall } from '../../../src/records/storeResultSet';

const HOUR = 3_600_000;
const REGION = 'us-east-1';
const V5 =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';
const CAP = 200_000;

describe('Records read through Athena equal the records read from the objects (local endpoint)', function () {
  this.timeout(300_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  const [acct] = defaultAccounts(0);
  const now = Date.UTC(2026, 11, 6, 15, 2, 0);
  const call: AthenaCall = (op, args, signal) => aws.call(op, 'p', REGION, args, signal);
  const store: RecordStoreCall = (op, args, signal) => aws.call(op, 'p', REGION, args, signal);
  const logs: FlowLog[] = [];
  let n = 0;
  for (const FileFormat of ['plain-text', 'parquet'])
    for (const HiveCompatiblePartitions of [false, true])
      for (const PerHourPartition of [false, true]) {
        n++;
        logs.push({
          FlowLogId: `fl-0000000000000001${n}`,
          FlowLogStatus: 'ACTIVE',
          DeliverLogsStatus: 'SUCCESS',
          ResourceId: 'vpc-0123456789abcdef0',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: `arn:aws:s3:::athena-records/team-${n}/`,
          LogFormat: n % 2 === 0 ? V5 : undefined,
          CreationTime: new Date(now - 30 * 24 * HOUR),
          DestinationOptions: { FileFormat, HiveCompatiblePartitions, PerHourPartition },
        });
      }

  before(async () => {
    em = await startEmulator({
      accounts: [acct],
      seed: 254,
      s3: { largeObjectRecords: 300, now: () => now },
      athena: { workGroups: { results: { outputLocation: 's3://athena-results/out/' } }, queryDelayMs: 0 },
    });
    em.setFlowLogs(acct.accountId, REGION, logs);
    dir = mkdtempSync(join(tmpdir(), 'athena-records-'));
    const files = awsConfigFor({ url: 'http://127.0.0.1:9' }, [{ name: 'p', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL_ATHENA: em.url,
      AWS_ENDPOINT_URL_S3: em.url,
    };
    const config = loadSharedConfig(env);
    clients = new ClientCache({
      settings: () => ({ maxAttempts: 2, requestTimeoutMs: 20_000, userAgent: 't' }),
      config: () => config,
      logger: new MemoryLogger(),
      env,
    });
    aws = new InProcessAws(clients, listProfiles(env, config).profiles);
  });
  after(async () => {
    clients?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await em?.stop();
  });

  const tables = new Map<string, TableSpec>();
  async function tableOf(log: FlowLog): Promise<TableSpec> {
    const cached = tables.get(log.FlowLogId!);
    if (cached) return cached;
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region: REGION, database: 'flowlogs' });
    assert.ok(!('problem' in spec), JSON.stringify(spec));
    for (const sql of ['CREATE DATABASE IF NOT EXISTS flowlogs', spec.ddl]) {
      const r = await runAthenaQuery(call, sql, { workGroup: 'results', pollMs: 10 });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    }
    tables.set(log.FlowLogId!, spec);
    return spec;
  }

  /** A range of `hours` ending about an hour ago whose partitions hold no corrupt object (Athena fails on those). */
  function cleanRange(log: FlowLog, hours: number): { startMs: number; endMs: number } {
    let to = Math.floor(now / HOUR) * HOUR - HOUR + 17 * 60_000;
    const perHour = !!log.DestinationOptions?.PerHourPartition;
    const corrupt = em.s3.objects('athena-records', `team-${logs.indexOf(log) + 1}/`).filter((o) => o.kind === 'corrupt');
    for (let i = 0; i < 96; i++, to -= HOUR) {
      const from = to - hours * HOUR - 23 * 60_000;
      const range = partitionRange(perHour, from, to);
      const bad = corrupt.some((o) => {
        const named = o.windowStart + 5 * 60_000;
        const key = partitionRange(perHour, named, named + 1).first;
        return key >= range.first && key <= range.last;
      });
      if (!bad) return { startMs: from, endMs: to };
    }
    throw new Error('no clean range');
  }

  /** Every record a source loads for the range and filters, as sorted CSV lines (the store's own export). */
  async function load(source: RecordSource, range: { startMs: number; endMs: number }, filters: FieldFilter[]): Promise<string[]> {
    const loader = new RecordLoader(source, { ...range, filters });
    const outcome = await loader.load(Infinity, CAP);
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    const parts: string[] = [];
    for await (const chunk of loader.resultSet.exportChunks('csv', 5_000)) parts.push(chunk);
    return parts.join('').trim().split(/\r?\n/).slice(1).sort();
  }

  function objectPath(log: FlowLog): S3RecordSource {
    const loc = s3Location(log, acct.accountId, REGION);
    assert.ok(!('problem' in loc));
    return new S3RecordSource(
      {
        list: (args, signal) => aws.call('s3List', 'p', REGION, args, signal),
        read: (args, signal) => aws.call('s3Read', 'p', REGION, args, signal),
        store,
      },
      loc,
      log.LogFormat,
      { order: 'newest' },
    );
  }

  async function athenaPath(log: FlowLog, limit = CAP): Promise<AthenaRecordSource> {
    return new AthenaRecordSource(
      { athena: call, read: (args, signal) => aws.call('athenaRecordsRead', 'p', REGION, args, signal), store },
      { table: await tableOf(log), workGroup: 'results', limit, pollMs: 10 },
      log.LogFormat,
    );
  }

  const FILTERS: { name: string; filters: FieldFilter[] }[] = [
    { name: 'no filter', filters: [] },
    // Exact in SQL: a negated port list, a protocol name, either address in an IPv4 block, a glob.
    {
      name: 'exact SQL filters',
      filters: [
        { field: 'dstport', value: '!22, 3389' },
        { field: 'protocol', value: 'tcp, udp' },
        { field: 'srcaddr|dstaddr', value: '10.0.0.0/9' },
        { field: 'interface-id', value: 'eni-*' },
      ],
    },
    // Not sayable exactly in SQL (an IPv6 block): applied by the worker, no LIMIT.
    {
      name: 'a filter applied after Athena',
      filters: [
        { field: 'srcaddr', value: '!2001:db8::/32' },
        { field: 'action', value: 'ACCEPT' },
      ],
    },
  ];

  for (const log of logs) {
    const o = log.DestinationOptions!;
    it(`the same records: ${o.FileFormat}, ${o.HiveCompatiblePartitions ? 'Hive' : 'default'}, ${o.PerHourPartition ? 'per hour' : 'daily'}, ${log.LogFormat ? 'v5' : 'default'} format`, async () => {
      const range = cleanRange(log, 3);
      for (const { name, filters } of FILTERS) {
        const fromObjects = await load(objectPath(log), range, filters);
        const athena = await athenaPath(log);
        const throughAthena = await load(athena, range, filters);
        assert.ok(fromObjects.length > (name === 'no filter' ? 50 : 5), `${name}: the range holds such records (${fromObjects.length})`);
        assert.equal(throughAthena.length, fromObjects.length, `${name}: as many records through Athena as from the objects`);
        assert.deepEqual(throughAthena, fromObjects, name);
        assert.equal(athena.progress.state, 'SUCCEEDED');
        assert.ok(athena.progress.scannedBytes > 0);
        assert.match(athena.sql ?? '', name === 'a filter applied after Athena' ? /ORDER BY "start" DESC$/ : /LIMIT 200000$/);
      }
    });
  }

  it('survey: lists until the range is known to be over the limits (then stops), else to the end with the totals the load lists', async () => {
    const log = logs[1]; // per hour: one listing per hour of the range
    const range = cleanRange(log, 6);
    const full = await objectPath(log).survey(range, { objects: 0, bytes: 0 });
    assert.ok(full.ok);
    assert.equal(full.survey.over, false);
    assert.equal(full.survey.listedAll, true);
    const source = objectPath(log);
    await load(source, range, []);
    assert.equal(full.survey.objects, source.progress.objectsListed);
    assert.equal(full.survey.bytes, source.progress.bytesListed);
    const over = await objectPath(log).survey(range, { objects: 3, bytes: 0 });
    assert.ok(over.ok);
    assert.deepEqual([over.survey.over, over.survey.listedAll], [true, false]);
    assert.ok(over.survey.objects > 3 && over.survey.objects < full.survey.objects, JSON.stringify(over.survey));
    assert.ok(over.survey.requests < full.survey.requests, 'it stopped listing early');
    const bytes = await objectPath(log).survey(range, { objects: 0, bytes: Math.floor(full.survey.bytes / 2) });
    assert.ok(bytes.ok && bytes.survey.over && bytes.survey.bytes > full.survey.bytes / 2);
  });

  it('LIMIT is the cap: the newest records of the range, and the load says capped', async () => {
    const log = logs[0];
    const range = cleanRange(log, 3);
    const all = await load(await athenaPath(log), range, []);
    const athena = await athenaPath(log, 10);
    const loader = new RecordLoader(athena, { ...range, filters: [] });
    const outcome = await loader.load(Infinity, 10);
    assert.ok(outcome.status === 'done' || outcome.status === 'capped', JSON.stringify(outcome));
    assert.equal(loader.size, 10);
    assert.match(athena.sql ?? '', /LIMIT 10$/);
    assert.ok(all.length > 10);
  });

  it('Cancel while the query runs sends StopQueryExecution; the load is cancelled', async () => {
    const log = logs[1];
    const range = cleanRange(log, 3);
    const stops: string[] = [];
    const abort = new AbortController();
    // Cancel as soon as the query has started (the endpoint runs it fast).
    const cancelling: AthenaCall = async (op, args, signal) => {
      if (op === 'athenaStopQueryExecution') stops.push((args as { queryExecutionId: string }).queryExecutionId);
      const out = await call(op, args, signal);
      if (op === 'athenaStartQueryExecution') abort.abort();
      return out;
    };
    const athena = new AthenaRecordSource(
      { athena: cancelling, read: (args, signal) => aws.call('athenaRecordsRead', 'p', REGION, args, signal), store },
      { table: await tableOf(log), workGroup: 'results', limit: CAP, pollMs: 10 },
      log.LogFormat,
    );
    const loader = new RecordLoader(athena, { ...range, filters: [] });
    const outcome = await loader.load(Infinity, CAP, { signal: abort.signal });
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(stops, [athena.progress.queryExecutionId]);
    assert.equal(athena.progress.state, 'CANCELLED');
    assert.equal(loader.size, 0);
  });
});
