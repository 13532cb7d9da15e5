// The Coverage view: summary and rule set, then profile -> region -> verdict -> VPC. Nodes only
// render the RegionCoverage values the check produced (src/coverage/); a region's error is an
// ErrorNode whose Retry checks that region again.
import * as vscode from 'vscode';
import { RULE_SET } from '../coverage/rules';
import { vpcDescription, vpcLabel } from '../coverage/labels';
import { summarizeCoverage } from '../coverage/scan';
import { RegionCoverage, Verdict, VERDICT_LABELS, VERDICT_ORDER, VpcCoverage } from '../coverage/types';
import type { AwsProfile } from '../shared/profiles';
import { ErrorNode, MessageNode } from './messageNode';
import type { TreeNode } from './treeNode';

const VERDICT_ICONS: Record<Verdict, [string, string]> = {
  covered: ['pass-filled', 'testing.iconPassed'],
  failing: ['warning', 'list.warningForeground'],
  partlyCovered: ['circle-large-outline', 'charts.yellow'],
  notCovered: ['circle-slash', 'errorForeground'],
  shared: ['organization', 'charts.blue'],
};

const verdictIcon = (v: Verdict) => new vscode.ThemeIcon(VERDICT_ICONS[v][0], new vscode.ThemeColor(VERDICT_ICONS[v][1]));

/** "12 of 30 covered" over judged VPCs, plus shared ones if any. */
function counts(vpcs: VpcCoverage[]): string {
  const shared = vpcs.filter((v) => v.verdict === 'shared').length;
  const covered = vpcs.filter((v) => v.verdict === 'covered').length;
  return `${covered} of ${vpcs.length - shared} covered${shared ? `, ${shared} shared` : ''}`;
}

