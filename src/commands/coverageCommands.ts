// "Check Coverage…" (palette, profile, region and SSO session nodes): which VPCs have no flow log,
// over the shown profiles × regions or an SSO session's accounts (accountScope.ts),
// flowLogs.maxConcurrentRequests at a time and flowLogs.maxConcurrentRequestsPerAccount per account,
// with progress (accounts and regions done, failed) and Cancel;
// the Coverage view's actions (show the VPC's flow logs, console, copy ID, Retry) and the export.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import { resourceConsoleUrl } from '../aws/arn';
import { checkCoverage, CoverageTarget, scanRegion, summarizeCoverage } from '../coverage/scan';
import { coverageSource } from '../coverage/source';
import { coverageCsv, coverageMarkdown } from '../coverage/report';
import type { RegionCoverage } from '../coverage/types';
import { CoverageProvider, RegionCoverageNode, VpcNode } from '../tree/coverageNodes';
import { addFilter, EMPTY_FILTER_SET } from '../filters/filterSet';
import { ProfileNode } from '../tree/profileNode';
import { isOwnNode } from './commandArgs';
import { RegionNode } from '../tree/regionNode';
import { SsoSessionNode } from '../tree/ssoSessionNode';
import { progressText } from '../aws/accountScheduler';
import { accountKeyOf, chooseProfiles, scopeArgs } from './accountScope';

export const COVERAGE_VIEW_ID = 'flowLogs.coverage';

export interface CoverageExportArgs {
  format?: 'markdown' | 'csv';
  /** Where to write; without it, a save dialog asks. */
  uri?: vscode.Uri;
}

