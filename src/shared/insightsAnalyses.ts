// The built-in traffic analyses: each is a Logs Insights query generated for a flow log's format,
// with a time range, field filters and a result limit. Pure: never imports vscode.
import { truncate } from './text';
import { parseAddress, parseCidr } from './ipAddresses';
import { formatFields, insightsFieldName, type FormatFields } from './insightsFields';

export type AnalysisId =
  | 'topTalkers'
  | 'topRejected'
  | 'sshRdpFromOutside'
  | 'topDstPorts'
  | 'perInterface'
  | 'trafficOverTime'
  | 'noDataSkipData'
  | 'recordsOfAddress';

// The page draws columns and charts by these (one definition, in the page's protocol).
import type { ChartKind, ColumnType } from '../webviews/insights/protocol';
export type { ChartKind, ColumnType };

export interface ColumnSpec {
  /** The field name in the results. */
  readonly field: string;
  readonly title: string;
  readonly type: ColumnType;
  /** A group key of the stats (merging several queries' answers adds rows with equal keys). */
  readonly key?: boolean;
  /** How the values of rows with equal keys combine when answers are merged. */
  readonly merge?: 'sum' | 'min' | 'max';
}

export interface AnalysisDefinition {
  readonly id: AnalysisId;
  readonly title: string;
  readonly description: string;
  /** Record fields the query needs. */
  readonly needs: readonly string[];
  readonly chart: ChartKind;
  /** Needs an address parameter. */
  readonly needsAddress?: boolean;
}

/** What an analysis's query is made of: the format's fields, the request, the row limit. */
interface ShapeInput {
  readonly fields: FormatFields;
  readonly request: AnalysisRequest;
  readonly limit: number;
}

/** The query's own lines (after the format's parse and the filters), its columns, its time bin. */
interface QueryShape {
  lines: string[];
  columns: ColumnSpec[];
  binSeconds?: number;
}

/** An analysis: what it is (the definition every picker shows) and the query it sends. */
interface AnalysisEntry extends AnalysisDefinition {
  shape(input: ShapeInput): QueryShape;
}

const sum = (field: string, title: string): ColumnSpec => ({ field, title, type: 'number', merge: 'sum' });

