// A flow log in the tree. Its id is stable across refreshes so VS Code keeps the selection. The
// node is a view of a FlowLogRef (profile, region, flow log): commands and panels take the ref.
import * as vscode from 'vscode';
import type { FlowLog } from '../shared/types';
import type { AwsProfile } from '../shared/profiles';
import { isFlowLogRef, type FlowLogRef } from '../explorer/flowLogRef';
import { DESTINATION_TYPE_WORDS, flowLogContextValue, flowLogDescription, flowLogIcon, flowLogLabel, flowLogTooltip } from './nodeLabels';
import type { TreeNode } from './treeNode';

export class FlowLogNode implements TreeNode {
  readonly kind = 'flowLog';
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    readonly ref: FlowLogRef,
  ) {
    this.id = `flowlog/${ref.profile.name}/${ref.region}/${ref.flowLog.FlowLogId}`;
  }

  get profile(): AwsProfile {
    return this.ref.profile;
  }

  get region(): string {
    return this.ref.region;
  }

  get flowLog(): FlowLog {
    return this.ref.flowLog;
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
    const icon = flowLogIcon(f);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.command = { command: 'flowLogs.showDetails', title: 'Show Details', arguments: [this] };
    item.accessibilityInformation = {
      label: `Flow log ${flowLogLabel(f)}, ${[DESTINATION_TYPE_WORDS[f.LogDestinationType ?? ''], flowLogDescription(f)].filter(Boolean).join(' ')}${f.DeliverLogsStatus === 'FAILED' ? ', delivery failed' : ''}`,
    };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

/** The flow log a command was handed: a flow log node (tree, search results) or a ref the extension made (a panel's button). */
export function flowLogRefOf(x: unknown): FlowLogRef | undefined {
  if (x instanceof FlowLogNode) return x.ref;
  return isFlowLogRef(x) ? x : undefined;
}
