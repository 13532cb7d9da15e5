// Wiring only: build the services, register the view, the commands and the webview serializer.
import * as vscode from 'vscode';
import { createServices, ExtensionServices } from './services';
import { registerTreeCommands } from './commands/treeCommands';
import { registerSsoCommands } from './commands/ssoCommands';
import { registerFilterCommands } from './commands/filterCommands';
import { registerPresetCommands } from './commands/presetCommands';
import { copyValue, registerCopyCommands } from './commands/copyCommands';
import { registerDetailCommands } from './commands/detailCommands';
import { registerSearchCommand } from './commands/searchCommand';
import type { SearchResults } from './tree/searchResultsProvider';
import { registerCoverageCommands } from './commands/coverageCommands';
import type { CoverageProvider } from './tree/coverageNodes';
import { DetailPanels, DETAIL_VIEW_TYPE, type DetailPanel } from './webview/detailPanel';
import { RegionNode } from './tree/regionNode';
import { FlowLogNode } from './tree/flowLogNode';
import { showFiltersInView } from './tree/viewTitle';
import { watchSharedConfigFiles } from './tree/configWatcher';
import { sdkLoadInfo } from './shared/sdkLoad';
import type { Operation } from './shared/awsWorkerProtocol';
import { registerInsightsCommands, type InsightsApi } from './insightsView/insightsCommands';
import type { AnalysisRun } from './insightsView/analysisPanel';
import { registerAthenaCommands, type AthenaApi } from './athenaView/athenaCommands';
import { RecordsPanels, RECORDS_VIEW_TYPE, type RecordsPanel } from './recordsView/recordsPanel';
import { createRecordsLog, type RecordsLog } from './recordsView/recordsLog';
import { registerRecordsCommands } from './recordsView/recordsCommands';
import { keepOutputLines } from './outputLogger';
import { registerExplainCommands, type NamesApi } from './commands/explainCommands';
import { registerWriteCommands } from './commands/writeCommands';

export interface FlowLogsApi {
  services: ExtensionServices;
  detailPanels: DetailPanels;
  /** The Coverage view's data (Check Coverage… fills it). */
  coverage: CoverageProvider;
  /** Logs Insights analyses: the panels and the Open Query editors' contexts. */
  insights: InsightsApi;
  athena: AthenaApi;
  recordsPanels: RecordsPanels;
  /** Address names and Explain this record (issue 27): what the records page calls. */
  names: NamesApi;
  /** activate() entry to return, in ms, and whether the AWS SDK was loaded by then. */
  activation: { ms: number; sdkLoaded: boolean };
  /** The Search Results view's nodes (tests walk them). */
  searchResults: SearchResults;
  /** The output channel's last 2,000 lines, redacted as written (tests read them). */
  outputLines(): readonly string[];
  /**
   * Calls the AWS workers answered, by operation: counted only when the extension runs under
   * tests (extensionMode Test/Development), to prove requests went through the workers.
   */
  workerAnswers: Partial<Record<Operation, number>>;
  /** The detail panels open now, oldest first (tests read their flow log and the webview's HTML). */
  openDetailPanels(): readonly DetailPanel[];
  /** The records panels open now, oldest first (tests read their state). */
  openRecordsPanels(): readonly RecordsPanel[];
  /** The Logs Insights runs started, oldest first, the last 50: kept only under tests (extensionMode not Production). */
  analysisRuns(): readonly AnalysisRun[];
  /**
   * What each records panel posted to its page and what Explain answered, and its loaded rows
   * read through its result set: kept only when the extension runs under tests (extensionMode
   * Test/Development); undefined in production.
   */
  recordsLog: RecordsLog | undefined;
}

