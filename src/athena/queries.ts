// The built-in analyses (the Insights panel's list, same ids) as Athena (Trino) SQL over a flow
// log's table: the time range becomes a predicate on the partitions (so only those are scanned)
// and one on `start`. Every value put in the SQL is validated and escaped here.
// Pure: never imports vscode.
import { analysisDefinition, binFor, isIpAddress, type AnalysisId, type ColumnSpec, type ColumnType } from '../shared/insightsAnalyses';
import { truncate } from '../shared/text';
import { partitionRange, type TableSpec } from './table';

export class AthenaQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/** A SQL string literal: single quotes, a quote doubled; control characters refused. */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new AthenaQueryError('a value is not text');
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new AthenaQueryError(`"${clip(value)}" has control characters`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier ("end" is a reserved word). */
export function sqlIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new AthenaQueryError(`"${clip(name)}" is not a column name`);
  return `"${name}"`;
}

function clip(text: string): string {
  return truncate(String(text), 60);
}

/** The fields each analysis needs, as the LogFormat names them. */
const NEEDS: Readonly<Record<AnalysisId, readonly string[]>> = {
  topTalkers: ['srcaddr', 'dstaddr', 'bytes', 'packets', 'start'],
  topRejected: ['srcaddr', 'dstport', 'action', 'packets', 'start'],
  sshRdpFromOutside: ['srcaddr', 'dstaddr', 'dstport', 'action', 'bytes', 'start'],
  topDstPorts: ['dstport', 'protocol', 'bytes', 'packets', 'start'],
  perInterface: ['interface-id', 'bytes', 'packets', 'start'],
  trafficOverTime: ['bytes', 'packets', 'start'],
  noDataSkipData: ['log-status', 'start'],
  recordsOfAddress: ['srcaddr', 'dstaddr', 'start'],
};

export const ATHENA_ANALYSIS_IDS = Object.keys(NEEDS) as AnalysisId[];

/** The analyses a table can run, and the fields missing for the others. */
export function athenaAvailability(table: Pick<TableSpec, 'columns'>): { id: AnalysisId; available: boolean; missing: string[] }[] {
  const have = new Set(table.columns.map((c) => c.field));
  return ATHENA_ANALYSIS_IDS.map((id) => {
    const missing = NEEDS[id].filter((f) => !have.has(f));
    return { id, available: missing.length === 0, missing };
  });
}

/** A filter on one field: the record matches when the field equals one of the values (or none, negated). */
export interface AthenaFilter {
  /** A LogFormat name (dst-port, dstport) or an Insights name (dstPort): matched ignoring case, "-" and "_". */
  readonly field: string;
  readonly values: readonly string[];
  readonly negate?: boolean;
}

export interface AthenaAnalysisRequest {
  readonly analysis: AnalysisId;
  /** Epoch milliseconds, [start, end). */
  readonly startTime: number;
  readonly endTime: number;
  readonly filters?: readonly AthenaFilter[];
  /** Rows, 1..10000 (default 100). */
  readonly limit?: number;
  /** For recordsOfAddress. */
  readonly address?: string;
}

