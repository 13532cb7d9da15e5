// The recent Logs Insights queries, kept across sessions in the extension's global state (no
// credentials: profile names, regions, log groups, the query text), newest first.
import type * as vscode from 'vscode';
import type { FlowLogTarget } from './analysisPanel';

/** A query run lately. */
export interface RecentQuery {
  title: string;
  queryString: string;
  minutes: number;
  targets: { profile: string; region: string; logGroupName: string; logFormat?: string }[];
  at: number;
}
const RECENT_KEY = 'flowLogs.insights.recent';
const MAX_RECENT = 20;

export class RecentQueries {
  constructor(private readonly state: vscode.Memento) {}

  /** The stored list as it is (whatever another version of the extension left there is checked by the reader). */
  all(): RecentQuery[] {
    const stored = this.state.get<RecentQuery[]>(RECENT_KEY, []);
    return Array.isArray(stored) ? stored : [];
  }

  /** The entries that can be opened again (a query text and a list of targets). */
  usable(): RecentQuery[] {
    return this.all().filter((r) => r && typeof r.queryString === 'string' && Array.isArray(r.targets));
  }

  /** A run started: first in the list; an older entry with the same text goes. */
  remember(run: { title: string; queryString: string }, targets: readonly FlowLogTarget[], startTime: number, endTime: number): void {
    const entry: RecentQuery = {
      title: run.title,
      queryString: run.queryString,
      minutes: Math.max(1, Math.round((endTime - startTime) / 60_000)),
      at: Date.now(),
      targets: targets
        .slice(0, 200)
        .map((t) => ({ profile: t.profile.name, region: t.region, logGroupName: t.logGroupName, logFormat: t.logFormat })),
    };
    const list = [entry, ...this.all().filter((r) => r && r.queryString !== entry.queryString)].slice(0, MAX_RECENT);
    void this.state.update(RECENT_KEY, list);
  }
}
