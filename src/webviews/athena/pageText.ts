// The Athena page's pure parts (unit-tested in Node): cell and statistics text, where a syntax
// error's position falls in the SQL, and the chart's data (labels and series; the page adds the
// theme's colours and hands it to Chart.js).
import type { AthenaPageState, AthenaPageStats, ChartKind, PageCell, PageColumn } from './protocol';

const number = new Intl.NumberFormat('en');

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number.isFinite(n) && n > 0 ? n : 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatCost(dollars: number): string {
  const d = Number.isFinite(dollars) && dollars > 0 ? dollars : 0;
  return d === 0 ? '$0' : d < 0.01 ? `$${d.toPrecision(2)}` : `$${d.toFixed(2)}`;
}

export function formatSeconds(ms: number | undefined): string | undefined {
  return ms === undefined || !Number.isFinite(ms) ? undefined : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The statistics as label/value pairs: state, data scanned, engine time, queue time, cost estimate. */
export function statsItems(stats: AthenaPageStats): [string, string][] {
  const items: [string, string][] = [
    ['State', stats.state],
    ['Data scanned', formatBytes(stats.scannedBytes)],
  ];
  const engine = formatSeconds(stats.engineMs);
  if (engine) items.push(['Engine time', engine]);
  const queue = formatSeconds(stats.queueMs);
  if (queue) items.push(['Queued', queue]);
  items.push(['Cost estimate', `${formatCost(stats.costUsd)} ($5 per TB scanned, 10 MB minimum)`]);
  return items;
}

export function cellText(column: PageColumn | undefined, value: PageCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (column?.type === 'time' && typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace('.000Z', 'Z');
  }
  if (column?.type === 'number' && typeof value === 'number') return number.format(value);
  return String(value);
}

export const isNumeric = (column: PageColumn | undefined): boolean => column?.type === 'number' || column?.type === 'port';

/** The SQL cut at a syntax error's (1-based) line and column: text before, the character marked, text after. */
export function splitAtPosition(query: string, position: { line: number; column: number }): [string, string, string] | undefined {
  const lines = query.split('\n');
  const { line, column } = position;
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1 || line > lines.length) return undefined;
  const at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.min(column - 1, lines[line - 1].length);
  return [query.slice(0, at), query.slice(at, at + 1) || ' ', query.slice(at + 1)];
}

export interface ChartSeries {
  readonly label: string;
  readonly data: number[];
}

export interface ChartData {
  readonly type: 'line' | 'bar';
  readonly labels: string[];
  readonly series: ChartSeries[];
}

/** At most this many bars (the largest rows, in the answer's order). */
export const MAX_BARS = 20;

/**
 * The chart of an answer, as the Insights panel draws it: a time series (one line per value of a
 * second key, as NODATA / SKIPDATA, else the first value column over time) or horizontal bars of
 * the first value column labelled by the keys. Undefined when there is nothing to draw.
 */
export function chartData(
  kind: ChartKind,
  columns: readonly PageColumn[] | undefined,
  rows: readonly (readonly PageCell[])[] | undefined,
): ChartData | undefined {
  if (kind === 'none' || !columns || !rows || rows.length === 0) return undefined;
  const value = columns.findIndex((c) => !c.key && c.type === 'number');
  if (value < 0) return undefined;
  const num = (v: PageCell | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  if (kind === 'timeSeries') {
    if (columns[0]?.type !== 'time') return undefined;
    const times = [...new Set(rows.map((r) => r[0]).filter((t): t is number => typeof t === 'number'))].sort((a, b) => a - b);
    const labels = times.map((t) => new Date(t).toISOString().slice(5, 16).replace('T', ' '));
    const seriesKey = columns.findIndex((c, i) => i > 0 && c.key);
    if (seriesKey > 0) {
      const names = [...new Set(rows.map((r) => r[seriesKey]))];
      return {
        type: 'line',
        labels,
        series: names.map((name) => {
          const at = new Map<number, number>();
          for (const r of rows) if (r[seriesKey] === name && typeof r[0] === 'number') at.set(r[0], (at.get(r[0]) ?? 0) + num(r[value]));
          return { label: name === null ? '(none)' : String(name), data: times.map((t) => at.get(t) ?? 0) };
        }),
      };
    }
    const at = new Map<number, number>();
    for (const r of rows) if (typeof r[0] === 'number') at.set(r[0], (at.get(r[0]) ?? 0) + num(r[value]));
    return { type: 'line', labels, series: [{ label: columns[value].title, data: times.map((t) => at.get(t) ?? 0) }] };
  }
  const keys = columns.map((c, i) => (c.key ? i : -1)).filter((i) => i >= 0);
  if (keys.length === 0) return undefined;
  const top = rows.slice(0, MAX_BARS);
  return {
    type: 'bar',
    labels: top.map((r) => keys.map((i) => cellText(columns[i], r[i] ?? null)).join(' → ')),
    series: [{ label: columns[value].title, data: top.map((r) => num(r[value])) }],
  };
}

/** The chart box's height in pixels: fixed for a time series, by the number of bars otherwise. */
export function chartHeight(data: ChartData): number {
  return data.type === 'line' ? 260 : Math.max(120, Math.min(data.labels.length, MAX_BARS) * 22 + 40);
}

/** The line under the table when only part of the answer is shown. */
export function shownText(state: Pick<AthenaPageState, 'rows' | 'total' | 'truncated'>): string | undefined {
  const shown = state.rows?.length ?? 0;
  const total = state.total ?? shown;
  if (shown < total) return `${number.format(shown)} of ${number.format(total)} rows shown`;
  if (state.truncated) return `${number.format(total)} rows read: the answer has more (the panel reads at most ${number.format(total)})`;
  return undefined;
}

/** The order of the answer table: a column (its index) and the direction; undefined is Athena's order. */
export interface TableSort {
  readonly index: number;
  readonly descending: boolean;
}

/** The next order when a column's header is clicked: ascending, then descending, then Athena's order. */
export function nextSort(current: TableSort | undefined, index: number): TableSort | undefined {
  if (!current || current.index !== index) return { index, descending: false };
  return current.descending ? undefined : { index, descending: true };
}

/** The aria-sort of a column's header. */
export function ariaSort(sort: TableSort | undefined, index: number): 'ascending' | 'descending' | 'none' {
  return sort?.index === index ? (sort.descending ? 'descending' : 'ascending') : 'none';
}

/**
 * The rows in a column's order: number, port and time columns as numbers (a value that is not a
 * number first, as nothing), the others as text; equal values keep Athena's order (stable, both
 * directions). Returns a new array; the rows themselves are not copied.
 */
export function sortRows<R extends readonly PageCell[]>(
  columns: readonly PageColumn[],
  rows: readonly R[],
  sort: TableSort | undefined,
): R[] {
  const column = sort ? columns[sort.index] : undefined;
  if (!sort || !column) return [...rows];
  const numeric = isNumeric(column) || column.type === 'time';
  const key = (v: PageCell | undefined): number | string => {
    if (numeric) {
      const n = typeof v === 'number' ? v : v === null || v === undefined || v === '' ? NaN : Number(v);
      return Number.isFinite(n) ? n : -Infinity;
    }
    return v === null || v === undefined ? '' : String(v);
  };
  const keyed = rows.map((row, i) => ({ row, i, k: key(row[sort.index]) }));
  const sign = sort.descending ? -1 : 1;
  keyed.sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.i - b.i));
  return keyed.map((x) => x.row);
}
