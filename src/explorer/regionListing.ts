// The flow logs of one (profile, region) as far as they are loaded: the pager (made by
// FlowLogService.pager with the active filters), the AbortController that collapse and Refresh
// fire, the DryRun permission result, and a change callback. The tree node of the region only
// draws this; commands (Load more…, Load All, Refresh, Retry, cancel) act on it.
import type { FlowLogPager, LoadResult } from '../aws/flowLogPager';
import type { FlowLogsError } from '../shared/errors';
import type { PermissionResult } from '../aws/flowLogService';
import type { AwsProfile } from '../shared/profiles';
import type { FlowLog } from '../shared/types';
import { flowLogRef, type FlowLogRef } from './flowLogRef';

export interface ListingContext {
  /** A new pager for this profile and region (with the filters and page size of now). */
  pager(profile: AwsProfile, region: string): FlowLogPager;
  /** The listing changed (the model tells the tree, whose node redraws). Not called once the listing is detached. */
  changed(listing: RegionListing): void;
}

export class RegionListing {
  private pagerValue: FlowLogPager | undefined;
  private abort = new AbortController();
  /** Refs handed out, one per flow log object (the same object gives the same ref). */
  private readonly refs = new WeakMap<FlowLog, FlowLogRef>();
  /** The DryRun result of Check Permissions for this region. */
  permission: PermissionResult | undefined;
  /** True once the listing has left the model (Refresh, its profile changed): it never loads again. */
  detached = false;

  constructor(
    readonly profile: AwsProfile,
    readonly region: string,
    /** The profile state's generation this listing belongs to. */
    readonly generation: number,
    private readonly ctx: ListingContext,
  ) {}

  /** The pager, once the region has been asked for flow logs (undefined before, and after a reset). */
  get pager(): FlowLogPager | undefined {
    return this.pagerValue;
  }

  get loading(): boolean {
    return this.pagerValue?.loading ?? false;
  }

  /** True until the last page is in (and before the first page is asked for). */
  get hasMore(): boolean {
    return this.pagerValue?.hasMore ?? true;
  }

  get flowLogs(): readonly FlowLog[] {
    return this.pagerValue?.items ?? [];
  }

  /** The error that stopped the paging, if any (a cancel is `aborted`). */
  get lastError(): FlowLogsError | undefined {
    return this.pagerValue?.lastError;
  }

  /** The flow logs loaded so far, as refs (stable: the same flow log object gives the same ref). */
  get loadedFlowLogs(): FlowLogRef[] {
    return this.flowLogs.map((f) => this.refOf(f));
  }

  refOf(flowLog: FlowLog): FlowLogRef {
    let ref = this.refs.get(flowLog);
    if (!ref) {
      ref = flowLogRef(this.profile, this.region, flowLog);
      this.refs.set(flowLog, ref);
    }
    return ref;
  }

  /** The pager, made on first use. */
  ensurePager(): FlowLogPager {
    if (!this.pagerValue) this.pagerValue = this.ctx.pager(this.profile, this.region);
    return this.pagerValue;
  }

  /**
   * What a region shows when expanded: the first page (loaded now when it never was, or again
   * after a cancel, but not after an error: Retry does that), or the page in flight. Returns the
   * pager to draw, or undefined once detached. A reset while loading draws from the new pager.
   * `progress` wraps the load (the view's progress bar).
   */
  async settled(progress: (task: () => Promise<LoadResult>) => Promise<unknown> = (t) => t()): Promise<FlowLogPager | undefined> {
    for (;;) {
      if (this.detached) return undefined;
      const pager = this.ensurePager();
      const needsFirstPage = pager.pagesLoaded === 0 && (!pager.lastError || pager.lastError.kind === 'aborted');
      if (needsFirstPage || pager.loading) {
        const signal = this.abort.signal;
        await progress(() => pager.loadNext(signal));
        this.changed(); // the counts changed
      }
      if (pager === this.pagerValue) return pager;
      // Reset while loading: settle the new pager instead.
    }
  }

  /** Loads the next page ("Load more…"); a second call while loading joins the first. */
  async loadMore(): Promise<LoadResult> {
    if (this.detached) return { added: [] };
    const pager = this.ensurePager();
    const running = pager.loadNext(this.abort.signal);
    this.changed();
    const result = await running;
    this.changed();
    return result;
  }

  /** Loads every remaining page (cancel() stops it; the next load resumes there). */
  async loadAll(onProgress?: (loaded: number) => void): Promise<LoadResult> {
    if (this.detached) return { added: [] };
    const pager = this.ensurePager();
    try {
      return await pager.loadAll(this.abort.signal, onProgress);
    } finally {
      this.changed();
    }
  }

  /** After a listing stopped on a repeated page token: go on from the last good token. */
  resume(): boolean {
    const pager = this.pagerValue;
    if (!pager?.resume()) return false;
    void this.loadMore();
    return true;
  }

  /** Cancels the request in flight (collapse); the cursor stays, so expanding again resumes. */
  cancel(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  /** Forgets everything loaded (Refresh This Node, filters changed, Retry on the profile). */
  reset(): void {
    this.cancel();
    this.pagerValue = undefined;
    this.permission = undefined;
  }

  /** The listing leaves the model: cancelled, forgotten, and it never loads again. */
  detach(): void {
    this.reset();
    this.detached = true;
  }

  /** Records a DryRun result and redraws. */
  setPermission(result: PermissionResult | undefined): void {
    this.permission = result;
    this.changed();
  }

  /** Tells the model, which tells the tree (never once detached). */
  changed(): void {
    if (this.detached) return;
    this.ctx.changed(this);
  }
}
