// Show Records: from a flow log node (inline icon, context menu), the detail panel, or the
// palette (a picker of the loaded flow logs whose records can be read).
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { FlowLogNode } from '../tree/flowLogNode';
import { flowLogLabel } from '../tree/flowLogLabels';
import { RecordsPanels, recordsUnavailableReason } from './recordsPanel';

async function pickFlowLog(s: ExtensionServices): Promise<FlowLogNode | undefined> {
  const selected = s.treeView.selection.find((n): n is FlowLogNode => n instanceof FlowLogNode);
  if (selected) return selected;
  const all = s.provider.regionNodes.flatMap((r) => r.loadedFlowLogs).filter((n) => !recordsUnavailableReason(n.flowLog));
  if (!all.length) {
    void vscode.window.showInformationMessage(
      'No flow log with readable records is loaded yet: expand a region in the Flow Logs view first (records are read from CloudWatch Logs destinations).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((n) => ({
      label: flowLogLabel(n.flowLog),
      description: `${n.profile.name} · ${n.region}`,
      detail: `${n.flowLog.FlowLogId} → ${n.flowLog.LogGroupName ?? n.flowLog.LogDestination ?? ''}`,
      node: n,
    })),
    { title: 'Show records of…', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.node;
}

export function registerRecordsCommands(s: ExtensionServices, panels: RecordsPanels): vscode.Disposable[] {
  return [
    // Whatever VS Code passes (nothing, any tree node, a URI): only a flow log node is used.
    vscode.commands.registerCommand('flowLogs.showRecords', async (node?: unknown) => {
      const target = node instanceof FlowLogNode ? node : await pickFlowLog(s);
      return target ? panels.open(target) : undefined;
    }),
  ];
}
