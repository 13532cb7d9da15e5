// The local endpoint's Logs Insights interpreter: each part of the language against a
// brute-force computation over the same records, and malformed queries with their positions.
import * as assert from 'node:assert/strict';
import { DEFAULT_LOG_FORMAT } from '../../../src/shared/logFormat';
import { discoverFlowLogFields, isIpv4InSubnet, runQuery, type QueryAnswer } from '../../emulator/insights/engine';
import { MalformedQueryError } from '../../emulator/insights/language';
import { InsightsService, type InsightsApiError } from '../../emulator/insights/service';
import { sampleEvents, sampleRecords, type SampleRecord } from '../../emulator/insights/sampleRecords';

const RECORDS = sampleRecords(2000, 'engine');
const EVENTS = sampleEvents(RECORDS, DEFAULT_LOG_FORMAT);
const OK = RECORDS.filter((r) => r.logStatus === 'OK');

function rows(answer: QueryAnswer): Record<string, string>[] {
  return answer.results.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
}
function q(query: string, events = EVENTS): Record<string, string>[] {
  return rows(runQuery(query, events));
}
function count(query: string): number {
  return Number(q(`${query} | stats count(*) as n`)[0].n);
}
function group<K>(records: SampleRecord[], key: (r: SampleRecord) => K): Map<K, SampleRecord[]> {
  const m = new Map<K, SampleRecord[]>();
  for (const r of records) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

describe('insights engine: discovery', () => {
  it('discovers the 14 default fields, and nothing in other formats', () => {
    const row = q(
      'fields version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus | limit 1',
    )[0];
    assert.equal(Object.keys(row).length, 15); // + @ptr
    const r = RECORDS[0];
    assert.equal(row.interfaceId, r.interfaceId);
    assert.equal(row.startTime, String(r.start));
    const custom = sampleEvents(RECORDS, '${srcaddr} ${dstaddr} ${bytes}');
    assert.deepEqual(Object.keys(q('fields srcAddr, bytes | limit 1', custom)[0]), ['@ptr']);
    assert.equal(discoverFlowLogFields('a b c'), undefined);
  });

  // AWS's list (CloudWatch Logs User Guide, "Supported logs and discovered fields", Amazon VPC
  // flow logs): @timestamp, @logStream, @message, accountId, endTime, interfaceId, logStatus,
  // startTime, version, action, bytes, dstAddr, dstPort, packets, protocol, srcAddr, srcPort.
  it("discovers exactly AWS's documented fields: startTime and endTime, never start or end", () => {
    const r = RECORDS.find((x) => x.logStatus === 'OK')!;
    const row = q(
      `filter srcAddr = "${r.srcAddr}" and startTime = ${r.start} | fields startTime, endTime, start, end, version | limit 1`,
    )[0];
    assert.ok(row, 'startTime is a discovered field a filter can use');
    assert.equal(row.startTime, String(r.start));
    assert.equal(row.endTime, String(r.end));
    assert.equal(row.start, undefined, 'start is not a field AWS discovers');
    assert.equal(row.end, undefined, 'end is not a field AWS discovers');
    // A filter on a field AWS would not discover matches nothing (Insights does not refuse it).
    assert.equal(count(`filter start = ${r.start}`), 0);
    assert.equal(count(`filter end >= 0`), 0);
    assert.equal(count(`filter startTime = ${r.start}`), RECORDS.filter((x) => x.start === r.start).length);
  });

  it('default output is @timestamp and @message, plus @ptr', () => {
    const row = q('limit 1')[0];
    assert.deepEqual(Object.keys(row), ['@timestamp', '@message', '@ptr']);
    assert.equal(row['@message'], EVENTS[0].message);
    assert.equal(row['@timestamp'], new Date(EVENTS[0].timestamp).toISOString().replace('T', ' ').replace('Z', ''));
  });
});

describe('insights engine: filter against brute force', () => {
  const cases: [string, (r: SampleRecord) => boolean][] = [
    ['action = "REJECT"', (r) => r.action === 'REJECT'],
    ['dstPort = 22', (r) => r.dstPort === 22],
    // NODATA records hold the text "-", which is not 22.
    ['dstPort != 22', (r) => r.dstPort !== 22],
    ['bytes > 100000', (r) => (r.bytes ?? -1) > 100000],
    ['bytes >= 100000 and packets < 200', (r) => (r.bytes ?? -1) >= 100000 && r.packets !== null && r.packets < 200],
    ['dstPort = 22 or dstPort = 3389', (r) => r.dstPort === 22 || r.dstPort === 3389],
    ['not (action = "ACCEPT")', (r) => r.action !== 'ACCEPT'],
    ['dstPort in [22, 443, 53]', (r) => [22, 443, 53].includes(r.dstPort!)],
    ['protocol not in [6]', (r) => r.protocol !== 6],
    ['logStatus in ["NODATA", "SKIPDATA"]', (r) => r.logStatus !== 'OK'],
    ['srcAddr like "203.0."', (r) => !!r.srcAddr?.includes('203.0.')],
    ['srcAddr like /^10\\.0\\.[12]\\./', (r) => /^10\.0\.[12]\./.test(r.srcAddr ?? '')],
    ['interfaceId =~ /0002$/', (r) => r.interfaceId.endsWith('0002')],
    ['isIpv4InSubnet(srcAddr, "172.16.0.0/12")', (r) => /^172\.(1[6-9]|2\d|3[01])\./.test(r.srcAddr ?? '')],
    [
      'not isIpv4InSubnet(dstAddr, "10.0.0.0/8") and action = "ACCEPT"',
      (r) => !(r.dstAddr ?? '').startsWith('10.') && r.action === 'ACCEPT',
    ],
    ['bytes / packets > 700', (r) => r.bytes !== null && r.bytes / r.packets! > 700],
  ];
  for (const [filter, predicate] of cases) {
    it(filter, () => {
      const expected = RECORDS.filter(predicate).length;
      assert.ok(expected > 0 && expected < RECORDS.length, 'the case selects some records');
      assert.equal(count(`filter ${filter}`), expected);
    });
  }
});

describe('insights engine: stats against brute force', () => {
  it('count, sum, avg, min, max, count_distinct by one field', () => {
    const got = q(
      'filter logStatus = "OK" | stats count(*) as n, sum(bytes) as b, avg(packets) as p, min(bytes) as lo, max(bytes) as hi, count_distinct(dstAddr) as d by interfaceId',
    );
    const expected = group(OK, (r) => r.interfaceId);
    assert.equal(got.length, expected.size);
    for (const row of got) {
      const rs = expected.get(row.interfaceId)!;
      assert.equal(Number(row.n), rs.length);
      assert.equal(
        Number(row.b),
        rs.reduce((s, r) => s + r.bytes!, 0),
      );
      assert.ok(Math.abs(Number(row.p) - rs.reduce((s, r) => s + r.packets!, 0) / rs.length) < 1e-5);
      assert.equal(Number(row.lo), Math.min(...rs.map((r) => r.bytes!)));
      assert.equal(Number(row.hi), Math.max(...rs.map((r) => r.bytes!)));
      assert.equal(Number(row.d), new Set(rs.map((r) => r.dstAddr)).size);
    }
  });

  it('unnamed aggregates are named by their text; count(field) skips absent values', () => {
    const custom = sampleEvents(RECORDS, '${srcaddr} ${bytes}');
    const row = q('parse @message "* *" as src, b | filter src != "-" | stats count(*), count(b), sum(b)', custom)[0];
    assert.deepEqual(Object.keys(row), ['count(*)', 'count(b)', 'sum(b)']);
    assert.equal(Number(row['count(*)']), OK.length);
    assert.equal(
      Number(row['sum(b)']),
      OK.reduce((s, r) => s + r.bytes!, 0),
    );
  });

  it('by bin() and a field, with the bins as times', () => {
    const got = q('stats count(*) as n by bin(30m), action');
    const expected = group(RECORDS, (r) => `${Math.floor(r.start / 1800) * 1800}|${r.action ?? '-'}`);
    assert.equal(got.length, expected.size);
    for (const row of got) {
      const t = Date.parse(row['bin(30m)'].replace(' ', 'T') + 'Z') / 1000;
      assert.equal(Number(row.n), expected.get(`${t}|${row.action}`)!.length);
    }
  });

  it('a stats with no records still answers one row', () => {
    assert.deepEqual(q('filter action = "NOPE" | stats count(*) as n'), [{ n: '0' }]);
  });
});

describe('insights engine: parse, sort, limit, display', () => {
  it('glob and regex parse give the same fields as discovery', () => {
    const custom = sampleEvents(RECORDS, '${action} ${srcaddr} ${dstport}');
    const viaGlob = count('filter action = "REJECT" and dstPort = 22');
    const g = rows(runQuery('parse @message "* * *" as a, s, p | filter a = "REJECT" and p = 22 | stats count(*) as n', custom))[0].n;
    const r = rows(
      runQuery('parse @message /^(?<a>\\S+) (?<s>\\S+) (?<p>\\S+)$/ | filter a = "REJECT" and p = 22 | stats count(*) as n', custom),
    )[0].n;
    assert.equal(Number(g), viaGlob);
    assert.equal(Number(r), viaGlob);
  });

  it('sort asc/desc on numbers and text, limit, display', () => {
    const got = q('filter logStatus = "OK" | sort bytes desc | limit 7 | display srcAddr, bytes');
    const expected = [...OK].sort((a, b) => b.bytes! - a.bytes!).slice(0, 7);
    assert.deepEqual(
      got.map((r) => Number(r.bytes)),
      expected.map((r) => r.bytes),
    );
    assert.deepEqual(Object.keys(got[0]), ['srcAddr', 'bytes', '@ptr']);
    const asc = q('stats count(*) as n by interfaceId | sort interfaceId asc').map((r) => r.interfaceId);
    assert.deepEqual(asc, [...asc].sort());
  });

  it('the limit parameter caps the rows', () => {
    assert.equal(runQuery('fields srcAddr', EVENTS, 25).results.length, 25);
  });

  it('statistics: scanned, matched, bytes', () => {
    const a = runQuery('filter action = "REJECT" | stats count(*) by srcAddr', EVENTS);
    assert.equal(a.statistics.recordsScanned, EVENTS.length);
    assert.equal(a.statistics.recordsMatched, RECORDS.filter((r) => r.action === 'REJECT').length);
    assert.ok(a.statistics.bytesScanned >= EVENTS.reduce((s, e) => s + e.message.length, 0));
  });

  it('isIpv4InSubnet edges', () => {
    assert.equal(isIpv4InSubnet('10.255.255.255', '10.0.0.0/8'), true);
    assert.equal(isIpv4InSubnet('11.0.0.0', '10.0.0.0/8'), false);
    assert.equal(isIpv4InSubnet('1.2.3.4', '0.0.0.0/0'), true);
    assert.equal(isIpv4InSubnet('2001:db8::1', '10.0.0.0/8'), false);
    assert.equal(isIpv4InSubnet('10.0.0.1', '10.0.0.0/33'), false);
  });
});

describe('insights engine: malformed queries', () => {
  const cases: [string, string, RegExp][] = [
    ['an unknown command', 'fields a | frobnicate b', /expected a command/],
    ['an unsupported command', 'dedup srcAddr', /not supported/],
    ['an unknown function', 'filter strrev(a) = 1', /not supported/],
    ['an aggregate outside stats', 'filter sum(bytes) > 1', /only in stats/],
    ['a bad bin', 'stats count(*) by bin(5q)', /unexpected symbol '5q'/],
    ['an unterminated string', 'filter a = "x', /unterminated string/],
    ['a bad regex', 'filter a like /(/', /invalid regular expression/],
    ['a glob with too few names', 'parse @message "* *" as a', /2 \* but 1/],
    ['a regex without names', 'parse @message /(\\S+)/', /named capture group/],
    ['a stray token', 'filter a = 1 2', /unexpected symbol '2'/],
    ['limit 0', 'limit 0', /positive whole number/],
    ['an empty query', '   ', /empty/],
  ];
  for (const [name, query, message] of cases) {
    it(name, () => {
      assert.throws(
        () => runQuery(query, []),
        (e: unknown) =>
          e instanceof MalformedQueryError && message.test(e.message) && e.start >= 0 && e.end >= e.start && e.end <= query.length,
      );
    });
  }
  it('the position points at the offending text', () => {
    const query = 'fields a | frobnicate b';
    try {
      runQuery(query, []);
      assert.fail('no error');
    } catch (e) {
      const m = e as MalformedQueryError;
      assert.equal(query.slice(m.start, m.end), 'frobnicate');
    }
  });
});

describe('insights service: the query lifecycle', () => {
  let now = 1_000_000;
  const source = {
    hasGroup: (_a: string, _r: string, g: string) => g === '/flow' || g === '/other',
    events: (_a: string, _r: string, g: string, s: number, e: number) =>
      g === '/flow' ? EVENTS.filter((x) => x.timestamp >= s && x.timestamp <= e) : [],
  };
  const caller = { accountId: '123456789012', region: 'us-east-1' };
  const range = { startTime: Math.floor(EVENTS[0].timestamp / 1000), endTime: Math.ceil(EVENTS[EVENTS.length - 1].timestamp / 1000) };
  const err = (f: () => unknown): InsightsApiError => {
    try {
      f();
    } catch (e) {
      return e as InsightsApiError;
    }
    throw new Error('no error');
  };

  it('Running with growing statistics, then Complete with the answer', () => {
    const s = new InsightsService(source, () => now);
    const { queryId } = s.handle('StartQuery', caller, {
      logGroupNames: ['/flow', '/other'],
      queryString: 'stats count(*) as n',
      ...range,
    }) as { queryId: string };
    const first = s.handle('GetQueryResults', caller, { queryId }) as {
      status: string;
      results: unknown[];
      statistics: { recordsScanned: number };
    };
    assert.equal(first.status, 'Running');
    assert.deepEqual(first.results, []);
    now += s.runningMs / 2;
    const mid = s.handle('GetQueryResults', caller, { queryId }) as typeof first;
    assert.ok(mid.statistics.recordsScanned > first.statistics.recordsScanned && mid.statistics.recordsScanned < EVENTS.length);
    now += s.runningMs;
    const done = s.handle('GetQueryResults', caller, { queryId }) as {
      status: string;
      results: { field: string; value: string }[][];
      statistics: { recordsScanned: number };
    };
    assert.equal(done.status, 'Complete');
    assert.deepEqual(done.results, [[{ field: 'n', value: String(EVENTS.length) }]]);
    assert.equal(done.statistics.recordsScanned, EVENTS.length);
    const listed = s.handle('DescribeQueries', caller, { status: 'Complete' }) as { queries: { queryId: string; logGroupName: string }[] };
    assert.deepEqual(
      listed.queries.map((x) => x.queryId),
      [queryId],
    );
  });

  it('StopQuery cancels a running query; a finished one answers success: false', () => {
    const s = new InsightsService(source, () => now);
    const { queryId } = s.handle('StartQuery', caller, { logGroupName: '/flow', queryString: 'limit 1', ...range }) as { queryId: string };
    assert.deepEqual(s.handle('StopQuery', caller, { queryId }), { success: true });
    assert.equal((s.handle('GetQueryResults', caller, { queryId }) as { status: string }).status, 'Cancelled');
    assert.deepEqual(s.handle('StopQuery', caller, { queryId }), { success: false });
  });

  it('errors as AWS gives them', () => {
    const s = new InsightsService(source, () => now);
    const start = (input: object) =>
      err(() => s.handle('StartQuery', caller, { logGroupName: '/flow', queryString: 'limit 1', ...range, ...input }));
    const malformed = start({ queryString: 'fields a | nope' });
    assert.equal(malformed.code, 'MalformedQueryException');
    assert.deepEqual(malformed.extra.queryCompileError, {
      location: { startCharOffset: 11, endCharOffset: 15 },
      message: malformed.extra.queryCompileError && (malformed.extra.queryCompileError as { message: string }).message,
    });
    assert.equal(start({ logGroupName: '/missing' }).code, 'ResourceNotFoundException');
    assert.equal(start({ logGroupNames: ['/flow'] }).code, 'InvalidParameterException'); // two of the three
    assert.equal(
      err(() =>
        s.handle('StartQuery', caller, { logGroupNames: Array.from({ length: 51 }, () => '/flow'), queryString: 'limit 1', ...range }),
      ).code,
      'InvalidParameterException',
    );
    assert.equal(start({ endTime: range.startTime - 1 }).code, 'InvalidParameterException');
    assert.equal(start({ limit: 10001 }).code, 'InvalidParameterException');
    assert.equal(err(() => s.handle('GetQueryResults', caller, { queryId: 'nope' })).code, 'ResourceNotFoundException');
    assert.equal(
      err(() =>
        s.handle(
          'GetQueryResults',
          { ...caller, region: 'eu-west-1' },
          {
            queryId: (s.handle('StartQuery', caller, { logGroupName: '/flow', queryString: 'limit 1', ...range }) as { queryId: string })
              .queryId,
          },
        ),
      ).code,
      'ResourceNotFoundException',
    );
  });

  it('LimitExceededException beyond the concurrent queries; Failed and Timeout outcomes', () => {
    const s = new InsightsService(source, () => now);
    s.maxConcurrent = 2;
    const start = () => s.handle('StartQuery', caller, { logGroupName: '/flow', queryString: 'limit 1', ...range }) as { queryId: string };
    start();
    start();
    assert.equal(err(start).code, 'LimitExceededException');
    now += s.runningMs;
    s.outcome = (text) => (text.includes('slow') ? 'Timeout' : 'Failed');
    const a = s.handle('StartQuery', caller, { logGroupName: '/flow', queryString: 'fields slow', ...range }) as { queryId: string };
    const b = start();
    now += s.runningMs;
    assert.equal((s.handle('GetQueryResults', caller, a) as { status: string }).status, 'Timeout');
    assert.equal((s.handle('GetQueryResults', caller, b) as { status: string }).status, 'Failed');
  });
});
