// The in-memory ResultSet (test/support/referenceResultSet.ts, the oracle the worker's column store is checked against): the reference semantics of sort and summary
// the worker's store keeps, windows bounded by MAX_WINDOW_ROWS, rows by load-order id, export
// chunks in the shown order; and the page's virtual window and request coalescing
// (webviews/records/virtualWindow.ts), formatting (format.ts) and texts (pageModel.ts).
import assert from 'node:assert/strict';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage, type FlowRecord } from '../../src/shared/recordsParse';
import { ArrayResultSet, sortedOrder, summarize } from '../support/referenceResultSet';
import { MAX_WINDOW_ROWS, type RecordWindow } from '../../src/shared/resultSet';
import { exportRecords } from '../../src/shared/recordsExport';
import { MemoryResultSet } from '../../src/records/storeResultSet';
import { covers, rowAt, visibleSpan, wantedWindow, WindowRequests } from '../../src/webviews/records/virtualWindow';
import { displayValue, humanBytes, meaningOf, tcpFlagNames } from '../../src/webviews/records/format';
import { decodeTables, decodeValue } from '../../src/shared/recordsDecode';
import { emptySummary, progressText, stateButtons, stateText, summaryChips } from '../../src/webviews/records/pageModel';
import { parseFromPanel, RANGE_PRESET_IDS } from '../../src/webviews/records/protocol';
import { TIME_RANGE_PRESETS } from '../../src/webview/timeRanges';

const layout = recordLayout(undefined); // version 2: ... srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
const rec = (src: string, dstport: string, bytes: string, action: string, t: number, status = 'OK'): FlowRecord =>
  parseMessage(
    layout,
    `2 123456789012 eni-0a1b2c3d4e5f60718 ${src} 10.0.0.9 443 ${dstport} 6 3 ${bytes} 1700000000 1700000060 ${action} ${status}`,
    t,
    's',
  );

describe("the product's column store against the reference result set", () => {
  it('MemoryResultSet (the column store the worker uses) answers every order, window and summary as the reference does', async () => {
    const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];
    const many: FlowRecord[] = [];
    for (let i = 0; i < 700; i++)
      many.push(
        i % 97 === 0
          ? parseMessage(layout, `odd line ${i}`, i, 's')
          : rec(
              pick(['10.0.0.1', '10.0.0.2', '2001:db8::1', '-', '192.168.1.10'], i * 7),
              pick(['22', '-', '443', '0443', '65535', '3389'], i * 5),
              pick(['100', '-', '5000000000', '7', '0'], i * 3),
              pick(['ACCEPT', 'REJECT', '-'], i),
              (i * 7919) % 1000,
              pick(['OK', 'NODATA', 'SKIPDATA'], i * 11),
            ),
      );
    const product = new MemoryResultSet(layout, () => many);
    const reference = new ArrayResultSet(layout, many);
    assert.deepEqual(await product.summary(), await reference.summary());
    for (const key of ['@time', 'srcaddr', 'dstport', 'bytes', 'action', 'log-status', 'protocol', 'nope'])
      for (const descending of [false, true]) {
        await product.order({ key, descending });
        await reference.order({ key, descending });
        const [a, b] = [await product.window(0, 700), await reference.window(0, 700)];
        assert.deepEqual(
          a.rows.map((r) => r.id),
          b.rows.map((r) => r.id),
          `${key} ${descending ? 'descending' : 'ascending'}`,
        );
        assert.deepEqual(a.rows, b.rows);
      }
  });
});

