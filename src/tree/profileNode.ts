// An AWS profile: its kind in the description, its regions as children. Credentials are checked
// once (STS GetCallerIdentity, which also gives the account ID for ARNs): a profile whose
// credentials fail shows one actionable node instead of the same error in every region.
import * as vscode from 'vscode';
import { AwsProfile, KIND_LABELS } from '../aws/profiles';
import { classifyError, permissionWord } from '../aws/errors';
import type { PermissionResult } from '../aws/flowLogService';
import { withinTime } from '../aws/withinTime';
import { ErrorNode, MessageNode } from './messageNode';
import { RegionNode } from './regionNode';
import type { TreeContext, TreeNode } from './treeNode';

const CREDENTIAL_KINDS = new Set(['credentials', 'expired', 'sso', 'config']);
/** How long the regions wait for the credentials check before they show anyway. */
const CREDENTIAL_CHECK_WAIT_MS = 5000;

export interface ProfilePermission {
  allowed: boolean;
  allowedRegions: number;
  regions: number;
}

export class ProfileNode implements TreeNode {
  readonly kind = 'profile';
  readonly id: string;
  readonly parent = undefined;
  private readonly regionNodes = new Map<string, RegionNode>();
  accountId: string | undefined;
  permission: PermissionResult | undefined;
  /** Check Permissions on the profile checks every shown region: how many allowed it. */
  permissionSummary: ProfilePermission | undefined;

  constructor(
    readonly profile: AwsProfile,
    private readonly ctx: TreeContext,
  ) {
    this.id = `profile/${profile.name}`;
  }

  get regions(): RegionNode[] {
    return [...this.regionNodes.values()];
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.profile;
    const item = new vscode.TreeItem(
      p.name,
      this.ctx.wasExpanded?.(this.id) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const parts = [KIND_LABELS[p.kind]];
    if (this.accountId) parts.push(this.accountId);
    const sum = this.permissionSummary;
    // Nowhere allowed for a reason other than a denial (refused credentials, say): say that reason.
    if (
      sum &&
      !sum.allowed &&
      sum.allowedRegions === 0 &&
      this.permission &&
      !this.permission.allowed &&
      this.permission.error.kind !== 'denied'
    ) {
      parts.push(permissionWord(this.permission));
    } else if (sum)
      parts.push(
        sum.allowed
          ? `allowed in ${sum.regions === 1 ? 'its region' : `all ${sum.regions} regions`}`
          : `allowed in ${sum.allowedRegions} of ${sum.regions} regions`,
      );
    else if (this.permission) parts.push(permissionWord(this.permission));
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
    try {
      const lookup = this.ctx.service.accountId(p);
      const answer = await withinTime(lookup, CREDENTIAL_CHECK_WAIT_MS);
      if (answer === undefined) {
        // STS is slow: show the regions now; the account ID appears when STS answers.
        lookup.then(
          (id) => {
            this.accountId = id;
            this.ctx.changed(this);
          },
          () => undefined,
        );
      } else if (this.accountId !== answer) {
        this.accountId = answer;
        this.ctx.changed(this); // the description shows the account ID
      }
    } catch (err) {
      const error = classifyError(err, { profile: p.name, ssoProfile: p.kind === 'sso' });
      if (CREDENTIAL_KINDS.has(error.kind)) {
        return [new ErrorNode(`${this.id}/error`, this, error, () => this.retry())];
      }
      // Anything else (STS unreachable, say) does not stop the regions from trying on their own.
    }
    const regions = this.ctx.regionsFor(p);
    if (!regions.length) {
      return [
        new MessageNode(`${this.id}/noRegion`, this, 'No region: choose one with Select Regions…', {
          icon: 'info',
          command: { command: 'flowLogs.selectRegions', title: 'Select Regions…', arguments: [this] },
        }),
      ];
    }
    const wanted = new Set(regions);
    for (const r of [...this.regionNodes.keys()]) if (!wanted.has(r)) this.regionNodes.delete(r);
    return regions.map((r) => {
      let node = this.regionNodes.get(r);
      if (!node) {
        node = new RegionNode(this, p, r, this.ctx);
        this.regionNodes.set(r, node);
      }
      return node;
    });
  }

  /** Re-reads credentials and redraws (Retry on a credentials error, Refresh). */
  retry(): void {
    this.reset();
    this.ctx.changed(this);
  }

  /** The node leaves the tree (Refresh, the profile changed): its regions never load again. */
  detach(): void {
    this.reset();
    for (const r of this.regionNodes.values()) r.detach();
  }

  reset(): void {
    this.ctx.service.invalidate(this.profile.name);
    this.accountId = undefined;
    this.permission = undefined;
    this.permissionSummary = undefined;
    for (const r of this.regionNodes.values()) r.reset();
  }
}