export interface AthenaQuery {
  readonly analysis: AnalysisId;
  readonly sql: string;
  /** The columns of the answer, in the SELECT's order (field = the SQL alias). */
  readonly columns: readonly ColumnSpec[];
  readonly binSeconds?: number;
  /** The partition keys scanned, first and last, and how many. */
  readonly partitions: { first: string; last: string };
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
const MAX_RANGE_MS = 400 * 86_400_000;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Private IPv4 source (10/8, 172.16/12, 192.168/16), as a regular expression both engines read. */
const PRIVATE_V4 = '^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)';

const norm = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** The predicate on the partitions and on `start` for [startTime, endTime). */
export function timePredicate(table: Pick<TableSpec, 'partitions' | 'location'>, startTime: number, endTime: number): string {
  const range = partitionRange(table.location.perHour, startTime, endTime);
  const key = table.partitions.keyExpression;
  const parts = [`${key} BETWEEN ${sqlString(range.first)} AND ${sqlString(range.last)}`];
  if (table.location.hive) {
    // A plain range on the year too: a predicate on a partition column alone prunes in every engine.
    parts.push(`"year" BETWEEN ${sqlString(range.first.slice(0, 4))} AND ${sqlString(range.last.slice(0, 4))}`);
  }
  // Other flow logs of the account and region deliver into the same folders: only this one's files.
  const loc = table.location;
  parts.push(`"$path" LIKE ${sqlString(`%/${loc.accountId}_vpcflowlogs_${loc.region}_${loc.flowLogId}_%`)}`);
  parts.push(`"start" >= ${Math.ceil(startTime / 1000)} AND "start" < ${Math.ceil(endTime / 1000)}`);
  return parts.join('\n  AND ');
}

/** An IPv4 CIDR block as a regular expression on the address text. */
export function cidrPattern(cidr: string): string {
  const m = /^(.+)\/(\d{1,2})$/.exec(cidr);
  if (!m || !IPV4.test(m[1]) || Number(m[2]) > 32) throw new AthenaQueryError(`"${clip(cidr)}" is not an IPv4 CIDR block`);
  const bits = Number(m[2]);
  const octets = m[1].split('.').map(Number);
  const whole = Math.floor(bits / 8);
  const rest = bits % 8;
  let pattern =
    '^' +
    octets
      .slice(0, whole)
      .map((o) => `${o}\\.`)
      .join('');
  if (whole === 4) return pattern.slice(0, -2) + '$';
  if (rest > 0) {
    const size = 1 << (8 - rest);
    const base = octets[whole] & ~(size - 1) & 0xff;
    const values = Array.from({ length: size }, (_v, i) => base + i);
    pattern += `(${values.join('|')})` + (whole === 3 ? '$' : '\\.');
  }
  return pattern;
}

function filterCondition(table: Pick<TableSpec, 'columns'>, filter: AthenaFilter): string {
  const column = table.columns.find((c) => norm(c.field) === norm(String(filter?.field ?? '')));
  if (!column) throw new AthenaQueryError(`This flow log's records have no field ${clip(String(filter?.field))}`);
  const values = (Array.isArray(filter.values) ? filter.values : [])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim());
  if (values.length === 0) throw new AthenaQueryError(`The filter on ${column.field} has no value`);
  if (values.length > 100) throw new AthenaQueryError(`The filter on ${column.field} has more than 100 values`);
  const id = sqlIdentifier(column.name);
  const parts: string[] = [];
  const equal: string[] = [];
  for (const value of values) {
    if (column.type !== 'string') {
      if (!/^\d{1,19}$/.test(value)) throw new AthenaQueryError(`${column.field} must be a whole number, not "${clip(value)}"`);
      equal.push(value);
    } else if (value.includes('/') && /addr$/.test(column.name)) {
      parts.push(`regexp_like(${id}, ${sqlString(cidrPattern(value))})`);
    } else {
      equal.push(sqlString(value));
    }
  }
  if (equal.length === 1) parts.push(`${id} = ${equal[0]}`);
  else if (equal.length > 1) parts.push(`${id} IN (${equal.join(', ')})`);
  const condition = parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  // A negated filter keeps records without the field (NULL or "-"), as the records explorer does.
  return filter.negate ? `(${id} IS NULL OR NOT ${condition})` : condition;
}

