// "Search All Regions…": the active filters (or a resource ID typed on the spot) over every shown
// profile and region at once; results in the "Search Results" view, grouped with counts and errors.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { searchAllRegions, SearchGroup, SearchTarget } from '../aws/searchAllRegions';
import { resultRows, ResultRow, searchSummary } from './searchPresentation';
import type { AwsProfile } from '../aws/profiles';
import { describeFilterSet, isEmpty, toQuery, addFilter, EMPTY_FILTER_SET, FilterSet } from '../filters/filterSet';
import { validateFilterValue } from '../filters/filterDefinitions';
import { FlowLogNode } from '../tree/flowLogNode';
import { ErrorNode, MessageNode } from '../tree/messageNode';
import type { TreeNode } from '../tree/treeNode';
import { isOwnNode, registerOwnNode } from './commandArgs';

class GroupNode implements TreeNode {
  readonly kind = 'searchGroup';
  readonly id: string;
  readonly parent = undefined;
  /** `run` numbers each search, so a new search never inherits the last one's expanded rows. */
  constructor(
    public row: ResultRow<AwsProfile>,
    run: number,
    private readonly retry: (node: GroupNode) => void,
  ) {
    this.id = `search/${run}/${row.profileName}/${row.groups.map((g) => g.region).join(',')}`;
    registerOwnNode(this);
  }
  /** The one region of this row (rows that stand for a whole failed profile have none). */
  get group(): SearchGroup<AwsProfile> {
    return this.row.groups[0];
  }
  getTreeItem(): vscode.TreeItem {
    const gs = this.row.groups;
    const error = gs.find((g) => g.error)?.error;
    const found = gs.reduce((n, g) => n + g.flowLogs.length, 0);
    const where = gs.length === 1 ? gs[0].region : `all ${gs.length} regions`;
    // Collapsed: thousands of rows would bury the errors; a click opens a group.
    const item = new vscode.TreeItem(
      `${this.row.profileName} · ${where}`,
      found || error ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = error
      ? found
        ? `error · ${found} flow log${found === 1 ? '' : 's'} found`
        : 'error'
      : `${found} flow log${found === 1 ? '' : 's'}`;
    item.tooltip = error ? error.message : undefined;
    item.iconPath = error ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('globe');
    item.contextValue = 'searchGroup';
    return item;
  }
  getChildren(): TreeNode[] {
    const nodes: TreeNode[] = this.row.groups.flatMap((g) => g.flowLogs.map((f) => new FlowLogNode(this, g.profile, g.region, f)));
    // The error keeps its own actions (Sign In, Open Config...); Retry searches these regions again.
    const error = this.row.groups.find((g) => g.error)?.error;
    if (error) nodes.unshift(new ErrorNode(`${this.id}/error`, this, error, () => this.retry(this)));
    return nodes;
  }
}

class SearchResultsProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  groups: GroupNode[] = [];
  summary: TreeNode | undefined;
  getTreeItem(n: TreeNode): vscode.TreeItem {
    return n.getTreeItem();
  }
  getChildren(n?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (n) return n.getChildren();
    return this.summary ? [this.summary, ...this.groups] : this.groups;
  }
  getParent(n: TreeNode): TreeNode | undefined {
    return n.parent;
  }
  set(groups: GroupNode[], summary: TreeNode | undefined): void {
    this.groups = groups;
    this.summary = summary;
    this.emitter.fire(undefined);
  }
  changed(node?: TreeNode): void {
    this.emitter.fire(node);
  }
}

export interface SearchArgs {
  /** Search for this resource ID (wildcards allowed) instead of the active filters. */
  resourceId?: string;
  useActiveFilters?: boolean;
}

export type SearchResults = Pick<SearchResultsProvider, 'getChildren' | 'groups'>;

