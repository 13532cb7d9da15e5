// The TreeDataProvider of the Flow Logs view: profiles at the root, then regions, then flow logs.
import * as vscode from 'vscode';
import { AwsProfile, listProfiles, ProfileList, selectProfiles } from '../aws/profiles';
import { loadSharedConfig, sharedConfigPaths } from '../aws/sharedConfig';
import { loadSdkView, reconcileWithSdk, SdkView } from '../aws/sdkConfigView';
import { MessageNode } from './messageNode';
import { ProfileNode } from './profileNode';
import { RegionNode } from './regionNode';
import type { TreeContext, TreeNode } from './treeNode';

export class FlowLogsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private profileNodes = new Map<string, ProfileNode>();
  private list: ProfileList | undefined;

  constructor(
    private readonly ctx: TreeContext,
    private readonly shownProfiles: () => readonly string[],
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren();
    await this.ensureSdkView();
    return this.roots();
  }

  /** What the AWS SDK itself reads of the files (sdkConfigView.ts): the profiles listed are those. */
  private sdkView: SdkView | undefined;
  private sdkViewLoading: Promise<void> | undefined;

  private ensureSdkView(): Promise<void> {
    if (this.sdkView) return Promise.resolve();
    if (!this.sdkViewLoading) {
      const { configFile, credentialsFile } = sharedConfigPaths(process.env);
      const loading: Promise<void> = loadSdkView(configFile, credentialsFile).then((view) => {
        if (this.sdkViewLoading !== loading) return; // a Refresh came meanwhile
        this.sdkView = view;
        this.list = undefined; // listed again, from the SDK's view
      });
      this.sdkViewLoading = loading;
    }
    return this.sdkViewLoading;
  }

  /** The profiles as last read (read on first use, on Refresh and when the files change). */
  profiles(): ProfileList {
    if (!this.list) {
      this.list = listProfiles(process.env, this.sdkView ? reconcileWithSdk(loadSharedConfig(process.env), this.sdkView) : undefined);
      for (const p of this.list.problems) this.ctx.logger.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
      this.ctx.profilesRead?.(this.list.profiles);
      const names = new Set(this.list.profiles.map((p) => p.name));
      for (const name of [...this.profileNodes.keys()]) if (!names.has(name)) this.profileNodes.delete(name);
    }
    return this.list;
  }

  get profileNodesShown(): ProfileNode[] {
    return selectProfiles(this.profiles().profiles, this.shownProfiles()).map((p) => this.nodeFor(p));
  }

  /** Every region node of the shown profiles that has been created so far. */
  get regionNodes(): RegionNode[] {
    return this.profileNodesShown.flatMap((p) => p.regions);
  }

  private nodeFor(p: AwsProfile): ProfileNode {
    let node = this.profileNodes.get(p.name);
    if (!node || JSON.stringify(node.profile) !== JSON.stringify(p)) {
      node?.detach();
      node = new ProfileNode(p, this.ctx);
      this.profileNodes.set(p.name, node);
    }
    return node;
  }

  private roots(): TreeNode[] {
    const list = this.profiles();
    const nodes: TreeNode[] = this.profileNodesShown;
    const wanted = this.shownProfiles();
    if (nodes.length === 0 && list.profiles.length > 0 && wanted.length > 0) {
      nodes.push(
        new MessageNode('noShownProfile', undefined, `No profile matches the flowLogs.profiles setting (${wanted.join(', ')})`, {
          icon: 'info',
          tooltip: `Profiles found: ${list.profiles.map((p) => p.name).join(', ')}`,
          command: { command: 'flowLogs.selectProfiles', title: 'Select Profiles…' },
        }),
      );
    }
    if (list.problems.length) {
      const n = list.problems.length;
      const first = list.problems[0];
      nodes.push(
        new MessageNode('configProblems', undefined, `${n} problem${n > 1 ? 's' : ''} in the AWS config files`, {
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
          description: `${first.message}${first.line ? ` (line ${first.line})` : ''}`,
          tooltip: list.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'),
          contextValue: 'error config',
          command: { command: 'flowLogs.openConfigFile', title: 'Open AWS Config File', arguments: [first.file, first.line] },
        }),
      );
    }
    void vscode.commands.executeCommand('setContext', 'flowLogs.noProfiles', list.profiles.length === 0 && list.problems.length === 0);
    return nodes;
  }

  /** Redraws a node, or everything. */
  changed(node?: TreeNode): void {
    this.emitter.fire(node);
  }

  /** Refresh: re-read profiles, drop clients, caches and loaded pages, cancel requests in flight. */
  refresh(): void {
    for (const node of this.profileNodes.values()) node.detach();
    this.list = undefined;
    this.sdkView = undefined;
    this.sdkViewLoading = undefined;
    this.profileNodes.clear();
    this.emitter.fire(undefined);
  }

  /** Filters changed: every region reloads with the new filters (profiles and credentials stay). */
  resetRegions(): void {
    for (const r of this.regionNodes) r.reset();
    this.emitter.fire(undefined);
  }

  dispose(): void {
    for (const node of this.profileNodes.values()) node.reset();
    this.emitter.dispose();
  }
}
