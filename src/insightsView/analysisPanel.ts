// The analysis panel (vscode): runs an analysis or a written query on Logs Insights through the
// AWS workers, shows progress with Insights' statistics, Cancel (StopQuery), the answer as a
// sortable table and a chart, exports, Open Query and Open in CloudWatch Console.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import { regionKey } from '../shared/regions';
import { createNonce } from '../webview/pageShell';
import { parseFromPanel, type AnalysisViewState, type ToPanel } from '../webviews/insights/protocol';
import {
  analysisDefinition,
  buildAnalysisQuery,
  chartForColumns,
  type AnalysisId,
  type BuiltQuery,
  type ChartKind,
  type ColumnSpec,
  type FieldFilter,
} from '../shared/insightsAnalyses';
import { insightsConsoleUrl } from '../insights/console';
import { renderAnalysisHtml } from '../insights/panelHtml';
import { alignTable, mergeTables, toCsv, toJson, type ResultTable } from '../shared/insightsResults';
import { recordsQueryForRow, type RowRecordsQuery } from '../insights/rowRecords';
import { nameTable } from '../network/tableNames';
import {
  durationText,
  runAnalysis,
  type AnalysisOutcome,
  type AnalysisState,
  type QueryPart,
  type QueryTarget,
} from '../insights/runAnalysis';
import { errorOf } from '../shared/errors';
import { settings } from '../settings';
import { rangeText } from '../webview/timeRanges';

export const ANALYSIS_VIEW_TYPE = 'flowLogs.analysis';

/** One flow log to query: its log group, where it lives, and its format. */
export interface FlowLogTarget {
  profile: AwsProfile;
  region: string;
  logGroupName: string;
  logFormat?: string;
  /** The flow log that delivers there ("Show these records" opens its records). */
  flowLogId?: string;
  /** The flow log's name as the tree shows it (its Name tag, or its ID). */
  flowLogName?: string;
}

/**
 * The flow logs and log groups of a query, as every step and result names them:
 * "flow log web-prod (log group /aws/vpc/web)", or the first two and how many more.
 */
export function describeTargets(targets: readonly FlowLogTarget[]): string {
  const one = (t: FlowLogTarget) =>
    t.flowLogName && t.flowLogName !== t.logGroupName ? `${t.flowLogName} (log group ${t.logGroupName})` : `log group ${t.logGroupName}`;
  if (targets.length === 0) return 'no flow log';
  if (targets.length === 1) return `flow log ${one(targets[0])}`.replace('flow log log group', 'log group');
  if (targets.length === 2) return `2 flow logs: ${one(targets[0])} and ${one(targets[1])}`;
  return `${targets.length} flow logs: ${one(targets[0])}, ${one(targets[1])} and ${targets.length - 2} more`;
}

/** Opens the records panel of a target's flow log with a query (wired by extension.ts). */
export type ShowRecords = (target: FlowLogTarget, query: RowRecordsQuery) => Promise<unknown>;

export interface AnalysisRequestInput {
  analysis: AnalysisId;
  targets: FlowLogTarget[];
  /** Epoch ms. */
  startTime: number;
  endTime: number;
  limit?: number;
  address?: string;
  filters?: FieldFilter[];
}

export interface QueryRequestInput {
  queryString: string;
  targets: FlowLogTarget[];
  startTime: number;
  endTime: number;
}

/** What the panel shows; also what tests read. */
export interface AnalysisRun {
  readonly runId: number;
  readonly title: string;
  readonly queryString: string;
  /** The range the queries were sent with (epoch seconds). */
  readonly range: { startTime: number; endTime: number };
  /** The columns of the answer (a written query's come from its answer). */
  readonly columns: readonly ColumnSpec[];
  /** The chart drawn (a written query's follows its answer's shape once it is in). */
  readonly chart: ChartKind;
  /** What the panel's subtitle says: the flow logs, log groups, where and when. */
  readonly subtitle: string;
  /** How long each query may run before it is stopped (flowLogs.insights.maxQueryMinutes). */
  readonly maxRunMs: number;
  readonly done: Promise<AnalysisOutcome>;
  outcome?: AnalysisOutcome;
  /** Names of the rows' addresses and interfaces (issue 27), once resolved. */
  names?: Record<string, string>;
  readonly panel: vscode.WebviewPanel;
  cancel(): void;
  /** Open Query: the (first) query in a logs-insights editor. */
  openQuery(): Promise<unknown>;
  exportTo(uri: vscode.Uri, format: 'csv' | 'json'): Promise<void>;
  /**
   * "Show these records" for row `index` of the answer (in the answer's order): the records panel
   * of the target's flow log (asks which one when several were queried), filtered on the row.
   */
  showRecords(index: number, target?: FlowLogTarget): Promise<unknown>;
}

let nextRun = 1;

