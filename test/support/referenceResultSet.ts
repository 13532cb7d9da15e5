// A reference ResultSet over FlowRecord[] (test-only, never shipped): the sort and summary rules
// written straight from their definition, the oracle the product's result sets (the AWS worker's
// column store, MemoryResultSet) are checked against and the page benchmark's simulated host.
// Sort: '@time' and fields of kind int/port/time/protocol/tcpFlags compare as numbers, a
// non-numeric value there is -Infinity, other fields as strings, ties by load order, descending
// flips. Summary: records, bytes, ACCEPT/REJECT, log-status not OK, bad lines, time span, distinct
// sources and destinations.
import type { RecordLayout } from '../../src/shared/recordsFields';
import type { FlowRecord } from '../../src/shared/recordsParse';
import { exportChunks, type ExportFormat } from '../../src/shared/recordsExport';
import {
  MAX_WINDOW_ROWS,
  type RecordSort,
  type RecordSummary,
  type RecordWindow,
  type ResultSet,
  type WindowRow,
} from '../../src/shared/resultSet';

const NUMERIC_KINDS = new Set(['int', 'port', 'time', 'protocol', 'tcpFlags']);
/** Distinct addresses counted at most (the summary says "at least" beyond it). */
const MAX_DISTINCT = 1_000_000;

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The operation was aborted', 'AbortError');
}

/** The sort key of one record, or undefined when the sort names no known column. */
export function sortKeyOf(layout: RecordLayout, key: string): ((r: FlowRecord) => number | string) | undefined {
  if (key === '@time') return (r) => r.t;
  const i = layout.fields.findIndex((f) => f.name === key);
  if (i < 0) return undefined;
  if (NUMERIC_KINDS.has(layout.fields[i].kind))
    return (r) => {
      const v = r.v[i];
      return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : -Infinity;
    };
  return (r) => String(r.v[i] ?? '');
}

/** Load-order indexes of `records` in the order of `sort` (stable: ties by load order). */
export function sortedOrder(layout: RecordLayout, records: readonly FlowRecord[], sort: RecordSort | undefined): Uint32Array {
  const n = records.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const keyOf = sort ? sortKeyOf(layout, sort.key) : undefined;
  if (!sort || !keyOf) return order;
  const keys = new Array<number | string>(n);
  for (let i = 0; i < n; i++) keys[i] = keyOf(records[i]);
  const dir = sort.descending ? -1 : 1;
  const idx = Array.from(order);
  idx.sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    return x < y ? -dir : x > y ? dir : a - b;
  });
  order.set(idx);
  return order;
}

export function windowRow(r: FlowRecord, id: number): WindowRow {
  const row: WindowRow = { id, t: r.t, v: r.v };
  if (r.s !== undefined) row.s = r.s;
  if (r.bad) {
    row.bad = r.bad;
    row.raw = r.raw ?? '';
  }
  return row;
}

/**
 * The summary bar, kept as records are added (the loaded array only grows): `add` counts the
 * records not counted yet, `value` is the summary of every record counted.
 */
export class SummaryCounter {
  private records = 0;
  private noData = 0;
  private bad = 0;
  private bytes = 0;
  private accepted = 0;
  private rejected = 0;
  private minT = Infinity;
  private maxT = -Infinity;
  private readonly src = new Set<string>();
  private readonly dst = new Set<string>();
  private readonly bi: number;
  private readonly ai: number;
  private readonly li: number;
  private readonly si: number;
  private readonly di: number;

  constructor(layout: RecordLayout) {
    const ix = layout.index;
    const at = (name: string) => (Object.prototype.hasOwnProperty.call(ix, name) ? ix[name] : -1);
    this.bi = at('bytes');
    this.ai = at('action');
    this.li = at('log-status');
    this.si = at('srcaddr');
    this.di = at('dstaddr');
  }

