// Runs a parsed Logs Insights query over log events, as CloudWatch Logs Insights answers it:
// @timestamp, @message, @logStream, @log and @ptr on every event; for default-format flow log
// records the fields Insights discovers itself (version ... logStatus); values of parsed or
// discovered fields are text that compares as a number next to a number. Node built-ins only.
import { Buffer } from 'node:buffer';
import { parseQuery, type Command, type Expr } from './language';

export interface InsightsEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
  logStreamName: string;
  logGroupName: string;
  accountId: string;
  ingestionTime?: number;
}

/** A time value (@timestamp, bin()): shown as "YYYY-MM-DD HH:MM:SS.sss". */
export class TimeValue {
  constructor(readonly ms: number) {}
}
export type Value = string | number | boolean | TimeValue | null;
type Row = Map<string, Value>;

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface QueryAnswer {
  results: { field: string; value: string }[][];
  statistics: QueryStatistics;
}

/**
 * The field names Insights discovers in default-format VPC flow log records, in the record's order.
 * AWS documents them (CloudWatch Logs User Guide, "Supported logs and discovered fields", Amazon VPC
 * flow logs) as @timestamp, @logStream, @message, accountId, endTime, interfaceId, logStatus,
 * startTime, version, action, bytes, dstAddr, dstPort, packets, protocol, srcAddr, srcPort: the
 * record's start and end are startTime and endTime; no field is named start or end, and a query
 * naming one finds it empty (Insights does not refuse an unknown field, it has no value).
 */