export class VpcNode implements TreeNode {
  readonly kind = 'vpc';
  readonly id: string;
  constructor(
    readonly parent: VerdictGroupNode,
    readonly vpc: VpcCoverage,
    readonly profile: AwsProfile,
    readonly region: string,
  ) {
    this.id = `${parent.id}/${vpc.vpcId}`;
  }
  getTreeItem(): vscode.TreeItem {
    const v = this.vpc;
    const item = new vscode.TreeItem(vpcLabel(v), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vpcDescription(v);
    const md = new vscode.MarkdownString(undefined, false);
    md.appendText(`${VERDICT_LABELS[v.verdict]}: ${v.vpcId}${v.name ? ` (${v.name})` : ''}\n\n${v.reason}`);
    if (v.ownerId) md.appendText(`\n\nOwner: ${v.ownerId}`);
    if (v.subnetsTotal) md.appendText(`\n\nSubnets with a flow log: ${v.subnetsCovered} of ${v.subnetsTotal}`);
    item.tooltip = md;
    item.iconPath = verdictIcon(v.verdict);
    item.contextValue = `vpc.${v.verdict}`;
    return item;
  }
  getChildren(): TreeNode[] {
    return [];
  }
}

export class VerdictGroupNode implements TreeNode {
  readonly kind = 'coverageGroup';
  readonly id: string;
  constructor(
    readonly parent: RegionCoverageNode,
    readonly verdict: Verdict,
    readonly vpcs: VpcCoverage[],
  ) {
    this.id = `${parent.id}/${verdict}`;
  }
  getTreeItem(): vscode.TreeItem {
    const worst = this.verdict === 'notCovered' || this.verdict === 'failing';
    const item = new vscode.TreeItem(
      VERDICT_LABELS[this.verdict],
      worst ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.description = String(this.vpcs.length);
    item.iconPath = verdictIcon(this.verdict);
    item.contextValue = 'coverageGroup';
    return item;
  }
  /** The first `shown` VPCs (the provider keeps how many per group), then a row that shows more. */
  getChildren(): TreeNode[] {
    const shown = Math.min(this.vpcs.length, this.parent.parent.provider.shownIn(this.id));
    const rows: TreeNode[] = this.vpcs.slice(0, shown).map((v) => new VpcNode(this, v, this.parent.profile, this.parent.result.region));
    if (shown < this.vpcs.length) {
      const next = Math.min(COVERAGE_PAGE, this.vpcs.length - shown);
      rows.push(
        new MessageNode(`${this.id}/more`, this, `Show ${next} more…`, {
          icon: 'unfold',
          description: `${shown} of ${this.vpcs.length} shown`,
          tooltip: `Shows the next ${next} ${VERDICT_LABELS[this.verdict].toLowerCase()} VPCs`,
          contextValue: 'coverageMore',
          command: { command: 'flowLogs.coverageShowMore', title: 'Show More', arguments: [this.id] },
        }),
      );
    }
    return rows;
  }
}

export class RegionCoverageNode implements TreeNode {
  readonly kind = 'coverageRegion';
  readonly id: string;
  constructor(
    readonly parent: ProfileCoverageNode,
    public result: RegionCoverage,
    readonly profile: AwsProfile,
    private readonly retry: (node: RegionCoverageNode) => void,
  ) {
    this.id = `coverage/${result.profileName}/${result.region}`;
  }
  retryRegion(): void {
    this.retry(this);
  }
  getTreeItem(): vscode.TreeItem {
    const r = this.result;
    const item = new vscode.TreeItem(
      r.region,
      r.error || r.vpcs.some((v) => v.verdict !== 'covered' && v.verdict !== 'shared')
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.description = r.error ? (r.error.kind === 'aborted' ? 'cancelled' : 'error') : r.vpcs.length ? counts(r.vpcs) : 'no VPCs';
    item.iconPath = new vscode.ThemeIcon(r.error ? 'error' : 'globe', r.error ? new vscode.ThemeColor('errorForeground') : undefined);
    item.contextValue = r.error ? 'coverageRegion.error' : 'coverageRegion';
    return item;
  }
  getChildren(): TreeNode[] {
    const r = this.result;
    if (r.error) return [new ErrorNode(`${this.id}/error`, this, r.error, () => this.retry(this))];
    if (!r.vpcs.length) return [new MessageNode(`${this.id}/none`, this, 'No VPCs in this region', { icon: 'info' })];
    return VERDICT_ORDER.map((v) => [v, r.vpcs.filter((x) => x.verdict === v)] as const)
      .filter(([, list]) => list.length)
      .map(([v, list]) => new VerdictGroupNode(this, v, list));
  }
}

export class ProfileCoverageNode implements TreeNode {
  readonly kind = 'coverageProfile';
  readonly id: string;
  readonly parent = undefined;
  readonly regions: RegionCoverageNode[];
  constructor(
    readonly profile: AwsProfile,
    results: RegionCoverage[],
    retry: (node: RegionCoverageNode) => void,
    readonly provider: CoverageProvider,
  ) {
    this.id = `coverage/${profile.name}`;
    this.regions = results.map((r) => new RegionCoverageNode(this, r, profile, retry));
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const results = this.regions.map((r) => r.result);
    const account = results.find((r) => r.accountId)?.accountId;
    const failed = results.filter((r) => r.error).length;
    item.description = [
      account ? `account ${account}` : '',
      counts(results.flatMap((r) => r.vpcs)),
      failed ? `${failed} region(s) failed` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = 'coverageProfile';
    return item;
  }
  getChildren(): TreeNode[] {
    return this.regions;
  }
}

class RulesNode implements TreeNode {
  readonly kind = 'message';
  readonly id = 'coverage/rules';
  readonly parent = undefined;
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      'Rule set: Security Hub EC2.6, CIS 3.9 / 3.7, plus delivery health',
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('law');
    item.tooltip = RULE_SET.join('\n\n');
    item.contextValue = 'coverageRules';
    return item;
  }
  getChildren(): TreeNode[] {
    return RULE_SET.map((rule, i) => new MessageNode(`coverage/rules/${i}`, this, rule, { tooltip: rule }));
  }
}

/** A failed region, named: "profile · region", its error beside it, Retry (click, inline, context menu). */
export class FailedRegionNode extends ErrorNode {
  constructor(
    parent: TreeNode,
    readonly region: RegionCoverageNode,
  ) {
    super(`coverage/failed/${region.result.profileName}/${region.result.region}`, parent, region.result.error!, () => region.retryRegion());
  }
  getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    const r = this.region.result;
    item.label = `${r.profileName} · ${r.region}`;
    item.description = this.error.message;
    item.tooltip = `${r.profileName} · ${r.region}: not checked\n${String(item.tooltip ?? '')}`;
    return item;
  }
}

/**
 * An account (profile) with more than one failed region: one row, "profile · N regions", the error
 * they share beside it (or how many errors), Retry checks them all again; its regions under it.
 */
export class FailedAccountNode extends ErrorNode {
  constructor(
    parent: FailedRegionsNode,
    readonly profileName: string,
    readonly regions: RegionCoverageNode[],
  ) {
    super(`coverage/failed/${profileName}`, parent, regions[0].result.error!, () => regions.forEach((r) => r.retryRegion()));
  }
  /** The regions share one error (kind and code). */
  get alike(): boolean {
    const first = this.error;
    return this.regions.every((r) => r.result.error?.kind === first.kind && r.result.error.code === first.code);
  }
  getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = `${this.profileName} · ${this.regions.length} regions`;
    item.description = this.alike ? this.error.message : `${this.regions.length} errors`;
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    item.tooltip = `${this.profileName}: ${this.regions.length} regions not checked\n${this.regions
      .map((r) => `${r.result.region}: ${r.result.error!.message}`)
      .join('\n')}`;
    return item;
  }
  getChildren(): TreeNode[] {
    return this.regions.map((r) => new FailedRegionNode(this, r));
  }
}

/** "4 region(s) failed": a row per account (its failed regions under it), so the summary's count has names. */
export class FailedRegionsNode implements TreeNode {
  readonly kind = 'message';
  readonly id = 'coverage/failed';
  readonly parent = undefined;
  constructor(private readonly regions: RegionCoverageNode[]) {}
  getTreeItem(): vscode.TreeItem {
    const accounts = new Set(this.regions.map((r) => r.result.profileName)).size;
    const item = new vscode.TreeItem(`${this.regions.length} region(s) failed`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = accounts > 1 ? `in ${accounts} accounts · not checked: Retry each` : 'not checked: Retry each';
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = this.regions
      .slice(0, 50)
      .map((r) => `${r.result.profileName} · ${r.result.region}: ${r.result.error!.message}`)
      .join('\n');
    item.contextValue = 'coverageFailed';
    return item;
  }
  getChildren(): TreeNode[] {
    const byProfile = new Map<string, RegionCoverageNode[]>();
    for (const r of this.regions) byProfile.set(r.result.profileName, [...(byProfile.get(r.result.profileName) ?? []), r]);
    return [...byProfile].map(([profileName, list]) =>
      list.length === 1 ? new FailedRegionNode(this, list[0]) : new FailedAccountNode(this, profileName, list),
    );
  }
}

/** VPC rows drawn per verdict group at a time; "Show N more…" adds as many again. */
export const COVERAGE_PAGE = 200;

export class CoverageProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  profiles: ProfileCoverageNode[] = [];
  summary: MessageNode | undefined;
  takenAt: Date | undefined;
  private readonly rules = new RulesNode();
  /** How many VPC rows each verdict group shows (view state, by group id; a new check resets it). */
  private readonly shown = new Map<string, number>();

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return n.getTreeItem();
  }
  getChildren(n?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (n) return n.getChildren();
    if (!this.summary) return [];
    // Failed (not cancelled) regions, named, right under the summary that counts them.
    const failed = this.profiles.flatMap((p) => p.regions).filter((r) => r.result.error && r.result.error.kind !== 'aborted');
    return [this.summary, ...(failed.length ? [new FailedRegionsNode(failed)] : []), this.rules, ...this.profiles];
  }

