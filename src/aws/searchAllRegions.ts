// Runs one query over many (profile, region) pairs at once: each pair is walked to its last page
// at the largest page size, at most `concurrency` requests in flight overall and `perAccount` per
// account (accountScheduler.ts: a throttled account backs off and its region resumes later). A slow
// or throttled region holds only its own slot; one failing pair is reported and the others go on.
import type { FlowLog, FlowLogQuery } from '../shared/types';
import { FlowLogPager, type DescribeFlowLogsPage } from './flowLogPager';
import { cancelledError, type FlowLogsError } from '../shared/errors';
import { runPerAccount, type ScheduleProgress } from './accountScheduler';

export interface SearchTarget<P> {
  profile: P;
  profileName: string;
  region: string;
}

export interface SearchGroup<P> extends SearchTarget<P> {
  flowLogs: FlowLog[];
  error?: FlowLogsError;
  requests: number;
  ms: number;
  /** Why the listing of this pair ended early (a server that never stops), when it did: the flow logs found are kept. */
  stoppedEarly?: string;
}

export interface SearchOptions {
  /** Requests in flight overall. */
  concurrency: number;
  /** Requests in flight per account (`accountOf`); default `concurrency`. */
  perAccount?: number;
  /** The account a target's requests count against (its throttling and its limit); default the profile name. */
  accountOf?: (t: SearchTarget<unknown>) => string;
  /** Times a throttled region is searched again (resuming where it stopped) after its account's back-off; default 0. */
  throttleRetries?: number;
  backoffMs?: number;
  signal?: AbortSignal;
  pageSize?: number;
  onProgress?: (done: number, total: number, group: SearchGroup<unknown>, counts: ScheduleProgress) => void;
  onWarning?: (message: string) => void;
}

export async function searchAllRegions<P>(
  targets: SearchTarget<P>[],
  query: FlowLogQuery,
  describeFlowLogsPage: (t: SearchTarget<P>) => DescribeFlowLogsPage,
  options: SearchOptions,
): Promise<SearchGroup<P>[]> {
  // One pager per target, kept across a throttled attempt: the next attempt resumes at its cursor.
  const pagers = new Map<number, { pager: FlowLogPager; requests: number; ms: number }>();
  const searchOne = async (t: SearchTarget<P>, _attempt: number, i: number): Promise<SearchGroup<P>> => {
    let state = pagers.get(i);
    if (!state) {
      const describe = describeFlowLogsPage(t);
      const s: { pager: FlowLogPager; requests: number; ms: number } = {
        pager: undefined as unknown as FlowLogPager,
        requests: 0,
        ms: 0,
      };
      s.pager = new FlowLogPager(
        (req) => {
          s.requests += 1;
          return describe(req);
        },
        query,
        { pageSize: options.pageSize ?? 1000, onWarning: options.onWarning },
      );
      pagers.set(i, (state = s));
    }
    const started = performance.now();
    const r = await state.pager.loadAll(options.signal);
    state.ms += performance.now() - started;
    return {
      ...t,
      flowLogs: state.pager.items,
      error: r.error,
      requests: state.requests,
      ms: state.ms,
      ...(state.pager.stoppedEarly ? { stoppedEarly: state.pager.stoppedEarly } : {}),
    };
  };
  return runPerAccount(
    targets,
    (t) => options.accountOf?.(t as SearchTarget<unknown>) ?? t.profileName,
    searchOne,
    (t, i) => {
      pagers.delete(i);
      return { ...t, flowLogs: [], error: cancelledError(), requests: 0, ms: 0 };
    },
    {
      concurrency: options.concurrency,
      perAccount: options.perAccount,
      throttleRetries: options.throttleRetries,
      backoffMs: options.backoffMs,
      signal: options.signal,
      isThrottled: (g) => g.error?.kind === 'throttled',
      isFailed: (g) => !!g.error && g.error.kind !== 'aborted',
      onDone: (_i, g, counts) => options.onProgress?.(counts.regionsDone, targets.length, g as SearchGroup<unknown>, counts),
    },
  );
}

/** One line for the results view: what was found, where, what failed, whether it was cancelled. */
export function summarizeSearch(groups: SearchGroup<unknown>[]): string {
  const cancelled = groups.filter((g) => g.error?.kind === 'aborted').length;
  const failed = groups.filter((g) => g.error && g.error.kind !== 'aborted').length;
  const searched = groups.length - cancelled - failed;
  const found = groups.reduce((n, g) => n + (g.error?.kind === 'aborted' ? 0 : g.flowLogs.length), 0);
  const head = cancelled
    ? `Search cancelled: ${searched} of ${groups.length} region(s) searched`
    : `${searched} of ${groups.length} region(s) searched`;
  return `${head}, ${found} flow log(s)${failed ? `, ${failed} failed` : ''}`;
}
