// The query builder for every analysis × format, answered by the emulator's Logs Insights engine
// and checked against a brute-force computation over the same records; and the result reader.
import * as assert from 'node:assert/strict';
import {
  ANALYSES,
  availableAnalyses,
  buildAnalysisQuery,
  binFor,
  isIpAddress,
  parseFilterText,
  QueryInputError,
  type BuiltQuery,
  type FieldFilter,
} from '../../src/shared/insightsAnalyses';
import { formatFields, insightsFieldName } from '../../src/shared/insightsFields';
import { parseAddress } from '../../src/shared/ipAddresses';
import { mergeTables, readResults, toCsv, toJson, type ResultTable } from '../../src/shared/insightsResults';
import { DEFAULT_LOG_FORMAT } from '../../src/shared/logFormat';
import { runQuery } from '../emulator/insights/engine';
import { sampleEvents, sampleRecords } from '../emulator/insights/sampleRecords';
import { bruteForce } from '../emulator/insights/groundTruth';

const CUSTOM =
  '${flow-direction} ${srcaddr} ${dstaddr} ${dstport} ${srcport} ${protocol} ${action} ${log-status} ${bytes} ${packets} ${interface-id} ${vpc-id} ${start} ${end} ${version} ${account-id}';
// No bytes, packets or interface: only some analyses fit.
const NARROW = '${srcaddr} ${dstaddr} ${dstport} ${action} ${log-status}';
const FORMATS: [string, string][] = [
  ['default', DEFAULT_LOG_FORMAT],
  ['custom', CUSTOM],
];

const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const RECORDS = sampleRecords(3000, 'analyses', T0, 6 * 3600_000);
const RANGE = { startTime: T0 + 3600_000, endTime: T0 + 5 * 3600_000 };

function run(q: BuiltQuery, format: string, records = RECORDS): ResultTable {
  const events = sampleEvents(records, format).filter((e) => e.timestamp >= q.startTime * 1000 && e.timestamp <= q.endTime * 1000);
  return readResults(q, runQuery(q.queryString, events, q.limit).results);
}

function keyCount(q: BuiltQuery): number {
  return q.columns.filter((c) => c.key).length;
}

describe('insights: analyses × formats against brute force', () => {
  for (const [formatName, format] of FORMATS) {
    for (const analysis of ANALYSES) {
      it(`${analysis.id} on the ${formatName} format`, () => {
        const address = '203.0.113.5';
        const q = buildAnalysisQuery({ analysis: analysis.id, logFormat: format, ...RANGE, limit: 10000, address });
        assert.equal(q.queryString.startsWith('parse @message'), formatName === 'custom', 'a parse only for a custom format');
        const table = run(q, format);
        assert.equal(table.skipped, 0);
        const expected = bruteForce(analysis.id, q, RECORDS, address);
        assert.ok(expected.size > 0, 'the sample has data for this analysis');
        if (analysis.id === 'recordsOfAddress') {
          const cols = ['@timestamp', 'srcAddr', 'srcPort', 'dstAddr', 'dstPort'].map((f) => q.columns.findIndex((c) => c.field === f));
          const got = table.rows.map((row) => JSON.stringify(cols.map((i) => row[i]))).sort();
          assert.deepEqual(got, [...expected.keys()].sort());
          const times = table.rows.map((row) => row[0] as number);
          assert.deepEqual(
            times,
            [...times].sort((a, b) => b - a),
            'newest first',
          );
          return;
        }
        const k = keyCount(q);
        const got = new Map(table.rows.map((row) => [JSON.stringify(row.slice(0, k)), row]));
        assert.equal(got.size, table.rows.length, 'one row per key');
        assert.deepEqual(new Set(got.keys()), new Set(expected.keys()));
        for (const [key, row] of expected) assert.deepEqual(got.get(key), row, key);
        // Ordered as the query says: by time for series, else by the first value column, descending.
        const col = q.binSeconds !== undefined ? 0 : k;
        const values = table.rows.map((row) => row[col] as number);
        assert.deepEqual(
          values,
          [...values].sort((a, b) => (q.binSeconds !== undefined ? a - b : b - a)),
        );
      });
    }
  }

  it('a small limit returns the top rows', () => {
    const q = buildAnalysisQuery({ analysis: 'topTalkers', ...RANGE, limit: 5 });
    const table = run(q, DEFAULT_LOG_FORMAT);
    assert.equal(table.rows.length, 5);
    const all = [...bruteForce('topTalkers', q, RECORDS).values()].map((r) => r[2] as number).sort((a, b) => b - a);
    assert.deepEqual(
      table.rows.map((r) => r[2]),
      all.slice(0, 5),
    );
  });

  it('field filters narrow the answer (equality, lists, CIDR, negation)', () => {
    const filters: FieldFilter[] = [
      { field: 'dstAddr', values: ['10.0.0.0/8'] },
      { field: 'protocol', values: ['6', '17'] },
      { field: 'srcAddr', values: ['8.8.8.8'], negate: true },
    ];
    for (const [, format] of FORMATS) {
      const q = buildAnalysisQuery({ analysis: 'topTalkers', logFormat: format, ...RANGE, limit: 10000, filters });
      const table = run(q, format);
      const records = RECORDS.filter(
        (r) => r.dstAddr?.startsWith('10.') && (r.protocol === 6 || r.protocol === 17) && r.srcAddr !== '8.8.8.8',
      );
      const expected = bruteForce('topTalkers', q, records);
      assert.equal(table.rows.length, expected.size);
      for (const row of table.rows) assert.deepEqual(row, expected.get(JSON.stringify(row.slice(0, 2))));
    }
  });
});

