// The Run Query CodeLens of a logs-insights editor: on the log groups and range the editor was
// opened with (Open Query, a recent query), or "Run Query…" (asks for them).
import * as vscode from 'vscode';
import { describeTargets, type FlowLogTarget } from './analysisPanel';
import { rangeText } from '../webview/timeRanges';

/** The log groups and range an Open Query editor runs against. */
export interface QueryContext {
  targets: FlowLogTarget[];
  startTime: number;
  endTime: number;
}

export class RunQueryLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly contexts: Map<string, QueryContext>) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const c = this.contexts.get(doc.uri.toString());
    const title = c ? `$(play) Run Query on ${describeTargets(c.targets)} (${rangeText(c.startTime, c.endTime)})` : '$(play) Run Query…';
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'flowLogs.runInsightsQuery', arguments: [doc.uri] })];
  }
}
