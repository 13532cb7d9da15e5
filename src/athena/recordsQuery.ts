// The records panel's query as Athena SQL (issue 25, item 4): the flow log's own columns, in its
// LogFormat's order, over the range as partition predicates and a predicate on `start`, with the
// panel's field filters translated where SQL can say them exactly. A filter SQL cannot say exactly
// (an IPv6 block, a number filter on a text column) is left out of the SQL and applied by the AWS
// worker to the rows Athena answers; then the SQL has no LIMIT (the worker stops at the cap), so
// the records are the same as the objects would give. Pure: never imports vscode.
import { compileFilter, EITHER_ADDRESS, type FieldFilter } from '../shared/recordsFilters';
import type { RecordLayout } from '../shared/recordsFields';
import { AthenaQueryError, cidrPattern, sqlIdentifier, sqlString, timePredicate } from './queries';
import { partitionRange, type AthenaColumn, type TableSpec } from './table';

export interface RecordsSqlRequest {
  startMs: number;
  endMs: number;
  filters: readonly FieldFilter[];
  /** Records wanted at most (flowLogs.records.maxRecords). */
  limit: number;
}

export interface FilterSql {
  filter: FieldFilter;
  /** The condition, when SQL says the filter exactly; undefined: applied by the worker only. */
  sql?: string;
  /** Why it is not in the SQL. */
  note?: string;
}

export interface RecordsSql {
  sql: string;
  /** The SELECT's columns: the LogFormat fields, in order (the rows' values in this order). */
  fields: string[];
  filters: FilterSql[];
  /** Every filter is in the SQL: LIMIT applies. Otherwise the worker filters and stops at the cap. */
  exact: boolean;
  partitions: { first: string; last: string };
}

const MAX_RANGE_MS = 400 * 86_400_000;
const NUMERIC = new Set(['int', 'bigint']);

/** A LIKE pattern of a glob ("*" any text): %, _ and \ escaped with ESCAPE '\'. */
export function likePattern(glob: string): string {
  return sqlString(glob.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%'));
}

function columnOf(table: Pick<TableSpec, 'columns'>, field: string): AthenaColumn | undefined {
  return table.columns.find((c) => c.field === field);
}

/** The condition "field `column` matches the filter's values" (not negated), or why SQL cannot say it. */
function hitSql(column: AthenaColumn, compiled: Exclude<ReturnType<typeof compileFilter>, string>): string | { note: string } {
  const id = sqlIdentifier(column.name);
  if (compiled.kind === 'num') {
    if (!NUMERIC.has(column.type)) return { note: `${column.field} is text in the table: checked by the AWS worker` };
    const parts: string[] = [];
    for (const r of compiled.ranges) {
      const lo = Number.isFinite(r.min) ? r.min : undefined;
      const hi = Number.isFinite(r.max) ? r.max : undefined;
      if ((lo !== undefined && !Number.isSafeInteger(lo)) || (hi !== undefined && !Number.isSafeInteger(hi)))
        return { note: 'a number this large is checked by the AWS worker' };
      if (lo !== undefined && hi !== undefined) parts.push(lo === hi ? `${id} = ${lo}` : `${id} BETWEEN ${lo} AND ${hi}`);
      else if (lo !== undefined) parts.push(`${id} >= ${lo}`);
      else if (hi !== undefined) parts.push(`${id} <= ${hi}`);
      else parts.push('true');
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }
  if (column.type !== 'string') return { note: `${column.field} is a number in the table: checked by the AWS worker` };
  // A missing value reads as "-" in both paths (the S3 reader writes "-" for a Parquet null).
  const value = `COALESCE(${id}, '-')`;
  const parts: string[] = [];
  for (const item of compiled.items) {
    if ('cidr' in item) {
      const { cidr } = item;
      if (cidr.v6) return { note: 'IPv6 blocks are checked by the AWS worker' };
      const base = [0, 1, 2, 3].map((i) => Number((cidr.base >> BigInt(24 - 8 * i)) & 255n)).join('.');
      parts.push(`regexp_like(${value}, ${sqlString(cidrPattern(`${base}/${cidr.prefix}`))})`);
    } else {
      if (/[\u0000-\u001f\u007f]/.test(item.text)) return { note: 'values with control characters are checked by the AWS worker' };
      parts.push(`${value} LIKE ${likePattern(item.text)} ESCAPE '\\'`);
    }
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** One panel filter as SQL, as recordPredicate reads it; undefined sql when SQL cannot say it exactly. */
export function filterSql(table: Pick<TableSpec, 'columns'>, layout: RecordLayout, filter: FieldFilter): FilterSql {
  const compiled = compileFilter(layout, filter);
  if (typeof compiled === 'string') throw new AthenaQueryError(compiled);
  const fields = filter.field === EITHER_ADDRESS ? ['srcaddr', 'dstaddr'].filter((f) => f in layout.index) : [filter.field];
  const conditions: string[] = [];
  for (const field of fields) {
    const column = columnOf(table, field);
    if (!column) return { filter, note: `the table has no column for ${field}: checked by the AWS worker` };
    const hit = hitSql(column, compiled);
    if (typeof hit !== 'string') return { filter, note: hit.note };
    // A number condition never matches a missing value, negated or not (recordsFilters.ts).
    const id = sqlIdentifier(column.name);
    if (compiled.kind === 'num') conditions.push(compiled.negate ? `(${id} IS NOT NULL AND NOT ${hit})` : `(${id} IS NOT NULL AND ${hit})`);
    else conditions.push(compiled.negate ? `NOT ${hit}` : hit);
  }
  // Either address: one of them matches; negated: neither does (recordPredicate's every / some).
  const sql = conditions.length === 1 ? conditions[0] : `(${conditions.join(compiled.negate ? ' AND ' : ' OR ')})`;
  return { filter, sql };
}

/** The SELECT of the panel's records; throws AthenaQueryError for input it refuses. */
export function buildRecordsQuery(table: TableSpec, layout: RecordLayout, request: RecordsSqlRequest): RecordsSql {
  const { startMs, endMs } = request;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new AthenaQueryError('The time range needs a start and an end');
  if (endMs <= startMs) throw new AthenaQueryError('The time range ends before it starts');
  if (endMs - startMs > MAX_RANGE_MS) throw new AthenaQueryError('The time range is longer than 400 days');
  if (!columnOf(table, 'start'))
    throw new AthenaQueryError("This flow log's format has no start field: Athena cannot choose its records by time");
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 1_000_000)
    throw new AthenaQueryError('The record limit must be a whole number from 1 to 1,000,000');
  if (request.filters.length > 50) throw new AthenaQueryError('At most 50 field filters');
  const filters = request.filters.map((f) => filterSql(table, layout, f));
  const exact = filters.every((f) => f.sql !== undefined);
  const where = [timePredicate(table, startMs, endMs), ...filters.flatMap((f) => (f.sql ? [f.sql] : []))];
  const sql = [
    `SELECT ${table.columns.map((c) => sqlIdentifier(c.name)).join(', ')}`,
    `FROM "${table.database}"."${table.table}"`,
    `WHERE ${where.join('\n  AND ')}`,
    // Newest first, as the object path reads the range.
    `ORDER BY "start" DESC`,
    ...(exact ? [`LIMIT ${request.limit}`] : []),
  ].join('\n');
  return {
    sql,
    fields: table.columns.map((c) => c.field),
    filters,
    exact,
    partitions: partitionRange(table.location.perHour, startMs, endMs),
  };
}
