// A region of a profile: draws its listing in the explorer model (src/explorer/regionListing.ts).
// Expanding it loads the first page of DescribeFlowLogs with the active filters; "Load more…"
// loads the next. Collapse and Refresh cancel the request in flight (the model's AbortController).
import * as vscode from 'vscode';
import type { AwsProfile } from '../shared/profiles';
import type { FlowLogPager, LoadResult } from '../aws/flowLogPager';
import { isEmpty } from '../filters/filterSet';
import type { FlowLogRef } from '../explorer/flowLogRef';
import type { RegionListing } from '../explorer/regionListing';
import { regionContextValue, regionDescription, regionErrorPresentation, regionTooltipCount } from './nodeLabels';
import { FlowLogNode } from './flowLogNode';
import { LoadMoreNode } from './loadMoreNode';
import { ErrorNode, MessageNode, RetryableWarningNode } from './messageNode';
import type { Pageable, ProfileKey, TreeContext, TreeNode } from './treeNode';
import { permissionWord } from '../shared/errors';

/** A region node's id (also how the provider finds the node of a region the model says changed). */
export function regionNodeId(profileName: string, region: string): string {
  return `region/${profileName}/${region}`;
}

export class RegionNode implements Pageable, ProfileKey {
  readonly kind = 'region';
  readonly id: string;
  private readonly loadMoreNode: LoadMoreNode;

  get pagedItemsLabel(): string {
    return `flow logs of ${this.profile.name} ${this.region}`;
  }

  constructor(
    readonly parent: TreeNode,
    readonly profile: AwsProfile,
    readonly region: string,
    /** The profile state's generation this node was made for: once Refresh replaced it, the node is stale. */
    readonly generation: number,
    private readonly ctx: TreeContext,
  ) {
    this.id = regionNodeId(profile.name, region);
    this.loadMoreNode = new LoadMoreNode(this);
  }

  /** The listing this node draws; undefined once the node is stale (it never loads then). */
  get listing(): RegionListing | undefined {
    return this.ctx.explorer.listing(this, this.region);
  }

  get loading(): boolean {
    return this.listing?.loading ?? false;
  }

  get loadedFlowLogs(): FlowLogRef[] {
    return this.listing?.loadedFlowLogs ?? [];
  }

  get hasMore(): boolean {
    return this.listing?.hasMore ?? true;
  }

  getTreeItem(): vscode.TreeItem {
    const listing = this.listing;
    const pager = listing?.pager;
    const permission = listing?.permission;
    const item = new vscode.TreeItem(
      this.region,
      this.ctx.wasExpanded?.(this.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const filtered = !isEmpty(this.ctx.filters.filters);
    item.iconPath = new vscode.ThemeIcon(filtered ? 'filter' : 'globe');
    const loaded = pager?.items.length ?? 0;
    const failed = !!pager?.lastError && pager.lastError.kind !== 'aborted';
    let description = pager ? regionDescription(loaded, pager.hasMore, filtered, pager.loading, failed) : filtered ? 'filtered' : '';
    if (permission) description += `${description ? ' · ' : ''}${permissionWord(permission)}`;
    item.description = description;
    const count = pager ? `\n${regionTooltipCount(loaded, pager.hasMore, filtered, pager.lastError)}` : '';
    item.tooltip = `${this.profile.name} · ${this.region}${count}${filtered ? '\nFiltered by the active filters' : ''}${permission ? `\nec2:DescribeFlowLogs: ${permission.allowed ? 'allowed (DryRun)' : permission.error.message}` : ''}`;
    item.contextValue = regionContextValue(!!pager?.hasMore && pager.items.length > 0);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    // A stale node (replaced by a Refresh) that VS Code still asks for its children must not load.
    const listing = this.listing;
    const pager = await listing?.settled((task) => this.ctx.withViewProgress(task));
    return listing && pager ? this.childrenOf(listing, pager) : [];
  }

  /** Loads the next page (the "Load more…" node); a second call while loading joins the first. */
  loadMore(): Promise<LoadResult> {
    return this.listing?.loadMore() ?? Promise.resolve({ added: [] });
  }

  private childrenOf(listing: RegionListing, pager: FlowLogPager): TreeNode[] {
    const children: TreeNode[] = pager.items.map((f) => new FlowLogNode(this, listing.refOf(f)));
    const error = pager.lastError;
    if (error && error.kind !== 'aborted') {
      const shown = regionErrorPresentation(error, !isEmpty(this.ctx.filters.filters));
      const retry = shown.restartOnRetry ? () => this.ctx.explorer.resetRegion(listing) : () => void listing.loadMore();
      children.push(new ErrorNode(`${this.id}/error`, this, shown.error, retry));
    } else if (pager.hasMore) {
      children.push(this.loadMoreNode);
    }
    if (pager.stoppedEarly && pager.canResume) {
      children.push(
        new RetryableWarningNode(`${this.id}/stopped`, this, pager.stoppedEarlyLabel ?? 'Listing stopped early', pager.stoppedEarly, () =>
          listing.resume(),
        ),
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
