// Reads GetQueryResults rows into a typed table, merges the answers of several queries (one per
// region and profile), and writes CSV / JSON. Pure: never imports vscode.
import type { BuiltQuery, ColumnSpec } from './insightsAnalyses';
import { csvField } from './csv';

/** One cell as GetQueryResults gives it. */
export interface ResultField {
  field?: string;
  value?: string;
}

export type Cell = string | number | null;

export interface ResultTable {
  readonly columns: readonly ColumnSpec[];
  /** Cells in column order: numbers for number/port/time (epoch ms) columns, strings otherwise, null when absent. */
  readonly rows: Cell[][];
  /** Rows or values the reader could not use (a bad number, a row with no known field). */
  readonly skipped: number;
}

/** Insights writes times as "2026-12-01 23:05:00.000" (UTC). */
export function parseInsightsTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Number(m[7].padEnd(3, '0')) : 0);
  return Number.isFinite(ms) ? ms : undefined;
}

export function formatInsightsTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function cellOf(column: ColumnSpec, value: string | undefined): { cell: Cell; bad: boolean } {
  if (value === undefined) return { cell: null, bad: false };
  if (column.type === 'number' || column.type === 'port') {
    if (value.trim() === '' || value === '-') return { cell: null, bad: false };
    const n = Number(value);
    return Number.isFinite(n) ? { cell: n, bad: false } : { cell: null, bad: true };
  }
  if (column.type === 'time') {
    const t = parseInsightsTime(value);
    return t === undefined ? { cell: null, bad: true } : { cell: t, bad: false };
  }
  return { cell: value, bad: false };
}

/** The rows of one GetQueryResults answer, typed by the query's columns; extra fields (@ptr) are dropped. */
export function readResults(query: Pick<BuiltQuery, 'columns' | 'binSeconds'>, results: unknown): ResultTable {
  const columns = query.columns;
  const index = new Map(columns.map((c, i) => [c.field, i]));
  const rows: Cell[][] = [];
  let skipped = 0;
  for (const row of Array.isArray(results) ? results : []) {
    if (!Array.isArray(row)) {
      skipped++;
      continue;
    }
    const cells: Cell[] = columns.map(() => null);
    let known = 0;
    for (const field of row as ResultField[]) {
      const i = typeof field?.field === 'string' ? index.get(field.field) : undefined;
      if (i === undefined) continue;
      const { cell, bad } = cellOf(columns[i], typeof field.value === 'string' ? field.value : undefined);
      if (bad) skipped++;
      cells[i] = cell;
      known++;
    }
    if (known === 0) skipped++;
    else rows.push(cells);
  }
  // Time series read left to right; Insights returns bins in no set order.
  if (query.binSeconds !== undefined) sortRows(columns, rows, 0, 'asc');
  return { columns, rows, skipped };
}

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty cells last, whichever the direction
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/** Sorts rows in place by one column (stable; empty cells last). */
export function sortRows(columns: readonly ColumnSpec[], rows: Cell[][], column: number, direction: 'asc' | 'desc'): Cell[][] {
  if (column < 0 || column >= columns.length) return rows;
  const sign = direction === 'asc' ? 1 : -1;
  const decorated = rows.map((row, i) => ({ row, i }));
  decorated.sort((x, y) => {
    const a = x.row[column];
    const b = y.row[column];
    if (a === null || b === null) return compareCells(a, b) || x.i - y.i;
    return sign * compareCells(a, b) || x.i - y.i;
  });
  decorated.forEach((d, i) => (rows[i] = d.row));
  return rows;
}

/**
 * The answers of several queries (one per region and profile) as one table. Stats answers add
 * rows with equal keys (sum, min, max per column); record listings are concatenated. The first
 * numeric non-key column orders the result (descending; time series by time), cut to `limit`.
 */
