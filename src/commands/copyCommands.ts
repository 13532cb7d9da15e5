// Copy actions (tree context menu, command palette with a picker, the detail panel) and
// Open in AWS Console. The values come from the pure explorer/copyValues.ts; ARNs need the
// account ID (STS, cached by the service). They act on a FlowLogRef: a flow log node's, a ref a
// panel passes, the tree's selection, or one picked among the flow logs loaded in the model.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { FlowLogNode, flowLogRefOf } from '../tree/flowLogNode';
import { consoleUrlFor, ConsoleTarget, CONSOLE_TARGETS } from '../aws/arn';
import { errorOf } from '../shared/errors';
import { flowLogLabel } from '../explorer/flowLogName';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { copiedStatus, COPY_LABELS, nothingToCopy, valueToCopy, type CopyKind } from '../explorer/copyValues';

export type { CopyKind };

/** Copies one value of the flow log to the clipboard; the value copied, if any. */
export async function copyValue(s: ExtensionServices, ref: FlowLogRef, kind: CopyKind): Promise<string | undefined> {
  let value: string | undefined;
  try {
    value = await valueToCopy(ref, kind, () => s.service.accountId(ref.profile));
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Could not build the ARN: the account ID of profile "${ref.profile.name}" is unknown (${errorOf(err).message})`,
    );
    return undefined;
  }
  if (!value) {
    void vscode.window.showInformationMessage(nothingToCopy(kind));
    return undefined;
  }
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(copiedStatus(kind, value), 3000);
  return value;
}

/** The flow log a command is about: the one given, the tree's selection, or (palette) a pick among those loaded. */
export async function resolveFlowLog(s: ExtensionServices, node: unknown, kind?: CopyKind): Promise<FlowLogRef | undefined> {
  const given = flowLogRefOf(node);
  if (given) return given;
  const selected = s.treeView.selection.find((n): n is FlowLogNode => n instanceof FlowLogNode);
  if (selected) return selected.ref;
  const all = s.explorer.loadedFlowLogs();
  if (!all.length) {
    void vscode.window.showInformationMessage('No flow logs loaded yet: expand a region in the Flow Logs view first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((ref) => ({
      label: flowLogLabel(ref.flowLog),
      description: `${ref.profile.name} · ${ref.region}`,
      detail: ref.flowLog.FlowLogId,
      ref,
    })),
    { title: kind ? `Copy ${COPY_LABELS[kind]} of…` : 'Choose a flow log', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.ref;
}

export function registerCopyCommands(s: ExtensionServices): vscode.Disposable[] {
  const copy = (command: string, kind: CopyKind) =>
    vscode.commands.registerCommand(command, async (node?: unknown) => {
      const target = await resolveFlowLog(s, node, kind);
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
      const ref = await resolveFlowLog(s, node);
      if (!ref) return undefined;
      const url = consoleUrlFor(target, ref.flowLog, ref.region);
      if (!url) {
        void vscode.window.showInformationMessage(`No AWS Console page for this ${target} in region ${ref.region}.`);
        return undefined;
      }
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
      return url;
    }),
  ];
}
