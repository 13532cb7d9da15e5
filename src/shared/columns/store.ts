// The loaded records as columns, where they are parsed (the AWS worker): no object per record.
// A field of a number kind (int, port, protocol, time, tcp-flags) is a uint32 per record when it
// is written as a plain number; an address is a uint32 when it is a plain IPv4 address; anything
// else in those columns ('-', IPv6, a large number) and every text field is a code into the
// column's dictionary (a bit per record says which). The event time is a Float64, the log stream
// or S3 key a dictionary code; why a line did not fit (and the line) is sparse. Values come back
// exactly as written. Sorting, windows, the summary and export run here (ResultSet semantics,
// records/resultSet.ts). Pure: no vscode, no Node APIs.
import type { FieldKind, RecordLayout } from '../recordsFields';
import type { FlowRecord } from '../recordsParse';
import { exportRange, type ExportFormat } from '../recordsExport';
import type { RecordSort, RecordSummary, RecordWindow, WindowRow } from '../resultSet';
import { MAX_WINDOW_ROWS } from '../resultSet';
import { Dictionary } from './dictionary';

/** How a column holds its values. */
export const enum ColumnKind {
  /** uint32 when a plain decimal number (no sign, no leading zero, < 2^32), else a dictionary code. */
  Number = 0,
  /** uint32 when a plain dotted IPv4 address, else a dictionary code. */
  Address = 1,
  /** Always a dictionary code. */
  Text = 2,
}

export function columnKindOf(kind: FieldKind): ColumnKind {
  if (kind === 'address') return ColumnKind.Address;
  if (kind === 'text') return ColumnKind.Text;
  return ColumnKind.Number;
}

/** Kinds that sort as numbers (as the page always did: media/records.js numericKind). */
const NUMERIC_SORT: ReadonlySet<FieldKind> = new Set<FieldKind>(['int', 'port', 'time', 'protocol', 'tcpFlags']);

export class Column {
  vals: Uint32Array;
  /** Bit i set: vals[i] is a dictionary code (Number and Address columns only). */
  coded: Uint8Array;
  readonly dict = new Dictionary();
  constructor(
    readonly kind: ColumnKind,
    capacity: number,
  ) {
    this.vals = new Uint32Array(capacity);
    this.coded = new Uint8Array(kind === ColumnKind.Text ? 0 : (capacity + 7) >> 3);
  }

  grow(capacity: number): void {
    const vals = new Uint32Array(capacity);
    vals.set(this.vals);
    this.vals = vals;
    if (this.kind !== ColumnKind.Text) {
      const coded = new Uint8Array((capacity + 7) >> 3);
      coded.set(this.coded);
      this.coded = coded;
    }
  }

  isCoded(i: number): boolean {
    return this.kind === ColumnKind.Text || (this.coded[i >> 3] & (1 << (i & 7))) !== 0;
  }

  value(i: number): string {
    const v = this.vals[i];
    if (this.isCoded(i)) return this.dict.values[v];
    if (this.kind === ColumnKind.Address) return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    return String(v);
  }

  /** Sets row i from a string. */
  setString(i: number, s: string): void {
    if (this.kind !== ColumnKind.Text) {
      const raw = this.kind === ColumnKind.Number ? plainNumber(s) : plainIpv4(s);
      if (raw >= 0) {
        this.vals[i] = raw;
        this.coded[i >> 3] &= ~(1 << (i & 7));
        return;
      }
      this.coded[i >> 3] |= 1 << (i & 7);
    }
    this.vals[i] = this.dict.codeOf(s);
  }

  /** Sets row i from the ASCII bytes [from, to) of buf (printable, no space). */
  setBytes(i: number, buf: Uint8Array, from: number, to: number): void {
    if (this.kind !== ColumnKind.Text) {
      const raw = this.kind === ColumnKind.Number ? plainNumberBytes(buf, from, to) : plainIpv4Bytes(buf, from, to);
      if (raw >= 0) {
        this.vals[i] = raw;
        this.coded[i >> 3] &= ~(1 << (i & 7));
        return;
      }
      this.coded[i >> 3] |= 1 << (i & 7);
    }
    this.vals[i] = this.dict.codeOfBytes(buf, from, to);
  }
}

/** A plain decimal number < 2^32 ("0", "443"; not "0443", "-1", "1e3"), or -1. */
export function plainNumber(s: string): number {
  const n = s.length;
  if (n === 0 || n > 10) return -1;
  const c0 = s.charCodeAt(0);
  if (c0 === 48 && n > 1) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= 0xffffffff ? v : -1;
}

