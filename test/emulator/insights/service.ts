// CloudWatch Logs Insights on the local endpoint: StartQuery, GetQueryResults, StopQuery and
// DescribeQueries over the log events the endpoint serves. A query is Running for a while
// (`runningMs`, with statistics that grow as if it scanned), then Complete with its answer; the
// answer comes from the engine (engine.ts) over the events of its log groups and time range.
//
// As on AWS: exactly one of logGroupName / logGroupNames / logGroupIdentifiers, at most 50 log
// groups; startTime and endTime are epoch seconds; a query the engine cannot run is
// MalformedQueryException with queryCompileError (message and character range); at most
// `maxConcurrent` (30) queries run at once per account and region, beyond that
// LimitExceededException; unknown query IDs are ResourceNotFoundException.
// Decided here: StopQuery on a query that is no longer running answers success: false.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors';
import { execute, type InsightsEvent, type QueryAnswer } from './engine';
import { MalformedQueryError, parseQuery, type Command } from './language';

export interface InsightsCaller {
  accountId: string;
  region: string;
}

export interface InsightsEventSource {
  /** Whether the log group exists for the caller. */
  hasGroup(accountId: string, region: string, group: string): boolean;
  /** The group's events in [startMs, endMs], oldest first. */
  events(
    accountId: string,
    region: string,
    group: string,
    startMs: number,
    endMs: number,
  ): Iterable<{ timestamp: number; message: string; logStreamName: string; ingestionTime?: number }>;
}

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

interface StoredQuery {
  queryId: string;
  accountId: string;
  region: string;
  queryString: string;
  groups: string[];
  startMs: number;
  endMs: number;
  limit: number;
  commands: Command[];
  createTime: number;
  /** Set once it is no longer running. */
  final?: 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';
  answer?: QueryAnswer;
  /** Events in range (for the statistics while running). */
  scanned?: { records: number; bytes: number };
}

/** An API error with extra members in its JSON body (MalformedQueryException's queryCompileError). */
export class InsightsApiError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(status, code, message);
  }
}

const invalid = (message: string) => new InsightsApiError(400, 'InvalidParameterException', message);
const MAX_STORED = 10_000;
export const INSIGHTS_ACTIONS = new Set(['StartQuery', 'GetQueryResults', 'StopQuery', 'DescribeQueries']);

export class InsightsService {
  /** How long a query stays Running. */
  runningMs = 400;
  /** Queries running at once per account and region. */
  maxConcurrent = 30;
  /** Tests: make a query end Failed or Timeout instead of Complete. */
  outcome: (queryString: string) => 'Failed' | 'Timeout' | undefined = () => undefined;
  private readonly queries = new Map<string, StoredQuery>();

  constructor(
    private readonly source: InsightsEventSource,
    public now: () => number = Date.now,
  ) {}

  handle(action: string, caller: InsightsCaller, input: Record<string, unknown>): unknown {
    switch (action) {
      case 'StartQuery':
        return this.startQuery(caller, input);
      case 'GetQueryResults':
        return this.getQueryResults(caller, input);
      case 'StopQuery':
        return this.stopQuery(caller, input);
      case 'DescribeQueries':
        return this.describeQueries(caller, input);
    }
    throw new InsightsApiError(400, 'UnknownOperationException', `Unknown operation ${action}`);
  }

  /** Every query the endpoint has seen (tests). */
  all(): readonly { queryId: string; queryString: string; status: QueryStatus; groups: string[] }[] {
    return [...this.queries.values()].map((q) => ({
      queryId: q.queryId,
      queryString: q.queryString,
      status: this.status(q),
      groups: q.groups,
    }));
  }

  private status(q: StoredQuery): QueryStatus {
    if (q.final) return q.final;
    if (this.now() - q.createTime < this.runningMs) return 'Running';
    q.final = this.outcome(q.queryString) ?? 'Complete';
    return q.final;
  }