/** Targets grouped by format (one query text per format) and by profile + region. */
function byFormat(targets: readonly FlowLogTarget[]): Map<string, FlowLogTarget[]> {
  const m = new Map<string, FlowLogTarget[]>();
  for (const t of targets) {
    const key = t.logFormat ?? '';
    m.set(key, [...(m.get(key) ?? []), t]);
  }
  return m;
}

function queryTargets(targets: readonly FlowLogTarget[]): QueryTarget[] {
  const m = new Map<string, QueryTarget>();
  for (const t of targets) {
    const key = regionKey(t.profile.name, t.region);
    const have = m.get(key);
    if (have) have.logGroupNames.push(t.logGroupName);
    else m.set(key, { profile: t.profile, region: t.region, logGroupNames: [t.logGroupName] });
  }
  return [...m.values()];
}

/** One query per log format, and the flow logs it is sent to. */
interface FormatQuery {
  built: BuiltQuery;
  targets: FlowLogTarget[];
}

/** What a run was started with (Run Again starts the same). */
interface RunRequest {
  title: string;
  chart: ChartKind | 'auto';
  queries: FormatQuery[];
  targets: FlowLogTarget[];
  startTime: number;
  endTime: number;
  rowContext: { analysis?: AnalysisId; filters?: readonly FieldFilter[] };
}

/** Told of every run started (extension.ts installs one only under tests). */
export type AnalysisRunObserver = (run: AnalysisRun) => void;

