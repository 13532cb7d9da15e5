// "Open in CloudWatch console" for a Logs Insights query: the console's Logs Insights page with
// the query, its log groups and its time range filled in. Pure: never imports vscode.
import { consoleEncode, consoleHost, isRegionId } from '../aws/arn';
import { partitionOf } from '../shared/regions';

// The console reads its state from a JSURL-like fragment: values are URL-encoded with '%' as '*',
// and the whole fragment is URL-encoded again with '%' as '$'.
// Undefined for a value with a lone surrogate (no link, never a URIError).
function jsurlString(value: string): string | undefined {
  const encoded = consoleEncode(value);
  if (encoded === undefined) return undefined;
  return `'${encoded.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%/g, '*')}`;
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
  if (!Number.isFinite(startTime) || !Number.isFinite(endTime)) return undefined;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const query = jsurlString(queryString);
  const groups = logGroupNames.map((g) => jsurlString(g));
  if (query === undefined || groups.some((g) => g === undefined)) return undefined;
  const detail = `~(end~${jsurlString(iso(endTime))}~start~${jsurlString(iso(startTime))}~timeType~'ABSOLUTE~tz~'UTC~editorString~${query}~source~(${groups.map((g) => `~${g}`).join('')}))`;
  return `${base}/cloudwatch/home?region=${region}#logsV2:logs-insights${consoleEncode(`?queryDetail=${detail}`)!.replace(/%/g, '$')}`;
}
