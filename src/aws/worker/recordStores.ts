// The loaded result sets of the records panels, kept in the AWS worker that read them (as
// column stores: records/columns/store.ts), keyed by an id the extension host chooses. The host
// asks for windows, the order, one row, the summary and export text; only those cross. A worker
// keeps at most MAX_STORES (the least recently used is dropped); a call on a dropped or unknown
// store answers an error value that says so.
import { recordLayout } from '../../shared/recordsFields';
import { ColumnStore } from '../../shared/columns/store';
import { EventIdSet } from './eventIds';
import type { RecordsError } from '../../shared/recordsErrors';
import type {
  RecordStoreArgs,
  RecordStoreResult,
  RecordsExportArgs,
  RecordsOrderArgs,
  RecordsRowArgs,
  RecordsWindowArgs,
} from '../../shared/awsWorkerProtocol';
import type { RecordSummary, RecordWindow, WindowRow } from '../../shared/resultSet';

/** Result sets one worker keeps at most. */
export const MAX_STORES = 8;

export const DROPPED_STORE_MESSAGE =
  'The records were dropped (the AWS worker restarted, or too many records panels are open); run the query again';

interface Entry {
  store: ColumnStore;
  /** Event IDs loaded (CloudWatch Logs): an event is kept once across the whole load. */
  seen: EventIdSet;
}

/** Insertion order = use order (an entry used is moved to the end). */
const stores = new Map<string, Entry>();

export function droppedStoreError(): RecordsError {
  return { kind: 'unknown', code: 'StoreDropped', message: DROPPED_STORE_MESSAGE, actions: ['retry'] };
}

/** The store of `id` for appending: made on first use (with this format), or undefined when it was dropped. */
export function storeForAppend(id: string, format: string, fresh: boolean): Entry | undefined {
  const got = stores.get(id);
  if (got) {
    stores.delete(id);
    stores.set(id, got);
    return got;
  }
  // A store is made by the first append of a load; a later append to a missing store means it was dropped.
  if (!fresh) return undefined;
  const entry: Entry = { store: new ColumnStore(recordLayout(format)), seen: new EventIdSet() };
  stores.set(id, entry);
  while (stores.size > MAX_STORES) stores.delete(stores.keys().next().value as string);
  return entry;
}

function use(id: string): ColumnStore | undefined {
  const got = stores.get(id);
  if (!got) return undefined;
  stores.delete(id);
  stores.set(id, got);
  return got.store;
}

function withStore<T>(args: RecordStoreArgs, f: (s: ColumnStore) => T): RecordStoreResult<T> {
  const s = typeof args?.store === 'string' ? use(args.store) : undefined;
  if (!s) return { ok: false, error: droppedStoreError() };
  return { ok: true, value: f(s) };
}

export function recordsOrder(args: RecordsOrderArgs): RecordStoreResult<number> {
  const sort = args.sort && typeof args.sort.key === 'string' ? { key: args.sort.key, descending: !!args.sort.descending } : undefined;
  return withStore(args, (s) => s.setOrder(sort));
}

export function recordsWindow(args: RecordsWindowArgs): RecordStoreResult<RecordWindow> {
  return withStore(args, (s) => s.window(Number(args.start), Number(args.count)));
}

export function recordsRow(args: RecordsRowArgs): RecordStoreResult<WindowRow | undefined> {
  return withStore(args, (s) => s.row(Number(args.id)));
}

export function recordsSummary(args: RecordStoreArgs): RecordStoreResult<RecordSummary> {
  return withStore(args, (s) => s.summary());
}

/** Rows per export chunk at most (a chunk is one message). */
export const MAX_EXPORT_ROWS = 10_000;

export function recordsExport(args: RecordsExportArgs): RecordStoreResult<{ text: string; total: number }> {
  const format = args.format === 'json' || args.format === 'ndjson' ? args.format : 'csv';
  return withStore(args, (s) => ({
    text: s.exportText(
      format,
      Number(args.from) || 0,
      Math.max(0, Math.min(MAX_EXPORT_ROWS, Number(args.count) || 0)),
      Number.isFinite(args.total) ? Number(args.total) : s.size,
    ),
    total: s.size,
  }));
}

export function recordsDrop(args: RecordStoreArgs): RecordStoreResult<boolean> {
  return { ok: true, value: typeof args?.store === 'string' && stores.delete(args.store) };
}

/** Records and bytes of the stores of this worker (benchmarks). */
export function recordStoresFootprint(): { stores: number; records: number; bytes: number } {
  let records = 0;
  let bytes = 0;
  for (const e of stores.values()) {
    records += e.store.size;
    bytes += e.store.byteSize;
  }
  return { stores: stores.size, records, bytes };
}