describe('records result set (in memory, the reference semantics)', () => {
  const records = [
    rec('10.0.0.1', '22', '100', 'ACCEPT', 5),
    rec('10.0.0.2', '-', '-', '-', 3, 'NODATA'),
    rec('10.0.0.1', '8080', '2048', 'REJECT', 9),
    rec('10.0.0.3', '22', '50', 'ACCEPT', 1),
  ];
  records.push(parseMessage(layout, 'not a flow log line', 7, 's'));

  it('sorts numbers as numbers (non-numeric first), text as text, ties by load order, descending flips', () => {
    assert.deepEqual(Array.from(sortedOrder(layout, records, { key: 'dstport', descending: false })), [1, 4, 0, 3, 2]);
    // Descending flips the comparison, ties stay in load order (0 before 3).
    assert.deepEqual(Array.from(sortedOrder(layout, records, { key: 'dstport', descending: true })), [2, 0, 3, 1, 4]);
    assert.deepEqual(Array.from(sortedOrder(layout, records, { key: '@time', descending: false })), [3, 1, 0, 4, 2]);
    // action is text: '-' < 'ACCEPT' < 'REJECT' as strings; the bad line has no value ('').
    assert.equal(records[4].bad !== undefined, true);
    assert.deepEqual(Array.from(sortedOrder(layout, records, { key: 'action', descending: false })), [4, 1, 0, 3, 2]);
    // An unknown key is load order.
    assert.deepEqual(Array.from(sortedOrder(layout, records, { key: 'nope', descending: true })), [0, 1, 2, 3, 4]);
  });

  it('windows in the current order, bounded, with stable load-order ids; rows by id; the order follows a growing load', async () => {
    const live = records.slice(0, 4);
    const rs = new ArrayResultSet(layout, live);
    assert.equal(await rs.order({ key: 'bytes', descending: true }), 4);
    let w = await rs.window(0, 10);
    assert.deepEqual(
      w.rows.map((r) => r.id),
      [2, 0, 3, 1],
    );
    assert.equal(w.total, 4);
    live.push(rec('10.0.0.4', '1', '999999', 'ACCEPT', 2)); // the load grows
    w = await rs.window(1, 2);
    assert.deepEqual(w, { start: 1, total: 5, rows: [(await rs.row(2))!, (await rs.row(0))!] });
    assert.equal((await rs.window(0, 1)).rows[0].id, 4, 'the new row sorts first');
    assert.equal((await rs.row(4))!.v[layout.index.bytes], '999999');
    assert.equal(await rs.row(99), undefined);
    assert.equal(await rs.row(-1), undefined);
    // Out of range and over the bound: clamped.
    assert.deepEqual((await rs.window(50, 10)).rows, []);
    const many = Array.from({ length: MAX_WINDOW_ROWS + 50 }, (_, i) => rec('10.0.0.1', String(i), '1', 'ACCEPT', i));
    assert.equal((await new ArrayResultSet(layout, many).window(0, 1e9)).rows.length, MAX_WINDOW_ROWS);
    await rs.order(undefined);
    assert.deepEqual(
      (await rs.window(0, 10)).rows.map((r) => r.id),
      [0, 1, 2, 3, 4],
    );
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(rs.window(0, 1, ac.signal), /abort/i);
  });

  it('a bad line keeps why and its text in its row', async () => {
    const rs = new ArrayResultSet(layout, records);
    const bad = (await rs.row(4))!;
    assert.ok(bad.bad);
    assert.equal(bad.raw, 'not a flow log line');
  });

  it('summary: records, bytes, accepted/rejected, NODATA, bad lines, time span, distinct sources and destinations', async () => {
    assert.deepEqual(summarize(layout, records), {
      records: 5,
      noData: 2, // NODATA and the bad line (no log-status OK)
      bad: 1,
      bytes: 2198,
      accepted: 2,
      rejected: 1,
      minT: 1,
      maxT: 9,
      sources: 4,
      destinations: 2,
    });
    // Kept as the load grows: the same as over every record.
    const live = records.slice(0, 2);
    const rs = new ArrayResultSet(layout, live);
    const first = await rs.summary();
    assert.deepEqual(first, summarize(layout, records.slice(0, 2)));
    live.push(...records.slice(2));
    assert.deepEqual(await rs.summary(), summarize(layout, records));
    const custom = recordLayout('${srcport} ${dstport}');
    assert.deepEqual(summarize(custom, [parseMessage(custom, '1 2', 1)]), { records: 1, noData: 0, bad: 0, minT: 1, maxT: 1 });
  });

  it('export chunks hold the records in the shown order, the same text as one export', async () => {
    const rs = new ArrayResultSet(layout, records);
    await rs.order({ key: '@time', descending: false });
    for (const format of ['csv', 'json', 'ndjson'] as const) {
      const parts: string[] = [];
      for await (const c of rs.exportChunks(format, 2)) parts.push(c);
      const sorted = Array.from(sortedOrder(layout, records, { key: '@time', descending: false }), (i) => records[i]);
      assert.equal(parts.join(''), exportRecords(layout, sorted, format), format);
      assert.ok(parts.length >= 3, 'in chunks');
    }
  });
});

