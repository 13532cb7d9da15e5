// The emulator's S3 buckets and objects: every flow log whose destination is s3 delivers, into its
// bucket, one object per 5-minute window over the last 7 days (a few windows get two), named and
// laid out as AWS does (DestinationOptions: plain-text or parquet, Hive-compatible or not, per-hour
// or daily). Object keys are computed from the flow logs; bodies are generated on first use
// (deterministic from the seed) and kept in a small cache. The key layout here is written
// independently of src/records/s3 on purpose: a mistake there must not be mirrored here.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FlowLog } from '../../../src/shared/types';
import { hashString } from '../prng';
import { formatFields, INT32_FIELDS, INT64_FIELDS, WINDOW_MS, windowRecords } from './records';

export const RETENTION_MS = 7 * 24 * 3600_000;
/** Objects appear this long after their window ends (AWS delivers every 5 minutes, with a delay). */
export const DELIVERY_DELAY_MS = 5 * 60_000;

export type ObjectKind = 'normal' | 'corrupt' | 'large';

export interface S3Options {
  /** The clock (ms); default Date.now. Which windows exist depends on it, their contents never do. */
  now?: () => number;
  /** Records in the very large object each flow log has once per 7 days; default 50,000. */
  largeObjectRecords?: number;
  /** Policies that deny an action on a bucket (to everyone, or to one account). */
  deny?: { action: 's3:ListBucket' | 's3:GetObject'; bucket?: string; accountId?: string }[];
  /** Buckets whose objects are SSE-KMS encrypted with a key the callers may not use. */
  kmsBuckets?: string[];
  /** Buckets whose objects older than 2 days are in GLACIER (GetObject: InvalidObjectState). */
  glacierBuckets?: string[];
  /** Buckets that do not exist although flow logs point at them (NoSuchBucket). */
  missingBuckets?: string[];
  /** Buckets owned by another account than their flow logs' (a central log archive): owner and region. */
  owners?: Record<string, { accountId: string; region: string }>;
  /**
   * More files per 5-minute window for one flow log in [fromMs, toMs) (AWS splits a busy window's
   * records over several files): e.g. 180 parts over a day put 51,840 files in one daily folder.
   */
  extraParts?: { flowLogId: string; parts: number; fromMs: number; toMs: number }[];
  /** Days of objects kept (default 7): the Athena benchmark's 30-day ranges need more. */
  retentionDays?: number;
  /** Only every n-th 5-minute window has an object (default 1: every one): a long retention kept small. */
  windowStride?: number;
}

/** How much of the past the buckets hold. */
export interface Retention {
  retentionMs: number;
  windowStride: number;
}

function retentionOf(opts: Pick<S3Options, 'retentionDays' | 'windowStride'> = {}): Retention {
  const days = Number.isFinite(opts.retentionDays) && opts.retentionDays! > 0 ? opts.retentionDays! : 7;
  const stride = Number.isInteger(opts.windowStride) && opts.windowStride! > 0 ? opts.windowStride! : 1;
  return { retentionMs: days * 24 * 3600_000, windowStride: stride };
}

export interface ObjectEntry {
  key: string;
  flowLog: FlowLog;
  accountId: string;
  region: string;
  windowStart: number;
  kind: ObjectKind;
  /** Second file of the same window (AWS may deliver several). */
  part: number;
  /** Records in this file when fixed (the small extra files of `extraParts`); default 5 to 40. */
  records?: number;
  lastModified: number;
}

export interface Bucket {
  name: string;
  ownerAccountId: string;
  region: string;
  /** Sorted by key (UTF-8 byte order; every key here is ASCII); made on first use. */
  readonly objects: ObjectEntry[];
}

export interface FlowLogSource {
  accountId: string;
  region: string;
  flowLog: FlowLog;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Bucket and key prefix of an s3 LogDestination ("arn:aws:s3:::bucket/some/prefix/"). */
export function parseS3Destination(arn: string | undefined): { bucket: string; prefix: string } | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/.exec(arn ?? '');
  if (!m) return undefined;
  const folder = (m[2] ?? '').replace(/^\/+/, '');
  return { bucket: m[1], prefix: folder === '' ? '' : folder.endsWith('/') ? folder : `${folder}/` };
}

