// Parquet records go from hyparquet's column chunks straight into the column store (issue 22):
// ColumnStore.appendValues stores every decoded value (numbers, bigints, strings, nulls, anything
// else) exactly as appendRecord stores its text, and the Parquet reader cuts its slices where
// row groups and pages begin, keeps the range, the filters and maxRecords, on a file laid out
// unlike the endpoint's (uneven row groups, a group larger than a slice, small pages, REQUIRED
// and OPTIONAL columns, odd values in number columns). The S3 client is a narrow in-process
// stand-in (GetObject of fixed bytes, ranges honoured): what is tested is the reader.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { ColumnStore } from '../../src/shared/columns/store';
import { recordLayout, type RecordLayout } from '../../src/shared/recordsFields';
import type { FlowRecord } from '../../src/shared/recordsParse';
import { recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';
import { readS3Objects } from '../../src/aws/worker/s3Records';
import { PARQUET_SLICE_ROWS } from '../../src/aws/worker/parquetRecords';
import { storeForAppend } from '../../src/aws/worker/recordStores';
import type { S3ObjectRef, S3ReadArgs } from '../../src/shared/awsWorkerProtocol';

const DEFAULT = recordLayout(undefined);
const CUSTOM = recordLayout(
  '${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end} ${action} ${log-status} ${tcp-flags} ${pkt-srcaddr} ${flow-direction}',
);

/** Every kind of value hyparquet can hand over for a flow log column. */
const DECODED: unknown[] = [
  0,
  7,
  443,
  4294967295,
  4294967296,
  -1,
  -0,
  1.5,
  NaN,
  1e21,
  1e20,
  0n,
  443n,
  4294967295n,
  4294967296n,
  -5n,
  10n ** 20n,
  '0',
  '443',
  '0443',
  '4294967296',
  '12.5',
  '10.0.0.1',
  '255.255.255.255',
  '010.0.0.1',
  '2001:db8::1',
  '-',
  '',
  'ACCEPT',
  'REJECT',
  'OK',
  'égal',
  'x\uD800y',
  'x\uFFFDy',
  null,
  undefined,
  true,
  Uint8Array.of(5),
];
const textOf = (x: unknown) => (x === null || x === undefined ? '-' : String(x));

/** Column k: 700 values (a run of repeats now and then), some columns as typed arrays. */
function decodedColumns(layout: RecordLayout, seed: number): ArrayLike<unknown>[] {
  return layout.fields.map((_, k) => {
    if (k % 5 === 1) return Int32Array.from({ length: 700 }, (_, i) => ((i * 7919 + k + seed) % 90_000) - (i % 31 === 0 ? 5 : 0));
    if (k % 5 === 3)
      return BigInt64Array.from({ length: 700 }, (_, i) => BigInt((i * 104_729 + seed) % 2 ** 33) - (i % 17 === 0 ? 9n : 0n));
    return Array.from({ length: 700 }, (_, i) => DECODED[(i % 9 < 3 ? i - (i % 9) : i * 13 + k * 5 + seed) % DECODED.length]);
  });
}

describe('Parquet column chunks straight into the columns', function () {
  this.timeout(60_000);

  it('appendValues stores each decoded value as appendRecord stores its text (records, sort, summary)', () => {
    for (const layout of [DEFAULT, CUSTOM]) {
      const got = new ColumnStore(layout, 16);
      const want = new ColumnStore(layout, 16);
      let t0 = 1_700_000_000_000;
      for (const [seed, bad] of [
        [0, undefined],
        [3, 'the file has no column start'],
        [11, undefined],
      ] as const) {
        const cols = decodedColumns(layout, seed);
        const values = cols.map((c, k) => (k === 4 ? undefined : c)); // a field the file lacks: '-'
        const offsets = layout.fields.map((_, k) => k * 3);
        const rows = Uint32Array.from({ length: 400 }, (_, j) => j + (j >> 2)); // rows skipped now and then
        const t = Float64Array.from(rows, (r) => t0 + r * 1000);
        got.appendValues(values, offsets, rows, rows.length, t, bad);
        rows.forEach((r, j) => {
          const rec: FlowRecord = { v: values.map((c, k) => (c ? textOf(c[offsets[k] + r]) : '-')), t: t[j] };
          if (bad) Object.assign(rec, { bad, raw: '' });
          want.appendRecord(rec);
        });
        // A record appended the old way in between: the two paths share the dictionaries.
        const between: FlowRecord = { v: layout.fields.map((_, k) => textOf(DECODED[(seed + k) % DECODED.length])), t: t0 };
        got.appendRecord(between);
        want.appendRecord(between);
        t0 += 7_000_000;
      }
      assert.equal(got.size, want.size);
      for (let i = 0; i < want.size; i++) assert.deepEqual(got.record(i), want.record(i), `record ${i}`);
      assert.deepEqual(got.summary(), want.summary());
      for (const key of ['@time', 'srcport', 'bytes', 'srcaddr', 'action', 'start', 'version']) {
        for (const descending of [false, true]) {
          got.setOrder({ key, descending });
          want.setOrder({ key, descending });
          const order = (s: ColumnStore) => Array.from({ length: s.size }, (_, p) => s.rowAt(p));
          assert.deepEqual(order(got), order(want), `order by ${key}`);
        }
      }
    }
  });

  it('appendValues over rows a truncate left behind: a plain number is not read back as a code', () => {
    const store = new ColumnStore(DEFAULT, 16);
    const k = DEFAULT.index.srcport;
    const width = DEFAULT.fields.length;
    const one = (x: unknown) => DEFAULT.fields.map((_, f) => (f === k ? [x] : undefined));
    const zeros = new Array<number>(width).fill(0);
    for (let i = 0; i < 40; i++) store.appendValues(one('0443'), zeros, Uint32Array.of(0), 1, Float64Array.of(0));
    store.truncate(3);
    for (let i = 0; i < 37; i++) store.appendValues(one(443), zeros, Uint32Array.of(0), 1, Float64Array.of(0));
    assert.deepEqual(
      Array.from({ length: store.size }, (_, i) => store.value(i, k)),
      [...new Array(3).fill('0443'), ...new Array(37).fill('443')],
    );
  });
});

// --- the reader, on a file laid out unlike the endpoint's ---------------------------------------

const T0 = 1_700_000_000;
const OBJECT_TIME = (T0 - 3600) * 1000;
const FORMAT = '${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${action} ${log-status} ${tcp-flags}';
const LAYOUT = recordLayout(FORMAT);
const GROUPS = [7001, PARQUET_SLICE_ROWS + 9_999, 3 * PARQUET_SLICE_ROWS + 123, 5];
const N = GROUPS.reduce((a, b) => a + b, 0);

/** Row i in the file's types, and what its text is. start grows with the row groups (their statistics differ). */
function fileRows(): { columns: { name: string; data: unknown[]; type: string; nullable?: boolean }[]; text: string[][] } {
  const text: string[][] = [];
  const col = (name: string, type: string, f: (i: number) => unknown, nullable = true) => ({
    name,
    type,
    nullable,
    data: Array.from({ length: N }, (_, i) => f(i)),
  });
  const columns = [
    col('version', 'INT32', () => 5, false),
    col('srcaddr', 'STRING', (i) =>
      i % 10 === 0 ? `2001:db8::${(i % 5000).toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    ),
    col('dstaddr', 'STRING', (i) => (i % 97 === 0 ? null : `172.31.${i % 7}.${i % 200}`)),
    col('srcport', 'INT32', (i) => (i % 53 === 0 ? null : (i * 31) % 65536)),
    // A number field written as text by some other writer: odd values stay as written.
    col('dstport', 'STRING', (i) => ['443', '0443', '-', '12.5', '99999999999', '22'][i % 6]),
    col('protocol', 'INT32', (i) => [6, 17, 1, -1][i % 4], false),
    col('bytes', 'INT64', (i) => (i % 41 === 0 ? null : BigInt(i) * 1_000_003n)),
    col('start', 'INT64', (i) => (i % 89 === 0 ? null : BigInt(T0 + Math.floor(i / 100)))),
    col('action', 'STRING', (i) => (i % 3 ? 'ACCEPT' : 'REJECT')),
    col('log_status', 'STRING', (i) => (i % 50 ? 'OK' : 'NODATA')),
    col('tcp_flags', 'INT32', (i) => (i % 19 === 0 ? null : i % 64)),
  ];
  for (let i = 0; i < N; i++) text.push(columns.map((c) => textOf(c.data[i])));
  return { columns, text };
}

function fakeS3(bodies: Record<string, Buffer>) {
  const asked: string[] = [];
  const client = {
    send: async (cmd: { input: { Key: string; Range?: string } }) => {
      const { Key, Range } = cmd.input;
      asked.push(`${Key} ${Range ?? ''}`);
      let body = bodies[Key];
      if (Range) {
        const m = /bytes=(\d+)-(\d+)/.exec(Range)!;
        body = body.subarray(Number(m[1]), Number(m[2]) + 1);
      }
      return { Body: Readable.from([body]), ContentLength: body.length };
    },
  };
  return { client: client as unknown as S3Client, asked };
}

describe('the Parquet reader on uneven row groups and small pages', function () {
  this.timeout(120_000);
  const { columns, text } = fileRows();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parquetWriteBuffer } = require('hyparquet-writer') as { parquetWriteBuffer: (o: unknown) => ArrayBuffer };
  const file = Buffer.from(parquetWriteBuffer({ columnData: columns, rowGroupSize: GROUPS, pageSize: 8192 }));
  const small = Buffer.from(parquetWriteBuffer({ columnData: columns.map((c) => ({ ...c, data: c.data.slice(0, 50) })) }));
  // A page in the middle garbled (the footer intact: hyparquet finds it while decoding), and a file cut short.
  const garbled = Buffer.from(file);
  for (let i = Math.floor(file.length / 2); i < Math.floor(file.length / 2) + 4096; i++) garbled[i] ^= 0x5a;
  const cut = file.subarray(0, Math.floor(file.length / 2));
  const { client } = fakeS3({ big: file, small, garbled, cut });
  const ref = (key: string, body: Buffer): S3ObjectRef => ({ key, size: body.length, time: OBJECT_TIME, format: 'parquet' });
  const truth = (rows: string[][]): FlowRecord[] =>
    rows.map((v) => ({ v, t: /^\d+$/.test(v[LAYOUT.index.start]) ? Number(v[LAYOUT.index.start]) * 1000 : OBJECT_TIME }));
  const read = async (more: Partial<S3ReadArgs>, objects = [ref('big', file), ref('small', small)]) => {
    const r = await readS3Objects(
      client,
      { bucket: 'b', objects, format: FORMAT, startMs: 0, endMs: 4e12, filters: [], concurrency: 4, ...more },
      { profile: 'p', region: 'us-east-1' },
    );
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    const got: FlowRecord[] = [];
    for (let i = 0; i < r.packed.t.length; i++)
      got.push({ v: r.packed.v.slice(i * r.packed.width, (i + 1) * r.packed.width), t: r.packed.t[i] });
    return { r, got };
  };

  it('reads every record exactly, in file order, then the next object', async () => {
    const { r, got } = await read({});
    assert.equal(got.length, N + 50);
    const want = truth([...text, ...text.slice(0, 50)]);
    for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `record ${i}`);
    assert.equal(r.scanned, N + 50);
    assert.deepEqual(r.skipped, []);
  });

  it('into the load store: the same records', async () => {
    const id = `parquet-columns-${Date.now()}`;
    const r = await readS3Objects(
      client,
      { bucket: 'b', objects: [ref('big', file)], format: FORMAT, startMs: 0, endMs: 4e12, filters: [], store: { id, first: true } },
      { profile: 'p', region: 'us-east-1' },
    );
    assert.ok(r.ok && r.appended);
    assert.equal(r.appended.added, N);
    const store = storeForAppend(id, FORMAT, false)!.store;
    const want = truth(text);
    for (let i = 0; i < N; i += 997) assert.deepEqual(store.record(i), want[i], `record ${i}`);
    assert.deepEqual(store.record(N - 1), want[N - 1]);
  });

  it('a time range: row groups outside it are not decoded, records inside it exact at both ends', async () => {
    // Rows 30,000 .. 70,000 by their start (row i starts at T0 + floor(i / 100)); rows without one take the object's time.
    const startMs = (T0 + 300) * 1000;
    const endMs = (T0 + 700) * 1000;
    const { r, got } = await read({ startMs, endMs }, [ref('big', file)]);
    const want = truth(text).filter((x) => x.t >= startMs && x.t < endMs);
    assert.ok(want.length > 35_000);
    assert.deepEqual(got, want);
    // The first row group (rows 0..7000) and the last (5 rows from 107,122) cannot hold the range.
    assert.equal(r.notLoaded.outOfRange, N - want.length - 7001 - 5);
  });

  it('maxRecords stops inside a slice, exactly; the slices after it and the next object are not read', async () => {
    const max = GROUPS[0] + PARQUET_SLICE_ROWS + 17; // in the second slice (slices run across row groups)
    const { r, got } = await read({ maxRecords: max, concurrency: 1 });
    assert.deepEqual(got, truth(text.slice(0, max)));
    assert.equal(r.scanned, 2 * PARQUET_SLICE_ROWS, `${r.scanned} rows decoded`);
  });

  it('filters: the records the predicate keeps, the others counted', async () => {
    const filters: FieldFilter[] = [
      { field: 'action', value: 'REJECT' },
      { field: 'dstport', value: '443' },
    ];
    const { r, got } = await read({ filters }, [ref('big', file)]);
    const keep = recordPredicate(LAYOUT, filters);
    const want = truth(text).filter(keep);
    assert.ok(want.length > 1000);
    assert.deepEqual(got, want);
    assert.equal(r.notLoaded.filtered, N - want.length);
  });

  it('a corrupt object (a garbled page, a file cut short) is skipped and named; the objects beside it are kept', async () => {
    for (const bad of ['garbled', 'cut']) {
      const body = bad === 'garbled' ? garbled : cut;
      const { r, got } = await read({}, [ref('small', small), ref(bad, body), ref('small', small)]);
      assert.deepEqual(
        r.skipped.map((x) => x.key),
        [bad],
      );
      assert.match(r.skipped[0].why, /^corrupt or truncated: \S/);
      assert.deepEqual(got, truth([...text.slice(0, 50), ...text.slice(0, 50)]));
    }
  });
});
