// The Athena page's protocol (parseFromPanel: the one validation of what the page posts) and its
// pure parts (statistics text, the syntax error's mark, the chart's data), in Node.
import assert from 'node:assert/strict';
import { parseFromPanel, type PageCell, type PageColumn } from '../../src/webviews/athena/protocol';
import {
  ariaSort,
  cellText,
  chartData,
  chartHeight,
  nextSort,
  shownText,
  sortRows,
  splitAtPosition,
  statsItems,
} from '../../src/webviews/athena/pageText';
import { errorActions, statsOf } from '../../src/athena/pageState';

describe('Athena page protocol: parseFromPanel', () => {
  it('accepts exactly the FromPanel messages', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'cancel' },
      { type: 'more' },
      { type: 'openQuery' },
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'json' },
      { type: 'action', action: 'openSettings' },
      { type: 'action', action: 'createTable' },
      { type: 'action', action: 'editQuery' },
      { type: 'action', action: 'retry' },
    ])
      assert.deepEqual(parseFromPanel(m), m);
    const bare = Object.create(null) as Record<string, unknown>;
    bare.type = 'cancel';
    assert.deepEqual(parseFromPanel(bare), { type: 'cancel' });
  });

  it('drops everything else: other types, extra or missing fields, bad values, non-plain objects', () => {
    class Msg {
      type = 'ready';
    }
    for (const m of [
      undefined,
      null,
      'ready',
      42,
      [],
      ['ready'],
      {},
      { type: 'exportCsv' },
      { type: 'READY' },
      { type: 'ready', extra: 1 },
      { type: 'export' },
      { type: 'export', format: 'xlsx' },
      { type: 'export', format: 'csv', path: '/etc/passwd' },
      { type: 'action' },
      { type: 'action', action: 'signIn' },
      { type: 'action', action: 'toString' },
      { type: 'action', action: 1 },
      new Msg(),
      Object.assign(Object.create({ type: 'ready' }) as object, {}),
      JSON.parse('{"type":"ready","__proto__":{"x":1}}') as unknown,
    ])
      assert.equal(parseFromPanel(m), undefined, JSON.stringify(m));
  });
});

