// Which Logs Insights fields a flow log's records have, by its LogFormat. Insights discovers the
// fields of the default format itself (camelCase names: srcAddr, dstPort, logStatus...); for a
// custom format nothing is discovered, so the query must start with a `parse` of @message that
// gives the same names. Pure: never imports vscode.
import { DEFAULT_LOG_FORMAT, parseLogFormat } from './logFormat';

/**
 * The names Insights discovers for default-format flow logs, in record order, as AWS documents them
 * ("Supported logs and discovered fields", Amazon VPC flow logs): the record's start and end are
 * startTime and endTime.
 */
export const DEFAULT_FORMAT_FIELDS = [
  'version',
  'accountId',
  'interfaceId',
  'srcAddr',
  'dstAddr',
  'srcPort',
  'dstPort',
  'protocol',
  'packets',
  'bytes',
  'startTime',
  'endTime',
  'action',
  'logStatus',
] as const;

// LogFormat names whose Insights names are not a plain camelCase of the LogFormat name.
const SPECIAL: Record<string, string> = {
  srcaddr: 'srcAddr',
  dstaddr: 'dstAddr',
  srcport: 'srcPort',
  dstport: 'dstPort',
  'pkt-srcaddr': 'pktSrcAddr',
  'pkt-dstaddr': 'pktDstAddr',
  // As Insights names them for the default format, so a custom format's parse gives the same names.
  start: 'startTime',
  end: 'endTime',
};

/** The Insights field name for a LogFormat field name ("log-status" -> "logStatus"). */
export function insightsFieldName(logFormatName: string): string {
  return SPECIAL[logFormatName] ?? logFormatName.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export interface FormatFields {
  /** True when Insights discovers the fields itself (the default format): no parse is needed. */
  readonly discovered: boolean;
  /** The Insights names of the record's fields, in record order. */
  readonly fields: readonly string[];
  /** For a custom format: the `parse` command that gives those names; undefined for the default format. */
  readonly parse?: string;
  /** Why the format cannot be queried at all (no known field), if so. */
  readonly problem?: string;
}

/** The fields a flow log with this LogFormat (undefined or empty: the default) has in Insights. */
export function formatFields(logFormat: string | undefined): FormatFields {
  const text = typeof logFormat === 'string' && logFormat.trim() !== '' ? logFormat : DEFAULT_LOG_FORMAT;
  const parsed = parseLogFormat(text);
  if (parsed.isDefault) return { discovered: true, fields: DEFAULT_FORMAT_FIELDS };
  if (parsed.truncated) return { discovered: false, fields: [], problem: 'The log format is too long to read' };
  if (parsed.invalidCount > 0) return { discovered: false, fields: [], problem: 'The log format has text that is not a ${field}' };
  // Unknown ${fields} still take a column: they get a placeholder name so the others line up.
  const names: string[] = [];
  const groups: string[] = [];
  parsed.entries.forEach((entry, i) => {
    const name = entry.kind === 'field' ? insightsFieldName(entry.name) : `unknown${i + 1}`;
    if (entry.kind === 'field') names.push(name);
    groups.push(`(?<${name}>\\S+)`);
  });
  if (names.length === 0) return { discovered: false, fields: [], problem: 'The log format has no field Insights can use' };
  // Fields are separated by single spaces (AWS writes "-" for an empty value), so \S+ per field.
  return { discovered: false, fields: names, parse: `parse @message /^${groups.join(' ')}$/` };
}
