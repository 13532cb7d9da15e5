// Commands of Athena for S3 flow logs (vscode): Analyze with Athena… on an S3 flow log (tree node
// or palette) shows the table's DDL and where it will be created (workgroup, database, output
// location), creates it only when the user confirms (reusing a table that already matches), then
// runs a built-in analysis in the answer panel. Open Athena Query puts SQL in a `sql` editor; Run
// Athena Query runs the edited text with the same profile, region and workgroup.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { flowLogRefOf } from '../tree/flowLogNode';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { readerFor } from '../commands/readWithProfile';
import { ATHENA_QUERY_FILES, QueryFiles, saveQueryFile } from '../commands/queryFiles';
import { flowLogLabel } from '../explorer/flowLogName';
import { analysisDefinition, isIpAddress, type AnalysisId } from '../shared/insightsAnalyses';
import { buildTable, isAthenaName, type TableSpec } from '../athena/table';
import { athenaAvailability, buildAthenaQuery, AthenaQueryError } from '../athena/queries';
import { runAthenaQuery } from '../athena/run';
import { tableMatches } from '../athena/answer';
import { AthenaPanels, athenaCall, type AthenaQueryInput, type AthenaRun } from './athenaPanel';
import { AthenaQueryLenses, RecentAthenaQueries } from './athenaQueries';
import type { RecentAthenaQuery } from '../athena/recent';
import type { AthenaRecordsSetupResult } from '../athena/recordsSource';

const RANGES: { label: string; hours: number }[] = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 168 },
  { label: 'Last 30 days', hours: 720 },
];

export interface AthenaApi {
  panels: AthenaPanels;
  /** The profile, region and workgroup each Open Athena Query editor runs with. */
  contexts: Map<string, AthenaQueryInput>;
  /** The recent queries, newest first. */
  recent(): readonly RecentAthenaQuery[];
}

/** Options a caller (a test) may pass instead of answering the pickers and the confirmation. */
interface AthenaOptions {
  analysis?: AnalysisId;
  hours?: number;
  startTime?: number;
  endTime?: number;
  address?: string;
  /** Create the table without asking (tests; the modal is the user's path). */
  confirm?: boolean;
}

function parseOptions(raw: unknown): AthenaOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    analysis: analysisDefinition(o.analysis)?.id,
    hours: num(o.hours),
    startTime: num(o.startTime),
    endTime: num(o.endTime),
    address: typeof o.address === 'string' ? o.address : undefined,
    confirm: o.confirm === true,
  };
}

const isS3 = (r: FlowLogRef | undefined): r is FlowLogRef => !!r && r.flowLog.LogDestinationType === 's3';

/** Why there is no table (or output location), as a value: how loud, and whether the settings help. */
interface TableRefusal {
  level: 'error' | 'warn' | 'info';
  message: string;
  settings?: boolean;
  /** The user answered no to Create Table. */
  declined?: boolean;
}

interface AthenaSettings {
  workGroup: string;
  database: string;
  outputLocation?: string;
}

function settingsOf(): AthenaSettings | { problem: string } {
  const c = vscode.workspace.getConfiguration('flowLogs.athena');
  const workGroup = String(c.get('workgroup') ?? 'primary').trim() || 'primary';
  const database = String(c.get('database') ?? 'vpc_flow_logs').trim();
  const output = String(c.get('outputLocation') ?? '').trim();
  if (!/^[a-zA-Z0-9._-]{1,128}$/.test(workGroup))
    return { problem: `flowLogs.athena.workgroup "${workGroup.slice(0, 60)}" is not a workgroup name` };
  if (!isAthenaName(database))
    return { problem: `flowLogs.athena.database "${String(database).slice(0, 60)}" is not a database name (lowercase letters, digits, _)` };
  if (output && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(output))
    return { problem: `flowLogs.athena.outputLocation "${output.slice(0, 80)}" is not an s3:// folder` };
  return { workGroup, database, outputLocation: output || undefined };
}

async function pickFlowLog(s: ExtensionServices, node: unknown): Promise<FlowLogRef | undefined> {
  const given = flowLogRefOf(node);
  if (given) {
    if (given.flowLog.LogDestinationType === 's3') return given;
    void vscode.window.showWarningMessage(`${flowLogLabel(given.flowLog)} does not deliver to S3: Athena reads S3 flow logs.`);
    return undefined;
  }
  const all = s.explorer.loadedFlowLogs().filter(isS3);
  if (!all.length) {
    void vscode.window.showInformationMessage('No S3 flow logs loaded yet: expand a region in the Flow Logs view first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((n) => ({
      label: flowLogLabel(n.flowLog),
      description: `${n.profile.name} · ${n.region}`,
      detail: n.flowLog.LogDestination,
      node: n,
    })),
    { title: 'Analyze which S3 flow log with Athena?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.node;
}