describe('Athena page text', () => {
  it('statistics: state, data scanned, engine time, queue time and the cost estimate from the bytes scanned', () => {
    const items = statsItems({ state: 'RUNNING', scannedBytes: 3 * 1024 ** 3, engineMs: 1234, queueMs: 56, costUsd: 0.0146 });
    assert.deepEqual(items, [
      ['State', 'RUNNING'],
      ['Data scanned', '3.0 GB'],
      ['Engine time', '1.23 s'],
      ['Queued', '0.06 s'],
      ['Cost estimate', '$0.01 ($5 per TB scanned, 10 MB minimum)'],
    ]);
    assert.deepEqual(statsItems({ state: 'STARTING', scannedBytes: 0, costUsd: 0 }), [
      ['State', 'STARTING'],
      ['Data scanned', '0 B'],
      ['Cost estimate', '$0 ($5 per TB scanned, 10 MB minimum)'],
    ]);
  });

  it('statsOf: the execution as Athena reported it; the 10 MB minimum once bytes are known', () => {
    assert.deepEqual(statsOf(undefined), { state: 'STARTING', scannedBytes: 0, costUsd: 0 });
    const s = statsOf({ queryExecutionId: 'q', state: 'SUCCEEDED', dataScannedBytes: 1024, engineExecutionMs: 900, queryQueueMs: 12 });
    assert.equal(s.state, 'SUCCEEDED');
    assert.equal(s.scannedBytes, 1024);
    assert.equal(s.engineMs, 900);
    assert.equal(s.queueMs, 12);
    assert.equal(s.costUsd, ((10 * 1024 * 1024) / 1024 ** 4) * 5);
    const tb = statsOf({ queryExecutionId: 'q', state: 'RUNNING', dataScannedBytes: 2 * 1024 ** 4 });
    assert.equal(tb.costUsd, 10);
  });

  it('error actions: the error own actions first, Open Query for a syntax error, Run Again last', () => {
    assert.deepEqual(
      errorActions({ kind: 'noOutputLocation', message: 'x', actions: ['openSettings', 'retry'] }).map((a) => a.action),
      ['openSettings', 'retry'],
    );
    assert.deepEqual(
      errorActions({ kind: 'syntax', message: 'x', actions: [] }).map((a) => a.label),
      ['Open Query', 'Run Again'],
    );
    assert.deepEqual(
      errorActions({ kind: 'tableMissing', message: 'x', actions: ['createTable', 'signIn'] }).map((a) => a.action),
      ['createTable', 'retry'],
    );
  });

  it('marks the character at a syntax error position (1-based line and column)', () => {
    assert.deepEqual(splitAtPosition('SELECT 1\nFROM FROM x', { line: 2, column: 6 }), ['SELECT 1\nFROM ', 'F', 'ROM x']);
    assert.deepEqual(splitAtPosition('SELECT', { line: 1, column: 99 }), ['SELECT', ' ', '']);
    assert.equal(splitAtPosition('SELECT', { line: 3, column: 1 }), undefined);
    assert.equal(splitAtPosition('SELECT', { line: 0, column: 1 }), undefined);
  });

  it('cells: times in UTC, numbers grouped, missing values empty', () => {
    const time: PageColumn = { field: 't', title: 'Time', type: 'time' };
    assert.equal(cellText(time, Date.UTC(2026, 11, 6, 13, 5)), '2026-12-06 13:05:00Z');
    assert.equal(cellText({ field: 'n', title: 'N', type: 'number' }, 1234567), '1,234,567');
    assert.equal(cellText({ field: 'p', title: 'P', type: 'port' }, 443), '443');
    assert.equal(cellText(time, null), '');
  });

  it('the rows shown against the rows read', () => {
    assert.equal(shownText({ rows: [[1], [2]], total: 5 }), '2 of 5 rows shown');
    assert.equal(shownText({ rows: [[1], [2]], total: 2 }), undefined);
    assert.match(shownText({ rows: [[1]], total: 1, truncated: true })!, /has more/);
  });
});

describe('Athena page chart data', () => {
  const talkers: PageColumn[] = [
    { field: 'src', title: 'Source', type: 'address', key: true },
    { field: 'dst', title: 'Destination', type: 'address', key: true },
    { field: 'bytes', title: 'Bytes', type: 'number' },
    { field: 'flows', title: 'Records', type: 'number' },
  ];
  it('bars: the first value column, labelled by the keys, at most 20 rows in the answer order', () => {
    const rows = Array.from({ length: 30 }, (_v, i) => [`10.0.0.${i}`, '10.0.1.1', 1000 - i, i]);
    const data = chartData('bars', talkers, rows)!;
    assert.equal(data.type, 'bar');
    assert.equal(data.labels.length, 20);
    assert.equal(data.labels[0], '10.0.0.0 → 10.0.1.1');
    assert.deepEqual(data.series, [{ label: 'Bytes', data: rows.slice(0, 20).map((r) => r[2]) }]);
    assert.equal(chartHeight(data), 20 * 22 + 40);
  });

  it('a time series: one line per value of the second key (NODATA / SKIPDATA), zero where a bin has none', () => {
    const h = 3_600_000;
    const cols: PageColumn[] = [
      { field: 'bin', title: 'Hour', type: 'time', key: true },
      { field: 'status', title: 'Log status', type: 'text', key: true },
      { field: 'records', title: 'Records', type: 'number' },
    ];
    const data = chartData('timeSeries', cols, [
      [2 * h, 'NODATA', 3],
      [h, 'NODATA', 1],
      [2 * h, 'SKIPDATA', 5],
    ])!;
    assert.equal(data.type, 'line');
    assert.deepEqual(data.labels, ['01-01 01:00', '01-01 02:00']);
    assert.deepEqual(data.series, [
      { label: 'NODATA', data: [1, 3] },
      { label: 'SKIPDATA', data: [0, 5] },
    ]);
  });

  it('a time series of one value column; nothing to draw without rows, a value column or a chart', () => {
    const cols: PageColumn[] = [
      { field: 'bin', title: 'Time', type: 'time', key: true },
      { field: 'bytes', title: 'Bytes', type: 'number' },
    ];
    assert.deepEqual(
      chartData('timeSeries', cols, [
        [60_000, 7],
        [0, 2],
      ])!.series,
      [{ label: 'Bytes', data: [2, 7] }],
    );
    assert.equal(chartData('timeSeries', cols, []), undefined);
    assert.equal(chartData('none', cols, [[0, 1]]), undefined);
    assert.equal(chartData('bars', [{ field: 'a', title: 'A', type: 'text', key: true }], [['x']]), undefined);
    assert.equal(chartData('timeSeries', talkers, [['a', 'b', 1, 1]]), undefined);
  });
});

