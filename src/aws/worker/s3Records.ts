// Flow log records from S3, where they are read (the AWS worker): ListObjectsV2 for one planned
// folder, and GetObject of a few objects at a time, parsed into records and filtered here, so the
// extension host only receives matching rows. `.log.gz` streams through gunzip line by line (its
// header line names the columns); `.parquet` is read with hyparquet through ranged GetObject
// requests (footer first, then only the column chunks of the flow log's fields). Errors come back
// classified, as values; a corrupt or unreadable object is skipped and named, the rest is kept.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { loadSdk } from './sdk';
import { columnsMisfit, recordLayout, type RecordLayout } from '../../shared/recordsFields';
import { packRecords, parseMessage, versionProblem, type FlowRecord } from '../../shared/recordsParse';
import { ColumnStore, regularLine } from '../../shared/columns/store';
import { droppedStoreError, storeForAppend } from './recordStores';
import { CorruptObject, DEFAULT_STALL_MS, offer, StagedRows, watchStall, type ObjectRead, type Reader } from './s3ObjectRead';
import { readParquet } from './parquetRecords';
import { recordPredicate } from '../../shared/recordsFilters';
import type { RecordsError } from '../../shared/recordsErrors';
import { classifyS3Error } from './recordsErrors';
import type {
  S3ListArgs,
  S3ListResult,
  S3NotLoaded,
  S3ObjectRef,
  S3ReadArgs,
  S3SkippedObject,
  S3ReadResult,
} from '../../shared/awsWorkerProtocol';

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
/** A text line longer than this (bytes) is cut here and marked: the rest of it is skipped. */
export const MAX_LINE_BYTES = 65_536;
/** Records a read reserves room for ahead at most (as a store's first capacity is bounded). */
const MAX_RESERVED_RECORDS = 1 << 24;

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

/** Decompressed bytes zlib hands over at once (its default, 16 KiB, costs a thread-pool round trip per 16 KiB). */
const INFLATE_CHUNK = 256 * 1024;
/** Decompressed chunks the inflating may run ahead of the parser. */
const INFLATE_AHEAD = 2;

/** Characters of an over-long line kept (as its raw text) for the panel. */
const LONG_LINE_KEPT = 16_384;
/** A line of more bytes than this has more than MAX_LINE_BYTES characters, whatever its UTF-8. */
const OVER_LONG_BYTES = 3 * MAX_LINE_BYTES + 3;
/** Bytes of an over-long line decoded for its first LONG_LINE_KEPT characters. */
const HEAD_BYTES = 4 * LONG_LINE_KEPT;

function latin1(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(buf[i]);
  return s;
}

