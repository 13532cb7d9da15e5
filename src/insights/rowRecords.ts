// "Show these records" from a row of an analysis: the row's keys (a source/destination pair, an
// address and a port, an interface, an hour) become the records panel's field filters and time
// range, in the LogFormat names the records panel filters on. Pure: never imports vscode.
import { DEFAULT_LOG_FORMAT, parseLogFormat } from '../shared/logFormat';
import type { AnalysisId, ColumnSpec, FieldFilter } from '../shared/insightsAnalyses';
import { insightsFieldName } from '../shared/insightsFields';

/** The records panel's query, in its own shape (webviews/records/protocol.ts RecordsQueryInput). */
export interface RowRecordsQuery {
  range: { startMs: number; endMs: number };
  filters: { field: string; value: string }[];
}

// Conditions an analysis's query holds for every row, which the row's keys do not say.
const IMPLIED: Partial<Record<AnalysisId, { field: string; value: string }[]>> = {
  topRejected: [{ field: 'action', value: 'REJECT' }],
  sshRdpFromOutside: [{ field: 'action', value: 'ACCEPT' }],
};

// A row of "Records of one address" is a record: these of its cells pick it out.
const RECORD_KEYS = new Set(['srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'protocol', 'interfaceId']);

export interface RowRecordsInput {
  analysis?: AnalysisId;
  logFormat?: string;
  columns: readonly ColumnSpec[];
  row: readonly unknown[];
  /** The analysis's range, epoch seconds (as sent to Insights). */
  range: { startTime: number; endTime: number };
  /** The width of a time column's bins, seconds. */
  binSeconds?: number;
  /** The field filters the analysis was run with (Insights names). */
  filters?: readonly FieldFilter[];
}

/** The records query for one row, or a message saying why the row cannot be shown as records. */
export function recordsQueryForRow(input: RowRecordsInput): RowRecordsQuery | string {
  const format = typeof input.logFormat === 'string' && input.logFormat.trim() ? input.logFormat : DEFAULT_LOG_FORMAT;
  const byInsights = new Map<string, string>();
  for (const e of parseLogFormat(format).entries) if (e.kind === 'field') byInsights.set(insightsFieldName(e.name), e.name);
  let startMs = input.range.startTime * 1000;
  let endMs = input.range.endTime * 1000 + 999;
  const filters: { field: string; value: string }[] = [];
  const keyed = input.columns.some((c) => c.key);
  input.columns.forEach((c, i) => {
    const cell = input.row[i];
    if (cell === null || cell === undefined || cell === '' || cell === '-') return;
    if (c.type === 'time') {
      // A bin of the answer: its records are those of that bin, inside the analysis's range.
      if (c.key && typeof cell === 'number' && input.binSeconds) {
        startMs = Math.max(startMs, cell);
        endMs = Math.min(endMs, cell + input.binSeconds * 1000 - 1);
      }
      return;
    }
    if (keyed ? !c.key : !RECORD_KEYS.has(c.field)) return;
    const field = byInsights.get(c.field);
    if (field) filters.push({ field, value: String(cell) });
  });
  for (const f of input.filters ?? []) {
    const field = byInsights.get(f.field);
    if (field && f.values.length) filters.push({ field, value: `${f.negate ? '!' : ''}${f.values.join(',')}` });
  }
  for (const f of (input.analysis && IMPLIED[input.analysis]) || []) if (byInsights.has(insightsFieldName(f.field))) filters.push(f);
  if (!filters.length && !keyed) return 'This row has no field the records can be filtered on.';
  if (endMs <= startMs) return 'This row lies outside the range of the analysis.';
  return { range: { startMs, endMs }, filters };
}