describe('insights: which analyses a format offers', () => {
  it('every analysis for the default and the full custom format', () => {
    for (const format of [undefined, '', DEFAULT_LOG_FORMAT, CUSTOM]) {
      assert.ok(
        availableAnalyses(format).every((a) => a.available),
        String(format),
      );
    }
  });

  it('only the analyses whose fields exist, naming what is missing', () => {
    const byId = new Map(availableAnalyses(NARROW).map((a) => [a.analysis.id, a]));
    assert.deepEqual(
      [...byId.values()].filter((a) => a.available).map((a) => a.analysis.id),
      ['noDataSkipData', 'recordsOfAddress'],
    );
    assert.deepEqual(byId.get('topTalkers')!.missing, ['bytes', 'packets']);
    assert.deepEqual(byId.get('perInterface')!.missing, ['interfaceId', 'bytes', 'packets']);
    assert.throws(() => buildAnalysisQuery({ analysis: 'topTalkers', logFormat: NARROW, ...RANGE }), /needs bytes, packets/);
  });

  it('the narrow format still answers what it can', () => {
    const q = buildAnalysisQuery({ analysis: 'noDataSkipData', logFormat: NARROW, ...RANGE });
    const expected = bruteForce('noDataSkipData', q, RECORDS);
    const table = run(q, NARROW);
    assert.equal(table.rows.length, expected.size);
  });

  it('custom formats get a parse with Insights names; unknown fields keep their column', () => {
    const f = formatFields('${srcaddr} ${future-field} ${dstport}');
    assert.equal(f.discovered, false);
    assert.deepEqual(f.fields, ['srcAddr', 'dstPort']);
    assert.equal(f.parse, 'parse @message /^(?<srcAddr>\\S+) (?<unknown2>\\S+) (?<dstPort>\\S+)$/');
    assert.equal(formatFields(undefined).parse, undefined);
    assert.equal(insightsFieldName('log-status'), 'logStatus');
    assert.equal(insightsFieldName('pkt-srcaddr'), 'pktSrcAddr');
    assert.ok(formatFields('${srcaddr} stray').problem);
    assert.ok(formatFields('${nothing-known}').problem);
  });
});

describe('insights: default-format queries name only the fields AWS discovers', () => {
  // CloudWatch Logs User Guide, "Supported logs and discovered fields", Amazon VPC flow logs.
  const AWS_DISCOVERED = new Set(
    '@timestamp @logStream @message accountId endTime interfaceId logStatus startTime version action bytes dstAddr dstPort packets protocol srcAddr srcPort'.split(
      ' ',
    ),
  );
  it("the field list is AWS's (startTime and endTime, not start and end)", () => {
    const f = formatFields(undefined);
    assert.equal(f.discovered, true);
    for (const name of f.fields) assert.ok(AWS_DISCOVERED.has(name), `${name} is discovered by AWS`);
    assert.ok(f.fields.includes('startTime') && f.fields.includes('endTime'));
  });
  it('a filter on the record start becomes startTime; every query names only discovered fields', () => {
    const filters = parseFilterText('start=1431280876 end!=1');
    assert.deepEqual(filters, [
      { field: 'startTime', values: ['1431280876'] },
      { field: 'endTime', values: ['1'], negate: true },
    ]);
    const q = buildAnalysisQuery({ analysis: 'topTalkers', ...RANGE, filters });
    assert.match(q.queryString, /filter startTime = 1431280876/);
    assert.doesNotMatch(q.queryString, /\b(start|end) *(=|!=|in)/);
    // Words of every generated query that name a field: each is discovered, or defined by the query.
    const KEYWORDS = new Set('filter stats sort limit fields by as desc asc and or not in sum count bin isIpv4InSubnet parse'.split(' '));
    for (const analysis of ANALYSES) {
      const built = buildAnalysisQuery({ analysis: analysis.id, ...RANGE, address: '10.0.0.1', filters });
      const defined = new Set([...built.queryString.matchAll(/ as (\w+)/g)].map((m) => m[1]));
      const words =
        built.queryString
          .replace(/"[^"]*"/g, '')
          .replace(/\b\d+[a-z]*\b/g, '')
          .match(/@?[A-Za-z][A-Za-z0-9]*/g) ?? [];
      for (const w of words)
        if (!KEYWORDS.has(w) && !defined.has(w)) assert.ok(AWS_DISCOVERED.has(w), `${analysis.id} names ${w}, which AWS does not discover`);
    }
  });
  it('a custom format parses @message into the same names (startTime, endTime)', () => {
    const f = formatFields('${srcaddr} ${start} ${end}');
    assert.equal(f.discovered, false);
    assert.deepEqual(f.fields, ['srcAddr', 'startTime', 'endTime']);
  });
});