  /** Counts records[counted..] (the ones added since the last call). */
  add(records: readonly FlowRecord[]): void {
    const { bi, ai, li, si, di } = this;
    for (let i = this.records; i < records.length; i++) {
      const r = records[i];
      this.records++;
      if (r.bad) this.bad++;
      if (bi >= 0 && /^\d+$/.test(r.v[bi] ?? '')) this.bytes += Number(r.v[bi]);
      if (ai >= 0) {
        if (r.v[ai] === 'ACCEPT') this.accepted++;
        else if (r.v[ai] === 'REJECT') this.rejected++;
      }
      if (li >= 0 && r.v[li] !== 'OK') this.noData++;
      if (r.t < this.minT) this.minT = r.t;
      if (r.t > this.maxT) this.maxT = r.t;
      if (si >= 0 && this.src.size < MAX_DISTINCT) this.src.add(r.v[si]);
      if (di >= 0 && this.dst.size < MAX_DISTINCT) this.dst.add(r.v[di]);
    }
  }

  get value(): RecordSummary {
    const s: RecordSummary = { records: this.records, noData: this.noData, bad: this.bad };
    if (this.bi >= 0) s.bytes = this.bytes;
    if (this.ai >= 0) {
      s.accepted = this.accepted;
      s.rejected = this.rejected;
    }
    if (this.records) {
      s.minT = this.minT;
      s.maxT = this.maxT;
    }
    if (this.si >= 0) s.sources = this.src.size;
    if (this.di >= 0) s.destinations = this.dst.size;
    return s;
  }
}

/** The summary bar of `records` (every loaded record). */
export function summarize(layout: RecordLayout, records: readonly FlowRecord[]): RecordSummary {
  const c = new SummaryCounter(layout);
  c.add(records);
  return c.value;
}

export class ArrayResultSet implements ResultSet {
  private sort: RecordSort | undefined;
  private order_: Uint32Array | undefined;
  private orderedSize = 0;
  private readonly counter: SummaryCounter;

  /** `records` is the loader's array: it grows while a load runs (never shrinks: a new load makes a new set). */
  constructor(
    private readonly layout: RecordLayout,
    private readonly records: readonly FlowRecord[],
  ) {
    this.counter = new SummaryCounter(layout);
  }

  get size(): number {
    return this.records.length;
  }

  private currentOrder(): Uint32Array | undefined {
    if (!this.sort) return undefined;
    if (!this.order_ || this.orderedSize !== this.records.length) {
      this.order_ = sortedOrder(this.layout, this.records, this.sort);
      this.orderedSize = this.records.length;
    }
    return this.order_;
  }

  async order(sort: RecordSort | undefined, signal?: AbortSignal): Promise<number> {
    aborted(signal);
    this.sort = sort && sortKeyOf(this.layout, sort.key) ? { key: sort.key, descending: sort.descending } : undefined;
    this.order_ = undefined;
    this.currentOrder();
    return this.records.length;
  }

  async window(start: number, count: number, signal?: AbortSignal): Promise<RecordWindow> {
    aborted(signal);
    const total = this.records.length;
    const from = Math.max(0, Math.min(total, Math.floor(Number.isFinite(start) ? start : 0)));
    const n = Math.max(0, Math.min(MAX_WINDOW_ROWS, total - from, Math.floor(Number.isFinite(count) ? count : 0)));
    const order = this.currentOrder();
    const rows: WindowRow[] = [];
    for (let i = from; i < from + n; i++) {
      const id = order ? order[i] : i;
      rows.push(windowRow(this.records[id], id));
    }
    return { start: from, total, rows };
  }

  async row(id: number, signal?: AbortSignal): Promise<WindowRow | undefined> {
    aborted(signal);
    const r = Number.isSafeInteger(id) && id >= 0 ? this.records[id] : undefined;
    return r && windowRow(r, id);
  }

  async summary(signal?: AbortSignal): Promise<RecordSummary> {
    aborted(signal);
    this.counter.add(this.records);
    return this.counter.value;
  }

  async *exportChunks(format: ExportFormat, chunkRows: number, signal?: AbortSignal): AsyncIterable<string> {
    const order = this.currentOrder();
    const n = this.records.length;
    const rows: FlowRecord[] = new Array<FlowRecord>(n);
    for (let i = 0; i < n; i++) rows[i] = this.records[order ? order[i] : i];
    for (const chunk of exportChunks(this.layout, rows, format, Math.max(1, Math.floor(chunkRows) || 1))) {
      aborted(signal);
      yield chunk;
    }
  }

  dispose(): void {
    this.order_ = undefined;
  }
}
