// The Search Results view's data: one group node per (profile, region) row of a search, its flow
// logs as children (an error first, with Retry), and the summary line on top. Search All Regions
// (commands/searchCommand.ts) fills it.
import * as vscode from 'vscode';
import type { SearchGroup } from '../aws/searchAllRegions';
import type { ResultRow } from '../explorer/searchResultRows';
import type { AwsProfile } from '../shared/profiles';
import { FlowLogNode } from './flowLogNode';
import { flowLogRef } from '../explorer/flowLogRef';
import { ErrorNode } from './messageNode';
import type { TreeNode } from './treeNode';

export class SearchGroupNode implements TreeNode {
  readonly kind = 'searchGroup';
  readonly id: string;
  readonly parent = undefined;
  /** `run` numbers each search, so a new search never inherits the last one's expanded rows. */
  constructor(
    public row: ResultRow<AwsProfile>,
    run: number,
    private readonly retry: (node: SearchGroupNode) => void,
  ) {
    this.id = `search/${run}/${row.profileName}/${row.groups.map((g) => g.region).join(',')}`;
  }
  /** The one region of this row (rows that stand for a whole failed profile have none). */
  get group(): SearchGroup<AwsProfile> {
    return this.row.groups[0];
  }
  getTreeItem(): vscode.TreeItem {
    const gs = this.row.groups;
    const error = gs.find((g) => g.error)?.error;
    const found = gs.reduce((n, g) => n + g.flowLogs.length, 0);
    const where = gs.length === 1 ? gs[0].region : `${this.row.allRegions ? 'all ' : ''}${gs.length} regions`;
    // Collapsed: thousands of rows would bury the errors; a click opens a group.
    const item = new vscode.TreeItem(
      `${this.row.profileName} · ${where}`,
      found || error ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = error
      ? found
        ? `error · ${found} flow log${found === 1 ? '' : 's'} found`
        : 'error'
      : `${found} flow log${found === 1 ? '' : 's'}`;
    item.tooltip = error ? `${error.message}${gs.length > 1 ? `\n${gs.map((g) => g.region).join(', ')}` : ''}` : undefined;
    item.iconPath = error ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('globe');
    item.contextValue = 'searchGroup';
    return item;
  }
  getChildren(): TreeNode[] {
    const nodes: TreeNode[] = this.row.groups.flatMap((g) =>
      g.flowLogs.map((f) => new FlowLogNode(this, flowLogRef(g.profile, g.region, f))),
    );
    // The error keeps its own actions (Sign In, Open Config...); Retry searches these regions again.
    const error = this.row.groups.find((g) => g.error)?.error;
    if (error) nodes.unshift(new ErrorNode(`${this.id}/error`, this, error, () => this.retry(this)));
    return nodes;
  }
}

export class SearchResultsProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  groups: SearchGroupNode[] = [];
  summary: TreeNode | undefined;
  getTreeItem(n: TreeNode): vscode.TreeItem {
    return n.getTreeItem();
  }
  getChildren(n?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (n) return n.getChildren();
    return this.summary ? [this.summary, ...this.groups] : this.groups;
  }
  getParent(n: TreeNode): TreeNode | undefined {
    return n.parent;
  }
  set(groups: SearchGroupNode[], summary: TreeNode | undefined): void {
    this.groups = groups;
    this.summary = summary;
    this.emitter.fire(undefined);
  }
  changed(node?: TreeNode): void {
    this.emitter.fire(node);
  }
}

export type SearchResults = Pick<SearchResultsProvider, 'getChildren' | 'groups'>;
