// The column store (src/records/columns/): every column kind holds values exactly as written, the
// byte and message fast paths equal parseMessage, and sort, summary and export equal what the page
// and records/export.ts did over record objects. Then the store in the real AWS worker over HTTP:
// CloudWatch Logs records appended there, read back through WorkerResultSet, exact against the
// records the old path returned; duplicates dropped across calls; the store bound; a worker death.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage, type FlowRecord } from '../../src/shared/recordsParse';
import { exportRecords, type ExportFormat } from '../../src/shared/recordsExport';
import { ColumnStore, plainIpv4, plainNumber, regularLine } from '../../src/shared/columns/store';
import { Dictionary } from '../../src/shared/columns/dictionary';
import { appendMessage } from '../../src/shared/columns/append';
import type { RecordSort, RecordSummary } from '../../src/shared/resultSet';
import { MemoryResultSet, WorkerResultSet } from '../../src/records/storeResultSet';
import { startEmulator, defaultAccounts, awsConfigFor, Emulator } from '../emulator/server';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { CloudWatchRecordSource } from '../../src/records/cloudWatchSource';
import { RecordLoader } from '../../src/records/source';
import { rowsOf } from '../support/resultRows';
import type { FlowLog } from '../../src/shared/types';
import type { FilterLogEventsArgs } from '../../src/shared/awsWorkerProtocol';
import { DROPPED_STORE_MESSAGE, MAX_STORES } from '../../src/aws/worker/recordStores';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');
const DEFAULT = recordLayout(undefined);
const CUSTOM = recordLayout(
  '${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end} ${action} ${log-status} ${tcp-flags} ${pkt-srcaddr} ${flow-direction}',
);

/** Records of every kind of value: plain and odd numbers, IPv4, IPv6, '-', text, bad lines. */
function sample(layout = DEFAULT, n = 600): FlowRecord[] {
  const out: FlowRecord[] = [];
  const nums = ['0', '7', '443', '0443', '4294967295', '4294967296', '-', '-5', '12.5', '99999999999', ''];
  const addrs = ['10.0.0.1', '255.255.255.255', '0.0.0.0', '2001:db8::1', '-', '010.0.0.1', '1.2.3', '1.2.3.256', '10.0.0.10', '10.0.0.9'];
  const texts = ['ACCEPT', 'REJECT', '-', 'OK', 'NODATA', 'SKIPDATA', 'eni-0abc', 'égal', 'x\uD800y', 'x\uFFFDy'];
  for (let i = 0; i < n; i++) {
    const v = layout.fields.map((f, k) => {
      const j = (i * 7 + k * 3) % 97;
      if (f.kind === 'address') return addrs[j % addrs.length];
      if (f.kind === 'text') return f.name === 'version' ? '2' : texts[j % texts.length];
      if (f.name === 'version') return j % 13 === 0 ? '5' : '2';
      return j % 5 === 0 ? nums[j % nums.length] : String((i * 131 + k * 17) % 70_000);
    });
    const r: FlowRecord = { v, t: 1_700_000_000_000 + ((i * 7919) % 5000) * 1000, s: `eni-${i % 5}-all` };
    if (i % 41 === 3) Object.assign(r, { bad: `expected ${layout.fields.length} fields, found 3`, raw: `a b c ${i}` });
    out.push(r);
  }
  return out;
}

function storeOf(layout: typeof DEFAULT, recs: FlowRecord[]): ColumnStore {
  const s = new ColumnStore(layout);
  for (const r of recs) s.appendRecord(r);
  return s;
}

const strip = (r: FlowRecord): FlowRecord => {
  const o: FlowRecord = { v: r.v, t: r.t };
  if (r.s !== undefined) o.s = r.s;
  if (r.bad !== undefined) Object.assign(o, { bad: r.bad, raw: r.raw });
  return o;
};

