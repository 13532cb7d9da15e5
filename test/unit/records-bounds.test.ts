// Bounds that hold in the AWS worker (issue 22 item 4): maxRecords stops reading there, bytes
// decompressed per object and per load are capped (named, records already read kept, the good
// object beside a bad one kept), an over-long line is bounded, a Parquet row group is read in
// slices, and duplicates are dropped against everything loaded. The S3 client is a narrow
// in-process stand-in (GetObject of fixed bytes): what is tested is the reader, not the SDK.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { readS3Objects, MAX_LINE_BYTES } from '../../src/aws/worker/s3Records';
import { PARQUET_SLICE_ROWS } from '../../src/aws/worker/parquetRecords';
import { RecordLoader, type RecordSource, type RecordStep } from '../../src/records/source';
import { recordLayout } from '../../src/shared/recordsFields';
import type { FlowRecord } from '../../src/shared/recordsParse';
import type { S3ObjectRef, S3ReadArgs } from '../../src/shared/awsWorkerProtocol';
import { recordsDrop, recordsWindow, storeForAppend } from '../../src/aws/worker/recordStores';

const FORMAT = '${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${start} ${action}';
const FIELDS = ['version', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'action'];
const T0 = 1_700_000_000;

function rows(n: number, tag: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    '2',
    `10.${tag}.${(i >> 8) & 255}.${i & 255}`,
    '10.9.9.9',
    String(1024 + (i % 60000)),
    '443',
    String(T0 + (i % 200)),
    'ACCEPT',
  ]);
}
const text = (r: string[][]) => `${[FIELDS.join(' '), ...r.map((x) => x.join(' '))].join('\n')}\n`;

/** GetObject of fixed bodies (Range honoured), counting what was asked. */
function fakeS3(bodies: Record<string, Buffer>) {
  const asked: { key: string; range?: string }[] = [];
  const client = {
    send: async (cmd: { input: { Key: string; Range?: string } }) => {
      const { Key, Range } = cmd.input;
      asked.push({ key: Key, range: Range });
      let body = bodies[Key];
      if (!body) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      if (Range) {
        const m = /bytes=(\d+)-(\d+)/.exec(Range)!;
        body = body.subarray(Number(m[1]), Number(m[2]) + 1);
      }
      const stream = Readable.from([body]) as Readable & { transformToByteArray?: () => Promise<Uint8Array> };
      stream.transformToByteArray = async () => new Uint8Array(body);
      return { Body: stream };
    },
  };
  return { client: client as unknown as S3Client, asked };
}

const ref = (key: string, body: Buffer, format: 'plain-text' | 'parquet' = 'plain-text'): S3ObjectRef => ({
  key,
  size: body.length,
  time: T0 * 1000,
  format,
});
const args = (objects: S3ObjectRef[], more: Partial<S3ReadArgs> = {}): S3ReadArgs => ({
  bucket: 'b',
  objects,
  format: FORMAT,
  startMs: 0,
  endMs: 4e12,
  filters: [],
  concurrency: 4,
  ...more,
});
const ctx = { profile: 'p', region: 'us-east-1' };
const srcOf = (r: { ok: true; packed: { v: string[]; width: number; t: number[] } }) =>
  Array.from({ length: r.packed.t.length }, (_, i) => r.packed.v[i * r.packed.width + 1]);

