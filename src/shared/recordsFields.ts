// The record layout of a flow log: its LogFormat's fields in order, each with how its values are
// read (number, address, time...). The field table itself (names, versions 2-8 and later,
// descriptions) is src/shared/logFormat.ts; this adds what the records explorer needs.
// Pure: never imports vscode.
import { DEFAULT_LOG_FORMAT, flowLogFieldInfo, parseLogFormat } from './logFormat';

export type FieldKind = 'int' | 'address' | 'port' | 'protocol' | 'time' | 'tcpFlags' | 'text';

export interface LayoutField {
  /** The name in the LogFormat (e.g. "srcaddr"), or the stray text for a token that is not ${...}. */
  readonly name: string;
  readonly kind: FieldKind;
  /** Known to this extension (a documented field). Unknown fields are kept as text. */
  readonly known: boolean;
  readonly description?: string;
  /** The name used in a CloudWatch space-delimited pattern: letters, digits and "_" only. */
  readonly patternName: string;
}

export interface RecordLayout {
  readonly format: string;
  readonly fields: readonly LayoutField[];
  /** Index of each field by name (first occurrence). */
  readonly index: Readonly<Record<string, number>>;
  /** The record version AWS writes for this format (undefined when a field is unknown). */
  readonly version?: number;
}

const KINDS: Record<string, FieldKind> = {
  version: 'int',
  packets: 'int',
  bytes: 'int',
  'traffic-path': 'int',
  srcaddr: 'address',
  dstaddr: 'address',
  'pkt-srcaddr': 'address',
  'pkt-dstaddr': 'address',
  srcport: 'port',
  dstport: 'port',
  protocol: 'protocol',
  start: 'time',
  end: 'time',
  'tcp-flags': 'tcpFlags',
};

/** The layout of a LogFormat (the AWS default when it is empty or missing). */
export function recordLayout(format: unknown): RecordLayout {
  const text = typeof format === 'string' && format.trim() ? format : DEFAULT_LOG_FORMAT;
  const parsed = parseLogFormat(text);
  const used = new Set<string>();
  const fields: LayoutField[] = parsed.entries.map((e, i) => {
    const info = e.kind === 'field' ? flowLogFieldInfo(e.name) : undefined;
    let patternName = e.name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, 'f_') || `f_${i}`;
    while (used.has(patternName)) patternName += `_${i}`;
    used.add(patternName);
    return { name: e.name, kind: (info && KINDS[e.name]) || 'text', known: !!info, description: info?.description, patternName };
  });
  // Null prototype: a field named "constructor" or "__proto__" is indexed like any other.
  const index: Record<string, number> = Object.create(null) as Record<string, number>;
  fields.forEach((f, i) => {
    if (index[f.name] === undefined) index[f.name] = i;
  });
  return { format: text, fields, index, version: expectedRecordVersion(text) };
}

// The record version AWS writes: 2 for the default format and, for a custom format, the highest
// version among its fields (Amazon VPC User Guide, "Flow log records", the `version` field).
/** The version AWS writes for this LogFormat; undefined when a field is unknown (it may be newer). */
export function expectedRecordVersion(format: string): number | undefined {
  const parsed = parseLogFormat(format);
  if (parsed.unknownCount > 0 || parsed.invalidCount > 0 || parsed.truncated) return undefined;
  return parsed.isDefault ? 2 : parsed.version;
}

/**
 * Why an object's columns (a `.log.gz` header line, a Parquet schema) do not fit the layout, or
 * undefined when every field of the layout is among them (another order or more columns fit).
 * `sep` is what the columns use for "-" in field names (Parquet: "_").
 */
export function columnsMisfit(layout: RecordLayout, columns: readonly string[], sep = '-'): string | undefined {
  const have = new Set(columns);
  const missing = layout.fields.map((f) => f.name).filter((n) => !have.has(sep === '-' ? n : n.replace(/-/g, sep)));
  if (!missing.length) return undefined;
  const shown = missing.slice(0, 6).join(', ') + (missing.length > 6 ? ', …' : '');
  return `the file's columns do not fit the flow log's format: ${missing.length} of ${layout.fields.length} fields missing (${shown})`;
}
