// Copy actions (tree context menu, command palette with a picker, the detail panel) and
// Open in AWS Console. Values come from the flow log; ARNs need the account ID (STS, cached).
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { FlowLogNode } from '../tree/flowLogNode';
import { flowLogArn, consoleUrlFor, ConsoleTarget, CONSOLE_TARGETS } from '../aws/arn';
import type { CopyField } from '../webview/messages';
import { errorOf } from '../aws/errors';
import { fitWidth } from '../aws/text';
import { flowLogLabel } from '../tree/flowLogLabels';

/** What can be copied from a flow log node (the webview's fields, less a tag value). */
export type CopyKind = Exclude<CopyField, 'tagValue'>;

const LABELS: Record<CopyKind, string> = {
  arn: 'flow log ARN',
  id: 'flow log ID',
  resourceId: 'resource ID',
  destination: 'log destination ARN',
  role: 'IAM role ARN',
  crossAccountRole: 'cross-account role ARN',
};

/** The value to copy, or undefined when the flow log has none (the action is hidden then). */
export async function valueToCopy(s: ExtensionServices, node: FlowLogNode, kind: CopyKind): Promise<string | undefined> {
  const f = node.flowLog;
  switch (kind) {
    case 'arn': {
      const account = await s.service.accountId(node.profile);
      return flowLogArn(node.region, account, f.FlowLogId);
    }
    case 'id':
      return f.FlowLogId;
    case 'resourceId':
      return f.ResourceId;
    case 'destination':
      return f.LogDestination;
    case 'role':
      return f.DeliverLogsPermissionArn ?? f.DeliverCrossAccountRole;
    case 'crossAccountRole':
      return f.DeliverCrossAccountRole;
  }
}

export async function copyValue(s: ExtensionServices, node: FlowLogNode, kind: CopyKind): Promise<string | undefined> {
  let value: string | undefined;
  try {
    value = await valueToCopy(s, node, kind);
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Could not build the ARN: the account ID of profile "${node.profile.name}" is unknown (${errorOf(err).message})`,
    );
    return undefined;
  }
  if (!value) {
    void vscode.window.showInformationMessage(`This flow log has no ${LABELS[kind]}.`);
    return undefined;
  }
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${LABELS[kind]}: ${fitWidth(value, 80)}`, 3000);
  return value;
}

/** With no node (command palette): pick among the flow logs loaded in the tree. */
export async function resolveNode(s: ExtensionServices, node: unknown, kind?: CopyKind): Promise<FlowLogNode | undefined> {
  if (node instanceof FlowLogNode) return node;
  const selected = s.treeView.selection.find((n): n is FlowLogNode => n instanceof FlowLogNode);
  if (selected) return selected;
  const all = s.provider.regionNodes.flatMap((r) => r.loadedFlowLogs);
  if (!all.length) {
    void vscode.window.showInformationMessage('No flow logs loaded yet: expand a region in the Flow Logs view first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((n) => ({
      label: flowLogLabel(n.flowLog),
      description: `${n.profile.name} · ${n.region}`,
      detail: n.flowLog.FlowLogId,
      node: n,
    })),
    { title: kind ? `Copy ${LABELS[kind]} of…` : 'Choose a flow log', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.node;
}

export function registerCopyCommands(s: ExtensionServices): vscode.Disposable[] {
  const copy = (command: string, kind: CopyKind) =>
    vscode.commands.registerCommand(command, async (node?: unknown) => {
      const target = await resolveNode(s, node, kind);
      return target ? copyValue(s, target, kind) : undefined;
    });
  return [
    copy('flowLogs.copyArn', 'arn'),
    copy('flowLogs.copyId', 'id'),
    copy('flowLogs.copyResourceId', 'resourceId'),
    copy('flowLogs.copyDestinationArn', 'destination'),
    copy('flowLogs.copyRoleArn', 'role'),
    vscode.commands.registerCommand('flowLogs.openInConsole', async (node?: unknown, which?: unknown) => {
      // A context menu passes the selection second: only a known target name chooses the page.
      const target: ConsoleTarget = (CONSOLE_TARGETS as readonly unknown[]).includes(which) ? (which as ConsoleTarget) : 'resource';
      const n = await resolveNode(s, node);
      if (!n) return undefined;
      const url = consoleUrlFor(target, n.flowLog, n.region);
      if (!url) {
        void vscode.window.showInformationMessage(`No AWS Console page for this ${target} in region ${n.region}.`);
        return undefined;
      }
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
      return url;
    }),
  ];
}