/** A written query's panel title: "Athena query" and its first line. */
function titleOf(sql: string): string {
  const first = sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? '';
  const line = first.trim().replace(/\s+/g, ' ');
  return `Athena query: ${line.length > 60 ? `${line.slice(0, 59)}…` : line}`;
}

export function registerAthenaCommands(s: ExtensionServices): { api: AthenaApi; disposables: vscode.Disposable[] } {
  /** A message where the user looks, and in the output channel (Analyze with Athena… stops there). */
  const tell = (level: 'error' | 'warn' | 'info', text: string, ...items: string[]) => {
    s.logger[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info'](`Analyze with Athena: ${text}`);
    return level === 'error'
      ? vscode.window.showErrorMessage(text, ...items)
      : level === 'warn'
        ? vscode.window.showWarningMessage(text, ...items)
        : vscode.window.showInformationMessage(text, ...items);
  };
  const contexts = new Map<string, AthenaQueryInput>();
  const files = new QueryFiles(s.context.globalStorageUri, ATHENA_QUERY_FILES);
  const lenses = new AthenaQueryLenses(contexts);
  const recent = new RecentAthenaQueries(s);
  // Open Query: the SQL in a .sql file of the extension's storage, in a `sql` editor.
  const openQuery = (sql: string, input: AthenaQueryInput) =>
    files.open(sql.replace(/\n*$/, '\n'), (uri) => {
      contexts.set(uri.toString(), input);
      lenses.refresh();
    });
  const onAction = async (action: 'openSettings' | 'createTable') =>
    action === 'openSettings'
      ? vscode.commands.executeCommand('workbench.action.openSettings', 'flowLogs.athena')
      : vscode.commands.executeCommand('flowLogs.analyzeWithAthena');
  const panels = new AthenaPanels(s, openQuery, onAction);
  // Every query run is remembered (the built-in analyses' SQL too): Open Recent Athena Query.
  const runAndRemember = (input: AthenaQueryInput): AthenaRun => {
    recent.remember(input);
    return panels.run(input);
  };

  /**
   * The table for a flow log: reused when one matches, else created after the user confirms (the
   * modal shows the DDL and where it goes). Why not, as a value: Analyze with Athena… tells it in a
   * message, the records panel shows it as a state.
   */
  async function tableFor(
    ref: FlowLogRef,
    settings: AthenaSettings,
    outputLocation: string | undefined,
    confirm: boolean,
  ): Promise<TableSpec | TableRefusal> {
    const accountId = await s.service.accountId(ref.profile).catch(() => undefined);
    const spec = buildTable({ flowLog: ref.flowLog, accountId: accountId ?? '', region: ref.region, database: settings.database });
    if ('problem' in spec)
      return { level: 'error', message: `Cannot make an Athena table for ${flowLogLabel(ref.flowLog)}: ${spec.problem}` };
    // The profile chosen for this destination (Read with Another Profile…: a central log archive), else the flow log's own.
    const call = athenaCall(s, readerFor(s, ref), ref.region);
    const existing = await call('athenaGetTableMetadata', { catalog: 'AwsDataCatalog', database: spec.database, table: spec.table });
    if (existing.ok && existing.table) {
      if (tableMatches(existing.table, spec)) return spec;
      return {
        level: 'error',
        message: `The table ${spec.database}.${spec.table} exists but does not match this flow log (columns, partitions or location): drop it or choose another database (flowLogs.athena.database).`,
        settings: true,
      };
    }
    if (!existing.ok) return { level: 'error', message: existing.error.message, settings: existing.error.actions.includes('openSettings') };
    if (vscode.workspace.getConfiguration('flowLogs').get('readOnly') === true)
      return { level: 'warn', message: 'flowLogs.readOnly is set: the Athena table is not created.' };
    if (!vscode.workspace.isTrusted) return { level: 'warn', message: 'Creating an Athena table needs a trusted workspace.' };
    if (!confirm) {
      const create = 'Create Table';
      const answer = await vscode.window.showInformationMessage(
        `Create the Athena table ${spec.database}.${spec.table}?`,
        {
          modal: true,
          detail: `Workgroup: ${settings.workGroup}\nDatabase: ${spec.database} (created if missing)\nQuery results: ${outputLocation ?? "the workgroup's output location"}\nData: ${spec.locationUri}\n\n${spec.ddl}`,
        },
        create,
      );
      if (answer !== create)
        return { level: 'info', message: `The Athena table ${spec.database}.${spec.table} was not created.`, declined: true };
    }
    for (const sql of [`CREATE DATABASE IF NOT EXISTS \`${spec.database}\``, spec.ddl]) {
      const r = await runAthenaQuery(call, sql, { workGroup: settings.workGroup, outputLocation, timeoutMs: 120_000 });
      if (!r.ok)
        return {
          level: 'error',
          message: `Creating ${spec.database}.${spec.table} failed: ${r.error.message}`,
          settings: r.error.actions.includes('openSettings'),
        };
    }
    s.logger.info(`Athena table ${spec.database}.${spec.table} created for ${ref.flowLog.FlowLogId}`);
    return spec;
  }

  /** The table for a flow log, or undefined after telling why (Analyze with Athena…). */
  async function ensureTable(
    ref: FlowLogRef,
    settings: AthenaSettings,
    outputLocation: string | undefined,
    confirm: boolean,
  ): Promise<TableSpec | undefined> {
    const got = await tableFor(ref, settings, outputLocation, confirm);
    if (!('level' in got)) return got;
    if (!got.declined) void tell(got.level, got.message);
    return undefined;
  }

  /** The workgroup's output location, checked the same way for both paths: what to send, or why there is none. */
  async function outputFor(ref: FlowLogRef, settings: AthenaSettings): Promise<{ outputLocation?: string } | TableRefusal> {
    const call = athenaCall(s, readerFor(s, ref), ref.region);
    const wg = await call('athenaGetWorkGroup', { workGroup: settings.workGroup });
    if (!wg.ok) return { level: 'error', message: wg.error.message, settings: wg.error.actions.includes('openSettings') };
    const outputLocation = wg.workGroup.enforced ? undefined : (settings.outputLocation ?? undefined);
    if (!wg.workGroup.outputLocation && !outputLocation)
      return {
        level: 'error',
        message: `The workgroup "${settings.workGroup}" has no query result location: set flowLogs.athena.outputLocation to an s3:// folder.`,
        settings: true,
      };
    return { outputLocation };
  }

  /**
   * What the records panel needs to read a range through Athena (issue 25.4): the settings, the
   * workgroup's output location and the table, checked and made exactly as Analyze with Athena…
   * does (the same confirmation), or why not as a value the panel shows as a state.
   */
  async function recordsSetup(ref: FlowLogRef, raw?: unknown): Promise<AthenaRecordsSetupResult> {
    const confirm = typeof raw === 'object' && raw !== null && (raw as { confirm?: unknown }).confirm === true;
    if (!isS3(ref)) return { ok: false, message: 'Athena reads the records of S3 flow logs only', settings: false };
    const settings = settingsOf();
    if ('problem' in settings) return { ok: false, message: settings.problem, settings: true };
    const output = await outputFor(ref, settings);
    if ('level' in output) return { ok: false, message: output.message, settings: !!output.settings };
    const got = await tableFor(ref, settings, output.outputLocation, confirm);
    if ('level' in got) return { ok: false, message: got.message, settings: !!got.settings, declined: got.declined };
    return { ok: true, table: got, workGroup: settings.workGroup, outputLocation: output.outputLocation };
  }

  async function analyzeWithAthena(node?: unknown, raw?: unknown): Promise<AthenaRun | undefined> {
    const options = parseOptions(raw);
    const ref = await pickFlowLog(s, node);
    if (!ref) return undefined;
    const settings = settingsOf();
    if ('problem' in settings) {
      void tell('error', settings.problem);
      return undefined;
    }
    const output = await outputFor(ref, settings);
    if ('level' in output) {
      const open = 'Open Athena Settings';
      // The command returns now; the notification's button opens the settings whenever it is clicked.
      void tell(output.level, output.message, ...(output.settings ? [open] : [])).then((a) =>
        a === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'flowLogs.athena') : undefined,
      );
      return undefined;
    }
    const { outputLocation } = output;
    const spec = await ensureTable(ref, settings, outputLocation, options.confirm === true);
    if (!spec) return undefined;
    const available = athenaAvailability(spec).filter((a) => a.available);
    let analysis = options.analysis;
    if (!analysis) {
      const picked = await vscode.window.showQuickPick(
        available.map((a) => ({ label: analysisDefinition(a.id)!.title, detail: analysisDefinition(a.id)!.description, id: a.id })),
        { title: `Analyze ${flowLogLabel(ref.flowLog)} with Athena` },
      );
      analysis = picked?.id;
    }
    if (!analysis) return undefined;
    let startTime = options.startTime;
    let endTime = options.endTime;
    if (startTime === undefined || endTime === undefined) {
      let hours = options.hours;
      if (hours === undefined) {
        const r = await vscode.window.showQuickPick(
          RANGES.map((x) => ({ label: x.label, hours: x.hours })),
          { title: 'Time range' },
        );
        hours = r?.hours;
      }
      if (hours === undefined) return undefined;
      endTime = Date.now();
      startTime = endTime - hours * 3_600_000;
    }
    let address = options.address;
    if (analysis === 'recordsOfAddress' && address === undefined) {
      address = await vscode.window.showInputBox({
        title: 'Records of which address?',
        validateInput: (v) => (isIpAddress(v.trim()) ? undefined : 'An IPv4 or IPv6 address'),
      });
      if (address === undefined) return undefined;
    }
    let built;
    try {
      built = buildAthenaQuery(spec, { analysis, startTime, endTime, address, limit: 1000 });
    } catch (e) {
      if (e instanceof AthenaQueryError) {
        void tell('error', e.message);
        return undefined;
      }
      throw e;
    }
    const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const reader = readerFor(s, ref);
    return runAndRemember({
      title: `${analysisDefinition(analysis)!.title} · Athena`,
      subtitle: `${flowLogLabel(ref.flowLog)} · ${ref.profile.name}/${ref.region}${reader.name !== ref.profile.name ? ` · read as ${reader.name}` : ''} · ${spec.database}.${spec.table} · ${when(startTime)} – ${when(endTime)} UTC · ${built.partitions.first} … ${built.partitions.last}`,
      sql: built.sql,
      profile: reader,
      region: ref.region,
      workGroup: settings.workGroup,
      database: spec.database,
      outputLocation,
      columns: built.columns,
      chart: analysisDefinition(analysis)!.chart,
    });
  }

  /** Runs the text of an editor Open Query made (the active one, or the one a CodeLens names). */
  async function runAthenaQueryCommand(target?: unknown): Promise<AthenaRun | undefined> {
    const uri = target instanceof vscode.Uri ? target.toString() : undefined;
    const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : vscode.window.activeTextEditor?.document;
    const input = doc && contexts.get(doc.uri.toString());
    if (!doc || !input) {
      void vscode.window.showInformationMessage(
        'Run Athena Query runs an editor opened by Open Query in an Athena panel or by Open Recent Athena Query.',
      );
      return undefined;
    }
    const sql = doc.getText().trim();
    if (!sql) {
      void vscode.window.showInformationMessage('The query is empty.');
      return undefined;
    }
    if (doc.isDirty && files.owns(doc.uri)) await saveQueryFile(doc);
    return runAndRemember({ ...input, title: titleOf(sql), sql, columns: undefined, chart: undefined });
  }

  /** Open Recent Athena Query: the SQL in an editor, to run where it ran before. */
  async function openRecent(which?: unknown): Promise<vscode.TextEditor | undefined> {
    const input = await recent.pick(which);
    return input ? openQuery(input.sql, input) : undefined;
  }

  /** Opens the SQL a records panel ran through Athena, where it ran (the profile that read it, the workgroup, the table's database). */
  function openRecordsQuery(raw?: unknown) {
    const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const text = (k: string) => (typeof r[k] === 'string' && (r[k] as string).length <= 100_000 ? (r[k] as string) : undefined);
    const [sql, profileName, region, workGroup, database] = ['sql', 'profile', 'region', 'workGroup', 'database'].map(text);
    const profile = s.explorer.profiles.profiles().profiles.find((p) => p.name === profileName);
    if (!sql || !profile || !region || !workGroup || !database) return undefined;
    const outputLocation = text('outputLocation');
    return openQuery(sql, {
      title: text('title') ?? 'Records through Athena',
      subtitle: `${profile.name} · ${region} · workgroup ${workGroup} · ${database}`,
      sql,
      profile,
      region,
      workGroup,
      database,
      ...(outputLocation ? { outputLocation } : {}),
    });
  }

  const disposables = [
    panels,
    vscode.commands.registerCommand('flowLogs.analyzeWithAthena', analyzeWithAthena),
    vscode.commands.registerCommand('flowLogs.runAthenaQuery', runAthenaQueryCommand),
    // Internal (not in the palette): the records panel's Athena path asks for its table here.
    vscode.commands.registerCommand('flowLogs.athenaRecordsSetup', recordsSetup),
    // Internal: the records panel's Open query, as a .sql file with the Run Athena Query CodeLens.
    vscode.commands.registerCommand('flowLogs.openAthenaRecordsQuery', openRecordsQuery),
    vscode.commands.registerCommand('flowLogs.openRecentAthenaQuery', openRecent),
    vscode.languages.registerCodeLensProvider({ language: 'sql' }, lenses),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (contexts.delete(d.uri.toString())) lenses.refresh();
    }),
  ];
  return { api: { panels, contexts, recent: () => recent.list() }, disposables };
}
