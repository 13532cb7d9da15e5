// The records page's protocol: the messages the records panel (extension host) posts to the page
// (ToPanel) and the page posts to the panel (FromPanel), and parseFromPanel, the one check of what
// the page sends (the page is untrusted: anything not exactly of a known shape is dropped).
// Imported by both sides; pure (the page bundle and the extension host): imports only the page's
// own folder and the result-set types.
import type { RecordSort, RecordSummary, RecordWindow, WindowRow } from '../../shared/resultSet';
import { MAX_WINDOW_ROWS } from '../../shared/resultSet';

// ---------------------------------------------------------------- shared shapes

/** The range presets the page offers (webview/timeRanges.ts TIME_RANGE_PRESETS ids; a unit test keeps them equal). */
export const RANGE_PRESET_IDS = ['15m', '1h', '3h', '12h', '24h', '3d', '7d'] as const;
export type RangePresetId = (typeof RANGE_PRESET_IDS)[number];
export type QueryRange = { preset: RangePresetId } | { startMs: number; endMs: number };

export interface QueryFilter {
  field: string;
  value: string;
}

/** A query as the page sends it (the panel resolves the range and plans the filters). */
export interface RecordsQueryInput {
  range: QueryRange;
  filters: QueryFilter[];
  rawPattern?: string;
}

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

/** Addresses (and eni- IDs) one request of the page may name at most. */
export const MAX_NAME_ADDRESSES = 500;

const ADDRESS_RE = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:.]{2,45}|eni-[0-9a-f]{8,17})$/;

/** An address or interface ID the page may ask about (IPv4, IPv6 text, eni-). */
export function isNameableAddress(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 45 && ADDRESS_RE.test(v) && (v.includes('.') || v.includes(':') || v.startsWith('eni-'));
}

/** What the page is told of one address: text only (the page shows it with textContent). */
export interface PageName {
  label: string;
  kind: string;
  interfaceId?: string;
  instanceId?: string;
  resource?: string;
  subnetId?: string;
  vpcId?: string;
  /** "sg-… (name)" per security group of the interface. */
  groups?: string[];
  /** Every address of the interface (what "Filter by this resource" filters by), at most 20. */
  addresses?: string[];
  /** The IDs the page may ask to open in the console (instance, interface, subnet, NAT, endpoint). */
  openable?: string[];
}

export interface PageField {
  name: string;
  kind: string;
  known: boolean;
  description: string;
}

export interface PageFilterable {
  field: string;
  label: string;
  hint: string;
}

export interface PageTables {
  protocols: Record<number, string>;
  trafficPaths: Record<string, string>;
  rejectReasons: Record<string, string>;
  logStatus: Record<string, string>;
  flowDirection: Record<string, string>;
}

export interface PagePlan {
  pattern: string;
  items: { filter: QueryFilter; placement: string; note?: string }[];
}

export interface PageS3Progress {
  objectsRead: number;
  objectsListed: number;
  listedAll: boolean;
  bytesRead: number;
  bytesListed: number;
  bytesInflated?: number;
  notLoaded?: { outOfRange: number; filtered: number; headers: number };
  skipped?: { key: string; why: string }[];
}

export interface PageProgress {
  loaded: number;
  requests: number;
  scanned: number;
  lastTimestamp?: number;
  s3?: PageS3Progress;
}

export type ErrorAction = 'retry' | 'signIn' | 'openConfig' | 'editFilters' | 'showDelivery' | 'athenaSettings';

export interface PageError {
  message: string;
  actions: ErrorAction[];
  kind?: string;
  code?: string;
  detail?: string;
  restartsRange?: boolean;
}

/** 'choose': the range is more than the settings read from objects: the page offers the ways (readPath). */
export type LoadStatus = 'loading' | 'done' | 'more' | 'capped' | 'paused' | 'cancelled' | 'error' | 'choose';

/**
 * Which path reads an S3 flow log's records (issue 25.4), and its words: "read from the objects" or
 * "read through Athena: N records, X MB scanned, query id …". With `offer`, the range is large and
 * the page offers Read through Athena / Read the objects anyway / narrow the range.
 */
export interface ReadPathMessage {
  type: 'readPath';
  path: 'objects' | 'athena';
  text: string;
  /** The Athena query (Open Query shows its SQL). */
  queryId?: string;
  offer?: boolean;
}

export interface InitMessage {
  type: 'init';
  flowLog: {
    id: string;
    label: string;
    logGroup: string;
    profile: string;
    region: string;
    deliveryStatus: string;
    deliveryError: string;
    interval: number;
  };
  source: string;
  fields: PageField[];
  filterable: PageFilterable[];
  tables: PageTables;
  cap: number;
  /** The saved column choice of this LogFormat (null: the default). */
  columns: string[] | null;
  query: RecordsQueryInput | null;
}

export interface StateMessage {
  type: 'state';
  status: LoadStatus;
  progress?: PageProgress;
  cap?: number;
  why?: string;
  error?: PageError;
  hint?: string;
}