describe('insights: bad input gets a clear message', () => {
  const cases: [string, object, RegExp][] = [
    ['unknown analysis', { analysis: 'nope' }, /Unknown analysis/],
    ['reversed range', { analysis: 'topTalkers', startTime: 10_000, endTime: 5_000 }, /ends before it starts/],
    ['no range', { analysis: 'topTalkers' }, /needs a start and an end/],
    ['limit 0', { analysis: 'topTalkers', ...RANGE, limit: 0 }, /limit must be/],
    ['limit too big', { analysis: 'topTalkers', ...RANGE, limit: 10001 }, /limit must be/],
    ['address missing', { analysis: 'recordsOfAddress', ...RANGE }, /needs an IP address/],
    ['address injection', { analysis: 'recordsOfAddress', ...RANGE, address: '1.2.3.4" or 1=1' }, /needs an IP address/],
    [
      'filter injection',
      { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'interfaceId', values: ['eni-1" | stats count(*)'] }] },
      /characters/,
    ],
    ['number filter', { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'dstPort', values: ['22 or 1'] }] }, /whole number/],
    ['enum filter', { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'action', values: ['MAYBE'] }] }, /ACCEPT, REJECT/],
    ['bad CIDR', { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'srcAddr', values: ['10.0.0.0/33'] }] }, /CIDR/],
    ['field not in the format', { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'vpcId', values: ['vpc-1'] }] }, /no field vpcId/],
    ['empty filter', { analysis: 'topTalkers', ...RANGE, filters: [{ field: 'dstPort', values: [] }] }, /no value/],
  ];
  for (const [name, request, message] of cases) {
    it(name, () => {
      assert.throws(
        () => buildAnalysisQuery(request as never),
        (e: unknown) => e instanceof QueryInputError && message.test((e as Error).message),
      );
    });
  }
  it('a null request or filter is an error, not a crash', () => {
    assert.throws(() => buildAnalysisQuery(null as never), QueryInputError);
    assert.throws(() => buildAnalysisQuery({ analysis: 'topTalkers', ...RANGE, filters: [null as never] }), QueryInputError);
  });
});

describe('insights: bins', () => {
  it('about 60 points over the range, in round widths', () => {
    assert.deepEqual(binFor(3600_000), { seconds: 60, text: '1m' });
    assert.deepEqual(binFor(6 * 3600_000), { seconds: 600, text: '10m' });
    assert.deepEqual(binFor(7 * 86400_000), { seconds: 10800, text: '3h' });
    assert.deepEqual(binFor(1000 * 86400_000), { seconds: 604800, text: '7d' });
  });
});

describe('insights: reading results', () => {
  const q = buildAnalysisQuery({ analysis: 'trafficOverTime', ...RANGE });
  it('types the cells, drops @ptr, sorts bins by time, counts what it could not read', () => {
    const column = q.columns[0].field;
    const table = readResults(q, [
      [
        { field: column, value: '2026-11-30 02:00:00.000' },
        { field: 'totalBytes', value: '10' },
        { field: '@ptr', value: 'x' },
      ],
      [
        { field: column, value: '2026-11-30 01:00:00.000' },
        { field: 'totalBytes', value: 'abc' },
        { field: 'flows', value: '3' },
      ],
      [{ field: 'nothing', value: '1' }],
      'not a row',
    ]);
    assert.deepEqual(table.rows, [
      [Date.UTC(2026, 10, 30, 1), null, null, 3],
      [Date.UTC(2026, 10, 30, 2), 10, null, null],
    ]);
    assert.equal(table.skipped, 3);
    assert.deepEqual(readResults(q, undefined).rows, []);
  });

  it('merges the answers of several queries by key, re-sorts, and cuts to the limit', () => {
    const top = buildAnalysisQuery({ analysis: 'topTalkers', ...RANGE, limit: 2 });
    const row = (s: string, d: string, b: number) => [
      { field: 'srcAddr', value: s },
      { field: 'dstAddr', value: d },
      { field: 'totalBytes', value: String(b) },
      { field: 'totalPackets', value: '1' },
      { field: 'flows', value: '1' },
    ];
    const a = readResults(top, [row('1.1.1.1', '2.2.2.2', 100), row('3.3.3.3', '4.4.4.4', 50)]);
    const b = readResults(top, [row('3.3.3.3', '4.4.4.4', 70), row('5.5.5.5', '6.6.6.6', 110)]);
    const merged = mergeTables(top, [a, b]);
    assert.deepEqual(merged.rows, [
      ['3.3.3.3', '4.4.4.4', 120, 2, 2],
      ['5.5.5.5', '6.6.6.6', 110, 1, 1],
    ]);
  });

  it('CSV escapes quotes, commas and formula prefixes; JSON keeps types', () => {
    const rec = buildAnalysisQuery({ analysis: 'perInterface', ...RANGE });
    const table = readResults(rec, [
      [
        { field: 'interfaceId', value: '=HYPERLINK("x"),1' },
        { field: 'totalBytes', value: '5' },
      ],
    ]);
    assert.equal(toCsv(table), 'Interface,Bytes,Packets,Records\r\n"\'=HYPERLINK(""x""),1",5,,\r\n');
    assert.deepEqual(JSON.parse(toJson(table)), [{ interfaceId: '=HYPERLINK("x"),1', totalBytes: 5, totalPackets: null, flows: null }]);
  });
});

