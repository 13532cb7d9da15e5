// Commands of the Logs Insights analyses (vscode): Analyze… on one or several CloudWatch Logs flow
// logs (tree node, multi-selection, palette), Open Query into a `logs-insights` editor, and Run
// Query from that editor (command and CodeLens) against the same log groups and time range.
import * as vscode from 'vscode';
import { readerFor } from '../commands/readWithProfile';
import type { ExtensionServices } from '../services';
import { flowLogRefOf } from '../tree/flowLogNode';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { flowLogLabel } from '../explorer/flowLogName';
import {
  availableAnalyses,
  isIpAddress,
  MAX_LIMIT,
  QueryInputError,
  analysisDefinition,
  parseFilterText,
  type AnalysisId,
  type FieldFilter,
} from '../insights/analyses';
import { AnalysisPanels, type AnalysisRun, type FlowLogTarget, type ShowRecords } from './analysisPanel';

export const LANGUAGE_ID = 'logs-insights';

const RANGES: { label: string; minutes: number }[] = [
  { label: 'Last 15 minutes', minutes: 15 },
  { label: 'Last hour', minutes: 60 },
  { label: 'Last 3 hours', minutes: 180 },
  { label: 'Last 24 hours', minutes: 1440 },
  { label: 'Last 7 days', minutes: 10080 },
];

/** Options a caller (a test, another command) may pass instead of answering the pickers. */
export interface AnalyzeOptions {
  analysis?: AnalysisId;
  startTime?: number;
  endTime?: number;
  minutes?: number;
  limit?: number;
  address?: string;
  /** Field filters as typed in the input (`dstPort=22,3389 srcAddr!=10.0.0.0/8`). */
  filters?: string;
}

interface QueryContext {
  targets: FlowLogTarget[];
  startTime: number;
  endTime: number;
}

export interface InsightsApi {
  panels: AnalysisPanels;
  /** The log groups and range each Open Query editor runs against. */
  contexts: Map<string, QueryContext>;
  /** The recent queries, newest first. */
  recent(): readonly RecentQuery[];
}

function isCloudWatch(r: FlowLogRef | undefined): r is FlowLogRef {
  return (
    !!r &&
    r.flowLog.LogDestinationType === 'cloud-watch-logs' &&
    typeof r.flowLog.LogGroupName === 'string' &&
    r.flowLog.LogGroupName !== ''
  );
}

/** The CloudWatch Logs flow logs among what a command was handed (flow log nodes, refs). */
function cloudWatchRefs(list: readonly unknown[]): FlowLogRef[] {
  return list.map(flowLogRefOf).filter(isCloudWatch);
}

function targetOf(n: FlowLogRef, s?: ExtensionServices): FlowLogTarget {
  return {
    // The profile chosen for the log group (Read with Another Profile…), else the flow log's own.
    profile: s ? readerFor(s, n) : n.profile,
    region: n.region,
    logGroupName: n.flowLog.LogGroupName!,
    logFormat: n.flowLog.LogFormat,
    flowLogId: n.flowLog.FlowLogId,
  };
}