export function activate(context: vscode.ExtensionContext): FlowLogsApi {
  const started = performance.now();
  const workerAnswers: Partial<Record<Operation, number>> = {};
  const observe = context.extensionMode !== vscode.ExtensionMode.Production;
  const s = createServices(context, observe ? (c) => void (workerAnswers[c.op] = (workerAnswers[c.op] ?? 0) + 1) : undefined);
  const outputLines = keepOutputLines(s.logger);
  const openDetailPanels = new Set<DetailPanel>();
  const detailPanels = new DetailPanels(
    s,
    (ref, kind) => copyValue(s, ref, kind),
    (panel, open) => (open ? openDetailPanels.add(panel) : openDetailPanels.delete(panel)),
  );
  const coverage = registerCoverageCommands(s);
  // "Show these records" from an analysis row opens the records panel (created just below).
  const analysisRuns: AnalysisRun[] = [];
  const insights = registerInsightsCommands(
    s,
    (t, query) => (t.flowLogId ? recordsPanels.openFlowLog(t.profile, t.region, t.flowLogId, query) : Promise.resolve(undefined)),
    observe ? (run) => void (analysisRuns.push(run) > 50 && analysisRuns.shift()) : undefined,
  );
  const openRecordsPanels = new Set<RecordsPanel>();
  const recordsLog = observe ? createRecordsLog() : undefined;
  const recordsPanels = new RecordsPanels(
    s,
    (panel, open) => (open ? openRecordsPanels.add(panel) : openRecordsPanels.delete(panel)),
    recordsLog?.watch,
  );
  const search = registerSearchCommand(s);
  // Address names and Explain this record (issue 27): the records page calls names.api.
  const names = registerExplainCommands(s);
  const athena = registerAthenaCommands(s);

  const showFilters = () => showFiltersInView(s.treeView, s.filters.filters);
  showFilters();
  if (s.filters.restoreProblem) s.logger.warn(s.filters.restoreProblem);

  context.subscriptions.push(
    s.logger,
    s.treeView,
    s.provider,
    detailPanels,
    s.filters.onChange(() => {
      showFilters();
      s.explorer.resetListings();
    }),
    // Moving the selection with the keyboard updates the preview panel, as a click does.
    s.treeView.onDidChangeSelection((e) => {
      const [only] = e.selection;
      if (e.selection.length === 1 && only instanceof FlowLogNode) void detailPanels.follow(only.ref);
    }),
    // Collapsing a region cancels its request in flight.
    s.treeView.onDidCollapseElement((e) => e.element instanceof RegionNode && e.element.listing?.cancel()),
    vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, detailPanels),
    recordsPanels,
    vscode.window.registerWebviewPanelSerializer(RECORDS_VIEW_TYPE, recordsPanels),
    ...registerRecordsCommands(s, recordsPanels),
    ...registerDetailCommands(s, detailPanels),
    ...registerTreeCommands(s),
    ...registerSsoCommands(s),
    ...registerFilterCommands(s),
    ...registerPresetCommands(s),
    ...registerCopyCommands(s),
    search,
    coverage.disposable,
    // Create / delete / tag flow logs (issue 26); after a change the open detail panels of the region reload.
    ...registerWriteCommands(s, coverage.provider, async (profile, region) => {
      for (const p of openDetailPanels) if (p.ref?.profile.name === profile && p.ref.region === region) await p.refresh();
    }),
    ...insights.disposables,
    ...names.disposables,
    ...athena.disposables,
    vscode.workspace.onDidChangeConfiguration((e) => {
      const affects = (keys: string[]) => keys.some((k) => e.affectsConfiguration(`flowLogs.${k}`));
      // Where requests go or how they are sent: new clients (and credentials).
      if (affects(['endpointUrl', 'maxAttempts', 'requestTimeoutSeconds'])) s.explorer.refresh();
      // What is shown: keep clients and credentials (no new MFA prompt), reload the lists.
      else if (affects(['profiles', 'regions', 'pageSize'])) s.explorer.resetListings();
    }),
    ...watchSharedConfigFiles(() => {
      s.logger.info('AWS config files changed: reloading profiles');
      s.explorer.refresh();
    }),
  );

  const ms = performance.now() - started;
  const sdkLoaded = sdkLoadInfo().loaded;
  s.logger.info(`Activated in ${ms.toFixed(1)} ms (AWS SDK loaded: ${sdkLoaded ? 'yes' : 'no, on first use'})`);
  return {
    services: s,
    detailPanels,
    coverage: coverage.provider,
    recordsPanels,
    insights: insights.api,
    names: names.api,
    athena: athena.api,
    activation: { ms, sdkLoaded },
    searchResults: search.results,
    outputLines,
    workerAnswers,
    openDetailPanels: () => [...openDetailPanels],
    openRecordsPanels: () => [...openRecordsPanels],
    analysisRuns: () => [...analysisRuns],
    recordsLog,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