describe('records: bounds that hold in the AWS worker', function () {
  this.timeout(60_000);

  it('maxRecords reaches the worker: reading stops there, and the records are the first ones in object order', async () => {
    const bodies = { a: gzipSync(text(rows(1000, 1))), b: gzipSync(text(rows(1000, 2))), c: gzipSync(text(rows(5000, 3))) };
    const { client } = fakeS3(bodies);
    const r = await readS3Objects(client, args([ref('a', bodies.a), ref('b', bodies.b), ref('c', bodies.c)], { maxRecords: 1500 }), ctx);
    assert.ok(r.ok);
    assert.equal(r.packed.t.length, 1500);
    const want = [...rows(1000, 1), ...rows(500, 2)].map((x) => x[1]);
    assert.deepEqual(srcOf(r), want);
    assert.ok(r.scanned < 7000, `stopped reading: ${r.scanned} lines read`);
  });

  it('maxRecords next to a corrupt object: its records are dropped and the objects after it give the first records, none lost', async () => {
    const first = gzipSync(text(rows(1000, 1)));
    const whole = gzipSync(text(rows(2000, 3)));
    const corrupt = whole.subarray(0, Math.floor(whole.length / 2)); // a truncated upload: half its lines, then an error
    const last = gzipSync(text(rows(3000, 2)));
    const { client } = fakeS3({ first, corrupt, last });
    const r = await readS3Objects(
      client,
      args([ref('first', first), ref('corrupt', corrupt), ref('last', last)], { maxRecords: 2500, concurrency: 3 }),
      ctx,
    );
    assert.ok(r.ok);
    assert.match(r.skipped.map((x) => `${x.key}: ${x.why}`).join(';'), /^corrupt: corrupt or truncated/);
    assert.deepEqual(
      srcOf(r),
      [...rows(1000, 1), ...rows(1500, 2)].map((x) => x[1]),
    );
  });

  it("the call's first object, written straight into the load's store, turns out truncated: its records go, the next object's stay", async () => {
    // Rows enough that gunzip hands over lines (parsed into the store) before the truncation shows.
    const whole = gzipSync(text(rows(40_000, 3)));
    const corrupt = whole.subarray(0, Math.floor(whole.length / 2));
    const good = gzipSync(text(rows(1000, 1)));
    const { client } = fakeS3({ corrupt, good });
    const objects = [ref('corrupt', corrupt), ref('good', good)];
    const packed = await readS3Objects(client, args(objects), ctx);
    assert.ok(packed.ok);
    const goodBytes = text(rows(1000, 1)).length;
    assert.ok(packed.inflated > goodBytes + 100_000, `lines of the truncated object were read first: ${packed.inflated} bytes`);
    assert.deepEqual(
      srcOf(packed),
      rows(1000, 1).map((x) => x[1]),
    );
    const stored = await readS3Objects(client, args(objects, { store: { id: 'truncated-first', first: true } }), ctx);
    assert.ok(stored.ok && stored.appended);
    assert.deepEqual(stored.appended, { added: 1000, total: 1000, duplicates: 0, over: 0 });
    const w = recordsWindow({ store: 'truncated-first', start: 0, count: 2000 });
    assert.ok(w.ok);
    assert.deepEqual(
      w.value.rows.map((r) => r.v[1]),
      rows(1000, 1).map((x) => x[1]),
    );
    recordsDrop({ store: 'truncated-first' });
  });

  it("memory: a later call whose objects hold nothing in the range does not double the load's store (its room is an estimate, grown exactly)", async () => {
    const a = gzipSync(text(rows(20_000, 1)));
    const later = gzipSync(text(rows(3_000, 2)));
    const { client } = fakeS3({ a, later });
    const store = { id: 'estimate', first: true };
    const first = await readS3Objects(client, args([ref('a', a)], { store }), ctx);
    assert.ok(first.ok && first.appended?.total === 20_000);
    const entry = storeForAppend('estimate', FORMAT, false)!;
    const room = entry.store.allocated;
    // The next call's object is listed as large enough that its estimate (16 compressed bytes a
    // record) needs more room than is left, but less than doubling would give; its records all
    // lie after the range: nothing is added.
    const estimate = room - 20_000 + Math.floor(room / 2);
    const second = await readS3Objects(
      client,
      args([{ ...ref('later', later), size: estimate * 16 }], { store: { ...store, first: false }, endMs: 1 }),
      ctx,
    );
    assert.ok(second.ok && second.appended?.added === 0);
    assert.equal(entry.store.size, 20_000);
    assert.equal(entry.store.allocated, 20_000 + estimate, `room for ${entry.store.allocated} records (${room} after the first call)`);
    recordsDrop({ store: 'estimate' });
  });

  it("a call that fails (an object it cannot read) leaves the load's store as it was; the same call again appends once", async () => {
    const a = gzipSync(text(rows(30_000, 1)));
    const b = gzipSync(text(rows(500, 2)));
    const { client } = fakeS3({ a, b });
    const store = { id: 'failed-call', first: true };
    const first = await readS3Objects(client, args([ref('b', b)], { store }), ctx);
    assert.ok(first.ok && first.appended?.total === 500);
    // 'a' is read in place (the call's first object) while 'missing' fails the call.
    const failed = await readS3Objects(client, args([ref('a', a), ref('missing', b)], { store: { ...store, first: false } }), ctx);
    assert.equal(failed.ok, false);
    const entry = storeForAppend('failed-call', FORMAT, false)!;
    assert.equal(entry.store.size, 500);
    assert.equal(entry.store.stagedSize, 0, 'nothing of the failed call is held');
    const again = await readS3Objects(client, args([ref('a', a)], { store: { ...store, first: false } }), ctx);
    assert.ok(again.ok);
    assert.deepEqual(again.appended, { added: 30_000, total: 30_500, duplicates: 0, over: 0 });
    const w = recordsWindow({ store: 'failed-call', start: 499, count: 3 });
    assert.ok(w.ok);
    assert.deepEqual(
      w.value.rows.map((r) => r.v[1]),
      [rows(500, 2)[499][1], ...rows(2, 1).map((x) => x[1])],
    );
    recordsDrop({ store: 'failed-call' });
  });

  it('the loader hands the room left under the cap to the source (flowLogs.records.maxRecords reaches the worker)', async () => {
    const seen: (number | undefined)[] = [];
    const layout = recordLayout(FORMAT);
    const source: RecordSource = {
      kind: 's3',
      layout,
      plan: () => ({ pattern: '', items: [], residual: [], errors: [] }),
      next: async (_q, cont, opts): Promise<RecordStep> => {
        seen.push(opts.room);
        const n = Number(cont ?? 0);
        const recs: FlowRecord[] = Array.from({ length: Math.min(700, opts.room ?? 700) }, (_, i) => ({ v: [String(n * 1000 + i)], t: 0 }));
        return { ok: true, batch: { records: recs, scanned: recs.length, bytes: 0 }, continuation: String(n + 1) };
      },
    };
    const loader = new RecordLoader(source, { startMs: 0, endMs: 1, filters: [] });
    const out = await loader.load(Infinity, 1000);
    assert.deepEqual(out, { status: 'capped', cap: 1000 });
    assert.deepEqual(seen, [1000, 300]);
    assert.equal(loader.records.length, 1000);
  });

  it('bytes decompressed per object: the object is named with the setting, its first records kept, the good object beside it read whole', async () => {
    const big = gzipSync(text(rows(20_000, 4))); // ~1 MB of text
    const good = gzipSync(text(rows(300, 5)));
    const { client } = fakeS3({ big, good });
    const r = await readS3Objects(client, args([ref('big', big), ref('good', good)], { maxObjectBytes: 64 * 1024 }), ctx);
    assert.ok(r.ok);
    const src = srcOf(r);
    const fromBig = src.filter((s) => s.startsWith('10.4.'));
    assert.ok(fromBig.length > 100 && fromBig.length < 2000, `${fromBig.length} records of the capped object kept`);
    assert.deepEqual(
      fromBig,
      rows(fromBig.length, 4).map((x) => x[1]),
      'the first records, exact',
    );
    assert.equal(src.filter((s) => s.startsWith('10.5.')).length, 300, 'the object beside it is read whole');
    const named = r.skipped.find((s) => s.key === 'big');
    assert.ok(named, 'the capped object is named');
    assert.match(named.why, /flowLogs\.records\.maxObjectMiB/);
    assert.ok(r.inflated >= 64 * 1024);
  });

  it('a gzip bomb (a small object inflating past the cap) stops at the cap', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(`${FIELDS.join(' ')}\n`), Buffer.alloc(64 * 2 ** 20, 0x41)]));
    assert.ok(bomb.length < 200_000);
    const { client } = fakeS3({ bomb });
    const r = await readS3Objects(client, args([ref('bomb', bomb)], { maxObjectBytes: 2 * 2 ** 20 }), ctx);
    assert.ok(r.ok);
    assert.ok(r.inflated <= 3 * 2 ** 20, `inflated ${r.inflated}`);
    assert.match(r.skipped[0].why, /maxObjectMiB/);
  });

  it('bytes decompressed per load: the load pauses at the cap with the setting named; Load more reads on', async () => {
    const layout = recordLayout(FORMAT);
    let calls = 0;
    const source: RecordSource = {
      kind: 's3',
      layout,
      plan: () => ({ pattern: '', items: [], residual: [], errors: [] }),
      next: async (_q, cont): Promise<RecordStep> => {
        calls++;
        const n = Number(cont ?? 0);
        return {
          ok: true,
          batch: { records: [{ v: [String(n)], t: 0 }], scanned: 1, bytes: 10, inflated: 40 * 2 ** 20 },
          continuation: n < 9 ? String(n + 1) : undefined,
        };
      },
    };
    const loader = new RecordLoader(source, { startMs: 0, endMs: 1, filters: [] });
    const out = await loader.load(Infinity, 1000, { maxInflatedBytes: 100 * 2 ** 20 });
    assert.equal(out.status, 'paused');
    assert.match((out as { why: string }).why, /flowLogs\.records\.maxLoadMiB/);
    assert.equal(calls, 3);
    const again = await loader.load(Infinity, 1000, { maxInflatedBytes: 100 * 2 ** 20 });
    assert.equal(again.status, 'paused');
    assert.equal(loader.records.length, 6, 'Load more continued where it paused');
  });

  it('one over-long line is bounded: marked with the bound, cut, and the lines after it read', async () => {
    const long = 'x'.repeat(3 * MAX_LINE_BYTES);
    const body = gzipSync(`${FIELDS.join(' ')}\n${rows(1, 6)[0].join(' ')}\n${long}${long}${long}\n${rows(2, 7)[1].join(' ')}\n`);
    const { client } = fakeS3({ o: body });
    const r = await readS3Objects(client, args([ref('o', body)]), ctx);
    assert.ok(r.ok);
    assert.equal(r.packed.t.length, 3);
    assert.equal(r.packed.bad.length, 1);
    const [index, why, raw] = r.packed.bad[0];
    assert.equal(index, 1);
    assert.match(why, new RegExp(`line longer than ${MAX_LINE_BYTES.toLocaleString('en')} characters`));
    assert.ok(raw.length <= 16_384, `kept ${raw.length} characters of it`);
    assert.equal(r.packed.v[2 * r.packed.width + 1], '10.7.0.1', 'the line after it is read');
  });

  it('a Parquet row group is read in slices: maxRecords stops after the first slice, the records exact', async () => {
    const all = rows(3 * PARQUET_SLICE_ROWS, 8);
    // One row group holding every row (the emulator's writer makes groups of 10,000).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parquetWriteBuffer } = require('hyparquet-writer') as { parquetWriteBuffer: (o: unknown) => ArrayBuffer };
    const one = Buffer.from(
      parquetWriteBuffer({
        columnData: FIELDS.map((f, c) => ({
          name: f,
          data: all.map((row) =>
            f === 'srcport' || f === 'dstport' || f === 'version' ? Number(row[c]) : f === 'start' ? BigInt(row[c]) : row[c],
          ),
          type: f === 'srcport' || f === 'dstport' || f === 'version' ? 'INT32' : f === 'start' ? 'INT64' : 'STRING',
        })),
        rowGroupSize: all.length,
      }),
    );
    const { client } = fakeS3({ p: one });
    const r = await readS3Objects(client, args([ref('p', one, 'parquet')], { maxRecords: 500 }), ctx);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.equal(r.packed.t.length, 500);
    assert.deepEqual(
      srcOf(r),
      all.slice(0, 500).map((x) => x[1]),
    );
    assert.ok(r.scanned <= PARQUET_SLICE_ROWS, `${r.scanned} rows decoded`);
    const whole = await readS3Objects(client, args([ref('p', one, 'parquet')]), ctx);
    assert.ok(whole.ok);
    assert.deepEqual(
      srcOf(whole),
      all.map((x) => x[1]),
      'read whole in slices: every record, in order',
    );
  });

  it('duplicates are dropped against everything loaded: a page-token cycle A -> B -> A loads each event once', async () => {
    const layout = recordLayout(FORMAT);
    const page = (p: string): FlowRecord[] => Array.from({ length: 5 }, (_, i) => ({ v: [`${p}${i}`], t: 0, id: `${p}-${i}` }));
    const next: Record<string, string | undefined> = { '': 'B', B: 'A', A: 'B2', B2: undefined };
    const data: Record<string, FlowRecord[]> = { '': page('A'), B: page('B'), A: page('A'), B2: page('B') };
    const source: RecordSource = {
      kind: 'cloudwatch',
      layout,
      plan: () => ({ pattern: '', items: [], residual: [], errors: [] }),
      next: async (_q, cont): Promise<RecordStep> => ({
        ok: true,
        batch: { records: data[cont ?? ''], scanned: 5, bytes: 0 },
        continuation: next[cont ?? ''],
      }),
    };
    const loader = new RecordLoader(source, { startMs: 0, endMs: 1, filters: [] });
    await loader.load(Infinity, 1000);
    const ids = loader.records.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicates: ${ids.join(',')}`);
    assert.equal(ids.length, 10);
  });
});