export const DISCOVERED_FLOW_LOG_FIELDS = [
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

/** The default-format fields of a record, or undefined when the message is not one. */
export function discoverFlowLogFields(message: string): string[] | undefined {
  const parts = message.split(' ');
  if (parts.length !== DISCOVERED_FLOW_LOG_FIELDS.length || !/^\d+$/.test(parts[0])) return undefined;
  if (!['ACCEPT', 'REJECT', '-'].includes(parts[12]) || !['OK', 'NODATA', 'SKIPDATA'].includes(parts[13])) return undefined;
  return parts;
}

export const MAX_RESULTS = 10_000;

/** Parses and runs a query; throws MalformedQueryError for a query it cannot run. */
export function runQuery(queryString: string, events: Iterable<InsightsEvent>, limit = MAX_RESULTS): QueryAnswer {
  const commands = parseQuery(queryString);
  return execute(commands, events, limit);
}

export function execute(commands: Command[], events: Iterable<InsightsEvent>, limit = MAX_RESULTS): QueryAnswer {
  const statistics: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  let projection: string[] | undefined;
  let aggregated = false;
  let matchedCounted = false;
  let cut = Math.min(limit, MAX_RESULTS);
  // Commands up to the first stats / sort / limit work one event at a time: events stream
  // through them (a million records never sit in memory as rows); a first stats accumulates as
  // they pass.
  let first = commands.findIndex((c) => c.type === 'stats' || c.type === 'sort' || c.type === 'limit');
  if (first < 0) first = commands.length;
  const streaming = commands.slice(0, first);
  const firstStats = commands[first]?.type === 'stats' ? (commands[first] as Extract<Command, { type: 'stats' }>) : undefined;
  const accumulator = firstStats ? new StatsAccumulator(firstStats) : undefined;
  let rows: Row[] = [];
  let index = 0;
  let passed = 0;
  for (const event of events) {
    statistics.recordsScanned++;
    statistics.bytesScanned += Buffer.byteLength(event.message, 'utf8') + 26;
    const row = eventRow(event, index++);
    if (!streaming.every((c) => applyToRow(c, row))) continue;
    passed++;
    if (accumulator) accumulator.add(row);
    else rows.push(row);
  }
  for (const c of streaming) projection = nextProjection(c, projection);
  if (accumulator && firstStats) {
    statistics.recordsMatched = passed;
    matchedCounted = true;
    rows = accumulator.rows();
    projection = [...firstStats.by.map((k) => k.name), ...firstStats.aggregates.map((a) => a.name)];
    aggregated = true;
  }
  const rest = commands.slice(accumulator ? first + 1 : first);

  for (const command of rest) {
    switch (command.type) {
      case 'parse':
        for (const row of rows) {
          const text = row.get(command.source);
          if (text === null || text === undefined) continue;
          const m = command.regex.exec(valueText(text));
          if (!m) continue;
          if (m.groups) for (const name of command.names) row.set(name, m.groups[name] ?? null);
          else command.names.forEach((name, i) => row.set(name, m[i + 1] ?? null));
        }
        break;
      case 'fields':
        for (const row of rows)
          for (const item of command.items)
            if (item.expr.type !== 'field' || item.name !== item.expr.name) row.set(item.name, evaluate(item.expr, row));
        projection = [...(projection ?? []), ...command.items.map((i) => i.name).filter((n) => !(projection ?? []).includes(n))];
        break;
      case 'display':
        projection = command.names;
        break;
      case 'filter':
        rows = rows.filter((row) => truthy(evaluate(command.expr, row)));
        break;
      case 'stats': {
        if (!matchedCounted) {
          statistics.recordsMatched = rows.length;
          matchedCounted = true;
        }
        rows = stats(command, rows);
        projection = [...command.by.map((k) => k.name), ...command.aggregates.map((a) => a.name)];
        aggregated = true;
        break;
      }
      case 'sort': {
        const decorated = rows.map((row, i) => ({ row, i, keys: command.keys.map((k) => evaluate(k.expr, row)) }));
        decorated.sort((a, b) => {
          for (let k = 0; k < command.keys.length; k++) {
            const x = a.keys[k];
            const y = b.keys[k];
            // Events without the field come last in either direction.
            if ((x === null) !== (y === null)) return x === null ? 1 : -1;
            const c = naturalCompare(x, y);
            if (c !== 0) return command.keys[k].desc ? -c : c;
          }
          return a.i - b.i;
        });
        rows = decorated.map((d) => d.row);
        break;
      }
      case 'limit':
        rows = rows.slice(0, command.count);
        cut = Math.min(cut, command.count);
        break;
    }
  }
  if (!matchedCounted) statistics.recordsMatched = rows.length;
  rows = rows.slice(0, cut);
  const shown = projection ?? ['@timestamp', '@message'];
  const results = rows.map((row) => {
    const fields: { field: string; value: string }[] = [];
    for (const name of shown) {
      const v = row.get(name);
      if (v !== null && v !== undefined) fields.push({ field: name, value: valueText(v) });
    }
    if (!aggregated) fields.push({ field: '@ptr', value: String(row.get('@ptr')) });
    return fields;
  });
  return { results, statistics };
}

/** A per-event command applied to one row; false when the row is filtered out. */
function applyToRow(command: Command, row: Row): boolean {
  switch (command.type) {
    case 'parse': {
      const text = row.get(command.source);
      if (text === null || text === undefined) return true;
      const m = command.regex.exec(valueText(text));
      if (!m) return true;
      if (m.groups) for (const name of command.names) row.set(name, m.groups[name] ?? null);
      else command.names.forEach((name, i) => row.set(name, m[i + 1] ?? null));
      return true;
    }
    case 'fields':
      for (const item of command.items)
        if (item.expr.type !== 'field' || item.name !== item.expr.name) row.set(item.name, evaluate(item.expr, row));
      return true;
    case 'filter':
      return truthy(evaluate(command.expr, row));
    default:
      return true;
  }
}

function nextProjection(command: Command, projection: string[] | undefined): string[] | undefined {
  if (command.type === 'fields')
    return [...(projection ?? []), ...command.items.map((i) => i.name).filter((n) => !(projection ?? []).includes(n))];
  if (command.type === 'display') return command.names;
  return projection;
}

function eventRow(event: InsightsEvent, index: number): Row {
  const row: Row = new Map<string, Value>([
    ['@timestamp', new TimeValue(event.timestamp)],
    ['@message', event.message],
    ['@logStream', event.logStreamName],
    ['@log', `${event.accountId}:${event.logGroupName}`],
    ['@ingestionTime', new TimeValue(event.ingestionTime ?? event.timestamp)],
    ['@ptr', Buffer.from(`${event.logGroupName}\u0000${event.logStreamName}\u0000${index}`).toString('base64')],
  ]);
  const discovered = discoverFlowLogFields(event.message);
  if (discovered) DISCOVERED_FLOW_LOG_FIELDS.forEach((name, i) => row.set(name, discovered[i]));
  return row;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function valueText(v: Value): string {
  if (v instanceof TimeValue) return formatTime(v.ms);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof TimeValue) return v.ms;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function truthy(v: Value): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return true;
}

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return false;
  const na = toNumber(a);
  const nb = toNumber(b);
  if ((typeof a === 'number' || typeof b === 'number') && na !== undefined && nb !== undefined) return na === nb;
  return valueText(a) === valueText(b);
}

