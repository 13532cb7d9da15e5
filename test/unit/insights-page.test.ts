// The analysis page's pure parts (src/webviews/insights/view.ts) and its protocol's one check
// (parseFromPanel), in Node.
import * as assert from 'node:assert/strict';
import { MAX_ROW_INDEX, parseFromPanel, TOOLBAR_ACTIONS, type AnalysisViewState } from '../../src/webviews/insights/protocol';
import { bytesText, cellText, chartData, chartHeight, nextSort, sortedRows, statusLine } from '../../src/webviews/insights/view';

const base: AnalysisViewState = {
  runId: 1,
  title: 'Top talkers',
  subtitle: '',
  phase: 'done',
  chart: 'bars',
  query: 'stats count(*)',
  statistics: { recordsScanned: 1234, recordsMatched: 56, bytesScanned: 1536 },
  parts: [],
  canShowRecords: false,
};

describe('insights page: parseFromPanel', () => {
  it('takes the toolbar buttons, ready and showRecords with a row index, each as a fresh object', () => {
    for (const type of [...TOOLBAR_ACTIONS, 'ready'] as const) {
      const raw = { type };
      const m = parseFromPanel(raw);
      assert.deepEqual(m, { type });
      assert.notEqual(m, raw);
    }
    assert.deepEqual(parseFromPanel({ type: 'showRecords', index: 3 }), { type: 'showRecords', index: 3 });
    assert.deepEqual(parseFromPanel(Object.assign(Object.create(null), { type: 'rerun' })), { type: 'rerun' });
  });
  const bad: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['a string', 'cancel'],
    ['an array', [{ type: 'cancel' }]],
    ['an unknown type', { type: 'deleteEverything' }],
    ['the old command key', { command: 'cancel' }],
    ['showRecords without an index', { type: 'showRecords' }],
    ['a fractional index', { type: 'showRecords', index: 1.5 }],
    ['a negative index', { type: 'showRecords', index: -1 }],
    ['an index past the bound', { type: 'showRecords', index: MAX_ROW_INDEX + 1 }],
    ['an index as text', { type: 'showRecords', index: '3' }],
    ['a __proto__ key', JSON.parse('{"type":"cancel","__proto__":{"x":1}}')],
    ['an inherited type', Object.create({ type: 'cancel' })],
    [
      'a class instance',
      new (class M {
        type = 'cancel';
      })(),
    ],
    ['too many keys', { type: 'cancel', a: 1, b: 2, c: 3, d: 4 }],
    [
      'a throwing getter',
      Object.defineProperty({}, 'type', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      }),
    ],
  ];
  for (const [name, raw] of bad) it(`drops ${name}`, () => assert.equal(parseFromPanel(raw), undefined));
});

describe('insights page: what it shows', () => {
  it('bytes, cells and the status line read as before', () => {
    assert.equal(bytesText(0), '0 B');
    assert.equal(bytesText(1536), '1.5 KB');
    assert.equal(bytesText(5 * 1024 ** 3), '5.0 GB');
    assert.equal(cellText({ title: 'T', type: 'time' }, Date.UTC(2026, 11, 1, 10, 0)), '2026-12-01 10:00:00Z');
    assert.equal(cellText({ title: 'B', type: 'number' }, 1234567), '1,234,567');
    assert.equal(cellText({ title: 'A', type: 'address' }, '10.0.0.1'), '10.0.0.1');
    assert.equal(cellText({ title: 'A', type: 'address' }, null), '');
    assert.deepEqual(statusLine({ ...base, phase: 'running', bound: 'stops after 15 minutes' }), {
      text: 'Running… 1,234 records scanned, 56 matched, 1.5 KB scanned · stops after 15 minutes',
      className: 'running',
    });
    assert.deepEqual(statusLine({ ...base, outcome: { state: 'partial', summary: '3 rows' } }), {
      text: '3 rows · 1,234 records scanned, 56 matched, 1.5 KB scanned',
      className: 'warn',
    });
    assert.equal(statusLine({ ...base, outcome: { state: 'timeout', summary: 'x' } }).className, 'error');
  });

  it('sorts by a column: descending first, numbers as numbers, empty cells last; a copy', () => {
    const rows = [
      ['b', 2],
      ['a10', null],
      ['a9', 30],
    ];
    assert.deepEqual(sortedRows(rows, { column: -1, dir: 'desc' }), rows);
    const s1 = nextSort({ column: -1, dir: 'desc' }, 1);
    assert.deepEqual(s1, { column: 1, dir: 'desc' });
    assert.deepEqual(
      sortedRows(rows, s1).map((r) => r[1]),
      [30, 2, null],
    );
    const s2 = nextSort(s1, 1);
    assert.deepEqual(s2, { column: 1, dir: 'asc' });
    assert.deepEqual(
      sortedRows(rows, s2).map((r) => r[1]),
      [2, 30, null],
    );
    assert.deepEqual(
      sortedRows(rows, { column: 0, dir: 'asc' }).map((r) => r[0]),
      ['a9', 'a10', 'b'],
    );
    assert.deepEqual(rows[0], ['b', 2], 'the rows given are not reordered');
  });

  it('the chart: bars of the first number by the keys (20 at most); a time series per second key; none without a number', () => {
    const cols = [
      { title: 'Source', type: 'address' as const, key: true },
      { title: 'Destination', type: 'address' as const, key: true },
      { title: 'Bytes', type: 'number' as const },
    ];
    const rows = Array.from({ length: 25 }, (_, i) => [`10.0.0.${i}`, '10.0.1.1', 100 - i]);
    const bars = chartData({ ...base, columns: cols, rows });
    assert.equal(bars?.kind, 'bars');
    assert.equal(bars!.labels.length, 20);
    assert.equal(bars!.labels[0], '10.0.0.0 → 10.0.1.1');
    assert.deepEqual(bars!.series, [{ label: 'Bytes', data: rows.slice(0, 20).map((r) => r[2]) }]);
    assert.equal(chartHeight('bars', 25), '480px');
    assert.equal(chartHeight('bars', 1), '120px');
    assert.equal(chartHeight('timeSeries', 1), '260px');

    const h = 3_600_000;
    const series = chartData({
      ...base,
      chart: 'timeSeries',
      columns: [
        { title: 'Hour', type: 'time', key: true },
        { title: 'Log status', type: 'text', key: true },
        { title: 'Records', type: 'number' },
      ],
      rows: [
        [2 * h, 'NODATA', 3],
        [h, 'NODATA', 1],
        [h, 'SKIPDATA', 2],
      ],
    });
    assert.equal(series?.kind, 'timeSeries');
    assert.deepEqual(series!.labels, ['01-01 01:00', '01-01 02:00']);
    assert.deepEqual(series!.series, [
      { label: 'NODATA', data: [1, 3] },
      { label: 'SKIPDATA', data: [2, 0] },
    ]);
    assert.equal(chartData({ ...base, chart: 'none', columns: cols, rows }), undefined);
    assert.equal(chartData({ ...base, columns: cols.slice(0, 2), rows }), undefined, 'no number column');
    assert.equal(chartData({ ...base, columns: cols, rows: [] }), undefined);
  });
});