/** The analyses, each defined once: its words, the fields it needs, its chart and its query. */
export const ANALYSES: readonly AnalysisEntry[] = [
  {
    id: 'topTalkers',
    title: 'Top talkers',
    description: 'Bytes and packets by source → destination',
    needs: ['srcAddr', 'dstAddr', 'bytes', 'packets'],
    chart: 'bars',
    shape: ({ limit }) => ({
      // NODATA / SKIPDATA records have "-" for addresses: they are no talkers.
      lines: [
        'filter srcAddr != "-"',
        'stats sum(bytes) as totalBytes, sum(packets) as totalPackets, count(*) as flows by srcAddr, dstAddr',
        'sort totalBytes desc',
        `limit ${limit}`,
      ],
      columns: [
        { field: 'srcAddr', title: 'Source', type: 'address', key: true },
        { field: 'dstAddr', title: 'Destination', type: 'address', key: true },
        sum('totalBytes', 'Bytes'),
        sum('totalPackets', 'Packets'),
        sum('flows', 'Records'),
      ],
    }),
  },
  {
    id: 'topRejected',
    title: 'Top rejected sources',
    description: 'Rejected flows by source and the destination ports it tried',
    needs: ['srcAddr', 'dstPort', 'action', 'packets'],
    chart: 'bars',
    shape: ({ limit }) => ({
      lines: [
        'filter action = "REJECT"',
        'stats count(*) as rejected, sum(packets) as totalPackets by srcAddr, dstPort',
        'sort rejected desc',
        `limit ${limit}`,
      ],
      columns: [
        { field: 'srcAddr', title: 'Source', type: 'address', key: true },
        { field: 'dstPort', title: 'Port tried', type: 'port', key: true },
        sum('rejected', 'Rejected records'),
        sum('totalPackets', 'Packets'),
      ],
    }),
  },
  {
    id: 'sshRdpFromOutside',
    title: 'SSH / RDP from outside',
    description: 'Accepted traffic to ports 22 and 3389 from outside the private IPv4 ranges',
    needs: ['srcAddr', 'dstAddr', 'dstPort', 'action', 'bytes'],
    chart: 'bars',
    shape: ({ limit }) => ({
      lines: [
        'filter action = "ACCEPT" and dstPort in [22, 3389]',
        `filter ${PRIVATE_V4.map((c) => `not isIpv4InSubnet(srcAddr, "${c}")`).join(' and ')}`,
        'stats count(*) as flows, sum(bytes) as totalBytes by srcAddr, dstAddr, dstPort',
        'sort flows desc',
        `limit ${limit}`,
      ],
      columns: [
        { field: 'srcAddr', title: 'Source', type: 'address', key: true },
        { field: 'dstAddr', title: 'Destination', type: 'address', key: true },
        { field: 'dstPort', title: 'Port', type: 'port', key: true },
        sum('flows', 'Records'),
        sum('totalBytes', 'Bytes'),
      ],
    }),
  },
  {
    id: 'topDstPorts',
    title: 'Top destination ports',
    description: 'Flows, bytes and packets by destination port and protocol',
    needs: ['dstPort', 'protocol', 'bytes', 'packets'],
    chart: 'bars',
    shape: ({ limit }) => ({
      lines: [
        'filter dstPort != "-"',
        'stats count(*) as flows, sum(bytes) as totalBytes, sum(packets) as totalPackets by dstPort, protocol',
        'sort flows desc',
        `limit ${limit}`,
      ],
      columns: [
        { field: 'dstPort', title: 'Port', type: 'port', key: true },
        { field: 'protocol', title: 'Protocol', type: 'number', key: true },
        sum('flows', 'Records'),
        sum('totalBytes', 'Bytes'),
        sum('totalPackets', 'Packets'),
      ],
    }),
  },
  {
    id: 'perInterface',
    title: 'Traffic per interface',
    description: 'Bytes, packets and flows by network interface',
    needs: ['interfaceId', 'bytes', 'packets'],
    chart: 'bars',
    shape: ({ limit }) => ({
      lines: [
        'stats sum(bytes) as totalBytes, sum(packets) as totalPackets, count(*) as flows by interfaceId',
        'sort totalBytes desc',
        `limit ${limit}`,
      ],
      columns: [
        { field: 'interfaceId', title: 'Interface', type: 'text', key: true },
        sum('totalBytes', 'Bytes'),
        sum('totalPackets', 'Packets'),
        sum('flows', 'Records'),
      ],
    }),
  },
  {
    id: 'trafficOverTime',
    title: 'Traffic over time',
    description: 'Bytes and packets per time bin',
    needs: ['bytes', 'packets'],
    chart: 'timeSeries',
    shape: ({ request }) => {
      const bin = binFor(request.endTime - request.startTime);
      const column = `bin(${bin.text})`;
      return {
        // Bins come back in no set order; the answer is sorted by time when it is read. Every bin
        // is wanted, so the limit is the most Insights returns rather than the row limit.
        lines: [`stats sum(bytes) as totalBytes, sum(packets) as totalPackets, count(*) as flows by ${column}`, `limit ${MAX_LIMIT}`],
        columns: [
          { field: column, title: 'Time', type: 'time', key: true },
          sum('totalBytes', 'Bytes'),
          sum('totalPackets', 'Packets'),
          sum('flows', 'Records'),
        ],
        binSeconds: bin.seconds,
      };
    },
  },
  {
    id: 'noDataSkipData',
    title: 'NODATA / SKIPDATA per hour',
    description: 'Records with log status NODATA or SKIPDATA, per hour',
    needs: ['logStatus'],
    chart: 'timeSeries',
    shape: () => ({
      lines: ['filter logStatus in ["NODATA", "SKIPDATA"]', 'stats count(*) as records by bin(1h), logStatus', `limit ${MAX_LIMIT}`],
      columns: [
        { field: 'bin(1h)', title: 'Hour', type: 'time', key: true },
        { field: 'logStatus', title: 'Log status', type: 'text', key: true },
        sum('records', 'Records'),
      ],
      binSeconds: 3600,
    }),
  },
  {
    id: 'recordsOfAddress',
    title: 'Records of one address',
    description: 'The records with an address as source or destination',
    needs: ['srcAddr', 'dstAddr'],
    chart: 'none',
    needsAddress: true,
    shape: ({ fields, request, limit }) => {
      const address = typeof request.address === 'string' ? request.address.trim() : '';
      if (!isIpAddress(address)) throw new QueryInputError(`Records of one address needs an IP address, not "${clip(address)}"`);
      const wanted = ['srcAddr', 'srcPort', 'dstAddr', 'dstPort', 'protocol', 'packets', 'bytes', 'action', 'logStatus', 'interfaceId'];
      const shown = wanted.filter((f) => fields.fields.includes(f));
      const types: Record<string, ColumnType> = {
        srcAddr: 'address',
        dstAddr: 'address',
        srcPort: 'port',
        dstPort: 'port',
        protocol: 'number',
        packets: 'number',
        bytes: 'number',
      };
      return {
        lines: [
          `filter srcAddr = "${address}" or dstAddr = "${address}"`,
          `fields @timestamp, ${shown.join(', ')}`,
          'sort @timestamp desc',
          `limit ${limit}`,
        ],
        columns: [
          { field: '@timestamp', title: 'Time', type: 'time' },
          ...shown.map((f) => ({ field: f, title: f, type: types[f] ?? 'text' })),
        ],
      };
    },
  },
];

