// The records panel: one webview per flow log (Show Records again reveals it), restored after a
// window reload. It drives a RecordSource through a RecordLoader; the loaded records are a
// ResultSet (records/resultSet.ts) the panel asks for what the page shows: a window of rows, one
// row, an order, the summary, export chunks. The page is told how many records are loaded, never
// the rows of a load. The AWS calls and the parsing run in the AWS workers. Errors are states in
// the panel, each with an action; nothing loaded is lost on an error.
import * as vscode from 'vscode';
import { readerFor } from '../commands/readWithProfile';
import { intSetting } from '../settings';
import type { ExtensionServices } from '../services';
import { flowLogRef, type FlowLogRef } from '../explorer/flowLogRef';
import type { FlowLog } from '../shared/types';
import type { AwsProfile } from '../shared/profiles';
import { logEventsConsoleUrl, regionalConsoleBase, s3ConsoleUrl } from '../aws/arn';
import { restoredPanelTarget } from '../explorer/panelRestore';
import { flowLogLabel } from '../explorer/flowLogName';
import { errorOf } from '../shared/errors';
import { createNonce } from '../webview/pageShell';
import { renderRecordsShell } from '../records/renderPanel';
import { CloudWatchRecordSource } from '../records/cloudWatchSource';
import { S3RecordSource, UnreadableS3Source, s3ProgressOf } from '../records/s3/s3Source';
import { parseS3Arn, s3Location } from '../records/s3/layout';
import { RecordLoader, type LoadOutcome, type RecordQuery, type RecordSource } from '../records/source';
import { filterableFields } from '../shared/recordsFilters';
import { decodeTables } from '../shared/recordsDecode';
import { parseFromPanel, parseQuery, type FromPanel, type RecordsQueryInput, type ToPanel } from '../webviews/records/protocol';
import { resolveRange } from '../records/timeRange';
import { DEFAULT_RANGE_PRESET, RANGE_PRESETS } from '../webview/timeRanges';
import { EXPORT_CHUNK, type ExportFormat } from '../shared/recordsExport';
import { createWriteStream } from 'node:fs';
import type { RecordSort, RecordWindow, ResultSet } from '../shared/resultSet';
import { MemoryResultSet, type RecordStoreCall } from '../records/storeResultSet';
import { buildNameMap, resourcePageUrl, type PageName } from '../network/pageNames';
import {
  AthenaRecordSource,
  athenaOfferText,
  athenaPathText,
  type AthenaRecordsSetupResult,
  type AthenaRecordsCalls,
} from '../athena/recordsSource';

export const RECORDS_VIEW_TYPE = 'flowLogs.records';
/** Records loaded first (one request): a screenful and some scroll. */
export const FIRST_SCREEN = 500;
/** Records each Load more adds. */
export const LOAD_MORE = 5_000;
const COLUMNS_KEY = (format: string) => `flowLogs.records.columns.${format}`;

export interface RecordsPanelState {
  profile: string;
  region: string;
  flowLogId: string;
  query?: RecordsQueryInput;
}

export function recordsCap(): number {
  return intSetting('records.maxRecords', 100, 1_000_000, 10_000);
}

/** A MiB setting of the records panel as bytes, clamped to its range. */
function mibSetting(key: string, fallback: number, min: number, max: number): number {
  return intSetting(key, min, max, fallback) * 2 ** 20;
}

/** flowLogs.records.maxObjectMiB in bytes: decompressed from one S3 object at most. */
export function recordsMaxObjectBytes(): number {
  return mibSetting('records.maxObjectMiB', 512, 1, 16_384);
}

/** flowLogs.records.maxLoadMiB in bytes: decompressed by one load at most. */
export function recordsMaxLoadBytes(): number {
  return mibSetting('records.maxLoadMiB', 4096, 16, 65_536);
}

/** flowLogs.records.maxObjectsPerFolder: files of one S3 folder listed at most (the rest is named). */
export function maxObjectsPerFolder(): number {
  return intSetting('records.maxObjectsPerFolder', 5_000, 5_000_000, 200_000);
}

/**
 * flowLogs.records.athenaAboveObjects / athenaAboveMiB: above either (objects of the range, their
 * stored bytes), the panel offers to read an S3 range through Athena. 0: that limit never offers.
 */
