// The records panels' log for tests: what each panel posted to its page (a window's rows counted,
// not kept), the names it told, what Explain answered, and the loaded rows read through the
// panel's result set. extension.ts creates it only when the extension runs under tests; a
// production panel has no such hook.
import type { RecordsPanel, RecordsPanelWatch } from './recordsPanel';
import type { ToPanel, PageName } from '../webviews/records/protocol';
import type { WindowRow } from '../shared/resultSet';
import { MAX_WINDOW_ROWS } from '../shared/resultSet';

/** A posted message as the log keeps it: a window's rows and a name map are counted. */
export type LoggedMessage = { type: string; [k: string]: unknown };

export interface PanelLog {
  /** Posted messages, newest last (the last 500). */
  readonly posted: LoggedMessage[];
  /** Every name posted to the page, by address. */
  readonly names: Map<string, PageName>;
  /** Explain outcomes, newest last. */
  readonly explained: unknown[];
}

export interface RecordsLog {
  readonly watch: RecordsPanelWatch;
  /** The log of a panel (empty until it posts). */
  of(panel: RecordsPanel): PanelLog;
  /** Every loaded row of a panel in the shown order, read window by window from its result set. */
  rows(panel: RecordsPanel): Promise<WindowRow[]>;
}

const KEEP = 500;

export function createRecordsLog(): RecordsLog {
  const logs = new WeakMap<RecordsPanel, PanelLog>();
  const of = (panel: RecordsPanel): PanelLog => {
    let log = logs.get(panel);
    if (!log) {
      log = { posted: [], names: new Map(), explained: [] };
      logs.set(panel, log);
    }
    return log;
  };
  const keep = (m: ToPanel): LoggedMessage => {
    switch (m.type) {
      case 'window':
        return { type: 'window', seq: m.seq, start: m.window.start, total: m.window.total, count: m.window.rows.length };
      case 'names':
        return { type: 'names', count: Object.keys(m.names).length, error: m.error };
      default:
        return { ...m };
    }
  };
  return {
    watch: {
      posted(panel, m) {
        const log = of(panel);
        log.posted.push(keep(m));
        if (log.posted.length > KEEP) log.posted.splice(0, log.posted.length - KEEP);
        if (m.type === 'names') for (const [a, n] of Object.entries(m.names)) log.names.set(a, n);
      },
      explained(panel, outcome) {
        of(panel).explained.push(outcome);
      },
    },
    of,
    async rows(panel) {
      const rs = panel.resultSet;
      if (!rs) return [];
      const out: WindowRow[] = [];
      for (;;) {
        const w = await rs.window(out.length, MAX_WINDOW_ROWS);
        out.push(...w.rows);
        if (!w.rows.length || out.length >= w.total) return out;
      }
    },
  };
}
