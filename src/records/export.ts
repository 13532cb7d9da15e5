// Loaded records to CSV, JSON or NDJSON (every field as written, plus the event's time and
// stream, and why a record did not fit the format). Pure: never imports vscode.
import type { RecordLayout } from './fields';
import type { FlowRecord } from './parse';

export type ExportFormat = 'csv' | 'json' | 'ndjson';

const META = ['@timestamp', '@logStream', '@problem'];

function csvCell(value: string): string {
  // Spreadsheets run cells that start with = + @ (or - followed by text) as formulas.
  let v = /^[=+@\t\r]|^-[^\d\s]/.test(value) ? `'${value}` : value;
  if (/[",\r\n]/.test(v)) v = `"${v.replace(/"/g, '""')}"`;
  return v;
}

function rowObject(layout: RecordLayout, r: FlowRecord): Record<string, string | number> {
  const o: Record<string, string | number> = { '@timestamp': new Date(r.t).toISOString(), '@logStream': r.s ?? '' };
  layout.fields.forEach((f, i) => {
    if (!(f.name in o)) o[f.name] = r.v[i] ?? '';
  });
  if (r.bad) {
    o['@problem'] = r.bad;
    o['@message'] = r.raw ?? '';
  }
  return o;
}

export function exportRecords(layout: RecordLayout, records: readonly FlowRecord[], format: ExportFormat): string {
  if (format === 'json')
    return `${JSON.stringify(
      records.map((r) => rowObject(layout, r)),
      null,
      1,
    )}\n`;
  if (format === 'ndjson') return records.map((r) => JSON.stringify(rowObject(layout, r))).join('\n') + (records.length ? '\n' : '');
  const lines = [[...META, ...layout.fields.map((f) => csvCell(f.name))].join(',')];
  for (const r of records) {
    const cells = [
      new Date(r.t).toISOString(),
      r.s ?? '',
      r.bad ? `${r.bad}: ${r.raw ?? ''}` : '',
      ...layout.fields.map((_, i) => r.v[i] ?? ''),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