export function athenaOfferLimits(): { objects: number; bytes: number } {
  return {
    objects: intSetting('records.athenaAboveObjects', 0, 10_000_000, 2_000),
    bytes: mibSetting('records.athenaAboveMiB', 1_024, 0, 10_000_000),
  };
}

/** Why a flow log's records cannot be shown here, or undefined when they can. */
export function recordsUnavailableReason(f: FlowLog): string | undefined {
  switch (f.LogDestinationType) {
    case 'cloud-watch-logs':
      return f.LogGroupName ? undefined : 'This flow log names no CloudWatch Logs log group.';
    case 'kinesis-data-firehose':
      return `This flow log sends its records to the Kinesis Data Firehose stream ${f.LogDestination ?? ''}, which delivers them to its own destination: they cannot be read back from here. Open the stream's destination instead.`;
    case 's3':
      return parseS3Arn(f.LogDestination)
        ? undefined
        : `The destination "${String(f.LogDestination ?? '').slice(0, 200)}" is not an S3 bucket ARN.`;
    default:
      return `Records cannot be read for destination type "${f.LogDestinationType ?? 'unknown'}".`;
  }
}

/** The RecordSource of a flow log (CloudWatch Logs; other destinations add theirs here). */
export function createRecordSource(s: ExtensionServices, ref: FlowLogRef, accountId?: string): RecordSource | undefined {
  const f = ref.flowLog;
  // The profile chosen for this destination (Read with Another Profile…), else the flow log's own.
  const reader = readerFor(s, ref).name;
  if (f.LogDestinationType === 'cloud-watch-logs' && f.LogGroupName) {
    const arn = f.LogDestination?.startsWith('arn:')
      ? f.LogDestination
      : accountId
        ? `arn:aws:logs:${ref.region}:${accountId}:log-group:${f.LogGroupName}`
        : undefined;
    return new CloudWatchRecordSource(
      (args, signal) => s.aws.call('filterLogEvents', reader, ref.region, args, signal),
      f.LogGroupName,
      f.LogFormat,
      arn,
      storeCalls(s, reader, ref.region),
    );
  }
  if (f.LogDestinationType === 's3') {
    // The files are under AWSLogs/{account}/: the profile's account (STS) is needed to find them.
    const loc = s3Location(f, accountId ?? '', ref.region);
    if ('problem' in loc) return new UnreadableS3Source(f.LogFormat, loc.problem);
    return new S3RecordSource(
      {
        list: (args, signal) => s.aws.call('s3List', reader, ref.region, args, signal),
        read: (args, signal) => s.aws.call('s3Read', reader, ref.region, args, signal),
        store: storeCalls(s, reader, ref.region),
      },
      loc,
      f.LogFormat,
      { order: 'newest', maxObjectBytes: recordsMaxObjectBytes(), maxObjectsPerFolder: maxObjectsPerFolder() },
    );
  }
  return undefined;
}

/**
 * Calls to the record store of the AWS worker that reads (the same profile and region as the
 * reads, so the same worker): the loaded records stay there as columns.
 */
function storeCalls(s: ExtensionServices, reader: string, region: string): RecordStoreCall {
  return (op, args, signal) => s.aws.call(op, reader, region, args, signal);
}

/**
 * The ResultSet of a load: THE one place the panel gets its result set from: the AWS worker's
 * columnar store (records/storeResultSet.ts), read window by window.
 */
export function resultSetOf(loader: RecordLoader): ResultSet {
  return loader.resultSet;
}

/** The summary bar is recomputed at most this often while a load runs (and once when it stops). */
const SUMMARY_EVERY_MS = 500;

/**
 * Told what a records panel posts and what Explain answered: installed by extension.ts only when
 * the extension runs under tests (the exported API's records log), never in production.
 */
export interface RecordsPanelWatch {
  posted(panel: RecordsPanel, m: ToPanel): void;
  explained(panel: RecordsPanel, outcome: unknown): void;
}