/** The key of one object, as AWS names flow log files. */
export function objectKey(src: FlowLogSource, prefix: string, windowStart: number, part: number, seed: number): string {
  const { accountId, region, flowLog } = src;
  const opts = flowLog.DestinationOptions ?? {};
  const named = new Date(windowStart + WINDOW_MS); // the file is named after the end of its window
  const [y, mo, d, h, mi] = [
    named.getUTCFullYear(),
    pad(named.getUTCMonth() + 1),
    pad(named.getUTCDate()),
    pad(named.getUTCHours()),
    pad(named.getUTCMinutes()),
  ];
  const folder = opts.HiveCompatiblePartitions
    ? `AWSLogs/aws-account-id=${accountId}/aws-service=vpcflowlogs/aws-region=${region}/year=${y}/month=${mo}/day=${d}/${opts.PerHourPartition ? `hour=${h}/` : ''}`
    : `AWSLogs/${accountId}/vpcflowlogs/${region}/${y}/${mo}/${d}/${opts.PerHourPartition ? `${h}/` : ''}`;
  const hash = hashString(`${seed}|file|${flowLog.FlowLogId}|${windowStart}|${part}`).toString(16).padStart(8, '0');
  const ext = opts.FileFormat === 'parquet' ? 'parquet' : 'log.gz';
  return `${prefix}${folder}${accountId}_vpcflowlogs_${region}_${flowLog.FlowLogId}_${y}${mo}${d}T${h}${mi}Z_${hash}.${ext}`;
}

function kindOf(flowLog: FlowLog, windowStart: number): ObjectKind {
  const w = Math.floor(windowStart / WINDOW_MS);
  const h = hashString(flowLog.FlowLogId ?? '');
  if ((h + w) % 2016 === 1007) return 'large';
  if ((h + w) % 1000 === 3) return 'corrupt';
  return 'normal';
}

/** The windows (their start, ms) that have objects at `now`: ended at least DELIVERY_DELAY_MS ago, within 7 days (or retentionMs). */
export function deliveredWindows(now: number, retentionMs = RETENTION_MS): { first: number; last: number } {
  const last = Math.floor((now - DELIVERY_DELAY_MS) / WINDOW_MS) * WINDOW_MS - WINDOW_MS;
  const first = Math.ceil((now - retentionMs) / WINDOW_MS) * WINDOW_MS;
  return { first, last };
}

/** Builds the buckets of every s3 flow log in `sources`; each bucket's object list is made on first use. */
export function buildBuckets(
  sources: FlowLogSource[],
  seed: number,
  now: number,
  extraParts: S3Options['extraParts'] = [],
  history: Pick<S3Options, 'retentionDays' | 'windowStride'> = {},
): Map<string, Bucket> {
  const retention = retentionOf(history);
  const buckets = new Map<string, Bucket>();
  const members = new Map<string, { src: FlowLogSource; prefix: string }[]>();
  for (const src of sources) {
    if (src.flowLog.LogDestinationType !== 's3') continue;
    const dest = parseS3Destination(src.flowLog.LogDestination);
    if (!dest) continue;
    let list = members.get(dest.bucket);
    if (!list) {
      const mine: { src: FlowLogSource; prefix: string }[] = [];
      list = mine;
      members.set(dest.bucket, mine);
      let objects: ObjectEntry[] | undefined;
      buckets.set(dest.bucket, {
        name: dest.bucket,
        ownerAccountId: src.accountId,
        region: src.region,
        get objects() {
          return (objects ??= bucketObjects(mine, seed, now, extraParts, retention));
        },
      });
    }
    list.push({ src, prefix: dest.prefix });
  }
  return buckets;
}

