// A flow log → the detail webview's HTML (the page's script is src/webviews/detail/, the shell
// and its Content-Security-Policy webview/pageShell.ts).
// Pure: never imports vscode. Every value from AWS goes through escape.ts; nothing here
// builds a link to the network: console links are opened by the extension on request.

import type { FlowLog, FlowLogContext, Tag } from '../shared/types';
import { consoleUrlFor, flowLogArn, type ConsoleTarget } from '../aws/arn';
import { regionName } from '../shared/regions';
import { truncate } from '../shared/text';
import { bdi, escapeAttr, escapeHtml } from './escape';
import { parseLogFormat } from '../shared/logFormat';
import type { CopyField } from '../webviews/detail/protocol';
import { pageShell } from './pageShell';

export interface DetailRenderInput {
  flowLog: FlowLog;
  context: FlowLogContext;
  /** The flow log's ARN; built from context when absent (needs context.accountId). */
  arn?: string;
  cspSource: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
  /** The codicons stylesheet; buttons keep text labels when it is absent. */
  codiconsUri?: string;
  now?: Date;
  locale?: string;
  timeZone?: string;
}

/** Human labels of every FlowLog member (the test checks this against the API model). */
export const FIELD_LABELS: Readonly<Record<keyof FlowLog, string>> = {
  CreationTime: 'Creation time',
  DeliverLogsErrorMessage: 'Delivery error',
  DeliverLogsPermissionArn: 'Delivery role ARN',
  DeliverCrossAccountRole: 'Cross-account delivery role ARN',
  DeliverLogsStatus: 'Delivery status',
  FlowLogId: 'Flow log ID',
  FlowLogStatus: 'Flow log status',
  LogGroupName: 'Log group name',
  ResourceId: 'Resource ID',
  TrafficType: 'Traffic type',
  LogDestinationType: 'Destination type',
  LogDestination: 'Destination ARN',
  LogFormat: 'Record format',
  Tags: 'Tags',
  MaxAggregationInterval: 'Maximum aggregation interval',
  DestinationOptions: 'Destination options',
};

export const DESTINATION_OPTION_LABELS = {
  FileFormat: 'File format',
  HiveCompatiblePartitions: 'Hive-compatible S3 prefixes',
  PerHourPartition: 'Partition per hour',
} as const;

/** What DeliverLogsErrorMessage values mean, from the API model's documentation. */
export const DELIVERY_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  'rate limited':
    "CloudWatch Logs throttling has been applied for one or more network interfaces, or you've reached the limit on the number of log groups that you can create.",
  'access error': 'The IAM role associated with the flow log does not have sufficient permissions to publish to CloudWatch Logs.',
  'unknown error': 'An internal error occurred.',
};

const TRAFFIC_TYPE_MEANINGS: Readonly<Record<string, string>> = {
  ACCEPT: 'accepted traffic only',
  REJECT: 'rejected traffic only',
  ALL: 'accepted and rejected traffic',
};

const DESTINATION_TYPE_NAMES: Readonly<Record<string, string>> = {
  'cloud-watch-logs': 'CloudWatch Logs',
  s3: 'Amazon S3',
  'kinesis-data-firehose': 'Amazon Data Firehose',
};

const DASH = '—';
const MAX_TAGS = 1000;

// ---------------------------------------------------------------------------------------------
// Small formatters (exported for tests and for the extension's own messages)

// The API documents the errors for CloudWatch Logs; S3 and Firehose destinations fail the same
// ways at their own service, so the explanation names the destination the flow log has.
const DELIVERY_ERROR_MEANINGS_BY_DESTINATION: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  s3: {
    'rate limited': 'Amazon S3 throttled the delivery of log files to the bucket (too many requests to its prefix).',
    'access error':
      'The flow logs service may not write to the bucket: its bucket policy must allow delivery.logs.amazonaws.com to put objects (and a KMS key, if the bucket uses one, must allow it too).',
  },
  'kinesis-data-firehose': {
    'rate limited': 'Amazon Data Firehose throttled the delivery: the delivery stream reached its throughput quota.',
    'access error':
      'The IAM role associated with the flow log does not have sufficient permissions to publish to the Firehose delivery stream.',
  },
};

