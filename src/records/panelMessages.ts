// Messages the records webview posts, validated: the webview is untrusted, anything not exactly
// of a known shape is dropped. Pure: never imports vscode.
import { isPreset, type TimeRangeSpec } from './timeRange';
import type { FieldFilter } from './filters';
import type { ExportFormat } from './export';
import { isNameableAddress, MAX_NAME_ADDRESSES } from '../network/pageNames';

/** The record fields the page sends for Explain this record (flowLogs.explainRecord reads them). */
export const EXPLAIN_FIELDS = [
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'action',
  'flow-direction',
  'reject-reason',
  'tcp-flags',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
] as const;

export interface RecordsQueryInput {
  range: TimeRangeSpec;
  filters: FieldFilter[];
  rawPattern?: string;
}

export type RecordsPanelMessage =
  | { type: 'ready' }
  | { type: 'run'; query: RecordsQueryInput }
  | { type: 'loadMore' }
  | { type: 'loadAll' }
  | { type: 'cancel' }
  | { type: 'retry' }
  | { type: 'export'; format: ExportFormat }
  | { type: 'openCsv' }
  | { type: 'openConsole' }
  | { type: 'copy'; text: string }
  | { type: 'action'; action: 'showDelivery' | 'signIn' | 'openConfig' | 'showDetails' }
  | { type: 'columns'; columns: string[] }
  /** Names of the addresses (and interface IDs) in view (issue 27), at most MAX_NAME_ADDRESSES. */
  | { type: 'names'; addresses: string[] }
  /** Explain this record: the record's fields by name (only EXPLAIN_FIELDS, text). */
  | { type: 'explain'; record: Record<string, string> }
  /** Open a named resource (instance, interface, subnet...) in the console: the panel builds the link. */
  | { type: 'openResource'; id: string };

const MAX_TEXT = 100_000;

function plain(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(raw);
  if (keys.length > 12 || keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) return undefined;
  return raw as Record<string, unknown>;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

function parseQuery(raw: unknown): RecordsQueryInput | undefined {
  const q = plain(raw);
  if (!q) return undefined;
  const r = plain(q.range);
  if (!r) return undefined;
  let range: TimeRangeSpec;
  if (r.preset !== undefined) {
    if (!isPreset(r.preset)) return undefined;
    range = { preset: r.preset };
  } else if (typeof r.startMs === 'number' && typeof r.endMs === 'number') range = { startMs: r.startMs, endMs: r.endMs };
  else return undefined;
  if (!Array.isArray(q.filters) || q.filters.length > 40) return undefined;
  const filters: FieldFilter[] = [];
  for (const f of q.filters) {
    const o = plain(f);
    if (!o || !str(o.field, 200) || !str(o.value, 4000)) return undefined;
    filters.push({ field: o.field, value: o.value });
  }
  if (q.rawPattern !== undefined && !str(q.rawPattern, 2048)) return undefined;
  return { range, filters, rawPattern: (q.rawPattern as string | undefined) || undefined };
}

export function parseRecordsMessage(raw: unknown): RecordsPanelMessage | undefined {
  try {
    const m = plain(raw);
    if (!m) return undefined;
    switch (m.type) {
      case 'ready':
      case 'loadMore':
      case 'loadAll':
      case 'cancel':
      case 'retry':
      case 'openCsv':
      case 'openConsole':
        return { type: m.type };
      case 'run': {
        const query = parseQuery(m.query);
        return query && { type: 'run', query };
      }
      case 'export':
        return m.format === 'csv' || m.format === 'json' || m.format === 'ndjson' ? { type: 'export', format: m.format } : undefined;
      case 'copy':
        return str(m.text, MAX_TEXT) ? { type: 'copy', text: m.text } : undefined;
      case 'action':
        return m.action === 'showDelivery' || m.action === 'signIn' || m.action === 'openConfig' || m.action === 'showDetails'
          ? { type: 'action', action: m.action }
          : undefined;
      case 'columns':
        return Array.isArray(m.columns) && m.columns.length <= 200 && m.columns.every((c) => str(c, 200))
          ? { type: 'columns', columns: [...(m.columns as string[])] }
          : undefined;
      case 'names':
        return Array.isArray(m.addresses) &&
          m.addresses.length > 0 &&
          m.addresses.length <= MAX_NAME_ADDRESSES &&
          m.addresses.every(isNameableAddress)
          ? { type: 'names', addresses: [...new Set(m.addresses as string[])] }
          : undefined;
      case 'explain': {
        const r = plain(m.record);
        if (!r) return undefined;
        const record: Record<string, string> = {};
        for (const [k, v] of Object.entries(r)) {
          if (!(EXPLAIN_FIELDS as readonly string[]).includes(k) || !str(v, 100)) return undefined;
          record[k] = v;
        }
        return record['interface-id'] ? { type: 'explain', record } : undefined;
      }
      case 'openResource':
        return typeof m.id === 'string' && /^(i|eni|subnet|vpc|sg|acl|nat|vpce)-[0-9a-f]{8,17}$/.test(m.id)
          ? { type: 'openResource', id: m.id }
          : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
