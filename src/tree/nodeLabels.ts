// The words of the tree's rows: a flow log's description, tooltip and context value, a region's
// description, context value and error row, an error row's context value (the flow log's name
// itself is explorer/flowLogName.ts). Pure (no vscode import) so it is unit-tested in plain Node;
// the node classes wrap it.
import type { FlowLog } from '../shared/types';
import type { FlowLogsError } from '../shared/errors';
import { restartsListing } from '../aws/flowLogPager';
import { logGroupNameOfArn, parseArn } from '../aws/arn';
import { flowLogLabel, nameTag, oneLineLabel } from '../explorer/flowLogName';

/** A flow log's name (src/explorer/flowLogName.ts: shared with the panels and pickers). */
export { flowLogLabel, nameTag, oneLineLabel };

/**
 * Where the records go, in the words a user knows it by: the log group name, `s3://bucket/prefix`,
 * `firehose/stream`; the bare destination type when the ARN says nothing more.
 */
export function flowLogDestinationText(flowLog: FlowLog): string | undefined {
  const type = flowLog.LogDestinationType;
  const arn = parseArn(flowLog.LogDestination);
  if (type === 'cloud-watch-logs' || (type === undefined && flowLog.LogGroupName))
    return flowLog.LogGroupName || logGroupNameOfArn(flowLog.LogDestination) || type;
  if (type === 's3') return arn?.service === 's3' && arn.resource ? `s3://${arn.resource}` : type;
  if (type === 'kinesis-data-firehose')
    return arn?.service === 'firehose' && arn.resource.startsWith('deliverystream/')
      ? `firehose/${arn.resource.slice('deliverystream/'.length)}`
      : type;
  return type;
}

/** The destination first (the icon says its type), then the resource and the traffic type. */
export function flowLogDescription(flowLog: FlowLog): string {
  return [flowLogDestinationText(flowLog), flowLog.ResourceId, flowLog.TrafficType]
    .filter((v): v is string => !!v)
    .map((v) => oneLineLabel(v, 40))
    .join(' · ');
}

/** The words for the destination type (accessibility label, tooltip). */
export const DESTINATION_TYPE_WORDS: Readonly<Record<string, string>> = {
  'cloud-watch-logs': 'CloudWatch Logs',
  s3: 'Amazon S3',
  'kinesis-data-firehose': 'Amazon Data Firehose',
};

/**
 * A flow log's codicon: its delivery failing or the flow log not active first (they need the
 * user), else its destination type: CloudWatch Logs `output`, S3 `archive`, Firehose `flame`.
 */
export function flowLogIcon(flowLog: FlowLog): { id: string; color?: string } {
  if (flowLog.DeliverLogsStatus === 'FAILED') return { id: 'warning', color: 'problemsWarningIcon.foreground' };
  if (flowLog.FlowLogStatus && flowLog.FlowLogStatus !== 'ACTIVE') return { id: 'circle-slash' };
  const type = flowLog.LogDestinationType ?? (flowLog.LogGroupName ? 'cloud-watch-logs' : undefined);
  if (type === 'cloud-watch-logs') return { id: 'output' };
  if (type === 's3') return { id: 'archive' };
  if (type === 'kinesis-data-firehose') return { id: 'flame' };
  return { id: 'pulse' };
}

/** Markers that menus match with `viewItem =~ /^flowLog\S*\.role\b/` and the like. */
export function flowLogContextValue(flowLog: FlowLog): string {
  const parts = ['flowLog'];
  if (flowLog.ResourceId) parts.push('.resource');
  if (flowLog.LogDestination) parts.push('.destination');
  if (flowLog.LogGroupName) parts.push('.logGroup');
  if (flowLog.DeliverLogsPermissionArn || flowLog.DeliverCrossAccountRole) parts.push('.role');
  if (flowLog.DeliverLogsStatus === 'FAILED') parts.push('.failed');
  // The destination type, for Show Records (CloudWatch Logs; S3; Firehose says it cannot).
  if (flowLog.LogDestinationType === 'cloud-watch-logs') parts.push('.cwl');
  else if (flowLog.LogDestinationType === 's3') parts.push('.s3');
  else if (flowLog.LogDestinationType === 'kinesis-data-firehose') parts.push('.firehose');
  return parts.join('');
}

