// The Athena answer panel (vscode): one query on Athena through the AWS workers, with its live
// statistics (state, data scanned, engine time, cost estimate), Cancel (StopQueryExecution), the
// answer as a table and a chart (paged by GetQueryResults, Load More), exports, and an error as a
// state with its actions. The page is src/webviews/athena/ (media/dist/athenaPage.js); the two
// speak only the messages of src/webviews/athena/protocol.ts.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import { chartForColumns, type ChartKind, type ColumnSpec } from '../shared/insightsAnalyses';
import { toCsv, toJson } from '../shared/insightsResults';
import { createNonce, pageShell } from '../webview/pageShell';
import { escapeHtml } from '../webview/escape';
import { runAthenaQuery, type AthenaCall, type AthenaRunResult } from '../athena/run';
import { errorActions, statsOf } from '../athena/pageState';
import { answerTable, columnsOf } from '../athena/answer';
import { parseFromPanel, type AthenaPageState, type FromPanel, type ToPanel } from '../webviews/athena/protocol';

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
  /** The chart of a built-in analysis; a written query's follows its answer's columns. */
  chart?: ChartKind;
  /** Rows shown first; Load More shows more (up to the rows read). */
  pageRows?: number;
}

export interface AthenaRun {
  readonly title: string;
  readonly sql: string;
  readonly panel: vscode.WebviewPanel;
  readonly done: Promise<AthenaRunResult>;
  result?: AthenaRunResult;
  /** The Athena states seen (GetQueryExecution), in order. */
  readonly states: string[];
  /** The last state the page was sent (tests read it through the exported API). */
  readonly pageState: AthenaPageState;
  cancel(): void;
  exportTo(uri: vscode.Uri, format: 'csv' | 'json'): Promise<void>;
}

/** Rows the panel reads at most (GetQueryResults pages of 1000). */
export const MAX_ANSWER_ROWS = 100_000;

export function athenaCall(s: ExtensionServices, profile: AwsProfile, region: string): AthenaCall {
  return (op, args, signal) => s.aws.call(op, profile.name, region, args, signal);
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p)).toString();
  const body = `<header>
  <h1 id="title">${escapeHtml(title)}</h1>
  <div id="subtitle" class="muted"></div>
  <div class="toolbar">
    <button id="cancel" type="button">Cancel</button>
    <button id="more" type="button" hidden>Load More</button>
    <button id="exportCsv" type="button">Export CSV</button>
    <button id="exportJson" type="button">Export JSON</button>
    <button id="openQuery" type="button">Open Query</button>
  </div>
</header>
<section id="status" role="status" aria-live="polite"></section>
<div id="actions"></div>
<pre id="query" class="query" hidden></pre>
<section id="chartBox" hidden><canvas id="chart" aria-label="Chart of the answer" role="img"></canvas></section>
<section id="tableBox"></section>`;
  return pageShell({
    title,
    cspSource: webview.cspSource,
    nonce: createNonce(),
    styles: [uri('insights.css'), uri('athena.css')],
    scripts: [uri('dist', 'athenaPage.js')],
    body,
  });
}

let runIds = 0;

export class AthenaPanels implements vscode.Disposable {
  readonly runs: AthenaRun[] = [];

  constructor(
    private readonly s: ExtensionServices,
    private readonly openQuery: (sql: string, input: AthenaQueryInput) => Promise<unknown>,
    private readonly onAction: (action: 'openSettings' | 'createTable', input: AthenaQueryInput) => Promise<unknown>,
  ) {}

  dispose(): void {
    for (const run of this.runs) run.cancel();
  }

