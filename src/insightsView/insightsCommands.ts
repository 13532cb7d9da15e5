// Commands of the Logs Insights analyses (vscode): Analyze… on one or several CloudWatch Logs flow
// logs (tree node, multi-selection, palette), Open Query into a `logs-insights` editor, and Run
// Query from that editor (command and CodeLens, runQueryLenses.ts) against the same log groups and
// time range; Open Recent (the list: recentQueries.ts).
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
} from '../shared/insightsAnalyses';
import {
  AnalysisPanels,
  describeTargets,
  type AnalysisRun,
  type AnalysisRunObserver,
  type FlowLogTarget,
  type ShowRecords,
} from './analysisPanel';
import { inputStep, pickStep, pickTimeRange } from './quickInput';
import { INSIGHTS_QUERY_FILES, QueryFiles, saveQueryFile } from '../commands/queryFiles';
import { RecentQueries, type RecentQuery } from './recentQueries';
import { RunQueryLenses, type QueryContext } from './runQueryLenses';
import { rangeText } from '../webview/timeRanges';

export const LANGUAGE_ID = INSIGHTS_QUERY_FILES.languageId;

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
    flowLogName: flowLogLabel(n.flowLog),
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

/** The flow logs a command was handed (a node, a multi-selection); undefined: none, so ask. */
function givenTargets(s: ExtensionServices, node: unknown, nodes: unknown): FlowLogTarget[] | 'refused' | undefined {
  const fromArgs = cloudWatchRefs(Array.isArray(nodes) ? nodes : [node]);
  if (fromArgs.length) return uniqueTargets(fromArgs, s);
  const given = flowLogRefOf(node);
  if (given) {
    void vscode.window.showWarningMessage(
      `${flowLogLabel(given.flowLog)} does not deliver to CloudWatch Logs: Logs Insights can only query CloudWatch Logs flow logs.`,
    );
    return 'refused';
  }
  return undefined;
}

/**
 * The flow logs to query, picked from the loaded CloudWatch Logs flow logs (several may be
 * picked; those selected in the tree come pre-picked). From the palette VS Code passes nothing.
 */
async function pickTargets(
  s: ExtensionServices,
  step: { title: string; step?: number; totalSteps?: number },
): Promise<FlowLogTarget[] | undefined> {
  const all = s.explorer.loadedFlowLogs().filter(isCloudWatch);
  if (!all.length) {
    void vscode.window.showInformationMessage('No CloudWatch Logs flow logs loaded yet: expand a region in the Flow Logs view first.');
    return undefined;
  }
  const selected = new Set(
    cloudWatchRefs(s.treeView.selection).map((r) => `${r.profile.name}\u0000${r.region}\u0000${r.flowLog.FlowLogId}`),
  );
  const items = all.map((n) => ({
    label: flowLogLabel(n.flowLog),
    description: `${n.flowLog.LogGroupName} · ${n.profile.name} · ${n.region}`,
    detail: n.flowLog.LogFormat ? `Custom format: ${n.flowLog.LogFormat.slice(0, 120)}` : 'Default format',
    node: n,
  }));
  const picked = await pickStep(items, {
    ...step,
    canPickMany: true,
    placeholder: 'The CloudWatch Logs flow logs to query (their log groups)',
    selected: items.filter((i) => selected.has(`${i.node.profile.name}\u0000${i.node.region}\u0000${i.node.flowLog.FlowLogId}`)),
  });
  return picked?.length
    ? uniqueTargets(
        picked.map((p) => p.node),
        s,
      )
    : undefined;
}

