// Flow log records from S3, where they are read (the AWS worker): ListObjectsV2 for one planned
// folder, and GetObject of a few objects at a time, parsed into records and filtered here, so the
// extension host only receives matching rows. `.log.gz` streams through gunzip line by line (its
// header line names the columns); `.parquet` is read with hyparquet through ranged GetObject
// requests (footer first, then only the column chunks of the flow log's fields). Errors come back
// classified, as values; a corrupt or unreadable object is skipped and named, the rest is kept.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { loadSdk } from './sdk';
import { columnsMisfit, recordLayout, type RecordLayout } from '../../records/fields';
import { concatPacked, PackedBuilder, parseMessage, type FlowRecord, type PackedRecords } from '../../records/parse';
import { recordPredicate } from '../../records/filters';
import type { RecordsError } from '../../records/errors';
import { classifyS3Error } from './recordsErrors';
import type { S3ListArgs, S3ListResult, S3ObjectRef, S3ReadArgs, S3SkippedObject, S3ReadResult } from '../awsWorkerProtocol';

/**
 * One s3List call lists at most this many keys (pages of 1,000) and stops once its time budget is
 * spent; it then answers `next` and the caller lists on from there (a folder of any size is paged
 * through, never failed: issue 23.6).
 */
export const MAX_LIST_OBJECTS = 5_000;
/** Pages without a key (each with a token) one call follows before it gives up. */
const MAX_EMPTY_LIST_PAGES = 100;
/** Objects larger than this are skipped and named (a misconfigured or foreign file). */
export const MAX_OBJECT_BYTES = 2 * 1024 * 1024 * 1024;

export async function listS3Objects(
  client: S3Client,
  args: S3ListArgs,
  ctx: { profile: string; region: string; budgetMs?: number },
  signal?: AbortSignal,
): Promise<S3ListResult> {
  const sdk = loadSdk();
  const objects: { key: string; size: number; storageClass?: string }[] = [];
  const maxObjects = Math.max(1, Math.min(MAX_LIST_OBJECTS, Math.floor(args.maxObjects ?? MAX_LIST_OBJECTS)));
  const until = Date.now() + (ctx.budgetMs ?? 30_000);
  let token: string | undefined;
  let requests = 0;
  try {
    for (;;) {
      const out = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: args.bucket,
          Prefix: args.prefix,
          StartAfter: token ? undefined : args.startAfter,
          ContinuationToken: token,
          MaxKeys: Math.min(1000, maxObjects - objects.length),
        }),
        { abortSignal: signal },
      );
      requests++;
      let past = false;
      for (const o of out.Contents ?? []) {
        if (!o.Key) continue;
        if (o.Key >= args.endAt) {
          past = true;
          break;
        }
        objects.push({ key: o.Key, size: o.Size ?? 0, storageClass: o.StorageClass });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
      if (past || !token) break;
      // Enough for one call (by count or by time): the caller lists on after the last key.
      if (objects.length >= maxObjects || Date.now() >= until) {
        const last = objects[objects.length - 1]?.key ?? out.Contents?.[out.Contents.length - 1]?.Key;
        if (last) return { ok: true, objects, requests, next: last };
      }
      if (requests >= MAX_EMPTY_LIST_PAGES && objects.length === 0) {
        // A server that answers pages without keys and a token for ever: stop, say so.
        return {
          ok: false,
          error: {
            kind: 'server',
            message: `Listing ${args.prefix} returned ${requests} pages without a key, each with a continuation token; stopped`,
            actions: ['retry'],
          },
        };
      }
    }
    return { ok: true, objects, requests };
  } catch (err) {
    return { ok: false, error: classifyS3Error(err, { ...ctx, bucket: args.bucket, action: 's3:ListBucket' }) };
  }
}

interface Reader {
  layout: RecordLayout;
  /** Index of `start` in the layout, or -1. */
  startIndex: number;
  keep: (r: FlowRecord) => boolean;
  args: S3ReadArgs;
  /** How long an object's body may send nothing before it is given up (the request timeout setting). */
  stallMs: number;
}

