// Splits CloudWatch Logs events into flow log records by the flow log's own LogFormat. A message
// that does not fit the format is kept and marked, never dropped. Pure: never imports vscode.
import type { RecordLayout } from './recordsFields';

/** One flow log record, as the panel and the exports use it (plain data: crosses threads). */
export interface FlowRecord {
  /** The values in layout order; "-" is "no value" (kept as written). */
  v: string[];
  /** The event's timestamp (ms since the epoch). */
  t: number;
  /** The log stream (one per network interface: "eni-…-all"). */
  s?: string;
  /** The event ID (unique within the log group). */
  id?: string;
  /** Set when the message does not fit the format: why. `raw` holds the message then. */
  bad?: string;
  raw?: string;
}

export interface RawEvent {
  message?: string;
  timestamp?: number;
  logStreamName?: string;
  eventId?: string;
}

const MAX_MESSAGE_CHARS = 16_384;

export function parseMessage(layout: RecordLayout, message: string, timestamp: number, stream?: string, id?: string): FlowRecord {
  const text = message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message;
  const trimmed = text.trim();
  const v = trimmed === '' ? [] : trimmed.split(/\s+/);
  const rec: FlowRecord = { v, t: timestamp };
  if (stream !== undefined) rec.s = stream;
  if (id !== undefined) rec.id = id;
  const want = layout.fields.length;
  if (v.length !== want) {
    rec.bad = `expected ${want} field${want === 1 ? '' : 's'}, found ${v.length}`;
    rec.raw = text;
    // Keep what can be aligned, so columns still show something; missing values are empty.
    if (v.length > want) rec.v = v.slice(0, want);
    else while (rec.v.length < want) rec.v.push('');
  } else if (message.length > MAX_MESSAGE_CHARS) {
    rec.bad = `message longer than ${MAX_MESSAGE_CHARS} characters`;
    rec.raw = text;
  } else {
    const wrongVersion = versionProblem(layout.version, v[layout.index.version ?? -1]);
    if (wrongVersion) {
      rec.bad = wrongVersion;
      rec.raw = text;
    }
  }
  return rec;
}

export function parseEvents(layout: RecordLayout, events: readonly RawEvent[]): FlowRecord[] {
  const out: FlowRecord[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    out[i] = parseMessage(
      layout,
      typeof e.message === 'string' ? e.message : '',
      typeof e.timestamp === 'number' ? e.timestamp : 0,
      e.logStreamName,
      e.eventId,
    );
  }
  return out;
}

/** The value of a field by name ("" when the layout has no such field). */
export function fieldValue(layout: RecordLayout, rec: FlowRecord, name: string): string {
  const i = layout.index[name];
  return i === undefined ? '' : (rec.v[i] ?? '');
}

/**
 * Records as a few flat arrays, for crossing from an AWS worker to the main thread: the structured
 * clone of plain strings is cheaper than that of one object and one array per record, and the
 * main thread's event loop is what the user feels.
 */
export interface PackedRecords {
  width: number;
  v: string[];
  t: number[];
  s: string[];
  id: string[];
  /** [index, why, raw message] of records that did not fit the format. */
  bad: [number, string, string][];
}

export function packRecords(width: number, recs: readonly FlowRecord[]): PackedRecords {
  const p: PackedRecords = {
    width,
    v: new Array(recs.length * width),
    t: new Array(recs.length),
    s: new Array(recs.length),
    id: new Array(recs.length),
    bad: [],
  };
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    for (let k = 0; k < width; k++) p.v[i * width + k] = r.v[k] ?? '';
    p.t[i] = r.t;
    p.s[i] = r.s ?? '';
    p.id[i] = r.id ?? '';
    if (r.bad) p.bad.push([i, r.bad, r.raw ?? '']);
  }
  return p;
}

export function unpackRecords(p: PackedRecords): FlowRecord[] {
  const n = p.t.length;
  const w = p.width;
  const out: FlowRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const rec: FlowRecord = { v: p.v.slice(i * w, i * w + w), t: p.t[i] };
    if (p.s[i]) rec.s = p.s[i];
    if (p.id[i]) rec.id = p.id[i];
    out[i] = rec;
  }
  for (const [i, why, raw] of p.bad) {
    out[i].bad = why;
    out[i].raw = raw;
  }
  return out;
}

/**
 * unpackRecords in slices of `slice` records with a yield between them: making 10,000 record
 * objects at once is a 10-80 ms task (allocation and the GC it triggers) on the extension host.
 */
export async function unpackRecordsInSlices(p: PackedRecords, slice = 1000): Promise<FlowRecord[]> {
  const n = p.t.length;
  if (n <= slice) return unpackRecords(p);
  const w = p.width;
  const out: FlowRecord[] = [];
  for (let from = 0; from < n; from += slice) {
    if (from) await new Promise<void>((resolve) => setImmediate(resolve));
    const to = Math.min(n, from + slice);
    const part: PackedRecords = {
      width: w,
      v: p.v.slice(from * w, to * w),
      t: p.t.slice(from, to),
      s: p.s.slice(from, to),
      id: p.id.slice(from, to),
      bad: p.bad.filter(([i]) => i >= from && i < to).map(([i, why, raw]) => [i - from, why, raw]),
    };
    for (const r of unpackRecords(part)) out.push(r);
  }
  return out;
}

/**
 * Packs records as they come (the S3 reader): no array of record objects is kept, so the GC does
 * not trace hundreds of thousands of them (it was ~30% of the CPU profile of a large object).
 */
export class PackedBuilder {
  readonly p: PackedRecords;
  constructor(width: number) {
    this.p = { width, v: [], t: [], s: [], id: [], bad: [] };
  }
  push(r: FlowRecord): void {
    const p = this.p;
    const i = p.t.length;
    for (let k = 0; k < p.width; k++) p.v.push(r.v[k] ?? '');
    p.t.push(r.t);
    p.s.push(r.s ?? '');
    p.id.push(r.id ?? '');
    if (r.bad) p.bad.push([i, r.bad, r.raw ?? '']);
  }
}

/** PackedRecords one after the other, as one. */
export function concatPacked(width: number, parts: readonly PackedRecords[]): PackedRecords {
  const col = <K extends 'v' | 't' | 's' | 'id'>(k: K): PackedRecords[K] =>
    ([] as unknown[]).concat(...parts.map((p) => p[k])) as PackedRecords[K];
  const bad: PackedRecords['bad'] = [];
  let base = 0;
  for (const p of parts) {
    for (const b of p.bad) bad.push([b[0] + base, b[1], b[2]]);
    base += p.t.length;
  }
  return { width, v: col('v'), t: col('t'), s: col('s'), id: col('id'), bad };
}

/** The first `n` records of a PackedRecords. */
export function slicePacked(p: PackedRecords, n: number): PackedRecords {
  return {
    width: p.width,
    v: p.v.slice(0, n * p.width),
    t: p.t.slice(0, n),
    s: p.s.slice(0, n),
    id: p.id.slice(0, n),
    bad: p.bad.filter(([i]) => i < n),
  };
}

// A record whose version contradicts its format was not written with this format (or the format
// was changed): it is marked, not dropped.
/** Why a record's version contradicts its format, or undefined when it agrees (or says nothing). */
export function versionProblem(expected: number | undefined, value: string | undefined): string | undefined {
  // Only a version number can contradict the format (other text is the decoder's to show).
  if (expected === undefined || value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  if (value === String(expected)) return undefined;
  return `record version ${value.slice(0, 20)}, but this flow log's format writes version ${expected}`;
}
