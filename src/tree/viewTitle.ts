// The Flow Logs view's title, description and message show the active filters, and the
// `flowLogs.hasFilters` context key (the Clear and Edit Filters buttons) follows them.
import * as vscode from 'vscode';
import { describeFilterSet, FilterSet, isEmpty } from '../filters/filterSet';

/** Shows `f` on the view (nothing when no filter is active). */
export function showFiltersInView(view: vscode.TreeView<unknown>, f: FilterSet): void {
  view.description = isEmpty(f) ? undefined : describeFilterSet(f);
  // With one view in the container VS Code hides the view's header (and its description) but
  // shows its title next to the container's: that the list is filtered goes there, so it is always
  // seen. The filters themselves do not: VS Code title-cases (or upper-cases) that header with CSS,
  // which would turn `traffic-type = REJECT` into "Traffic-Type = REJECT". They are in the view's
  // message, drawn as written, at the top of the list.
  view.title = isEmpty(f) ? 'Flow Logs' : `Flow Logs (${filterCount(f)})`;
  view.message = isEmpty(f) ? undefined : `Filtered on the server: ${describeFilterSet(f)}`;
  void vscode.commands.executeCommand('setContext', 'flowLogs.hasFilters', !isEmpty(f));
}

/** "1 filter", "3 filters", "2 filters, 5 IDs": words the header's case change cannot distort. */
export function filterCount(f: FilterSet): string {
  const n = f.filters.length;
  const ids = f.flowLogIds?.length ?? 0;
  return (
    [n ? `${n} filter${n === 1 ? '' : 's'}` : '', ids ? `${ids} ID${ids === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ') || 'filtered'
  );
}
