// Which profiles and regions were expanded, kept in the workspace state so a window reload opens
// them again (VS Code does not restore an extension tree's expansion) and reloads their first page.
import type * as vscode from 'vscode';

const KEY = 'flowLogs.expandedNodes';
/** Bounded, so a long session never grows the workspace state without limit. */
const MAX = 200;

export class ExpandedNodes {
  private readonly ids: Set<string>;

  constructor(private readonly state: vscode.Memento) {
    const saved = state.get<unknown>(KEY);
    this.ids = new Set(Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string').slice(0, MAX) : []);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  set(id: string, expanded: boolean): void {
    if (expanded === this.ids.has(id)) return;
    if (expanded) this.ids.add(id);
    else this.ids.delete(id);
    while (this.ids.size > MAX) this.ids.delete(this.ids.values().next().value as string);
    void this.state.update(KEY, [...this.ids]);
  }
}
