// Where records come from, for the records panel: a RecordSource reads batches of parsed records
// for one flow log, a time range and filters, and continues where it stopped (an opaque,
// serialisable continuation: a nextToken, an S3 key and offset...). CloudWatch Logs is one source
// (cloudWatchSource.ts); S3 can be another. The RecordLoader drives a source for the panel: first
// screenful, Load more, Load all up to a cap, progress, cancel, and Retry that resumes at the
// failed batch without losing what was loaded. Pure: never imports vscode.
import type { RecordLayout } from '../shared/recordsFields';
import type { FlowRecord } from '../shared/recordsParse';
import type { FieldFilter, FilterPlan } from '../shared/recordsFilters';
import { restartsRange, type RecordsError } from '../shared/recordsErrors';
import type { ResultSet } from '../shared/resultSet';
import { MemoryResultSet } from './storeResultSet';
import type { StoreAppend } from '../shared/awsWorkerProtocol';

export interface RecordQuery {
  startMs: number;
  endMs: number;
  filters: FieldFilter[];
  /** An "advanced" raw filter pattern (CloudWatch syntax); field filters then run client-side. */
  rawPattern?: string;
}

export interface RecordBatch {
  /** Records after every filter, in source order (empty when the source appends to its result set). */
  records: FlowRecord[];
  /**
   * Set by a source whose records stay where they were read (its `resultSet`, in the AWS worker):
   * what this batch appended there, duplicates dropped and the cap applied.
   */
  appended?: StoreAppend;
  /** Events (or lines) read from the source for this batch, before the client-side filter. */
  scanned: number;
  /** Timestamp (ms) of the last event read, if any: how far in time the read has come. */
  lastTimestamp?: number;
  bytes: number;
  /** Bytes decompressed to read this batch (S3), for flowLogs.records.maxLoadMiB. */
  inflated?: number;
}

export type RecordStep =
  | { ok: true; batch: RecordBatch; /** undefined: the range is read to its end */ continuation?: string }
  | { ok: false; error: RecordsError };

export interface RecordSource {
  /** 'cloudwatch', 's3', ... for the panel's labels. */
  readonly kind: string;
  readonly layout: RecordLayout;
  /** Which filters run at the source and which run here (shown in the panel). */
  plan(query: RecordQuery): FilterPlan;
  /**
   * Set when the source keeps the records where it reads them (the AWS worker): they are read
   * through this, never returned in batches. Replaced by `resetResultSet` (a load started over).
   */
  readonly resultSet?: ResultSet;
  /** Drops the result set and starts an empty one (the load starts the range over). */
  resetResultSet?(): void;
  /**
   * The next batch after `continuation` (undefined: from the start); at most `limit` records.
   * `room` is what is left under the cap (flowLogs.records.maxRecords): a source that reads whole
   * objects stops reading there.
   */
  next(
    query: RecordQuery,
    continuation: string | undefined,
    opts: { limit: number; room?: number; signal?: AbortSignal },
  ): Promise<RecordStep>;
}

export interface LoadProgress {
  loaded: number;
  requests: number;
  scanned: number;
  lastTimestamp?: number;
}

export type LoadOutcome =
  | { status: 'done' } // the range is read to its end
  | { status: 'more' } // stopped at the target; Load more continues
  | { status: 'capped'; cap: number }
  | { status: 'paused'; why: string } // bounded: too many empty batches in a row, or a repeated token
  | { status: 'cancelled' }
  | { status: 'error'; error: RecordsError };

/** Batches with no records in a row before a load pauses (Load more continues the scan). */
export const MAX_EMPTY_BATCHES = 100;
export const MAX_BATCH = 10_000;

export class RecordLoader {
  /** The records, when the source returns them (a source with a resultSet keeps them: this stays empty). */
  readonly records: FlowRecord[] = [];
  /** Records loaded into the source's result set (a source with a resultSet). */
  private stored = 0;
  private memory: MemoryResultSet | undefined;
  private continuation: string | undefined;
  private started = false;
  private finished = false;
  /** Every event ID loaded: a source repeating events (a page-token cycle A -> B -> A) loads each once. */
  private seenIds = new Set<string>();
  readonly progress: LoadProgress = { loaded: 0, requests: 0, scanned: 0 };
  private running = false;
  /** The last load ended on a rejected page token: the next load starts the range over. */
  private restartPending = false;

