// The loaded records of one records panel, as the panel sees them: a result set that lives where
// the records were parsed (the AWS worker that read them, as typed-array columns). The panel never
// holds the records; it asks for the rows the page shows (a window around the viewport), the
// summary, and export chunks. Every answer is small: a window is at most MAX_WINDOW_ROWS rows.
// Pure types: never imports vscode; shared by the panel, the page's protocol and the worker.
import type { ExportFormat } from './recordsExport';

/** Rows one window request may ask for (the page asks for the viewport and some margin). */
export const MAX_WINDOW_ROWS = 2_000;

/** The order of the shown rows: a layout field by name, or the event time ('@time'). */
export interface RecordSort {
  key: string;
  descending: boolean;
}

/** One row as the page shows it. */
export interface WindowRow {
  /** The row's position in load order: stable while the load grows, the page's selection key. */
  id: number;
  /** The event's timestamp (ms since the epoch). */
  t: number;
  /** The values in layout order, as written ("-" is "no value"). */
  v: string[];
  /** The log stream (CloudWatch Logs) or the S3 key the record came from. */
  s?: string;
  /** Set when the line does not fit the format: why; `raw` holds the line then. */
  bad?: string;
  raw?: string;
}

export interface RecordWindow {
  /** The index (in the current order) of the first row. */
  start: number;
  /** Rows loaded now (the page sizes its scrollbar by it). */
  total: number;
  rows: WindowRow[];
}

/** The summary bar, over every loaded record (not only the shown ones). */
export interface RecordSummary {
  records: number;
  /** Sum of the `bytes` field where it is a number; undefined when the format has no `bytes`. */
  bytes?: number;
  accepted?: number;
  rejected?: number;
  /** log-status other than OK (NODATA, SKIPDATA). */
  noData: number;
  /** Lines that do not fit the format. */
  bad: number;
  minT?: number;
  maxT?: number;
  /** Distinct srcaddr / dstaddr values (undefined when the format has none). */
  sources?: number;
  destinations?: number;
}

/**
 * The loaded records of one load. `order` and `window` run where the records are; the caller gets
 * only what it asked for. A result set is dropped with `dispose()` (the panel closed, a new query).
 */
export interface ResultSet {
  /** Records loaded so far. */
  readonly size: number;
  /** Sets the order of the rows (undefined: load order); resolves with the row count. */
  order(sort: RecordSort | undefined, signal?: AbortSignal): Promise<number>;
  /** Rows [start, start + count) in the current order; count is clamped to MAX_WINDOW_ROWS. */
  window(start: number, count: number, signal?: AbortSignal): Promise<RecordWindow>;
  /** One row by its id (load order), for the details pane and Explain. */
  row(id: number, signal?: AbortSignal): Promise<WindowRow | undefined>;
  summary(signal?: AbortSignal): Promise<RecordSummary>;
  /**
   * The records in the current order as export text, in chunks of about `chunkRows` rows (CSV
   * cells through webview/csv.ts's formula rule). Never one string for the whole file.
   */
  exportChunks(format: ExportFormat, chunkRows: number, signal?: AbortSignal): AsyncIterable<string>;
  dispose(): void;
}