/** What a DeliverLogsErrorMessage means, for the flow log's destination type (CloudWatch Logs when not given). */
export function deliveryErrorMeaning(message: unknown, destinationType?: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const key = message.trim().toLowerCase();
  const byType = typeof destinationType === 'string' ? DELIVERY_ERROR_MEANINGS_BY_DESTINATION[destinationType] : undefined;
  return byType?.[key] ?? DELIVERY_ERROR_MEANINGS[key];
}

/** 60 → "60 seconds (1 minute)", 600 → "600 seconds (10 minutes)". */
export function formatAggregationInterval(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  const s = Math.round(seconds);
  const secondsText = `${s} ${s === 1 ? 'second' : 'seconds'}`;
  if (s === 0 || s % 60 !== 0) return secondsText;
  const minutes = s / 60;
  return `${secondsText} (${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  // A panel restored from saved state carries dates as strings.
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

function dateTimeFormat(locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long', timeZone };
  // An unknown locale or time zone throws RangeError: fall back rather than fail the panel.
  for (const [l, tz] of [
    [locale, timeZone],
    [undefined, timeZone],
    [locale, undefined],
    [undefined, undefined],
  ] as const) {
    try {
      return new Intl.DateTimeFormat(l, { ...options, timeZone: tz });
    } catch {
      /* try the next combination */
    }
  }
  return new Intl.DateTimeFormat();
}

/** "3 days ago", or undefined. */
export function formatRelative(date: Date, now: Date, locale?: string): string | undefined {
  const diffSeconds = (date.getTime() - now.getTime()) / 1000;
  if (!Number.isFinite(diffSeconds)) return undefined;
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  let rtf: Intl.RelativeTimeFormat;
  try {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  } catch {
    rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  }
  for (const [unit, size] of units) {
    if (Math.abs(diffSeconds) >= size) return rtf.format(Math.trunc(diffSeconds / size), unit);
  }
  return rtf.format(Math.trunc(diffSeconds), 'second');
}

/** Tags in display order: by key, then value; entries without a key or not objects are dropped. */
export function sortedTags(tags: unknown): Array<{ key: string; value: string }> {
  if (!Array.isArray(tags)) return [];
  const out: Array<{ key: string; value: string }> = [];
  for (const t of tags.slice(0, MAX_TAGS)) {
    if (typeof t !== 'object' || t === null) continue;
    const { Key, Value } = t as Tag;
    if (typeof Key !== 'string') continue;
    out.push({ key: Key, value: typeof Value === 'string' ? Value : '' });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.key, b.key) || cmp(a.value, b.value));
}

/**
 * The Name tag as the panel's Tags table lists it: of untrusted tags, the first Name after
 * sorting, an empty value counting as none (a value of spaces is shown). The panel's heading and
 * Name row. Not the tree's `nameTag` (tree/nodeLabels.ts), which names a label and so also
 * skips a value of spaces.
 */
function listedNameTag(tags: unknown): string | undefined {
  return sortedTags(tags).find((t) => t.key === 'Name')?.value || undefined;
}

// ---------------------------------------------------------------------------------------------
// HTML pieces

interface Row {
  field: string;
  label: string;
  /** Already-escaped HTML, or undefined for an absent value. */
  html?: string;
  title?: string;
}

function textValue(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return bdi(value);
  if (typeof value === 'number' || typeof value === 'boolean') return escapeHtml(String(value));
  return undefined;
}

function codeValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? `<code>${bdi(value)}</code>` : undefined;
}

function boolValue(value: unknown): string | undefined {
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : undefined;
}

function withNote(main: string | undefined, note: string | undefined): string | undefined {
  if (main === undefined) return undefined;
  return note ? `${main} <span class="note">(${escapeHtml(note)})</span>` : main;
}

function renderRows(rows: Row[]): string {
  const items = rows
    .map((r) => {
      const value = r.html ?? `<span class="absent" aria-label="not set">${DASH}</span>`;
      const title = r.title ? ` title="${escapeAttr(r.title)}"` : '';
      return `<div class="row" data-field="${escapeAttr(r.field)}"><dt>${escapeHtml(r.label)}</dt><dd${title}>${value}</dd></div>`;
    })
    .join('\n');
  return `<dl class="fields">\n${items}\n</dl>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${escapeAttr(id)}" aria-labelledby="${escapeAttr(id)}-title">
<h2 id="${escapeAttr(id)}-title">${escapeHtml(title)}</h2>
${body}
</section>`;
}

interface ButtonOptions {
  data?: Record<string, string>;
  extraClass?: string;
  /** Words for screen readers only, after the visible label (e.g. which tag a Copy button copies). */
  hiddenSuffix?: string;
}

function button(action: string, label: string, icon: string, options: ButtonOptions = {}): string {
  const attrs = Object.entries(options.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`)
    .join('');
  const cls = options.extraClass ? ` ${options.extraClass}` : '';
  const hidden = options.hiddenSuffix ? `<span class="visually-hidden"> ${escapeHtml(options.hiddenSuffix)}</span>` : '';
  return `<button type="button" class="action${cls}" data-action="${escapeAttr(action)}"${attrs}><span class="codicon codicon-${escapeAttr(icon)}" aria-hidden="true"></span><span class="label">${escapeHtml(label)}</span>${hidden}</button>`;
}