  constructor(
    readonly source: RecordSource,
    readonly query: RecordQuery,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  /** Records loaded so far. */
  get size(): number {
    return this.source.resultSet ? this.stored : this.records.length;
  }

  /**
   * The loaded records, as the panel reads them: the source's result set (in the AWS worker), or
   * one over the records held here. A load that starts over (onRestart) may give a new one.
   */
  get resultSet(): ResultSet {
    return this.source.resultSet ?? (this.memory ??= new MemoryResultSet(this.source.layout, () => this.records));
  }

  get busy(): boolean {
    return this.running;
  }

  /** True when the last error was a rejected page token: Retry starts the range over (restartsRange). */
  get restartsOnRetry(): boolean {
    return this.restartPending;
  }

  /** Back to the start of the range: what was loaded is dropped (a rejected token cannot resume). */
  private restart(): void {
    this.records.length = 0;
    this.stored = 0;
    this.source.resetResultSet?.();
    this.memory?.dispose();
    this.continuation = undefined;
    this.started = false;
    this.finished = false;
    this.seenIds = new Set();
    this.progress.loaded = 0;
    this.progress.requests = 0;
    this.progress.scanned = 0;
    this.progress.lastTimestamp = undefined;
    this.restartPending = false;
  }

  /**
   * Loads until `target` records are loaded (or the cap, or the end of the range). Resolves with
   * why it stopped; never throws. Concurrent calls are refused (the second gets 'paused').
   */
  async load(
    target: number,
    cap: number,
    opts: {
      signal?: AbortSignal;
      onProgress?: (p: LoadProgress, fresh: FlowRecord[]) => void;
      maxEmptyBatches?: number;
      /** Bytes decompressed in this call at most (flowLogs.records.maxLoadMiB): the load pauses there. */
      maxInflatedBytes?: number;
      /** Called when this load starts the range over (after a rejected page token): drop the shown rows. */
      onRestart?: () => void;
    } = {},
  ): Promise<LoadOutcome> {
    if (this.running) return { status: 'paused', why: 'a load is already running' };
    this.running = true;
    try {
      if (this.restartPending) {
        this.restart();
        opts.onRestart?.();
      }
      let empty = 0;
      let inflated = 0;
      const maxEmpty = opts.maxEmptyBatches ?? MAX_EMPTY_BATCHES;
      for (;;) {
        if (this.finished) return { status: 'done' };
        if (this.size >= cap) return { status: 'capped', cap };
        if (this.size >= target) return { status: 'more' };
        if (opts.signal?.aborted) return { status: 'cancelled' };
        const limit = Math.max(1, Math.min(MAX_BATCH, target - this.size, cap - this.size));
        const from = this.continuation;
        let step: RecordStep;
        try {
          step = await this.source.next(this.query, from, { limit, room: cap - this.size, signal: opts.signal });
        } catch (err) {
          if (opts.signal?.aborted) return { status: 'cancelled' };
          step = { ok: false, error: { kind: 'unknown', message: String((err as Error)?.message ?? err), actions: ['retry'] } };
        }
        if (!step.ok) {
          if (step.error.kind === 'aborted' || opts.signal?.aborted) return { status: 'cancelled' };
          // A rejected page token: the next load starts over. Anything else: continuation kept, Retry resumes here.
          if (restartsRange(step.error)) this.restartPending = true;
          return { status: 'error', error: step.error };
        }
        this.started = true;
        this.progress.requests++;
        this.progress.scanned += step.batch.scanned;
        if (step.batch.lastTimestamp !== undefined) this.progress.lastTimestamp = step.batch.lastTimestamp;
        const appended = step.batch.appended;
        if (appended) {
          // The source appended to its result set (duplicates dropped and the cap applied there).
          this.stored = appended.total;
          this.progress.loaded = this.stored;
          opts.onProgress?.(this.progress, []);
          if (step.continuation === undefined) {
            this.finished = true;
            return { status: 'done' };
          }
          if (step.continuation === from)
            return { status: 'paused', why: 'the source repeated a page token; stopped to avoid an endless loop' };
          this.continuation = step.continuation;
          if (appended.over > 0) return { status: 'capped', cap };
          inflated += step.batch.inflated ?? 0;
          if (opts.maxInflatedBytes !== undefined && inflated >= opts.maxInflatedBytes) return inflatedPause(inflated);
          empty = appended.added === 0 ? empty + 1 : 0;
          if (empty >= maxEmpty)
            return { status: 'paused', why: `${maxEmpty} requests in a row found no matching records; Load more scans on` };
          continue;
        }
        // A source may repeat an event (at a batch boundary, or a page-token cycle); keep each event once.
        const fresh: FlowRecord[] = [];
        for (const r of step.batch.records) {
          if (r.id !== undefined) {
            if (this.seenIds.has(r.id)) continue;
            this.seenIds.add(r.id);
          }
          fresh.push(r);
        }
        const room = cap - this.size;
        const kept = fresh.length > room ? fresh.slice(0, room) : fresh;
        for (const r of kept) this.records.push(r);
        this.progress.loaded = this.size;
        opts.onProgress?.(this.progress, kept);
        if (step.continuation === undefined) {
          this.finished = true;
          return { status: 'done' };
        }
        if (step.continuation === from)
          return { status: 'paused', why: 'the source repeated a page token; stopped to avoid an endless loop' };
        this.continuation = step.continuation;
        if (fresh.length > room) return { status: 'capped', cap };
        inflated += step.batch.inflated ?? 0;
        if (opts.maxInflatedBytes !== undefined && inflated >= opts.maxInflatedBytes) return inflatedPause(inflated);
        empty = kept.length === 0 ? empty + 1 : 0;
        if (empty >= maxEmpty)
          return { status: 'paused', why: `${maxEmpty} requests in a row found no matching records; Load more scans on` };
      }
    } finally {
      this.running = false;
    }
  }

  /** Whether anything was read yet (the first request succeeded). */
  get hasStarted(): boolean {
    return this.started;
  }
}

function inflatedPause(inflated: number): LoadOutcome {
  return {
    status: 'paused',
    why: `${Math.round(inflated / 2 ** 20).toLocaleString('en')} MiB decompressed in this load (setting flowLogs.records.maxLoadMiB); Load more reads on`,
  };
}
