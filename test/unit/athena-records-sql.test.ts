// The records panel's query as Athena SQL (issue 25.4): filters -> WHERE as recordPredicate reads
// them, values escaped, the range as partition predicates per layout, LIMIT only when every filter
// is in the SQL; and Athena's rows appended into a column store as the S3 reader reads them.
import assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { buildTable, type TableSpec } from '../../src/athena/table';
import { AthenaQueryError } from '../../src/athena/queries';
import { buildRecordsQuery, filterSql, likePattern } from '../../src/athena/recordsQuery';
import { recordLayout } from '../../src/shared/recordsFields';
import { recordPredicate } from '../../src/shared/recordsFilters';
import { ColumnStore } from '../../src/shared/columns/store';
import { appendAthenaRows } from '../../src/shared/columns/append';

const V5 =
  '${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${pkt-srcaddr}';

function table(hive: boolean, perHour: boolean, format?: string): TableSpec {
  const flowLog: FlowLog = {
    FlowLogId: 'fl-0123456789abcdef0',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::bucket/x/',
    LogFormat: format,
    DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: hive, PerHourPartition: perHour },
  };
  const t = buildTable({ flowLog, accountId: '123456789012', region: 'eu-west-1', database: 'db' });
  assert.ok(!('problem' in t));
  return t;
}

const FROM = Date.UTC(2024, 0, 30, 22, 0);
const TO = Date.UTC(2024, 1, 1, 2, 0);
const layout = recordLayout(V5);

describe('Athena SQL of the records panel', () => {
  it('selects the LogFormat columns in order, newest first, the range as partition and start predicates, LIMIT the cap', () => {
    const q = buildRecordsQuery(table(false, false, V5), layout, { startMs: FROM, endMs: TO, filters: [], limit: 5000 });
    assert.equal(
      q.sql,
      [
        'SELECT "version", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log_status", "pkt_srcaddr"',
        'FROM "db"."vpc_flow_logs_fl_0123456789abcdef0"',
        `WHERE "day" BETWEEN '2024/01/30' AND '2024/02/01'`,
        `  AND "$path" LIKE '%/123456789012_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_%'`,
        `  AND "start" >= ${FROM / 1000} AND "start" < ${TO / 1000}`,
        'ORDER BY "start" DESC',
        'LIMIT 5000',
      ].join('\n'),
    );
    assert.deepEqual(
      q.fields,
      layout.fields.map((f) => f.name),
    );
    assert.equal(q.exact, true);
    // Per layout: per-hour keys, Hive's concat and year predicate.
    assert.match(
      buildRecordsQuery(table(false, true, V5), layout, { startMs: FROM, endMs: TO, filters: [], limit: 1 }).sql,
      /"hour" BETWEEN '2024\/01\/30\/22' AND '2024\/02\/01\/02'/,
    );
    const hive = buildRecordsQuery(table(true, true, V5), layout, { startMs: FROM, endMs: TO, filters: [], limit: 1 }).sql;
    assert.match(hive, /concat\("year", '\/', "month", '\/', "day", '\/', "hour"\) BETWEEN '2024\/01\/30\/22' AND '2024\/02\/01\/02'/);
    assert.match(hive, /"year" BETWEEN '2024' AND '2024'/);
  });

  it('translates each kind of filter as recordPredicate reads it', () => {
    const t = table(false, false, V5);
    const sql = (field: string, value: string) => filterSql(t, layout, { field, value }).sql;
    assert.equal(sql('dstport', '443'), '("dstport" IS NOT NULL AND "dstport" = 443)');
    assert.equal(
      sql('dstport', '80, 1024-65535, >60000, <=5'),
      '("dstport" IS NOT NULL AND ("dstport" = 80 OR "dstport" BETWEEN 1024 AND 65535 OR "dstport" >= 60001 OR "dstport" <= 5))',
    );
    // A negated number never matches a missing value (NODATA records), as in recordsFilters.ts.
    assert.equal(sql('dstport', '!22'), '("dstport" IS NOT NULL AND NOT "dstport" = 22)');
    assert.equal(sql('protocol', 'tcp'), '("protocol" IS NOT NULL AND "protocol" = 6)');
    assert.equal(sql('action', 'REJECT'), `COALESCE("action", '-') LIKE 'REJECT' ESCAPE '\\'`);
    assert.equal(sql('interface-id', '!eni-0ab*'), `NOT COALESCE("interface_id", '-') LIKE 'eni-0ab%' ESCAPE '\\'`);
    assert.equal(sql('srcaddr', '10.0.0.5'), `regexp_like(COALESCE("srcaddr", '-'), '^10\\.0\\.0\\.5$')`);
    assert.equal(
      sql('srcaddr|dstaddr', '!10.0.0.0/8'),
      `(NOT regexp_like(COALESCE("srcaddr", '-'), '^10\\.') AND NOT regexp_like(COALESCE("dstaddr", '-'), '^10\\.'))`,
    );
    assert.equal(
      sql('srcaddr|dstaddr', '10.0.0.0/8'),
      `(regexp_like(COALESCE("srcaddr", '-'), '^10\\.') OR regexp_like(COALESCE("dstaddr", '-'), '^10\\.'))`,
    );
  });

  it('escapes quotes and LIKE wildcards; a value SQL cannot say exactly is left to the worker, and then there is no LIMIT', () => {
    const t = table(false, false, V5);
    assert.equal(likePattern("it's 50%_\\*"), `'it''s 50\\%\\_\\\\%'`);
    assert.equal(
      filterSql(t, layout, { field: 'action', value: "x' OR '1'='1" }).sql,
      `COALESCE("action", '-') LIKE 'x'' OR ''1''=''1' ESCAPE '\\'`,
    );
    const v6 = filterSql(t, layout, { field: 'pkt-srcaddr', value: '2001:db8::/32' });
    assert.equal(v6.sql, undefined);
    assert.match(v6.note ?? '', /IPv6/);
    const q = buildRecordsQuery(t, layout, {
      startMs: FROM,
      endMs: TO,
      filters: [
        { field: 'pkt-srcaddr', value: '2001:db8::/32' },
        { field: 'action', value: 'ACCEPT' },
      ],
      limit: 100,
    });
    assert.equal(q.exact, false);
    assert.doesNotMatch(q.sql, /LIMIT|2001/);
    assert.match(q.sql, /"action", '-'\) LIKE 'ACCEPT'/);
  });

  it('refuses bad input with a message: a filter that does not compile, no start field, a reversed range, a bad limit', () => {
    const t = table(false, false, V5);
    assert.throws(
      () => buildRecordsQuery(t, layout, { startMs: FROM, endMs: TO, filters: [{ field: 'dstport', value: 'ssh; DROP' }], limit: 1 }),
      AthenaQueryError,
    );
    assert.throws(() => buildRecordsQuery(t, layout, { startMs: TO, endMs: FROM, filters: [], limit: 1 }), /ends before/);
    assert.throws(() => buildRecordsQuery(t, layout, { startMs: FROM, endMs: TO, filters: [], limit: 0 }), /limit/);
    const noStart = '${srcaddr} ${dstaddr} ${action}';
    assert.throws(
      () => buildRecordsQuery(table(false, false, noStart), recordLayout(noStart), { startMs: FROM, endMs: TO, filters: [], limit: 1 }),
      /no start field/,
    );
  });
});