function copyButton(field: CopyField, label: string): string {
  return button('copy', label, 'copy', { data: { field } });
}

function consoleButton(target: ConsoleTarget, label: string): string {
  return button('openConsole', label, 'link-external', { data: { target } });
}

function renderActions(flowLog: FlowLog, region: string, arn: string | undefined): string {
  const has = (v: unknown) => typeof v === 'string' && v !== '';
  const buttons: string[] = [];
  if (arn) buttons.push(copyButton('arn', 'Copy flow log ARN'));
  if (has(flowLog.FlowLogId)) buttons.push(copyButton('id', 'Copy ID'));
  if (has(flowLog.LogDestination)) buttons.push(copyButton('destination', 'Copy destination ARN'));
  if (has(flowLog.DeliverLogsPermissionArn)) buttons.push(copyButton('role', 'Copy role ARN'));
  if (has(flowLog.DeliverCrossAccountRole)) buttons.push(copyButton('crossAccountRole', 'Copy cross-account role ARN'));
  // The console has no page for one flow log: its resource's page lists them (a "Flow logs" tab),
  // so one button, named for what it opens.
  if (consoleUrlFor('resource', flowLog, region))
    buttons.push(consoleButton('resource', 'Open resource (and its flow logs) in AWS Console'));
  if (consoleUrlFor('destination', flowLog, region)) {
    const what =
      flowLog.LogDestinationType === 's3' ? 'bucket' : flowLog.LogDestinationType === 'kinesis-data-firehose' ? 'stream' : 'log group';
    buttons.push(consoleButton('destination', `Open ${what} in AWS Console`));
  }
  if (has(flowLog.ResourceId)) buttons.push(button('filterByResource', 'Filter by this resource', 'filter'));
  if (flowLog.LogDestinationType === 'cloud-watch-logs' || flowLog.LogDestinationType === 's3')
    buttons.push(button('showRecords', 'Show records', 'list-flat'));
  buttons.push(button('refresh', 'Refresh', 'refresh'));
  return `<div class="actions" role="toolbar" aria-label="Flow log actions">\n${buttons.join('\n')}\n</div>`;
}