export class AnalysisPanels implements vscode.Disposable {
  /** The runs whose panel is open (cancelled when the extension stops). */
  private readonly live = new Set<AnalysisRun>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly s: ExtensionServices,
    private readonly openQuery: (queryString: string, targets: FlowLogTarget[], startTime: number, endTime: number) => Promise<unknown>,
    private readonly openRecords?: ShowRecords,
    private readonly observer?: AnalysisRunObserver,
  ) {}

  dispose(): void {
    for (const run of this.live) run.cancel();
    for (const d of this.disposables) d.dispose();
  }

  /** A built-in analysis: one generated query per format among the targets. */
  runAnalysis(input: AnalysisRequestInput): AnalysisRun {
    const definition = analysisDefinition(input.analysis)!;
    const queries = [...byFormat(input.targets)].map(([format, targets]) => ({
      built: buildAnalysisQuery({
        analysis: input.analysis,
        logFormat: format || undefined,
        startTime: input.startTime,
        endTime: input.endTime,
        limit: input.limit,
        address: input.address,
        filters: input.filters,
      }),
      targets,
    }));
    const title = `${definition.title}${input.address ? ` of ${input.address}` : ''}`;
    return this.start({
      title,
      chart: definition.chart,
      queries,
      targets: input.targets,
      startTime: input.startTime,
      endTime: input.endTime,
      rowContext: { analysis: input.analysis, filters: input.filters },
    });
  }

  /** A query the user wrote (Open Query, edited, run again). */
  runQuery(input: QueryRequestInput): AnalysisRun {
    const built: BuiltQuery = {
      analysis: { id: 'recordsOfAddress', title: 'Query', description: '', needs: [], chart: 'none' },
      queryString: input.queryString,
      startTime: Math.floor(input.startTime / 1000),
      endTime: Math.ceil(input.endTime / 1000),
      limit: 10_000,
      columns: [],
    };
    // 'auto': the chart follows the answer's shape (a time bin, or a label and a number), as the
    // built-in analyses' do.
    return this.start({
      title: 'Logs Insights query',
      chart: 'auto',
      queries: [{ built, targets: input.targets }],
      targets: input.targets,
      startTime: input.startTime,
      endTime: input.endTime,
      rowContext: {},
    });
  }

  /** Opens the panel, sends the queries, and wires the page's buttons to the run. */
  private start(request: RunRequest): AnalysisRun {
    const panel = this.openPanel(request.title);
    const maxRunMs = settings.insightsMaxQueryMs();
    const view = new RunView(panel, this.initialState(request, maxRunMs));
    const abort = new AbortController();
    const started = performance.now();
    const done = this.sendQueries(request.queries, abort.signal, maxRunMs, view);
    const run = this.makeRun(request, view, panel, done, abort, maxRunMs);
    this.live.add(run);
    this.observer?.(run);
    void done.then(
      (outcome) => this.finished(request, run, view, outcome, started),
      (err) => this.failed(request.title, view, err),
    );
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(request, run, view, raw), undefined, this.disposables);
    panel.onDidDispose(
      () => {
        run.cancel();
        this.live.delete(run);
      },
      undefined,
      this.disposables,
    );
    return run;
  }

  private openPanel(title: string): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.s.context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ANALYSIS_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    const uri = (...p: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
    panel.webview.html = renderAnalysisHtml({
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      title,
      styleUri: uri('insights.css'),
      scriptUri: uri('dist', 'insightsPage.js'),
    });
    return panel;
  }

  private initialState(r: RunRequest, maxRunMs: number): AnalysisViewState {
    const where = [...new Set(r.targets.map((t) => `${t.profile.name}/${t.region}`))];
    return {
      runId: nextRun++,
      title: r.title,
      subtitle: `${describeTargets(r.targets)} in ${where.join(', ')} · ${rangeText(r.startTime, r.endTime)}`,
      phase: 'running',
      chart: r.chart === 'auto' ? 'none' : r.chart,
      query: r.queries.map((q) => q.built.queryString).join('\n\n'),
      statistics: {},
      parts: [],
      canShowRecords: !!this.openRecords && r.targets.some((t) => t.flowLogId),
      bound: `stops after ${durationText(maxRunMs)} (setting flowLogs.insights.maxQueryMinutes)`,
    };
  }

  /** One run per format, in parallel; their progress drawn as it comes; the answers as one. */
  private async sendQueries(queries: FormatQuery[], signal: AbortSignal, maxRunMs: number, view: RunView): Promise<AnalysisOutcome> {
    const outcomes = await Promise.all(
      queries.map((q, i) =>
        runAnalysis(this.s.aws, q.built, queryTargets(q.targets), {
          signal,
          maxRunMs,
          onProgress: (p) => view.progress(i, p.parts),
        }),
      ),
    );
    return combine(
      queries.map((q) => q.built),
      outcomes,
    );
  }

  private makeRun(
    r: RunRequest,
    view: RunView,
    panel: vscode.WebviewPanel,
    done: Promise<AnalysisOutcome>,
    abort: AbortController,
    maxRunMs: number,
  ): AnalysisRun {
    const first = r.queries[0].built;
    const run: AnalysisRun = {
      runId: view.state.runId,
      title: r.title,
      queryString: view.state.query,
      done,
      panel,
      range: { startTime: first.startTime, endTime: first.endTime },
      get columns() {
        return run.outcome?.table.columns ?? first.columns;
      },
      get chart() {
        return view.state.chart;
      },
      subtitle: view.state.subtitle,
      maxRunMs,
      cancel: () => abort.abort(),
      openQuery: () => this.openQuery(first.queryString, r.targets, r.startTime, r.endTime),
      exportTo: async (target, format) => {
        const outcome = run.outcome ?? (await done);
        const text = format === 'csv' ? toCsv(outcome.table) : toJson(outcome.table);
        await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      },
      showRecords: (index, chosen) => this.showRecordsOfRow(r, run, index, chosen),
    };
    return run;
  }

  /** "Show these records" for row `index` of the answer: the records panel, filtered on the row. */
  private async showRecordsOfRow(r: RunRequest, run: AnalysisRun, index: number, chosen?: FlowLogTarget): Promise<unknown> {
    const table = run.outcome?.table;
    const row = Number.isSafeInteger(index) && table ? table.rows[index] : undefined;
    if (!row || !this.openRecords) return undefined;
    const withRecords = r.targets.filter((t) => t.flowLogId);
    const target =
      chosen ??
      (withRecords.length <= 1
        ? withRecords[0]
        : (
            await vscode.window.showQuickPick(
              withRecords.map((t) => ({ label: t.logGroupName, description: `${t.profile.name} · ${t.region}`, t })),
              { title: 'Show the records of which flow log?' },
            )
          )?.t);
    if (!target) return undefined;
    const query = recordsQueryForRow({
      analysis: r.rowContext.analysis,
      logFormat: target.logFormat,
      columns: table!.columns,
      row,
      range: run.range,
      binSeconds: r.queries[0].built.binSeconds,
      filters: r.rowContext.filters,
    });
    if (typeof query === 'string') {
      void vscode.window.showInformationMessage(query);
      return undefined;
    }
    return this.openRecords(target, query);
  }

  private finished(r: RunRequest, run: AnalysisRun, view: RunView, outcome: AnalysisOutcome, started: number): void {
    run.outcome = outcome;
    view.update({
      phase: 'done',
      parts: view.partsView(),
      statistics: outcome.statistics,
      outcome: {
        state: outcome.state,
        summary: outcome.summary,
        error: outcome.error && { message: outcome.error.message, kind: outcome.error.kind, position: outcome.error.position },
      },
      columns: outcome.table.columns,
      rows: outcome.table.rows,
      chart: r.chart === 'auto' ? chartForColumns(outcome.table.columns) : r.chart,
    });
    // Names beside the addresses and interfaces of the rows (issue 27), when they come.
    void nameTable(
      this.s.names,
      r.targets.map((t) => ({ profile: t.profile.name, region: t.region })),
      outcome.table,
    ).then(
      ({ names }) => {
        run.names = names;
        if (Object.keys(names).length) view.update({ names });
      },
      (err) => this.s.logger.warn(`Names of the rows of ${r.title}: ${(err as Error)?.message ?? err}`),
    );
    this.s.logger.info(
      `Logs Insights ${r.title}: ${outcome.state} in ${Math.round(performance.now() - started)} ms, ${outcome.table.rows.length} rows, ${outcome.statistics.recordsScanned} records scanned (${outcome.parts.length} quer${outcome.parts.length === 1 ? 'y' : 'ies'})`,
    );
  }

  /** Never left "running": whatever failed is shown as an error with Run Again. */
  private failed(title: string, view: RunView, err: unknown): void {
    const e = errorOf(err);
    view.update({
      phase: 'done',
      parts: view.partsView(),
      outcome: { state: 'error', summary: e.message, error: { message: e.message, kind: 'unknown' } },
      columns: [],
      rows: [],
    });
    this.s.logger.error(`Logs Insights ${title} failed: ${e.message}`);
  }

  /** Every message from the page is checked (parseFromPanel) before it acts. */
  private async onMessage(r: RunRequest, run: AnalysisRun, view: RunView, raw: unknown): Promise<unknown> {
    const m = parseFromPanel(raw);
    if (!m) {
      this.s.logger.warn('Ignored an unexpected message from the analysis panel');
      return undefined;
    }
    switch (m.type) {
      case 'ready':
        return view.post();
      case 'cancel':
        return run.cancel();
      case 'rerun':
        return this.start(r);
      case 'showRecords':
        return run.showRecords(m.index);
      case 'exportCsv':
      case 'exportJson': {
        const format = m.type === 'exportCsv' ? 'csv' : 'json';
        const to = await vscode.window.showSaveDialog({
          filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
          saveLabel: 'Export',
        });
        if (to) await run.exportTo(to, format);
        return undefined;
      }
      case 'openQuery':
        return run.openQuery();
      case 'openConsole':
        return this.openConsole(r.queries[0]);
    }
  }

  private async openConsole(q: FormatQuery): Promise<void> {
    const first = queryTargets(q.targets)[0];
    const url =
      first && insightsConsoleUrl(first.region, first.logGroupNames.slice(0, 50), q.built.queryString, q.built.startTime, q.built.endTime);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
    else void vscode.window.showInformationMessage('This region has no CloudWatch console to open.');
  }
}