function uniqueTargets(nodes: FlowLogRef[], s?: ExtensionServices): FlowLogTarget[] {
  const seen = new Set<string>();
  const out: FlowLogTarget[] = [];
  for (const n of nodes) {
    const t = targetOf(n, s);
    const key = `${t.profile.name}\u0000${t.region}\u0000${t.logGroupName}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function parseOptions(raw: unknown): AnalyzeOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    analysis: analysisDefinition(o.analysis)?.id,
    startTime: num(o.startTime),
    endTime: num(o.endTime),
    minutes: num(o.minutes),
    limit: num(o.limit),
    address: typeof o.address === 'string' ? o.address : undefined,
    filters: typeof o.filters === 'string' ? o.filters : undefined,
  };
}

/** The flow logs to analyze: the multi-selection, the node, the tree's selection, or a pick. */
async function resolveTargets(s: ExtensionServices, node: unknown, nodes: unknown): Promise<FlowLogTarget[] | undefined> {
  const fromArgs = cloudWatchRefs(Array.isArray(nodes) ? nodes : [node]);
  if (fromArgs.length) return uniqueTargets(fromArgs, s);
  const given = flowLogRefOf(node);
  if (given) {
    void vscode.window.showWarningMessage(
      `${flowLogLabel(given.flowLog)} does not deliver to CloudWatch Logs: Logs Insights can only query CloudWatch Logs flow logs.`,
    );
    return undefined;
  }
  const selected = cloudWatchRefs(s.treeView.selection);
  if (selected.length) return uniqueTargets(selected, s);
  const all = s.explorer.loadedFlowLogs().filter(isCloudWatch);
  if (!all.length) {
    void vscode.window.showInformationMessage('No CloudWatch Logs flow logs loaded yet: expand a region in the Flow Logs view first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((n) => ({
      label: flowLogLabel(n.flowLog),
      description: `${n.profile.name} · ${n.region}`,
      detail: n.flowLog.LogGroupName,
      node: n,
    })),
    { title: 'Analyze which flow logs?', canPickMany: true, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.length
    ? uniqueTargets(
        picked.map((p) => p.node),
        s,
      )
    : undefined;
}

/** A query run lately, kept across sessions (no credentials: profile names, regions, groups). */
export interface RecentQuery {
  title: string;
  queryString: string;
  minutes: number;
  targets: { profile: string; region: string; logGroupName: string; logFormat?: string }[];
  at: number;
}
const RECENT_KEY = 'flowLogs.insights.recent';
const MAX_RECENT = 20;

export function registerInsightsCommands(
  s: ExtensionServices,
  showRecords?: ShowRecords,
): { api: InsightsApi; disposables: vscode.Disposable[] } {
  const contexts = new Map<string, QueryContext>();
  const remember = (run: AnalysisRun | undefined, targets: FlowLogTarget[], startTime: number, endTime: number) => {
    if (!run) return run;
    const entry: RecentQuery = {
      title: run.title,
      queryString: run.queryString,
      minutes: Math.max(1, Math.round((endTime - startTime) / 60_000)),
      at: Date.now(),
      targets: targets
        .slice(0, 200)
        .map((t) => ({ profile: t.profile.name, region: t.region, logGroupName: t.logGroupName, logFormat: t.logFormat })),
    };
    const old = s.context.globalState.get<RecentQuery[]>(RECENT_KEY, []);
    const list = [entry, ...(Array.isArray(old) ? old : []).filter((r) => r && r.queryString !== entry.queryString)].slice(0, MAX_RECENT);
    void s.context.globalState.update(RECENT_KEY, list);
    return run;
  };
  const openQuery = async (queryString: string, targets: FlowLogTarget[], startTime: number, endTime: number) => {
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: queryString + '\n' });
    contexts.set(doc.uri.toString(), { targets, startTime, endTime });
    lenses.refresh();
    return vscode.window.showTextDocument(doc, { preview: false });
  };
  const panels = new AnalysisPanels(s, openQuery, showRecords);
  const lenses = new RunQueryLenses(contexts);

  const analyze = async (node?: unknown, nodes?: unknown, rawOptions?: unknown): Promise<AnalysisRun | undefined> => {
    const options = parseOptions(rawOptions);
    const targets = await resolveTargets(s, node, nodes);
    if (!targets) return undefined;
    const formats = [...new Set(targets.map((t) => t.logFormat))];
    const offered = availableAnalyses(formats[0]).filter((a) =>
      formats.every((f) => availableAnalyses(f).find((b) => b.analysis.id === a.analysis.id)?.available),
    );
    if (!offered.length) {
      void vscode.window.showWarningMessage(
        'None of the analyses fits the log format of these flow logs (their records lack the fields the analyses need).',
      );
      return undefined;
    }
    const interactive = options.analysis === undefined;
    let analysis = options.analysis;
    if (analysis && !offered.some((a) => a.analysis.id === analysis)) {
      const missing =
        availableAnalyses(formats.find((f) => !availableAnalyses(f).find((b) => b.analysis.id === analysis)?.available)).find(
          (a) => a.analysis.id === analysis,
        )?.missing ?? [];
      void vscode.window.showWarningMessage(
        `${analysisDefinition(analysis)!.title} needs ${missing.join(', ')}, which the log format does not record.`,
      );
      return undefined;
    }
    if (!analysis) {
      const pick = await vscode.window.showQuickPick(
        offered.map((a) => ({ label: a.analysis.title, detail: a.analysis.description, id: a.analysis.id })),
        {
          title: `Analyze ${targets.length} log group${targets.length === 1 ? '' : 's'} with Logs Insights`,
        },
      );
      if (!pick) return undefined;
      analysis = pick.id;
    }
    let endTime = options.endTime ?? Date.now();
    let startTime = options.startTime ?? (options.minutes !== undefined ? endTime - options.minutes * 60_000 : undefined);
    if (startTime === undefined) {
      const range = await vscode.window.showQuickPick(
        RANGES.map((r) => ({ label: r.label, minutes: r.minutes })),
        { title: 'Time range' },
      );
      if (!range) return undefined;
      endTime = Date.now();
      startTime = endTime - range.minutes * 60_000;
    }
    let address = options.address;
    if (analysisDefinition(analysis)!.needsAddress && address === undefined) {
      address = await vscode.window.showInputBox({
        title: 'Records of one address',
        prompt: 'An IPv4 or IPv6 address',
        ignoreFocusOut: true,
        validateInput: (v) => (isIpAddress(v.trim()) ? undefined : 'An IP address, such as 10.0.1.25'),
      });
      if (address === undefined) return undefined;
    }
    const limit = options.limit === undefined ? undefined : Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit)));
    let filterText = options.filters;
    if (filterText === undefined && interactive) {
      filterText = await vscode.window.showInputBox({
        title: 'Field filters (optional)',
        prompt: 'Space-separated field=value[,value]; != excludes. Example: dstPort=22,3389 srcAddr!=10.0.0.0/8',
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseFilterText(v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (filterText === undefined) return undefined;
    }
    try {
      const filters: FieldFilter[] = parseFilterText(filterText ?? '');
      return remember(
        panels.runAnalysis({ analysis, targets, startTime, endTime, limit, address: address?.trim(), filters }),
        targets,
        startTime,
        endTime,
      );
    } catch (e) {
      if (e instanceof QueryInputError) {
        void vscode.window.showErrorMessage(e.message);
        return undefined;
      }
      throw e;
    }
  };

  const runQuery = async (arg?: unknown): Promise<AnalysisRun | undefined> => {
    const doc =
      arg instanceof vscode.Uri
        ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString())
        : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showInformationMessage('Open a Logs Insights query (Open Query in an analysis panel) first.');
      return undefined;
    }
    const queryString = doc.getText().trim();
    if (!queryString) {
      void vscode.window.showInformationMessage('The query is empty.');
      return undefined;
    }
    let context = contexts.get(doc.uri.toString());
    if (!context) {
      const targets = await resolveTargets(s, undefined, undefined);
      if (!targets) return undefined;
      const range = await vscode.window.showQuickPick(
        RANGES.map((r) => ({ label: r.label, minutes: r.minutes })),
        { title: 'Time range' },
      );
      if (!range) return undefined;
      const endTime = Date.now();
      context = { targets, startTime: endTime - range.minutes * 60_000, endTime };
      contexts.set(doc.uri.toString(), context);
      lenses.refresh();
    }
    return remember(panels.runQuery({ queryString, ...context }), context.targets, context.startTime, context.endTime);
  };

  // Recent queries: reopened in an editor against the same log groups, over the same length of time up to now.
  const openRecent = async (which?: unknown): Promise<unknown> => {
    const stored = s.context.globalState.get<RecentQuery[]>(RECENT_KEY, []);
    const list = (Array.isArray(stored) ? stored : []).filter((r) => r && typeof r.queryString === 'string' && Array.isArray(r.targets));
    if (!list.length) {
      void vscode.window.showInformationMessage('No Logs Insights query has been run yet.');
      return undefined;
    }
    // A caller may name the entry (its index); VS Code passes nothing from the palette.
    const direct =
      typeof which === 'number' && Number.isInteger(which) && which >= 0 && which < list.length ? { r: list[which] } : undefined;
    const picked =
      direct ??
      (await vscode.window.showQuickPick(
        list.map((r) => ({
          label: r.title,
          description: `${r.targets.length} log group${r.targets.length === 1 ? '' : 's'} · last ${r.minutes} min`,
          detail: r.queryString.replace(/\s+/g, ' ').slice(0, 200),
          r,
        })),
        { title: 'Recent Logs Insights queries', matchOnDetail: true },
      ));
    if (!picked) return undefined;
    const profiles = new Map(s.explorer.listedProfiles().map((p) => [p.name, p]));
    const targets: FlowLogTarget[] = [];
    for (const t of picked.r.targets) {
      const profile = profiles.get(t.profile);
      if (profile) targets.push({ profile, region: t.region, logGroupName: t.logGroupName, logFormat: t.logFormat });
    }
    if (!targets.length) {
      void vscode.window.showWarningMessage(
        `The profiles of that query (${[...new Set(picked.r.targets.map((t) => t.profile))].join(', ')}) are not shown in the Flow Logs view.`,
      );
      return undefined;
    }
    const endTime = Date.now();
    return openQuery(picked.r.queryString, targets, endTime - picked.r.minutes * 60_000, endTime);
  };

  const disposables: vscode.Disposable[] = [
    panels,
    vscode.commands.registerCommand('flowLogs.analyze', analyze),
    vscode.commands.registerCommand('flowLogs.runInsightsQuery', runQuery),
    vscode.commands.registerCommand('flowLogs.openRecentInsightsQuery', openRecent),
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lenses),
    vscode.workspace.onDidCloseTextDocument((d) => contexts.delete(d.uri.toString())),
  ];
  const recent = () => {
    const stored = s.context.globalState.get<RecentQuery[]>(RECENT_KEY, []);
    return Array.isArray(stored) ? stored : [];
  };
  return { api: { panels, contexts, recent }, disposables };
}

class RunQueryLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly contexts: Map<string, QueryContext>) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const c = this.contexts.get(doc.uri.toString());
    const title = c
      ? `$(play) Run Query on ${c.targets.length} log group${c.targets.length === 1 ? '' : 's'} (${new Date(c.startTime).toISOString().slice(0, 16).replace('T', ' ')} – ${new Date(c.endTime).toISOString().slice(11, 16)} UTC)`
      : '$(play) Run Query…';
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'flowLogs.runInsightsQuery', arguments: [doc.uri] })];
  }
}
