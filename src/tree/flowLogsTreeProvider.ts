// The TreeDataProvider of the Flow Logs view: profiles at the root, then regions, then flow logs.
// It draws the explorer model (src/explorer/): a change there redraws the node of that profile or
// region. It keeps one node object per profile and region (VS Code redraws by object), each
// checked against the model's generation so a Refresh never reuses a stale one.
import * as vscode from 'vscode';
import type { ExplorerChange } from '../explorer/explorerModel';
import type { RegionListing } from '../explorer/regionListing';
import type { ProfileState } from '../explorer/profileStore';
import { MessageNode } from './messageNode';
import { ProfileNode } from './profileNode';
import { RegionNode, regionNodeId } from './regionNode';
import type { TreeContext, TreeNode } from './treeNode';
import { SsoSessionNode } from './ssoSessionNode';

export class FlowLogsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly profileNodes = new Map<string, ProfileNode>();
  private readonly regionNodes = new Map<string, RegionNode>();
  private readonly ctx: TreeContext;
  private readonly subscription: { dispose(): void };
  private readonly ssoSubscription?: { dispose(): void };
  private readonly sessionNodes = new Map<string, SsoSessionNode>();

  constructor(ctx: Omit<TreeContext, 'regionNode'>) {
    this.ctx = { ...ctx, regionNode: (parent, listing) => this.regionNodeFor(parent, listing) };
    this.subscription = ctx.explorer.onDidChange((e) => this.redraw(e));
    this.ssoSubscription = ctx.sso?.onDidChange((key) => {
      const node = key === undefined ? undefined : this.sessionNodes.get(key);
      this.emitter.fire(key === undefined ? undefined : node);
    });
  }

  /** The node of each SSO session of the config files (the accounts found are under it). */
  get sessionNodesShown(): SsoSessionNode[] {
    const sso = this.ctx.sso;
    if (!sso) return [];
    return sso.sessions().map((session) => {
      let node = this.sessionNodes.get(session.key);
      if (!node || node.session !== session) {
        node = new SsoSessionNode(session, sso, (parent, name) => this.foundProfileNode(parent, name), this.ctx.wasExpanded);
        this.sessionNodes.set(session.key, node);
      }
      return node;
    });
  }

  /** The node of an SSO account found (a profile) under its session's node. */
  private foundProfileNode(parent: SsoSessionNode, name: string): ProfileNode | undefined {
    const profile = this.ctx.explorer.profiles.profiles().profiles.find((p) => p.name === name);
    if (!profile) return undefined;
    const state = this.ctx.explorer.stateOf(profile);
    let node = this.profileNodes.get(name);
    if (!node || node.generation !== state.generation || node.parent !== parent) {
      node = new ProfileNode(profile, state.generation, this.ctx, parent);
      this.profileNodes.set(name, node);
    }
    return node;
  }

  /** The drawn node of a profile (found SSO accounts included), if any. */
  profileNodeNamed(name: string): ProfileNode | undefined {
    return this.profileNodes.get(name);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren();
    await this.ctx.explorer.profiles.ready();
    return this.roots();
  }

  /** The nodes of the shown profiles, in order. */
  get profileNodesShown(): ProfileNode[] {
    return this.ctx.explorer.shownStates().map((s) => this.profileNodeFor(s));
  }

  private profileNodeFor(state: ProfileState): ProfileNode {
    let node = this.profileNodes.get(state.profile.name);
    if (!node || node.generation !== state.generation) {
      node = new ProfileNode(state.profile, state.generation, this.ctx);
      this.profileNodes.set(state.profile.name, node);
    }
    return node;
  }

  private regionNodeFor(parent: TreeNode, listing: RegionListing): RegionNode {
    const id = regionNodeId(listing.profile.name, listing.region);
    let node = this.regionNodes.get(id);
    if (!node || node.generation !== listing.generation || node.parent !== parent) {
      node = new RegionNode(parent, listing.profile, listing.region, listing.generation, this.ctx);
      this.regionNodes.set(id, node);
    }
    return node;
  }

  private roots(): TreeNode[] {
    const list = this.ctx.explorer.profiles.profiles();
    const nodes: TreeNode[] = [...this.profileNodesShown, ...this.sessionNodesShown];
    const wanted = this.ctx.explorer.profiles.shownProfileNames();
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

  /** A change in the model: redraw the node of that profile or region (if it is drawn), or everything. */
  private redraw(e: ExplorerChange): void {
    if (!e) {
      this.emitter.fire(undefined);
      return;
    }
    const node = e.region ? this.regionNodes.get(regionNodeId(e.profile, e.region)) : this.profileNodes.get(e.profile);
    if (node && node.generation === e.generation) this.emitter.fire(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.ssoSubscription?.dispose();
    this.emitter.dispose();
  }
}
