// A region of a profile. Expanding it loads the first page of DescribeFlowLogs with the active
// filters; "Load more…" loads the next. Collapse and Refresh cancel the request in flight.
import * as vscode from 'vscode';
import type { AwsProfile } from '../aws/profiles';
import type { FlowLogPager, LoadResult } from '../aws/flowLogPager';
import { isEmpty, toQuery } from '../filters/filterSet';
import { regionContextValue, regionDescription, regionErrorPresentation } from './flowLogLabels';
import { FlowLogNode } from './flowLogNode';
import { LoadMoreNode } from './loadMoreNode';
import { ErrorNode, MessageNode, RetryableWarningNode } from './messageNode';
import type { Pageable, TreeContext, TreeNode } from './treeNode';
import type { PermissionResult } from '../aws/flowLogService';
import { permissionWord } from '../aws/errors';

export class RegionNode implements Pageable {
  readonly kind = 'region';
  readonly id: string;
  private pager: FlowLogPager | undefined;
  private abort = new AbortController();
  private readonly flowLogNodes = new Map<string, FlowLogNode>();
  private readonly loadMoreNode: LoadMoreNode;
  permission: PermissionResult | undefined;

  get pagedItemsLabel(): string {
    return `flow logs of ${this.profile.name} ${this.region}`;
  }

  constructor(
    readonly parent: TreeNode,
    readonly profile: AwsProfile,
    readonly region: string,
    private readonly ctx: TreeContext,
  ) {
    this.id = `region/${profile.name}/${region}`;
    this.loadMoreNode = new LoadMoreNode(this);
  }

  get loading(): boolean {
    return this.pager?.loading ?? false;
  }

  get loadedFlowLogs(): FlowLogNode[] {
    return (this.pager?.items ?? []).map((f) => this.nodeFor(f));
  }

  get hasMore(): boolean {
    return this.pager?.hasMore ?? true;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.region,
      this.ctx.wasExpanded?.(this.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const filtered = !isEmpty(this.ctx.filters.filters);
    item.iconPath = new vscode.ThemeIcon(filtered ? 'filter' : 'globe');
    const loaded = this.pager?.items.length ?? 0;
    const failed = !!this.pager?.lastError && this.pager.lastError.kind !== 'aborted';
    let description = this.pager
      ? regionDescription(loaded, this.pager.hasMore, filtered, this.loading, failed)
      : filtered
        ? 'filtered'
        : '';
    if (this.permission) description += `${description ? ' · ' : ''}${permissionWord(this.permission)}`;
    item.description = description;
    const count = !this.pager
      ? ''
      : this.pager.hasMore
        ? `\n${loaded} flow logs loaded so far; Load more… or Load All fetches the rest`
        : `\n${loaded} flow logs in this region${filtered ? ' matching the filters' : ''} (all loaded)`;
    item.tooltip = `${this.profile.name} · ${this.region}${count}${filtered ? '\nFiltered by the active filters' : ''}${this.permission ? `\nec2:DescribeFlowLogs: ${this.permission.allowed ? 'allowed (DryRun)' : this.permission.error.message}` : ''}`;
    item.contextValue = regionContextValue(!!this.pager?.hasMore && this.pager.items.length > 0);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    for (;;) {
      // Replaced by a Refresh: VS Code may still ask a detached node for its children; it must not load.
      if (this.detached) return [];
      const pager = this.ensurePager();
      // First expansion, or expanding again after a collapse cancelled the first page. Not after an
      // error: the error node's Retry does that (re-loading here would loop, as VS Code asks for the
      // children again when the node changes).
      const needsFirstPage = pager.pagesLoaded === 0 && (!pager.lastError || pager.lastError.kind === 'aborted');
      if (needsFirstPage || pager.loading) {
        const signal = this.abort.signal;
        await this.ctx.withViewProgress(() => pager.loadNext(signal));
        this.ctx.changed(this); // the description (counts) changed
      }
      if (pager === this.pager) return this.childrenOf(pager);
      // Refreshed while loading: build from the new pager instead.
    }
  }

  /** Loads the next page (the "Load more…" node); a second call while loading joins the first. */
  async loadMore(): Promise<LoadResult> {
    if (this.detached) return { added: [] };
    const pager = this.ensurePager();
    const running = pager.loadNext(this.abort.signal);
    this.ctx.changed(this);
    const result = await running;
    this.ctx.changed(this);
    return result;
  }

  async loadAll(token?: vscode.CancellationToken, onProgress?: (n: number) => void): Promise<LoadResult> {
    if (this.detached) return { added: [] };
    const pager = this.ensurePager();
    const sub = token?.onCancellationRequested(() => this.cancel());
    try {
      const result = await pager.loadAll(this.abort.signal, onProgress);
      return result;
    } finally {
      sub?.dispose();
      this.ctx.changed(this);
    }
  }

  /** Cancels the request in flight (collapse); the cursor stays, so expanding again resumes. */
  cancel(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  /** True once the node has left the tree (its profile was refreshed or replaced). */
  detached = false;

  detach(): void {
    this.reset();
    this.detached = true;
  }

  /** Forgets everything loaded (Refresh, filters changed). */
  reset(): void {
    this.cancel();
    this.pager = undefined;
    this.flowLogNodes.clear();
    this.permission = undefined;
  }

  private ensurePager(): FlowLogPager {
    if (!this.pager) {
      this.pager = this.ctx.service.pager(this.profile, this.region, toQuery(this.ctx.filters.filters), this.ctx.pageSize());
    }
    return this.pager;
  }

  private nodeFor(f: NonNullable<FlowLogPager['items'][number]>): FlowLogNode {
    const key = f.FlowLogId ?? '';
    let node = this.flowLogNodes.get(key);
    if (!node || node.flowLog !== f) {
      node = new FlowLogNode(this, this.profile, this.region, f);
      this.flowLogNodes.set(key, node);
    }
    return node;
  }

  private childrenOf(pager: FlowLogPager): TreeNode[] {
    const children: TreeNode[] = pager.items.map((f) => this.nodeFor(f));
    const error = pager.lastError;
    if (error && error.kind !== 'aborted') {
      const shown = regionErrorPresentation(error, !isEmpty(this.ctx.filters.filters));
      const retry = shown.restartOnRetry
        ? () => {
            this.reset();
            this.ctx.changed(this);
          }
        : () => void this.loadMore();
      children.push(new ErrorNode(`${this.id}/error`, this, shown.error, retry));
    } else if (pager.hasMore) {
      children.push(this.loadMoreNode);
    }
    if (pager.stoppedEarly && pager.canResume) {
      children.push(
        new RetryableWarningNode(`${this.id}/stopped`, this, pager.stoppedEarlyLabel ?? 'Listing stopped early', pager.stoppedEarly, () => {
          if (pager.resume()) void this.loadMore();
        }),
      );
    } else if (pager.stoppedEarly) {
      children.push(
        new MessageNode(`${this.id}/stopped`, this, pager.stoppedEarlyLabel ?? 'Listing stopped early', {
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
          tooltip: pager.stoppedEarly,
          contextValue: 'error',
          command: { command: 'flowLogs.showOutput', title: 'Show Output' },
        }),
      );
    }
    if (pager.items.length === 0 && !pager.hasMore && !error) {
      const filtered = !isEmpty(this.ctx.filters.filters);
      children.push(
        new MessageNode(`${this.id}/empty`, this, filtered ? 'No flow logs match the filters' : 'No flow logs', { icon: 'info' }),
      );
    }
    return children;
  }
}