  shownIn(groupId: string): number {
    return this.shown.get(groupId) ?? COVERAGE_PAGE;
  }

  /** "Show N more…" of a verdict group (by its id); false for anything else. */
  showMore(groupId: unknown): boolean {
    if (typeof groupId !== 'string') return false;
    const group = this.profiles
      .flatMap((p) => p.regions)
      .flatMap((r) => r.getChildren())
      .find((g): g is VerdictGroupNode => g instanceof VerdictGroupNode && g.id === groupId);
    if (!group) return false;
    this.shown.set(groupId, this.shownIn(groupId) + COVERAGE_PAGE);
    this.emitter.fire(undefined); // the group's rows are new objects: redraw by id (expansion kept)
    return true;
  }
  getParent(n: TreeNode): TreeNode | undefined {
    return n.parent;
  }

  /** Every region's result, in the order checked. */
  get results(): RegionCoverage[] {
    return this.profiles.flatMap((p) => p.regions.map((r) => r.result));
  }

  set(results: { profile: AwsProfile; result: RegionCoverage }[], takenAt: Date, retry: (node: RegionCoverageNode) => void): void {
    const byProfile = new Map<string, { profile: AwsProfile; results: RegionCoverage[] }>();
    for (const { profile, result } of results) {
      let entry = byProfile.get(profile.name);
      if (!entry) byProfile.set(profile.name, (entry = { profile, results: [] }));
      entry.results.push(result);
    }
    this.profiles = [...byProfile.values()].map((e) => new ProfileCoverageNode(e.profile, e.results, retry, this));
    this.shown.clear();
    this.takenAt = takenAt;
    this.updateSummary();
    this.emitter.fire(undefined);
  }

  /** One region checked again (Retry). */
  replace(node: RegionCoverageNode, result: RegionCoverage): void {
    node.result = result;
    this.takenAt = new Date();
    this.updateSummary();
    this.emitter.fire(undefined);
  }

  private updateSummary(): void {
    const s = summarizeCoverage(this.results);
    this.summary = new MessageNode('coverage/summary', undefined, s.text, {
      icon: s.covered === s.judged && !s.failedRegions ? 'pass' : 'shield',
      description: this.takenAt ? `checked ${this.takenAt.toLocaleTimeString()}` : undefined,
      tooltip: `${s.text}\nChecked ${this.takenAt?.toISOString() ?? ''}`,
      contextValue: 'coverageSummary',
    });
  }
}
