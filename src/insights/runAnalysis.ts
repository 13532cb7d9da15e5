// Runs a built query on Logs Insights for one or more targets (profile + region, up to 50 log
// groups per query: more groups become more queries), concurrently, polling GetQueryResults with
// a progress from Insights' own statistics, StopQuery on cancel, and merges the answers.
// Pure: never imports vscode; the calls go through whatever runs the AWS operations.
import type { AwsProfile } from '../shared/profiles';
import type { BuiltQuery } from '../shared/insightsAnalyses';
import type { InsightsError } from '../shared/insightsErrors';
import type { InsightsStatistics } from '../shared/awsWorkerProtocol';
import type { RemoteAws } from '../aws/flowLogService';
import { errorOf } from '../shared/errors';
import { alignTable, inferColumns, mergeTables, readResults, type ResultTable } from '../shared/insightsResults';

/** Whatever runs the AWS operations (startQuery, getQueryResults, stopQuery): the AWS workers in the extension. */
export type InsightsCallsApi = Pick<RemoteAws, 'call'>;

export interface QueryTarget {
  profile: AwsProfile;
  region: string;
  logGroupNames: string[];
}

/** Insights queries at most this many log groups at once. */
export const MAX_GROUPS_PER_QUERY = 50;

export type PartState = 'starting' | 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'error';

export interface QueryPart {
  readonly profile: string;
  readonly region: string;
  readonly logGroupNames: string[];
  state: PartState;
  queryId?: string;
  statistics: InsightsStatistics;
  error?: InsightsError;
  rows?: number;
  /** Set when the extension stopped the query at its time bound (not Insights' own Timeout). */
  stoppedAfterMs?: number;
  /** StopQuery was sent after the call failed (a worker that died). */
  stopSent?: boolean;
}

export interface Progress {
  parts: readonly QueryPart[];
  /** Sums over the parts. */
  statistics: Required<InsightsStatistics>;
}

export type AnalysisState = 'complete' | 'partial' | 'failed' | 'cancelled' | 'timeout' | 'error';

export interface AnalysisOutcome {
  state: AnalysisState;
  /** The merged answer of the parts that completed. */
  table: ResultTable;
  parts: QueryPart[];
  statistics: Required<InsightsStatistics>;
  /** One line: what happened, including "merged from N queries" when there were several. */
  summary: string;
  /** The first error, when a part failed with one. */
  error?: InsightsError;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Waits between polls; default: 500 ms growing to 2 s. Tests pass their own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * How long one query may stay Scheduled or Running before it is stopped (StopQuery) and shown as
   * timed out; default 15 minutes (the setting flowLogs.insights.maxQueryMinutes; Insights' own
   * limit is 60). Polls are bounded by it too.
   */
  maxRunMs?: number;
  /** The clock the bound is measured on; default Date.now. Tests pass their own. */
  now?: () => number;
}

export const DEFAULT_MAX_RUN_MS = 15 * 60_000;

/** "15 minutes", "1 minute", "90 seconds". */
export function durationText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}

const TERMINAL = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Each target's log groups in chunks of 50: one query per chunk. */
export function splitTargets(targets: readonly QueryTarget[]): QueryTarget[] {
  const out: QueryTarget[] = [];
  for (const t of targets) {
    const groups = [...new Set(t.logGroupNames)];
    for (let i = 0; i < groups.length; i += MAX_GROUPS_PER_QUERY)
      out.push({ ...t, logGroupNames: groups.slice(i, i + MAX_GROUPS_PER_QUERY) });
  }
  return out;
}

function sum(parts: readonly QueryPart[]): Required<InsightsStatistics> {
  const total = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  for (const p of parts) {
    total.recordsMatched += p.statistics.recordsMatched ?? 0;
    total.recordsScanned += p.statistics.recordsScanned ?? 0;
    total.bytesScanned += p.statistics.bytesScanned ?? 0;
  }
  return total;
}

