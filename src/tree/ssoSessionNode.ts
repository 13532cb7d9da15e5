// An SSO sign-in session (an [sso-session] section, or a legacy SSO profile's start URL) at the root
// of the Flow Logs view: its children are the accounts the sign-in reaches, as profiles (found by
// the AWS worker, kept in the explorer's SsoDirectory). Lazy: listed when first expanded. Paged: the
// first SSO_VISIBLE_STEP accounts, then "Show more". A missing or expired token: Sign In.
import * as vscode from 'vscode';
import type { SsoSession } from '../shared/ssoProfiles';
import type { SsoDirectory } from '../explorer/ssoDirectory';
import { ErrorNode, MessageNode } from './messageNode';
import type { TreeNode } from './treeNode';

export class SsoSessionNode implements TreeNode {
  readonly kind = 'ssoSession';
  readonly id: string;
  readonly parent = undefined;

  constructor(
    readonly session: SsoSession,
    private readonly directory: SsoDirectory,
    /** The profile node of an account found (the provider keeps one per profile). */
    private readonly profileNode: (parent: SsoSessionNode, profileName: string) => TreeNode | undefined,
    private readonly wasExpanded?: (id: string) => boolean,
  ) {
    this.id = `ssoSession/${session.key}`;
  }

  getTreeItem(): vscode.TreeItem {
    const state = this.directory.stateOf(this.session);
    const item = new vscode.TreeItem(
      this.session.label,
      this.wasExpanded?.(this.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const n = state.accounts.length;
    item.description =
      state.status === 'error'
        ? 'SSO · sign in needed'
        : state.status === 'loading'
          ? `SSO · listing accounts… ${n}`
          : state.status === 'loaded'
            ? `SSO · ${n} account${n === 1 ? '' : 's'}${state.truncated ? '+' : ''}`
            : 'SSO session';
    item.tooltip = `SSO session ${this.session.label}\nStart URL: ${this.session.startUrl}\nRegion: ${this.session.ssoRegion}`;
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'ssoSession';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const state = this.directory.stateOf(this.session);
    if (state.status === 'idle') void this.directory.load(this.session);
    if (state.status === 'error' && state.error) {
      return [new ErrorNode(`${this.id}/error`, this, state.error, () => void this.directory.retry(this.session))];
    }
    const profiles = this.directory.profilesOf(this.session);
    const nodes: TreeNode[] = [];
    for (const p of profiles.slice(0, state.visible)) {
      const node = this.profileNode(this, p.name);
      if (node) nodes.push(node);
    }
    if (profiles.length > state.visible) {
      nodes.push(
        new MessageNode(`${this.id}/more/${state.visible}`, this, `Show more accounts (${profiles.length - state.visible} more)`, {
          icon: 'ellipsis',
          command: { command: 'flowLogs.ssoShowMore', title: 'Show More Accounts', arguments: [this] },
        }),
      );
    }
    if (state.status !== 'loaded') {
      nodes.push(new MessageNode(`${this.id}/loading`, this, `Listing accounts… ${state.accounts.length}`, { icon: 'loading~spin' }));
    } else if (profiles.length === 0) {
      nodes.push(new MessageNode(`${this.id}/none`, this, 'No account with a role for you', { icon: 'info' }));
    }
    return nodes;
  }
}
