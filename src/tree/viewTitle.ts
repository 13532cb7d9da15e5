// The Flow Logs view's title, description and message show the active filters, and the
// `flowLogs.hasFilters` context key (the Clear and Edit Filters buttons) follows them.
import * as vscode from 'vscode';
import { describeFilterSet, FilterSet, isEmpty } from '../filters/filterSet';

/** Shows `f` on the view (nothing when no filter is active). */
export function showFiltersInView(view: vscode.TreeView<unknown>, f: FilterSet): void {
  view.description = isEmpty(f) ? undefined : describeFilterSet(f);
  // With one view in the container VS Code hides the view's header (and its description) but
  // shows its title next to the container's: the filters go there too, so they are always seen.
  view.title = isEmpty(f) ? 'Flow Logs' : `Flow Logs (filtered: ${shorten(describeFilterSet(f), 60)})`;
  view.message = isEmpty(f) ? undefined : `Filtered on the server: ${describeFilterSet(f)}`;
  void vscode.commands.executeCommand('setContext', 'flowLogs.hasFilters', !isEmpty(f));
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
