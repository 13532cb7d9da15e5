// Show Records: from a flow log node (inline icon, context menu), the detail panel, or the
// palette (a picker of the loaded flow logs whose records can be read).
import * as vscode from 'vscode';
import { chooseReader } from '../commands/readWithProfile';
import type { ExtensionServices } from '../services';
import { FlowLogNode, flowLogRefOf } from '../tree/flowLogNode';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { flowLogLabel } from '../explorer/flowLogName';
import { RecordsPanels, recordsUnavailableReason } from './recordsPanel';

async function pickFlowLog(s: ExtensionServices): Promise<FlowLogRef | undefined> {
  const selected = s.treeView.selection.find((n): n is FlowLogNode => n instanceof FlowLogNode);
  if (selected) return selected.ref;
  const all = s.explorer.loadedFlowLogs().filter((r) => !recordsUnavailableReason(r.flowLog));
  if (!all.length) {
    void vscode.window.showInformationMessage(
      'No flow log with readable records is loaded yet: expand a region in the Flow Logs view first (records are read from CloudWatch Logs destinations).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((ref) => ({
      label: flowLogLabel(ref.flowLog),
      description: `${ref.profile.name} · ${ref.region}`,
      detail: `${ref.flowLog.FlowLogId} → ${ref.flowLog.LogGroupName ?? ref.flowLog.LogDestination ?? ''}`,
      ref,
    })),
    { title: 'Show records of…', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.ref;
}

export function registerRecordsCommands(s: ExtensionServices, panels: RecordsPanels): vscode.Disposable[] {
  return [
    // Whatever VS Code passes (nothing, any tree node, a URI): only a flow log (a node, or a panel's ref) is used.
    vscode.commands.registerCommand('flowLogs.showRecords', async (node?: unknown) => {
      const target = flowLogRefOf(node) ?? (await pickFlowLog(s));
      return target ? panels.open(target) : undefined;
    }),
    // Its destination in another account (or denied): pick the profile that reads it, then read again.
    vscode.commands.registerCommand('flowLogs.readWithProfile', async (node?: unknown, profileName?: unknown) => {
      const target = flowLogRefOf(node) ?? (await pickFlowLog(s));
      if (!target || !(await chooseReader(s, target, profileName))) return undefined;
      panels.closeFlowLog(target);
      return panels.open(target);
    }),
  ];
}
