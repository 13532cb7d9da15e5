// The Athena table of an S3 flow log: CREATE EXTERNAL TABLE from its LogFormat (column names and
// types as Athena's documentation gives them for VPC flow logs), text or Parquet, the LOCATION of
// its own folder (LogDestination + AWSLogs/{account}/vpcflowlogs/{region}/ or the Hive-compatible
// path) and partition projection for its DestinationOptions, so no crawler or MSCK is needed.
// Pure: never imports vscode.
import type { FlowLog } from '../shared/types';
import { parseLogFormat, DEFAULT_LOG_FORMAT } from '../shared/logFormat';
import { s3Location, type S3Location } from '../records/s3/layout';
import { LATE_MS } from '../records/s3/plan';

export type AthenaColumnType = 'int' | 'bigint' | 'string';

/**
 * Types of Athena's documented flow log table ("Create a table for Amazon VPC flow logs"): these
 * fields are int or bigint; every other field (documented or later) is a string.
 */
const TYPES: Readonly<Record<string, AthenaColumnType>> = {
  version: 'int',
  srcport: 'int',
  dstport: 'int',
  protocol: 'bigint',
  packets: 'bigint',
  bytes: 'bigint',
  start: 'bigint',
  end: 'bigint',
  'tcp-flags': 'int',
  'traffic-path': 'int',
};

export interface AthenaColumn {
  /** The LogFormat field ("log-status"). */
  readonly field: string;
  /** The column ("log_status"): the field with underscores, as Athena's tables and the Parquet files name it. */
  readonly name: string;
  readonly type: AthenaColumnType;
}

/** The column name of a LogFormat field: hyphens become underscores. */
export function athenaColumnName(field: string): string {
  return field.replace(/-/g, '_');
}

export function athenaColumnType(field: string): AthenaColumnType {
  return TYPES[field] ?? 'string';
}

/** The columns of a LogFormat, in order; a problem when the format cannot be a table. */
export function athenaColumns(logFormat: string | undefined): AthenaColumn[] | { problem: string } {
  const text = typeof logFormat === 'string' && logFormat.trim() ? logFormat : DEFAULT_LOG_FORMAT;
  const parsed = parseLogFormat(text);
  if (parsed.truncated) return { problem: 'the LogFormat is longer than this extension reads' };
  const columns: AthenaColumn[] = [];
  const seen = new Set<string>();
  for (const e of parsed.entries) {
    if (e.kind === 'invalid') return { problem: `the LogFormat has text that is not a field: ${e.token}` };
    const name = athenaColumnName(e.name);
    if (!/^[a-z][a-z0-9_]{0,127}$/.test(name)) return { problem: `the field ${e.name} cannot be a column name` };
    if (seen.has(name)) return { problem: `the LogFormat names ${e.name} twice` };
    seen.add(name);
    columns.push({ field: e.name, name, type: athenaColumnType(e.name) });
  }
  if (columns.length === 0) return { problem: 'the LogFormat has no fields' };
  return columns;
}

/** How the partitions of a layout are named and projected. */
export interface PartitionScheme {
  /** Partition columns, in order (all strings). */
  readonly columns: readonly string[];
  /** The SQL expression whose value, for a partition, sorts like its time ("2024/01/05" or "2024/01/05/13"). */
  readonly keyExpression: string;
  /** Per day or per hour. */
  readonly unitMs: number;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

export function partitionScheme(loc: Pick<S3Location, 'hive' | 'perHour'>): PartitionScheme {
  if (!loc.hive)
    return loc.perHour
      ? { columns: ['hour'], keyExpression: '"hour"', unitMs: HOUR_MS }
      : { columns: ['day'], keyExpression: '"day"', unitMs: DAY_MS };
  return loc.perHour
    ? {
        columns: ['year', 'month', 'day', 'hour'],
        keyExpression: `concat("year", '/', "month", '/', "day", '/', "hour")`,
        unitMs: HOUR_MS,
      }
    : { columns: ['year', 'month', 'day'], keyExpression: `concat("year", '/', "month", '/', "day")`, unitMs: DAY_MS };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The partition key of the day or hour holding `ms` (UTC), as keyExpression gives it. */
export function partitionKey(perHour: boolean, ms: number): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return perHour ? `${day}/${pad(d.getUTCHours())}` : day;
}

/** s3://bucket/prefix/AWSLogs/... : the folder of this flow log's account and region (ends with "/"). */
export function tableLocation(loc: S3Location): string {
  const root = `s3://${loc.bucket}/${loc.prefix}AWSLogs/`;
  return loc.hive
    ? `${root}aws-account-id=${loc.accountId}/aws-service=vpcflowlogs/aws-region=${loc.region}/`
    : `${root}${loc.accountId}/vpcflowlogs/${loc.region}/`;
}

/** The table name for a flow log: vpc_flow_logs_ + its ID with underscores. */
export function defaultTableName(flowLogId: string): string {
  return `vpc_flow_logs_${flowLogId.replace(/-/g, '_').toLowerCase()}`;
}

/** Athena (Glue) database and table names: lowercase letters, digits and underscores. */
export function isAthenaName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-z0-9_]{1,255}$/.test(name);
}

export interface TableSpec {
  readonly database: string;
  readonly table: string;
  readonly location: S3Location;
  readonly columns: readonly AthenaColumn[];
  readonly partitions: PartitionScheme;
  /** s3://... */
  readonly locationUri: string;
  /** The TBLPROPERTIES, in order. */
  readonly properties: readonly (readonly [string, string])[];
  /** The whole statement. */
  readonly ddl: string;
}

