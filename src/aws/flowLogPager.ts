// Pages DescribeFlowLogs for one (profile, region, query), one page at a time, keeping what it
// has loaded. A failed page leaves the cursor where it was, so Retry resumes at that page:
// nothing lost, nothing loaded twice. It also defends against a misbehaving server: duplicate
// items are dropped, a NextToken seen before ends the listing, empty pages are bounded.
// Errors arrive classified (the worker did it): the pager unwraps them, never classifies.
import type { FlowLog, FlowLogQuery } from '../shared/types';
import { cancelledError, errorOf, type FlowLogsError } from '../shared/errors';
import { planQueries } from './flowLogQueries';
import type { FlowLogPage, FlowLogPageRequest } from '../shared/awsWorkerProtocol';

export type { FlowLogPage };

/** One page asked for: the operation's arguments and the signal that cancels it. */
export interface FlowLogPageCall extends FlowLogPageRequest {
  signal?: AbortSignal;
}

/**
 * One DescribeFlowLogs page (operation describeFlowLogsPage). FlowLogService.describeFlowLogsPage
 * provides it; tests can provide their own. It rejects with an AwsCallError (errors.ts).
 */
export type DescribeFlowLogsPage = (request: FlowLogPageCall) => Promise<FlowLogPage>;

/**
 * A rejected page token cannot be sent again: Retry starts the listing over (the tree's region
 * node does, and says so). Any other error resumes at the failed page.
 */
export function restartsListing(error: FlowLogsError): boolean {
  return error.code === 'InvalidPaginationToken' || error.code === 'InvalidNextToken';
}

export interface LoadResult {
  /** Flow logs this call added (duplicates already removed). */
  added: FlowLog[];
  error?: FlowLogsError;
}

export interface PagerOptions {
  pageSize: number;
  /** Empty pages that carry a NextToken are followed automatically, up to this many per load. */
  maxEmptyPagesPerLoad?: number;
  /** Hard bound on pages (empty or not), against a server that never stops. */
  maxPages?: number;
  /** Hard bound on flow logs kept, against a server that never stops. */
  maxItems?: number;
  /** Load All stops after this many empty pages in a row (no progress); Load more… stays. */
  maxEmptyPagesInARow?: number;
  onWarning?: (message: string) => void;
}

/** Bounds against a server that never stops: 20,000 pages (100,000 flow logs at the smallest page size), 1,000,000 flow logs. */
export const DEFAULT_MAX_PAGES = 20_000;
export const DEFAULT_MAX_ITEMS = 1_000_000;
/** Load All gives up after this many empty pages in a row (a single Load more… after 10). */
export const DEFAULT_MAX_EMPTY_IN_A_ROW = 50;

/** DescribeFlowLogs accepts MaxResults from 5 to 1000. */
export function clampPageSize(n: number): number {
  return Math.min(1000, Math.max(5, Math.floor(Number.isFinite(n) ? n : 50)));
}

export class FlowLogPager {
  readonly items: FlowLog[] = [];
  private readonly seen = new Set<string>();
  private readonly queries: FlowLogQuery[];
  private queryIndex = 0;
  private nextToken: string | undefined;
  private readonly usedTokens = new Set<string>();
  /** Where a listing ended by a repeated NextToken can go on from: the query and its last good token. */
  private resumePoint: { queryIndex: number; token: string | undefined } | undefined;
  private inFlight: Promise<LoadResult> | undefined;
  private finished = false;
  pagesLoaded = 0;
  duplicatesDropped = 0;
  lastError: FlowLogsError | undefined;
  /** Why paging ended early (a misbehaving server), for the user to see. */
  stoppedEarly: string | undefined;
  /** One line for the tree that says why, when paging ended early. */
  stoppedEarlyLabel: string | undefined;
  private emptyInARow = 0;
  private readonly pageSize: number;

  constructor(
    private readonly describeFlowLogsPage: DescribeFlowLogsPage,
    query: FlowLogQuery,
    private readonly options: PagerOptions,
  ) {
    // More than 1000 FlowLogIds: several queries of at most 1000, walked one after another.
    this.queries = planQueries(query);
    this.pageSize = clampPageSize(options.pageSize);
  }

  /** True until every query has been walked to its last page. */
  get hasMore(): boolean {
    return !this.finished;
  }

  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** True when the last error was a rejected page token: Retry must start the listing over (restartsListing). */
  get restartsOnRetry(): boolean {
    return this.lastError !== undefined && restartsListing(this.lastError);
  }

