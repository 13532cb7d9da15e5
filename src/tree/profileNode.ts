// An AWS profile: its kind in the description, its regions as children. Credentials are checked
// once (STS GetCallerIdentity, which also gives the account ID for ARNs, kept in the explorer
// model): a profile whose credentials fail shows one actionable node instead of the same error in
// every region.
import * as vscode from 'vscode';
import { AwsProfile, KIND_LABELS } from '../shared/profiles';
import { permissionWord } from '../shared/errors';
import type { ProfileState } from '../explorer/profileStore';
import { ErrorNode, MessageNode } from './messageNode';
import type { ProfileKey, TreeContext, TreeNode } from './treeNode';

export class ProfileNode implements TreeNode, ProfileKey {
  readonly kind = 'profile';
  readonly id: string;
  constructor(
    readonly profile: AwsProfile,
    /** The profile state's generation this node was made for: once Refresh replaced it, the node is stale. */
    readonly generation: number,
    private readonly ctx: TreeContext,
    /** An SSO account found through a sign-in is drawn under its session's node. */
    readonly parent: TreeNode | undefined = undefined,
  ) {
    this.id = `profile/${profile.name}`;
  }

  /** What the model knows of this profile; undefined once the node is stale. */
  get state(): ProfileState | undefined {
    return this.ctx.explorer.current(this.profile.name, this.generation);
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.profile;
    const state = this.state;
    const item = new vscode.TreeItem(
      p.sso?.accountName ?? p.name,
      this.ctx.wasExpanded?.(this.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    // An SSO account found through a sign-in: its ID and role (its name is the label).
    const parts = p.sso?.accountId ? [p.sso.accountId, p.sso.roleName ?? ''] : [KIND_LABELS[p.kind]];
    if (state?.accountId && !p.sso?.accountId) parts.push(state.accountId);
    const sum = state?.permissionSummary;
    const permission = state?.permission;
    // Nowhere allowed for a reason other than a denial (refused credentials, say): say that reason.
    if (sum && !sum.allowed && sum.allowedRegions === 0 && permission && !permission.allowed && permission.error.kind !== 'denied') {
      parts.push(permissionWord(permission));
    } else if (sum)
      parts.push(
        sum.allowed
          ? `allowed in ${sum.regions === 1 ? 'its region' : `all ${sum.regions} regions`}`
          : `allowed in ${sum.allowedRegions} of ${sum.regions} regions`,
      );
    else if (permission) parts.push(permissionWord(permission));
    item.description = parts.join(' · ');
    const cleartext = this.ctx.cleartextEndpoints?.(p) ?? [];
    item.tooltip = `Profile ${p.name} (${KIND_LABELS[p.kind]})${p.region ? `\nRegion: ${p.region}` : ''}${p.problem ? `\nProblem: ${p.problem}` : ''}${
      cleartext.length
        ? `\nWarning: plain http:// to a host that is not this machine, credentials and the session token travel in clear (${cleartext.join(', ')})`
        : ''
    }`;
    item.iconPath = new vscode.ThemeIcon(p.problem ? 'warning' : p.kind === 'sso' ? 'organization' : 'account');
    item.contextValue = `profile ${p.kind}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const p = this.profile;
    if (p.problem) {
      return [
        new ErrorNode(
          `${this.id}/problem`,
          this,
          { kind: 'config', message: `Profile "${p.name}" cannot be used: ${p.problem}`, actions: ['openConfig', 'retry'] },
          () => this.retry(),
        ),
      ];
    }
    const state = this.state;
    if (!state) return []; // stale: replaced by a Refresh
    const error = await this.ctx.explorer.checkCredentials(state);
    if (error) return [new ErrorNode(`${this.id}/error`, this, error, () => this.retry())];
    const listings = this.ctx.explorer.regionsOf(state);
    if (!listings.length) {
      return [
        new MessageNode(`${this.id}/noRegion`, this, 'No region: choose one with Select Regions…', {
          icon: 'info',
          command: { command: 'flowLogs.selectRegions', title: 'Select Regions…', arguments: [this] },
        }),
      ];
    }
    return listings.map((l) => this.ctx.regionNode(this, l));
  }

  /** Re-reads credentials and redraws (Retry on a credentials error, Refresh This Node). */
  retry(): void {
    const state = this.state;
    if (state) this.ctx.explorer.retryProfile(state);
  }
}