function md(text: string): string {
  // Escape Markdown and HTML so hostile values render as text in the tooltip.
  return oneLineLabel(text, 200).replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

/** Markdown source of the tooltip (the node wraps it in a MarkdownString with HTML off). */
export function flowLogTooltip(flowLog: FlowLog, region: string): string {
  const rows: [string, string | undefined][] = [
    ['Flow log', flowLog.FlowLogId],
    ['Name', nameTag(flowLog)],
    ['Resource', flowLog.ResourceId],
    ['Traffic', flowLog.TrafficType],
    [
      'Destination',
      flowLog.LogDestinationType ? `${flowLog.LogDestinationType}: ${flowLog.LogGroupName ?? flowLog.LogDestination ?? ''}` : undefined,
    ],
    [
      'Delivery',
      flowLog.DeliverLogsStatus
        ? `${flowLog.DeliverLogsStatus}${flowLog.DeliverLogsErrorMessage ? ` (${flowLog.DeliverLogsErrorMessage})` : ''}`
        : undefined,
    ],
    ['Status', flowLog.FlowLogStatus],
    ['Created', flowLog.CreationTime ? new Date(flowLog.CreationTime).toISOString() : undefined],
    ['Region', region],
    ['Tags', flowLog.Tags?.length ? String(flowLog.Tags.length) : undefined],
  ];
  return rows
    .filter(([, v]) => v)
    .map(([k, v]) => `**${k}:** ${md(v!)}`)
    .join('  \n');
}

/**
 * Context values of error and region nodes: space-separated words that the menus in package.json
 * match (for example `viewItem =~ /^error\b.*\bretry\b/`); test/unit/menus.test.ts checks both sides.
 */
export function errorContextValue(actions: readonly ('retry' | 'signIn' | 'openConfig' | 'editFilters')[]): string {
  const word = { retry: 'retry', signIn: 'sso', openConfig: 'config', editFilters: 'filter' } as const;
  return ['error', ...actions.map((a) => word[a])].join(' ');
}

export function regionContextValue(canLoadMore: boolean): string {
  return canLoadMore ? 'region more' : 'region';
}

/** "50 loaded, more available", "142", "No flow logs"; with " · filtered" when filters apply. */
/**
 * The count line of a region's tooltip. A region whose listing failed says so (a denied region
 * has loaded nothing and Load more… would fetch nothing); a partial listing says what Load more… does.
 */
export function regionTooltipCount(loaded: number, hasMore: boolean, filtered: boolean, error?: FlowLogsError): string {
  if (error && error.kind !== 'aborted')
    return loaded
      ? `${loaded} flow logs loaded, then the listing failed: ${oneLineLabel(error.message, 200)}`
      : `The listing failed: ${oneLineLabel(error.message, 200)}`;
  if (hasMore) return `${loaded} flow logs loaded so far; Load more… or Load All fetches the rest`;
  return `${loaded} flow logs in this region${filtered ? ' matching the filters' : ''} (all loaded)`;
}

export function regionDescription(loaded: number, hasMore: boolean, filtered: boolean, loading: boolean, failed = false): string {
  let text =
    loading && loaded === 0
      ? 'loading…'
      : failed
        ? loaded
          ? `${loaded} loaded, then an error`
          : 'error'
        : hasMore
          ? `${loaded} loaded, more available`
          : loaded === 1
            ? '1 flow log'
            : `${loaded} flow logs`;
  if (filtered) text += ' · filtered';
  return text;
}

/**
 * How a region shows the error that stopped its paging. A rejected page token cannot be sent
 * again, so its Retry starts the region over; a rejected filter says where to fix it.
 */
export function regionErrorPresentation(error: FlowLogsError, filtered: boolean): { error: FlowLogsError; restartOnRetry: boolean } {
  const restartOnRetry = restartsListing(error); // the pager's rule
  let message = error.message;
  if (error.kind === 'invalidInput' && filtered) message += ' (active filters: edit them to fix this)';
  if (restartOnRetry) message += ' (Retry starts this region over)';
  return { error: { ...error, message }, restartOnRetry };
}
