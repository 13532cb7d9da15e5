// One Athena query from start to answer: StartQueryExecution, GetQueryExecution until the state is
// final (live state, bytes scanned and engine time reported on the way), GetQueryResults page by
// page, and StopQueryExecution when the caller cancels. Errors are values (AthenaError) from the
// worker. Bounded: a poll interval that grows, a total time and a row cap. Pure: never imports vscode.
import type { AthenaError } from '../shared/athenaErrors';
import type { AthenaExecution, AthenaOutcome, AthenaResultsPage, Operations } from '../shared/awsWorkerProtocol';

/** The Athena operations, as a RemoteAws gives them (bound to a profile and region). */
export type AthenaCall = <K extends keyof Operations & `athena${string}`>(
  op: K,
  args: Operations[K]['args'],
  signal?: AbortSignal,
) => Promise<Operations[K]['result']>;

/** Athena's price: $5 per TB scanned, at least 10 MB per query (Athena pricing, SQL queries). */
export const DOLLARS_PER_TB = 5;
const MIN_BILLED_BYTES = 10 * 1024 * 1024;

export function costEstimate(bytesScanned: number | undefined): number {
  if (!Number.isFinite(bytesScanned)) return 0;
  const billed = Math.max(MIN_BILLED_BYTES, Number(bytesScanned));
  return (billed / 1024 ** 4) * DOLLARS_PER_TB;
}

export interface AthenaRunOptions {
  workGroup: string;
  database?: string;
  outputLocation?: string;
  /** Rows to read at most (GetQueryResults pages of up to 1000). */
  maxRows?: number;
  /** Give up after this long (then StopQueryExecution). Default 10 minutes. */
  timeoutMs?: number;
  /** First poll after this long; it grows by half each time up to 2 s. Default 100 ms (short queries answer sooner). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Each GetQueryExecution answer (live state). */
  onProgress?: (execution: AthenaExecution) => void;
  /** Waits (tests pass a fast clock). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface AthenaAnswer {
  execution: AthenaExecution;
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  /** More rows than maxRows were there. */
  truncated: boolean;
}

export type AthenaRunResult = { ok: true; answer: AthenaAnswer } | { ok: false; error: AthenaError; execution?: AthenaExecution };

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function failed<T>(out: AthenaOutcome<T>): out is { ok: false; error: AthenaError } {
  return !out.ok;
}

export type AthenaWaitResult = { ok: true; execution: AthenaExecution } | { ok: false; error: AthenaError; execution?: AthenaExecution };

/**
 * Starts one SQL statement and waits until its state is final (SUCCEEDED), without reading its
 * rows: Cancel and the time bound send StopQueryExecution. `onStarted` is told the query ID.
 */
export async function startAndWait(
  call: AthenaCall,
  sql: string,
  options: AthenaRunOptions & { onStarted?: (queryExecutionId: string) => void },
): Promise<AthenaWaitResult> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const started = await call(
    'athenaStartQueryExecution',
    { sql, workGroup: options.workGroup, database: options.database, outputLocation: options.outputLocation },
    options.signal,
  );
  if (failed(started)) return { ok: false, error: started.error };
  const id = started.queryExecutionId;
  options.onStarted?.(id);
  const stop = () => call('athenaStopQueryExecution', { queryExecutionId: id }).catch(() => undefined);
  let wait = options.pollMs ?? 100;
  let execution: AthenaExecution | undefined;
  for (;;) {
    if (options.signal?.aborted) {
      await stop();
      return { ok: false, error: { kind: 'aborted', message: 'Cancelled: StopQueryExecution sent', actions: ['retry'] }, execution };
    }
    const got = await call('athenaGetQueryExecution', { queryExecutionId: id }, options.signal).catch((e: unknown) => {
      if (options.signal?.aborted) return undefined;
      throw e;
    });
    if (got === undefined) continue;
    if (failed(got)) return { ok: false, error: got.error, execution };
    execution = got.execution;
    options.onProgress?.(execution);
    if (FINAL.has(execution.state)) break;
    if (Date.now() > deadline) {
      await stop();
      return {
        ok: false,
        error: { kind: 'timeout', message: 'The query ran longer than allowed: it was stopped', actions: ['retry'] },
        execution,
      };
    }
    await sleep(wait, options.signal);
    wait = Math.min(2000, Math.round(wait * 1.5));
  }
  if (execution.state === 'FAILED')
    return { ok: false, error: execution.error ?? { kind: 'queryFailed', message: 'The query failed', actions: ['retry'] }, execution };
  if (execution.state === 'CANCELLED')
    return { ok: false, error: { kind: 'aborted', message: 'The query was cancelled', actions: ['retry'] }, execution };
  return { ok: true, execution };
}

/** Runs one SQL statement and reads its answer. */
export async function runAthenaQuery(call: AthenaCall, sql: string, options: AthenaRunOptions): Promise<AthenaRunResult> {
  const maxRows = Math.max(1, Math.min(1_000_000, options.maxRows ?? 10_000));
  const waited = await startAndWait(call, sql, options);
  if (!waited.ok) return waited;
  const { execution } = waited;
  const id = execution.queryExecutionId;
  const rows: (string | null)[][] = [];
  let columns: { name: string; type: string }[] = [];
  let token: string | undefined;
  let truncated = false;
  for (let page = 0; page < 10_000; page++) {
    const want = Math.min(1000, maxRows - rows.length + 1);
    const out = await call('athenaGetQueryResults', { queryExecutionId: id, maxResults: want, nextToken: token }, options.signal);
    if (failed(out)) return { ok: false, error: out.error, execution };
    const p: AthenaResultsPage = out;
    if (page === 0) columns = p.columns;
    rows.push(...p.rows);
    token = p.nextToken;
    if (rows.length > maxRows) {
      rows.length = maxRows;
      truncated = true;
      break;
    }
    if (!token) break;
  }
  return { ok: true, answer: { execution, columns, rows, truncated } };
}