function renderOverview(flowLog: FlowLog, arn: string | undefined, created: Row): string {
  const traffic = typeof flowLog.TrafficType === 'string' ? TRAFFIC_TYPE_MEANINGS[flowLog.TrafficType] : undefined;
  return renderRows([
    { field: 'Name', label: 'Name', html: textValue(listedNameTag(flowLog.Tags)) },
    { field: 'FlowLogId', label: FIELD_LABELS.FlowLogId, html: codeValue(flowLog.FlowLogId) },
    { field: 'FlowLogStatus', label: FIELD_LABELS.FlowLogStatus, html: textValue(flowLog.FlowLogStatus) },
    { field: 'ResourceId', label: FIELD_LABELS.ResourceId, html: codeValue(flowLog.ResourceId) },
    { field: 'TrafficType', label: FIELD_LABELS.TrafficType, html: withNote(textValue(flowLog.TrafficType), traffic) },
    created,
    { field: 'Arn', label: 'ARN', html: codeValue(arn) },
  ]);
}

/** "Parquet files, Hive-compatible prefixes, partitioned per hour". */
export function destinationOptionsSummary(options: {
  FileFormat?: unknown;
  HiveCompatiblePartitions?: unknown;
  PerHourPartition?: unknown;
}): string {
  const format = typeof options.FileFormat === 'string' && options.FileFormat ? options.FileFormat : 'plain-text';
  return [
    `${format === 'parquet' ? 'Parquet' : format} files`,
    options.HiveCompatiblePartitions === true ? 'Hive-compatible prefixes' : 'plain prefixes',
    options.PerHourPartition === true ? 'partitioned per hour' : 'partitioned per day',
  ].join(', ');
}

function renderDestination(flowLog: FlowLog): string {
  const type = flowLog.LogDestinationType;
  const typeName = typeof type === 'string' ? DESTINATION_TYPE_NAMES[type] : undefined;
  const options =
    typeof flowLog.DestinationOptions === 'object' && flowLog.DestinationOptions !== null ? flowLog.DestinationOptions : undefined;
  return renderRows([
    { field: 'LogDestinationType', label: FIELD_LABELS.LogDestinationType, html: withNote(textValue(type), typeName) },
    { field: 'LogDestination', label: FIELD_LABELS.LogDestination, html: codeValue(flowLog.LogDestination) },
    { field: 'LogGroupName', label: FIELD_LABELS.LogGroupName, html: codeValue(flowLog.LogGroupName) },
    {
      field: 'DestinationOptions',
      label: FIELD_LABELS.DestinationOptions,
      // What the options amount to, in words; each is its own row below.
      html: options ? escapeHtml(destinationOptionsSummary(options)) : undefined,
    },
    { field: 'DestinationOptions.FileFormat', label: DESTINATION_OPTION_LABELS.FileFormat, html: textValue(options?.FileFormat) },
    {
      field: 'DestinationOptions.HiveCompatiblePartitions',
      label: DESTINATION_OPTION_LABELS.HiveCompatiblePartitions,
      html: boolValue(options?.HiveCompatiblePartitions),
    },
    {
      field: 'DestinationOptions.PerHourPartition',
      label: DESTINATION_OPTION_LABELS.PerHourPartition,
      html: boolValue(options?.PerHourPartition),
    },
  ]);
}