describe("Athena's rows into a column store", () => {
  it('appends rows as the S3 reader reads them: null is "-", the time is start, filtered rows and rows past the room counted', () => {
    const store = new ColumnStore(layout);
    const fields = layout.fields.map((f) => f.name);
    const at = fields.map((f) => layout.index[f]);
    const row = (dstport: string | null, action: string, start: string): (string | null)[] => [
      '2',
      'eni-0a',
      '10.0.0.1',
      '10.0.0.2',
      '443',
      dstport,
      '6',
      '1',
      '40',
      start,
      '1706654460',
      action,
      'OK',
      null,
    ];
    const keep = recordPredicate(layout, [{ field: 'action', value: 'ACCEPT' }]);
    const out = appendAthenaRows(
      store,
      at,
      [
        row('22', 'ACCEPT', '1706654400'),
        row(null, 'ACCEPT', '1706654401'),
        row('80', 'REJECT', '1706654402'),
        row('81', 'ACCEPT', '1706654403'),
      ],
      keep,
      2,
    );
    assert.deepEqual(out, { added: 2, filtered: 1, over: 1 });
    assert.equal(store.size, 2);
    assert.equal(store.record(0).t, 1706654400_000);
    assert.equal(store.record(1).v[layout.index.dstport], '-');
    assert.equal(store.record(1).v[layout.index['pkt-srcaddr']], '-');
    assert.equal(store.record(0).v.join(' '), '2 eni-0a 10.0.0.1 10.0.0.2 443 22 6 1 40 1706654400 1706654460 ACCEPT OK -');
  });
});