/**
 * The chart an answer's shape allows, as the built-in analyses draw them: a time bin first and a
 * number -> a time series; a label (a key) first and a number -> bars; anything else (log events,
 * no number) -> none. For queries the user wrote, whose columns come from their answer.
 */
export function chartForColumns(columns: readonly ColumnSpec[]): ChartKind {
  const value = columns.some((c) => !c.key && c.type === 'number');
  if (!value || columns.length < 2 || !columns[0].key) return 'none';
  return columns[0].type === 'time' ? 'timeSeries' : 'bars';
}

export function analysisDefinition(id: unknown): AnalysisDefinition | undefined {
  return ANALYSES.find((a) => a.id === id);
}

export interface Availability {
  readonly analysis: AnalysisDefinition;
  readonly available: boolean;
  /** Fields the analysis needs that the format lacks. */
  readonly missing: readonly string[];
}

/** Each analysis, and whether a flow log of this format has the fields it needs. */
export function availableAnalyses(logFormat: string | undefined): Availability[] {
  const fields = formatFields(logFormat);
  const have = new Set(fields.fields);
  return ANALYSES.map((analysis) => {
    const missing = analysis.needs.filter((f) => !have.has(f));
    return { analysis, available: missing.length === 0 && !fields.problem, missing };
  });
}

// ---- Field filters -------------------------------------------------------------------------

/** A filter on one record field: the record matches when the field equals one of the values. */
export interface FieldFilter {
  readonly field: string;
  /** One or more values; for address fields a value may be a CIDR block (IPv4). */
  readonly values: readonly string[];
  /** Match records where the field is none of the values. */
  readonly negate?: boolean;
}

const ADDRESS_FIELDS = new Set(['srcAddr', 'dstAddr', 'pktSrcAddr', 'pktDstAddr']);
const NUMBER_FIELDS = new Set([
  'version',
  'srcPort',
  'dstPort',
  'protocol',
  'packets',
  'bytes',
  'startTime',
  'endTime',
  'tcpFlags',
  'trafficPath',
]);
const ENUMS: Record<string, readonly string[]> = {
  action: ['ACCEPT', 'REJECT'],
  logStatus: ['OK', 'NODATA', 'SKIPDATA'],
  flowDirection: ['ingress', 'egress'],
  type: ['IPv4', 'IPv6', 'EFA'],
};
// Other values (IDs, regions, ARNs): a safe character set, so a value never needs escaping.
const PLAIN = /^[A-Za-z0-9._:/@+-]{1,256}$/;

export class QueryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryInputError';
  }
}

// Addresses and CIDR blocks: the one rule, records/ip.ts (strict IPv6, as the record filters use it).
export function isIpAddress(text: string): boolean {
  return parseAddress(text) !== undefined;
}

function isIpv4Cidr(text: string): boolean {
  return text.includes('/') && parseCidr(text)?.v6 === false;
}

function literal(field: string, value: string): string {
  if (NUMBER_FIELDS.has(field)) {
    if (!/^\d{1,20}$/.test(value)) throw new QueryInputError(`${field} must be a whole number, not "${clip(value)}"`);
    return value;
  }
  if (ADDRESS_FIELDS.has(field)) {
    if (!isIpAddress(value)) throw new QueryInputError(`${field} must be an IP address or an IPv4 CIDR block, not "${clip(value)}"`);
    return `"${value}"`;
  }
  const allowed = ENUMS[field];
  if (allowed && !allowed.includes(value)) throw new QueryInputError(`${field} must be one of ${allowed.join(', ')}, not "${clip(value)}"`);
  if (!PLAIN.test(value)) throw new QueryInputError(`${field}: "${clip(value)}" has characters a flow log field never has`);
  return `"${value}"`;
}

function clip(text: string): string {
  return truncate(String(text), 60);
}

/** One filter as a Logs Insights condition. Values are validated, so none needs escaping. */
export function filterCondition(filter: FieldFilter, have: ReadonlySet<string>): string {
  if (!filter || typeof filter.field !== 'string' || !have.has(filter.field)) {
    throw new QueryInputError(`This flow log's records have no field ${clip(String(filter?.field))}`);
  }
  const values = Array.isArray(filter.values)
    ? filter.values.filter((v) => typeof v === 'string' && v.trim() !== '').map((v) => v.trim())
    : [];
  if (values.length === 0) throw new QueryInputError(`The filter on ${filter.field} has no value`);
  if (values.length > 100) throw new QueryInputError(`The filter on ${filter.field} has more than 100 values`);
  const parts: string[] = [];
  const equal: string[] = [];
  for (const value of values) {
    if (ADDRESS_FIELDS.has(filter.field) && value.includes('/')) {
      if (!isIpv4Cidr(value)) throw new QueryInputError(`${filter.field}: "${clip(value)}" is not an IPv4 CIDR block`);
      parts.push(`isIpv4InSubnet(${filter.field}, "${value}")`);
    } else {
      equal.push(literal(filter.field, value));
    }
  }
  if (equal.length === 1) parts.push(`${filter.field} = ${equal[0]}`);
  else if (equal.length > 1) parts.push(`${filter.field} in [${equal.join(', ')}]`);
  const condition = parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
  return filter.negate ? `not ${condition}` : condition;
}