function compare(a: Value, b: Value): number | undefined {
  if (a === null || b === null || a === undefined || b === undefined) return undefined;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  const sa = valueText(a);
  const sb = valueText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Insights' sort order: non-numbers before numbers; numbers by value; text in natural order. */
export function naturalCompare(a: Value, b: Value): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull && bNull ? 0 : aNull ? 1 : -1;
  const na = a instanceof TimeValue ? a.ms : toNumber(a);
  const nb = b instanceof TimeValue ? b.ms : toNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (na !== undefined) return 1;
  if (nb !== undefined) return -1;
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const ca = chunks(valueText(a));
  const cb = chunks(valueText(b));
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) return x.length !== y.length ? x.length - y.length : x < y ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

function ipv4ToInt(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function isIpv4InSubnet(address: string, cidr: string): boolean {
  const m = /^(.+)\/(\d{1,2})$/.exec(cidr);
  const ip = ipv4ToInt(address);
  const net = m ? ipv4ToInt(m[1]) : undefined;
  if (ip === undefined || net === undefined || !m || Number(m[2]) > 32) return false;
  const bits = Number(m[2]);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip & mask) >>> 0 === (net & mask) >>> 0;
}

function evaluate(expr: Expr, row: Row): Value {
  switch (expr.type) {
    case 'field':
      return row.get(expr.name) ?? null;
    case 'literal':
      return expr.value;
    case 'list':
    case 'regex':
      return null;
    case 'unary': {
      const v = evaluate(expr.arg, row);
      if (expr.op === 'not') return !truthy(v);
      const n = toNumber(v);
      return n === undefined ? null : -n;
    }
    case 'call': {
      const args = expr.args.map((a) => evaluate(a, row));
      switch (expr.name) {
        case 'isipv4insubnet':
          return args[0] !== null && args[1] !== null && isIpv4InSubnet(valueText(args[0]), valueText(args[1]));
        case 'ispresent':
          return args[0] !== null;
        case 'isempty':
          return args[0] === null || valueText(args[0]) === '';
        case 'tonumber':
          return toNumber(args[0]) ?? null;
        case 'strlen':
          return args[0] === null ? null : valueText(args[0]).length;
        case 'tolower':
          return args[0] === null ? null : valueText(args[0]).toLowerCase();
        case 'toupper':
          return args[0] === null ? null : valueText(args[0]).toUpperCase();
        default: {
          const n = toNumber(args[0]);
          if (n === undefined) return null;
          return expr.name === 'abs' ? Math.abs(n) : expr.name === 'floor' ? Math.floor(n) : Math.ceil(n);
        }
      }
    }
    case 'binary': {
      if (expr.op === 'and') return truthy(evaluate(expr.left, row)) && truthy(evaluate(expr.right, row));
      if (expr.op === 'or') return truthy(evaluate(expr.left, row)) || truthy(evaluate(expr.right, row));
      const left = evaluate(expr.left, row);
      if (expr.op === 'in') {
        const items = expr.right.type === 'list' ? expr.right.items : [];
        return items.some((item) => equal(left, evaluate(item, row)));
      }
      if (expr.op === 'like') {
        if (left === null) return false;
        const text = valueText(left);
        return expr.right.type === 'regex' ? expr.right.regex.test(text) : text.includes(valueText(evaluate(expr.right, row) ?? ''));
      }
      const right = evaluate(expr.right, row);
      switch (expr.op) {
        case '=':
          return equal(left, right);
        case '!=':
          return left !== null && right !== null && !equal(left, right);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const c = compare(left, right);
          if (c === undefined) return false;
          return expr.op === '<' ? c < 0 : expr.op === '<=' ? c <= 0 : expr.op === '>' ? c > 0 : c >= 0;
        }
        default: {
          const a = toNumber(left);
          const b = toNumber(right);
          if (a === undefined || b === undefined) return null;
          if (expr.op === '+') return a + b;
          if (expr.op === '-') return a - b;
          if (expr.op === '*') return a * b;
          if (b === 0) return null;
          return expr.op === '/' ? a / b : a % b;
        }
      }
    }
  }
}