async function readText(
  client: S3Client,
  reader: Reader,
  ref: S3ObjectRef,
  obj: ObjectRead,
  signal?: AbortSignal,
): Promise<{ scanned: number; bytes: number; misfit?: string }> {
  const sdk = loadSdk();
  const res = await client.send(new sdk.GetObjectCommand({ Bucket: reader.args.bucket, Key: ref.key }), { abortSignal: signal });
  const body = res.Body as Readable;
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const unwatch = watchStall(body, reader.stallMs, ref.key);
  const { layout } = reader;
  const maxInflated = reader.args.maxObjectBytes && reader.args.maxObjectBytes > 0 ? reader.args.maxObjectBytes : Infinity;
  let header: string[] | undefined;
  let mapping: number[] | undefined; // layout field -> column in the file, when the order differs
  let misfit: string | undefined; // the header lacks fields of the format: every record is marked
  let scanned = 0;
  const onLine = (line: string, tooLong: boolean) => {
    if (line === '' && !tooLong) return;
    if (!header) {
      reader.notLoaded.headers++;
      header = line.trim().split(/\s+/);
      const same = header.length === layout.fields.length && header.every((h, i) => h === layout.fields[i].name);
      if (!same) mapping = layout.fields.map((f) => header!.indexOf(f.name));
      misfit = columnsMisfit(layout, header);
      return;
    }
    scanned++;
    if (tooLong) {
      const rec = parseMessage(layout, line.slice(0, LONG_LINE_KEPT), 0);
      rec.bad = `line longer than ${MAX_LINE_BYTES.toLocaleString('en')} characters: cut there, the rest of it skipped`;
      rec.raw = line.slice(0, LONG_LINE_KEPT);
      offer(reader, obj, rec, ref.time);
      return;
    }
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
    offer(reader, obj, rec, ref.time);
  };
  // A regular line (fields of printable ASCII and single spaces, the format's count) goes from the
  // bytes into the columns: no string per line or per field. Anything else is decoded and parsed
  // as text (onLine), exactly as before.
  const width = layout.fields.length;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const versionAt = layout.index.version ?? -1;
  const version = layout.version === undefined ? undefined : String(layout.version);
  const startAt = reader.startIndex;
  const { startMs, endMs } = reader.args;
  const filtering = reader.args.filters.length > 0;
  const utf8 = new TextDecoder('utf-8');
  const onLineBytes = (buf: Uint8Array, a: number, b: number): void => {
    if (a === b) return;
    if (header && !mapping && !misfit && regularLine(buf, a, b, width, starts, ends, versionAt, version)) {
      scanned++;
      let t = ref.time;
      if (startAt >= 0) {
        const x = starts[startAt];
        const y = ends[startAt];
        let v = 0;
        let digits = y > x;
        for (let i = x; i < y && digits; i++) {
          const d = buf[i] - 48;
          if (d < 0 || d > 9) digits = false;
          else v = v * 10 + d;
        }
        if (digits) t = (y - x <= 15 ? v : Number(latin1(buf, x, y))) * 1000;
      }
      if (t < startMs || t >= endMs) {
        reader.notLoaded.outOfRange++;
        return;
      }
      if (filtering) {
        const v: string[] = new Array(width);
        for (let k = 0; k < width; k++) v[k] = latin1(buf, starts[k], ends[k]);
        if (!reader.keep({ v, t })) {
          reader.notLoaded.filtered++;
          return;
        }
      }
      obj.out.appendBytes(buf, starts, ends, t, 0);
      return;
    }
    if (b - a > OVER_LONG_BYTES) {
      onLine(utf8.decode(buf.subarray(a, a + HEAD_BYTES)).slice(0, LONG_LINE_KEPT), true);
      return;
    }
    const line = utf8.decode(buf.subarray(a, b));
    onLine(line, line.length > MAX_LINE_BYTES);
  };
  /** The bytes of a line not ended in the last chunk (at most OVER_LONG_BYTES + 1 are kept). */
  let pending: Buffer | undefined;
  /** The pending line ran past OVER_LONG_BYTES: only its head is kept, the rest is skipped. */
  let pendingLong = false;
  const keepPending = (piece: Buffer): void => {
    if (pendingLong) return;
    const joined = pending ? Buffer.concat([pending, piece]) : Buffer.from(piece);
    if (joined.length > OVER_LONG_BYTES) {
      pending = joined.subarray(0, HEAD_BYTES);
      pendingLong = true;
    } else pending = joined;
  };
  const endPending = (piece: Buffer): void => {
    if (pendingLong) {
      const head = pending!;
      pending = undefined;
      pendingLong = false;
      onLine(utf8.decode(head).slice(0, LONG_LINE_KEPT), true);
      return;
    }
    const joined = pending ? Buffer.concat([pending, piece]) : piece;
    pending = undefined;
    onLineBytes(joined, 0, joined.length);
  };
  const onBytes = (chunk: Buffer): void => {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) {
        if (from < chunk.length) keepPending(chunk.subarray(from));
        return;
      }
      if (pending) endPending(chunk.subarray(from, nl));
      else onLineBytes(chunk, from, nl);
      from = nl + 1;
      if (reader.full(obj.index)) return;
    }
  };
  // zlib inflates in libuv's thread pool: the parser takes chunk N while chunk N+1 inflates (the
  // stream runs up to INFLATE_AHEAD chunks ahead of the loop below, then waits for it).
  // (zlib hands its options to the Transform: the typings lack the stream's own.)
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK, readableHighWaterMark: INFLATE_CHUNK * INFLATE_AHEAD } as ZlibOptions);
  body.on('error', (e) => gunzip.destroy(e));
  body.pipe(gunzip);
  try {
    let stopped = false;
    for await (const buf of gunzip as AsyncIterable<Buffer>) {
      let data = buf;
      if (obj.inflated + data.length > maxInflated) {
        data = data.subarray(0, Math.max(0, maxInflated - obj.inflated));
        obj.cappedAt = maxInflated;
      }
      obj.inflated += data.length;
      onBytes(data);
      if (obj.cappedAt !== undefined || reader.full(obj.index)) {
        stopped = true;
        break;
      }
    }
    if (!stopped && pending) endPending(Buffer.alloc(0));
  } catch (e) {
    throw e instanceof Error &&
      /incorrect header|invalid|unexpected end|Z_BUF_ERROR|Z_DATA_ERROR/i.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)
      ? new CorruptObject(e.message)
      : e;
  } finally {
    unwatch();
    body.unpipe(gunzip);
    body.destroy();
    gunzip.destroy();
  }
  if (!header && obj.cappedAt === undefined && !reader.full(obj.index)) throw new CorruptObject('the file is empty (no header line)');
  return { scanned, bytes, misfit };
}