export function plainNumberBytes(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n === 0 || n > 10 || (b[from] === 48 && n > 1)) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= 0xffffffff ? v : -1;
}

/** A plain dotted IPv4 address (four parts 0-255, no leading zeros) as a uint32, or -1. */
export function plainIpv4(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || parts === 4) return -1;
      v = v * 256 + part;
      parts++;
      part = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && part === 0)) return -1;
    part = part * 10 + d;
    if (++digits > 3 || part > 255) return -1;
  }
  return parts === 4 ? v : -1;
}

export function plainIpv4Bytes(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : b[i];
    if (c === 46) {
      if (digits === 0 || parts === 4) return -1;
      v = v * 256 + part;
      parts++;
      part = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && part === 0)) return -1;
    part = part * 10 + d;
    if (++digits > 3 || part > 255) return -1;
  }
  return parts === 4 ? v : -1;
}

const INITIAL_CAPACITY = 1024;
/** Distinct addresses the summary counts at most (as the page did). */
const MAX_DISTINCT = 1e6;

export class ColumnStore {
  readonly width: number;
  readonly columns: Column[];
  private capacity: number;
  private count = 0;
  t: Float64Array;
  /** The log stream / S3 key of each record (code into `streams`; 0 = none). */
  s: Uint32Array;
  readonly streams = new Dictionary();
  /** Why a record did not fit the format, and its line. */
  readonly bad = new Map<number, { why: string; raw: string }>();
  /** The current order (rows by position), undefined: load order. */
  private sort: RecordSort | undefined;
  private order: Uint32Array | undefined;
  private summaryCache: { n: number; summary: RecordSummary } | undefined;
  /** Rows written past `count` by a read under way (appendStaged*): no reader sees them before commitStaged. */
  private staged = 0;
  /** The bad lines of the staged rows (moved to `bad` by commitStaged). */
  private readonly stagedBad = new Map<number, { why: string; raw: string }>();

