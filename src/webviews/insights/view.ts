// The analysis page's pure parts (unit-tested in Node): how a value reads, the status line, the
// table's order and the chart's data. The DOM and Chart.js are main.ts's.
import type { AnalysisViewState, PageCell, PageColumn } from './protocol';

const number = new Intl.NumberFormat('en');

/** 1536 → "1.5 KB". */
export function bytesText(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A cell as the table shows it: times in UTC, numbers grouped, the rest as text. */
export function cellText(column: PageColumn | undefined, value: PageCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (column?.type === 'time') return new Date(value).toISOString().replace('T', ' ').replace('.000Z', 'Z');
  if (column?.type === 'number' && typeof value === 'number') return number.format(value);
  return String(value);
}

/** "1,200 records scanned, 30 matched, 1.5 MB scanned". */
export function statisticsText(s: AnalysisViewState['statistics'] | undefined): string {
  const st = s ?? {};
  return `${number.format(st.recordsScanned || 0)} records scanned, ${number.format(st.recordsMatched || 0)} matched, ${bytesText(st.bytesScanned || 0)} scanned`;
}

/** The status line and its class: running, ok, warn or error. */
export function statusLine(state: AnalysisViewState): { text: string; className: string } {
  const stats = statisticsText(state.statistics);
  if (state.phase === 'running') return { text: `Running… ${stats}${state.bound ? ` · ${state.bound}` : ''}`, className: 'running' };
  if (state.outcome) {
    const o = state.outcome.state;
    return { text: `${state.outcome.summary} · ${stats}`, className: o === 'complete' ? 'ok' : o === 'partial' ? 'warn' : 'error' };
  }
  return { text: '', className: '' };
}

export interface Sort {
  column: number;
  dir: 'asc' | 'desc';
}

/** A click on a header: that column descending, or the other way round when it is already the sort. */
export function nextSort(sort: Sort, column: number): Sort {
  return { column, dir: sort.column === column && sort.dir === 'desc' ? 'asc' : 'desc' };
}

/** The rows in the table's order (a copy; empty cells last). */
export function sortedRows<R extends readonly PageCell[]>(rows: readonly R[], sort: Sort): R[] {
  const out = rows.slice();
  if (sort.column < 0) return out;
  const c = sort.column;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return out.sort((a, b) => {
    const x = a[c];
    const y = b[c];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
}

export interface ChartSeries {
  label: string;
  data: number[];
}

/** What the chart draws, or undefined for no chart (no number column, no rows, or 'none'). */
export type ChartData =
  { kind: 'timeSeries'; labels: string[]; series: ChartSeries[] } | { kind: 'bars'; labels: string[]; series: ChartSeries[] };

const num = (v: PageCell | undefined): number => (typeof v === 'number' ? v : Number(v) || 0);

export function chartData(state: AnalysisViewState): ChartData | undefined {
  const cols = state.columns ?? [];
  const rows = state.rows ?? [];
  const value = cols.findIndex((c) => !c.key && c.type === 'number');
  if (state.chart === 'none' || !rows.length || value < 0) return undefined;
  if (state.chart === 'timeSeries') {
    // One line per value of the second key (NODATA / SKIPDATA), else one per value column.
    const seriesKey = cols.findIndex((c, i) => i > 0 && c.key);
    const times = [...new Set(rows.map((r) => r[0]))].sort((a, b) => num(a) - num(b));
    const labels = times.map((t) => new Date(num(t)).toISOString().slice(5, 16).replace('T', ' '));
    if (seriesKey > 0) {
      const names = [...new Set(rows.map((r) => r[seriesKey]))];
      return {
        kind: 'timeSeries',
        labels,
        series: names.map((name) => ({
          label: String(name),
          data: times.map((t) => {
            const r = rows.find((x) => x[0] === t && x[seriesKey] === name);
            return r ? num(r[value]) : 0;
          }),
        })),
      };
    }
    return {
      kind: 'timeSeries',
      labels,
      series: [{ label: cols[value].title, data: times.map((t) => num(rows.find((x) => x[0] === t)?.[value])) }],
    };
  }
  const top = rows.slice(0, 20);
  const keys = cols.map((c, i) => (c.key ? i : -1)).filter((i) => i >= 0);
  return {
    kind: 'bars',
    labels: top.map((r) => keys.map((i) => cellText(cols[i], r[i])).join(' → ')),
    series: [{ label: cols[value].title, data: top.map((r) => num(r[value])) }],
  };
}

/** The chart box's height: fixed for a time series, by row count for bars. */
export function chartHeight(kind: ChartData['kind'], rowCount: number): string {
  return kind === 'timeSeries' ? '260px' : `${Math.max(120, Math.min(rowCount, 20) * 22 + 40)}px`;
}