export function mergeTables(query: Pick<BuiltQuery, 'columns' | 'binSeconds' | 'limit'>, tables: readonly ResultTable[]): ResultTable {
  const columns = query.columns;
  const keyIdx = columns.flatMap((c, i) => (c.key ? [i] : []));
  const skipped = tables.reduce((n, t) => n + t.skipped, 0);
  let rows: Cell[][];
  if (keyIdx.length === 0) {
    rows = tables.flatMap((t) => t.rows.map((r) => [...r]));
    const time = columns.findIndex((c) => c.type === 'time');
    if (time >= 0) sortRows(columns, rows, time, 'desc');
  } else {
    const byKey = new Map<string, Cell[]>();
    for (const table of tables) {
      for (const row of table.rows) {
        const key = JSON.stringify(keyIdx.map((i) => row[i]));
        const have = byKey.get(key);
        if (!have) {
          byKey.set(key, [...row]);
          continue;
        }
        columns.forEach((c, i) => {
          const a = have[i];
          const b = row[i];
          if (c.key || typeof b !== 'number') return;
          if (typeof a !== 'number') have[i] = b;
          else if (c.merge === 'min') have[i] = Math.min(a, b);
          else if (c.merge === 'max') have[i] = Math.max(a, b);
          else have[i] = a + b;
        });
      }
    }
    rows = [...byKey.values()];
    if (query.binSeconds !== undefined) sortRows(columns, rows, 0, 'asc');
    else {
      const order = columns.findIndex((c) => !c.key && c.type === 'number');
      if (order >= 0) sortRows(columns, rows, order, 'desc');
    }
  }
  if (query.binSeconds === undefined && rows.length > query.limit) rows = rows.slice(0, query.limit);
  return { columns, rows, skipped };
}

function displayCell(column: ColumnSpec, cell: Cell): string {
  if (cell === null) return '';
  if (column.type === 'time' && typeof cell === 'number') return new Date(cell).toISOString();
  return String(cell);
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(table: ResultTable): string {
  const quote = csvField; // the one rule of every export (webview/csv.ts)
  const lines = [table.columns.map((c) => quote(c.title)).join(',')];
  for (const row of table.rows) lines.push(row.map((cell, i) => quote(displayCell(table.columns[i], cell))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** JSON: an array of objects keyed by field name; times as ISO strings. */
export function toJson(table: ResultTable): string {
  const objects = table.rows.map((row) =>
    Object.fromEntries(
      row.map((cell, i) => {
        const column = table.columns[i];
        return [column.field, column.type === 'time' && typeof cell === 'number' ? new Date(cell).toISOString() : cell];
      }),
    ),
  );
  return JSON.stringify(objects, null, 2) + '\n';
}

/** Columns for a query the user wrote: the fields of the answer in order, typed by their values. */
export function inferColumns(results: unknown): ColumnSpec[] {
  const order: string[] = [];
  const values = new Map<string, string[]>();
  // Rows with @ptr are log events (no stats): they are listed, never added up when merged.
  let events = false;
  for (const row of Array.isArray(results) ? results.slice(0, 1000) : []) {
    if (!Array.isArray(row)) continue;
    for (const f of row as ResultField[]) {
      if (f?.field === '@ptr') events = true;
      if (typeof f?.field !== 'string' || f.field === '@ptr') continue;
      if (!values.has(f.field)) {
        order.push(f.field);
        values.set(f.field, []);
      }
      if (typeof f.value === 'string') values.get(f.field)!.push(f.value);
    }
  }
  return order.slice(0, 100).map((field) => {
    const vs = values.get(field)!;
    const all = (re: RegExp) => vs.length > 0 && vs.every((v) => re.test(v));
    const type = all(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/) ? 'time' : all(/^-?\d+(\.\d+)?$/) ? 'number' : 'text';
    const key = !events && (type !== 'number' || /^bin\(/.test(field));
    return {
      field,
      title: field,
      type,
      ...(key ? { key: true } : {}),
      ...(!events && type === 'number' ? { merge: 'sum' } : {}),
    } as ColumnSpec;
  });
}

/** A table read with other columns, re-ordered to `columns` by field name (absent fields empty). */
export function alignTable(table: ResultTable, columns: readonly ColumnSpec[]): ResultTable {
  const index = columns.map((c) => table.columns.findIndex((t) => t.field === c.field));
  return { columns, rows: table.rows.map((row) => index.map((i) => (i < 0 ? null : row[i]))), skipped: table.skipped };
}
