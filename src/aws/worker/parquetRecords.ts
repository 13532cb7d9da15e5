// Parquet flow log objects (the AWS worker): read with hyparquet through ranged GetObject
// requests (footer first, then only the column chunks of the flow log's fields), a row group in
// slices of PARQUET_SLICE_ROWS rows, row groups outside the time range skipped by their `start`
// statistics. Called by readS3Objects (s3Records.ts).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { loadSdk, type Sdk } from './sdk';
import { columnsMisfit } from '../../shared/recordsFields';
import type { FlowRecord } from '../../shared/recordsParse';
import type { S3ObjectRef } from '../../shared/awsWorkerProtocol';
import { CorruptObject, StagedRows, watchStall, type ObjectRead, type Reader } from './s3ObjectRead';
import type { ColumnStore } from '../../shared/columns/store';

/** Parquet rows decoded at once: a row group is read in slices of this many rows. */
export const PARQUET_SLICE_ROWS = 20_000;

/** Rows of one object room is made for at once (more grow the store by doubling). */
const MAX_RESERVED_ROWS = 1 << 22;

/** Attempts of one ranged read whose body broke off (the SDK retries only until the headers). */
const RANGE_ATTEMPTS = 3;

export async function readParquet(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  obj: ObjectRead,
  signal?: AbortSignal,
): Promise<{ scanned: number; bytes: number; misfit?: string }> {
  const sdk = loadSdk();
  let bytes = 0;
  // The first ranged read that failed (network, timeout, 5xx, denied...): whatever hyparquet makes
  // of it, the object is not corrupt, and this error is what the read reports (fetchFailure).
  let fetchFailure: { error: unknown } | undefined;
  // An AsyncBuffer over ranged GetObject requests: hyparquet reads the footer, then column chunks.
  const file = new ParquetBytes(ref.size, async (start, end) => {
    try {
      const data = await fetchRange(client, reader.args.bucket, ref.key, start, end - 1, reader.stallMs, signal);
      bytes += data.length;
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    } catch (e) {
      fetchFailure ??= { error: e };
      throw e;
    }
  });
  let metadata;
  try {
    metadata = await sdk.parquetMetadataAsync(file);
  } catch (e) {
    if (fetchFailure) throw fetchFailure.error;
    if ((e as { name?: string }).name && /Error$/.test((e as Error).name) && !(e as { $metadata?: unknown }).$metadata)
      throw new CorruptObject((e as Error).message);
    throw e;
  }
  const { layout } = reader;
  const present = new Set(metadata.schema.slice(1).map((s: { name: string }) => s.name));
  const columnOf = layout.fields.map((f) => f.name.replace(/-/g, '_'));
  const misfit = columnsMisfit(layout, [...present], '_'); // a schema without the format's fields: records marked
  // Field k of the format is column columns[slot[k]] (-1: not in the file, '-' for every record).
  const columns = [...new Set(columnOf.filter((c) => present.has(c)))];
  const slot = columnOf.map((c) => columns.indexOf(c));
  const slice = new ParquetSlice(columns.length);
  const runs = rowGroupRuns(metadata, reader.args.startMs, reader.args.endMs);
  const blocks = byteBlocks(metadata, runs, columns, (start, end) => file.holds(start, end));
  let started = 0;
  // Room for the rows the object can give at once (the store would grow to it by doubling).
  const rowsToRead = runs.reduce((n, [from, to, keep]) => (keep ? n + to - from : n), 0);
  ownStore(obj).reserveEstimate(Math.min(rowsToRead, reader.room(obj.index), MAX_RESERVED_ROWS));
  let scanned = 0;
  try {
    // Only the row groups whose `start` statistics can fall in the range are read.
    runs: for (const [rowStart, rowEnd, keep] of runs) {
      if (!keep) {
        scanned += rowEnd - rowStart;
        continue;
      }
      for (let from = rowStart; from < rowEnd; from += PARQUET_SLICE_ROWS) {
        if (reader.full(obj.index)) break runs;
        const to = Math.min(rowEnd, from + PARQUET_SLICE_ROWS);
        // The blocks this slice decodes and the next one are fetched (the next while this one is
        // decoded); the blocks before it are let go.
        const needed = blocks.findIndex((x) => x.firstRow >= to);
        for (const last = needed < 0 ? blocks.length : needed + 1; started < last; started++) file.prefetch(blocks[started]);
        file.release(blocks.find((x) => x.endRow > from)?.start ?? 0);
        // The column chunks come as hyparquet decodes them (onChunk): no row objects are made.
        slice.start(from, to);
        await sdk.parquetRead({
          file,
          metadata,
          columns,
          compressors: compressorsOf(sdk),
          rowStart: from,
          rowEnd: to,
          onChunk: (c) => slice.add(columns.indexOf(c.columnName), c.columnData, c.rowStart, c.rowEnd),
        });
        scanned += to - from;
        const cuts = slice.cuts();
        for (let c = 1; c < cuts.length; c++) {
          appendPart(reader, obj, slice, cuts[c - 1], cuts[c], slot, columns, ref.time, misfit);
          if (reader.full(obj.index)) break runs;
        }
      }
    }
  } catch (e) {
    if (fetchFailure) throw fetchFailure.error;
    if (!(e as { $metadata?: unknown }).$metadata && (e as Error).name !== 'AbortError') throw new CorruptObject((e as Error).message);
    throw e;
  }
  obj.inflated += bytes;
  return { scanned, bytes, misfit };
}

