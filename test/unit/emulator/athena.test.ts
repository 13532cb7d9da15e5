// Athena on the local endpoint (DuckDB over the endpoint's own S3 objects), through the extension's
// own path: ClientCache (Athena client, endpoint resolution) -> the athena* worker operations ->
// runAthenaQuery. The extension's DDL creates each table (text and Parquet, default and Hive,
// daily and per-hour); every built-in analysis is checked against a brute-force count over the
// same records (the endpoint's ground truth); a range reads only its partitions; errors are
// classified values.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/server';
import { awsConfigFor, defaultAccounts } from '../../emulator/fixtures';
import { formatFields } from '../../emulator/s3/records';
import type { FlowLog } from '../../../src/shared/types';
import { ClientCache } from '../../../src/aws/worker/clients';
import { loadSharedConfig } from '../../../src/shared/sharedConfig';
import { listProfiles } from '../../../src/shared/profiles';
import { MemoryLogger } from '../../support/loggers';
import { InProcessAws } from '../../support/inProcessAws';
import { buildTable, partitionRange, type TableSpec } from '../../../src/athena/table';
import { buildAthenaQuery, ATHENA_ANALYSIS_IDS } from '../../../src/athena/queries';
import { runAthenaQuery, type AthenaCall, type AthenaRunResult } from '../../../src/athena/run';
import type { AnalysisId } from '../../../src/shared/insightsAnalyses';
import { binFor } from '../../../src/shared/insightsAnalyses';

const HOUR = 3_600_000;
const REGION = 'us-east-1';
const V5 =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';

type Row = (string | null)[];