/** The state a run's page draws, and the one way it is posted (ToPanel). */
class RunView {
  private readonly partsByQuery: QueryPart[][] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    public state: AnalysisViewState,
  ) {}

  post(): void {
    const m: ToPanel = { type: 'state', state: this.state };
    void this.panel.webview.postMessage(m);
  }

  update(change: Partial<AnalysisViewState>): void {
    this.state = { ...this.state, ...change };
    this.post();
  }

  /** Query `i` reported its parts. */
  progress(i: number, parts: readonly QueryPart[]): void {
    this.partsByQuery[i] = [...parts];
    this.update({ parts: this.partsView(), statistics: sumStats(this.partsByQuery.flat()) });
  }

  partsView(): AnalysisViewState['parts'] {
    return this.partsByQuery.flat().map((p) => ({
      label: `${p.profile}/${p.region} (${p.logGroupNames.length} log group${p.logGroupNames.length === 1 ? '' : 's'})`,
      state: p.state,
      error: p.error?.message,
    }));
  }
}

function sumStats(parts: readonly QueryPart[]) {
  return parts.reduce(
    (s, p) => ({
      recordsMatched: s.recordsMatched + (p.statistics.recordsMatched ?? 0),
      recordsScanned: s.recordsScanned + (p.statistics.recordsScanned ?? 0),
      bytesScanned: s.bytesScanned + (p.statistics.bytesScanned ?? 0),
    }),
    { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
  );
}

/** The outcomes of the per-format runs as one. */
function combine(built: BuiltQuery[], outcomes: AnalysisOutcome[]): AnalysisOutcome {
  if (outcomes.length === 1) return outcomes[0];
  const columns = outcomes.find((o) => o.table.columns.length)?.table.columns ?? built[0].columns;
  const table: ResultTable = mergeTables(
    { ...built[0], columns },
    outcomes.map((o) => alignTable(o.table, columns)),
  );
  const parts = outcomes.flatMap((o) => o.parts);
  const states = outcomes.map((o) => o.state);
  const state: AnalysisState = states.every((s) => s === 'complete')
    ? 'complete'
    : states.some((s) => s === 'complete' || s === 'partial')
      ? 'partial'
      : states[0];
  const summary =
    state === 'complete'
      ? `${table.rows.length} rows, merged from ${parts.length} queries (${outcomes.length} log formats)`
      : outcomes.map((o) => o.summary).join('; ');
  return { state, table, parts, statistics: sumStats(parts), summary, error: outcomes.find((o) => o.error)?.error };
}