describe('records page: virtual window and requests', () => {
  it('the drawn span, the window asked for (margin, at most MAX rows), coverage', () => {
    assert.deepEqual(visibleSpan(0, 440, 22, 1000), { first: 0, last: 30 });
    assert.deepEqual(visibleSpan(22 * 500, 440, 22, 1000), { first: 490, last: 530 });
    assert.deepEqual(visibleSpan(22 * 995, 440, 22, 1000), { first: 985, last: 1000 });
    assert.deepEqual(visibleSpan(0, 440, 22, 0), { first: 0, last: 0 });
    assert.deepEqual(wantedWindow({ first: 490, last: 530 }, 1000, 200, 2000), { start: 290, count: 440 });
    assert.deepEqual(wantedWindow({ first: 0, last: 30 }, 1000, 200, 2000), { start: 0, count: 430 });
    assert.deepEqual(wantedWindow({ first: 990, last: 1000 }, 1000, 200, 2000), { start: 790, count: 210 });
    // A tall viewport: never more than the bound.
    assert.ok(wantedWindow({ first: 0, last: 1900 }, 1e6, 200, 2000).count <= 2000);
    const win: RecordWindow = { start: 290, total: 1000, rows: Array.from({ length: 440 }, (_, i) => ({ id: 290 + i, t: 0, v: [] })) };
    assert.equal(covers(win, { first: 490, last: 530 }), true);
    assert.equal(covers(win, { first: 700, last: 740 }), false);
    assert.equal(covers(undefined, { first: 0, last: 0 }), true);
    assert.equal(rowAt(win, 300)?.id, 300);
    assert.equal(rowAt(win, 10), undefined);
  });

  it('one request in flight; the newest wish goes when it answers; answers from before an invalidate are dropped', () => {
    const sent: [number, number, number][] = [];
    const q = new WindowRequests((seq, start, count) => sent.push([seq, start, count]));
    q.want(0, 100);
    q.want(50, 100); // while scrolling: waits
    q.want(90, 100); // replaces the wish above
    assert.deepEqual(sent, [[1, 0, 100]]);
    assert.equal(q.answered(1), true);
    assert.deepEqual(sent, [
      [1, 0, 100],
      [2, 90, 100],
    ]);
    assert.equal(q.answered(1), false, 'an answer twice is stale');
    q.invalidate(); // a new order while 2 is in flight
    q.want(90, 100);
    assert.equal(q.answered(2), false, 'rows of the old order are dropped');
    assert.deepEqual(sent.at(-1), [3, 90, 100]);
    assert.equal(q.answered(3), true);
    q.want(90, 100); // the same window, answered and current: not asked again
    assert.equal(sent.length, 3);
    q.invalidate();
    q.want(90, 100); // asked again after an invalidate
    assert.equal(sent.length, 4);
  });
});

