// The ResultSet of a load whose records live in an AWS worker (aws/worker/recordStores.ts): every
// method is one small call to that worker (the same profile and region as the reads, so the same
// worker). And MemoryResultSet: the same semantics over records held here (a column store), for a
// source that returns records. Pure: the call is injected; never imports vscode.
import type { RecordLayout } from '../shared/recordsFields';
import type { FlowRecord } from '../shared/recordsParse';
import type { ExportFormat } from '../shared/recordsExport';
import {
  MAX_WINDOW_ROWS,
  type RecordSort,
  type RecordSummary,
  type RecordWindow,
  type ResultSet,
  type WindowRow,
} from '../shared/resultSet';
import { ColumnStore } from '../shared/columns/store';
import { errorOf } from '../shared/errors';
import type { Operations, RecordStoreResult, RecordStoreTarget, StoreAppend } from '../shared/awsWorkerProtocol';

export type RecordStoreOp = 'recordsOrder' | 'recordsWindow' | 'recordsRow' | 'recordsSummary' | 'recordsExport' | 'recordsDrop';

/** One call to the worker that holds the store (aws.call with the source's profile and region). */
export type RecordStoreCall = <K extends RecordStoreOp>(
  op: K,
  args: Operations[K]['args'],
  signal?: AbortSignal,
) => Promise<Operations[K]['result']>;

/** Rows per export call at most (the worker's bound, recordStores.ts MAX_EXPORT_ROWS). */
const MAX_EXPORT_CHUNK = 10_000;

let storeCount = 0;

/** A new store id: unique in this extension host. */
export function newStoreId(): string {
  storeCount++;
  return `records-${Date.now().toString(36)}-${storeCount.toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

/** A failed call to the store, as an Error whose message says what happened. */
export class ResultSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultSetError';
  }
}

async function unwrap<T>(answer: Promise<RecordStoreResult<T>>): Promise<T> {
  let got: RecordStoreResult<T>;
  try {
    got = await answer;
  } catch (err) {
    const e = errorOf(err);
    if (e.kind === 'aborted') throw err;
    throw new ResultSetError(
      e.code === 'WorkerError' ? `The records were dropped: ${e.detail ?? e.message}; run the query again` : e.message,
    );
  }
  if (!got.ok) throw new ResultSetError(got.error.message);
  return got.value;
}

export class WorkerResultSet implements ResultSet {
  private count = 0;
  private started = false;
  private disposed = false;
  /** An order asked for before the worker had a store (the panel's sort kept across a new query): set on first use. */
  private pendingSort: { sort: RecordSort | undefined } | undefined;

  /** `layout`: the records' layout (what an empty result set answers before the first append). */
  constructor(
    private readonly call: RecordStoreCall,
    private readonly layout: RecordLayout,
    readonly storeId: string = newStoreId(),
  ) {}

  /** Before the first append the worker has no store: the answers are those of an empty one. */
  private empty(): ColumnStore | undefined {
    return this.started ? undefined : new ColumnStore(this.layout);
  }

  get size(): number {
    return this.count;
  }

  /** Where the next read appends (the first one makes the store). */
  target(): RecordStoreTarget {
    return { id: this.storeId, first: !this.started };
  }

  /** What a read appended (the source tells it). */
  appended(a: StoreAppend): void {
    this.started = true;
    this.count = a.total;
  }

  async order(sort: RecordSort | undefined, signal?: AbortSignal): Promise<number> {
    if (!this.started) {
      this.pendingSort = { sort };
      return 0;
    }
    this.pendingSort = undefined;
    this.count = await unwrap(this.call('recordsOrder', { store: this.storeId, sort }, signal));
    return this.count;
  }

  /** Sends an order asked for before the store existed (windows and export read in that order). */
  private async settleOrder(signal?: AbortSignal): Promise<void> {
    if (this.started && this.pendingSort) await this.order(this.pendingSort.sort, signal);
  }

  async window(start: number, count: number, signal?: AbortSignal): Promise<RecordWindow> {
    const none = this.empty();
    if (none) return none.window(start, count);
    await this.settleOrder(signal);
    const w = await unwrap(
      this.call('recordsWindow', { store: this.storeId, start, count: Math.max(0, Math.min(MAX_WINDOW_ROWS, count)) }, signal),
    );
    this.count = w.total;
    return w;
  }

  async row(id: number, signal?: AbortSignal): Promise<WindowRow | undefined> {
    if (!this.started) return undefined;
    return unwrap(this.call('recordsRow', { store: this.storeId, id }, signal));
  }

  async summary(signal?: AbortSignal): Promise<RecordSummary> {
    const none = this.empty();
    if (none) return none.summary();
    return unwrap(this.call('recordsSummary', { store: this.storeId }, signal));
  }

  async *exportChunks(format: ExportFormat, chunkRows: number, signal?: AbortSignal): AsyncIterable<string> {
    const none = this.empty();
    if (none) {
      const text = none.exportText(format, 0, 0);
      if (text) yield text;
      return;
    }
    await this.settleOrder(signal);
    const total = this.count;
    const n = Math.max(1, Math.min(MAX_EXPORT_CHUNK, Math.floor(chunkRows) || 1));
    let from = 0;
    do {
      const got = await unwrap(this.call('recordsExport', { store: this.storeId, format, from, count: n, total }, signal));
      if (got.text) yield got.text;
      from += n;
    } while (from < total);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.started) this.call('recordsDrop', { store: this.storeId }).catch(() => undefined);
  }
}

/**
 * A ResultSet over records held here (a source that returns records): the same column store and
 * semantics as in the worker. `records` is read on each call; records appended since are added.
 */
export class MemoryResultSet implements ResultSet {
  private store: ColumnStore;
  private seen: readonly FlowRecord[] | undefined;

  constructor(
    private readonly layout: RecordLayout,
    private readonly records: () => readonly FlowRecord[],
  ) {
    this.store = new ColumnStore(layout);
  }

  private sync(): ColumnStore {
    const recs = this.records();
    // Started over (a new array or fewer records): rebuild.
    if (recs !== this.seen || recs.length < this.store.size) {
      this.store = new ColumnStore(this.layout);
      this.seen = recs;
    }
    for (let i = this.store.size; i < recs.length; i++) this.store.appendRecord(recs[i]);
    return this.store;
  }

  get size(): number {
    return this.records().length;
  }

  async order(sort: RecordSort | undefined): Promise<number> {
    return this.sync().setOrder(sort);
  }

  async window(start: number, count: number): Promise<RecordWindow> {
    return this.sync().window(start, count);
  }

  async row(id: number): Promise<WindowRow | undefined> {
    return this.sync().row(id);
  }

  async summary(): Promise<RecordSummary> {
    return this.sync().summary();
  }

  async *exportChunks(format: ExportFormat, chunkRows: number): AsyncIterable<string> {
    const store = this.sync();
    const total = store.size;
    const n = Math.max(1, Math.floor(chunkRows) || 1);
    let from = 0;
    do {
      const text = store.exportText(format, from, n, total);
      if (text) yield text;
      from += n;
    } while (from < total);
  }

  dispose(): void {
    this.store = new ColumnStore(this.layout);
    this.seen = undefined;
  }
}