/** The page's sort (media/records.js applySort), over record objects: the reference. */
function pageSort(layout: typeof DEFAULT, recs: FlowRecord[], sort: RecordSort): number[] {
  const order = recs.map((_, i) => i);
  const k = sort.key === '@time' ? -1 : layout.index[sort.key];
  const kind = k < 0 ? 'time' : layout.fields[k].kind;
  const num = k < 0 || ['int', 'port', 'time', 'protocol', 'tcpFlags'].includes(kind);
  const dir = sort.descending ? -1 : 1;
  const keys = recs.map((r) => {
    const v: string | number = k < 0 ? r.t : r.v[k];
    return num ? (typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : -Infinity) : String(v);
  });
  return order.sort((a, b) => (keys[a] < keys[b] ? -dir : keys[a] > keys[b] ? dir : a - b));
}

/** The page's summary (media/records.js addToSummary): the reference. */
function pageSummary(layout: typeof DEFAULT, recs: FlowRecord[]): RecordSummary {
  const ix = layout.index;
  const s: RecordSummary = { records: recs.length, noData: 0, bad: 0 };
  if (ix.bytes !== undefined) s.bytes = 0;
  if (ix.action !== undefined) Object.assign(s, { accepted: 0, rejected: 0 });
  const src = new Set<string>();
  const dst = new Set<string>();
  let min = Infinity;
  let max = -Infinity;
  for (const r of recs) {
    if (r.bad) s.bad++;
    if (ix.bytes !== undefined && /^\d+$/.test(r.v[ix.bytes])) s.bytes! += Number(r.v[ix.bytes]);
    if (ix.action !== undefined) {
      if (r.v[ix.action] === 'ACCEPT') s.accepted!++;
      else if (r.v[ix.action] === 'REJECT') s.rejected!++;
    }
    if (ix['log-status'] !== undefined && r.v[ix['log-status']] !== 'OK') s.noData++;
    min = Math.min(min, r.t);
    max = Math.max(max, r.t);
    if (ix.srcaddr !== undefined) src.add(r.v[ix.srcaddr]);
    if (ix.dstaddr !== undefined) dst.add(r.v[ix.dstaddr]);
  }
  if (recs.length) Object.assign(s, { minT: min, maxT: max });
  if (ix.srcaddr !== undefined) s.sources = src.size;
  if (ix.dstaddr !== undefined) s.destinations = dst.size;
  return s;
}

