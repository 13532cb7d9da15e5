// The Athena query editor (vscode): Open Query writes the SQL to a `.sql` file (commands/queryFiles.ts)
// and remembers where it runs (profile, region, workgroup, database); this file shows a "Run Athena
// Query" CodeLens on it and keeps the recent queries in the global state (src/athena/recent.ts) for
// Open Recent Athena Query.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { addRecent, readRecent, recentDescription, type RecentAthenaQuery } from '../athena/recent';
import type { AthenaQueryInput } from './athenaPanel';

export const RECENT_ATHENA_KEY = 'flowLogs.athena.recent';

/** "Run Athena Query on profile · region · workgroup" above an editor Open Query made. */
export class AthenaQueryLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly contexts: Map<string, AthenaQueryInput>) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const c = this.contexts.get(doc.uri.toString());
    if (!c) return [];
    const title = `$(play) Run Athena Query on ${c.profile.name} · ${c.region} · workgroup ${c.workGroup}`;
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'flowLogs.runAthenaQuery', arguments: [doc.uri] })];
  }
}

/** The recent queries in the global state. */
export class RecentAthenaQueries {
  constructor(private readonly s: ExtensionServices) {}

  list(): RecentAthenaQuery[] {
    return readRecent(this.s.context.globalState.get<unknown>(RECENT_ATHENA_KEY));
  }

  remember(input: AthenaQueryInput): void {
    const entry: RecentAthenaQuery = {
      title: input.title,
      sql: input.sql,
      profile: input.profile.name,
      region: input.region,
      workGroup: input.workGroup,
      database: input.database,
      ...(input.outputLocation ? { outputLocation: input.outputLocation } : {}),
      at: Date.now(),
    };
    void this.s.context.globalState.update(RECENT_ATHENA_KEY, addRecent(this.s.context.globalState.get<unknown>(RECENT_ATHENA_KEY), entry));
  }

  /** Picks one (or takes the index a caller passes) and gives the input to open it with; undefined if none. */
  async pick(which: unknown): Promise<AthenaQueryInput | undefined> {
    const list = this.list();
    if (!list.length) {
      void vscode.window.showInformationMessage('No Athena query has been run yet.');
      return undefined;
    }
    // A caller may name the entry by its index; VS Code passes nothing (or a URI) from the palette.
    const direct = typeof which === 'number' && Number.isInteger(which) && which >= 0 && which < list.length ? list[which] : undefined;
    const now = Date.now();
    const r =
      direct ??
      (
        await vscode.window.showQuickPick(
          list.map((r) => ({
            label: r.title,
            description: recentDescription(r, now),
            detail: r.sql.replace(/\s+/g, ' ').slice(0, 200),
            r,
          })),
          { title: 'Recent Athena queries', matchOnDetail: true, matchOnDescription: true },
        )
      )?.r;
    if (!r) return undefined;
    const profile = this.s.explorer.listedProfiles().find((p) => p.name === r.profile);
    if (!profile) {
      void vscode.window.showWarningMessage(`The profile of that query (${r.profile}) is not shown in the Flow Logs view.`);
      return undefined;
    }
    return {
      title: r.title,
      subtitle: `${r.profile} · ${r.region} · workgroup ${r.workGroup} · ${r.database}`,
      sql: r.sql,
      profile,
      region: r.region,
      workGroup: r.workGroup,
      database: r.database,
      outputLocation: r.outputLocation,
    };
  }
}
