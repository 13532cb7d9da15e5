// Runs one query over many (profile, region) pairs at once: each pair is walked to its last page
// at the largest page size, at most `concurrency` requests in flight. A slow or throttled region
// holds only its own slot; one failing pair is reported and the others go on.
import type { FlowLog, FlowLogQuery } from './types';
import { FlowLogPager, type DescribeFlowLogsPage } from './flowLogPager';
import type { FlowLogsError } from './errors';

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
  concurrency: number;
  signal?: AbortSignal;
  pageSize?: number;
  onProgress?: (done: number, total: number, group: SearchGroup<unknown>) => void;
  onWarning?: (message: string) => void;
}

export async function searchAllRegions<P>(
  targets: SearchTarget<P>[],
  query: FlowLogQuery,
  describeFlowLogsPage: (t: SearchTarget<P>) => DescribeFlowLogsPage,
  options: SearchOptions,
): Promise<SearchGroup<P>[]> {
  const results: SearchGroup<P>[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= targets.length) return;
      const t = targets[i];
      const started = performance.now();
      let requests = 0;
      const describe = describeFlowLogsPage(t);
      const counted: DescribeFlowLogsPage = (req) => {
        requests += 1;
        return describe(req);
      };
      const pager = new FlowLogPager(counted, query, {
        pageSize: options.pageSize ?? 1000,
        onWarning: options.onWarning,
      });
      const r = await pager.loadAll(options.signal);
      const group: SearchGroup<P> = {
        ...t,
        flowLogs: pager.items,
        error: r.error,
        requests,
        ms: performance.now() - started,
        ...(pager.stoppedEarly ? { stoppedEarly: pager.stoppedEarly } : {}),
      };
      results[i] = group;
      done += 1;
      options.onProgress?.(done, targets.length, group as SearchGroup<unknown>);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency, targets.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
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