describe('Athena on the local endpoint (DuckDB), through the extension path', function () {
  this.timeout(300_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  const [acct] = defaultAccounts(0);
  const now = Date.UTC(2026, 11, 6, 15, 2, 0);
  const call: AthenaCall = (op, args, signal) => aws.call(op, 'p', REGION, args, signal);
  const logs: FlowLog[] = [];
  let n = 0;
  for (const FileFormat of ['plain-text', 'parquet'])
    for (const HiveCompatiblePartitions of [false, true])
      for (const PerHourPartition of [false, true]) {
        n++;
        logs.push({
          FlowLogId: `fl-0000000000000000${n}`,
          FlowLogStatus: 'ACTIVE',
          DeliverLogsStatus: 'SUCCESS',
          ResourceId: 'vpc-0123456789abcdef0',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: `arn:aws:s3:::athena-flow-logs/team-${n}/`,
          LogFormat: n % 2 === 0 ? V5 : undefined,
          CreationTime: new Date(now - 30 * 24 * HOUR),
          DestinationOptions: { FileFormat, HiveCompatiblePartitions, PerHourPartition },
        });
      }

  before(async () => {
    em = await startEmulator({
      accounts: [acct],
      seed: 25,
      s3: { largeObjectRecords: 400, now: () => now },
      athena: { workGroups: { results: { outputLocation: 's3://athena-results/out/' } } },
    });
    em.setFlowLogs(acct.accountId, REGION, logs);
    dir = mkdtempSync(join(tmpdir(), 'athena-unit-'));
    const files = awsConfigFor({ url: 'http://127.0.0.1:9' }, [{ name: 'p', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL_ATHENA: em.url,
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

  const run = (sql: string, extra: Partial<Parameters<typeof runAthenaQuery>[2]> = {}) =>
    runAthenaQuery(call, sql, { workGroup: 'results', pollMs: 10, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), ...extra });
  const ok = (r: AthenaRunResult) => {
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    return r.answer;
  };

  /** A range of `hours` ending an hour ago, moved back until it holds no corrupt object (Athena fails on those, as a gzip reader must). */
  function cleanRange(log: FlowLog, hours: number): { from: number; to: number } {
    let to = Math.floor(now / HOUR) * HOUR - HOUR + 17 * 60_000;
    for (let i = 0; i < 48; i++, to -= HOUR) {
      const from = to - hours * HOUR - 23 * 60_000;
      // The files of the partitions read are checked too: any corrupt object in a partition read fails the query.
      const days = em.s3.objects('athena-flow-logs', `team-${logs.indexOf(log) + 1}/`).filter((o) => o.kind === 'corrupt');
      const range = partitionRange(!!log.DestinationOptions?.PerHourPartition, from, to);
      const bad = days.some((o) => {
        const named = o.windowStart + 5 * 60_000;
        const key = partitionRange(!!log.DestinationOptions?.PerHourPartition, named, named + 1).first;
        return key >= range.first && key <= range.last;
      });
      if (!bad) return { from, to };
    }
    throw new Error('no clean range');
  }

  const tables = new Map<string, TableSpec>();
  async function tableOf(log: FlowLog): Promise<TableSpec> {
    const cached = tables.get(log.FlowLogId!);
    if (cached) return cached;
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region: REGION, database: 'flowlogs' });
    assert.ok(!('problem' in spec), JSON.stringify(spec));
    ok(await run('CREATE DATABASE IF NOT EXISTS flowlogs'));
    ok(await run(spec.ddl));
    tables.set(log.FlowLogId!, spec);
    return spec;
  }

  /** What each analysis must answer, computed record by record. */
  function bruteForce(log: FlowLog, spec: TableSpec, id: AnalysisId, from: number, to: number, address?: string): Row[] {
    const truth = em.s3.records(log, from, to);
    const fields = formatFields(log.LogFormat);
    const parquet = log.DestinationOptions?.FileFormat === 'parquet';
    const typeOf = new Map(spec.columns.map((c) => [c.field, c.type]));
    const value = (row: string[], field: string): string | number | null => {
      const raw = row[fields.indexOf(field)];
      if (typeOf.get(field) !== 'string') return raw === '-' || raw === undefined ? null : Number(raw);
      return raw === '-' && parquet ? null : raw;
    };
    const rows = truth.rows.filter((r) => {
      const s = value(r, 'start') as number | null;
      return s !== null && s >= Math.floor(from / 1000) && s < Math.ceil(to / 1000);
    });
    const present = (v: unknown) => v !== null && v !== '-';
    const group = (keep: (r: string[]) => boolean, keys: (r: string[]) => (string | number | null)[], sums: string[], countAt: number) => {
      const map = new Map<string, { keys: (string | number | null)[]; sums: (number | null)[]; count: number }>();
      for (const r of rows) {
        if (!keep(r)) continue;
        const k = keys(r);
        const id = JSON.stringify(k);
        let g = map.get(id);
        if (!g) map.set(id, (g = { keys: k, sums: sums.map(() => null), count: 0 }));
        g.count++;
        sums.forEach((f, i) => {
          const v = value(r, f) as number | null;
          if (v !== null) g!.sums[i] = (g!.sums[i] ?? 0) + v;
        });
      }
      return [...map.values()].map((g) => {
        const out: (string | number | null)[] = [...g.keys, ...g.sums];
        out.splice(countAt, 0, g.count);
        return out;
      });
    };
    // ORDER BY: [column, desc]; NULLs last in both directions (Trino's default).
    const sort = (data: (string | number | null)[][], order: [number, boolean][]) =>
      data.sort((a, b) => {
        for (const [i, desc] of order) {
          const x = a[i];
          const y = b[i];
          if (x === y) continue;
          if (x === null) return 1;
          if (y === null) return -1;
          const c = x < y ? -1 : 1;
          return desc ? -c : c;
        }
        return 0;
      });
    const str = (data: (string | number | null)[][]): Row[] => data.map((r) => r.map((v) => (v === null ? null : String(v))));
    const outside = (a: unknown) => typeof a === 'string' && !/^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)/.test(a);
    switch (id) {
      case 'topTalkers':
        return str(
          sort(
            group(
              (r) => present(value(r, 'srcaddr')),
              (r) => [value(r, 'srcaddr'), value(r, 'dstaddr')],
              ['bytes', 'packets'],
              4,
            ),
            [
              [2, true],
              [0, false],
              [1, false],
            ],
          ),
        );
      case 'topRejected':
        return str(
          sort(
            group(
              (r) => value(r, 'action') === 'REJECT',
              (r) => [value(r, 'srcaddr'), value(r, 'dstport')],
              ['packets'],
              2,
            ),
            [
              [2, true],
              [0, false],
              [1, false],
            ],
          ).map((r) => [r[0], r[1], r[2], r[3]]),
        );
      case 'sshRdpFromOutside':
        return str(
          sort(
            group(
              (r) =>
                value(r, 'action') === 'ACCEPT' &&
                [22, 3389].includes(value(r, 'dstport') as number) &&
                present(value(r, 'srcaddr')) &&
                outside(value(r, 'srcaddr')),
              (r) => [value(r, 'srcaddr'), value(r, 'dstaddr'), value(r, 'dstport')],
              ['bytes'],
              3,
            ),
            [
              [3, true],
              [0, false],
              [1, false],
              [2, false],
            ],
          ),
        );
      case 'topDstPorts':
        return str(
          sort(
            group(
              (r) => value(r, 'dstport') !== null,
              (r) => [value(r, 'dstport'), value(r, 'protocol')],
              ['bytes', 'packets'],
              2,
            ),
            [
              [2, true],
              [0, false],
              [1, false],
            ],
          ),
        );
      case 'perInterface':
        return str(
          sort(
            group(
              () => true,
              (r) => [value(r, 'interface-id')],
              ['bytes', 'packets'],
              3,
            ),
            [
              [1, true],
              [0, false],
            ],
          ),
        );
      case 'trafficOverTime': {
        const bin = binFor(to - from).seconds;
        return str(
          sort(
            group(
              () => true,
              (r) => [(value(r, 'start') as number) - ((value(r, 'start') as number) % bin)],
              ['bytes', 'packets'],
              3,
            ),
            [[0, false]],
          ),
        );
      }
      case 'noDataSkipData':
        return str(
          sort(
            group(
              (r) => ['NODATA', 'SKIPDATA'].includes(value(r, 'log-status') as string),
              (r) => [(value(r, 'start') as number) - ((value(r, 'start') as number) % 3600), value(r, 'log-status')],
              [],
              2,
            ),
            [
              [0, false],
              [1, false],
            ],
          ),
        );
      case 'recordsOfAddress': {
        const shown = [
          'srcaddr',
          'srcport',
          'dstaddr',
          'dstport',
          'protocol',
          'packets',
          'bytes',
          'action',
          'log-status',
          'interface-id',
        ].filter((f) => fields.includes(f));
        const data = rows
          .filter((r) => value(r, 'srcaddr') === address || value(r, 'dstaddr') === address)
          .map((r) => [value(r, 'start'), ...shown.map((f) => value(r, f))]);
        return str(sort(data, [[0, true], ...shown.map((_f, i) => [i + 1, false] as [number, boolean])]));
      }
    }
  }

  for (const log of logs) {
    const o = log.DestinationOptions!;
    it(`every analysis equals brute force: ${o.FileFormat}, ${o.HiveCompatiblePartitions ? 'Hive' : 'default'}, ${o.PerHourPartition ? 'per hour' : 'daily'}, ${log.LogFormat ? 'v5' : 'default'} format`, async () => {
      const spec = await tableOf(log);
      const { from, to } = cleanRange(log, 5);
      const someAddress = em.s3
        .records(log, from, to)
        .rows.map((r) => r[formatFields(log.LogFormat).indexOf('dstaddr')])
        .find((a) => a !== '-')!;
      for (const id of ATHENA_ANALYSIS_IDS) {
        const q = buildAthenaQuery(spec, { analysis: id, startTime: from, endTime: to, limit: 10_000, address: someAddress });
        const answer = ok(await run(q.sql));
        assert.deepEqual(
          answer.columns.map((c) => c.name),
          q.columns.map((c) => c.field),
        );
        const expected = bruteForce(log, spec, id, from, to, someAddress);
        assert.ok(
          expected.length > 0 || id === 'sshRdpFromOutside' || id === 'noDataSkipData',
          `${id}: the brute force found nothing, the test proves nothing`,
        );
        assert.deepEqual(answer.rows, expected, `${id} (${answer.rows.length} rows, expected ${expected.length})`);
        // Only the partitions of the range were read, and they were paid for.
        const execution = em.athena.execution(answer.execution.queryExecutionId)!;
        const range = partitionRange(!!o.PerHourPartition, from, to);
        assert.ok(execution.partitionsRead.length > 0);
        for (const p of execution.partitionsRead)
          assert.ok(p >= range.first && p <= range.last, `${id} read ${p} outside ${range.first}..${range.last}`);
        assert.equal(answer.execution.dataScannedBytes, execution.bytes);
        assert.ok(answer.execution.dataScannedBytes! > 0);
      }
    });
  }

  it('writes the CSV result to the output location, as Athena does (every value quoted, header first)', async () => {
    const answer = ok(await run(`SELECT 'a"b' AS x, 1 AS y, NULL AS z`));
    assert.equal(answer.execution.outputLocation, `s3://athena-results/out/${answer.execution.queryExecutionId}.csv`);
    assert.deepEqual(answer.rows, [['a"b', '1', null]]);
  });

  it('pages GetQueryResults with a token; the header row comes first on the first page only', async () => {
    const answer = ok(await run('SELECT * FROM range(2500) t(i) ORDER BY i', { maxRows: 100_000 }));
    assert.equal(answer.rows.length, 2500);
    assert.deepEqual(answer.rows[0], ['0']);
    assert.deepEqual(answer.rows[2499], ['2499']);
  });

  it('classifies errors as values: no output location, table missing, syntax error with its position, access denied, throttling', async () => {
    let r = await runAthenaQuery(call, 'SELECT 1', { workGroup: 'primary', pollMs: 10 });
    assert.ok(!r.ok && r.error.kind === 'noOutputLocation' && r.error.actions.includes('openSettings'), JSON.stringify(r));
    r = await run('SELECT count(*) FROM flowlogs.no_such_table');
    assert.ok(!r.ok && r.error.kind === 'tableMissing' && r.error.actions.includes('createTable'), JSON.stringify(r));
    r = await run('SELECT count(*)\nFROM FROM x');
    assert.ok(!r.ok && r.error.kind === 'syntax', JSON.stringify(r));
    assert.deepEqual(!r.ok && r.error.position, { line: 2, column: 6 });
    em.setFaults([{ fault: 'unauthorized', action: 'StartQueryExecution' }]);
    r = await run('SELECT 1');
    assert.ok(!r.ok && r.error.kind === 'denied' && r.error.message.includes('athena:StartQueryExecution'), JSON.stringify(r));
    em.setFaults([{ fault: 'throttle', action: 'StartQueryExecution' }]);
    r = await run('SELECT 1');
    assert.ok(!r.ok && r.error.kind === 'throttled' && r.error.code === 'TooManyRequestsException', JSON.stringify(r));
    em.setFaults([]);
  });

  it('Cancel sends StopQueryExecution and the query ends CANCELLED', async () => {
    em.athena.options.queryDelayMs = 2000;
    try {
      const controller = new AbortController();
      const states: string[] = [];
      const r = await run('SELECT 1', {
        signal: controller.signal,
        onProgress: (e) => {
          states.push(e.state);
          if (e.state === 'RUNNING') controller.abort();
        },
      });
      assert.ok(!r.ok && r.error.kind === 'aborted', JSON.stringify(r));
      assert.ok(states.includes('RUNNING'));
      const stopped = em.requests.filter((q) => q.action === 'StopQueryExecution');
      assert.equal(stopped.length, 1);
      const id = [...em.requests].reverse().find((q) => q.action === 'StopQueryExecution');
      assert.ok(id);
      await new Promise((res) => setTimeout(res, 50));
      const last = (await call('athenaGetQueryExecution', { queryExecutionId: r.execution!.queryExecutionId })) as {
        ok: true;
        execution: { state: string };
      };
      assert.equal(last.execution.state, 'CANCELLED');
    } finally {
      em.athena.options.queryDelayMs = 0;
    }
  });

  it('GetWorkGroup and GetTableMetadata: the workgroup output location, a table that exists and one that does not', async () => {
    const wg = await call('athenaGetWorkGroup', { workGroup: 'results' });
    assert.ok(wg.ok && wg.workGroup.outputLocation === 's3://athena-results/out/', JSON.stringify(wg));
    const primary = await call('athenaGetWorkGroup', { workGroup: 'primary' });
    assert.ok(primary.ok && primary.workGroup.outputLocation === undefined);
    const spec = await tableOf(logs[0]);
    const t = await call('athenaGetTableMetadata', { catalog: 'AwsDataCatalog', database: 'flowlogs', table: spec.table });
    assert.ok(t.ok && t.table, JSON.stringify(t));
    assert.deepEqual(
      t.table.columns.map((c) => `${c.name} ${c.type}`),
      spec.columns.map((c) => `${c.name} ${c.type}`),
    );
    assert.equal(t.table.parameters['projection.enabled'], 'true');
    const missing = await call('athenaGetTableMetadata', { catalog: 'AwsDataCatalog', database: 'flowlogs', table: 'nope' });
    assert.ok(missing.ok && missing.table === undefined, JSON.stringify(missing));
  });

  it('boto3 against the endpoint: the DDL, a query paged 3 rows at a time, the CSV in S3, errors, workgroup and table metadata', async () => {
    const log = logs[5];
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region: REGION, database: 'flowlogs', table: 'boto3_table' });
    assert.ok(!('problem' in spec));
    const { from, to } = cleanRange(log, 2);
    const q = buildAthenaQuery(spec, { analysis: 'topDstPorts', startTime: from, endTime: to, limit: 7 });
    const r = await promisify(execFile)(
      '/usr/bin/python3',
      [
        join(__dirname, '../../../../test/unit/emulator/boto3_athena.py'),
        JSON.stringify({
          endpoint: em.url,
          region: REGION,
          accessKeyId: acct.accessKeyId,
          secretAccessKey: acct.secretAccessKey,
          ddl: spec.ddl,
          sql: q.sql,
          table: spec.table,
        }),
      ],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000 },
    );
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.deepEqual(out.ddlStates, ['SUCCEEDED', 'SUCCEEDED']);
    assert.equal(out.state, 'SUCCEEDED');
    assert.ok(out.scanned > 0);
    const expected = bruteForce(log, spec, 'topDstPorts', from, to).slice(0, 7);
    assert.ok(expected.length === 7);
    // The header row first, then the rows, over pages of 3.
    assert.deepEqual(out.rows, [q.columns.map((c) => c.field), ...expected]);
    assert.equal(out.pages, Math.ceil((expected.length + 1) / 3));
    assert.deepEqual(
      out.columns,
      q.columns.map((c) => c.field),
    );
    const csvLines = [
      q.columns.map((c) => `"${c.field}"`).join(','),
      ...expected.map((row) => row.map((v) => (v === null ? '' : `"${v}"`)).join(',')),
    ];
    assert.equal(out.csv, csvLines.join('\n') + '\n');
    assert.equal(out.noOutput.code, 'InvalidRequestException');
    assert.match(out.noOutput.message, /No output location provided/);
    assert.equal(out.unknownId, 'InvalidRequestException');
    assert.equal(out.workGroup, 's3://athena-results/out/');
    assert.deepEqual(
      out.tableColumns,
      spec.columns.map((c) => c.name),
    );
    assert.deepEqual(out.partitionKeys, spec.partitions.columns);
  });
});