export class RecordsPanel {
  loader: RecordLoader | undefined;
  /** The loaded records of the current load (undefined before the first query). */
  resultSet: ResultSet | undefined;
  lastOutcome: LoadOutcome | undefined;
  query: RecordsQueryInput | undefined;
  /** The order the page asked for (kept across queries). */
  private sort: RecordSort | undefined;
  private summaryAt = 0;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private namesWanted: string[] | undefined;
  private namesBusy: Promise<void> | undefined;
  private readonly namesAbort = new AbortController();
  private abort: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  /** The source the current query reads: the flow log's own, or (S3) the Athena path. */
  private source: RecordSource;
  private readonly objectSource: RecordSource;
  /** S3: the path the user chose (undefined: objects, unless the range is over the Athena offer's limits). */
  private via: 'objects' | 'athena' | undefined;
  private athena: AthenaRecordSource | undefined;
  /** Where the Athena path's query ran (Open query opens it there, with the Run Athena Query CodeLens). */
  private athenaWhere:
    { title: string; profile: string; region: string; workGroup: string; database: string; outputLocation?: string } | undefined;
  /** Counts run() calls: a path chosen for an older query (after a listing or the table's modal) is dropped. */
  private generation = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly s: ExtensionServices,
    readonly ref: FlowLogRef,
    source: RecordSource,
    initialQuery: RecordsQueryInput | undefined,
    onDispose: () => void,
    private readonly watch?: RecordsPanelWatch,
  ) {
    this.source = source;
    this.objectSource = source;
    this.query = initialQuery;
    const reader = readerFor(s, ref).name;
    panel.title = `Records: ${flowLogLabel(ref.flowLog)}${reader !== ref.profile.name ? ` (read as ${reader})` : ''}`;
    panel.onDidDispose(() => {
      this.abort?.abort();
      this.namesAbort.abort();
      clearTimeout(this.summaryTimer);
      this.resultSet?.dispose();
      onDispose();
    });
    panel.webview.onDidReceiveMessage((raw) => void this.handle(raw));
    const media = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(s.context.extensionUri, 'media', f)).toString();
    panel.webview.html = renderRecordsShell({
      title: panel.title,
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      styleUri: media('records.css'),
      scriptUri: media('dist/recordsPage.js'),
      codiconsUri: media('codicons/codicon.css'),
    });
  }

  get key(): string {
    return panelKey(this.ref.profile.name, this.ref.region, this.ref.flowLog.FlowLogId ?? '');
  }

  /** Records loaded by the current query. */
  get loaded(): number {
    return this.resultSet?.size ?? 0;
  }

  /** Resolves when the current load has stopped (tests wait on it). */
  whenIdle(): Promise<void> {
    return this.running;
  }

  private post(m: ToPanel): void {
    this.watch?.posted(this, m);
    void this.panel.webview.postMessage(m);
  }

  /** Posts the summary bar now (the end of a load, a reset). */
  private async postSummary(): Promise<void> {
    clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
    const rs = this.resultSet;
    if (!rs) return;
    this.summaryAt = Date.now();
    const summary = await rs.summary();
    if (rs === this.resultSet) this.post({ type: 'summary', summary });
  }

  /** Posts the summary bar while a load runs: at most once every SUMMARY_EVERY_MS. */
  private summarySoon(): void {
    if (this.summaryTimer) return;
    const wait = Math.max(0, this.summaryAt + SUMMARY_EVERY_MS - Date.now());
    this.summaryTimer = setTimeout(() => void this.postSummary(), wait);
  }

  /** Every message is checked; anything unexpected is dropped (and logged). */
  async handle(raw: unknown): Promise<void> {
    const m: FromPanel | undefined = parseFromPanel(raw);
    if (!m) {
      this.s.logger.warn('Ignored an unexpected message from the records panel');
      return;
    }
    switch (m.type) {
      case 'ready':
        return this.init();
      case 'run':
        return this.run(m.query);
      case 'loadMore':
        return this.load(this.loaded + LOAD_MORE);
      case 'loadAll':
        return this.load(Infinity);
      case 'retry':
        return this.loader ? this.load(Math.max(this.loaded + FIRST_SCREEN, FIRST_SCREEN)) : this.query ? this.run(this.query) : undefined;
      case 'cancel':
        this.abort?.abort();
        return this.running;
      case 'export':
        return void (await this.exportTo(m.format));
      case 'openCsv': {
        const rs = this.resultSet ?? new MemoryResultSet(this.source.layout, () => []);
        const parts: string[] = [];
        for await (const chunk of rs.exportChunks('csv', EXPORT_CHUNK)) parts.push(chunk);
        const doc = await vscode.workspace.openTextDocument({ content: parts.join(''), language: 'csv' });
        await vscode.window.showTextDocument(doc, { preview: false });
        return;
      }
      case 'openConsole': {
        const url = this.consoleUrl();
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        this.post({ type: 'status', text: 'Copied' });
        return;
      case 'columns':
        await this.s.context.globalState.update(COLUMNS_KEY(this.source.layout.format), m.columns);
        return;
      case 'names':
        return this.nameAddresses(m.addresses);
      case 'window': {
        // Every request is answered (the page sends its next one when it has the answer); the page
        // drops an answer from before a reset or a new order by its sequence number.
        const rs = this.resultSet;
        let window: RecordWindow = { start: 0, total: 0, rows: [] };
        try {
          if (rs) window = await rs.window(m.start, m.count);
        } catch (err) {
          this.s.logger.warn(`Rows of the records of ${this.ref.flowLog.FlowLogId}: ${errorOf(err).message}`);
        }
        this.post({ type: 'window', seq: m.seq, window });
        return;
      }
      case 'row': {
        const rs = this.resultSet;
        const row = rs ? await rs.row(m.id).catch(() => undefined) : undefined;
        if (rs === this.resultSet) this.post({ type: 'row', seq: m.seq, row: row ?? null });
        return;
      }
      case 'sort': {
        this.sort = m.sort ?? undefined;
        const rs = this.resultSet;
        let total = 0;
        try {
          total = rs ? await rs.order(this.sort) : 0;
        } catch (err) {
          this.s.logger.warn(`Sorting the records of ${this.ref.flowLog.FlowLogId}: ${errorOf(err).message}`);
        }
        this.post({ type: 'sorted', sort: m.sort, total: this.resultSet === rs ? total : this.loaded });
        return;
      }
      case 'explain': {
        const out = await vscode.commands.executeCommand('flowLogs.explainRecord', {
          profile: this.ref.profile.name,
          region: this.ref.region,
          record: m.record,
        });
        this.watch?.explained(this, out);
        const o = out as { ok?: boolean; summary?: string; message?: string } | undefined;
        this.post({ type: 'status', text: o?.ok ? `Explained: ${o.summary ?? ''}` : `Explain: ${o?.message ?? 'no answer'}` });
        return;
      }
      case 'readVia':
        return this.readVia(m.path);
      case 'openAthenaQuery': {
        const sql = this.athena?.sql;
        if (!sql || !this.athenaWhere) return;
        await vscode.commands.executeCommand('flowLogs.openAthenaRecordsQuery', { ...this.athenaWhere, sql });
        return;
      }
      case 'openResource': {
        const url = resourcePageUrl(this.ref.region, m.id);
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      case 'action':
        if (m.action === 'showDetails' || m.action === 'showDelivery')
          await vscode.commands.executeCommand('flowLogs.showDetails', this.ref);
        else if (m.action === 'signIn') await vscode.commands.executeCommand('flowLogs.signIn', this.ref);
        else if (m.action === 'athenaSettings') await vscode.commands.executeCommand('workbench.action.openSettings', 'flowLogs.athena');
        else await vscode.commands.executeCommand('flowLogs.openConfigFile');
        return;
    }
  }

  /**
   * Names the addresses in view with the flow log's own profile and region (the account whose
   * interfaces the records name), one request at a time: a newer request waiting replaces an
   * older one still waiting. The page is told a small name map, and a status when a lookup fails.
   */
  nameAddresses(addresses: string[]): Promise<void> {
    this.namesWanted = addresses;
    if (this.namesBusy) return this.namesBusy;
    this.namesBusy = (async () => {
      try {
        while (this.namesWanted && !this.namesAbort.signal.aborted) {
          const asked = this.namesWanted;
          this.namesWanted = undefined;
          let error: string | undefined;
          let map: Record<string, PageName> = {};
          let unnamed = 0;
          try {
            const r = await this.s.names.resolveAddresses(this.ref.profile.name, this.ref.region, asked, {
              signal: this.namesAbort.signal,
            });
            map = buildNameMap(this.ref.region, asked, r);
            unnamed = r.unnamed;
            if (r.errors.length) error = r.errors[0].message;
          } catch (err) {
            error = errorOf(err).message;
          }
          if (this.namesAbort.signal.aborted) return;
          if (error) this.s.logger.warn(`Names for the records of ${this.ref.flowLog.FlowLogId}: ${error}`);
          this.post({ type: 'names', names: map, done: asked, unnamed, error });
        }
      } finally {
        this.namesBusy = undefined;
      }
    })();
    return this.namesBusy;
  }

  consoleUrl(): string | undefined {
    const base = regionalConsoleBase(this.ref.region);
    const group = this.ref.flowLog.LogGroupName;
    if (this.ref.flowLog.LogDestinationType === 's3') return s3ConsoleUrl(this.ref.flowLog.LogDestination); // the bucket's folder
    if (!base || !group) return undefined;
    const range = this.query ? resolveRange(this.query.range) : undefined;
    const r =
      range && typeof range !== 'string'
        ? range
        : { startMs: Date.now() - RANGE_PRESETS[DEFAULT_RANGE_PRESET] * 60_000, endMs: Date.now() };
    return logEventsConsoleUrl(this.ref.region, group, r.startMs, r.endMs);
  }

  private init(): void {
    const f = this.ref.flowLog;
    const layout = this.source.layout;
    this.post({
      type: 'init',
      flowLog: {
        id: f.FlowLogId ?? '',
        label: flowLogLabel(f),
        logGroup: f.LogGroupName ?? f.LogDestination ?? '',
        profile: this.ref.profile.name,
        region: this.ref.region,
        deliveryStatus: f.DeliverLogsStatus ?? '',
        deliveryError: f.DeliverLogsErrorMessage ?? '',
        interval: f.MaxAggregationInterval ?? 600,
      },
      source: this.source.kind,
      fields: layout.fields.map((x) => ({ name: x.name, kind: x.kind, known: x.known, description: x.description ?? '' })),
      filterable: filterableFields(layout),
      tables: decodeTables(),
      cap: recordsCap(),
      columns: this.s.context.globalState.get<string[]>(COLUMNS_KEY(layout.format)) ?? null,
      query: this.query ?? null,
    });
    void this.run(this.query ?? { range: { preset: DEFAULT_RANGE_PRESET }, filters: [] });
  }

  /**
   * Reads the current range through Athena or from the objects (an S3 flow log), and keeps that
   * choice for the next queries of this panel. `confirm` creates a missing table without the modal
   * (tests; the user's path asks).
   */
  async readVia(path: 'athena' | 'objects', opts: { confirm?: boolean } = {}): Promise<void> {
    if (!(this.objectSource instanceof S3RecordSource)) return;
    this.via = path;
    return this.run(this.query ?? { range: { preset: DEFAULT_RANGE_PRESET }, filters: [] }, opts.confirm === true);
  }

  /** Which path reads an S3 range: the user's choice, else the objects unless the range is over the offer's limits. */
  private async choosePath(query: RecordQuery, confirm: boolean, generation: number): Promise<boolean> {
    const s3 = this.objectSource;
    if (!(s3 instanceof S3RecordSource)) return true;
    this.source = s3;
    if (this.via === undefined) {
      const limits = athenaOfferLimits();
      if (limits.objects > 0 || limits.bytes > 0) {
        const abort = new AbortController();
        this.abort = abort;
        this.post({ type: 'state', status: 'loading', why: 'Listing the range…' });
        const got = await s3.survey(query, limits, abort.signal);
        if (abort.signal.aborted) {
          // Cancel while listing; a newer query that replaced this one posts its own states.
          if (this.abort === abort) {
            this.loader = undefined;
            this.post({ type: 'state', status: 'cancelled' });
          }
          return false;
        }
        // A listing error is shown by the object path's load, which lists again.
        if (got.ok && got.survey.over) {
          this.loader = undefined;
          this.post({
            type: 'reset',
            plan: s3.plan(query),
            range: { startMs: query.startMs, endMs: query.endMs },
            query: this.query ?? null,
          });
          const text = athenaOfferText(got.survey, limits);
          this.post({ type: 'readPath', path: 'objects', text, offer: true });
          this.post({ type: 'state', status: 'choose', why: 'The range is large: choose how to read it.' });
          return false;
        }
      }
    }
    if (this.via !== 'athena') {
      this.post({ type: 'readPath', path: 'objects', text: 'Read from the S3 objects of the range.' });
      return true;
    }
    const reader = readerFor(this.s, this.ref).name;
    this.post({ type: 'readPath', path: 'athena', text: 'Reading through Athena: checking the workgroup and the table…' });
    this.post({ type: 'state', status: 'loading' });
    const setup = await vscode.commands.executeCommand<AthenaRecordsSetupResult | undefined>('flowLogs.athenaRecordsSetup', this.ref, {
      confirm,
    });
    if (generation !== this.generation) return false; // a newer query replaced this one while the table was checked
    if (!setup?.ok) {
      const message = setup?.message ?? 'Athena is not available';
      this.loader = undefined;
      this.post({ type: 'reset', plan: s3.plan(query), range: { startMs: query.startMs, endMs: query.endMs }, query: this.query ?? null });
      this.post({ type: 'readPath', path: 'athena', text: `Athena: ${message}` });
      this.post({
        type: 'state',
        status: 'error',
        error: { kind: 'config', message, actions: [...(setup?.settings ? (['athenaSettings'] as const) : []), 'retry'] },
      });
      return false;
    }
    const call = ((op: string, args: unknown, signal?: AbortSignal) =>
      this.s.aws.call(op as 'athenaGetQueryExecution', reader, this.ref.region, args as never, signal)) as AthenaRecordsCalls['athena'];
    this.athena?.resultSet.dispose();
    const athena: AthenaRecordSource = new AthenaRecordSource(
      {
        athena: call,
        read: (args, signal) => this.s.aws.call('athenaRecordsRead', reader, this.ref.region, args, signal),
        store: storeCalls(this.s, reader, this.ref.region),
      },
      { table: setup.table, workGroup: setup.workGroup, outputLocation: setup.outputLocation, limit: recordsCap() },
      this.ref.flowLog.LogFormat,
      (p) => {
        if (this.athena === athena)
          this.post({ type: 'readPath', path: 'athena', text: athenaPathText(p, this.loaded), queryId: p.queryExecutionId });
      },
    );
    this.athena = athena;
    this.athenaWhere = {
      title: `Records of ${flowLogLabel(this.ref.flowLog)} through Athena`,
      profile: reader,
      region: this.ref.region,
      workGroup: setup.workGroup,
      database: setup.table.database,
      ...(setup.outputLocation ? { outputLocation: setup.outputLocation } : {}),
    };
    this.source = athena;
    return true;
  }

  async run(input: RecordsQueryInput, confirm = false): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.query = input;
    const range = resolveRange(input.range);
    this.resultSet?.dispose();
    this.resultSet = undefined;
    if (typeof range === 'string') {
      this.post({ type: 'state', status: 'error', error: { kind: 'invalidPattern', message: range, actions: ['editFilters'] } });
      return;
    }
    const query: RecordQuery = { ...range, filters: input.filters, rawPattern: input.rawPattern };
    if (!(await this.choosePath(query, confirm, ++this.generation))) return;
    const plan = this.source.plan(query);
    this.source.resetResultSet?.(); // a new store for a new query (the old one was dropped above)
    this.loader = new RecordLoader(this.source, query);
    this.resultSet = resultSetOf(this.loader);
    if (this.sort) await this.resultSet.order(this.sort);
    this.post({ type: 'reset', plan, range, query: input });
    if (plan.errors.length) {
      this.lastOutcome = { status: 'error', error: { kind: 'invalidPattern', message: plan.errors.join('; '), actions: ['editFilters'] } };
      this.post({ type: 'state', ...this.lastOutcome, progress: this.loader.progress });
      return;
    }
    return this.load(FIRST_SCREEN);
  }

  private load(target: number): Promise<void> {
    const loader = this.loader;
    if (!loader || loader.busy) return this.running;
    const abort = new AbortController();
    this.abort = abort;
    const cap = recordsCap();
    this.post({ type: 'state', status: 'loading', progress: loader.progress, cap });
    this.running = (async () => {
      const outcome = await loader.load(target, cap, {
        signal: abort.signal,
        maxInflatedBytes: recordsMaxLoadBytes(),
        // The page is told the new total (it asks for the rows it shows), the summary now and then.
        onProgress: (p) => {
          this.post({ type: 'total', total: this.loaded, progress: { ...p, s3: s3ProgressOf(this.source) } });
          this.summarySoon();
        },
        // A rejected page token: the loader starts the range over, the page drops the rows it shows.
        onRestart: () => {
          // The range starts over in a new store: the panel reads that one, in the order shown.
          this.resultSet = resultSetOf(loader);
          if (this.sort) void this.resultSet.order(this.sort);
          this.post({
            type: 'reset',
            plan: this.source.plan(loader.query),
            range: { startMs: loader.query.startMs, endMs: loader.query.endMs },
            query: this.query ?? null,
          });
        },
      });
      if (loader !== this.loader) return; // a newer query replaced this one
      await this.postSummary();
      this.lastOutcome = outcome;
      if (outcome.status === 'error') this.s.logger.warn(`Records of ${this.ref.flowLog.FlowLogId}: ${outcome.error.message}`);
      const recentEmpty = outcome.status === 'done' && this.loaded === 0 && loader.query.endMs > Date.now() - 20 * 60_000;
      const s3 = s3ProgressOf(this.source);
      if (s3?.skipped.length)
        this.s.logger.warn(`Records of ${this.ref.flowLog.FlowLogId}: skipped ${s3.skipped.map((x) => `${x.key} (${x.why})`).join('; ')}`);
      this.post({
        type: 'state',
        ...outcome,
        progress: { ...loader.progress, s3 },
        cap,
        hint: recentEmpty
          ? this.source.kind === 's3'
            ? 'Flow log files reach S3 every 5 minutes, several minutes after each aggregation interval ends, so a recent range may still be empty.'
            : 'Records arrive in CloudWatch Logs about 5 to 10 minutes after each aggregation interval ends, so a recent range may still be empty.'
          : undefined,
      });
    })();
    return this.running;
  }

  async exportTo(format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const id = this.ref.flowLog.FlowLogId ?? 'records';
    const rs = this.resultSet ?? new MemoryResultSet(this.source.layout, () => []);
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: `Export ${rs.size} records`,
        defaultUri: vscode.Uri.file(`${id}-records.${format}`),
        filters: { [format.toUpperCase()]: [format] },
      }));
    if (!uri) return undefined;
    const total = rs.size;
    // The result set's export chunks (EXPORT_CHUNK records each, in the shown order), written to the
    // file as they come with progress and Cancel: the file is never one big string, and the
    // extension host is never held for long.
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting ${total.toLocaleString('en')} records`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        const chunks = rs.exportChunks(format, EXPORT_CHUNK, abort.signal)[Symbol.asyncIterator]();
        const step = async (): Promise<{ text: string; end: boolean }> => {
          if (token.isCancellationRequested) return { text: '', end: true };
          try {
            const n = await chunks.next();
            return n.done ? { text: '', end: true } : { text: n.value, end: false };
          } catch (err) {
            if (token.isCancellationRequested) return { text: '', end: true };
            throw err;
          }
        };
        let done = 0;
        try {
          if (uri.scheme === 'file') {
            const out = createWriteStream(uri.fsPath, { encoding: 'utf8' });
            const failed = new Promise<never>((_, reject) => out.on('error', reject));
            try {
              for (let c = await step(); !c.end; c = await step()) {
                if (!out.write(c.text)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
                done = Math.min(total, done + EXPORT_CHUNK);
                progress.report({
                  message: `${done.toLocaleString('en')} of ${total.toLocaleString('en')}`,
                  increment: (EXPORT_CHUNK / Math.max(1, total)) * 100,
                });
                await new Promise<void>((r) => setImmediate(r));
              }
            } finally {
              await new Promise<void>((r) => out.end(r));
            }
            if (token.isCancellationRequested) {
              await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
              return 'cancelled';
            }
            return 'saved';
          }
          // Another file system (remote, virtual): its API takes the whole file.
          const parts: string[] = [];
          for (let c = await step(); !c.end; c = await step()) {
            parts.push(c.text);
            await new Promise<void>((r) => setImmediate(r));
          }
          if (token.isCancellationRequested) return 'cancelled';
          await vscode.workspace.fs.writeFile(uri, Buffer.from(parts.join(''), 'utf8'));
          return 'saved';
        } finally {
          cancelled.dispose();
        }
      },
    );
    this.post({ type: 'status', text: outcome === 'saved' ? `Saved ${total} records` : 'Export cancelled; no file was written' });
    return outcome === 'saved' ? uri : undefined;
  }
}

export function panelKey(profile: string, region: string, flowLogId: string): string {
  return `${profile}\u0000${region}\u0000${flowLogId}`;
}

/** Told when a records panel opens or closes (the extension's exported API keeps the open ones). */
export type RecordsPanelObserver = (panel: RecordsPanel, open: boolean) => void;

export class RecordsPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<RecordsPanelState> {
  private readonly panels = new Map<string, RecordsPanel>();

  constructor(
    private readonly s: ExtensionServices,
    private readonly observer?: RecordsPanelObserver,
    /** Under tests only (extension.ts): what each panel posts and what Explain answered. */
    private readonly watch?: RecordsPanelWatch,
  ) {}

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // The page keeps its controls, scroll position and window of rows across tab switches.
      retainContextWhenHidden: true,
      enableFindWidget: false,
      localResourceRoots: [vscode.Uri.joinPath(this.s.context.extensionUri, 'media')],
    };
  }

  /**
   * Opens (or reveals) the records of a flow log; says plainly why when they cannot be read.
   * With a query (an analysis row's "Show these records"), the panel runs it, open or not.
   */
  /** Closes the records panel of a flow log, if open (its reader profile changed). */
  closeFlowLog(ref: FlowLogRef): void {
    this.panels.get(panelKey(ref.profile.name, ref.region, ref.flowLog.FlowLogId ?? ''))?.panel.dispose();
  }

  async open(ref: FlowLogRef, query?: RecordsQueryInput): Promise<RecordsPanel | undefined> {
    const existing = this.panels.get(panelKey(ref.profile.name, ref.region, ref.flowLog.FlowLogId ?? ''));
    if (existing) {
      existing.panel.reveal();
      if (query) void existing.run(query);
      return existing;
    }
    const why = recordsUnavailableReason(ref.flowLog);
    if (why) {
      void vscode.window.showInformationMessage(why);
      return undefined;
    }
    const panel = vscode.window.createWebviewPanel(
      RECORDS_VIEW_TYPE,
      `Records: ${flowLogLabel(ref.flowLog)}`,
      vscode.ViewColumn.Active,
      this.options(),
    );
    return this.adopt(panel, ref, query);
  }

  /** The records of a flow log named by profile, region and ID (from the tree if loaded there, else described). */
  async openFlowLog(profile: AwsProfile, region: string, flowLogId: string, query?: RecordsQueryInput): Promise<RecordsPanel | undefined> {
    const loaded = this.s.explorer
      .loadedFlowLogs()
      .find((r) => r.profile.name === profile.name && r.region === region && r.flowLog.FlowLogId === flowLogId);
    if (loaded) return this.open(loaded, query);
    try {
      const flowLog = await this.s.service.describeOne(profile, region, flowLogId);
      if (!flowLog) {
        void vscode.window.showWarningMessage(`Flow log ${flowLogId} was not found in ${profile.name} · ${region}.`);
        return undefined;
      }
      return this.open(flowLogRef(profile, region, flowLog), query);
    } catch (err) {
      void vscode.window.showWarningMessage(`Could not load ${flowLogId}: ${errorOf(err).message}`);
      return undefined;
    }
  }

  private async adopt(
    panel: vscode.WebviewPanel,
    ref: FlowLogRef,
    query: RecordsQueryInput | undefined,
  ): Promise<RecordsPanel | undefined> {
    let accountId: string | undefined;
    try {
      accountId = await this.s.service.accountId(ref.profile);
    } catch {
      accountId = undefined; // only used to name the log group's ARN in messages
    }
    const source = createRecordSource(this.s, ref, accountId);
    if (!source) {
      panel.dispose();
      return undefined;
    }
    const p: RecordsPanel = new RecordsPanel(
      panel,
      this.s,
      ref,
      source,
      query,
      () => {
        this.panels.delete(p.key);
        this.observer?.(p, false);
      },
      this.watch,
    );
    this.panels.set(p.key, p);
    this.observer?.(p, true);
    return p;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: RecordsPanelState | undefined): Promise<void> {
    panel.webview.options = this.options();
    // One restore rule for every panel (explorer/panelRestore.ts): only a profile the view shows.
    const target = restoredPanelTarget(state, this.s.explorer.profiles.shown());
    const profile = target?.profile;
    const say = (text: string) => {
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body><p>${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body></html>`;
    };
    if (!state || !profile) return say("Open a flow log's records from the Flow Logs view.");
    try {
      const flowLog = await this.s.service.describeOne(profile, state.region, state.flowLogId);
      if (!flowLog) return say(`Flow log ${state.flowLogId} was not found in ${state.profile} · ${state.region}.`);
      const why = recordsUnavailableReason(flowLog);
      if (why) return say(why);
      const query = parseQuery(state.query);
      await this.adopt(panel, flowLogRef(profile, state.region, flowLog), query);
    } catch (err) {
      say(`Could not load ${state.flowLogId}: ${errorOf(err).message}`);
    }
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
  }
}
