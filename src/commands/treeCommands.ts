// Commands on the tree itself: refresh, paging, retry, regions and profiles, permissions, config.
import * as vscode from 'vscode';
import { signInToSession, ssoSessionOf } from './ssoCommands';
import { VIEW_ID, type ExtensionServices } from '../services';
import { ProfileNode } from '../tree/profileNode';
import type { PermissionResult } from '../aws/flowLogService';
import { RegionNode } from '../tree/regionNode';
import { LoadMoreNode } from '../tree/loadMoreNode';
import { ErrorNode, RetryableWarningNode } from '../tree/messageNode';
import { FALLBACK_REGION, partitionOf, regionChoices } from '../shared/regions';
import { withinTime } from '../aws/withinTime';
import { KIND_LABELS } from '../shared/profiles';
import { isFlowLogRef } from '../explorer/flowLogRef';

/** How long Select Regions waits for DescribeRegions before it offers the list without it. */
const REGION_CHECK_WAIT_MS = 5000;
import { PERMISSION } from '../shared/errors';
import { sharedConfigPaths } from '../shared/sharedConfig';
import { profileNodeOf, stringListArg } from './commandArgs';
import { configLocationFor, knownConfigFiles } from './configLocation';

/** Error kinds about a profile's keys: Open Config File goes to where the keys are. */
const CREDENTIAL_ERRORS = new Set(['credentials', 'expired']);