/** The record time (ms): its `start` field, or the object's name time when there is none. */
function recordTime(reader: Reader, rec: FlowRecord, objectTime: number): number {
  if (reader.startIndex >= 0) {
    const v = rec.v[reader.startIndex];
    if (v !== undefined && isDigits(v)) return Number(v) * 1000;
  }
  return objectTime;
}

class CorruptObject extends Error {}

function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * parseMessage's result for a line, without its regex split when the line is regular (fields
 * separated by single spaces, as AWS writes them): a regex split allocates per line.
 */
const OTHER_WHITESPACE = /[^\S ]/;

export function splitLine(layout: RecordLayout, line: string): FlowRecord {
  if (line.length <= 16_384 && !OTHER_WHITESPACE.test(line)) {
    const v = line.split(' ');
    if (v.length === layout.fields.length && !v.includes('')) return { v, t: 0 };
  }
  return parseMessage(layout, line, 0);
}

async function readText(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  out: PackedBuilder,
  signal?: AbortSignal,
): Promise<{ scanned: number; bytes: number; misfit?: string }> {
  const sdk = loadSdk();
  const res = await client.send(new sdk.GetObjectCommand({ Bucket: reader.args.bucket, Key: ref.key }), { abortSignal: signal });
  const body = res.Body as Readable;
  const gunzip = createGunzip();
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const unwatch = watchStall(body, reader.stallMs, ref.key);
  const { layout } = reader;
  let header: string[] | undefined;
  let mapping: number[] | undefined; // layout field -> column in the file, when the order differs
  let misfit: string | undefined; // the header lacks fields of the format: every record is marked
  let scanned = 0;
  let rest = '';
  const onLine = (line: string) => {
    if (line === '') return;
    if (!header) {
      header = line.trim().split(/\s+/);
      const same = header.length === layout.fields.length && header.every((h, i) => h === layout.fields[i].name);
      if (!same) mapping = layout.fields.map((f) => header!.indexOf(f.name));
      misfit = columnsMisfit(layout, header);
      return;
    }
    scanned++;
    let text = line;
    if (mapping) {
      const cols = line.trim().split(/\s+/);
      text = mapping.map((i) => (i >= 0 ? (cols[i] ?? '-') : '-')).join(' ');
    }
    const rec = splitLine(layout, text);
    if (misfit) {
      rec.bad = misfit;
      rec.raw = line;
    }
    rec.t = recordTime(reader, rec, ref.time);
    if (rec.t < reader.args.startMs || rec.t >= reader.args.endMs) return;
    if (reader.keep(rec)) out.push(rec);
  };
  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) =>
      reject(
        e instanceof Error &&
          /incorrect header|invalid|unexpected end|Z_BUF_ERROR|Z_DATA_ERROR/i.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)
          ? new CorruptObject(e.message)
          : e,
      );
    body.on('error', fail);
    gunzip.on('error', fail);
    gunzip.setEncoding('utf8');
    gunzip.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    gunzip.on('end', () => {
      if (rest) onLine(rest);
      resolve();
    });
    body.pipe(gunzip);
  }).finally(unwatch);
  if (!header) throw new CorruptObject('the file is empty (no header line)');
  return { scanned, bytes, misfit };
}

async function readParquet(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  out: PackedBuilder,
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
  let rows: Record<string, unknown>[] = [];
  let skippedRows = 0;
  try {
    // Only the row groups whose `start` statistics can fall in the range are read.
    for (const [rowStart, rowEnd, keep] of rowGroupRuns(metadata, reader.args.startMs, reader.args.endMs)) {
      if (!keep) {
        skippedRows += rowEnd - rowStart;
        continue;
      }
      const part = (await sdk.parquetReadObjects({
        file,
        metadata,
        columns,
        compressors: sdk.parquetCompressors,
        rowStart,
        rowEnd,
      })) as Record<string, unknown>[];
      rows = rows.length ? rows.concat(part) : part;
    }
  } catch (e) {
    if (fetchFailure) throw fetchFailure.error;
    if (!(e as { $metadata?: unknown }).$metadata && (e as Error).name !== 'AbortError') throw new CorruptObject((e as Error).message);
    throw e;
  }
  for (const row of rows) {
    const v = columnOf.map((c) => {
      const x = row[c];
      return x === null || x === undefined ? '-' : String(x);
    });
    const rec: FlowRecord = { v, t: 0 };
    if (misfit) rec.bad = misfit;
    rec.t = recordTime(reader, rec, ref.time);
    if (rec.t < reader.args.startMs || rec.t >= reader.args.endMs) continue;
    if (reader.keep(rec)) out.push(rec);
  }
  return { scanned: rows.length + skippedRows, bytes, misfit };
}