type Compressors = Sdk['parquetCompressors'];
let compressors: Compressors | undefined;

/**
 * hyparquet's decompressors, GZIP (AWS writes Parquet flow logs with it) by Node's zlib, native code
 * instead of hyparquet-compressors' JavaScript gunzip (the hyparquet-alone floor fell from 256 to
 * 177 ms at 100k records). A page zlib refuses goes to that one, which says what is wrong.
 */
function compressorsOf(sdk: Sdk): Compressors {
  if (!compressors) {
    const js = sdk.parquetCompressors;
    compressors = {
      ...js,
      GZIP: (input: Uint8Array, outputLength: number) => {
        try {
          return gunzipSync(input);
        } catch {
          return js.GZIP!(input, outputLength);
        }
      },
    };
  }
  return compressors;
}

/** A run of kept row groups fetched in one request: rows [firstRow, endRow), bytes [start, end). */
interface ByteBlock {
  firstRow: number;
  endRow: number;
  start: number;
  end: number;
}

/** The first block's bytes; each next block may be twice the last, up to PARQUET_BLOCK_BYTES. */
const FIRST_BLOCK_BYTES = 1 << 20;
/** Bytes of one block at most (unless one row group's columns are more: that group alone). */
const PARQUET_BLOCK_BYTES = 8 << 20;

/**
 * The bytes the read needs, in blocks of consecutive row groups: the chunks of the format's
 * columns in the row groups the time range keeps (what hyparquet asks for lies within them). The
 * first block is small (a small maxRecords reads little); the next ones grow. Row groups already
 * `fetched` (within the footer's read) are left out.
 */
export function byteBlocks(
  metadata: ParquetMeta,
  runs: [number, number, boolean][],
  columns: string[],
  fetched: (start: number, end: number) => boolean = () => false,
): ByteBlock[] {
  const blocks: ByteBlock[] = [];
  const wanted = new Set(columns);
  let limit = FIRST_BLOCK_BYTES;
  let row = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const kept = runs.some(([from, to, keep]) => keep && row >= from && row < to);
    let start = Infinity;
    let end = -Infinity;
    for (const c of group.columns) {
      const m = c.meta_data;
      if (!m?.path_in_schema || !wanted.has(m.path_in_schema[0]) || m.total_compressed_size === undefined) continue;
      const offset = Number(m.dictionary_page_offset || m.data_page_offset);
      start = Math.min(start, offset);
      end = Math.max(end, offset + Number(m.total_compressed_size));
    }
    if (kept && rows > 0 && end > start && !fetched(start, end)) {
      const last = blocks[blocks.length - 1];
      if (last && last.endRow === row && last.end <= start && end - last.start <= limit) {
        last.endRow = row + rows;
        last.end = end;
      } else {
        if (last) limit = Math.min(2 * limit, PARQUET_BLOCK_BYTES);
        blocks.push({ firstRow: row, endRow: row + rows, start, end });
      }
    }
    row += rows;
  }
  return blocks;
}

/**
 * hyparquet's view of the object (an AsyncBuffer): a range asked for is served from a block
 * already fetched or being fetched (the footer's read, a prefetched run of row groups), else
 * fetched as asked and kept (the slices of a row group ask for the same ranges). Blocks before
 * the slice being read are let go, so an object holds about two blocks, not all its bytes.
 */
class ParquetBytes {
  private blocks: { start: number; end: number; data: Promise<ArrayBuffer> }[] = [];

  constructor(
    readonly byteLength: number,
    private readonly fetch: (start: number, end: number) => Promise<ArrayBuffer>,
  ) {}