describe('records page: formatting and texts (one definition with the extension side)', () => {
  it('bytes and TCP flags are written the same by the page and by decodeValue', () => {
    assert.equal(humanBytes('1536'), '1.5 KiB');
    assert.equal(humanBytes('512'), '512 B');
    assert.equal(humanBytes('x'), undefined);
    assert.equal(tcpFlagNames('18'), 'SYN ACK');
    assert.equal(tcpFlagNames('0'), 'none');
    assert.equal(tcpFlagNames('999'), undefined);
    assert.equal(decodeValue('bytes', 'int', '1536'), humanBytes('1536'));
    assert.equal(decodeValue('tcp-flags', 'tcpFlags', '3'), 'FIN SYN');
    const t = decodeTables();
    assert.deepEqual(displayValue({ name: 'tcp-flags', kind: 'tcpFlags' }, '18', t), ['SYN ACK', 'tcp-flags 18']);
    assert.deepEqual(displayValue({ name: 'protocol', kind: 'protocol' }, '6', t), ['TCP', 'protocol 6']);
    assert.deepEqual(displayValue({ name: 'protocol', kind: 'protocol' }, 'constructor', t), ['constructor', 'protocol constructor']);
    assert.deepEqual(displayValue({ name: 'bytes', kind: 'int' }, '-', t), ['-', 'bytes: no value']);
    assert.equal(meaningOf({ name: 'log-status', kind: 'text' }, 'NODATA', t), t.logStatus.NODATA);
    assert.equal(meaningOf({ name: 'srcaddr', kind: 'address' }, '10.0.0.1', t), '');
  });

  it('state line, buttons, progress and summary chips', () => {
    assert.equal(stateText({ type: 'state', status: 'done' }, 0, 100), 'No records match in this range.');
    assert.equal(stateText({ type: 'state', status: 'done' }, 1200, 100), 'All 1,200 matching records in the range are loaded.');
    assert.match(stateText({ type: 'state', status: 'capped', cap: 10000 }, 10000, 5), /Stopped at 10,000 records/);
    assert.deepEqual(stateButtons('loading', 5), { cancel: true, more: false });
    assert.deepEqual(stateButtons('more', 5), { cancel: false, more: true });
    assert.deepEqual(stateButtons('error', 5), { cancel: false, more: false });
    assert.equal(progressText(500, { loaded: 500, requests: 1, scanned: 800 }), '500 records loaded · 1 request · 800 events read');
    const chips = summaryChips({ records: 3, noData: 0, bad: 0, bytes: 2048, accepted: 2, rejected: 1, sources: 2 });
    assert.deepEqual(
      chips.map((c) => `${c.label}=${c.value}`),
      ['records=3', 'bytes=2.0 KiB', 'accepted=2', 'rejected=1', 'sources=2'],
    );
    assert.equal(chips[0].id, 'sum-records');
    assert.deepEqual(emptySummary(['srcaddr', 'action']), {
      records: 0,
      noData: 0,
      bad: 0,
      bytes: undefined,
      accepted: 0,
      rejected: 0,
      sources: 0,
      destinations: undefined,
    });
  });

  it("the page's range presets are the pickers' presets", () => {
    assert.deepEqual(
      [...RANGE_PRESET_IDS],
      TIME_RANGE_PRESETS.map((p) => p.id),
    );
  });

  it('the page may ask for a window of at most MAX_WINDOW_ROWS rows, one row by id, an order; anything else is dropped', () => {
    assert.deepEqual(parseFromPanel({ type: 'window', seq: 3, start: 100, count: 440 }), {
      type: 'window',
      seq: 3,
      start: 100,
      count: 440,
    });
    for (const bad of [
      { type: 'window', seq: 3, start: 0, count: MAX_WINDOW_ROWS + 1 },
      { type: 'window', seq: 3, start: -1, count: 10 },
      { type: 'window', seq: 3, start: 1.5, count: 10 },
      { type: 'window', seq: '3', start: 0, count: 10 },
      { type: 'window', start: 0, count: 10 },
      { type: 'row', seq: 1, id: -2 },
      { type: 'row', seq: 1, id: Number.NaN },
      { type: 'sort', sort: { key: 'bytes' } },
      { type: 'sort', sort: { key: 'x'.repeat(201), descending: true } },
      { type: 'sort' },
      Object.assign(Object.create({ polluted: true }), { type: 'row', seq: 1, id: 1 }),
    ])
      assert.equal(parseFromPanel(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(parseFromPanel({ type: 'row', seq: 1, id: 7 }), { type: 'row', seq: 1, id: 7 });
    assert.deepEqual(parseFromPanel({ type: 'sort', sort: null }), { type: 'sort', sort: null });
    assert.deepEqual(parseFromPanel({ type: 'sort', sort: { key: '@time', descending: true } }), {
      type: 'sort',
      sort: { key: '@time', descending: true },
    });
  });
});