describe('records as columns (records/columns)', () => {
  it('plain numbers and IPv4 addresses are recognized exactly (anything else is not)', () => {
    assert.deepEqual(['0', '7', '443', '4294967295'].map(plainNumber), [0, 7, 443, 4294967295]);
    for (const x of ['', '0443', '-1', '1e3', '4294967296', '12.5', ' 1', '１']) assert.equal(plainNumber(x), -1, x);
    assert.equal(plainIpv4('10.0.0.1'), 0x0a000001);
    assert.equal(plainIpv4('255.255.255.255'), 0xffffffff);
    for (const x of ['010.0.0.1', '1.2.3', '1.2.3.256', '1.2.3.4.5', '2001:db8::1', '-', '1..2.3', '1.2.3.'])
      assert.equal(plainIpv4(x), -1, x);
  });

  it('every column kind gives back each value as written; plain values take no dictionary entry', () => {
    for (const layout of [DEFAULT, CUSTOM]) {
      const recs = sample(layout);
      const store = storeOf(layout, recs);
      assert.equal(store.size, recs.length);
      assert.deepEqual(
        recs.map((_, i) => store.record(i)),
        recs.map(strip),
      );
      const bytes = store.columns[layout.index.bytes];
      assert.ok(bytes.dict.size < 12, `bytes dictionary: ${bytes.dict.size}`);
      const src = store.columns[layout.index.srcaddr];
      assert.ok(src.dict.size <= 6, `srcaddr dictionary (only the non-IPv4 values): ${src.dict.values.join(',')}`);
    }
  });

  it('the dictionary keeps a lone surrogate apart from U+FFFD and finds values by bytes or string', () => {
    const d = new Dictionary();
    const a = d.codeOf('x\uD800y');
    const b = d.codeOf('x\uFFFDy');
    assert.notEqual(a, b);
    assert.deepEqual([d.values[a], d.values[b]], ['x\uD800y', 'x\uFFFDy']);
    const bytes = new TextEncoder().encode('..ACCEPT..');
    const c = d.codeOfBytes(bytes, 2, 8);
    assert.equal(d.codeOf('ACCEPT'), c);
    assert.equal(d.find('ACCEPT'), c);
    assert.equal(d.find('REJECT'), -1);
    for (let i = 0; i < 5000; i++) d.codeOf(`v${i}`);
    assert.equal(d.codeOf('v4321'), d.find('v4321'));
    assert.equal(d.values[d.codeOf('v4321')], 'v4321');
  });

  it('a line from bytes and a message from a string land as parseMessage parses them (bad lines marked the same)', () => {
    const lines = [
      '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
      '2 123456789012 eni-0a1b2c3d 2001:db8::1 - - - - - - 1700000000 1700000060 - NODATA',
      '3 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
      '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT',
      '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK extra',
      '2  123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
      ' 2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK ',
      '2\t123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
      '2 123456789012 eni-é 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
      `2 123456789012 eni-${'x'.repeat(17_000)} 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK`,
      '',
      '0002 123456789012 eni-0a1b2c3d 0010.0.0.1 10.0.0.2 0443 49152 6 10 840 1700000000 1700000060 ACCEPT OK',
    ];
    const fromMessages = new ColumnStore(DEFAULT);
    const fromBytes = new ColumnStore(DEFAULT);
    const w = DEFAULT.fields.length;
    const starts = new Int32Array(w);
    const ends = new Int32Array(w);
    lines.forEach((line, i) => {
      appendMessage(fromMessages, line, 1000 + i, 'eni-s');
      const buf = new TextEncoder().encode(line);
      if (regularLine(buf, 0, buf.length, w, starts, ends, DEFAULT.index.version, '2'))
        fromBytes.appendBytes(buf, starts, ends, 1000 + i, fromBytes.streams.codeOf('eni-s'));
      else fromBytes.appendRecord(parseMessage(DEFAULT, line, 1000 + i, 'eni-s'));
    });
    const want = lines.map((line, i) => strip(parseMessage(DEFAULT, line, 1000 + i, 'eni-s')));
    assert.deepEqual(
      want.map((_, i) => fromMessages.record(i)),
      want,
    );
    assert.deepEqual(
      want.map((_, i) => fromBytes.record(i)),
      want,
    );
    assert.equal(want.filter((r) => r.bad).length, 6, 'the bad lines are marked');
  });

  it("sort equals the page's (numbers, '-' as -Infinity, strings, ties in load order, descending)", () => {
    const recs = sample(DEFAULT);
    const store = storeOf(DEFAULT, recs);
    for (const key of ['@time', 'bytes', 'srcport', 'protocol', 'start', 'srcaddr', 'dstaddr', 'action', 'interface-id', 'log-status'])
      for (const descending of [false, true]) {
        const sort = { key, descending };
        assert.equal(store.setOrder(sort), recs.length);
        const got = Array.from({ length: recs.length }, (_, p) => store.rowAt(p));
        assert.deepEqual(got, pageSort(DEFAULT, recs, sort), JSON.stringify(sort));
        const w = store.window(10, 5);
        assert.deepEqual(
          w.rows.map((r) => r.id),
          got.slice(10, 15),
        );
      }
    store.setOrder(undefined);
    assert.deepEqual(
      store.window(0, 3).rows.map((r) => r.id),
      [0, 1, 2],
    );
    // A key the layout does not have: load order (as the page, which found no such column).
    store.setOrder({ key: 'no-such-field', descending: true });
    assert.deepEqual(
      store.window(0, 3).rows.map((r) => r.id),
      [0, 1, 2],
    );
    // A field by its index (the page's column key) sorts as by its name.
    store.setOrder({ key: String(DEFAULT.index.bytes), descending: false });
    assert.deepEqual(
      store.window(0, 600).rows.map((r) => r.id),
      pageSort(DEFAULT, recs, { key: 'bytes', descending: false }),
    );
    // Records appended after the order was set are placed in it.
    store.setOrder({ key: 'bytes', descending: true });
    const more = sample(DEFAULT, 50);
    for (const r of more) store.appendRecord(r);
    assert.deepEqual(
      store.window(0, 2000).rows.map((r) => r.id),
      pageSort(DEFAULT, [...recs, ...more], { key: 'bytes', descending: true }),
    );
  });

  it('a window is at most MAX_WINDOW_ROWS rows, clamped to the records; a row by id', () => {
    const recs = sample(DEFAULT, 2500);
    const store = storeOf(DEFAULT, recs);
    assert.equal(store.window(0, 1e9).rows.length, 2000);
    assert.equal(store.window(2400, 500).rows.length, 100);
    assert.deepEqual(store.window(-5, 2).start, 0);
    assert.equal(store.window(NaN, NaN).rows.length, 0);
    assert.deepEqual(store.row(41 + 3), { id: 44, ...strip(recs[44]) });
    assert.equal(store.row(2500), undefined);
    assert.equal(store.row(-1), undefined);
  });

  it("summary equals the page's (records, bytes, accept/reject, not OK, bad, time span, distinct addresses)", () => {
    for (const layout of [DEFAULT, CUSTOM]) {
      const recs = sample(layout);
      assert.deepEqual(storeOf(layout, recs).summary(), pageSummary(layout, recs));
    }
    const noBytes = recordLayout('${srcaddr} ${action}');
    assert.deepEqual(storeOf(noBytes, []).summary(), { records: 0, noData: 0, bad: 0, accepted: 0, rejected: 0, sources: 0 });
  });

  it('export text, in chunks of any size, is byte for byte what exportRecords writes (in the current order)', async () => {
    for (const layout of [DEFAULT, CUSTOM]) {
      const recs = sample(layout, 230);
      const store = storeOf(layout, recs);
      for (const format of ['csv', 'json', 'ndjson'] as ExportFormat[]) {
        for (const chunk of [1, 7, 100, 1000]) {
          let text = '';
          for (let from = 0; from < recs.length; from += chunk) text += store.exportText(format, from, chunk);
          assert.equal(text, exportRecords(layout, recs, format), `${format} by ${chunk}`);
        }
        const sort = { key: 'dstport', descending: true };
        store.setOrder(sort);
        assert.equal(
          store.exportText(format, 0, 1e9),
          exportRecords(
            layout,
            pageSort(layout, recs, sort).map((i) => recs[i]),
            format,
          ),
        );
        store.setOrder(undefined);
        assert.equal(new ColumnStore(layout).exportText(format, 0, 10), exportRecords(layout, [], format));
      }
      // The ResultSet over held records gives the same chunks.
      const rs = new MemoryResultSet(layout, () => recs);
      let text = '';
      for await (const part of rs.exportChunks('csv', 50)) text += part;
      assert.equal(text, exportRecords(layout, recs, 'csv'));
    }
  });

  it('appendStore at any row (every bit alignment, dictionaries in another order) equals appending the records', () => {
    for (const layout of [DEFAULT, CUSTOM]) {
      const recs = sample(layout, 300);
      for (const head of [0, 1, 3, 8, 13]) {
        for (const cut of [0, 5, 64, 197]) {
          // The source store meets the values in another order (its codes differ from the target's).
          const from = storeOf(layout, recs.slice(head).reverse());
          const take = from.size - cut;
          const target = storeOf(layout, recs.slice(0, head));
          target.appendStore(from, take);
          const want = [...recs.slice(0, head), ...recs.slice(head).reverse().slice(0, take)].map(strip);
          assert.equal(target.size, want.length, `head ${head}, cut ${cut}`);
          assert.deepEqual(
            want.map((_, i) => target.record(i)),
            want,
            `head ${head}, cut ${cut}`,
          );
          // Rows appended after the copy are not marked by its stale bits.
          const next = want.length;
          target.appendRecord(recs[0]);
          assert.deepEqual(target.record(next), strip(recs[0]));
        }
      }
    }
  });

  it('staged rows (a read under way) are seen by no reader until committed; a commit cuts, a drop leaves the store as it was', () => {
    const recs = sample(DEFAULT, 400);
    const store = storeOf(DEFAULT, recs.slice(0, 100));
    store.setOrder({ key: 'bytes', descending: true });
    const before = { window: store.window(0, 500), summary: store.summary(), csv: store.exportText('csv', 0, 500) };
    const text = '2 123456789012 eni-0abc 10.0.0.1 2001:db8::1 443 - 6 10 840 1700000000 1700000060 ACCEPT OK';
    const line = Buffer.from(text);
    const lineRec: FlowRecord = { v: parseMessage(DEFAULT, text, 0).v, t: 1_700_000_000_000 };
    const starts = new Int32Array(DEFAULT.fields.length);
    const ends = new Int32Array(DEFAULT.fields.length);
    const onStage = (): void => {
      for (const r of recs.slice(100, 150)) store.appendStagedRecord(r);
      assert.ok(regularLine(line, 0, line.length, DEFAULT.fields.length, starts, ends, -1, undefined));
      store.appendStagedBytes(line, starts, ends, lineRec.t, 0);
      store.appendStagedStore(storeOf(DEFAULT, recs.slice(151)));
      assert.equal(store.stagedSize, 300);
      assert.equal(store.size, 100);
      assert.deepEqual(store.window(0, 500), before.window);
      assert.deepEqual(store.summary(), before.summary);
      assert.equal(store.exportText('csv', 0, 500), before.csv);
      assert.throws(() => store.appendRecord(recs[0]), /read under way/);
    };
    onStage();
    store.dropStaged();
    assert.equal(store.stagedSize, 0);
    assert.deepEqual(store.summary(), before.summary);
    assert.deepEqual(store.window(0, 500), before.window);
    onStage();
    assert.equal(store.commitStaged(250), 250);
    const want = [...recs.slice(0, 150), lineRec, ...recs.slice(151, 350)].map(strip);
    assert.equal(store.size, 350);
    assert.deepEqual(
      want.map((_, i) => store.record(i)),
      want,
    );
    assert.equal(store.summary().bad, want.filter((r) => r.bad).length);
    assert.equal(store.window(0, 500).rows.length, 350);
  });

  it('memory: a default-format record takes under 100 bytes in the store', () => {
    const recs = sample(DEFAULT, 4096).map((r) => ({ v: r.v, t: r.t, s: r.s }));
    const store = storeOf(DEFAULT, recs);
    const per = store.byteSize / store.size;
    assert.ok(per < 100, `${per.toFixed(1)} B per record`);
  });
});

