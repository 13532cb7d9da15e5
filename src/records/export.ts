// Loaded records to CSV, JSON or NDJSON (every field as written, plus the event's time and
// stream, and why a record did not fit the format). Written in chunks (exportChunks), so a large
// export never becomes one string. Pure: never imports vscode.
import type { RecordLayout } from './fields';
import type { FlowRecord } from './parse';
import { csvField } from '../webview/csv';

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
  if (format === 'json') {
    if (n === 0) {
      yield '[]\n';
      return;
    }
    for (let from = 0; from < n; from += chunk) {
      const to = Math.min(n, from + chunk);
      const parts: string[] = [];
      for (let i = from; i < to; i++) {
        const body = JSON.stringify(rowObject(layout, records[i]), null, 1).replace(/\n/g, '\n ');
        parts.push(`${i === 0 ? '[\n ' : ',\n '}${body}`);
      }
      if (to === n) parts.push('\n]\n');
      yield parts.join('');
    }
    return;
  }
  if (format === 'ndjson') {
    for (let from = 0; from < n; from += chunk) {
      const to = Math.min(n, from + chunk);
      const parts: string[] = [];
      for (let i = from; i < to; i++) parts.push(JSON.stringify(rowObject(layout, records[i])));
      yield `${parts.join('\n')}\n`;
    }
    return;
  }
  yield `${[...META, ...layout.fields.map((f) => csvField(f.name))].join(',')}\r\n`;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const lines: string[] = [];
    for (let i = from; i < to; i++) {
      const r = records[i];
      const cells = [
        new Date(r.t).toISOString(),
        r.s ?? '',
        r.bad ? `${r.bad}: ${r.raw ?? ''}` : '',
        ...layout.fields.map((_, k) => r.v[k] ?? ''),
      ];
      lines.push(cells.map(csvField).join(','));
    }
    yield `${lines.join('\r\n')}\r\n`;
  }
}

export function exportRecords(layout: RecordLayout, records: readonly FlowRecord[], format: ExportFormat): string {
  let text = '';
  for (const part of exportChunks(layout, records, format)) text += part;
  return text;
}