describe('Athena answer table: sorted by a clicked header', () => {
  const columns: PageColumn[] = [
    { field: 'src', title: 'Source', type: 'address', key: true },
    { field: 'port', title: 'Port', type: 'port' },
    { field: 'bytes', title: 'Bytes', type: 'number' },
    { field: 'when', title: 'Time', type: 'time' },
  ];
  const rows: PageCell[][] = [
    ['10.0.0.9', 443, 900, 3000],
    ['10.0.0.10', 80, 1000, 1000],
    ['10.0.0.2', 22, 900, 2000],
    [null, null, null, null],
    ['10.0.0.1', 443, 10, 1000],
  ];

  it('compares number, port and time columns as numbers (10 after 9, not before), a missing value first', () => {
    assert.deepEqual(
      sortRows(columns, rows, { index: 2, descending: false }).map((r) => r[2]),
      [null, 10, 900, 900, 1000],
    );
    assert.deepEqual(
      sortRows(columns, rows, { index: 1, descending: true }).map((r) => r[1]),
      [443, 443, 80, 22, null],
    );
    assert.deepEqual(
      sortRows(columns, rows, { index: 3, descending: false }).map((r) => r[3]),
      [null, 1000, 1000, 2000, 3000],
    );
  });

  it('compares other columns as text; equal values keep the answer order in both directions', () => {
    assert.deepEqual(
      sortRows(columns, rows, { index: 0, descending: false }).map((r) => r[0]),
      [null, '10.0.0.1', '10.0.0.10', '10.0.0.2', '10.0.0.9'],
    );
    // Bytes 900 twice: 10.0.0.9 (row 0) stays before 10.0.0.2 (row 2), ascending and descending.
    assert.deepEqual(
      sortRows(columns, rows, { index: 2, descending: false })
        .filter((r) => r[2] === 900)
        .map((r) => r[0]),
      ['10.0.0.9', '10.0.0.2'],
    );
    assert.deepEqual(
      sortRows(columns, rows, { index: 2, descending: true })
        .filter((r) => r[2] === 900)
        .map((r) => r[0]),
      ['10.0.0.9', '10.0.0.2'],
    );
    assert.deepEqual(sortRows(columns, rows, undefined), rows);
    assert.notEqual(sortRows(columns, rows, undefined), rows, 'a new array: the state is not changed');
  });

  it('a header click cycles ascending, descending, the answer order; aria-sort says which', () => {
    let sort = nextSort(undefined, 2);
    assert.deepEqual(sort, { index: 2, descending: false });
    assert.equal(ariaSort(sort, 2), 'ascending');
    assert.equal(ariaSort(sort, 1), 'none');
    sort = nextSort(sort, 2);
    assert.equal(ariaSort(sort, 2), 'descending');
    sort = nextSort(sort, 2);
    assert.equal(sort, undefined);
    assert.equal(ariaSort(sort, 2), 'none');
    assert.deepEqual(nextSort({ index: 1, descending: true }, 3), { index: 3, descending: false });
  });
});
