// What the S3 object readers share (the AWS worker): the read's state (Reader), one object's
// reading (ObjectRead), the range and filter check of a record (offer), the corrupt-object error
// and the stall bound of a response body. The text reader is s3Records.ts, Parquet
// parquetRecords.ts; both are called by readS3Objects (s3Records.ts).
import type { Readable } from 'node:stream';
import type { RecordLayout } from '../../shared/recordsFields';
import type { FlowRecord } from '../../shared/recordsParse';
import type { ColumnStore } from '../../shared/columns/store';
import type { S3NotLoaded, S3ReadArgs } from '../../shared/awsWorkerProtocol';

export interface Reader {
  layout: RecordLayout;
  /** Index of `start` in the layout, or -1. */
  startIndex: number;
  keep: (r: FlowRecord) => boolean;
  args: S3ReadArgs;
  /** True when the records of objects 0..i already reach args.maxRecords: object i reads no further. */
  full: (i: number) => boolean;
  /** Records object i may still add before the records of objects 0..i reach args.maxRecords (Infinity: no bound). */
  room: (i: number) => number;
  /** Why lines were read and not kept (the panel's footer). */
  notLoaded: S3NotLoaded;
  /** How long an object's body may send nothing before it is given up (the request timeout setting). */
  stallMs: number;
}

/**
 * The rows the call's first text object writes straight into the load's store, staged (no reader
 * sees them before the call commits them): no store of its own, no copy.
 */
export class StagedRows {
  constructor(readonly store: ColumnStore) {}
  get size(): number {
    return this.store.stagedSize;
  }
  appendBytes(buf: Uint8Array, starts: Int32Array, ends: Int32Array, t: number, stream: number): void {
    this.store.appendStagedBytes(buf, starts, ends, t, stream);
  }
  appendRecord(r: FlowRecord): void {
    this.store.appendStagedRecord(r);
  }
}

/** One object's reading: its records, its index in the read, what it decompressed. */
export interface ObjectRead {
  index: number;
  /**
   * Its records, as columns: its own store (appended to the load's staged rows, or packed, once the
   * objects before it are there), or, for the call's first text object, the load's staged rows themselves.
   */
  out: ColumnStore | StagedRows;
  /** Bytes decompressed (text) or fetched (Parquet). */
  inflated: number;
  /** Set when the object stopped at flowLogs.records.maxObjectMiB. */
  cappedAt?: number;
}

/** A record read from an object: checked against the range and the filters, counted, kept. */
export function offer(reader: Reader, obj: ObjectRead, rec: FlowRecord, objectTime: number): void {
  rec.t = recordTime(reader, rec, objectTime);
  if (rec.t < reader.args.startMs || rec.t >= reader.args.endMs) {
    reader.notLoaded.outOfRange++;
    return;
  }
  if (!reader.keep(rec)) {
    reader.notLoaded.filtered++;
    return;
  }
  obj.out.appendRecord(rec);
}

/** The record time (ms): its `start` field, or the object's name time when there is none. */
function recordTime(reader: Reader, rec: FlowRecord, objectTime: number): number {
  if (reader.startIndex >= 0) {
    const v = rec.v[reader.startIndex];
    if (v !== undefined && isDigits(v)) return Number(v) * 1000;
  }
  return objectTime;
}

export class CorruptObject extends Error {}

function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The body stall bound when the caller gives none (the request timeout setting's default). */
export const DEFAULT_STALL_MS = 30_000;

/**
 * Gives up a response body that sends nothing for `ms` (the SDK's request timeout ends with the
 * headers; S3 clients have no socket timeout): the body is destroyed with a TimeoutError that
 * names the setting, classified as a timeout with Retry. Returns the function that stops watching.
 */
export function watchStall(body: Readable, ms: number, key: string): () => void {
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