export interface TableRequest {
  readonly flowLog: FlowLog;
  readonly accountId: string;
  readonly region: string;
  readonly database: string;
  /** Default: defaultTableName(FlowLogId). */
  readonly table?: string;
  /** First projected day (ms); default: the flow log's CreationTime, else 2015-01-01. */
  readonly since?: number;
}

/** A string literal in Hive DDL (single quotes; backslash and quote escaped). */
function ddlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The table of a flow log, or why there is none. */
export function buildTable(request: TableRequest): TableSpec | { problem: string } {
  const loc = s3Location(request.flowLog, request.accountId, request.region);
  if ('problem' in loc) return loc;
  if (!isAthenaName(request.database))
    return { problem: `"${String(request.database).slice(0, 80)}" is not an Athena database name (lowercase letters, digits, _)` };
  const table = request.table ?? defaultTableName(loc.flowLogId);
  if (!isAthenaName(table))
    return { problem: `"${String(table).slice(0, 80)}" is not an Athena table name (lowercase letters, digits, _)` };
  const columns = athenaColumns(request.flowLog.LogFormat);
  if (!Array.isArray(columns)) return columns;
  const partitions = partitionScheme(loc);
  if (columns.some((c) => partitions.columns.includes(c.name)))
    return { problem: `a field of the LogFormat has the name of a partition column (${partitions.columns.join(', ')})` };

  const created = request.flowLog.CreationTime instanceof Date ? request.flowLog.CreationTime.getTime() : NaN;
  const since = Number.isFinite(request.since) ? (request.since as number) : Number.isFinite(created) ? created : Date.UTC(2015, 0, 1);
  const locationUri = tableLocation(loc);
  const properties: [string, string][] = [];
  if (loc.format === 'plain-text') properties.push(['skip.header.line.count', '1']);
  properties.push(['projection.enabled', 'true']);
  if (!loc.hive) {
    const col = partitions.columns[0];
    properties.push(
      [`projection.${col}.type`, 'date'],
      [`projection.${col}.format`, loc.perHour ? 'yyyy/MM/dd/HH' : 'yyyy/MM/dd'],
      [`projection.${col}.range`, `${partitionKey(loc.perHour, since)},NOW`],
      [`projection.${col}.interval`, '1'],
      [`projection.${col}.interval.unit`, loc.perHour ? 'HOURS' : 'DAYS'],
      ['storage.location.template', `${locationUri}\${${col}}`],
    );
  } else {
    const firstYear = new Date(since).getUTCFullYear();
    properties.push(
      ['projection.year.type', 'integer'],
      ['projection.year.range', `${firstYear},2099`],
      ['projection.month.type', 'integer'],
      ['projection.month.range', '1,12'],
      ['projection.month.digits', '2'],
      ['projection.day.type', 'integer'],
      ['projection.day.range', '1,31'],
      ['projection.day.digits', '2'],
    );
    if (loc.perHour)
      properties.push(['projection.hour.type', 'integer'], ['projection.hour.range', '0,23'], ['projection.hour.digits', '2']);
    const template = partitions.columns.map((c) => `${c}=\${${c}}`).join('/');
    properties.push(['storage.location.template', `${locationUri}${template}`]);
  }

  const lines: string[] = [];
  lines.push(`CREATE EXTERNAL TABLE IF NOT EXISTS \`${request.database}\`.\`${table}\` (`);
  lines.push(columns.map((c) => `  \`${c.name}\` ${c.type}`).join(',\n'));
  lines.push(`)`);
  lines.push(`PARTITIONED BY (${partitions.columns.map((c) => `\`${c}\` string`).join(', ')})`);
  if (loc.format === 'parquet') {
    lines.push(`ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'`);
    lines.push(`STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'`);
    lines.push(`OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'`);
  } else {
    lines.push(`ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '`);
  }
  lines.push(`LOCATION ${ddlString(locationUri)}`);
  lines.push(`TBLPROPERTIES (`);
  lines.push(properties.map(([k, v]) => `  ${ddlString(k)} = ${ddlString(v)}`).join(',\n'));
  lines.push(`)`);
  return { database: request.database, table, location: loc, columns, partitions, locationUri, properties, ddl: lines.join('\n') };
}

/** The partitions [first, last] (keys) that can hold records starting in [fromMs, toMs). */
export function partitionRange(perHour: boolean, fromMs: number, toMs: number): { first: string; last: string } {
  const unit = perHour ? HOUR_MS : DAY_MS;
  // Files are in the folder of their file time, named at or after their records' start and up to
  // LATE_MS later (records/s3/plan.ts): the same window the S3 reader lists.
  const firstMs = Math.floor(fromMs / unit) * unit;
  const lastMs = Math.floor((toMs + LATE_MS - 1) / unit) * unit;
  return { first: partitionKey(perHour, firstMs), last: partitionKey(perHour, lastMs) };
}

/** Partition count of a range (for the "scans only its partitions" check and the UI). */
export function partitionCount(perHour: boolean, fromMs: number, toMs: number): number {
  const unit = perHour ? HOUR_MS : DAY_MS;
  return Math.floor((toMs + LATE_MS - 1) / unit) - Math.floor(fromMs / unit) + 1;
}
