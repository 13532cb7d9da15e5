// The words of the tree's rows: a flow log's description, tooltip and context value, a region's
// description, context value and error row, an error row's context value (the flow log's name
// itself is explorer/flowLogName.ts). Pure (no vscode import) so it is unit-tested in plain Node;
// the node classes wrap it.
import type { FlowLog } from '../aws/types';
import type { FlowLogsError } from '../aws/errors';
import { restartsListing } from '../aws/flowLogPager';
import { flowLogLabel, nameTag, oneLineLabel } from '../explorer/flowLogName';

/** A flow log's name (src/explorer/flowLogName.ts: shared with the panels and pickers). */
export { flowLogLabel, nameTag, oneLineLabel };

export function flowLogDescription(flowLog: FlowLog): string {
  return [flowLog.ResourceId, flowLog.TrafficType, flowLog.LogDestinationType]
    .filter((v): v is string => !!v)
    .map((v) => oneLineLabel(v, 40))
    .join(' · ');
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
