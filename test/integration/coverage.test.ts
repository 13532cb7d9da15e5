// Check Coverage in the real VS Code host against the local endpoint's ground truth: every VPC of
// every shown profile and region once, with the verdict the ground truth gives; the Coverage view
// (summary, counts, groups, VPC nodes); a denied region as an error node whose Retry recovers;
// the VPC actions; the Markdown and CSV exports.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegionCoverage } from '../../src/coverage/types';
import type { VpcNode } from '../../src/tree/coverageNodes';
import {
  children,
  defaultAccounts,
  description,
  fixture,
  Fixture,
  isError,
  isFlowLog,
  label,
  loadToEnd,
  regionNode,
  setting,
  TreeNode,
} from './helpers';
import { expectedVerdicts } from '../emulator/vpcs/truth';

describe('Check Coverage', function () {
  let fx: Fixture;
  const accounts = defaultAccounts(40);
  const [acct1, acct2] = accounts;
  const accountOf = (profile: string) => (profile === 'acct1' ? acct1 : acct2);
  let results: RegionCoverage[];

  before(async () => {
    await setting('regions', { acct1: acct1.regions, acct2: acct2.regions });
    fx = await fixture({ accounts, coverageCases: true });
    results = (await vscode.commands.executeCommand('flowLogs.checkCoverage')) as RegionCoverage[];
  });
  after(async () => {
    await setting('regions', undefined);
    await vscode.commands.executeCommand('flowLogs.clearFilters');
    await fx.stop();
  });

  const truthOf = (r: { profileName: string; region: string }) => {
    const a = accountOf(r.profileName);
    return expectedVerdicts(a.accountId, fx.emulator.network(a.accountId, r.region), fx.emulator.flowLogs(a.accountId, r.region));
  };

  it('judges every VPC of every shown profile and region once, as the ground truth does', () => {
    assert.deepEqual(
      results.map((r) => `${r.profileName}/${r.region}`).sort(),
      [...acct1.regions.map((r) => `acct1/${r}`), ...acct2.regions.map((r) => `acct2/${r}`)].sort(),
    );
    for (const r of results) {
      if (r.profileName === 'acct2' && r.region === 'ap-northeast-1') continue;
      assert.equal(r.error, undefined, `${r.profileName}/${r.region}: ${r.error?.message}`);
      const truth = truthOf(r);
      assert.equal(r.vpcs.length, truth.size, 'every VPC once');
      assert.deepEqual(new Map(r.vpcs.map((v) => [v.vpcId, v.verdict])), truth, `${r.profileName}/${r.region}`);
      assert.equal(r.accountId, accountOf(r.profileName).accountId);
    }
    // Account 2's policy denies EC2 reads in ap-northeast-1: that region is an error, named.
    const denied = results.find((r) => r.profileName === 'acct2' && r.region === 'ap-northeast-1')!;
    assert.equal(denied.error?.kind, 'denied');
    assert.match(denied.error!.message, /^Not authorized for ec2:DescribeVpcs/);
    // The requests really went through the AWS workers, one region's listing at a time.
    assert.ok(fx.emulator.requests.some((q) => q.action === 'DescribeVpcs' && q.status === 200));
    assert.ok(fx.emulator.requests.some((q) => q.action === 'DescribeNetworkInterfaces' && q.status === 200));
  });

  const roots = () => fx.api.coverage.getChildren() as TreeNode[];
  const kids = async (n: TreeNode) => (await fx.api.coverage.getChildren(n)) as TreeNode[];

  it('shows the summary, the rule set, and profile -> region -> verdict -> VPC with counts', async () => {
    const all = results.flatMap((r) => r.vpcs);
    const covered = all.filter((v) => v.verdict === 'covered').length;
    const shared = all.filter((v) => v.verdict === 'shared').length;
    const [summary, failedGroup, rules, ...profiles] = roots();
    // Issue 24.9: the summary's "1 region(s) failed" is named right under it, each failed region a row with Retry.
    assert.equal(label(failedGroup), '1 region(s) failed');
    const failedRows = await kids(failedGroup);
    assert.deepEqual(failedRows.map(label), ['acct2 · ap-northeast-1']);
    assert.match(description(failedRows[0]), /^Not authorized for ec2:DescribeVpcs/);
    assert.match(failedRows[0].getTreeItem().contextValue ?? '', /^error\b.*\bretry\b/);
    assert.equal(label(summary), `${covered} of ${all.length - shared} VPCs covered (${shared} shared, 1 region(s) failed)`);
    assert.match(label(rules), /EC2\.6/);
    assert.ok((await kids(rules)).some((n) => /CIS AWS Foundations v1\.4\.0 3\.9/.test(label(n))));
    assert.deepEqual(profiles.map(label), ['acct1', 'acct2']);
    assert.match(description(profiles[1]), /^account 222222222222 · \d+ of \d+ covered, \d+ shared · 1 region\(s\) failed$/);
    const region = (await kids(profiles[0])).find((n) => label(n) === 'eu-west-1')!;
    const result = results.find((r) => r.profileName === 'acct1' && r.region === 'eu-west-1')!;
    const regionShared = result.vpcs.filter((v) => v.verdict === 'shared').length;
    assert.equal(
      description(region),
      `${result.vpcs.filter((v) => v.verdict === 'covered').length} of ${result.vpcs.length - regionShared} covered, ${regionShared} shared`,
    );
    const groups = await kids(region);
    assert.deepEqual(groups.map(label), ['Not covered', 'Covered but failing', 'Partly covered', 'Shared VPC', 'Covered']);
    let seen = 0;
    for (const g of groups) {
      const vpcs = (await kids(g)) as VpcNode[];
      assert.equal(description(g), String(vpcs.length));
      seen += vpcs.length;
      for (const v of vpcs) {
        assert.equal(v.kind, 'vpc');
        assert.equal(
          label(g),
          {
            covered: 'Covered',
            failing: 'Covered but failing',
            partlyCovered: 'Partly covered',
            notCovered: 'Not covered',
            shared: 'Shared VPC',
          }[v.vpc.verdict],
        );
        const item = v.getTreeItem();
        assert.equal(item.contextValue, `vpc.${v.vpc.verdict}`);
        assert.ok(description(v).includes(v.vpc.cidr!), 'CIDR shown');
        if (v.vpc.isDefault) assert.match(description(v), /· default/);
        assert.equal(label(v), v.vpc.name ?? v.vpc.vpcId, 'the name tag, else the ID');
        if (v.vpc.verdict === 'failing') assert.match(description(v), /delivery failing$/);
        if (v.vpc.verdict === 'partlyCovered') assert.match(description(v), /(ACCEPT only|\d+ of \d+ subnets|\d+ interface\(s\))$/);
      }
    }
    assert.equal(seen, result.vpcs.length);
    const defaults = result.vpcs.filter((v) => v.isDefault);
    assert.equal(defaults.length, 1);
    assert.equal(defaults[0].verdict, 'notCovered');
  });

  it('Retry on a failed region checks it again and fixes the summary', async () => {
    const acct2Node = roots().find((n) => label(n) === 'acct2')!;
    const denied = (await kids(acct2Node)).find((n) => label(n) === 'ap-northeast-1')!;
    assert.equal(description(denied), 'error');
    const [err] = await kids(denied);
    assert.ok(isError(err));
    assert.match(err.getTreeItem().contextValue ?? '', /^error\b.*\bretry\b/);
    const before = acct2.deniedRegions;
    acct2.deniedRegions = []; // the policy is fixed
    try {
      await vscode.commands.executeCommand('flowLogs.retry', err);
      for (let i = 0; i < 200 && description(denied) === 'error'; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      acct2.deniedRegions = before;
    }
    assert.match(description(denied), /^\d+ of \d+ covered/);
    assert.ok(!roots().some((n) => /^\d+ region\(s\) failed$/.test(label(n))), 'no failed region left to name');
    const truth = truthOf({ profileName: 'acct2', region: 'ap-northeast-1' });
    assert.equal(fx.api.coverage.results.find((r) => r.profileName === 'acct2' && r.region === 'ap-northeast-1')!.vpcs.length, truth.size);
    assert.doesNotMatch(label(roots()[0]), /failed/);
  });

  it('"Show Flow Logs of This VPC" filters the main tree to its resources; Copy VPC ID copies it', async () => {
    const acct1Node = roots().find((n) => label(n) === 'acct1')!;
    const region = (await kids(acct1Node)).find((n) => label(n) === 'us-east-1')!;
    const partly = (await kids(region)).find((n) => label(n) === 'Partly covered')!;
    const vpc = ((await kids(partly)) as VpcNode[]).find((v) => v.vpc.subnetsCovered > 0)!;
    assert.ok(vpc, 'a subnet-level VPC');
    assert.equal(await vscode.commands.executeCommand('flowLogs.showVpcFlowLogs', vpc), true);
    const filter = fx.api.services.filters.filters.filters;
    assert.deepEqual(
      filter.map((f) => f.name),
      ['resource-id'],
    );
    assert.ok(filter[0].values.includes(vpc.vpc.vpcId));
    const shown = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'))).filter(isFlowLog);
    assert.deepEqual(shown.map((n) => n.flowLog.FlowLogId).sort(), [...vpc.vpc.flowLogIds].sort());
    assert.ok(shown.length > 0);
    assert.equal(await vscode.commands.executeCommand('flowLogs.copyVpcId', vpc), vpc.vpc.vpcId);
    assert.equal(await vscode.env.clipboard.readText(), vpc.vpc.vpcId);
    // Whatever else VS Code may pass: nothing happens, nothing throws.
    for (const arg of [undefined, 'vpc-1', 42, vscode.Uri.file('/tmp/x'), roots()[0]]) {
      assert.equal(await vscode.commands.executeCommand('flowLogs.showVpcFlowLogs', arg), false);
      assert.equal(await vscode.commands.executeCommand('flowLogs.copyVpcId', arg), undefined);
      assert.equal(await vscode.commands.executeCommand('flowLogs.openVpcInConsole', arg), undefined);
    }
    await vscode.commands.executeCommand('flowLogs.clearFilters');
  });

  it('exports Markdown and CSV with the time, the rule set and every VPC', async () => {
    const md = vscode.Uri.file(path.join(fx.dir, 'coverage.md'));
    const csv = vscode.Uri.file(path.join(fx.dir, 'coverage.csv'));
    assert.equal(
      ((await vscode.commands.executeCommand('flowLogs.exportCoverage', { format: 'markdown', uri: md })) as vscode.Uri).fsPath,
      md.fsPath,
    );
    await vscode.commands.executeCommand('flowLogs.exportCoverage', { format: 'csv', uri: csv });
    const mdText = fs.readFileSync(md.fsPath, 'utf8');
    const csvText = fs.readFileSync(csv.fsPath, 'utf8');
    const now = fx.api.coverage.results;
    const vpcs = now.flatMap((r) => r.vpcs);
    assert.match(mdText, /^# VPC flow log coverage\n\nChecked \d{4}-\d\d-\d\dT[\d:.]+Z: \*\*\d+ of \d+ VPCs covered/);
    assert.match(mdText, /Security Hub EC2\.6/);
    assert.match(mdText, /v3\.0\.0 and v5\.0\.0 3\.7/);
    for (const v of vpcs) assert.ok(mdText.includes(v.vpcId), v.vpcId);
    const lines = csvText.trimEnd().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'checked_at');
    assert.equal(lines.length - 1, vpcs.length + now.filter((r) => r.error).length, 'one row per VPC (and per failed region)');
    for (const v of vpcs.slice(0, 20))
      assert.ok(
        lines.some((l) => l.includes(`,${v.vpcId},`)),
        v.vpcId,
      );
    assert.ok(lines.slice(1).every((l) => l.includes('EC2.6')));
    // Given only a URI, its extension picks the format.
    const byUri = vscode.Uri.file(path.join(fx.dir, 'by-uri.csv'));
    await vscode.commands.executeCommand('flowLogs.exportCoverage', byUri);
    assert.ok(fs.readFileSync(byUri.fsPath, 'utf8').startsWith('checked_at,profile,'));
  });

  it('runs on a region node of the Flow Logs tree: that region only', async () => {
    const node = await regionNode(fx.api, 'acct1', 'ap-southeast-2');
    const one = (await vscode.commands.executeCommand('flowLogs.checkCoverageOfNode', node)) as RegionCoverage[];
    assert.deepEqual(
      one.map((r) => `${r.profileName}/${r.region}`),
      ['acct1/ap-southeast-2'],
    );
    assert.deepEqual(new Map(one[0].vpcs.map((v) => [v.vpcId, v.verdict])), truthOf(one[0]));
    assert.deepEqual(roots().slice(2).map(label), ['acct1'], 'summary, rule set, the profile (no failed region)');
    const profile = (await children(fx.api)).find((n) => n.kind === 'profile' && label(n) === 'acct2')!;
    const two = (await vscode.commands.executeCommand('flowLogs.checkCoverageOfNode', profile)) as RegionCoverage[];
    assert.deepEqual(two.map((r) => r.region).sort(), [...acct2.regions].sort());
  });
});

// Issue 24.9: a region the size of the demo's (hundreds of VPCs): every VPC reachable under its
// verdict group, a large group drawn a page at a time ("Show N more…"), and a failed region named.
describe('Check Coverage: a large region', function () {
  let fx: Fixture;
  const accounts = defaultAccounts(600);
  const [acct1] = accounts;

  before(async () => {
    await setting('regions', { acct1: ['us-east-1'], acct2: ['ap-northeast-1'] });
    fx = await fixture({ accounts, coverageCases: true });
  });
  after(async () => {
    await setting('regions', undefined);
    await fx.stop();
  });

  it('every VPC is reachable, grouped by verdict, large groups paged; the failed region is a named row', async () => {
    const results = (await vscode.commands.executeCommand('flowLogs.checkCoverage')) as RegionCoverage[];
    const east = results.find((r) => r.profileName === 'acct1')!;
    const truth = expectedVerdicts(
      acct1.accountId,
      fx.emulator.network(acct1.accountId, 'us-east-1'),
      fx.emulator.flowLogs(acct1.accountId, 'us-east-1'),
    );
    assert.ok(truth.size > 400, `a large region (${truth.size} VPCs)`);
    const kids = async (n: TreeNode) => (await fx.api.coverage.getChildren(n)) as TreeNode[];
    const roots = (await fx.api.coverage.getChildren()) as TreeNode[];
    const failedRows = await kids(roots.find((n) => /^\d+ region\(s\) failed$/.test(label(n)))!);
    assert.deepEqual(
      failedRows.map(label),
      ['acct2 · ap-northeast-1'],
      failedRows.map((n) => `${label(n)}: ${description(n)} ${String(n.getTreeItem().tooltip ?? '')}`).join('\n'),
    );
    const region = (await kids(roots.find((n) => label(n) === 'acct1')!))[0];
    const groups = await kids(region);
    const reached = new Map<string, string>();
    let paged = 0;
    for (const g of groups) {
      let rows = await kids(g);
      // "Show N more…" until the group is whole: each click adds a page, never skips or repeats a VPC.
      for (
        let more = rows.find((n) => /^Show \d+ more…$/.test(label(n)));
        more;
        more = rows.find((n) => /^Show \d+ more…$/.test(label(n)))
      ) {
        paged += 1;
        const before = rows.length - 1;
        const item = more.getTreeItem();
        assert.equal(item.command?.command, 'flowLogs.coverageShowMore');
        await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
        rows = await kids(g);
        assert.ok(rows.length - 1 > before || !rows.some((n) => /more…$/.test(label(n))));
      }
      assert.ok(rows.length <= Number(description(g)));
      for (const v of rows as VpcNode[]) {
        assert.ok(!reached.has(v.vpc.vpcId), `${v.vpc.vpcId} once`);
        reached.set(v.vpc.vpcId, v.vpc.verdict);
      }
      assert.equal(rows.length, Number(description(g)), `${label(g)}: every VPC of the group reachable`);
    }
    assert.ok(paged > 0, 'at least one group was large enough to page');
    assert.deepEqual(reached, truth);
    assert.equal(east.vpcs.length, truth.size);
    // Whatever else the command is given: nothing happens.
    for (const arg of [undefined, 42, 'coverage/nope', roots[0]])
      assert.equal(await vscode.commands.executeCommand('flowLogs.coverageShowMore', arg), false);
  });
});