  /** `capacity`: records expected (room is made for them at once; more grow by doubling). */
  constructor(
    readonly layout: RecordLayout,
    capacity = INITIAL_CAPACITY,
  ) {
    this.width = layout.fields.length;
    this.capacity = Math.max(16, Math.min(1 << 24, Math.floor(capacity) || INITIAL_CAPACITY));
    this.t = new Float64Array(this.capacity);
    this.s = new Uint32Array(this.capacity);
    this.columns = layout.fields.map((f) => new Column(columnKindOf(f.kind), this.capacity));
    this.streams.codeOf(''); // code 0: no stream
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held (typed arrays and dictionaries; the bad lines' text counted by length). */
  get byteSize(): number {
    let n = this.t.byteLength + this.s.byteLength + this.streams.byteSize + (this.order?.byteLength ?? 0);
    for (const c of this.columns) n += c.vals.byteLength + c.coded.byteLength + c.dict.byteSize;
    for (const b of this.bad.values()) n += 64 + 2 * (b.why.length + b.raw.length);
    return n;
  }

  private room(): number {
    // A visible append would write over the staged rows of a read under way.
    if (this.staged) throw new Error('records are being appended to this store by a read under way');
    const i = this.count;
    if (i === this.capacity) this.reserve(i + 1);
    return i;
  }

  /**
   * Makes room for `n` records at least, in one step: exactly `n` when that at least doubles the
   * room (a read sized by its objects), else double (appends one by one stay amortized).
   */
  reserve(n: number): void {
    this.grow(n > this.capacity ? Math.max(Math.ceil(n), this.capacity * 2) : 0);
  }

  /**
   * Room for `n` records, exactly `n` when it grows: a read's estimate of what it will add (doubling
   * past an estimate would leave up to half the store unused, e.g. after a call whose objects hold
   * nothing in the range).
   */
  reserveEstimate(n: number): void {
    this.grow(Math.ceil(n));
  }

  private grow(n: number): void {
    if (n > this.capacity) {
      this.capacity = n;
      const t = new Float64Array(this.capacity);
      t.set(this.t);
      this.t = t;
      const s = new Uint32Array(this.capacity);
      s.set(this.s);
      this.s = s;
      for (const c of this.columns) c.grow(this.capacity);
    }
  }

  /** Appends a parsed record (its values as strings). */
  appendRecord(r: FlowRecord): number {
    const i = this.room();
    this.writeRecord(i, r, this.bad);
    this.count = i + 1;
    return i;
  }

  private writeRecord(i: number, r: FlowRecord, bad: Map<number, { why: string; raw: string }>): void {
    for (let k = 0; k < this.width; k++) this.columns[k].setString(i, r.v[k] ?? '');
    this.t[i] = r.t;
    this.s[i] = r.s ? this.streams.codeOf(r.s) : 0;
    if (r.bad) bad.set(i, { why: r.bad, raw: r.raw ?? '' });
  }

  /**
   * Appends a regular line from bytes: field k is buf[starts[k], ends[k]) (printable ASCII, no
   * spaces; the caller checked the count and the version).
   */
  appendBytes(buf: Uint8Array, starts: Int32Array, ends: Int32Array, t: number, stream: number): number {
    const i = this.room();
    this.writeBytes(i, buf, starts, ends, t, stream);
    this.count = i + 1;
    return i;
  }

  private writeBytes(i: number, buf: Uint8Array, starts: Int32Array, ends: Int32Array, t: number, stream: number): void {
    const cols = this.columns;
    for (let k = 0; k < this.width; k++) cols[k].setBytes(i, buf, starts[k], ends[k]);
    this.t[i] = t;
    this.s[i] = stream;
  }

  /** The first `n` records of another store (same layout), appended in order. */
  appendStore(other: ColumnStore, n = other.size): void {
    const count = Math.max(0, Math.min(n, other.size));
    if (!count) return;
    const base = this.room();
    this.copyRows(base, other, count, this.bad);
    this.count = base + count;
  }

  /** Writes the first `count` rows of `other` at rows base.. (room made here). */
  private copyRows(base: number, other: ColumnStore, count: number, bad: Map<number, { why: string; raw: string }>): void {
    this.reserve(base + count);
    this.t.set(other.t.subarray(0, count), base);
    const streamMap = other.streams.values.map((v) => this.streams.codeOf(v));
    for (let j = 0; j < count; j++) this.s[base + j] = streamMap[other.s[j]];
    for (let k = 0; k < this.width; k++) {
      const src = other.columns[k];
      const dst = this.columns[k];
      const map = Uint32Array.from(src.dict.values, (v) => dst.dict.codeOf(v));
      let identity = true;
      for (let c = 0; c < map.length && identity; c++) identity = map[c] === c;
      dst.vals.set(src.vals.subarray(0, count), base);
      if (dst.kind === ColumnKind.Text) {
        if (!identity) for (let i = base; i < base + count; i++) dst.vals[i] = map[dst.vals[i]];
        continue;
      }
      // The coded bits, a byte at a time (shifted to row base), then the codes of the coded rows
      // mapped to this dictionary. Bits copied past row base + count are stale: every write of a
      // row sets or clears its bit.
      const bytes = (count + 7) >> 3;
      const shift = base & 7;
      const at = base >> 3;
      if (shift === 0) dst.coded.set(src.coded.subarray(0, bytes), at);
      else {
        let carry = dst.coded[at] & ((1 << shift) - 1); // the rows before base keep their bits
        for (let b = 0; b < bytes; b++) {
          const v = src.coded[b];
          dst.coded[at + b] = carry | ((v << shift) & 255);
          carry = v >> (8 - shift);
        }
        if (at + bytes < dst.coded.length) dst.coded[at + bytes] = carry;
      }
      if (identity) continue;
      for (let b = 0; b < bytes; b++) {
        const v = src.coded[b];
        if (v === 0) continue;
        for (let j = b << 3, end = Math.min(count, j + 8); j < end; j++) if (v & (1 << (j & 7))) dst.vals[base + j] = map[src.vals[j]];
      }
    }
    for (const [j, b] of other.bad) if (j < count) bad.set(base + j, b);
  }

  /** Drops every record after the first `n`. */
  truncate(n: number): void {
    if (n >= this.count) return;
    this.count = Math.max(0, n);
    for (const j of [...this.bad.keys()]) if (j >= this.count) this.bad.delete(j);
    this.order = undefined;
    this.summaryCache = undefined;
  }

  /** The value of field k of row i, as written. */
  value(i: number, k: number): string {
    return this.columns[k].value(i);
  }

  /** Row i (load order) as a FlowRecord. */
  record(i: number): FlowRecord {
    const v: string[] = new Array(this.width);
    for (let k = 0; k < this.width; k++) v[k] = this.columns[k].value(i);
    const r: FlowRecord = { v, t: this.t[i] };
    if (this.s[i]) r.s = this.streams.values[this.s[i]];
    const b = this.bad.get(i);
    if (b) {
      r.bad = b.why;
      r.raw = b.raw;
    }
    return r;
  }

  windowRow(i: number): WindowRow {
    const r = this.record(i);
    const row: WindowRow = { id: i, t: r.t, v: r.v };
    if (r.s !== undefined) row.s = r.s;
    if (r.bad !== undefined) {
      row.bad = r.bad;
      row.raw = r.raw;
    }
    return row;
  }

  /** Sets the order; undefined or an unknown key: load order. Returns the row count. */
  setOrder(sort: RecordSort | undefined): number {
    const known = sort && (sort.key === '@time' || this.keyIndex(sort.key) !== undefined);
    this.sort = sort && known ? { key: sort.key, descending: !!sort.descending } : undefined;
    this.order = undefined;
    return this.count;
  }

  /** The field a sort key names: a field name (its first occurrence), or a field's index. */
  private keyIndex(key: string): number | undefined {
    return this.layout.index[key] ?? (/^\d{1,4}$/.test(key) && Number(key) < this.width ? Number(key) : undefined);
  }

  /** Row (load-order index) at position p of the current order. */
  rowAt(p: number): number {
    const order = this.currentOrder();
    return order ? order[p] : p;
  }

  private currentOrder(): Uint32Array | undefined {
    if (!this.sort) return undefined;
    if (this.order && this.order.length === this.count) return this.order;
    this.order = this.sorted(this.sort);
    return this.order;
  }

  private sorted(sort: RecordSort): Uint32Array | undefined {
    const n = this.count;
    const dir = sort.descending ? -1 : 1;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let k = -1;
    if (sort.key !== '@time') {
      const at = this.keyIndex(sort.key);
      if (at === undefined) return undefined;
      k = at;
    }
    const numeric = k < 0 || NUMERIC_SORT.has(this.layout.fields[k].kind);
    if (numeric) {
      const keys = new Float64Array(n);
      if (k < 0) keys.set(this.t.subarray(0, n));
      else {
        const col = this.columns[k];
        const dictKeys = col.dict.values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : -Infinity));
        for (let i = 0; i < n; i++) keys[i] = col.isCoded(i) ? dictKeys[col.vals[i]] : col.vals[i];
      }
      order.sort((a, b) => {
        const x = keys[a];
        const y = keys[b];
        return x < y ? -dir : x > y ? dir : a - b;
      });
      return order;
    }
    const col = this.columns[k];
    if (col.kind === ColumnKind.Text) {
      // Rank the dictionary once; rows compare by rank (the same as comparing their strings).
      const values = col.dict.values;
      const byValue = values.map((_, c) => c).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
      const rank = new Uint32Array(values.length);
      byValue.forEach((c, r) => (rank[c] = r));
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = rank[col.vals[i]];
      order.sort((a, b) => {
        const x = keys[a];
        const y = keys[b];
        return x < y ? -dir : x > y ? dir : a - b;
      });
      return order;
    }
    const keys: string[] = new Array(n);
    for (let i = 0; i < n; i++) keys[i] = col.value(i);
    order.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      return x < y ? -dir : x > y ? dir : a - b;
    });
    return order;
  }

  /** Rows [start, start + count) in the current order (count clamped to MAX_WINDOW_ROWS). */
  window(start: number, count: number): RecordWindow {
    const total = this.count;
    const from = Math.max(0, Math.min(total, Math.floor(Number.isFinite(start) ? start : 0)));
    const want = Math.max(0, Math.min(MAX_WINDOW_ROWS, Math.floor(Number.isFinite(count) ? count : 0)));
    const to = Math.min(total, from + want);
    const rows: WindowRow[] = [];
    for (let p = from; p < to; p++) rows.push(this.windowRow(this.rowAt(p)));
    return { start: from, total, rows };
  }

  /** One row by its id (load order). */
  row(id: number): WindowRow | undefined {
    return Number.isInteger(id) && id >= 0 && id < this.count ? this.windowRow(id) : undefined;
  }

  summary(): RecordSummary {
    if (this.summaryCache?.n === this.count) return this.summaryCache.summary;
    const n = this.count;
    const ix = this.layout.index;
    const s: RecordSummary = { records: n, noData: 0, bad: this.bad.size };
    if (ix.bytes !== undefined) {
      const col = this.columns[ix.bytes];
      const dictBytes = col.dict.values.map((v) => (/^\d+$/.test(v) ? Number(v) : 0));
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.isCoded(i) ? dictBytes[col.vals[i]] : col.vals[i];
      s.bytes = sum;
    }
    if (ix.action !== undefined) {
      const col = this.columns[ix.action];
      const accept = col.dict.find('ACCEPT');
      const reject = col.dict.find('REJECT');
      let a = 0;
      let r = 0;
      for (let i = 0; i < n; i++) {
        if (!col.isCoded(i)) continue;
        const c = col.vals[i];
        if (c === accept) a++;
        else if (c === reject) r++;
      }
      s.accepted = a;
      s.rejected = r;
    }
    if (ix['log-status'] !== undefined) {
      const col = this.columns[ix['log-status']];
      const ok = col.dict.find('OK');
      let nd = 0;
      for (let i = 0; i < n; i++) if (!col.isCoded(i) || col.vals[i] !== ok) nd++;
      s.noData = nd;
    }
    if (n) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const t = this.t[i];
        if (t < min) min = t;
        if (t > max) max = t;
      }
      s.minT = min;
      s.maxT = max;
    }
    if (ix.srcaddr !== undefined) s.sources = this.distinct(ix.srcaddr);
    if (ix.dstaddr !== undefined) s.destinations = this.distinct(ix.dstaddr);
    this.summaryCache = { n, summary: s };
    return s;
  }

  /** Distinct values of field k (counting stops at MAX_DISTINCT, as the page's did). */
  private distinct(k: number): number {
    const col = this.columns[k];
    const raw = new Set<number>();
    const coded = new Set<number>();
    for (let i = 0; i < this.count && raw.size + coded.size < MAX_DISTINCT; i++) (col.isCoded(i) ? coded : raw).add(col.vals[i]);
    return raw.size + coded.size;
  }

  /** Export text of rows [from, from + count) in the current order (see records/export.ts exportRange). */
  exportText(format: ExportFormat, from: number, count: number, of = this.count): string {
    const total = Math.max(0, Math.min(this.count, Math.floor(of)));
    const a = Math.max(0, Math.min(total, Math.floor(from)));
    const b = Math.max(a, Math.min(total, a + Math.floor(count)));
    return exportRange(this.layout, (p) => this.record(this.rowAt(p)), format, a, b, total);
  }

  /** Records the arrays have room for (used or not): what the store's memory is sized by. */
  get allocated(): number {
    return this.capacity;
  }

  /** Rows staged by a read under way (appended past `size`, seen by no reader yet). */
  get stagedSize(): number {
    return this.staged;
  }

  private stagedRoom(): number {
    const i = this.count + this.staged;
    if (i >= this.capacity) this.reserve(i + 1);
    return i;
  }

  /** appendBytes, staged. */
  appendStagedBytes(buf: Uint8Array, starts: Int32Array, ends: Int32Array, t: number, stream: number): void {
    this.writeBytes(this.stagedRoom(), buf, starts, ends, t, stream);
    this.staged++;
  }

  /** appendRecord, staged. */
  appendStagedRecord(r: FlowRecord): void {
    this.writeRecord(this.stagedRoom(), r, this.stagedBad);
    this.staged++;
  }

  /** appendStore, staged. */
  appendStagedStore(other: ColumnStore, n = other.size): void {
    const count = Math.max(0, Math.min(n, other.size));
    if (!count) return;
    this.copyRows(this.count + this.staged, other, count, this.stagedBad);
    this.staged += count;
  }

  /** Makes the first `n` staged rows (all by default) part of the store and drops the rest. Returns how many. */
  commitStaged(n = this.staged): number {
    const k = Math.max(0, Math.min(this.staged, Math.floor(n)));
    const end = this.count + k;
    for (const [i, b] of this.stagedBad) if (i < end) this.bad.set(i, b);
    this.dropStaged();
    this.count = end;
    return k;
  }

  /** Drops the staged rows (a read that failed). */
  dropStaged(): void {
    this.staged = 0;
    this.stagedBad.clear();
  }

  /**
   * Appends `count` records given as columns of decoded values (a Parquet slice's column chunks):
   * field k of record j is `values[k][offsets[k] + rows[j]]`, stored exactly as `appendRecord`
   * stores `String(x)` (null, undefined or no column: '-'), but a plain number goes straight into
   * the column's typed array and a string already seen in the column is one Map lookup (no
   * string made per value). `t[j]` is record j's time; `bad` marks every record (a schema without
   * the format's fields).
   */
  appendValues(
    values: readonly (ArrayLike<unknown> | undefined)[],
    offsets: ArrayLike<number>,
    rows: Uint32Array,
    count: number,
    t: Float64Array,
    bad?: string,
  ): void {
    if (count <= 0) return;
    // A visible append would write over the staged rows of a read under way.
    if (this.staged) throw new Error('records are being appended to this store by a read under way');
    const base = this.count;
    this.reserve(base + count);
    for (let k = 0; k < this.width; k++) appendColumnValues(this.columns[k], values[k], offsets[k] ?? 0, rows, count, base);
    this.t.set(t.subarray(0, count), base);
    this.s.fill(0, base, base + count);
    if (bad !== undefined) for (let j = 0; j < count; j++) this.bad.set(base + j, { why: bad, raw: '' });
    this.count = base + count;
  }
}