// ---- The query -----------------------------------------------------------------------------

export interface AnalysisRequest {
  readonly analysis: AnalysisId;
  /** The flow log's LogFormat (undefined: the default format). */
  readonly logFormat?: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly filters?: readonly FieldFilter[];
  /** Rows to return, 1..10000. */
  readonly limit?: number;
  /** For recordsOfAddress. */
  readonly address?: string;
}

export interface BuiltQuery {
  readonly analysis: AnalysisDefinition;
  readonly queryString: string;
  /** Epoch seconds, as StartQuery takes them. */
  readonly startTime: number;
  readonly endTime: number;
  readonly limit: number;
  /** The columns of the answer, in order. */
  readonly columns: readonly ColumnSpec[];
  /** For time series: the bin width in seconds. */
  readonly binSeconds?: number;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
/** Longest time range a query may cover: Insights itself queries any range, but this keeps bins sane. */
const MAX_RANGE_MS = 400 * 86_400_000;

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** A bin width that gives about 60 points over the range, from a list of round widths. */
export function binFor(rangeMs: number): { seconds: number; text: string } {
  const widths: [number, string][] = [
    [60, '1m'],
    [300, '5m'],
    [600, '10m'],
    [900, '15m'],
    [1800, '30m'],
    [3600, '1h'],
    [10800, '3h'],
    [21600, '6h'],
    [43200, '12h'],
    [86400, '1d'],
    [604800, '7d'],
  ];
  const wanted = rangeMs / 1000 / 60;
  for (const [seconds, text] of widths) if (seconds >= wanted) return { seconds, text };
  return { seconds: 604800, text: '7d' };
}

/** The Logs Insights query of an analysis for a flow log's format; throws QueryInputError for bad input. */
export function buildAnalysisQuery(request: AnalysisRequest): BuiltQuery {
  const analysis = ANALYSES.find((a) => a.id === request?.analysis);
  if (!analysis) throw new QueryInputError(`Unknown analysis "${clip(String(request?.analysis))}"`);
  const fields = formatFields(request.logFormat);
  if (fields.problem) throw new QueryInputError(fields.problem);
  const have = new Set(fields.fields);
  const missing = analysis.needs.filter((f) => !have.has(f));
  if (missing.length > 0)
    throw new QueryInputError(`${analysis.title} needs ${missing.join(', ')}, which this flow log's format does not record`);

  const { startTime, endTime } = request;
  if (!Number.isFinite(startTime) || !Number.isFinite(endTime)) throw new QueryInputError('The time range needs a start and an end');
  if (endTime <= startTime) throw new QueryInputError('The time range ends before it starts');
  if (endTime - startTime > MAX_RANGE_MS) throw new QueryInputError('The time range is longer than 400 days');
  const limit = request.limit === undefined ? DEFAULT_LIMIT : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new QueryInputError(`The limit must be a whole number from 1 to ${MAX_LIMIT}`);

  const lines: string[] = [];
  if (fields.parse) lines.push(fields.parse);
  for (const filter of request.filters ?? []) lines.push(`filter ${filterCondition(filter, have)}`);

  const shape = analysis.shape({ fields, request, limit });
  lines.push(...shape.lines);
  return {
    analysis,
    queryString: lines.join('\n| '),
    startTime: Math.floor(startTime / 1000),
    endTime: Math.ceil(endTime / 1000),
    limit,
    columns: shape.columns,
    binSeconds: shape.binSeconds,
  };
}

/**
 * Field filters as typed in the Analyze… input: space-separated `field=value[,value…]`, `!=`
 * negates; field names as Insights has them (srcAddr, dstPort, action…) or as the LogFormat
 * writes them (srcaddr, dst-port…). Values are checked when the query is built.
 */
export function parseFilterText(text: string): FieldFilter[] {
  const out: FieldFilter[] = [];
  for (const part of String(text ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)(!=|=)(.+)$/.exec(part);
    if (!m) throw new QueryInputError(`"${clip(part)}" is not field=value (or field!=value)`);
    const field = /[A-Z]/.test(m[1]) ? m[1] : insightsFieldName(m[1]);
    out.push({ field, values: m[3].split(',').filter(Boolean), ...(m[2] === '!=' ? { negate: true } : {}) });
  }
  if (out.length > 20) throw new QueryInputError('At most 20 field filters');
  return out;
}
