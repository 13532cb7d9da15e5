// An S3 flow log's records read through Athena (issue 25, item 4): a RecordSource whose first
// batch runs the records SELECT (recordsQuery.ts) and waits for it (live state, Cancel sends
// StopQueryExecution), and whose batches page the answer into the load's column store in the AWS
// worker (operation athenaRecordsRead). The continuation is the query ID and the page token, so
// Load more and Retry resume the same answer. Pure: the calls are injected.
import { recordLayout, type RecordLayout } from '../shared/recordsFields';
import type { FilterPlan } from '../shared/recordsFilters';
import type { AthenaError } from '../shared/athenaErrors';
import type { RecordsError, RecordsErrorAction } from '../shared/recordsErrors';
import type { AthenaExecution, AthenaOutcome, AthenaRecordsRead, AthenaRecordsReadArgs } from '../shared/awsWorkerProtocol';
import type { RecordQuery, RecordSource, RecordStep } from '../records/source';
import { WorkerResultSet, type RecordStoreCall } from '../records/storeResultSet';
import { AthenaQueryError } from './queries';
import { buildRecordsQuery, type RecordsSql } from './recordsQuery';
import { startAndWait, type AthenaCall } from './run';
import type { TableSpec } from './table';

export interface AthenaRecordsCalls {
  athena: AthenaCall;
  read(args: AthenaRecordsReadArgs, signal?: AbortSignal): Promise<AthenaOutcome<AthenaRecordsRead>>;
  store: RecordStoreCall;
}

export interface AthenaRecordsSetup {
  table: TableSpec;
  workGroup: string;
  outputLocation?: string;
  /** Records at most (flowLogs.records.maxRecords): the LIMIT. */
  limit: number;
  /** Polls of the query's state (tests pass a fast one). */
  pollMs?: number;
}

/** What the panel shows of the Athena path: the query, its live state, what it scanned and answered. */
export interface AthenaRecordsProgress {
  queryExecutionId?: string;
  state: string;
  scannedBytes: number;
  engineMs?: number;
  rows: number;
  filtered: number;
  /** Filters applied by the worker after Athena (SQL could not say them exactly). */
  afterSql: number;
}

interface State {
  /** The query execution ID. */
  q: string;
  /** The next GetQueryResults page token. */
  t?: string;
}

export class AthenaRecordSource implements RecordSource {
  readonly kind = 's3';
  readonly layout: RecordLayout;
  readonly progress: AthenaRecordsProgress = { state: 'NOT STARTED', scannedBytes: 0, rows: 0, filtered: 0, afterSql: 0 };
  resultSet: WorkerResultSet;
  /** The SQL of the current query (Open Query shows it). */
  sql: string | undefined;

  constructor(
    private readonly calls: AthenaRecordsCalls,
    private readonly setup: AthenaRecordsSetup,
    readonly format: string | undefined,
    private readonly onChange?: (p: AthenaRecordsProgress) => void,
  ) {
    this.layout = recordLayout(format);
    this.resultSet = new WorkerResultSet(calls.store, this.layout);
  }

  resetResultSet(): void {
    this.resultSet.dispose();
    this.resultSet = new WorkerResultSet(this.calls.store, this.layout);
  }

  private build(query: RecordQuery): RecordsSql | string {
    if (query.rawPattern?.trim()) return 'A raw filter pattern is CloudWatch Logs syntax; S3 flow logs take the field filters only';
    try {
      return buildRecordsQuery(this.setup.table, this.layout, { ...query, limit: this.setup.limit });
    } catch (e) {
      if (e instanceof AthenaQueryError) return e.message;
      throw e;
    }
  }

  plan(query: RecordQuery): FilterPlan {
    const built = this.build(query);
    if (typeof built === 'string')
      return {
        pattern: '',
        items: query.filters.map((filter) => ({ filter, placement: 'client' })),
        residual: [...query.filters],
        errors: [built],
      };
    return {
      pattern: '',
      items: built.filters.map((f) =>
        f.sql
          ? { filter: f.filter, placement: 'both', note: 'in the Athena query (and checked again by the AWS worker)' }
          : { filter: f.filter, placement: 'client', note: `${f.note ?? ''}; the query has no LIMIT then (the worker stops at the cap)` },
      ),
      residual: [...query.filters],
      errors: [],
    };
  }

  private changed(): void {
    this.onChange?.({ ...this.progress });
  }

