// An Athena answer as the panels' table (ResultTable: numbers for number, port and time columns,
// times in epoch ms), the status line's words (state, data scanned, engine time, cost estimate),
// and whether an existing table matches the one the extension would create. Pure: never imports vscode.
import type { ColumnSpec } from '../shared/insightsAnalyses';
import type { Cell, ResultTable } from '../shared/insightsResults';
import type { AthenaExecution, AthenaTableMetadata } from '../shared/awsWorkerProtocol';
import { costEstimate } from './run';
import type { TableSpec } from './table';

export function answerTable(columns: readonly ColumnSpec[], rows: readonly (string | null)[][]): ResultTable {
  let skipped = 0;
  const out: Cell[][] = rows.map((row) =>
    columns.map((col, i) => {
      const v = row[i] ?? null;
      if (v === null) return null;
      if (col.type === 'number' || col.type === 'port' || col.type === 'time') {
        const n = Number(v);
        if (!Number.isFinite(n)) {
          skipped++;
          return null;
        }
        return col.type === 'time' ? n * 1000 : n;
      }
      return v;
    }),
  );
  return { columns, rows: out, skipped };
}

/** Columns for SQL the user wrote: text, except numbers Athena typed as such. */
export function columnsOf(columns: readonly { name: string; type: string }[]): ColumnSpec[] {
  return columns.map((c) => ({
    field: c.name,
    title: c.name,
    type: /^(integer|bigint|smallint|tinyint|double|real|decimal)/.test(c.type) ? 'number' : 'text',
  }));
}

export function formatBytes(n: number | undefined): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number.isFinite(n) ? Number(n) : 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** "RUNNING · 1.2 MB scanned · engine 0.8 s · about $0.00005" */
export function statusLine(e: AthenaExecution | undefined): string {
  if (!e) return 'Starting…';
  const parts = [e.state];
  parts.push(`${formatBytes(e.dataScannedBytes)} scanned`);
  if (e.engineExecutionMs !== undefined) parts.push(`engine ${(e.engineExecutionMs / 1000).toFixed(1)} s`);
  const cost = costEstimate(e.dataScannedBytes ?? 0);
  parts.push(`about $${cost < 0.01 ? cost.toPrecision(2) : cost.toFixed(2)} ($5 per TB, 10 MB minimum)`);
  return parts.join(' · ');
}

/** Whether a table that exists already is the one buildTable describes (columns, partitions, location, projection). */
export function tableMatches(existing: AthenaTableMetadata, spec: TableSpec): boolean {
  const cols = (list: { name: string; type: string }[]) => list.map((c) => `${c.name.toLowerCase()} ${c.type.toLowerCase()}`).join(',');
  if (cols(existing.columns) !== spec.columns.map((c) => `${c.name} ${c.type}`).join(',')) return false;
  if (existing.partitionKeys.map((k) => k.name.toLowerCase()).join(',') !== spec.partitions.columns.join(',')) return false;
  const p = existing.parameters ?? {};
  if (p.location !== undefined && p.location.replace(/\/?$/, '/') !== spec.locationUri) return false;
  for (const [k, v] of spec.properties) {
    if (k.endsWith('.range')) continue; // an older table may project from an earlier day
    if (p[k] !== undefined && p[k] !== v) return false;
    if (p[k] === undefined && k.startsWith('projection.')) return false;
  }
  return true;
}