  slice(start: number, end = this.byteLength): Promise<ArrayBuffer> {
    const block = this.blocks.find((b) => b.start <= start && end <= b.end);
    if (!block) return this.add(start, end).data;
    if (block.start === start && block.end === end) return block.data;
    return block.data.then((buf) => buf.slice(start - block.start, end - block.start));
  }

  /** Whether bytes [start, end) are fetched or being fetched. */
  holds(start: number, end: number): boolean {
    return this.blocks.some((b) => b.start <= start && end <= b.end);
  }

  /** Starts fetching a block (a failure surfaces when a slice asks for it). */
  prefetch(range: { start: number; end: number }): void {
    if (!this.holds(range.start, range.end)) this.add(range.start, range.end).data.catch(() => {});
  }

  /** Lets go of the blocks that end at or before `offset`. */
  release(offset: number): void {
    this.blocks = this.blocks.filter((b) => b.end > offset);
  }

  private add(start: number, end: number) {
    const block = { start, end, data: this.fetch(start, end) };
    block.data.catch(() => (this.blocks = this.blocks.filter((b) => b !== block)));
    this.blocks.push(block);
    return block;
  }
}

/** The column chunks hyparquet decoded for one slice, rows [from, to) of the file. */
class ParquetSlice {
  from = 0;
  to = 0;
  /** Per column, the decoded runs of rows [start, end) that reach into the slice. */
  private readonly pieces: { data: ArrayLike<unknown>; start: number; end: number }[][];
  /** The slice's kept rows (offsets from `from`) and their times, reused slice after slice. */
  rows = new Uint32Array(0);
  times = new Float64Array(0);

  constructor(columns: number) {
    this.pieces = Array.from({ length: columns }, () => []);
  }

  start(from: number, to: number): void {
    this.from = from;
    this.to = to;
    for (const p of this.pieces) p.length = 0;
    if (this.rows.length < to - from) {
      this.rows = new Uint32Array(to - from);
      this.times = new Float64Array(to - from);
    }
  }

  add(column: number, data: ArrayLike<unknown>, start: number, end: number): void {
    if (column >= 0 && end > this.from && start < this.to) this.pieces[column].push({ data, start, end });
  }

  /**
   * The slice cut where a column's chunk begins or ends (a row group, or a page hyparquet emitted
   * alone): within each part [cuts[i], cuts[i + 1]) every column is one chunk, read in place.
   */
  cuts(): number[] {
    const at = new Set([this.from, this.to]);
    for (const pieces of this.pieces)
      for (const p of pieces) {
        if (p.start > this.from && p.start < this.to) at.add(p.start);
        if (p.end > this.from && p.end < this.to) at.add(p.end);
      }
    return [...at].sort((x, y) => x - y);
  }

  /**
   * Column c's values for rows [a, b) (within a part, see cuts): row `a + r` is `values[offset + r]`.
   * A column without a value for some row of its row group is a corrupt file.
   */
  column(c: number, name: string, a: number, b: number): { values: ArrayLike<unknown>; offset: number } {
    for (const p of this.pieces[c])
      if (p.start <= a && p.end >= b && p.data.length >= b - p.start) return { values: p.data, offset: a - p.start };
    throw new CorruptObject(`column ${name} has no value for rows ${a.toLocaleString('en')} to ${b.toLocaleString('en')}`);
  }
}

/**
 * Appends rows [from, to) of a decoded slice (one part, see ParquetSlice.cuts) to the object's store: each row's time (its `start`, else the object's
 * time) checked against the range, then the filters (on the row's text, only when there are
 * filters), the kept rows appended column by column, up to the room left under maxRecords.
 */
function appendPart(
  reader: Reader,
  obj: ObjectRead,
  slice: ParquetSlice,
  from: number,
  to: number,
  slot: number[],
  columns: string[],
  objectTime: number,
  misfit: string | undefined,
): void {
  const n = to - from;
  const decoded = columns.map((name, c) => slice.column(c, name, from, to));
  const values = slot.map((c) => (c >= 0 ? decoded[c].values : undefined));
  const offsets = slot.map((c) => (c >= 0 ? decoded[c].offset : 0));
  const startValues = reader.startIndex >= 0 ? values[reader.startIndex] : undefined;
  const startOffset = reader.startIndex >= 0 ? offsets[reader.startIndex] : 0;
  const { startMs, endMs } = reader.args;
  const filtering = reader.args.filters.length > 0;
  const room = reader.room(obj.index);
  const { rows, times } = slice;
  let count = 0;
  for (let r = 0; r < n && count < room; r++) {
    const t = startValues ? timeOf(startValues[startOffset + r], objectTime) : objectTime;
    if (t < startMs || t >= endMs) {
      reader.notLoaded.outOfRange++;
      continue;
    }
    if (filtering) {
      const v = values.map((vals, k) => textOf(vals?.[offsets[k] + r]));
      const rec: FlowRecord = { v, t };
      if (misfit) rec.bad = misfit;
      if (!reader.keep(rec)) {
        reader.notLoaded.filtered++;
        continue;
      }
    }
    rows[count] = r;
    times[count] = t;
    count++;
  }
  ownStore(obj).appendValues(values, offsets, rows, count, times, misfit);
}

