// Commands on the tree itself: refresh, paging, retry, regions and profiles, permissions, config.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { ProfileNode } from '../tree/profileNode';
import { RegionNode } from '../tree/regionNode';
import { LoadMoreNode } from '../tree/loadMoreNode';
import { ErrorNode } from '../tree/messageNode';
import type { TreeNode } from '../tree/treeNode';
import { partitionOf, regionChoices } from '../aws/regions';

/** How long Select Regions waits for DescribeRegions before it offers the list without it. */
const REGION_CHECK_WAIT_MS = 5000;
import { PERMISSION } from '../aws/errors';
import { sharedConfigPaths } from '../aws/sharedConfig';

export function registerTreeCommands(s: ExtensionServices): vscode.Disposable[] {
  const { provider } = s;
  const regionOf = (node: unknown): RegionNode | undefined =>
    node instanceof RegionNode ? node : node instanceof LoadMoreNode ? node.parent : undefined;

  return [
    vscode.commands.registerCommand('flowLogs.refresh', () => provider.refresh()),

    vscode.commands.registerCommand('flowLogs.refreshNode', (node?: TreeNode) => {
      if (node instanceof ProfileNode) node.retry();
      else if (node instanceof RegionNode) {
        node.reset();
        provider.changed(node);
      } else provider.refresh();
    }),

    vscode.commands.registerCommand('flowLogs.loadMore', async (node?: TreeNode) => {
      const region = regionOf(node);
      if (!region) return undefined;
      return region.loadMore();
    }),

    vscode.commands.registerCommand('flowLogs.loadAll', async (node?: TreeNode) => {
      const region = regionOf(node);
      if (!region) return undefined;
      return vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Loading all flow logs of ${region.profile.name} · ${region.region}`, cancellable: true },
        (progress, token) => region.loadAll(token, (n) => progress.report({ message: `${n} loaded` })),
      );
    }),

    vscode.commands.registerCommand('flowLogs.retry', (node?: TreeNode) => {
      if (node instanceof ErrorNode) node.retry();
      else provider.refresh();
    }),

    vscode.commands.registerCommand('flowLogs.signIn', async (node?: TreeNode) => {
      let n: TreeNode | undefined = node;
      while (n && !(n instanceof ProfileNode)) n = n.parent;
      const profileNode = n instanceof ProfileNode ? n : await pickProfile(s);
      if (!profileNode) return;
      // The AWS CLI runs directly, without a shell, so no profile name is ever interpreted.
      const terminal = vscode.window.createTerminal({ name: `aws sso login (${profileNode.profile.name})`, shellPath: 'aws', shellArgs: ['sso', 'login', '--profile', profileNode.profile.name] });
      terminal.show();
    }),

    vscode.commands.registerCommand('flowLogs.selectRegions', async (node?: TreeNode, chosen?: string[]) => {
      const profileNode = node instanceof ProfileNode ? node : node?.parent instanceof ProfileNode ? node.parent : await pickProfile(s);
      if (!profileNode) return;
      const profile = profileNode.profile;
      const current = new Set(s.regionsFor(profile));
      let regions = chosen;
      if (!regions) {
        const partition = partitionOf(profile.region ?? 'us-east-1');
        // Which opt-in regions the account has enabled (DescribeRegions); without an answer within
        // a few seconds, opt-in regions are marked as such and the pick goes on.
        const optIn = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Checking the regions of ${profile.name}…` },
          () => Promise.race([
            s.service.regionStatus(profile, profile.region ?? [...current][0] ?? 'us-east-1').catch(() => undefined),
            new Promise<undefined>((r) => setTimeout(() => r(undefined), REGION_CHECK_WAIT_MS)),
          ]),
        );
        const items = regionChoices(partition, current, optIn).map((c) => ({ label: c.id, description: c.name, detail: c.note, picked: c.picked }));
        const picked = await vscode.window.showQuickPick(items, {
          canPickMany: true,
          title: `Regions of ${profile.name} (${partition})`,
          placeHolder: 'Select the regions to show',
          matchOnDescription: true,
        });
        if (!picked) return;
        regions = picked.map((p) => p.label);
      }
      await s.setChosenRegions(profile.name, regions);
      provider.changed(profileNode);
    }),

    vscode.commands.registerCommand('flowLogs.selectProfiles', async (chosen?: string[]) => {
      let names = chosen;
      if (!names) {
        const shown = new Set(s.settings.profiles());
        const all = provider.profiles().profiles;
        const picked = await vscode.window.showQuickPick(
          all.map((p) => ({ label: p.name, description: p.kind, picked: shown.size === 0 || shown.has(p.name) })),
          { canPickMany: true, title: 'Profiles to show in the Flow Logs view' },
        );
        if (!picked) return;
        names = picked.length === all.length ? [] : picked.map((p) => p.label);
      }
      // Write where the value lives now: a workspace value would hide a user-settings change.
      const config = vscode.workspace.getConfiguration('flowLogs');
      const target = config.inspect('profiles')?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await config.update('profiles', names, target);
    }),

    vscode.commands.registerCommand('flowLogs.checkPermissions', async (node?: TreeNode) => {
      const profileNode = node instanceof ProfileNode ? node : node instanceof RegionNode ? (node.parent as ProfileNode) : await pickProfile(s);
      if (!profileNode) return undefined;
      const region = node instanceof RegionNode ? node.region : (s.regionsFor(profileNode.profile)[0] ?? 'us-east-1');
      const result = await s.service.checkPermission(profileNode.profile, region);
      if (node instanceof RegionNode) node.permission = result;
      else profileNode.permission = result;
      provider.changed(node instanceof RegionNode ? node : profileNode);
      const where = `${profileNode.profile.name} · ${region}`;
      if (result.allowed) void vscode.window.showInformationMessage(`${PERMISSION} is allowed for ${where} (DryRun answered DryRunOperation).`);
      else if (result.error.kind === 'denied') void vscode.window.showWarningMessage(`${PERMISSION} is denied for ${where} (${result.error.code ?? 'UnauthorizedOperation'}). Ask for an IAM policy that allows ${PERMISSION}.`);
      else void vscode.window.showErrorMessage(`Permission check for ${where} failed: ${result.error.message}`);
      return result;
    }),

    vscode.commands.registerCommand('flowLogs.openConfigFile', async (file?: string, line?: number) => {
      const target = typeof file === 'string' ? file : sharedConfigPaths(process.env).configFile;
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
      if (typeof line === 'number' && line > 0) {
        const pos = new vscode.Position(line - 1, 0);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos));
      }
    }),

    vscode.commands.registerCommand('flowLogs.showOutput', () => s.logger.channel.show(true)),
    vscode.commands.registerCommand('flowLogs.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'flowLogs')),
  ];
}

export async function pickProfile(s: ExtensionServices): Promise<ProfileNode | undefined> {
  const nodes = s.provider.profileNodesShown;
  if (nodes.length <= 1) return nodes[0];
  const picked = await vscode.window.showQuickPick(nodes.map((n) => ({ label: n.profile.name, description: n.profile.kind, node: n })), { title: 'Choose a profile' });
  return picked?.node;
}