export async function readS3Objects(
  client: S3Client,
  args: S3ReadArgs,
  ctx: { profile: string; region: string; stallMs?: number },
  signal?: AbortSignal,
): Promise<S3ReadResult> {
  const layout = recordLayout(args.format);
  const maxRecords = args.maxRecords !== undefined && args.maxRecords > 0 ? Math.floor(args.maxRecords) : Infinity;
  // The records go to the load's store (or, without one, a store of this call, packed at the end):
  // staged there, in object order, and committed once every object is read.
  const entry = args.store ? storeForAppend(args.store.id, layout.format, args.store.first) : undefined;
  if (args.store && !entry) return { ok: false, error: droppedStoreError(), objectsRead: 0 };
  /** Records a text object likely holds: about 16 compressed bytes per record. */
  const expectedRecords = (ref: S3ObjectRef) => (ref.format === 'parquet' ? 1024 : Math.ceil(Math.min(ref.size / 16, maxRecords)));
  const target = entry?.store ?? new ColumnStore(layout, expectedRecords(args.objects[0] ?? { size: 0 }));
  // Room for the whole call at once (a store that grows exactly by what it reads keeps ~80 B a
  // record), at most MAX_RESERVED_RECORDS ahead (a huge object grows as it is read).
  const expectedInCall = args.objects.reduce((n, ref) => n + expectedRecords(ref), 0);
  target.reserveEstimate(target.size + Math.min(maxRecords, MAX_RESERVED_RECORDS, expectedInCall));
  target.dropStaged();
  const staged = new StagedRows(target);
  const reads: ObjectRead[] = [];
  const notLoaded: S3NotLoaded = { outOfRange: 0, filtered: 0, headers: 0 };
  /** Records objects 0..i hold so far (0 without a bound: it is never needed then). */
  const heldThrough = (i: number): number => {
    if (maxRecords === Infinity) return 0;
    let n = 0;
    for (let j = 0; j <= i; j++) n += reads[j]?.out.size ?? 0;
    return n;
  };
  const reader: Reader = {
    layout,
    startIndex: layout.index.start ?? -1,
    keep: args.filters.length ? recordPredicate(layout, args.filters) : () => true,
    args,
    // Object i stops when the objects before it and itself hold maxRecords: whatever it read on
    // would land past the bound once the objects are put in order. Exact, and bounded.
    full: (i) => heldThrough(i) >= maxRecords,
    room: (i) => Math.max(0, maxRecords - heldThrough(i)),
    notLoaded,
    stallMs: ctx.stallMs ?? DEFAULT_STALL_MS,
  };
  const skipped: S3SkippedObject[] = [];
  const misfit: S3SkippedObject[] = [];
  let scanned = 0;
  let bytes = 0;
  let inflated = 0;
  let objectsRead = 0;
  let failure: RecordsError | undefined;
  let next = 0;
  const concurrency = Math.max(1, Math.min(8, Math.floor(args.concurrency ?? 4)));
  /** Objects not read, or stopped, because the records before them reached maxRecords. */
  const deferred = new Set<number>();
  /** Whether an object's records were dropped after they counted toward maxRecords (it turned out corrupt). */
  let dropped = false;
  const readOne = async (i: number): Promise<void> => {
    const ref = args.objects[i];
    if (i > 0 && reader.full(i - 1)) {
      deferred.add(i); // not needed: the records before it already reach maxRecords
      return;
    }
    if (ref.size > MAX_OBJECT_BYTES) {
      skipped.push({ key: ref.key, why: `larger than ${MAX_OBJECT_BYTES / 2 ** 30} GiB` });
      return;
    }
    // The first object writes in place (nothing precedes it); the others into their own store.
    const inPlace = i === 0 && ref.format !== 'parquet';
    if (inPlace) target.dropStaged(); // read again (the retry below): its first rows are dropped
    const obj: ObjectRead = { index: i, out: inPlace ? staged : new ColumnStore(layout, expectedRecords(ref)), inflated: 0 };
    reads[i] = obj;
    deferred.delete(i);
    try {
      const r = await (ref.format === 'parquet' ? readParquet : readText)(client, reader, ref, obj, signal);
      if (r.misfit) misfit.push({ key: ref.key, why: r.misfit });
      scanned += r.scanned;
      bytes += r.bytes;
      inflated += obj.inflated;
      objectsRead++;
      if (obj.cappedAt !== undefined)
        skipped.push({
          key: ref.key,
          why: `read only its first ${mib(obj.cappedAt)} decompressed (setting flowLogs.records.maxObjectMiB); the ${obj.out.size.toLocaleString('en')} records read from it are kept`,
        });
      else if (reader.full(i)) deferred.add(i); // it may have stopped at the bound
    } catch (err) {
      if (obj.out.size) dropped = true;
      if (inPlace) target.dropStaged();
      reads[i] = { index: i, out: new ColumnStore(layout), inflated: 0 };
      inflated += obj.inflated;
      if (err instanceof CorruptObject) {
        skipped.push({ key: ref.key, why: `corrupt or truncated: ${err.message.slice(0, 200)}` });
        return;
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
        return;
      }
      failure ??= e;
    }
  };
  const work = async () => {
    while (!failure && next < args.objects.length) await readOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, args.objects.length) }, work));
  // A corrupt object's records counted toward maxRecords while the objects after it stopped; now
  // that they are dropped, those objects are read again, in order, so no record is lost.
  if (!failure && dropped && maxRecords !== Infinity) {
    for (const i of [...deferred].sort((a, b) => a - b)) {
      if (failure || (i > 0 && reader.full(i - 1))) break;
      if (reads[i]) objectsRead--; // read again below
      await readOne(i);
    }
  }
  if (failure) {
    target.dropStaged();
    return { ok: false, error: failure, objectsRead };
  }
  objectsRead += [...deferred].filter((i) => !reads[i]).length; // not needed: counted as read
  skipped.sort((a, b) => (a.key < b.key ? -1 : 1));
  misfit.sort((a, b) => (a.key < b.key ? -1 : 1));
  // The objects after the first, in order, after its rows; then maxRecords of them are committed.
  for (const r of reads) if (r && r.out instanceof ColumnStore) target.appendStagedStore(r.out, maxRecords - target.stagedSize);
  if (entry) {
    // The records stay here, in the load's store; only counts cross. (It was dropped meanwhile: say so.)
    if (storeForAppend(args.store!.id, layout.format, false) !== entry) {
      target.dropStaged();
      return { ok: false, error: droppedStoreError(), objectsRead: 0 };
    }
    const added = target.commitStaged(maxRecords);
    const appended = { added, total: target.size, duplicates: 0, over: 0 };
    return {
      ok: true,
      packed: packRecords(layout.fields.length, []),
      scanned,
      bytes,
      inflated,
      notLoaded,
      objectsRead,
      skipped,
      misfit,
      appended,
    };
  }
  target.commitStaged(maxRecords);
  const records: FlowRecord[] = [];
  for (let j = 0; j < target.size; j++) records.push(target.record(j));
  const packed = packRecords(layout.fields.length, records);
  return { ok: true, packed, scanned, bytes, inflated, notLoaded, objectsRead, skipped, misfit };
}

function mib(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toLocaleString('en', { maximumFractionDigits: 1 })} MiB` : `${Math.round(n / 1024)} KiB`;
}