  /** Loads the next page. A call while a page is loading returns that same load. Never throws. */
  loadNext(signal?: AbortSignal): Promise<LoadResult> {
    if (this.inFlight) return this.inFlight;
    if (this.finished) return Promise.resolve({ added: [] });
    this.inFlight = this.loadOnePage(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Loads every remaining page; stops at the first error (the next call resumes there). */
  async loadAll(signal?: AbortSignal, onProgress?: (loaded: number) => void): Promise<LoadResult> {
    const added: FlowLog[] = [];
    const maxEmptyInARow = this.options.maxEmptyPagesInARow ?? DEFAULT_MAX_EMPTY_IN_A_ROW;
    while (this.hasMore) {
      const r = await this.loadNext(signal);
      added.push(...r.added);
      onProgress?.(this.items.length);
      if (r.error) return { added, error: r.error };
      if (this.hasMore && this.emptyInARow >= maxEmptyInARow) {
        // No progress: a server that answers empty pages with fresh tokens forever. Load more… stays.
        this.stop(
          `DescribeFlowLogs returned ${this.emptyInARow} empty pages in a row, each with a NextToken; Load All stopped (${this.items.length} flow logs kept, Load more… goes on)`,
          `Load All stopped: ${this.emptyInARow} empty pages in a row from the server`,
        );
        return { added };
      }
    }
    return { added };
  }

  private async loadOnePage(signal?: AbortSignal): Promise<LoadResult> {
    const added: FlowLog[] = [];
    const maxEmpty = this.options.maxEmptyPagesPerLoad ?? 10;
    const maxPages = this.options.maxPages ?? DEFAULT_MAX_PAGES;
    const maxItems = this.options.maxItems ?? DEFAULT_MAX_ITEMS;
    for (let emptyPages = 0; ;) {
      if (signal?.aborted) return this.fail(cancelledError());
      const query = this.queries[this.queryIndex];
      let page: FlowLogPage;
      try {
        page = await this.describeFlowLogsPage({ query, pageSize: this.pageSize, nextToken: this.nextToken, signal });
      } catch (err) {
        return this.fail(errorOf(err));
      }
      if (signal?.aborted) return this.fail(cancelledError()); // a late answer after a cancel is dropped whole
      this.lastError = undefined;
      this.pagesLoaded += 1;
      let duplicates = 0;
      for (const item of page.items) {
        const id = item.FlowLogId ?? '';
        if (id && this.seen.has(id)) {
          duplicates += 1;
          continue;
        }
        if (id) this.seen.add(id);
        this.items.push(item);
        added.push(item);
      }
      if (duplicates) {
        this.duplicatesDropped += duplicates;
        this.warn(`DescribeFlowLogs returned ${duplicates} flow log(s) already listed on an earlier page; shown once`);
      }
      this.advance(page.nextToken);
      this.emptyInARow = page.items.length ? 0 : this.emptyInARow + 1;
      if (!this.finished && (this.pagesLoaded >= maxPages || this.items.length >= maxItems)) {
        // The page bound holds for every page, empty or not: a server that never stops cannot grow the heap for ever.
        this.warn(`Stopped after ${this.pagesLoaded} pages`);
        const what = this.pagesLoaded >= maxPages ? `${maxPages} pages` : `${maxItems} flow logs`;
        this.stop(
          `Listing stopped at the limit of ${what}: the server still returned a NextToken (${this.items.length} flow logs kept)`,
          `Listing stopped at the limit of ${what} (${this.items.length} kept)`,
        );
        this.finished = true;
        return { added };
      }
      if (this.finished || added.length > 0) return { added };
      emptyPages += 1;
      if (emptyPages >= maxEmpty) return { added }; // "Load more…" stays, the user decides
    }
  }

  private stop(why: string, label: string): void {
    this.stoppedEarly = why;
    this.stoppedEarlyLabel = label;
  }

  /** True when the listing ended on a repeated NextToken and can be tried again from the last good token. */
  get canResume(): boolean {
    return this.resumePoint !== undefined && this.nextToken === undefined && !this.inFlight;
  }

  /**
   * Retry after a repeated NextToken: the query that looped is walked again from the last token
   * that worked (flow logs already listed are not listed twice). Returns false when there is nothing to resume.
   */
  resume(): boolean {
    const point = this.resumePoint;
    if (!point || !this.canResume) return false;
    this.resumePoint = undefined;
    this.stoppedEarly = undefined;
    this.stoppedEarlyLabel = undefined;
    // The looping query goes in again at the current position (the queries after it stay as they are).
    this.queries.splice(this.queryIndex, 0, this.queries[point.queryIndex]);
    this.nextToken = point.token;
    if (point.token) this.usedTokens.add(point.token);
    this.finished = false;
    return true;
  }

  private advance(token: string | undefined): void {
    if (token && this.usedTokens.has(token)) {
      this.resumePoint = { queryIndex: this.queryIndex, token: this.nextToken };
      this.stop(
        'DescribeFlowLogs returned a NextToken it had already returned; stopped paging to avoid an endless loop',
        'Listing stopped early: the server repeated a page token',
      );
      this.warn(this.stoppedEarly!);
      token = undefined;
    }
    if (token) {
      this.usedTokens.add(token);
      this.nextToken = token;
      return;
    }
    this.nextToken = undefined;
    this.usedTokens.clear();
    this.queryIndex += 1;
    if (this.queryIndex >= this.queries.length) this.finished = true;
  }

  private fail(error: FlowLogsError): LoadResult {
    this.lastError = error;
    return { added: [], error };
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }
}
