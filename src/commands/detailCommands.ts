// Show Details and Show Details to the Side: the flow log's detail panel, in the active editor
// group or beside it. From the palette (no node): a picker of the loaded flow logs.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { DetailPanels } from '../webview/detailPanel';
import { resolveFlowLog } from './copyCommands';

export function registerDetailCommands(s: ExtensionServices, detailPanels: DetailPanels): vscode.Disposable[] {
  const showDetails = (toSide: boolean) => async (node?: unknown) => {
    const target = await resolveFlowLog(s, node);
    return target && detailPanels.open(target, toSide);
  };
  return [
    vscode.commands.registerCommand('flowLogs.showDetails', showDetails(false)),
    vscode.commands.registerCommand('flowLogs.showDetailsToSide', showDetails(true)),
  ];
}