function bucketObjects(
  members: { src: FlowLogSource; prefix: string }[],
  seed: number,
  now: number,
  extraParts: NonNullable<S3Options['extraParts']>,
  retention: Retention,
): ObjectEntry[] {
  const { first, last } = deliveredWindows(now, retention.retentionMs);
  const objects: ObjectEntry[] = [];
  for (const { src, prefix } of members) {
    for (let w = first; w <= last; w += WINDOW_MS) {
      if (retention.windowStride > 1 && Math.floor(w / WINDOW_MS) % retention.windowStride !== 0) continue;
      const extra = extraParts.find((e) => e.flowLogId === src.flowLog.FlowLogId && w >= e.fromMs && w < e.toMs);
      const parts = extra ? extra.parts : hashString(`${seed}|parts|${src.flowLog.FlowLogId}|${w}`) % 10 === 0 ? 2 : 1;
      for (let part = 0; part < parts; part++) {
        const lastModified = w + WINDOW_MS + 60_000 + (hashString(`${seed}|lm|${src.flowLog.FlowLogId}|${w}|${part}`) % 180_000);
        objects.push({
          key: objectKey(src, prefix, w, part, seed),
          flowLog: src.flowLog,
          accountId: src.accountId,
          region: src.region,
          windowStart: w,
          kind: part === 0 ? kindOf(src.flowLog, w) : 'normal',
          part,
          ...(extra && part >= 2 ? { records: 1 } : {}),
          lastModified,
        });
      }
    }
  }
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The rows of an object (before any corruption), in the flow log's field order. */
export function objectRows(entry: ObjectEntry, seed: number, largeObjectRecords: number): string[][] {
  const count = entry.kind === 'large' ? largeObjectRecords : entry.records;
  return windowRecords(entry.flowLog, entry.accountId, entry.region, seed + entry.part * 7919, entry.windowStart, count);
}

/** Parquet column names as AWS writes them: the field names with underscores. */
export function parquetColumnName(field: string): string {
  return field.replace(/-/g, '_');
}

type ParquetWriteBuffer = (opts: {
  columnData: { name: string; data: unknown[]; type: string }[];
  codec?: string;
  compressors?: Record<string, (b: Uint8Array) => Uint8Array>;
  rowGroupSize?: number;
}) => ArrayBuffer;
let writer: ParquetWriteBuffer | undefined;
function parquetWriteBuffer(): ParquetWriteBuffer {
  // hyparquet-writer is an ES module; require() of ES modules works on Node >= 20.19 and in VS Code's host.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  writer ??= (require('hyparquet-writer') as { parquetWriteBuffer: ParquetWriteBuffer }).parquetWriteBuffer;
  return writer;
}

/** A Parquet file as AWS writes flow logs: one column per field, GZIP-compressed pages, "-" as null. */
export function parquetBody(fields: string[], rows: string[][]): Buffer {
  const columnData = fields.map((field, c) => {
    const int32 = INT32_FIELDS.has(field);
    const int64 = INT64_FIELDS.has(field);
    const data = rows.map((row) => {
      const v = row[c];
      if (v === '-' || v === undefined) return null;
      return int64 ? BigInt(v) : int32 ? Number(v) : v;
    });
    return { name: parquetColumnName(field), data, type: int64 ? 'INT64' : int32 ? 'INT32' : 'STRING' };
  });
  const out = parquetWriteBuffer()({
    columnData,
    codec: 'GZIP',
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input, { level: 1 })) },
    rowGroupSize: 10_000,
  });
  return Buffer.from(out);
}

/** gzip text with the header line naming the fields, as AWS writes .log.gz files. */
export function textBody(fields: string[], rows: string[][]): Buffer {
  const lines = [fields.join(' ')];
  for (const row of rows) lines.push(row.join(' '));
  return gzipSync(`${lines.join('\n')}\n`);
}

/** The bytes of an object; corrupt objects are cut short in the middle (a truncated upload). */
export function objectBody(entry: ObjectEntry, seed: number, largeObjectRecords: number): Buffer {
  const fields = formatFields(entry.flowLog.LogFormat);
  const rows = objectRows(entry, seed, largeObjectRecords);
  const body = entry.flowLog.DestinationOptions?.FileFormat === 'parquet' ? parquetBody(fields, rows) : textBody(fields, rows);
  if (entry.kind !== 'corrupt') return body;
  // Keep the first half and garble the rest: neither gunzip nor a Parquet reader can read it whole.
  const cut = Buffer.from(body.subarray(0, Math.max(8, Math.floor(body.length / 2))));
  for (let i = 10; i < cut.length; i += 7) cut[i] ^= 0x5a;
  return cut;
}

export function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}