  private startQuery(caller: InsightsCaller, input: Record<string, unknown>) {
    const given = ['logGroupName', 'logGroupNames', 'logGroupIdentifiers'].filter((k) => input[k] !== undefined);
    if (given.length !== 1) throw invalid('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified');
    let groups: unknown[] = given[0] === 'logGroupName' ? [input.logGroupName] : (input[given[0]] as unknown[]);
    if (!Array.isArray(groups) || groups.length < 1)
      throw invalid(
        `1 validation error detected: Value at '${given[0]}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    if (groups.length > 50)
      throw invalid(
        `1 validation error detected: Value at '${given[0]}' failed to satisfy constraint: Member must have length less than or equal to 50`,
      );
    groups = groups.map((g) => {
      if (typeof g !== 'string' || g.length < 1 || g.length > 2048) throw invalid(`Invalid log group name: ${String(g).slice(0, 100)}`);
      const arn = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(:\*)?$/.exec(g);
      if (arn && (arn[1] !== caller.region || arn[2] !== caller.accountId))
        throw new InsightsApiError(
          400,
          'ResourceNotFoundException',
          `Log group '${g}' does not exist for account ID '${caller.accountId}'`,
        );
      return arn ? arn[3] : g;
    });
    const names = [...new Set(groups as string[])];
    for (const g of names) {
      if (!this.source.hasGroup(caller.accountId, caller.region, g))
        throw new InsightsApiError(
          400,
          'ResourceNotFoundException',
          `Log group '${g}' does not exist for account ID '${caller.accountId}' (Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException)`,
        );
    }
    const startTime = input.startTime;
    const endTime = input.endTime;
    if (typeof startTime !== 'number' || !Number.isInteger(startTime) || startTime < 0)
      throw invalid("1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null");
    if (typeof endTime !== 'number' || !Number.isInteger(endTime) || endTime < 0)
      throw invalid("1 validation error detected: Value null at 'endTime' failed to satisfy constraint: Member must not be null");
    if (endTime < startTime) throw invalid('End time should not be before the start time');
    const queryString = input.queryString;
    if (typeof queryString !== 'string' || queryString.length < 1)
      throw invalid("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: Member must not be null");
    if (queryString.length > 10_000)
      throw invalid(
        "1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 10000",
      );
    const limit = input.limit === undefined ? 10_000 : input.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw invalid(
        `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`,
      );
    let commands: Command[];
    try {
      commands = parseQuery(queryString);
    } catch (e) {
      if (!(e instanceof MalformedQueryError)) throw e;
      throw new InsightsApiError(400, 'MalformedQueryException', `${e.message} at position ${e.start}`, {
        queryCompileError: { location: { startCharOffset: e.start, endCharOffset: e.end }, message: e.message },
      });
    }
    const running = [...this.queries.values()].filter(
      (q) => q.accountId === caller.accountId && q.region === caller.region && this.status(q) === 'Running',
    ).length;
    if (running >= this.maxConcurrent)
      throw new InsightsApiError(
        400,
        'LimitExceededException',
        `Account maximum query concurrency limit of [${this.maxConcurrent}] reached.`,
      );
    const q: StoredQuery = {
      queryId: randomUUID(),
      accountId: caller.accountId,
      region: caller.region,
      queryString,
      groups: names,
      startMs: startTime * 1000,
      endMs: endTime * 1000 + 999,
      limit,
      commands,
      createTime: this.now(),
    };
    this.queries.set(q.queryId, q);
    if (this.queries.size > MAX_STORED) this.queries.delete(this.queries.keys().next().value as string);
    return { queryId: q.queryId };
  }

  private find(caller: InsightsCaller, input: Record<string, unknown>): StoredQuery {
    const id = input.queryId;
    if (typeof id !== 'string' || id.length < 1 || id.length > 256)
      throw invalid("1 validation error detected: Value null at 'queryId' failed to satisfy constraint: Member must not be null");
    const q = this.queries.get(id);
    if (!q || q.accountId !== caller.accountId || q.region !== caller.region)
      throw new InsightsApiError(400, 'ResourceNotFoundException', `Query does not exist: ${id.slice(0, 100)}`);
    return q;
  }

  private *eventsOf(q: StoredQuery): Generator<InsightsEvent> {
    for (const group of q.groups) {
      for (const e of this.source.events(q.accountId, q.region, group, q.startMs, q.endMs)) {
        yield {
          timestamp: e.timestamp,
          message: e.message,
          logStreamName: e.logStreamName,
          ingestionTime: e.ingestionTime,
          logGroupName: group,
          accountId: q.accountId,
        };
      }
    }
  }

  private answer(q: StoredQuery): QueryAnswer {
    q.answer ??= execute(q.commands, this.eventsOf(q), q.limit);
    return q.answer;
  }

  private getQueryResults(caller: InsightsCaller, input: Record<string, unknown>) {
    const q = this.find(caller, input);
    const status = this.status(q);
    if (status === 'Running') {
      // Statistics grow with the time run so far; no rows until the query completes.
      const total = this.answer(q).statistics;
      const part = Math.min(0.95, (this.now() - q.createTime) / this.runningMs);
      return {
        results: [],
        statistics: {
          recordsMatched: Math.floor(total.recordsMatched * part),
          recordsScanned: Math.floor(total.recordsScanned * part),
          bytesScanned: Math.floor(total.bytesScanned * part),
        },
        status,
      };
    }
    if (status === 'Complete') {
      const a = this.answer(q);
      return { results: a.results, statistics: a.statistics, status };
    }
    return {
      results: [],
      statistics: {
        recordsMatched: 0,
        recordsScanned: q.answer?.statistics.recordsScanned ?? 0,
        bytesScanned: q.answer?.statistics.bytesScanned ?? 0,
      },
      status,
    };
  }

  private stopQuery(caller: InsightsCaller, input: Record<string, unknown>) {
    const q = this.find(caller, input);
    if (this.status(q) !== 'Running') return { success: false };
    q.final = 'Cancelled';
    return { success: true };
  }

  private describeQueries(caller: InsightsCaller, input: Record<string, unknown>) {
    const max = input.maxResults === undefined ? 1000 : input.maxResults;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000)
      throw invalid(
        `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
      );
    const status = input.status;
    if (
      status !== undefined &&
      !['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown'].includes(String(status))
    ) {
      throw invalid(
        `1 validation error detected: Value '${String(status)}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Scheduled, Running, Complete, Failed, Cancelled, Timeout, Unknown]`,
      );
    }
    const group = input.logGroupName;
    const all = [...this.queries.values()]
      .filter((q) => q.accountId === caller.accountId && q.region === caller.region)
      .filter((q) => (status === undefined || this.status(q) === status) && (typeof group !== 'string' || q.groups.includes(group)))
      .reverse();
    let offset = 0;
    if (input.nextToken !== undefined) {
      offset = typeof input.nextToken === 'string' && /^o\d+$/.test(input.nextToken) ? Number(input.nextToken.slice(1)) : -1;
      if (offset < 0) throw invalid('The specified nextToken is invalid.');
    }
    const page = all.slice(offset, offset + max);
    return {
      queries: page.map((q) => ({
        queryId: q.queryId,
        queryString: q.queryString,
        status: this.status(q),
        createTime: q.createTime,
        logGroupName: q.groups[0],
      })),
      ...(offset + max < all.length ? { nextToken: `o${offset + max}` } : {}),
    };
  }
}