/**
 * Rows [base, base + count) of `col` from decoded values (see ColumnStore.appendValues). A string
 * equal to the one before (hyparquet hands a dictionary page's values as the same strings) reuses
 * what that one stored: a raw value (>= 0) or a dictionary code (-1 - code).
 */
function appendColumnValues(
  col: Column,
  src: ArrayLike<unknown> | undefined,
  offset: number,
  rows: Uint32Array,
  count: number,
  base: number,
): void {
  const vals = col.vals;
  const coded = col.coded;
  const kind = col.kind;
  if (!src) {
    const code = col.dict.codeOf('-');
    vals.fill(code, base, base + count);
    if (kind !== ColumnKind.Text) for (let i = base; i < base + count; i++) coded[i >> 3] |= 1 << (i & 7);
    return;
  }
  let last: string | undefined;
  let lastStored = 0;
  for (let j = 0; j < count; j++) {
    const i = base + j;
    const x = src[offset + rows[j]];
    let stored: number;
    if (typeof x === 'string') {
      if (x !== last) {
        const raw = kind === ColumnKind.Number ? plainNumber(x) : kind === ColumnKind.Address ? plainIpv4(x) : -1;
        lastStored = raw >= 0 ? raw : -1 - col.dict.codeOf(x);
        last = x;
      }
      stored = lastStored;
    } else if (kind === ColumnKind.Number && typeof x === 'number' && x >>> 0 === x) {
      stored = x; // a Parquet INT32 that String() writes as a plain number
    } else if (kind === ColumnKind.Number && typeof x === 'bigint' && x >= 0n && x <= 0xffffffffn) {
      stored = Number(x); // INT64
    } else {
      col.setString(i, x === null || x === undefined ? '-' : String(x));
      continue;
    }
    if (stored >= 0) {
      vals[i] = stored;
      coded[i >> 3] &= ~(1 << (i & 7));
    } else {
      vals[i] = -1 - stored;
      if (kind !== ColumnKind.Text) coded[i >> 3] |= 1 << (i & 7);
    }
  }
}