export function registerCoverageCommands(s: ExtensionServices): { provider: CoverageProvider; disposable: vscode.Disposable } {
  const provider = new CoverageProvider();
  const view = vscode.window.createTreeView(COVERAGE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const source = (t: CoverageTarget<AwsProfile>) => coverageSource(s.service, s.logger, t.profile, t.region);

  /** The profile's regions, each a target. */
  const targetsOf = (profiles: AwsProfile[]): CoverageTarget<AwsProfile>[] =>
    profiles
      .filter((p) => !p.problem)
      .flatMap((profile) => s.explorer.profiles.regionsFor(profile).map((region) => ({ profile, profileName: profile.name, region })));

  /**
   * The region or profile node it was run on, an SSO session node's accounts, `{ ssoSession,
   * accountIds }`, or (palette) the shown profiles, or the accounts of an SSO session (asked when
   * one exists). Undefined: the user cancelled.
   */
  const targetsFor = async (arg: unknown, ask: boolean): Promise<CoverageTarget<AwsProfile>[] | undefined> => {
    if (arg instanceof RegionNode) return [{ profile: arg.profile, profileName: arg.profile.name, region: arg.region }];
    if (arg instanceof ProfileNode) return targetsOf([arg.profile]);
    const shown = () =>
      s.explorer
        .shownStates()
        .filter((p) => !p.profile.problem)
        .map((p) => p.profile);
    const profiles = await chooseProfiles(s, arg, shown, 'Check Coverage', ask);
    return profiles && targetsOf(profiles);
  };

  const retry = async (node: RegionCoverageNode) => {
    const target = { profile: node.profile, profileName: node.profile.name, region: node.result.region };
    const result = await vscode.window.withProgress({ location: { viewId: COVERAGE_VIEW_ID } }, () =>
      scanRegion(target.profileName, target.region, source(target)),
    );
    s.logger.info(
      `Check Coverage again for ${target.profileName} ${target.region}: ${result.error ? result.error.message : `${result.vpcs.length} VPC(s)`}`,
    );
    provider.replace(node, result);
  };

  const run = async (arg: unknown, ask: boolean): Promise<RegionCoverage[] | undefined> => {
    const targets = await targetsFor(arg, ask);
    if (!targets) return undefined;
    if (!targets.length) {
      void vscode.window.showInformationMessage('No profile with a region to check.');
      return [];
    }
    const started = performance.now();
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking flow log coverage', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await checkCoverage(targets, source, {
            concurrency: s.settings.maxConcurrentRequests(),
            perAccount: s.settings.maxConcurrentRequestsPerAccount(),
            throttleRetries: s.settings.throttleRetries(),
            accountOf: (t) => accountKeyOf(t.profile),
            signal: abort.signal,
            onProgress: (_done, total, _r, counts) => progress.report({ message: progressText(counts), increment: 100 / total }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
    const summary = summarizeCoverage(results);
    s.logger.info(`Check Coverage over ${targets.length} region(s): ${summary.text} in ${Math.round(performance.now() - started)} ms`);
    provider.set(
      results.map((result, i) => ({ profile: targets[i].profile, result })),
      new Date(),
      (n) => void retry(n),
    );
    await vscode.commands.executeCommand('setContext', 'flowLogs.hasCoverage', true);
    void view.reveal(provider.summary!, { focus: false, select: false }).then(undefined, () => undefined);
    return results;
  };

  const vpcOf = (arg: unknown): VpcNode | undefined => (arg instanceof VpcNode ? arg : undefined);

  const disposable = vscode.Disposable.from(
    view,
    // The view-title button and the palette: every shown profile (VS Code passes the title button
    // the focused row, which must not narrow the check); the context menu of a profile or region
    // row: that row.
    // A plain `{ ssoSession, accountIds }` argument says which SSO accounts (no question asked).
    vscode.commands.registerCommand('flowLogs.checkCoverage', (arg?: unknown) => run(scopeArgs(arg), true)),
    // "Show N more…" in a large verdict group (its argument is the group's id; anything else does nothing).
    vscode.commands.registerCommand('flowLogs.coverageShowMore', (groupId?: unknown) => provider.showMore(groupId)),
    vscode.commands.registerCommand('flowLogs.checkCoverageOfNode', (arg?: unknown) =>
      arg instanceof ProfileNode || arg instanceof RegionNode || arg instanceof SsoSessionNode ? run(arg, false) : run(undefined, true),
    ),
    // The main tree, filtered to the VPC and the resources its flow logs are on.
    vscode.commands.registerCommand('flowLogs.showVpcFlowLogs', async (arg?: unknown) => {
      const node = vpcOf(arg);
      if (!node) return false;
      const r = addFilter(EMPTY_FILTER_SET, { name: 'resource-id', values: node.vpc.resourceIds });
      if (!r.ok) {
        void vscode.window.showErrorMessage(r.error);
        return false;
      }
      await s.filters.set(r.value);
      await vscode.commands.executeCommand('flowLogs.explorer.focus');
      return true;
    }),
    vscode.commands.registerCommand('flowLogs.openVpcInConsole', async (arg?: unknown) => {
      const node = vpcOf(arg);
      const url = node && resourceConsoleUrl(node.region, node.vpc.vpcId);
      if (!url) return undefined;
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return url;
    }),
    vscode.commands.registerCommand('flowLogs.copyVpcId', async (arg?: unknown) => {
      const node = vpcOf(arg);
      if (!node) return undefined;
      await vscode.env.clipboard.writeText(node.vpc.vpcId);
      void vscode.window.setStatusBarMessage(`Copied ${node.vpc.vpcId}`, 3000);
      return node.vpc.vpcId;
    }),
    vscode.commands.registerCommand('flowLogs.exportCoverage', async (arg?: unknown) => {
      const results = provider.results;
      if (!provider.takenAt || !results.length) {
        void vscode.window.showInformationMessage('Nothing to export yet: run "Check Coverage…" first.');
        return undefined;
      }
      // A URI (from an explorer or a test) is where to write; its extension picks the format.
      const a: CoverageExportArgs =
        arg instanceof vscode.Uri
          ? { uri: arg, format: /\.csv$/i.test(arg.path) ? 'csv' : /\.(md|markdown)$/i.test(arg.path) ? 'markdown' : undefined }
          : ((arg && typeof arg === 'object' && !isOwnNode(arg) ? arg : {}) as CoverageExportArgs);
      let format = a.format === 'csv' || a.format === 'markdown' ? a.format : undefined;
      if (!format) {
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'Markdown', description: 'a report for a ticket', format: 'markdown' as const },
            { label: 'CSV', description: 'one row per VPC, for a spreadsheet', format: 'csv' as const },
          ],
          { title: 'Export the coverage report as' },
        );
        format = pick?.format;
      }
      if (!format) return undefined;
      const ext = format === 'csv' ? 'csv' : 'md';
      const stamp = provider.takenAt.toISOString().slice(0, 16).replace(/[:T]/g, '-');
      const uri =
        a.uri instanceof vscode.Uri
          ? a.uri
          : await vscode.window.showSaveDialog({
              title: 'Export coverage report',
              defaultUri: vscode.Uri.joinPath(
                vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
                `flow-log-coverage-${stamp}.${ext}`,
              ),
              filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
            });
      if (!uri) return undefined;
      const text = format === 'csv' ? coverageCsv(results, provider.takenAt) : coverageMarkdown(results, provider.takenAt);
      try {
        await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not write ${uri.fsPath}: ${(err as Error)?.message ?? err}`);
        return undefined;
      }
      void vscode.window.setStatusBarMessage(`Coverage report written to ${uri.fsPath}`, 5000);
      return uri;
    }),
  );
  return { provider, disposable };
}