/** Messages the panel posts to the page. */
export type ToPanel =
  | InitMessage
  /** A new query (or the range starts over): the page drops what it shows; total is 0. */
  | { type: 'reset'; plan: PagePlan; range: { startMs: number; endMs: number }; query: RecordsQueryInput | null }
  /** Records loaded now (the page sizes its scrollbar and re-asks its window); never the rows. */
  | { type: 'total'; total: number; progress?: PageProgress }
  | { type: 'summary'; summary: RecordSummary }
  /** The answer to a `window` request (seq: the request's). */
  | { type: 'window'; seq: number; window: RecordWindow }
  /** The answer to a `row` request. */
  | { type: 'row'; seq: number; row: WindowRow | null }
  /** The rows are in a new order (the answer to `sort`): the page re-asks its window. */
  | { type: 'sorted'; sort: RecordSort | null; total: number }
  | StateMessage
  | { type: 'names'; names: Record<string, PageName>; done: string[]; unnamed: number; error?: string }
  | { type: 'status'; text: string }
  | ReadPathMessage;

export type ExportFormat = 'csv' | 'json' | 'ndjson';

/** Messages the page posts to the panel. */
export type FromPanel =
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
  | { type: 'action'; action: 'showDelivery' | 'signIn' | 'openConfig' | 'showDetails' | 'athenaSettings' }
  | { type: 'columns'; columns: string[] }
  /** Rows [start, start + count) in the current order, count at most MAX_WINDOW_ROWS. */
  | { type: 'window'; seq: number; start: number; count: number }
  /** One row by its id (load order), for the details pane. */
  | { type: 'row'; seq: number; id: number }
  /** Sort by a field name or '@time' (null: load order). */
  | { type: 'sort'; sort: RecordSort | null }
  /** Names of the addresses (and interface IDs) in view (issue 27), at most MAX_NAME_ADDRESSES. */
  | { type: 'names'; addresses: string[] }
  /** Explain this record: the record's fields by name (only EXPLAIN_FIELDS, text). */
  | { type: 'explain'; record: Record<string, string> }
  /** Open a named resource (instance, interface, subnet...) in the console: the panel builds the link. */
  | { type: 'openResource'; id: string }
  /** Read the S3 flow log's range through Athena, or from its objects (issue 25.4). */
  | { type: 'readVia'; path: 'athena' | 'objects' }
  /** Open the Athena query of the records in an editor. */
  | { type: 'openAthenaQuery' };

// ---------------------------------------------------------------- parseFromPanel

const MAX_TEXT = 100_000;

function plain(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const proto: unknown = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(raw);
  if (keys.length > 12 || keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) return undefined;
  return raw as Record<string, unknown>;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const index = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;

export function isRangePreset(v: unknown): v is RangePresetId {
  return typeof v === 'string' && (RANGE_PRESET_IDS as readonly string[]).includes(v);
}

export function parseQuery(raw: unknown): RecordsQueryInput | undefined {
  const q = plain(raw);
  if (!q) return undefined;
  const r = plain(q.range);
  if (!r) return undefined;
  let range: QueryRange;
  if (r.preset !== undefined) {
    if (!isRangePreset(r.preset)) return undefined;
    range = { preset: r.preset };
  } else if (typeof r.startMs === 'number' && typeof r.endMs === 'number') range = { startMs: r.startMs, endMs: r.endMs };
  else return undefined;
  if (!Array.isArray(q.filters) || q.filters.length > 40) return undefined;
  const filters: QueryFilter[] = [];
  for (const f of q.filters as unknown[]) {
    const o = plain(f);
    if (!o || !str(o.field, 200) || !str(o.value, 4000)) return undefined;
    filters.push({ field: o.field, value: o.value });
  }
  if (q.rawPattern !== undefined && !str(q.rawPattern, 2048)) return undefined;
  return { range, filters, rawPattern: (q.rawPattern as string | undefined) || undefined };
}

function parseSort(raw: unknown): RecordSort | null | undefined {
  if (raw === null) return null;
  const s = plain(raw);
  if (!s || !str(s.key, 200) || typeof s.descending !== 'boolean') return undefined;
  return { key: s.key, descending: s.descending };
}

const MAX_SEQ = 2 ** 40;
const MAX_ROWS_INDEX = 100_000_000;

export function parseFromPanel(raw: unknown): FromPanel | undefined {
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
      case 'openAthenaQuery':
        return { type: m.type };
      case 'readVia':
        return m.path === 'athena' || m.path === 'objects' ? { type: 'readVia', path: m.path } : undefined;
      case 'run': {
        const query = parseQuery(m.query);
        return query && { type: 'run', query };
      }
      case 'export':
        return m.format === 'csv' || m.format === 'json' || m.format === 'ndjson' ? { type: 'export', format: m.format } : undefined;
      case 'copy':
        return str(m.text, MAX_TEXT) ? { type: 'copy', text: m.text } : undefined;
      case 'action':
        return m.action === 'showDelivery' ||
          m.action === 'signIn' ||
          m.action === 'openConfig' ||
          m.action === 'showDetails' ||
          m.action === 'athenaSettings'
          ? { type: 'action', action: m.action }
          : undefined;
      case 'columns':
        return Array.isArray(m.columns) && m.columns.length <= 200 && m.columns.every((c) => str(c, 200))
          ? { type: 'columns', columns: [...(m.columns as string[])] }
          : undefined;
      case 'window':
        return index(m.seq, MAX_SEQ) && index(m.start, MAX_ROWS_INDEX) && index(m.count, MAX_WINDOW_ROWS)
          ? { type: 'window', seq: m.seq, start: m.start, count: m.count }
          : undefined;
      case 'row':
        return index(m.seq, MAX_SEQ) && index(m.id, MAX_ROWS_INDEX) ? { type: 'row', seq: m.seq, id: m.id } : undefined;
      case 'sort': {
        const sort = parseSort(m.sort);
        return sort === undefined ? undefined : { type: 'sort', sort };
      }
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