/** Longest line the fast path takes (longer ones go through parseMessage, which marks them). */
const MAX_REGULAR_LINE = 16_384;

/**
 * Whether bytes [from, to) are a regular record line, as AWS writes them: `width` fields of
 * printable ASCII separated by single spaces, at most 16,384 bytes, and a version field that does
 * not contradict the format (`versionAt` the field's index or -1, `version` the expected digits).
 * Fills starts/ends with the fields. Anything else goes through parseMessage (marked there).
 */
export function regularLine(
  buf: Uint8Array,
  from: number,
  to: number,
  width: number,
  starts: Int32Array,
  ends: Int32Array,
  versionAt: number,
  version: string | undefined,
): boolean {
  if (to - from > MAX_REGULAR_LINE || to <= from) return false;
  let k = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 32) {
      if (i === start || k >= width - 1) return false;
      starts[k] = start;
      ends[k] = i;
      k++;
      start = i + 1;
    } else if (c < 33 || c > 126) return false;
  }
  if (start === to || k !== width - 1) return false;
  starts[k] = start;
  ends[k] = to;
  if (versionAt >= 0 && version !== undefined) {
    const a = starts[versionAt];
    const b = ends[versionAt];
    if (b - a <= 9) {
      let digits = true;
      for (let i = a; i < b; i++) if (buf[i] < 48 || buf[i] > 57) digits = false;
      if (digits) {
        if (b - a !== version.length) return false;
        for (let i = 0; i < version.length; i++) if (buf[a + i] !== version.charCodeAt(i)) return false;
      }
    }
  }
  return true;
}
