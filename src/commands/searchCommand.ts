// "Search All Regions…": the active filters (or a resource ID typed on the spot) over every shown
// profile and region at once; results in the "Search Results" view, grouped with counts and errors.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { searchAllRegions, SearchGroup, SearchTarget } from '../aws/searchAllRegions';
import { resultRows, searchSummary } from '../explorer/searchResultRows';
import type { AwsProfile } from '../shared/profiles';
import { describeFilterSet, isEmpty, toQuery, addFilter, EMPTY_FILTER_SET, FilterSet } from '../filters/filterSet';
import { validateFilterValue } from '../filters/filterDefinitions';
import { MessageNode } from '../tree/messageNode';
import { SearchGroupNode, SearchResultsProvider, type SearchResults } from '../tree/searchResultsProvider';
import { isOwnNode } from './commandArgs';
import { accountKeyOf, chooseProfiles } from './accountScope';
import { progressText, type ScheduleProgress } from '../aws/accountScheduler';

export interface SearchArgs {
  /** Search for this resource ID (wildcards allowed) instead of the active filters. */
  resourceId?: string;
  useActiveFilters?: boolean;
  /** Over the accounts of this SSO session (its name or key) instead of the shown profiles. */
  ssoSession?: string;
  /** With `ssoSession`: only these account IDs. */
  accountIds?: string[];
}

export function registerSearchCommand(s: ExtensionServices): vscode.Disposable & { results: SearchResults } {
  const provider = new SearchResultsProvider();
  const view = vscode.window.createTreeView('flowLogs.searchResults', { treeDataProvider: provider, showCollapseAll: true });
  let runs = 0;
  let last: FilterSet | undefined;
  /** The accounts of the last search (Search Again runs over them without asking again). */
  let lastProfiles: AwsProfile[] | undefined;

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
    // From the palette or the title bar, the accounts are asked when an SSO session exists;
    // `{ ssoSession, accountIds }` names them; other arguments: the shown profiles.
    const shown = () =>
      s.explorer
        .shownStates()
        .filter((p) => !p.profile.problem)
        .map((p) => p.profile);
    const fromPalette = input === undefined || isOwnNode(input);
    const profiles =
      again && lastProfiles
        ? lastProfiles
        : await chooseProfiles(s, args.ssoSession !== undefined ? args : undefined, shown, 'Search All Regions', fromPalette && !again);
    if (!profiles) return undefined;
    // An SSO session's accounts are kept for Search Again; the shown profiles are read afresh.
    lastProfiles = profiles.some((p) => p.sso) ? profiles : undefined;
    const targets = profiles
      .filter((p) => !p.problem)
      .flatMap((profile) => s.explorer.profiles.regionsFor(profile).map((region) => ({ profile, profileName: profile.name, region })));
    if (!targets.length) {
      void vscode.window.showInformationMessage('No profile with a region to search.');
      return [];
    }
    const started = performance.now();
    const search = (list: SearchTarget<AwsProfile>[], signal?: AbortSignal, onProgress?: (counts: ScheduleProgress) => void) =>
      searchAllRegions(list, query, (t) => s.service.describeFlowLogsPage(t.profile, t.region), {
        concurrency: s.settings.maxConcurrentRequests(),
        perAccount: s.settings.maxConcurrentRequestsPerAccount(),
        throttleRetries: s.settings.throttleRetries(),
        accountOf: (t) => accountKeyOf(t.profile as AwsProfile),
        signal,
        onProgress: onProgress && ((_done, _total, _g, counts) => onProgress(counts)),
        onWarning: (m) => s.logger.warn(m),
      });
    const groups = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Searching all regions', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await search(targets, abort.signal, (counts) =>
            progress.report({ message: progressText(counts), increment: 100 / targets.length }),
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
    const retry = async (node: SearchGroupNode) => {
      const again = await search(node.row.groups);
      node.row = { profileName: node.row.profileName, groups: again };
      provider.changed(node);
    };
    provider.set(
      // Regions a cancel stopped are not results: the summary counts them. Errors come first.
      resultRows(groups).map((row) => new SearchGroupNode(row, run, (n) => void retry(n))),
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