export function registerSearchCommand(s: ExtensionServices): vscode.Disposable & { results: SearchResults } {
  const provider = new SearchResultsProvider();
  const view = vscode.window.createTreeView('flowLogs.searchResults', { treeDataProvider: provider, showCollapseAll: true });
  let runs = 0;
  let last: FilterSet | undefined;

  const run = async (input?: unknown, again?: FilterSet): Promise<SearchGroup<AwsProfile>[] | undefined> => {
    // `{ useActiveFilters }` or `{ resourceId }`; anything else (the title bar passes the focused
    // node) asks what to look for, as from the palette.
    const args: SearchArgs = typeof input === 'object' && input !== null && !isOwnNode(input) ? (input as SearchArgs) : {};
    let filters: FilterSet | undefined = again ?? (args.useActiveFilters === true ? s.filters.filters : undefined);
    if (typeof args.resourceId === 'string' && args.resourceId) filters = fromResource(args.resourceId);
    if (!filters) {
      const active = s.filters.filters;
      const choice = await vscode.window.showQuickPick(
        [
          ...(!isEmpty(active) ? [{ label: '$(filter) Active filters', description: describeFilterSet(active), id: 'active' }] : []),
          {
            label: '$(search) Flow logs that cover a resource…',
            description: 'a VPC, subnet or network interface ID (wildcards allowed)',
            id: 'resource',
          },
          { label: '$(list-flat) Every flow log', id: 'all' },
        ],
        { title: 'Search All Regions: what to look for' },
      );
      if (!choice) return undefined;
      if (choice.id === 'active') filters = active;
      else if (choice.id === 'all') filters = EMPTY_FILTER_SET;
      else {
        const id = await vscode.window.showInputBox({
          title: 'Which flow logs cover…',
          placeHolder: 'vpc-0abc…, subnet-…, eni-…',
          validateInput: (v) => validateFilterValue('resource-id', v.trim()),
        });
        if (!id) return undefined;
        filters = fromResource(id.trim());
      }
    }
    if (!filters) return undefined;
    last = filters;
    const query = toQuery(filters);
    const targets = s.provider.profileNodesShown
      .filter((p) => !p.profile.problem)
      .flatMap((p) => s.regionsFor(p.profile).map((region) => ({ profile: p.profile, profileName: p.profile.name, region })));
    if (!targets.length) {
      void vscode.window.showInformationMessage('No profile with a region to search.');
      return [];
    }
    const started = performance.now();
    const search = (list: SearchTarget<AwsProfile>[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void) =>
      searchAllRegions(list, query, (t) => s.service.describeFlowLogsPage(t.profile, t.region), {
        concurrency: s.settings.maxConcurrentRequests(),
        signal,
        onProgress,
        onWarning: (m) => s.logger.warn(m),
      });
    const groups = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Searching all regions', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await search(targets, abort.signal, (done, total) =>
            progress.report({ message: `${done} of ${total} regions`, increment: 100 / total }),
          );
        } finally {
          sub.dispose();
        }
      },
    );
    const label = searchSummary(groups);
    s.logger.info(
      `Search All Regions (${isEmpty(filters) ? 'no filters' : describeFilterSet(filters)}): ${label} in ${Math.round(performance.now() - started)} ms`,
    );
    const run = ++runs;
    // Retry on a failed row searches its regions again.
    const retry = async (node: GroupNode) => {
      const again = await search(node.row.groups);
      node.row = { profileName: node.row.profileName, groups: again };
      provider.changed(node);
    };
    provider.set(
      // Regions a cancel stopped are not results: the summary counts them. Errors come first.
      resultRows(groups).map((row) => new GroupNode(row, run, (n) => void retry(n))),
      new MessageNode(`search/${run}/summary`, undefined, label, {
        icon: 'search',
        description: isEmpty(filters) ? 'no filters' : describeFilterSet(filters),
      }),
    );
    await vscode.commands.executeCommand('setContext', 'flowLogs.hasSearchResults', true);
    void view.reveal(provider.summary!, { focus: false, select: false }).then(undefined, () => undefined);
    return groups;
  };

  // Re-run: the last search's filters again (from the palette before any search: a new one).
  const rerun = vscode.commands.registerCommand('flowLogs.rerunSearch', () => run(undefined, last));
  const clear = vscode.commands.registerCommand('flowLogs.clearSearchResults', async () => {
    provider.set([], undefined);
    await vscode.commands.executeCommand('setContext', 'flowLogs.hasSearchResults', false);
  });
  return Object.assign(
    vscode.Disposable.from(
      view,
      vscode.commands.registerCommand('flowLogs.searchAllRegions', (input?: unknown) => run(input)),
      rerun,
      clear,
    ),
    { results: provider },
  );
}

function fromResource(resourceId: string): FilterSet | undefined {
  const r = addFilter(EMPTY_FILTER_SET, { name: 'resource-id', values: [resourceId] });
  if (!r.ok) {
    void vscode.window.showErrorMessage(r.error);
    return undefined;
  }
  return r.value;
}