/** The body stall bound when the caller gives none (the request timeout setting's default). */
const DEFAULT_STALL_MS = 30_000;
/** Attempts of one ranged read whose body broke off (the SDK retries only until the headers). */
const RANGE_ATTEMPTS = 3;

/**
 * Gives up a response body that sends nothing for `ms` (the SDK's request timeout ends with the
 * headers; S3 clients have no socket timeout): the body is destroyed with a TimeoutError that
 * names the setting, classified as a timeout with Retry. Returns the function that stops watching.
 */
function watchStall(body: Readable, ms: number, key: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const err = Object.assign(
        new Error(`${key}: no data for ${Math.round(ms / 1000)} s, the download stalled (setting flowLogs.requestTimeoutSeconds)`),
        { name: 'TimeoutError', stalled: true },
      );
      body.destroy(err);
    }, ms);
  };
  body.on('data', arm);
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    body.off('data', arm);
  };
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

export async function readS3Objects(
  client: S3Client,
  args: S3ReadArgs,
  ctx: { profile: string; region: string; stallMs?: number },
  signal?: AbortSignal,
): Promise<S3ReadResult> {
  const layout = recordLayout(args.format);
  const reader: Reader = {
    layout,
    startIndex: layout.index.start ?? -1,
    keep: args.filters.length ? recordPredicate(layout, args.filters) : () => true,
    args,
    stallMs: ctx.stallMs ?? DEFAULT_STALL_MS,
  };
  const perObject: PackedRecords[] = [];
  const skipped: S3SkippedObject[] = [];
  const misfit: S3SkippedObject[] = [];
  let scanned = 0;
  let bytes = 0;
  let objectsRead = 0;
  let failure: RecordsError | undefined;
  let next = 0;
  const concurrency = Math.max(1, Math.min(8, Math.floor(args.concurrency ?? 4)));
  const work = async () => {
    while (!failure && next < args.objects.length) {
      const i = next++;
      const ref = args.objects[i];
      if (ref.size > MAX_OBJECT_BYTES) {
        skipped.push({ key: ref.key, why: `larger than ${MAX_OBJECT_BYTES / 2 ** 30} GiB` });
        continue;
      }
      const records = new PackedBuilder(layout.fields.length);
      try {
        const r = await (ref.format === 'parquet' ? readParquet : readText)(client, reader, ref, records, signal);
        perObject[i] = records.p;
        if (r.misfit) misfit.push({ key: ref.key, why: r.misfit });
        scanned += r.scanned;
        bytes += r.bytes;
        objectsRead++;
      } catch (err) {
        if (err instanceof CorruptObject) {
          skipped.push({ key: ref.key, why: `corrupt or truncated: ${err.message.slice(0, 200)}` });
          continue;
        }
        const e = classifyS3Error(err, {
          profile: ctx.profile,
          region: ctx.region,
          bucket: args.bucket,
          key: ref.key,
          action: 's3:GetObject',
        });
        if (e.code === 'InvalidObjectState') {
          skipped.push({ key: ref.key, why: e.message });
          continue;
        }
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, args.objects.length) }, work));
  if (failure) return { ok: false, error: failure, objectsRead };
  skipped.sort((a, b) => (a.key < b.key ? -1 : 1));
  misfit.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { ok: true, packed: concatPacked(layout.fields.length, perObject.filter(Boolean)), scanned, bytes, objectsRead, skipped, misfit };
}
