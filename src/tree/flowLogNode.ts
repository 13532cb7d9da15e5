// A flow log in the tree. Its id is stable across refreshes so VS Code keeps the selection.
import * as vscode from 'vscode';
import type { FlowLog } from '../aws/types';
import type { AwsProfile } from '../aws/profiles';
import { flowLogContextValue, flowLogDescription, flowLogLabel, flowLogTooltip } from './flowLogLabels';
import type { TreeNode } from './treeNode';

export class FlowLogNode implements TreeNode {
  readonly kind = 'flowLog';
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    readonly profile: AwsProfile,
    readonly region: string,
    readonly flowLog: FlowLog,
  ) {
    this.id = `flowlog/${profile.name}/${region}/${flowLog.FlowLogId}`;
  }

  getTreeItem(): vscode.TreeItem {
    const f = this.flowLog;
    const item = new vscode.TreeItem(flowLogLabel(f), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = flowLogDescription(f);
    const tooltip = new vscode.MarkdownString(flowLogTooltip(f, this.region));
    tooltip.supportHtml = false;
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.contextValue = flowLogContextValue(f);
    item.iconPath =
      f.DeliverLogsStatus === 'FAILED'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon(f.FlowLogStatus && f.FlowLogStatus !== 'ACTIVE' ? 'circle-slash' : 'pulse');
    item.command = { command: 'flowLogs.showDetails', title: 'Show Details', arguments: [this] };
    item.accessibilityInformation = {
      label: `Flow log ${flowLogLabel(f)}, ${flowLogDescription(f)}${f.DeliverLogsStatus === 'FAILED' ? ', delivery failed' : ''}`,
    };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
