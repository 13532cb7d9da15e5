// CloudWatch Logs as a RecordSource: FilterLogEvents on the flow log's log group, through the AWS
// workers (which parse and apply the residual filter). Pure: the call is injected.
import { recordLayout, type RecordLayout } from './fields';
import { planFilters, type FilterPlan } from './filters';
import type { RecordQuery, RecordSource, RecordStep } from './source';
import { unpackRecordsInSlices } from './parse';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../aws/awsWorkerProtocol';

export type FilterLogEventsCall = (args: FilterLogEventsArgs, signal?: AbortSignal) => Promise<FilterLogEventsResult>;

export class CloudWatchRecordSource implements RecordSource {
  readonly kind = 'cloudwatch';
  readonly layout: RecordLayout;

  constructor(
    private readonly call: FilterLogEventsCall,
    readonly logGroupName: string,
    readonly format: string | undefined,
    readonly logGroupArn?: string,
  ) {
    this.layout = recordLayout(format);
  }

  plan(query: RecordQuery): FilterPlan {
    return planFilters(this.layout, query.filters, query.rawPattern);
  }

  async next(query: RecordQuery, continuation: string | undefined, opts: { limit: number; signal?: AbortSignal }): Promise<RecordStep> {
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
      },
      opts.signal,
    );
    if (!out.ok) return out;
    return {
      ok: true,
      batch: { records: await unpackRecordsInSlices(out.packed), scanned: out.events, lastTimestamp: out.lastTimestamp, bytes: out.bytes },
      continuation: out.nextToken,
    };
  }
}
