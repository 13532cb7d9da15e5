// A leaf that says something: "No flow logs", an error with its actions, a config problem.
import * as vscode from 'vscode';
import type { FlowLogsError } from '../shared/errors';
import type { TreeNode } from './treeNode';
import { errorContextValue } from './nodeLabels';

export class MessageNode implements TreeNode {
  kind: 'message' | 'error' = 'message';
  constructor(
    readonly id: string,
    readonly parent: TreeNode | undefined,
    readonly message: string,
    private readonly options: {
      icon?: string;
      iconColor?: string;
      tooltip?: string;
      contextValue?: string;
      command?: vscode.Command;
      description?: string;
    } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.options.description;
    item.tooltip = this.options.tooltip;
    item.contextValue = this.options.contextValue ?? 'message';
    if (this.options.icon)
      item.iconPath = new vscode.ThemeIcon(
        this.options.icon,
        this.options.iconColor ? new vscode.ThemeColor(this.options.iconColor) : undefined,
      );
    item.command = this.options.command;
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

/** A warning with a Retry (e.g. a listing the server ended by repeating its NextToken). */
export class RetryableWarningNode extends MessageNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    message: string,
    tooltip: string,
    readonly retry: () => void,
  ) {
    super(id, parent, message, {
      icon: 'warning',
      iconColor: 'problemsWarningIcon.foreground',
      tooltip: `${tooltip}\nClick to retry from the last page token that worked.`,
      // Retry in the inline and context menus, as on error nodes.
      contextValue: 'error retry',
      command: { command: 'flowLogs.retry', title: 'Retry', arguments: [] },
    });
  }

  getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    if (item.command) item.command.arguments = [this];
    return item;
  }
}

/** An error shown where it happened, with the actions that can fix it (see package.json menus). */
export class ErrorNode extends MessageNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    readonly error: FlowLogsError,
    readonly retry: () => void,
  ) {
    super(id, parent, error.message, {
      icon: 'error',
      iconColor: 'errorForeground',
      tooltip: [error.message, error.code ? `Code: ${error.code}` : '', error.detail && error.detail !== error.message ? error.detail : '']
        .filter(Boolean)
        .join('\n'),
      // e.g. "error retry sso": menus show Retry, Sign In, Edit Filters, Open Config as they apply.
      contextValue: errorContextValue(error.actions),
      command: error.actions.includes('retry') ? { command: 'flowLogs.retry', title: 'Retry', arguments: [] } : undefined,
    });
    this.kind = 'error';
  }

  getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    // Clicking the node retries (the arguments need the node itself).
    if (item.command) item.command.arguments = [this];
    return item;
  }
}