  async next(
    query: RecordQuery,
    continuation: string | undefined,
    opts: { limit: number; room?: number; signal?: AbortSignal },
  ): Promise<RecordStep> {
    let state: State | undefined;
    if (continuation === undefined) {
      const built = this.build(query);
      if (typeof built === 'string') return { ok: false, error: { kind: 'invalidPattern', message: built, actions: ['editFilters'] } };
      this.sql = built.sql;
      Object.assign(this.progress, {
        queryExecutionId: undefined,
        state: 'STARTING',
        scannedBytes: 0,
        engineMs: undefined,
        rows: 0,
        filtered: 0,
      });
      this.progress.afterSql = built.filters.filter((f) => !f.sql).length;
      this.changed();
      const waited = await startAndWait(this.calls.athena, built.sql, {
        workGroup: this.setup.workGroup,
        database: this.setup.table.database,
        outputLocation: this.setup.outputLocation,
        signal: opts.signal,
        pollMs: this.setup.pollMs,
        onStarted: (id) => {
          this.progress.queryExecutionId = id;
          this.changed();
        },
        onProgress: (e) => this.executed(e),
      });
      if (waited.execution) this.executed(waited.execution);
      if (!waited.ok) {
        if (waited.error.kind === 'aborted') this.progress.state = 'CANCELLED';
        this.changed();
        return { ok: false, error: recordsErrorOf(waited.error) };
      }
      state = { q: waited.execution.queryExecutionId };
    } else {
      try {
        state = JSON.parse(continuation) as State;
      } catch {
        state = undefined;
      }
      if (!state || typeof state.q !== 'string' || (state.t !== undefined && typeof state.t !== 'string'))
        return {
          ok: false,
          error: { kind: 'unknown', message: 'The saved reading position is not valid; load the range again', actions: ['retry'] },
        };
    }
    const read = await this.calls.read(
      {
        queryExecutionId: state.q,
        nextToken: state.t,
        store: this.resultSet.target(),
        format: this.layout.format,
        fields: this.setup.table.columns.map((c) => c.field),
        filters: query.filters,
        maxRecords: Math.max(0, opts.room ?? this.setup.limit),
      },
      opts.signal,
    );
    // The answer is kept: Retry reads this page again (the continuation stays).
    if (!read.ok) return { ok: false, error: recordsErrorOf(read.error) };
    this.resultSet.appended(read.appended);
    this.progress.rows += read.rows;
    this.progress.filtered += read.filtered;
    this.changed();
    return {
      ok: true,
      batch: { records: [], appended: read.appended, scanned: read.rows, bytes: 0 },
      continuation: read.nextToken ? JSON.stringify({ q: state.q, t: read.nextToken } satisfies State) : undefined,
    };
  }

  private executed(e: AthenaExecution): void {
    this.progress.queryExecutionId = e.queryExecutionId;
    this.progress.state = e.state;
    this.progress.scannedBytes = Number.isFinite(e.dataScannedBytes) ? Number(e.dataScannedBytes) : this.progress.scannedBytes;
    this.progress.engineMs = e.engineExecutionMs;
    this.changed();
  }
}

/**
 * An Athena error as the records panel shows it: the same words; its actions as the records page
 * has them (Open Athena Settings; Retry runs the query again, creating the table after asking).
 */
export function recordsErrorOf(e: AthenaError): RecordsError {
  const actions: RecordsErrorAction[] = [];
  for (const a of e.actions) {
    if (a === 'openSettings' && !actions.includes('athenaSettings')) actions.push('athenaSettings');
    if (a === 'signIn' && !actions.includes('signIn')) actions.push('signIn');
  }
  if (e.kind === 'invalidInput' || e.kind === 'syntax') actions.push('editFilters');
  actions.push('retry');
  const kind: RecordsError['kind'] =
    e.kind === 'noOutputLocation' || e.kind === 'tableMissing' || e.kind === 'workgroupLimit'
      ? 'config'
      : e.kind === 'syntax' || e.kind === 'invalidInput' || e.kind === 'queryFailed'
        ? 'invalidPattern'
        : e.kind;
  return { kind, code: e.code, message: `Athena: ${e.message}`, detail: e.detail, actions };
}

/** The answer of the internal command flowLogs.athenaRecordsSetup: what the Athena path needs, or why not. */
export type AthenaRecordsSetupResult =
  | { ok: true; table: TableSpec; workGroup: string; outputLocation?: string }
  | { ok: false; message: string; settings: boolean; declined?: boolean };

const mb = (n: number) => `${(n / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;

/** The panel's words for the Athena path: "Read through Athena: 1,234 records, 5.1 MB scanned, query id …". */
export function athenaPathText(p: AthenaRecordsProgress, loaded: number): string {
  const id = p.queryExecutionId ? `, query id ${p.queryExecutionId}` : '';
  const after = p.afterSql ? ` (${p.afterSql} filter${p.afterSql === 1 ? '' : 's'} applied after the query)` : '';
  if (p.state === 'SUCCEEDED')
    return `Read through Athena: ${loaded.toLocaleString('en')} records, ${mb(p.scannedBytes)} scanned${id}${after}.`;
  return `Reading through Athena: ${p.state}, ${mb(p.scannedBytes)} scanned${id}${after}.`;
}

/** The offer's words: the range holds more than the settings read from objects. */
export function athenaOfferText(
  survey: { objects: number; bytes: number; listedAll: boolean },
  limits: { objects: number; bytes: number },
): string {
  const more = survey.listedAll ? '' : 'more than ';
  const why: string[] = [];
  if (limits.objects > 0 && survey.objects > limits.objects)
    why.push(
      `${more}${survey.objects.toLocaleString('en')} objects (setting flowLogs.records.athenaAboveObjects: ${limits.objects.toLocaleString('en')})`,
    );
  if (limits.bytes > 0 && survey.bytes > limits.bytes)
    why.push(`${more}${mb(survey.bytes)} (setting flowLogs.records.athenaAboveMiB: ${mb(limits.bytes)})`);
  return `This range holds ${why.join(' and ')}. Read it through Athena (one query, billed by the data it scans), read the objects anyway, or narrow the range.`;
}
