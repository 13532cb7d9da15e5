// "Load more…" at the end of a region's list while a NextToken remains.
import * as vscode from 'vscode';
import type { Pageable, TreeNode } from './treeNode';

export class LoadMoreNode implements TreeNode {
  readonly kind = 'loadMore';
  readonly id: string;

  constructor(readonly parent: Pageable) {
    this.id = `${parent.id}/loadMore`;
  }

  getTreeItem(): vscode.TreeItem {
    const loading = this.parent.loading;
    const item = new vscode.TreeItem(loading ? 'Loading…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(loading ? 'loading~spin' : 'more');
    item.contextValue = 'loadMore';
    item.tooltip = 'Load the next page (right-click: Load All)';
    item.accessibilityInformation = { label: `${loading ? 'Loading more' : 'Load more'} ${this.parent.pagedItemsLabel}`, role: 'button' };
    item.command = { command: 'flowLogs.loadMore', title: 'Load More', arguments: [this] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