  run(input: AthenaQueryInput, column: vscode.ViewColumn = vscode.ViewColumn.Active): AthenaRun {
    const panel = vscode.window.createWebviewPanel(ATHENA_VIEW_TYPE, input.title, column, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.s.context.extensionUri, 'media')],
    });
    panel.webview.html = html(panel.webview, this.s.context.extensionUri, input.title);
    const abort = new AbortController();
    const pageRows = Math.max(1, Math.min(10_000, input.pageRows ?? 1000));
    let shown = pageRows;
    let state: AthenaPageState = {
      runId: ++runIds,
      title: input.title,
      subtitle: input.subtitle,
      phase: 'running',
      stats: statsOf(undefined),
      query: input.sql,
      chart: input.chart ?? 'none',
    };
    const states: string[] = [];
    const post = (m: ToPanel) => void panel.webview.postMessage(m);
    const update = (next: AthenaPageState) => {
      state = next;
      post({ type: 'state', state });
    };
    const call = athenaCall(this.s, input.profile, input.region);
    const show = (result: AthenaRunResult) => {
      if (result.ok) {
        const columns = input.columns ?? columnsOf(result.answer.columns);
        const table = answerTable(columns, result.answer.rows.slice(0, shown));
        update({
          ...state,
          phase: 'done',
          stats: statsOf(result.answer.execution),
          chart: input.chart ?? chartForColumns(columns),
          columns,
          rows: table.rows,
          total: result.answer.rows.length,
          truncated: result.answer.truncated,
          error: undefined,
          actions: undefined,
        });
      } else {
        const e = result.error;
        update({
          ...state,
          phase: 'error',
          stats: result.execution ? statsOf(result.execution) : { ...state.stats, state: e.kind === 'aborted' ? 'CANCELLED' : 'FAILED' },
          error: { kind: e.kind, message: e.message, position: e.position },
          actions: errorActions(e),
        });
      }
    };
    const done = runAthenaQuery(call, input.sql, {
      workGroup: input.workGroup,
      database: input.database,
      outputLocation: input.outputLocation,
      signal: abort.signal,
      maxRows: MAX_ANSWER_ROWS,
      onProgress: (e) => {
        states.push(e.state);
        update({ ...state, stats: statsOf(e) });
      },
    }).then((result) => {
      run.result = result;
      show(result);
      return result;
    });
    const exportTo = async (target: vscode.Uri, format: 'csv' | 'json') => {
      const result = run.result ?? (await done);
      if (!result.ok) throw new Error('The query has no answer to export');
      const table = answerTable(input.columns ?? columnsOf(result.answer.columns), result.answer.rows);
      await vscode.workspace.fs.writeFile(target, Buffer.from(format === 'csv' ? toCsv(table) : toJson(table), 'utf8'));
    };
    const handle = async (m: FromPanel) => {
      switch (m.type) {
        case 'ready':
          post({ type: 'state', state });
          break;
        case 'cancel':
          run.cancel();
          break;
        case 'more':
          if (run.result?.ok) {
            shown += pageRows;
            show(run.result);
          }
          break;
        case 'openQuery':
          await this.openQuery(input.sql, input);
          break;
        case 'action':
          if (m.action === 'retry') {
            this.run(input, panel.viewColumn ?? vscode.ViewColumn.Active);
            panel.dispose();
          } else if (m.action === 'editQuery') await this.openQuery(input.sql, input);
          else await this.onAction(m.action, input);
          break;
        case 'export': {
          const to = await vscode.window.showSaveDialog({ filters: { [m.format.toUpperCase()]: [m.format] } });
          if (!to) break;
          try {
            await exportTo(to, m.format);
            this.s.logger.info(`Athena answer exported to ${to.fsPath}`);
          } catch (e) {
            void vscode.window.showErrorMessage(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
          }
          break;
        }
      }
    };
    const receive = async (raw: unknown) => {
      const m = parseFromPanel(raw);
      if (!m) {
        this.s.logger.warn('Ignored an unexpected message from the Athena panel');
        return;
      }
      await handle(m);
    };
    const run: AthenaRun = {
      title: input.title,
      sql: input.sql,
      panel,
      done,
      states,
      get pageState() {
        return state;
      },
      cancel: () => abort.abort(),
      exportTo,
    };
    panel.webview.onDidReceiveMessage(receive);
    panel.onDidDispose(() => {
      run.cancel();
      const i = this.runs.indexOf(run);
      if (i >= 0) this.runs.splice(i, 1);
    });
    this.runs.push(run);
    return run;
  }
}