export function registerTreeCommands(s: ExtensionServices): vscode.Disposable[] {
  const { explorer } = s;
  const regionOf = (node: unknown): RegionNode | undefined =>
    node instanceof RegionNode ? node : node instanceof LoadMoreNode && node.parent instanceof RegionNode ? node.parent : undefined;

  return [
    vscode.commands.registerCommand('flowLogs.refresh', () => explorer.refresh()),

    vscode.commands.registerCommand('flowLogs.refreshNode', (node?: unknown) => {
      if (node instanceof ProfileNode) node.retry();
      else if (node instanceof RegionNode) {
        const listing = node.listing;
        if (listing) explorer.resetRegion(listing);
      } else explorer.refresh();
    }),

    vscode.commands.registerCommand('flowLogs.loadMore', async (node?: unknown) => {
      const region = regionOf(node);
      if (!region) return undefined;
      return region.listing?.loadMore() ?? { added: [] };
    }),

    vscode.commands.registerCommand('flowLogs.loadAll', async (node?: unknown) => {
      const region = regionOf(node);
      if (!region) return undefined;
      return vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Loading all flow logs of ${region.profile.name} · ${region.region}`,
          cancellable: true,
        },
        async (progress, token) => {
          const listing = region.listing;
          if (!listing) return { added: [] };
          const sub = token.onCancellationRequested(() => listing.cancel());
          try {
            return await listing.loadAll((n) => progress.report({ message: `${n} loaded` }));
          } finally {
            sub.dispose();
          }
        },
      );
    }),

    vscode.commands.registerCommand('flowLogs.retry', (node?: unknown) => {
      if (node instanceof ErrorNode || node instanceof RetryableWarningNode) node.retry();
      else explorer.refresh();
    }),

    vscode.commands.registerCommand('flowLogs.signIn', async (node?: unknown) => {
      // An SSO session (its node, its error, an account found through it): sign in to the session.
      const session = ssoSessionOf(s, node);
      if (session && signInToSession(s, session)) return;
      // A node under a profile, or a flow log a panel shows (its profile, if the view shows it).
      const fromRef = isFlowLogRef(node) ? s.provider.profileNodesShown.find((n) => n.profile.name === node.profile.name) : undefined;
      const profileNode = profileNodeOf(node) ?? fromRef ?? (await pickProfile(s));
      if (!profileNode) return;
      // The AWS CLI runs directly, without a shell, so no profile name is ever interpreted.
      const terminal = vscode.window.createTerminal({
        name: `aws sso login (${profileNode.profile.name})`,
        shellPath: 'aws',
        shellArgs: ['sso', 'login', '--profile', profileNode.profile.name],
      });
      terminal.show();
    }),

    vscode.commands.registerCommand('flowLogs.selectRegions', async (node?: unknown, chosen?: unknown) => {
      const profileNode = profileNodeOf(node) ?? (await pickProfile(s));
      if (!profileNode) return;
      const profile = profileNode.profile;
      const current = new Set(explorer.profiles.regionsFor(profile));
      // A context menu passes the selected nodes second: only a list of region names is a pick.
      let regions = stringListArg(chosen);
      if (!regions) {
        const partition = partitionOf(profile.region ?? FALLBACK_REGION);
        // Which opt-in regions the account has enabled (DescribeRegions); without an answer within
        // a few seconds, opt-in regions are marked as such and the pick goes on.
        const optIn = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Checking the regions of ${profile.name}…` },
          () =>
            withinTime(
              s.service.regionStatus(profile, profile.region ?? [...current][0] ?? FALLBACK_REGION).catch(() => undefined),
              REGION_CHECK_WAIT_MS,
            ),
        );
        // The regions shown now first, then the rest in the table's order.
        const choices = regionChoices(partition, current, optIn);
        const items = [...choices.filter((c) => c.picked), ...choices.filter((c) => !c.picked)].map((c) => ({
          label: c.id,
          description: c.name,
          detail: c.note,
          picked: c.picked,
        }));
        const picked = await vscode.window.showQuickPick(items, {
          canPickMany: true,
          title: `Regions of ${profile.name}${partition === 'aws' ? '' : ` (partition ${partition})`}`,
          placeHolder: 'Select the regions to show (type to search names and notes, e.g. "opt-in")',
          matchOnDescription: true,
          matchOnDetail: true,
        });
        if (!picked) return;
        regions = picked.map((p) => p.label);
      }
      const state = profileNode.state;
      if (state) await explorer.chooseRegions(state, regions);
      else await explorer.profiles.setChosenRegions(profile.name, regions);
    }),

    vscode.commands.registerCommand('flowLogs.selectProfiles', async (chosen?: unknown) => {
      // The view's title menu passes the focused node: only a list of names is a choice.
      let names = stringListArg(chosen);
      if (!names) {
        const shown = new Set(s.settings.profiles());
        const all = explorer.profiles.profiles().profiles;
        const picked = await vscode.window.showQuickPick(
          all.map((p) => ({ label: p.name, description: KIND_LABELS[p.kind], picked: shown.size === 0 || shown.has(p.name) })),
          { canPickMany: true, title: 'Profiles to show in the Flow Logs view' },
        );
        if (!picked) return;
        names = picked.length === all.length ? [] : picked.map((p) => p.label);
      }
      // Always the user's settings: profile names are personal and must not land in a
      // workspace's .vscode/settings.json (often committed). A workspace value still wins there, so say so.
      const config = vscode.workspace.getConfiguration('flowLogs');
      await config.update('profiles', names, vscode.ConfigurationTarget.Global);
      if (config.inspect('profiles')?.workspaceValue !== undefined) {
        void vscode.window
          .showInformationMessage(
            "Saved in your user settings. This workspace's settings also set flowLogs.profiles and take precedence here; remove it from the workspace settings to use your choice.",
            'Open Workspace Settings',
          )
          .then((a) => (a ? vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile') : undefined));
      }
    }),

    vscode.commands.registerCommand('flowLogs.checkPermissions', async (node?: unknown) => {
      const profileNode = profileNodeOf(node) ?? (await pickProfile(s));
      if (!profileNode) return undefined;
      if (node instanceof RegionNode) {
        const listing = node.listing;
        const result = listing
          ? await explorer.checkRegionPermission(listing)
          : await s.service.checkPermission(profileNode.profile, node.region);
        notifyPermission(`${profileNode.profile.name} · ${node.region}`, result);
        return result;
      }
      // A profile: every region it shows (DryRun is cheap), each labelled, the profile summed up.
      const regions = explorer.profiles.regionsFor(profileNode.profile);
      if (!regions.length) {
        void vscode.window.showInformationMessage(
          `Profile ${profileNode.profile.name} shows no region: choose some with Select Regions… first.`,
        );
        return undefined;
      }
      // Progress in the status bar and on the Flow Logs view, not a notification: VS Code keeps a
      // progress notification up for at least 800 ms after its task ends, so it sat next to the
      // result (issue 24.10). These end when the checks end, as the result shows.
      const check = () =>
        Promise.all(regions.map(async (region) => ({ region, result: await s.service.checkPermission(profileNode.profile, region) })));
      const results = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: `Checking ${PERMISSION} for ${profileNode.profile.name} in ${regions.length} region(s)…`,
        },
        () => vscode.window.withProgress({ location: { viewId: VIEW_ID } }, check),
      );
      await profileNode.getChildren(); // lists the regions so each can show its result
      const state = profileNode.state;
      const allowed = results.filter((r) => r.result.allowed).map((r) => r.region);
      const summary = state
        ? explorer.recordPermissions(state, results)
        : { allowed: allowed.length === results.length, allowedRegions: allowed.length, regions: results.length };
      const name = profileNode.profile.name;
      const failed = results.filter((r) => !r.result.allowed);
      if (!failed.length)
        void vscode.window.showInformationMessage(
          `${PERMISSION} is allowed for ${name} in all ${results.length} shown region(s): ${regions.join(', ')} (DryRun answered DryRunOperation).`,
        );
      else
        void vscode.window.showWarningMessage(
          `${PERMISSION} for ${name}: allowed in ${allowed.length} of ${results.length} region(s). ${failed.map((f) => `${f.region}: ${f.result.allowed ? '' : f.result.error.kind === 'denied' ? `denied (${f.result.error.code ?? 'UnauthorizedOperation'})` : f.result.error.message}`).join('; ')}`,
        );
      // The first failure, as a region's check reports it (one wording, issue 14 item 3).
      const firstFailure = failed[0]?.result;
      return { ...summary, results, error: firstFailure && !firstFailure.allowed ? firstFailure.error : undefined };
    }),

    vscode.commands.registerCommand('flowLogs.openConfigFile', async (file?: unknown, line?: unknown) => {
      // (file, line) from a config-problem row; a profile's error node: the file and line of that
      // profile (its keys for a credentials error); anything else: the config file.
      let target = sharedConfigPaths(process.env).configFile;
      let at = typeof line === 'number' && Number.isInteger(line) ? line : undefined;
      // Only an error row says which profile is meant (the title bar passes any focused node).
      const profileNode = file instanceof ErrorNode ? profileNodeOf(file) : undefined;
      if (typeof file === 'string' && knownConfigFiles().includes(file)) target = file;
      else if (file instanceof ErrorNode && profileNode && profileNode.profile.kind !== 'environment') {
        const where = configLocationFor(profileNode.profile.name, CREDENTIAL_ERRORS.has(file.error.kind));
        target = where.file;
        at = where.line;
      } else at = undefined;
      const uri = vscode.Uri.file(target);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        const create = await vscode.window.showInformationMessage(`${target} does not exist. Create it?`, 'Create');
        if (create !== 'Create') return;
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('[default]\nregion = us-east-1\n'));
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      if (at !== undefined && at > 0 && at <= doc.lineCount) {
        const pos = new vscode.Position(at - 1, 0);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
      return { file: target, line: at };
    }),

    vscode.commands.registerCommand('flowLogs.showOutput', () => s.logger.channel.show(true)),
    vscode.commands.registerCommand('flowLogs.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${s.context.extension.id}`),
    ),
  ];
}

function notifyPermission(where: string, result: PermissionResult): void {
  if (result.allowed) void vscode.window.showInformationMessage(`${PERMISSION} is allowed for ${where} (DryRun answered DryRunOperation).`);
  else if (result.error.kind === 'denied')
    void vscode.window.showWarningMessage(
      `${PERMISSION} is denied for ${where} (${result.error.code ?? 'UnauthorizedOperation'}). Ask for an IAM policy that allows ${PERMISSION}.`,
    );
  else void vscode.window.showErrorMessage(`Permission check for ${where} failed: ${result.error.message}`);
}

export async function pickProfile(s: ExtensionServices): Promise<ProfileNode | undefined> {
  const nodes = s.provider.profileNodesShown;
  if (nodes.length <= 1) return nodes[0];
  const picked = await vscode.window.showQuickPick(
    nodes.map((n) => ({ label: n.profile.name, description: KIND_LABELS[n.profile.kind], node: n })),
    { title: 'Choose a profile' },
  );
  return picked?.node;
}
