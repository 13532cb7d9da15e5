// The Athena answer page's messages, both ways: ToPanel (the extension host posts to the page)
// and FromPanel (the page posts to the host), and parseFromPanel, the one validation of what the
// page sends (the webview is untrusted: anything not exactly of a known shape is undefined).
// Shared by src/athenaView/athenaPanel.ts and the page (src/webviews/athena/main.ts).

export type PageColumnType = 'address' | 'port' | 'number' | 'time' | 'text';

/** A column of the answer (the shape of insights/analyses.ts ColumnSpec). */
export interface PageColumn {
  readonly field: string;
  readonly title: string;
  readonly type: PageColumnType;
  /** A group key (the chart's label); the others are values. */
  readonly key?: boolean;
}

export type PageCell = string | number | null;

export type ChartKind = 'bars' | 'timeSeries' | 'none';

/** Athena's statistics of the query as GetQueryExecution last gave them. */
export interface AthenaPageStats {
  /** QUEUED | RUNNING | SUCCEEDED | FAILED | CANCELLED, or STARTING before the first answer. */
  readonly state: string;
  readonly scannedBytes: number;
  readonly engineMs?: number;
  readonly queueMs?: number;
  /** Dollars, from the bytes scanned ($5 per TB, 10 MB minimum). */
  readonly costUsd: number;
}

/** What the error panel offers: a setting, creating the table, the SQL in an editor, or the same query again. */
export type AthenaPageAction = 'openSettings' | 'createTable' | 'editQuery' | 'retry';

export interface AthenaPageState {
  readonly runId: number;
  readonly title: string;
  readonly subtitle: string;
  readonly phase: 'running' | 'done' | 'error';
  readonly stats: AthenaPageStats;
  /** The SQL that ran (shown with the error's position marked). */
  readonly query: string;
  readonly chart: ChartKind;
  readonly columns?: readonly PageColumn[];
  /** The rows shown (numbers for number, port and time columns; times in epoch ms). */
  readonly rows?: readonly (readonly PageCell[])[];
  /** Rows in the answer (Load More shows more of them). */
  readonly total?: number;
  /** The answer had more rows than the panel reads. */
  readonly truncated?: boolean;
  readonly error?: { readonly kind: string; readonly message: string; readonly position?: { line: number; column: number } };
  readonly actions?: readonly { readonly action: AthenaPageAction; readonly label: string }[];
}

export type ToPanel = { type: 'state'; state: AthenaPageState };

export type FromPanel =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'more' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'openQuery' }
  | { type: 'action'; action: AthenaPageAction };

const ACTIONS: readonly AthenaPageAction[] = ['openSettings', 'createTable', 'editQuery', 'retry'];

function plain(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const proto = Object.getPrototypeOf(raw) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  return raw as Record<string, unknown>;
}

/** Exactly these keys (own, enumerable), nothing more. */
function only(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && own.every((k) => keys.includes(k));
}

/** A message from the page, or undefined when it is not exactly one of FromPanel. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  const o = plain(raw);
  if (!o) return undefined;
  switch (o.type) {
    case 'ready':
    case 'cancel':
    case 'more':
    case 'openQuery':
      return only(o, ['type']) ? { type: o.type } : undefined;
    case 'export':
      return only(o, ['type', 'format']) && (o.format === 'csv' || o.format === 'json') ? { type: 'export', format: o.format } : undefined;
    case 'action':
      return only(o, ['type', 'action']) && typeof o.action === 'string' && (ACTIONS as readonly string[]).includes(o.action)
        ? { type: 'action', action: o.action as AthenaPageAction }
        : undefined;
    default:
      return undefined;
  }
}