interface Accumulator {
  count: number;
  sum: number;
  numbers: number;
  min: Value;
  max: Value;
  distinct?: Set<string>;
}

function stats(command: Extract<Command, { type: 'stats' }>, rows: Row[]): Row[] {
  const acc = new StatsAccumulator(command);
  for (const row of rows) acc.add(row);
  return acc.rows();
}

class StatsAccumulator {
  private readonly groups = new Map<string, { keys: Value[]; acc: Accumulator[] }>();
  constructor(private readonly command: Extract<Command, { type: 'stats' }>) {}

  add(row: Row): void {
    const command = this.command;
    const keys = command.by.map((k): Value => {
      if (k.binSeconds !== undefined) {
        const t = row.get('@timestamp');
        if (!(t instanceof TimeValue)) return null;
        const width = k.binSeconds * 1000;
        return new TimeValue(Math.floor(t.ms / width) * width);
      }
      return evaluate(k.expr!, row);
    });
    const id = JSON.stringify(keys.map((v) => (v instanceof TimeValue ? `t${v.ms}` : v)));
    let group = this.groups.get(id);
    if (!group) {
      group = {
        keys,
        acc: command.aggregates.map((a) => ({
          count: 0,
          sum: 0,
          numbers: 0,
          min: null,
          max: null,
          distinct: a.fn === 'count_distinct' ? new Set<string>() : undefined,
        })),
      };
      this.groups.set(id, group);
    }
    command.aggregates.forEach((agg, i) => {
      const acc = group!.acc[i];
      if (agg.fn === 'count' && agg.arg === undefined) {
        acc.count++;
        return;
      }
      const v = evaluate(agg.arg!, row);
      if (v === null || v === undefined) return;
      acc.count++;
      acc.distinct?.add(valueText(v));
      const n = toNumber(v);
      if (n !== undefined && !(v instanceof TimeValue)) {
        acc.sum += n;
        acc.numbers++;
      }
      if (acc.min === null || naturalCompare(v, acc.min) < 0) acc.min = v;
      if (acc.max === null || naturalCompare(v, acc.max) > 0) acc.max = v;
    });
  }

  rows(): Row[] {
    const command = this.command;
    const groups = this.groups;
    // A stats with no `by` over no records still answers one row (count 0), as Insights does.
    if (groups.size === 0 && command.by.length === 0) {
      groups.set('[]', {
        keys: [],
        acc: command.aggregates.map(() => ({ count: 0, sum: 0, numbers: 0, min: null, max: null, distinct: new Set<string>() })),
      });
    }
    const out: Row[] = [];
    for (const { keys, acc } of groups.values()) {
      const row: Row = new Map();
      command.by.forEach((k, i) => row.set(k.name, keys[i]));
      command.aggregates.forEach((agg, i) => {
        const a = acc[i];
        const value: Value =
          agg.fn === 'count'
            ? a.count
            : agg.fn === 'count_distinct'
              ? a.distinct!.size
              : agg.fn === 'sum'
                ? a.numbers > 0
                  ? a.sum
                  : null
                : agg.fn === 'avg'
                  ? a.numbers > 0
                    ? a.sum / a.numbers
                    : null
                  : agg.fn === 'min'
                    ? a.min
                    : a.max;
        row.set(agg.name, value);
      });
      out.push(row);
    }
    return out;
  }
}
