// Parquet flow log objects (the AWS worker): read with hyparquet through ranged GetObject
// requests (footer first, then only the column chunks of the flow log's fields), a row group in
// slices of PARQUET_SLICE_ROWS rows, row groups outside the time range skipped by their `start`
// statistics. Called by readS3Objects (s3Records.ts).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { loadSdk } from './sdk';
import { columnsMisfit } from '../../shared/recordsFields';
import type { FlowRecord } from '../../shared/recordsParse';
import type { S3ObjectRef } from '../../shared/awsWorkerProtocol';
import { CorruptObject, offer, watchStall, type ObjectRead, type Reader } from './s3ObjectRead';

/** Parquet rows decoded at once: a row group is read in slices of this many rows. */
export const PARQUET_SLICE_ROWS = 20_000;

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
  const file = {
    byteLength: ref.size,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      try {
        const data = await fetchRange(client, reader.args.bucket, ref.key, start, (end ?? ref.size) - 1, reader.stallMs, signal);
        bytes += data.length;
        return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      } catch (e) {
        fetchFailure ??= { error: e };
        throw e;
      }
    },
  };
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
  const columns = columnOf.filter((c) => present.has(c));
  const misfit = columnsMisfit(layout, [...present], '_'); // a schema without the format's fields: records marked
  // A row group is decoded PARQUET_SLICE_ROWS rows at a time (one 1M-row group read whole took
  // the process to 2.25 GB); the slices of a group ask for the same column-chunk ranges, so each
  // range is fetched once per object (sliceCache).
  const sliceCache = new Map<string, Promise<ArrayBuffer>>();
  const sliced = {
    byteLength: file.byteLength,
    slice: (start: number, end?: number): Promise<ArrayBuffer> => {
      const key = `${start}-${end ?? ''}`;
      let got = sliceCache.get(key);
      if (!got) {
        got = file.slice(start, end);
        got.catch(() => sliceCache.delete(key));
        sliceCache.set(key, got);
      }
      return got;
    },
  };
  let scanned = 0;
  try {
    // Only the row groups whose `start` statistics can fall in the range are read.
    runs: for (const [rowStart, rowEnd, keep] of rowGroupRuns(metadata, reader.args.startMs, reader.args.endMs)) {
      if (!keep) {
        scanned += rowEnd - rowStart;
        continue;
      }
      for (let from = rowStart; from < rowEnd; from += PARQUET_SLICE_ROWS) {
        if (reader.full(obj.index)) break runs;
        const part = (await sdk.parquetReadObjects({
          file: sliced,
          metadata,
          columns,
          compressors: sdk.parquetCompressors,
          rowStart: from,
          rowEnd: Math.min(rowEnd, from + PARQUET_SLICE_ROWS),
        })) as Record<string, unknown>[];
        scanned += part.length;
        for (const row of part) {
          const v = columnOf.map((c) => {
            const x = row[c];
            return x === null || x === undefined ? '-' : String(x);
          });
          const rec: FlowRecord = { v, t: 0 };
          if (misfit) rec.bad = misfit;
          offer(reader, obj, rec, ref.time);
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
    columns: { meta_data?: { path_in_schema?: string[]; statistics?: { min_value?: unknown; max_value?: unknown } } }[];
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