/** A Parquet object always reads into a store of its own (only a text object parses in place, staged). */
function ownStore(obj: ObjectRead): ColumnStore {
  if (obj.out instanceof StagedRows) throw new Error('a Parquet object reads into a store of its own');
  return obj.out;
}

/** A decoded value as the record's text: as String() writes it, '-' for none. */
function textOf(x: unknown): string {
  return x === null || x === undefined ? '-' : String(x);
}

/** The record time (ms) of a decoded `start`: when its text is digits, those seconds; else `fallback`. */
function timeOf(x: unknown, fallback: number): number {
  if (typeof x === 'bigint') return x >= 0n ? Number(x) * 1000 : fallback;
  // String() writes an integer below 1e21 as its digits (a larger one with an exponent).
  if (typeof x === 'number') return Number.isInteger(x) && x >= 0 && x < 1e21 ? x * 1000 : fallback;
  if (x === null || x === undefined) return fallback;
  const s = String(x);
  return /^[0-9]+$/.test(s) ? Number(s) * 1000 : fallback;
}

/**
 * One ranged GetObject, its body read whole. A body that breaks off (a dropped connection) is
 * requested again, up to RANGE_ATTEMPTS times; a body that stalls ends after `stallMs` without
 * data. The error is thrown as it is, to be classified (network, timeout), never taken for a
 * corrupt file.
 */
export async function fetchRange(
  client: S3Client,
  bucket: string,
  key: string,
  start: number,
  last: number,
  stallMs: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const sdk = loadSdk();
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` }), {
        abortSignal: signal,
      });
      const body = res.Body as Readable;
      const chunks: Buffer[] = [];
      const unwatch = watchStall(body, stallMs, key);
      try {
        await new Promise<void>((resolve, reject) => {
          body.on('data', (c: Buffer) => chunks.push(c));
          body.once('error', reject);
          body.once('end', resolve);
          body.once('close', () => (body.readableEnded ? resolve() : reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))));
        });
      } finally {
        unwatch();
      }
      const data = Buffer.concat(chunks);
      const expected = res.ContentLength ?? last - start + 1;
      if (data.length !== expected)
        throw Object.assign(new Error(`aborted: ${data.length} of ${expected} bytes arrived`), { code: 'ECONNRESET' });
      return data;
    } catch (e) {
      const err = e as { $metadata?: unknown; stalled?: boolean };
      // The SDK already retried what failed before the body; a stall has taken its full time.
      if (signal?.aborted || err.$metadata || err.stalled || attempt >= RANGE_ATTEMPTS) throw e;
    }
  }
}

interface ParquetMeta {
  schema: { name: string }[];
  row_groups: {
    num_rows: bigint | number;
    columns: {
      meta_data?: {
        path_in_schema?: string[];
        statistics?: { min_value?: unknown; max_value?: unknown };
        data_page_offset?: bigint | number;
        dictionary_page_offset?: bigint | number;
        total_compressed_size?: bigint | number;
      };
    }[];
  }[];
}

/** Contiguous row ranges [start, end) with whether they can hold records of [startMs, endMs). */
export function rowGroupRuns(metadata: ParquetMeta, startMs: number, endMs: number): [number, number, boolean][] {
  const runs: [number, number, boolean][] = [];
  let row = 0;
  for (const group of metadata.row_groups) {
    const n = Number(group.num_rows);
    const stats = group.columns.find((c) => c.meta_data?.path_in_schema?.[0] === 'start')?.meta_data?.statistics;
    const min = typeof stats?.min_value === 'bigint' || typeof stats?.min_value === 'number' ? Number(stats.min_value) * 1000 : undefined;
    const max = typeof stats?.max_value === 'bigint' || typeof stats?.max_value === 'number' ? Number(stats.max_value) * 1000 : undefined;
    const keep = min === undefined || max === undefined || (max >= startMs && min < endMs);
    const last = runs[runs.length - 1];
    if (last && last[2] === keep && last[1] === row) last[1] = row + n;
    else runs.push([row, row + n, keep]);
    row += n;
  }
  return runs;
}