export async function runAnalysis(
  api: InsightsCallsApi,
  query: BuiltQuery,
  targets: readonly QueryTarget[],
  options: RunOptions = {},
): Promise<AnalysisOutcome> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxRunMs = options.maxRunMs !== undefined && options.maxRunMs > 0 ? options.maxRunMs : DEFAULT_MAX_RUN_MS;
  // A count bound as well as the time bound: the waits between polls are at least 500 ms.
  const maxPolls = Math.ceil(maxRunMs / 500) + 2;
  const signal = options.signal;
  const chunks = splitTargets(targets);
  const parts: QueryPart[] = chunks.map((t) => ({
    profile: t.profile.name,
    region: t.region,
    logGroupNames: t.logGroupNames,
    state: 'starting',
    statistics: {},
  }));
  const tables: ResultTable[] = [];
  const report = () => options.onProgress?.({ parts, statistics: sum(parts) });

  // StopQuery for a started query, whatever happens to it: a worker that died is replaced by the
  // pool for this call. Its own failure changes nothing the user can act on.
  const stop = async (target: QueryTarget, queryId: string) => {
    try {
      await api.call('stopQuery', target.profile.name, target.region, { queryId });
    } catch {
      // The query ends on its own (Insights stops it after 60 minutes).
    }
  };

  const runOne = async (target: QueryTarget, part: QueryPart) => {
    try {
      await pollOne(target, part);
    } catch (err) {
      // The call itself failed (the AWS worker died, the pool was stopped): the part ends in an
      // error, never stays "running", and a query that was started is stopped.
      const e = errorOf(err);
      part.state = 'error';
      part.error = { kind: e.kind === 'aborted' ? 'aborted' : 'unknown', code: e.code, message: e.message, detail: e.detail };
      if (part.queryId) {
        await stop(target, part.queryId);
        part.stopSent = true;
      }
      report();
    }
  };

  const pollOne = async (target: QueryTarget, part: QueryPart) => {
    if (signal?.aborted) {
      part.state = 'Cancelled';
      return;
    }
    const started = await api.call('startQuery', target.profile.name, target.region, {
      logGroupNames: target.logGroupNames,
      queryString: query.queryString,
      startTime: query.startTime,
      endTime: query.endTime,
      limit: query.limit,
    });
    if (!started.ok) {
      part.state = 'error';
      part.error = started.error;
      return report();
    }
    part.queryId = started.queryId;
    part.state = 'Scheduled';
    const since = now();
    report();
    for (let poll = 0; ; poll++) {
      if (signal?.aborted) {
        // Cancel: StopQuery, so the query stops costing money and counting against the limit.
        await stop(target, started.queryId);
        part.state = 'Cancelled';
        return report();
      }
      if (poll >= maxPolls || now() - since >= maxRunMs) {
        await stop(target, started.queryId);
        part.state = 'Timeout';
        part.stoppedAfterMs = maxRunMs;
        return report();
      }
      if (poll > 0) await sleep(Math.min(2000, 500 + poll * 250), signal);
      if (signal?.aborted) continue;
      const answer = await api.call('getQueryResults', target.profile.name, target.region, { queryId: started.queryId });
      if (!answer.ok) {
        part.state = 'error';
        part.error = answer.error;
        return report();
      }
      part.statistics = answer.statistics;
      if (!TERMINAL.has(answer.status)) {
        part.state = answer.status === 'Scheduled' ? 'Scheduled' : 'Running';
        report();
        continue;
      }
      part.state = answer.status === 'Unknown' ? 'Failed' : (answer.status as PartState);
      if (part.state === 'Complete') {
        // A query the user wrote has no columns known in advance: they come from its answer.
        const table = readResults(query.columns.length ? query : { ...query, columns: inferColumns(answer.results) }, answer.results);
        part.rows = table.rows.length;
        tables.push(table);
      }
      return report();
    }
  };

  await Promise.all(chunks.map((t, i) => runOne(t, parts[i])));
  const columns = query.columns.length ? query.columns : (tables[0]?.columns ?? []);
  const table = mergeTables(
    { ...query, columns },
    tables.map((t) => alignTable(t, columns)),
  );
  const complete = parts.filter((p) => p.state === 'Complete').length;
  const firstBad = parts.find((p) => p.state !== 'Complete');
  const error = parts.find((p) => p.error)?.error;
  let state: AnalysisState;
  if (complete === parts.length) state = 'complete';
  else if (parts.some((p) => p.state === 'Cancelled') && signal?.aborted) state = 'cancelled';
  else if (complete > 0) state = 'partial';
  else
    state =
      firstBad?.state === 'Timeout'
        ? 'timeout'
        : firstBad?.state === 'error'
          ? 'error'
          : firstBad?.state === 'Cancelled'
            ? 'cancelled'
            : 'failed';
  return { state, table, parts, statistics: sum(parts), summary: summarize(state, parts, table), error };
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word.endsWith('query') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

export function summarize(state: AnalysisState, parts: readonly QueryPart[], table: ResultTable): string {
  const where = new Set(parts.map((p) => `${p.profile}/${p.region}`));
  const merged =
    parts.length > 1
      ? `, merged from ${plural(parts.length, 'query')} (${[...where].join(', ')}); a top-N merge can miss keys below each query's own limit`
      : '';
  switch (state) {
    case 'complete':
      return `${plural(table.rows.length, 'row')}${merged}`;
    case 'partial': {
      const bad = parts.filter((p) => p.state !== 'Complete');
      return `${plural(table.rows.length, 'row')} from ${parts.length - bad.length} of ${plural(parts.length, 'query')}; not answered: ${bad.map((p) => `${p.profile}/${p.region} (${p.error?.message ?? p.state})`).join('; ')}`;
    }
    case 'cancelled':
      return 'Cancelled (StopQuery sent)';
    case 'timeout': {
      const bound = parts.find((p) => p.stoppedAfterMs)?.stoppedAfterMs;
      return bound
        ? `Stopped after ${durationText(bound)} still running (StopQuery sent; the bound is the setting flowLogs.insights.maxQueryMinutes): narrow the time range or the log groups`
        : 'Logs Insights timed out: narrow the time range or the log groups';
    }
    case 'failed':
      return 'Logs Insights could not complete the query (Failed)';
    case 'error': {
      const stopped = parts.filter((p) => p.stopSent).length;
      const message = parts.find((p) => p.error)?.error?.message ?? 'The query could not run';
      return stopped ? `${message} (StopQuery sent for ${plural(stopped, 'started query')})` : message;
    }
  }
}