function renderDelivery(flowLog: FlowLog): string {
  const status = flowLog.DeliverLogsStatus;
  const failed = typeof status === 'string' && status.toUpperCase() === 'FAILED';
  const error =
    typeof flowLog.DeliverLogsErrorMessage === 'string' && flowLog.DeliverLogsErrorMessage !== ''
      ? flowLog.DeliverLogsErrorMessage
      : undefined;
  const meaning = deliveryErrorMeaning(error, flowLog.LogDestinationType);
  const errorHtml =
    error === undefined
      ? undefined
      : `<div class="callout error" role="note"><strong>${bdi(error)}</strong>${meaning ? `<p class="meaning">${escapeHtml(meaning)}</p>` : ''}</div>`;
  return renderRows([
    {
      field: 'DeliverLogsStatus',
      label: FIELD_LABELS.DeliverLogsStatus,
      html:
        status === undefined || status === ''
          ? undefined
          : failed
            ? `<span class="status-failed">${bdi(status)}</span>`
            : textValue(status),
    },
    { field: 'DeliverLogsErrorMessage', label: FIELD_LABELS.DeliverLogsErrorMessage, html: errorHtml },
    { field: 'DeliverLogsPermissionArn', label: FIELD_LABELS.DeliverLogsPermissionArn, html: codeValue(flowLog.DeliverLogsPermissionArn) },
    { field: 'DeliverCrossAccountRole', label: FIELD_LABELS.DeliverCrossAccountRole, html: codeValue(flowLog.DeliverCrossAccountRole) },
    {
      field: 'MaxAggregationInterval',
      label: FIELD_LABELS.MaxAggregationInterval,
      html: textValue(formatAggregationInterval(flowLog.MaxAggregationInterval)),
    },
  ]);
}

function renderRecordFormat(logFormat: unknown): string {
  // The section is headed "Record format": the row is the LogFormat string itself.
  const row = (html: string | undefined) => renderRows([{ field: 'LogFormat', label: 'Format string', html }]);
  if (typeof logFormat !== 'string' || logFormat.trim() === '') return row(undefined);
  const parsed = parseLogFormat(logFormat);
  const badges: string[] = [];
  badges.push(parsed.isDefault ? '<span class="badge">AWS default format</span>' : '<span class="badge">Custom format</span>');
  if (parsed.version !== undefined) badges.push(`<span class="badge">Record version ${escapeHtml(parsed.version)}</span>`);
  if (parsed.unknownCount > 0) badges.push(`<span class="badge warn">${escapeHtml(parsed.unknownCount)} unknown</span>`);
  if (parsed.invalidCount > 0) badges.push(`<span class="badge warn">${escapeHtml(parsed.invalidCount)} not a field</span>`);
  if (parsed.truncated) badges.push('<span class="badge warn">Too long: shown in part</span>');
  const rows = parsed.entries
    .map((e, i) => {
      const meaning =
        e.kind === 'field' ? escapeHtml(e.description) : e.kind === 'unknown' ? '<em>Unknown field</em>' : '<em>Not a ${field} token</em>';
      const version = e.kind === 'field' ? escapeHtml(e.version) : DASH;
      return `<tr class="${e.kind}"><td class="num">${i + 1}</td><td><code>${bdi(e.name)}</code></td><td class="num">${version}</td><td>${meaning}</td></tr>`;
    })
    .join('\n');
  const table =
    parsed.entries.length === 0
      ? '<p class="empty">No fields</p>'
      : `<div class="table-wrap"><table class="format"><thead><tr><th scope="col">#</th><th scope="col">Field</th><th scope="col">Version</th><th scope="col">Meaning</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table></div>`;
  const raw = truncate(logFormat, 4000);
  return `${row(`<div class="badges">${badges.join(' ')}</div><pre class="raw-format"><code>${bdi(raw)}</code></pre>`)}\n${table}`;
}

function renderTags(tagsValue: unknown): string {
  const tags = sortedTags(tagsValue);
  const marker = '<div class="row" data-field="Tags" hidden></div>';
  if (tags.length === 0) return `${marker}<p class="empty" id="tags-empty">No tags</p>`;
  const rows = tags
    .map(
      (t) =>
        `<tr class="tag"><th scope="row"><bdi>${escapeHtml(t.key)}</bdi></th><td><bdi>${escapeHtml(t.value)}</bdi></td><td class="copy-cell">${button(
          'copy',
          'Copy',
          'copy',
          {
            data: { field: 'tagValue', value: t.value },
            extraClass: 'small',
            hiddenSuffix: `value of ${t.key}`,
          },
        )}</td></tr>`,
    )
    .join('\n');
  return `${marker}<div class="tag-filter">
<label for="tag-filter">Filter tags</label>
<input id="tag-filter" type="search" placeholder="Key or value" autocomplete="off" spellcheck="false">
<span id="tag-count" class="count" aria-live="polite">${tags.length} of ${tags.length} tags</span>
</div>
<div class="table-wrap"><table class="tags" data-total="${tags.length}"><thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="empty" id="tags-no-match" hidden>No matching tags</p>`;
}

