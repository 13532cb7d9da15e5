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
import { recordLayout, type RecordLayout } from '../../records/fields';
import { concatPacked, PackedBuilder, parseMessage, versionProblem, type FlowRecord, type PackedRecords } from '../../records/parse';
import { recordPredicate } from '../../records/filters';
import type { RecordsError } from '../../records/errors';
import { classifyS3Error } from './recordsErrors';
import type { S3ListArgs, S3ListResult, S3ObjectRef, S3ReadArgs, S3SkippedObject, S3ReadResult } from '../awsWorkerProtocol';

/** Pages per listing before giving up (one folder of one flow log rarely needs more than one). */
const MAX_LIST_PAGES = 50;
/** Objects larger than this are skipped and named (a misconfigured or foreign file). */
export const MAX_OBJECT_BYTES = 2 * 1024 * 1024 * 1024;

export async function listS3Objects(
  client: S3Client,
  args: S3ListArgs,
  ctx: { profile: string; region: string },
  signal?: AbortSignal,
): Promise<S3ListResult> {
  const sdk = loadSdk();
  const objects: { key: string; size: number; storageClass?: string }[] = [];
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
          MaxKeys: 1000,
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
      if (requests >= MAX_LIST_PAGES) {
        return {
          ok: false,
          error: {
            kind: 'unknown',
            message: `Listing ${args.prefix} needed more than ${MAX_LIST_PAGES} pages; stopped`,
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
    if (v.length === layout.fields.length && !v.includes('') && !versionProblem(layout.version, v[layout.index.version ?? -1]))
      return { v, t: 0 };
  }
  return parseMessage(layout, line, 0);
}

async function readText(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  out: PackedBuilder,
  signal?: AbortSignal,
): Promise<{ scanned: number; bytes: number }> {
  const sdk = loadSdk();
  const res = await client.send(new sdk.GetObjectCommand({ Bucket: reader.args.bucket, Key: ref.key }), { abortSignal: signal });
  const body = res.Body as Readable;
  const gunzip = createGunzip();
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const { layout } = reader;
  let header: string[] | undefined;
  let mapping: number[] | undefined; // layout field -> column in the file, when the order differs
  let scanned = 0;
  let rest = '';
  const onLine = (line: string) => {
    if (line === '') return;
    if (!header) {
      header = line.trim().split(/\s+/);
      const same = header.length === layout.fields.length && header.every((h, i) => h === layout.fields[i].name);
      if (!same) mapping = layout.fields.map((f) => header!.indexOf(f.name));
      return;
    }
    scanned++;
    let text = line;
    if (mapping) {
      const cols = line.trim().split(/\s+/);
      text = mapping.map((i) => (i >= 0 ? (cols[i] ?? '-') : '-')).join(' ');
    }
    const rec = splitLine(layout, text);
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
  });
  if (!header) throw new CorruptObject('the file is empty (no header line)');
  return { scanned, bytes };
}

async function readParquet(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  out: PackedBuilder,
  signal?: AbortSignal,
): Promise<{ scanned: number; bytes: number }> {
  const sdk = loadSdk();
  let bytes = 0;
  // An AsyncBuffer over ranged GetObject requests: hyparquet reads the footer, then column chunks.
  const file = {
    byteLength: ref.size,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      const last = (end ?? ref.size) - 1;
      const res = await client.send(
        new sdk.GetObjectCommand({ Bucket: reader.args.bucket, Key: ref.key, Range: `bytes=${start}-${last}` }),
        { abortSignal: signal },
      );
      const data = await res.Body!.transformToByteArray();
      bytes += data.length;
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    },
  };
  let metadata;
  try {
    metadata = await sdk.parquetMetadataAsync(file);
  } catch (e) {
    if ((e as { name?: string }).name && /Error$/.test((e as Error).name) && !(e as { $metadata?: unknown }).$metadata)
      throw new CorruptObject((e as Error).message);
    throw e;
  }
  const { layout } = reader;
  const present = new Set(metadata.schema.slice(1).map((s: { name: string }) => s.name));
  const columnOf = layout.fields.map((f) => f.name.replace(/-/g, '_'));
  const columns = columnOf.filter((c) => present.has(c));
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
    if (!(e as { $metadata?: unknown }).$metadata && (e as Error).name !== 'AbortError') throw new CorruptObject((e as Error).message);
    throw e;
  }
  for (const row of rows) {
    const v = columnOf.map((c) => {
      const x = row[c];
      return x === null || x === undefined ? '-' : String(x);
    });
    const rec: FlowRecord = { v, t: 0 };
    rec.t = recordTime(reader, rec, ref.time);
    if (rec.t < reader.args.startMs || rec.t >= reader.args.endMs) continue;
    if (reader.keep(rec)) out.push(rec);
  }
  return { scanned: rows.length + skippedRows, bytes };
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
  ctx: { profile: string; region: string },
  signal?: AbortSignal,
): Promise<S3ReadResult> {
  const layout = recordLayout(args.format);
  const reader: Reader = {
    layout,
    startIndex: layout.index.start ?? -1,
    keep: args.filters.length ? recordPredicate(layout, args.filters) : () => true,
    args,
  };
  const perObject: PackedRecords[] = [];
  const skipped: S3SkippedObject[] = [];
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
        scanned += r.scanned;
        bytes += r.bytes;
        objectsRead++;
      } catch (err) {
        if (err instanceof CorruptObject) {
          skipped.push({ key: ref.key, why: `corrupt or truncated: ${err.message.slice(0, 200)}` });
          continue;
        }
        const e = classifyS3Error(err, { ...ctx, bucket: args.bucket, key: ref.key, action: 's3:GetObject' });
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
  return { ok: true, packed: concatPacked(layout.fields.length, perObject.filter(Boolean)), scanned, bytes, objectsRead, skipped };
}
