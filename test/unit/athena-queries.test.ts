// The analyses as Athena SQL: every value escaped, the time range as partition predicates of the
// layout (and a predicate on start), field filters validated, bad input refused with a message.
import assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { buildTable, type TableSpec } from '../../src/athena/table';
import { AthenaQueryError, buildAthenaQuery, sqlString, timePredicate, ATHENA_ANALYSIS_IDS } from '../../src/athena/queries';
import { costEstimate } from '../../src/athena/run';
import { ANALYSES } from '../../src/shared/insightsAnalyses';

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

describe('Athena SQL of the analyses', () => {
  it('has an Athena query for every analysis of the Insights panel', () => {
    assert.deepEqual([...ATHENA_ANALYSIS_IDS].sort(), ANALYSES.map((a) => a.id).sort());
  });

  it('escapes quotes in string values and refuses control characters', () => {
    assert.equal(sqlString("it's"), "'it''s'");
    assert.throws(() => sqlString('a\nb'), AthenaQueryError);
    const q = buildAthenaQuery(table(false, false, '${srcaddr} ${dstaddr} ${start} ${vpc-id} ${bytes} ${packets}'), {
      analysis: 'topTalkers',
      startTime: FROM,
      endTime: TO,
      filters: [{ field: 'vpc-id', values: ["vpc-1' OR '1'='1"] }],
    });
    assert.match(q.sql, /"vpc_id" = 'vpc-1'' OR ''1''=''1'/);
  });

  it('turns the range into partition predicates per layout, and a predicate on start', () => {
    assert.equal(
      timePredicate(table(false, false), FROM, TO),
      `"day" BETWEEN '2024/01/30' AND '2024/02/01'\n  AND "$path" LIKE '%/123456789012_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_%'\n  AND "start" >= ${FROM / 1000} AND "start" < ${TO / 1000}`,
    );
    assert.match(timePredicate(table(false, true), FROM, TO), /^"hour" BETWEEN '2024\/01\/30\/22' AND '2024\/02\/01\/02'/);
    assert.match(
      timePredicate(table(true, false), FROM, TO),
      /^concat\("year", '\/', "month", '\/', "day"\) BETWEEN '2024\/01\/30' AND '2024\/02\/01'\n {2}AND "year" BETWEEN '2024' AND '2024'/,
    );
    assert.match(timePredicate(table(true, true), FROM, TO), /"hour"\) BETWEEN '2024\/01\/30\/22' AND '2024\/02\/01\/02'/);
  });

  it('validates filters: numbers for number fields, IPv4 CIDR blocks as patterns, unknown fields refused', () => {
    const t = table(false, false);
    assert.throws(
      () =>
        buildAthenaQuery(t, {
          analysis: 'topTalkers',
          startTime: FROM,
          endTime: TO,
          filters: [{ field: 'dstport', values: ['22; DROP'] }],
        }),
      /whole number/,
    );
    assert.throws(
      () => buildAthenaQuery(t, { analysis: 'topTalkers', startTime: FROM, endTime: TO, filters: [{ field: 'nope', values: ['1'] }] }),
      /no field/,
    );
    const q = buildAthenaQuery(t, {
      analysis: 'topTalkers',
      startTime: FROM,
      endTime: TO,
      filters: [{ field: 'srcAddr', values: ['10.1.16.0/20'], negate: true }],
    });
    assert.match(
      q.sql,
      /\("srcaddr" IS NULL OR NOT regexp_like\("srcaddr", '\^10\\\.1\\\.\(16\|17\|18\|19\|20\|21\|22\|23\|24\|25\|26\|27\|28\|29\|30\|31\)\\\.'\)\)/,
    );
  });

  it('refuses bad input with a message: range, limit, address, a format without the fields', () => {
    const t = table(false, false);
    assert.throws(() => buildAthenaQuery(t, { analysis: 'topTalkers', startTime: TO, endTime: FROM }), /ends before/);
    assert.throws(() => buildAthenaQuery(t, { analysis: 'topTalkers', startTime: FROM, endTime: TO, limit: 0 }), /limit/);
    assert.throws(
      () => buildAthenaQuery(t, { analysis: 'recordsOfAddress', startTime: FROM, endTime: TO, address: "1.2.3.4'" }),
      /IP address/,
    );
    assert.throws(
      () => buildAthenaQuery(table(false, false, '${srcaddr} ${start}'), { analysis: 'perInterface', startTime: FROM, endTime: TO }),
      /needs/,
    );
    assert.throws(() => buildAthenaQuery(t, { analysis: 'bogus' as never, startTime: FROM, endTime: TO }), /Unknown analysis/);
  });

  it('estimates the cost at $5 per TB with the 10 MB minimum', () => {
    assert.equal(costEstimate(1024 ** 4), 5);
    assert.equal(costEstimate(0), costEstimate(10 * 1024 * 1024));
  });
});
