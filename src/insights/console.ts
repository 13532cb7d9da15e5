// "Open in CloudWatch console" for a Logs Insights query: the console's Logs Insights page with
// the query, its log groups and its time range filled in. Pure: never imports vscode.
import { consoleHost, isRegionId } from '../aws/arn';
import { partitionOf } from '../aws/regions';

// The console reads its state from a JSURL-like fragment: values are URL-encoded with '%' as '*',
// and the whole fragment is URL-encoded again with '%' as '$'.
function jsurlString(value: string): string {
  return `'${encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%/g, '*')}`;
}

export function insightsConsoleUrl(
  region: string,
  logGroupNames: readonly string[],
  queryString: string,
  startTime: number,
  endTime: number,
): string | undefined {
  if (!isRegionId(region) || logGroupNames.length === 0) return undefined;
  const partition = partitionOf(region);
  const host = consoleHost(partition);
  if (!host) return undefined;
  const base = partition === 'aws' ? `https://${region}.${host}` : `https://${host}`;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const detail = `~(end~${jsurlString(iso(endTime))}~start~${jsurlString(iso(startTime))}~timeType~'ABSOLUTE~tz~'UTC~editorString~${jsurlString(queryString)}~source~(${logGroupNames.map((g) => `~${jsurlString(g)}`).join('')}))`;
  return `${base}/cloudwatch/home?region=${region}#logsV2:logs-insights${encodeURIComponent(`?queryDetail=${detail}`).replace(/%/g, '$')}`;
}
