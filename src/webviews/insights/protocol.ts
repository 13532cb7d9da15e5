// The messages between the analysis (Logs Insights) panel (insightsView/analysisPanel.ts) and its
// page (src/webviews/insights/main.ts): ToPanel is what the panel posts (the whole state to draw),
// FromPanel what the page posts (its buttons), parseFromPanel the one check every message from the
// page passes (anything not exactly of a known shape is undefined, and dropped).
// Pure: imported by the panel and by the page bundle.
import { isIndex, isPlainMessage, own } from '../protocolCheck';

/** The chart an answer is drawn as (insights/analyses.ts chooses it). */
export type ChartKind = 'bars' | 'timeSeries' | 'none';
/** How a column's values read (insights/analyses.ts gives each column one). */
export type ColumnType = 'address' | 'port' | 'number' | 'time' | 'text';

export type PageCell = string | number | null;

/** What the page needs of a column of the answer. */
export interface PageColumn {
  readonly title: string;
  readonly type: ColumnType;
  readonly key?: boolean;
}

/** Everything the page draws: sent whole on every change. */
export interface AnalysisViewState {
  readonly runId: number;
  readonly title: string;
  readonly subtitle: string;
  readonly phase: 'running' | 'done';
  readonly chart: ChartKind;
  /** The query text (an error's position marks a part of it). */
  readonly query: string;
  readonly statistics: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
  /** One line per query sent (profile, region, log groups). */
  readonly parts: readonly { label: string; state: string; error?: string }[];
  /** Whether rows have a Show button (a flow log to show the records of). */
  readonly canShowRecords: boolean;
  /** What stops a run that takes too long (shown while running). */
  readonly bound?: string;
  readonly outcome?: {
    state: string;
    summary: string;
    error?: { message: string; kind: string; position?: { start: number; end: number } };
  };
  readonly columns?: readonly PageColumn[];
  readonly rows?: readonly (readonly PageCell[])[];
  /** Names of the rows' addresses and interfaces (issue 27). */
  readonly names?: Readonly<Record<string, string>>;
}

export type ToPanel = { type: 'state'; state: AnalysisViewState };

/** The toolbar's buttons (each posts its id as the message type). */
export const TOOLBAR_ACTIONS = ['cancel', 'rerun', 'exportCsv', 'exportJson', 'openQuery', 'openConsole'] as const;
export type ToolbarAction = (typeof TOOLBAR_ACTIONS)[number];

/** The most rows a panel holds (Insights returns at most 10,000 per query; merged answers are cut there too). */
export const MAX_ROW_INDEX = 1_000_000;

export type FromPanel = { type: 'ready' } | { type: ToolbarAction } | { type: 'showRecords'; index: number };

/** A fresh, well-typed message, or undefined for anything unexpected. Never throws. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  try {
    if (!isPlainMessage(raw, 4)) return undefined;
    const type = own(raw, 'type');
    if (type === 'ready') return { type };
    if (type === 'showRecords') {
      const index = own(raw, 'index');
      return isIndex(index, 0, MAX_ROW_INDEX) ? { type, index } : undefined;
    }
    const action = TOOLBAR_ACTIONS.find((a) => a === type);
    return action ? { type: action } : undefined;
  } catch {
    return undefined;
  }
}