describe('the record store in the AWS worker, over HTTP', function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  let profile: AwsProfile;
  let pool: AwsWorkerPool;
  let groupLog: FlowLog;
  const [acct] = defaultAccounts(40);
  const REGION = 'us-east-1';
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  const end = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
  const query = { startMs: end - 6 * 3_600_000, endMs: end, filters: [] };

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11 });
    groupLog = em
      .flowLogs(acct.accountId, REGION)
      .find(
        (f) =>
          f.LogDestinationType === 'cloud-watch-logs' &&
          f.DeliverLogsStatus !== 'FAILED' &&
          f.TrafficType === 'ALL' &&
          f.LogFormat?.includes('${bytes}') &&
          f.LogFormat?.includes('${action}'),
      )!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-columns-'));
    const files = awsConfigFor(em, [{ name: 'cols', account: acct, region: REGION }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    profile = listProfiles(process.env).profiles.find((p) => p.name === 'cols')!;
    pool = new AwsWorkerPool(WORKER, { logger: new MemoryLogger(), poolSize: 2 });
    pool.configure({ maxAttempts: 1, requestTimeoutMs: 20_000, userAgent: 'test' }, [profile]);
  });
  after(async () => {
    pool?.dispose();
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.creds],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const source = (stored: boolean) =>
    new CloudWatchRecordSource(
      (args, signal) => pool.call('filterLogEvents', profile.name, REGION, args, signal),
      groupLog.LogGroupName!,
      groupLog.LogFormat,
      undefined,
      stored ? (op, a, s) => pool.call(op, profile.name, REGION, a, s) : undefined,
    );

  it('records stay in the worker: the rows, order, summary and export equal the records the old path returned', async () => {
    const old = new RecordLoader(source(false), query);
    assert.deepEqual(await old.load(Infinity, 1_000_000), { status: 'done' });
    const stored = new RecordLoader(source(true), query);
    assert.deepEqual(await stored.load(Infinity, 1_000_000), { status: 'done' });
    assert.equal(stored.records.length, 0, 'no record objects on this thread');
    const layout = stored.source.layout;
    const truth = old.records.map(strip);
    assert.ok(truth.length > 1000, `${truth.length} records`);
    assert.equal(stored.size, truth.length);
    assert.equal(stored.resultSet.size, truth.length);
    assert.deepEqual(await rowsOf(stored), truth);
    const rs = stored.resultSet;
    const sort = { key: 'bytes', descending: true };
    assert.equal(await rs.order(sort), truth.length);
    const w = await rs.window(100, 50);
    assert.deepEqual(
      w.rows.map((r) => r.id),
      pageSort(layout, truth, sort).slice(100, 150),
    );
    assert.deepEqual(await rs.row(7), { id: 7, ...truth[7] });
    assert.deepEqual(await rs.summary(), pageSummary(layout, truth));
    for (const format of ['csv', 'json', 'ndjson'] as ExportFormat[]) {
      let text = '';
      for await (const part of rs.exportChunks(format, 333)) text += part;
      assert.equal(
        text,
        exportRecords(
          layout,
          pageSort(layout, truth, sort).map((i) => truth[i]),
          format,
        ),
        format,
      );
    }
    rs.dispose();
    await assert.rejects(rs.summary(), (e: Error) => e.message === DROPPED_STORE_MESSAGE);
  });

  it('an event already loaded is dropped against the whole load (the same page twice appends nothing)', async () => {
    const args: FilterLogEventsArgs = {
      logGroupName: groupLog.LogGroupName!,
      format: groupLog.LogFormat!,
      startMs: query.startMs,
      endMs: query.endMs,
      pattern: '',
      residual: [],
      limit: 500,
      store: { id: 'dup-test', first: true },
    };
    const a = await pool.call('filterLogEvents', profile.name, REGION, args);
    assert.ok(a.ok && a.appended);
    assert.equal(a.appended.added, 500);
    assert.equal(a.packed.t.length, 0, 'no records cross');
    const b = await pool.call('filterLogEvents', profile.name, REGION, { ...args, store: { id: 'dup-test', first: false } });
    assert.ok(b.ok && b.appended);
    assert.deepEqual(b.appended, { added: 0, total: 500, duplicates: 500, over: 0 });
    const capped = await pool.call('filterLogEvents', profile.name, REGION, {
      ...args,
      limit: 1000,
      maxRecords: 100,
      store: { id: 'dup-test', first: false },
    });
    assert.ok(capped.ok && capped.appended);
    assert.deepEqual(capped.appended, { added: 100, total: 600, duplicates: 500, over: 400 });
  });

  it(`a worker keeps ${MAX_STORES} stores: the oldest is dropped and says so; an unknown store too`, async () => {
    const sets: WorkerResultSet[] = [];
    for (let i = 0; i <= MAX_STORES; i++) {
      const src = source(true);
      const loader = new RecordLoader(src, query);
      assert.deepEqual(await loader.load(10, 1_000_000), { status: 'more' });
      sets.push(src.resultSet!);
    }
    await assert.rejects(sets[0].window(0, 10), (e: Error) => e.message === DROPPED_STORE_MESSAGE);
    assert.equal((await sets[MAX_STORES].window(0, 10)).rows.length, 10);
    const unknown = await pool.call('recordsWindow', profile.name, REGION, { store: 'no-such-store', start: 0, count: 5 });
    assert.deepEqual(unknown.ok ? 'ok' : unknown.error.message, DROPPED_STORE_MESSAGE);
    // Load more into a dropped store: an error value, not records lost silently.
    const dropped = new RecordLoader(source(true), query);
    await dropped.load(10, 1_000_000);
    for (let i = 0; i < MAX_STORES; i++) await new RecordLoader(source(true), query).load(10, 1_000_000);
    const out = await dropped.load(100, 1_000_000);
    assert.equal(out.status, 'error');
    assert.equal(out.status === 'error' && out.error.message, DROPPED_STORE_MESSAGE);
  });

  it('a worker that died: the result set says the records were dropped', async () => {
    const src = source(true);
    const loader = new RecordLoader(src, query);
    await loader.load(10, 1_000_000);
    for (const w of (pool as unknown as { workers: ({ terminate(): Promise<number> } | undefined)[] }).workers) await w?.terminate();
    await assert.rejects(src.resultSet!.window(0, 10), (e: Error) => /dropped/.test(e.message) && /run the query again/.test(e.message));
  });
});