describe('insights: field filters as typed', () => {
  it('field=value lists, != negates, LogFormat names become Insights names', () => {
    assert.deepEqual(parseFilterText(' dstPort=22,3389  srcaddr!=10.0.0.0/8 log-status=OK '), [
      { field: 'dstPort', values: ['22', '3389'] },
      { field: 'srcAddr', values: ['10.0.0.0/8'], negate: true },
      { field: 'logStatus', values: ['OK'] },
    ]);
    assert.deepEqual(parseFilterText(''), []);
    assert.throws(() => parseFilterText('dstPort'), /not field=value/);
    assert.throws(() => parseFilterText('"x"=1'), /not field=value/);
  });
  it('typed filters give the same answer as brute force over the filtered records', () => {
    const filters = parseFilterText('dstport=443,80 action!=REJECT');
    const q = buildAnalysisQuery({ analysis: 'topTalkers', logFormat: CUSTOM, ...RANGE, limit: 10000, filters });
    const table = run(q, CUSTOM);
    const expected = bruteForce(
      'topTalkers',
      q,
      RECORDS.filter((r) => (r.dstPort === 443 || r.dstPort === 80) && r.action !== 'REJECT'),
    );
    assert.ok(expected.size > 0);
    assert.equal(table.rows.length, expected.size);
    for (const row of table.rows) assert.deepEqual(row, expected.get(JSON.stringify(row.slice(0, 2))));
  });
});

describe('insights: one IP address rule (records/ip.ts), the strict one', () => {
  // Each of these passed the looser IPv6 check the analyses once had (hex digits and colons, 2 to
  // 39 characters, no ":::"): none is an address, and records/ip.ts refuses them all.
  const notAddresses = ['1:2:3:4:5:6:7:8:9', '12345::1', '1::2::3', 'fe80::1::', 'abcd:', '::g', 'aaaaa:b', '1:2:3:4:5:6:7'];
  for (const text of notAddresses) {
    it(`"${text}" is not an IP address, and no filter or address query takes it`, () => {
      assert.equal(parseAddress(text), undefined, 'records/ip.ts');
      assert.equal(isIpAddress(text), false, 'insights/analyses.ts');
      assert.throws(() => parseAndBuild(`srcAddr=${text}`), QueryInputError);
      assert.throws(
        () => buildAnalysisQuery({ analysis: 'recordsOfAddress', address: text, startTime: 0, endTime: 3_600_000 }),
        QueryInputError,
      );
    });
  }
  const addresses = ['10.0.1.25', '2001:db8::1', '::1', '::', '::ffff:10.0.0.1', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8'];
  for (const text of addresses) {
    it(`"${text}" is an IP address to both`, () => {
      assert.notEqual(parseAddress(text), undefined);
      assert.equal(isIpAddress(text), true);
    });
  }
  it('IPv4 CIDR blocks in filters: the same rule (records/ip.ts parseCidr), IPv4 only', () => {
    assert.match(parseAndBuild('srcAddr=10.0.0.0/8'), /isIpv4InSubnet\(srcAddr, "10\.0\.0\.0\/8"\)/);
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '2001:db8::/32', '010.0.0.0/8', '10.0.0.0/'])
      assert.throws(() => parseAndBuild(`srcAddr=${bad}`), QueryInputError, bad);
  });
});

function parseAndBuild(filterText: string): string {
  return buildAnalysisQuery({ analysis: 'topTalkers', startTime: 0, endTime: 3_600_000, filters: parseFilterText(filterText) }).queryString;
}
