// The local endpoint's Athena as the AWS CLI sees it: Debian's `awscli` 2.9 (/usr/bin/aws,
// installed by scripts/ensure-system-deps.sh for the unit layer) with --endpoint-url. The
// extension's DDL creates the table of a per-hour Parquet flow log; a built-in analysis runs through
// start-query-execution / get-query-execution / get-query-results and answers what the records
// say; get-work-group, get-table-metadata, stop-query-execution and a missing output location.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import type { FlowLog } from '../../../src/shared/types';
import { buildTable, partitionRange } from '../../../src/athena/table';
import { buildAthenaQuery } from '../../../src/athena/queries';

const AWS = '/usr/bin/aws';
const HOUR = 3_600_000;

function aws(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(AWS, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === 'string') {
        reject(new Error(`${AWS} did not run (${e.code}): install Debian's awscli (bash scripts/ensure-system-deps.sh unit)`));
        return;
      }
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the AWS CLI against the local endpoint: Athena', function () {
  this.timeout(240_000);
  const region = 'us-east-1';
  const [acct] = defaultAccounts(1);
  const now = Date.UTC(2026, 11, 6, 15, 2, 0);
  const log: FlowLog = {
    FlowLogId: 'fl-0c11a7e0000000001',
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    ResourceId: 'vpc-0123456789abcdef0',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::cli-flow-logs/org/',
    CreationTime: new Date(now - 10 * 24 * HOUR),
    DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: false, PerHourPartition: true },
  };
  let em: Emulator;
  let env: NodeJS.ProcessEnv;
  const cli = async (...args: string[]) => {
    const r = await aws(['athena', ...args, '--endpoint-url', em.url, '--output', 'json'], env);
    return { ...r, json: r.code === 0 && r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, any>) : undefined };
  };
  /** start-query-execution, then get-query-execution until the state is final. */
  async function query(sql: string, workGroup = 'cli'): Promise<{ id: string; execution: Record<string, any> }> {
    const started = await cli('start-query-execution', '--query-string', sql, '--work-group', workGroup);
    assert.equal(started.code, 0, started.stderr);
    const id = started.json!.QueryExecutionId as string;
    for (let i = 0; i < 600; i++) {
      const got = await cli('get-query-execution', '--query-execution-id', id);
      assert.equal(got.code, 0, got.stderr);
      const e = got.json!.QueryExecution;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.Status.State)) return { id, execution: e };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the query never ended');
  }

  before(async () => {
    em = await startEmulator({
      accounts: [acct],
      seed: 11,
      s3: { largeObjectRecords: 300, now: () => now },
      athena: { workGroups: { cli: { outputLocation: 's3://cli-results/out/' } } },
    });
    em.setFlowLogs(acct.accountId, region, [log]);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: acct.accessKeyId,
      AWS_SECRET_ACCESS_KEY: acct.secretAccessKey!,
      AWS_DEFAULT_REGION: region,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
  });
  after(async () => {
    await em?.stop();
  });

  it("creates the extension's table, runs per interface and answers what the records say, paged by get-query-results", async () => {
    const spec = buildTable({ flowLog: log, accountId: acct.accountId, region, database: 'cli_db' });
    assert.ok(!('problem' in spec));
    assert.equal((await query('CREATE DATABASE IF NOT EXISTS cli_db')).execution.Status.State, 'SUCCEEDED');
    assert.equal((await query(spec.ddl)).execution.Status.State, 'SUCCEEDED');
    const meta = await cli(
      'get-table-metadata',
      '--catalog-name',
      'AwsDataCatalog',
      '--database-name',
      'cli_db',
      '--table-name',
      spec.table,
    );
    assert.equal(meta.code, 0, meta.stderr);
    assert.deepEqual(
      meta.json!.TableMetadata.Columns.map((c: { Name: string; Type: string }) => `${c.Name} ${c.Type}`),
      spec.columns.map((c) => `${c.name} ${c.type}`),
    );
    assert.equal(meta.json!.TableMetadata.Parameters['projection.enabled'], 'true');

    // Two hours without a corrupt object in their partitions (Athena fails a query over one).
    const corrupt = em.s3.objects('cli-flow-logs', 'org/').filter((o) => o.kind === 'corrupt');
    let to = Math.floor(now / HOUR) * HOUR - HOUR;
    for (; ; to -= HOUR) {
      const r = partitionRange(true, to - 2 * HOUR, to);
      const bad = corrupt.some((o) => {
        const k = partitionRange(true, o.windowStart + 300_000, o.windowStart + 300_001).first;
        return k >= r.first && k <= r.last;
      });
      if (!bad) break;
    }
    const from = to - 2 * HOUR;
    const q = buildAthenaQuery(spec, { analysis: 'perInterface', startTime: from, endTime: to, limit: 1000 });
    const { id, execution } = await query(q.sql);
    assert.equal(execution.Status.State, 'SUCCEEDED', JSON.stringify(execution.Status));
    assert.ok(execution.Statistics.DataScannedInBytes > 0);
    assert.equal(execution.ResultConfiguration.OutputLocation, `s3://cli-results/out/${id}.csv`);
    // The CLI pages get-query-results itself (--page-size 2): the header row first, then every row.
    const results = await cli('get-query-results', '--query-execution-id', id, '--page-size', '2');
    assert.equal(results.code, 0, results.stderr);
    const rows = (results.json!.ResultSet.Rows as { Data: { VarCharValue?: string }[] }[]).map((r) => r.Data.map((d) => d.VarCharValue));
    assert.deepEqual(
      rows[0],
      q.columns.map((c) => c.field),
    );
    const truth = em.s3.records(log, from, to).rows;
    assert.ok(truth.length > 0);
    assert.equal(
      rows.slice(1).reduce((n, r) => n + Number(r[3]), 0),
      truth.length,
      'the records per interface add up to the records of the range',
    );
    assert.deepEqual(
      results.json!.ResultSet.ResultSetMetadata.ColumnInfo.map((c: { Name: string }) => c.Name),
      q.columns.map((c) => c.field),
    );
  });

  it('get-work-group, a missing output location, stop-query-execution', async () => {
    const wg = await cli('get-work-group', '--work-group', 'cli');
    assert.equal(wg.code, 0, wg.stderr);
    assert.equal(wg.json!.WorkGroup.Configuration.ResultConfiguration.OutputLocation, 's3://cli-results/out/');
    const none = await cli('start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'primary');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /\(InvalidRequestException\).*No output location provided/);
    em.athena.options.queryDelayMs = 5000;
    try {
      const started = await cli('start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'cli');
      const id = started.json!.QueryExecutionId as string;
      const stop = await cli('stop-query-execution', '--query-execution-id', id);
      assert.equal(stop.code, 0, stop.stderr);
      const got = await cli('get-query-execution', '--query-execution-id', id);
      assert.equal(got.json!.QueryExecution.Status.State, 'CANCELLED');
    } finally {
      em.athena.options.queryDelayMs = 0;
    }
  });
});