/** The SQL of an analysis over a flow log's table; throws AthenaQueryError for bad input. */
export function buildAthenaQuery(table: TableSpec, request: AthenaAnalysisRequest): AthenaQuery {
  const id = request?.analysis;
  const definition = analysisDefinition(id);
  if (!definition || !(id in NEEDS)) throw new AthenaQueryError(`Unknown analysis "${clip(String(id))}"`);
  const availability = athenaAvailability(table).find((a) => a.id === id)!;
  if (!availability.available)
    throw new AthenaQueryError(
      `${definition.title} needs ${availability.missing.join(', ')}, which this flow log's format does not record`,
    );
  const { startTime, endTime } = request;
  if (!Number.isFinite(startTime) || !Number.isFinite(endTime)) throw new AthenaQueryError('The time range needs a start and an end');
  if (endTime <= startTime) throw new AthenaQueryError('The time range ends before it starts');
  if (endTime - startTime > MAX_RANGE_MS) throw new AthenaQueryError('The time range is longer than 400 days');
  const limit = request.limit === undefined ? DEFAULT_LIMIT : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new AthenaQueryError(`The limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if ((request.filters?.length ?? 0) > 20) throw new AthenaQueryError('At most 20 field filters');

  const where = [timePredicate(table, startTime, endTime)];
  for (const filter of request.filters ?? []) where.push(filterCondition(table, filter));
  const from = `"${table.database}"."${table.table}"`;
  const shape = analysisSql(table, id, request, limit);
  where.push(...shape.where);
  const sql = [
    `SELECT ${shape.select.join(', ')}`,
    `FROM ${from}`,
    `WHERE ${where.join('\n  AND ')}`,
    ...(shape.groupBy ? [`GROUP BY ${shape.groupBy}`] : []),
    `ORDER BY ${shape.orderBy}`,
    `LIMIT ${shape.limit}`,
  ].join('\n');
  return {
    analysis: id,
    sql,
    columns: shape.columns,
    binSeconds: shape.binSeconds,
    partitions: partitionRange(table.location.perHour, startTime, endTime),
  };
}

interface Shape {
  select: string[];
  where: string[];
  groupBy?: string;
  orderBy: string;
  limit: number;
  columns: ColumnSpec[];
  binSeconds?: number;
}

const present = (column: string) => `"${column}" IS NOT NULL AND "${column}" <> '-'`;

function analysisSql(table: TableSpec, id: AnalysisId, request: AthenaAnalysisRequest, limit: number): Shape {
  const sum = (field: string, title: string): ColumnSpec => ({ field, title, type: 'number', merge: 'sum' });
  switch (id) {
    case 'topTalkers':
      return {
        select: [
          '"srcaddr" AS src_addr',
          '"dstaddr" AS dst_addr',
          'sum("bytes") AS total_bytes',
          'sum("packets") AS total_packets',
          'count(*) AS flows',
        ],
        where: [present('srcaddr')],
        groupBy: '"srcaddr", "dstaddr"',
        orderBy: 'total_bytes DESC, src_addr, dst_addr',
        limit,
        columns: [
          { field: 'src_addr', title: 'Source', type: 'address', key: true },
          { field: 'dst_addr', title: 'Destination', type: 'address', key: true },
          sum('total_bytes', 'Bytes'),
          sum('total_packets', 'Packets'),
          sum('flows', 'Records'),
        ],
      };
    case 'topRejected':
      return {
        select: ['"srcaddr" AS src_addr', '"dstport" AS dst_port', 'count(*) AS rejected', 'sum("packets") AS total_packets'],
        where: [`"action" = 'REJECT'`],
        groupBy: '"srcaddr", "dstport"',
        orderBy: 'rejected DESC, src_addr, dst_port',
        limit,
        columns: [
          { field: 'src_addr', title: 'Source', type: 'address', key: true },
          { field: 'dst_port', title: 'Port tried', type: 'port', key: true },
          sum('rejected', 'Rejected records'),
          sum('total_packets', 'Packets'),
        ],
      };
    case 'sshRdpFromOutside':
      return {
        select: [
          '"srcaddr" AS src_addr',
          '"dstaddr" AS dst_addr',
          '"dstport" AS dst_port',
          'count(*) AS flows',
          'sum("bytes") AS total_bytes',
        ],
        where: [
          `"action" = 'ACCEPT'`,
          '"dstport" IN (22, 3389)',
          present('srcaddr'),
          `NOT regexp_like("srcaddr", ${sqlString(PRIVATE_V4)})`,
        ],
        groupBy: '"srcaddr", "dstaddr", "dstport"',
        orderBy: 'flows DESC, src_addr, dst_addr, dst_port',
        limit,
        columns: [
          { field: 'src_addr', title: 'Source', type: 'address', key: true },
          { field: 'dst_addr', title: 'Destination', type: 'address', key: true },
          { field: 'dst_port', title: 'Port', type: 'port', key: true },
          sum('flows', 'Records'),
          sum('total_bytes', 'Bytes'),
        ],
      };
    case 'topDstPorts':
      return {
        select: [
          '"dstport" AS dst_port',
          '"protocol" AS protocol',
          'count(*) AS flows',
          'sum("bytes") AS total_bytes',
          'sum("packets") AS total_packets',
        ],
        where: ['"dstport" IS NOT NULL'],
        groupBy: '"dstport", "protocol"',
        orderBy: 'flows DESC, dst_port, protocol',
        limit,
        columns: [
          { field: 'dst_port', title: 'Port', type: 'port', key: true },
          { field: 'protocol', title: 'Protocol', type: 'number', key: true },
          sum('flows', 'Records'),
          sum('total_bytes', 'Bytes'),
          sum('total_packets', 'Packets'),
        ],
      };
    case 'perInterface':
      return {
        select: ['"interface_id" AS interface_id', 'sum("bytes") AS total_bytes', 'sum("packets") AS total_packets', 'count(*) AS flows'],
        where: [],
        groupBy: '"interface_id"',
        orderBy: 'total_bytes DESC NULLS LAST, interface_id',
        limit,
        columns: [
          { field: 'interface_id', title: 'Interface', type: 'text', key: true },
          sum('total_bytes', 'Bytes'),
          sum('total_packets', 'Packets'),
          sum('flows', 'Records'),
        ],
      };
    case 'trafficOverTime': {
      const bin = binFor(request.endTime - request.startTime);
      return {
        // "start" - "start" % n: the same integer arithmetic in Trino and any other engine.
        select: [
          `"start" - "start" % ${bin.seconds} AS bin_start`,
          'sum("bytes") AS total_bytes',
          'sum("packets") AS total_packets',
          'count(*) AS flows',
        ],
        where: [],
        groupBy: '1',
        orderBy: 'bin_start',
        limit: MAX_LIMIT,
        columns: [
          { field: 'bin_start', title: 'Time', type: 'time', key: true },
          sum('total_bytes', 'Bytes'),
          sum('total_packets', 'Packets'),
          sum('flows', 'Records'),
        ],
        binSeconds: bin.seconds,
      };
    }
    case 'noDataSkipData':
      return {
        select: ['"start" - "start" % 3600 AS bin_start', '"log_status" AS log_status', 'count(*) AS records'],
        where: [`"log_status" IN ('NODATA', 'SKIPDATA')`],
        groupBy: '1, 2',
        orderBy: 'bin_start, log_status',
        limit: MAX_LIMIT,
        columns: [
          { field: 'bin_start', title: 'Hour', type: 'time', key: true },
          { field: 'log_status', title: 'Log status', type: 'text', key: true },
          sum('records', 'Records'),
        ],
        binSeconds: 3600,
      };
    case 'recordsOfAddress': {
      const address = typeof request.address === 'string' ? request.address.trim() : '';
      if (!isIpAddress(address)) throw new AthenaQueryError(`Records of one address needs an IP address, not "${clip(address)}"`);
      const wanted = ['srcaddr', 'srcport', 'dstaddr', 'dstport', 'protocol', 'packets', 'bytes', 'action', 'log-status', 'interface-id'];
      const have = new Map(table.columns.map((c) => [c.field, c]));
      const shown = wanted.filter((f) => have.has(f)).map((f) => have.get(f)!);
      const types: Record<string, ColumnType> = {
        srcaddr: 'address',
        dstaddr: 'address',
        srcport: 'port',
        dstport: 'port',
        protocol: 'number',
        packets: 'number',
        bytes: 'number',
      };
      const literal = sqlString(address);
      return {
        select: ['"start" AS start_time', ...shown.map((c) => `"${c.name}" AS ${c.name}`)],
        where: [`("srcaddr" = ${literal} OR "dstaddr" = ${literal})`],
        orderBy: `start_time DESC${shown.map((c) => `, ${c.name}`).join('')}`,
        limit,
        columns: [
          { field: 'start_time', title: 'Time', type: 'time' },
          ...shown.map((c) => ({ field: c.name, title: c.field, type: types[c.field] ?? 'text' })),
        ],
      };
    }
  }
}