// ---------------------------------------------------------------------------------------------

/** The full detail page of one flow log. Never throws on odd data: absent or malformed fields show "—". */
export function renderFlowLogDetail(input: DetailRenderInput): string {
  const flowLog: FlowLog = typeof input.flowLog === 'object' && input.flowLog !== null ? input.flowLog : {};
  const context: Partial<FlowLogContext> = typeof input.context === 'object' && input.context !== null ? input.context : {};
  const region = typeof context.region === 'string' ? context.region : '';
  const arn = typeof input.arn === 'string' && input.arn !== '' ? input.arn : flowLogArn(region, context.accountId, flowLog.FlowLogId);

  const created = toDate(flowLog.CreationTime);
  const dtf = dateTimeFormat(input.locale, input.timeZone);
  const now = toDate(input.now) ?? new Date();
  const createdRow: Row = {
    field: 'CreationTime',
    label: FIELD_LABELS.CreationTime,
    html: created ? withNote(escapeHtml(dtf.format(created)), formatRelative(created, now, input.locale)) : undefined,
    title: created?.toISOString(),
  };

  const name = listedNameTag(flowLog.Tags);
  const id = typeof flowLog.FlowLogId === 'string' ? flowLog.FlowLogId : undefined;
  const heading = name ?? id ?? 'Flow log';
  const where = [
    typeof context.profile === 'string' ? `Profile ${context.profile}` : undefined,
    region ? `${regionName(region)} (${region})` : undefined,
    typeof context.accountId === 'string' ? `Account ${context.accountId}` : undefined,
  ].filter((s): s is string => !!s);

  const body = `<header>
<h1>${bdi(heading)}</h1>
<p class="context">${where.map((w) => bdi(w)).join(' · ')}</p>
${renderActions(flowLog, region, arn)}
<p id="status-message" class="status-message" role="status" aria-live="polite"></p>
</header>
<main>
${section('overview', 'Overview', renderOverview(flowLog, arn, createdRow))}
${section('destination', 'Destination', renderDestination(flowLog))}
${section('delivery', 'Delivery', renderDelivery(flowLog))}
${section('record-format', 'Record format', renderRecordFormat(flowLog.LogFormat))}
${section('tags', 'Tags', renderTags(flowLog.Tags))}
</main>`;

  // What the script saves with setState, so a restored panel knows what to fetch again.
  const bodyAttrs = ` data-flow-log-id="${escapeAttr(id ?? '')}" data-profile="${escapeAttr(context.profile ?? '')}" data-region="${escapeAttr(region)}"`;
  return pageShell({
    title: `Flow log ${heading}`,
    cspSource: input.cspSource,
    nonce: input.nonce,
    styles: [input.styleUri, input.codiconsUri],
    scripts: [input.scriptUri],
    body,
    bodyAttrs,
  });
}

/** A page with just a message: a panel restored without data, or a load error. */
export function renderPlaceholder(
  message: string,
  cspSource: string,
  nonce: string,
  styleUri: string,
  kind: 'info' | 'error' = 'info',
): string {
  const cls = kind === 'error' ? 'callout error' : 'callout';
  const role = kind === 'error' ? 'alert' : 'status';
  const body = `<main class="placeholder"><div class="${cls}" role="${role}"><p>${bdi(message)}</p></div></main>`;
  return pageShell({ title: 'Flow log', cspSource, nonce, styles: [styleUri], body });
}
