// CloudWatch Logs as a RecordSource: FilterLogEvents on the flow log's log group, through the AWS
// workers (which parse and apply the residual filter). Pure: the call is injected.
import { recordLayout, type RecordLayout } from '../shared/recordsFields';
import { planFilters, type FilterPlan } from '../shared/recordsFilters';
import type { RecordQuery, RecordSource, RecordStep } from './source';
import { unpackRecordsInSlices } from '../shared/recordsParse';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../shared/awsWorkerProtocol';
import { WorkerResultSet, type RecordStoreCall } from './storeResultSet';

export type FilterLogEventsCall = (args: FilterLogEventsArgs, signal?: AbortSignal) => Promise<FilterLogEventsResult>;

export class CloudWatchRecordSource implements RecordSource {
  readonly kind = 'cloudwatch';
  readonly layout: RecordLayout;
  /** Set with `store`: the records stay in the AWS worker that reads them. */
  resultSet?: WorkerResultSet;

  /**
   * `store`: calls to the worker's record store (the same profile and region as `call`); the
   * records are then kept there and read through `resultSet`, never returned in batches.
   */
  constructor(
    private readonly call: FilterLogEventsCall,
    readonly logGroupName: string,
    readonly format: string | undefined,
    readonly logGroupArn?: string,
    private readonly store?: RecordStoreCall,
  ) {
    this.layout = recordLayout(format);
    if (store) this.resultSet = new WorkerResultSet(store, this.layout);
  }

  resetResultSet(): void {
    if (!this.store) return;
    this.resultSet?.dispose();
    this.resultSet = new WorkerResultSet(this.store, this.layout);
  }

  plan(query: RecordQuery): FilterPlan {
    return planFilters(this.layout, query.filters, query.rawPattern);
  }

  async next(
    query: RecordQuery,
    continuation: string | undefined,
    opts: { limit: number; room?: number; signal?: AbortSignal },
  ): Promise<RecordStep> {
    const plan = this.plan(query);
    if (plan.errors.length)
      return { ok: false, error: { kind: 'invalidPattern', message: plan.errors.join('; '), actions: ['editFilters'] } };
    const out = await this.call(
      {
        logGroupName: this.logGroupName,
        logGroupArn: this.logGroupArn,
        format: this.layout.format,
        startMs: query.startMs,
        endMs: query.endMs,
        pattern: plan.pattern,
        residual: plan.residual,
        limit: opts.limit,
        nextToken: continuation,
        ...(this.resultSet ? { store: this.resultSet.target(), maxRecords: opts.room } : {}),
      },
      opts.signal,
    );
    if (!out.ok) return out;
    if (this.resultSet) {
      if (!out.appended)
        return {
          ok: false,
          error: { kind: 'unknown', message: 'The AWS worker did not keep the records (an older worker?)', actions: ['retry'] },
        };
      this.resultSet.appended(out.appended);
      return {
        ok: true,
        batch: { records: [], appended: out.appended, scanned: out.events, lastTimestamp: out.lastTimestamp, bytes: out.bytes },
        continuation: out.nextToken,
      };
    }
    return {
      ok: true,
      batch: { records: await unpackRecordsInSlices(out.packed), scanned: out.events, lastTimestamp: out.lastTimestamp, bytes: out.bytes },
      continuation: out.nextToken,
    };
  }
}