export function registerInsightsCommands(
  s: ExtensionServices,
  showRecords?: ShowRecords,
  observer?: AnalysisRunObserver,
): { api: InsightsApi; disposables: vscode.Disposable[] } {
  const contexts = new Map<string, QueryContext>();
  const recentQueries = new RecentQueries(s.context.globalState);
  const remember = (run: AnalysisRun | undefined, targets: FlowLogTarget[], startTime: number, endTime: number) => {
    if (run) recentQueries.remember(run, targets, startTime, endTime);
    return run;
  };
  // Open Query: the query in a .insights file of the extension's storage (not an Untitled editor,
  // which asks to be saved when closed). Running it saves it first, so closing never asks.
  const files = new QueryFiles(s.context.globalStorageUri, INSIGHTS_QUERY_FILES);
  const openQuery = (queryString: string, targets: FlowLogTarget[], startTime: number, endTime: number) =>
    files.open(queryString + '\n', (uri) => {
      contexts.set(uri.toString(), { targets, startTime, endTime });
      lenses.refresh();
    });
  const panels = new AnalysisPanels(s, openQuery, showRecords, observer);
  const lenses = new RunQueryLenses(contexts);

  const analyze = async (node?: unknown, nodes?: unknown, rawOptions?: unknown): Promise<AnalysisRun | undefined> => {
    const options = parseOptions(rawOptions);
    const interactive = options.analysis === undefined;
    const given = givenTargets(s, node, nodes);
    if (given === 'refused') return undefined;
    const rangeGiven = options.startTime !== undefined || options.minutes !== undefined;
    // The steps this flow will ask, so each shows its counter ("2/4"); an address step is added
    // when the analysis picked needs one.
    let total =
      (given ? 0 : 1) + (options.analysis ? 0 : 1) + (rangeGiven ? 0 : 1) + (options.filters === undefined && interactive ? 1 : 0);
    let step = 0;
    const next = () => ({ step: ++step, totalSteps: Math.max(total, step) });
    const targets = given ?? (await pickTargets(s, { title: 'Analyze with Logs Insights: which flow logs?', ...next() }));
    if (!targets) return undefined;
    const named = describeTargets(targets);
    const formats = [...new Set(targets.map((t) => t.logFormat))];
    const offered = availableAnalyses(formats[0]).filter((a) =>
      formats.every((f) => availableAnalyses(f).find((b) => b.analysis.id === a.analysis.id)?.available),
    );
    if (!offered.length) {
      void vscode.window.showWarningMessage(
        `None of the analyses fits the log format of ${named} (their records lack the fields the analyses need).`,
      );
      return undefined;
    }
    let analysis = options.analysis;
    if (analysis && !offered.some((a) => a.analysis.id === analysis)) {
      const missing =
        availableAnalyses(formats.find((f) => !availableAnalyses(f).find((b) => b.analysis.id === analysis)?.available)).find(
          (a) => a.analysis.id === analysis,
        )?.missing ?? [];
      void vscode.window.showWarningMessage(
        `${analysisDefinition(analysis)!.title} needs ${missing.join(', ')}, which the log format of ${named} does not record.`,
      );
      return undefined;
    }
    if (!analysis) {
      const pick = (
        await pickStep(
          offered.map((a) => ({ label: a.analysis.title, detail: a.analysis.description, id: a.analysis.id })),
          { title: `Analyze ${named}: which analysis?`, ...next() },
        )
      )?.[0];
      if (!pick) return undefined;
      analysis = pick.id;
    }
    const definition = analysisDefinition(analysis)!;
    if (definition.needsAddress && options.address === undefined) total++;
    let endTime = options.endTime ?? Date.now();
    let startTime = options.startTime ?? (options.minutes !== undefined ? endTime - options.minutes * 60_000 : undefined);
    if (startTime === undefined) {
      const range = await pickTimeRange({ title: `${definition.title} of ${named}: time range`, ...next() });
      if (!range) return undefined;
      startTime = range.startTime;
      endTime = range.endTime;
    }
    let address = options.address;
    if (definition.needsAddress && address === undefined) {
      address = await inputStep({
        title: `${definition.title} in ${named}: which address?`,
        ...next(),
        prompt: 'An IPv4 or IPv6 address',
        validate: (v) => (isIpAddress(v.trim()) ? undefined : 'An IP address, such as 10.0.1.25'),
      });
      if (address === undefined) return undefined;
    }
    const limit = options.limit === undefined ? undefined : Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit)));
    let filterText = options.filters;
    if (filterText === undefined && interactive) {
      filterText = await inputStep({
        title: `${definition.title} of ${named}, ${rangeText(startTime, endTime)}: field filters (optional)`,
        ...next(),
        prompt: 'Space-separated field=value[,value]; != excludes. Example: dstPort=22,3389 srcAddr!=10.0.0.0/8',
        validate: (v) => {
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
      const targets = await pickTargets(s, { title: 'Run Logs Insights query: which flow logs?', step: 1, totalSteps: 2 });
      if (!targets) return undefined;
      const range = await pickTimeRange({ title: `Run the query on ${describeTargets(targets)}: time range`, step: 2, totalSteps: 2 });
      if (!range) return undefined;
      context = { targets, startTime: range.startTime, endTime: range.endTime };
      contexts.set(doc.uri.toString(), context);
      lenses.refresh();
    }
    // The query's own file is saved as it runs: closing it later never asks to save.
    if (doc.isDirty && files.owns(doc.uri)) await saveQueryFile(doc);
    return remember(panels.runQuery({ queryString, ...context }), context.targets, context.startTime, context.endTime);
  };

  // Recent queries: reopened in an editor against the same log groups, over the same length of time up to now.
  const openRecent = async (which?: unknown): Promise<unknown> => {
    const list = recentQueries.usable();
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
  return { api: { panels, contexts, recent: () => recentQueries.all() }, disposables };
}
