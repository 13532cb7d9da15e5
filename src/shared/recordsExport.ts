// Loaded records to CSV, JSON or NDJSON (every field as written, plus the event's time and
// stream, and why a record did not fit the format). Written in chunks (exportChunks), so a large
// export never becomes one string. Pure: never imports vscode.
import type { RecordLayout } from './recordsFields';
import type { FlowRecord } from './recordsParse';
import { csvField } from './csv';

export type ExportFormat = 'csv' | 'json' | 'ndjson';

const META = ['@timestamp', '@logStream', '@problem'];

/**
 * One record as an object keyed by field name. Null prototype: a field named `constructor`,
 * `toString` or `__proto__` (a LogFormat may name anything) is an own key like any other.
 */
function rowObject(layout: RecordLayout, r: FlowRecord): Record<string, string | number> {
  const o: Record<string, string | number> = Object.create(null) as Record<string, string | number>;
  o['@timestamp'] = new Date(r.t).toISOString();
  o['@logStream'] = r.s ?? '';
  layout.fields.forEach((f, i) => {
    if (!Object.prototype.hasOwnProperty.call(o, f.name)) o[f.name] = r.v[i] ?? '';
  });
  if (r.bad) {
    o['@problem'] = r.bad;
    o['@message'] = r.raw ?? '';
  }
  return o;
}

/** Records per chunk of exportChunks. */
export const EXPORT_CHUNK = 5_000;

/** The export as text chunks of at most `chunk` records each (the file is their concatenation). */
export function* exportChunks(
  layout: RecordLayout,
  records: readonly FlowRecord[],
  format: ExportFormat,
  chunk = EXPORT_CHUNK,
): Generator<string, void, undefined> {
  const n = records.length;
  if ((n === 0 && format === 'json') || format === 'csv') yield exportRange(layout, (i) => records[i], format, 0, 0, n);
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const text = exportRange(layout, (i) => records[i], format, from, to, n, format !== 'csv');
    yield text;
  }
}

/**
 * The export text of records [from, to) of `total` (the CSV header and the JSON brackets belong to
 * the ends): the chunks of any split, concatenated, are the same bytes. `withHead` false leaves
 * out the CSV header (exportChunks yields it alone). Used by exportChunks and the column store.
 */
export function exportRange(
  layout: RecordLayout,
  get: (i: number) => FlowRecord,
  format: ExportFormat,
  from: number,
  to: number,
  total: number,
  withHead = true,
): string {
  if (format === 'json') {
    if (total === 0) return '[]\n';
    const parts: string[] = [];
    for (let i = from; i < to; i++) {
      const body = JSON.stringify(rowObject(layout, get(i)), null, 1).replace(/\n/g, '\n ');
      parts.push(`${i === 0 ? '[\n ' : ',\n '}${body}`);
    }
    if (to === total && to > from) parts.push('\n]\n');
    return parts.join('');
  }
  if (format === 'ndjson') {
    if (to <= from) return '';
    const parts: string[] = [];
    for (let i = from; i < to; i++) parts.push(JSON.stringify(rowObject(layout, get(i))));
    return `${parts.join('\n')}\n`;
  }
  const head = from === 0 && withHead ? `${[...META, ...layout.fields.map((f) => csvField(f.name))].join(',')}\r\n` : '';
  if (to <= from) return head;
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const r = get(i);
    const cells = [
      new Date(r.t).toISOString(),
      r.s ?? '',
      r.bad ? `${r.bad}: ${r.raw ?? ''}` : '',
      ...layout.fields.map((_, k) => r.v[k] ?? ''),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${head}${lines.join('\r\n')}\r\n`;
}

export function exportRecords(layout: RecordLayout, records: readonly FlowRecord[], format: ExportFormat): string {
  let text = '';
  for (const part of exportChunks(layout, records, format)) text += part;
  return text;
}
