// The Athena answer panel (vscode): one query on Athena through the AWS workers, with its live
// state, data scanned, engine time and cost estimate, Cancel (StopQueryExecution), the answer as a
// table (paged by GetQueryResults), Load More, exports, and the error as a state with its action.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../aws/profiles';
import type { ColumnSpec } from '../insights/analyses';
import { toCsv, toJson } from '../insights/results';
import { createNonce, contentSecurityPolicy } from '../webview/render';
import { escapeAttr, escapeHtml } from '../webview/escape';
import { runAthenaQuery, type AthenaCall, type AthenaRunResult } from '../athena/run';
import { answerTable, columnsOf, statusLine } from '../athena/answer';
import type { AthenaError } from '../athena/errors';

export const ATHENA_VIEW_TYPE = 'flowLogs.athena';

export interface AthenaQueryInput {
  title: string;
  subtitle: string;
  sql: string;
  profile: AwsProfile;
  region: string;
  workGroup: string;
  database: string;
  outputLocation?: string;
  /** The columns of a built-in analysis; a written query's come from its answer. */
  columns?: readonly ColumnSpec[];
  /** Rows shown first; Load More reads more (GetQueryResults pages). */
  pageRows?: number;
}

export interface AthenaRun {
  readonly title: string;
  readonly sql: string;
  readonly panel: vscode.WebviewPanel;
  readonly done: Promise<AthenaRunResult>;
  result?: AthenaRunResult;
  /** The states the panel was sent, in order (tests read the live states). */
  readonly states: string[];
  cancel(): void;
  exportTo(uri: vscode.Uri, format: 'csv' | 'json'): Promise<void>;
}

export function athenaCall(s: ExtensionServices, profile: AwsProfile, region: string): AthenaCall {
  return (op, args, signal) => s.aws.call(op, profile.name, region, args, signal);
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = createNonce();
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'insights.css')).toString();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'athena.js')).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(style)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<header>
  <h1 id="title">${escapeHtml(title)}</h1>
  <div id="subtitle" class="muted"></div>
  <div class="toolbar">
    <button id="cancel" type="button">Cancel</button>
    <button id="more" type="button">Load More</button>
    <button id="exportCsv" type="button">Export CSV</button>
    <button id="exportJson" type="button">Export JSON</button>
    <button id="openQuery" type="button">Open Query</button>
    <button id="action" type="button" hidden></button>
  </div>
</header>
<section id="status" role="status" aria-live="polite"></section>
<pre id="query" class="query" hidden></pre>
<section id="tableBox"></section>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(script)}"></script>
</body>
</html>`;
}

const ACTION_LABELS: Record<string, string> = {
  openSettings: 'Open Athena Settings',
  createTable: 'Create the Table…',
  editQuery: 'Open Query',
  retry: 'Run Again',
  signIn: 'Run Again',
};

export class AthenaPanels implements vscode.Disposable {
  readonly runs: AthenaRun[] = [];

  constructor(
    private readonly s: ExtensionServices,
    private readonly openQuery: (sql: string, input: AthenaQueryInput) => Promise<unknown>,
    private readonly onAction: (action: string, input: AthenaQueryInput) => Promise<unknown>,
  ) {}

  dispose(): void {
    for (const run of this.runs) run.cancel();
  }

  run(input: AthenaQueryInput): AthenaRun {
    const panel = vscode.window.createWebviewPanel(ATHENA_VIEW_TYPE, input.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.s.context.extensionUri, 'media')],
    });
    panel.webview.html = html(panel.webview, this.s.context.extensionUri, input.title);
    const abort = new AbortController();
    const pageRows = Math.max(1, Math.min(10_000, input.pageRows ?? 1000));
    let shown = pageRows;
    let state: Record<string, unknown> = {
      title: input.title,
      subtitle: input.subtitle,
      phase: 'running',
      status: 'Starting…',
      query: input.sql,
    };
    const states: string[] = [];
    const post = () => void panel.webview.postMessage({ type: 'state', state });
    const call = athenaCall(this.s, input.profile, input.region);
    const options = {
      workGroup: input.workGroup,
      database: input.database,
      outputLocation: input.outputLocation,
      signal: abort.signal,
      maxRows: 100_000,
      onProgress: (e: import('../aws/awsWorkerProtocol').AthenaExecution) => {
        states.push(e.state);
        state = { ...state, status: statusLine(e), executionState: e.state };
        post();
      },
    };
    const show = (result: AthenaRunResult) => {
      if (result.ok) {
        const columns = input.columns ?? columnsOf(result.answer.columns);
        const table = answerTable(columns, result.answer.rows.slice(0, shown));
        state = {
          ...state,
          phase: 'done',
          status: statusLine(result.answer.execution),
          columns,
          rows: table.rows,
          total: result.answer.rows.length,
          more: result.answer.rows.length > shown,
        };
      } else {
        const e: AthenaError = result.error;
        state = {
          ...state,
          phase: 'error',
          status: result.execution ? statusLine(result.execution) : '',
          error: { kind: e.kind, message: e.message, position: e.position },
          action: e.actions.find((a) => a !== 'retry') ?? e.actions[0],
          actionLabel: ACTION_LABELS[e.actions.find((a) => a !== 'retry') ?? e.actions[0] ?? ''],
        };
      }
      post();
    };
    const done = runAthenaQuery(call, input.sql, options).then((result) => {
      run.result = result;
      show(result);
      return result;
    });
    const run: AthenaRun = {
      title: input.title,
      sql: input.sql,
      panel,
      done,
      states,
      cancel: () => abort.abort(),
      exportTo: async (target, format) => {
        const result = run.result ?? (await done);
        if (!result.ok) throw new Error('The query has no answer to export');
        const table = answerTable(input.columns ?? columnsOf(result.answer.columns), result.answer.rows);
        await vscode.workspace.fs.writeFile(target, Buffer.from(format === 'csv' ? toCsv(table) : toJson(table), 'utf8'));
      },
    };
    panel.webview.onDidReceiveMessage(async (m: unknown) => {
      const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
      switch (type) {
        case 'ready':
          post();
          break;
        case 'cancel':
          run.cancel();
          break;
        case 'more':
          if (run.result) {
            shown += pageRows;
            show(run.result);
          }
          break;
        case 'openQuery':
          await this.openQuery(input.sql, input);
          break;
        case 'action':
          if (typeof state.action === 'string') await this.onAction(state.action, input);
          break;
        case 'exportCsv':
        case 'exportJson': {
          const format = type === 'exportCsv' ? 'csv' : 'json';
          const to = await vscode.window.showSaveDialog({ filters: { [format.toUpperCase()]: [format] } });
          if (to) await run.exportTo(to, format);
          break;
        }
      }
    });
    panel.onDidDispose(() => run.cancel());
    this.runs.push(run);
    return run;
  }
}
