// SSO accounts in a real VS Code: with the AWS CLI's token cache file in place, the Flow Logs view
// shows the session with its 40 accounts (+ the log-archive account), a found account lists its flow
// logs with role credentials from the local SSO portal, and an expired token shows Sign In.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, Fixture, children, label, description, ids, isError, isFlowLog, setting, sleep, panelLog, loadedRows } from './helpers';
import type { RegionCoverage } from '../../src/coverage/types';
import type { SearchGroup } from '../../src/aws/searchAllRegions';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import type { AthenaRun } from '../../src/athenaView/athenaPanel';
import type { TreeNode, ProfileNode, RegionNode } from './helpers';
import { ssoConfigFor, ssoDemo, ssoTokenCacheFile, SSO_DEMO_ARCHIVE_ACCOUNT } from '../emulator/fixtures';
import { registerSecret } from './faultHelpers';

const demo = ssoDemo(40);

describe('SSO accounts in the Flow Logs view', function () {
  this.timeout(90_000);
  let fx: Fixture;
  const home = process.env.HOME;

  function writeToken(expiresAt: number): void {
    const cache = ssoTokenCacheFile(
      { sessionName: demo.sessionName },
      { accessToken: demo.accessToken, expiresAt, region: demo.ssoRegion, startUrl: demo.startUrl },
    );
    fs.mkdirSync(path.join(fx.dir, '.aws', 'sso', 'cache'), { recursive: true });
    fs.writeFileSync(path.join(fx.dir, '.aws', 'sso', 'cache', cache.fileName), cache.text);
  }

  async function sessionNode(): Promise<TreeNode> {
    await vscode.commands.executeCommand('flowLogs.refresh');
    const roots = await children(fx.api);
    const node = roots.find((n) => n.kind === 'ssoSession');
    assert.ok(node, `an SSO session node at the root: ${roots.map(label).join(', ')}`);
    return node!;
  }

  /** The session's children once its accounts are listed. */
  async function listed(node: TreeNode): Promise<TreeNode[]> {
    await children(fx.api, node); // starts the listing
    const sso = fx.api.services.sso;
    const session = sso.sessions()[0];
    await sso.load(session);
    return children(fx.api, node);
  }

  before(async () => {
    registerSecret(demo.accessToken);
    fx = await fixture({ accounts: demo.accounts, sso: demo.sso, logArchive: demo.logArchive, hostile: false, profiles: () => [] });
    fx.writeConfig(ssoConfigFor(fx.emulator, demo), '');
    // The AWS CLI's token cache is under HOME (the AWS workers share this environment).
    process.env.HOME = fx.dir;
  });
  after(async () => {
    process.env.HOME = home;
    await vscode.commands.executeCommand('flowLogs.refresh');
    await fx.stop();
  });

  it('shows the signed-in session with its accounts; a found account lists its flow logs', async () => {
    writeToken(Date.now() + 3600_000);
    const node = await sessionNode();
    assert.equal(label(node), demo.sessionName);
    const kids = await listed(node);
    const accounts = kids.filter((k): k is ProfileNode => k.kind === 'profile');
    // 41 accounts; the configured profile (account 1, ReadOnlyAccess) is not found twice only with
    // that role preferred: without the setting the first role by name is used (AdministratorAccess).
    assert.equal(accounts.length, 41);
    assert.match(description(node), /41 accounts/);
    const archive = accounts.find((a) => a.profile.sso?.accountId === SSO_DEMO_ARCHIVE_ACCOUNT)!;
    assert.equal(label(archive), 'log-archive');
    assert.match(description(archive), new RegExp(`${SSO_DEMO_ARCHIVE_ACCOUNT} · LogArchiveReader`));
    const roots = await children(fx.api);
    assert.ok(
      roots.some((n) => n.kind === 'profile' && label(n) === 'sso-workload'),
      'the configured profile stays at the root',
    );

    const target = accounts.find((a) => a.profile.sso?.accountId === demo.accounts[7].accountId)!;
    const regions = (await children(fx.api, target)).filter((n): n is RegionNode => n.kind === 'region');
    const region = regions.find((r) => r.region === 'us-east-1')!;
    assert.ok(region, 'the found account shows its region');
    const flowLogs = await children(fx.api, region);
    assert.deepEqual(
      ids(flowLogs),
      fx.emulator
        .flowLogs(demo.accounts[7].accountId, 'us-east-1')
        .slice(0, ids(flowLogs).length)
        .map((f) => f.FlowLogId),
    );
    assert.ok(ids(flowLogs).length > 0);
    const lines = fx.api.outputLines().join('\n');
    assert.ok(!lines.includes(demo.accessToken), 'the token is never in the output channel');
  });

  it("reading a central bucket with the owner's profile is denied; Read with Another Profile… reads it as the archive", async () => {
    writeToken(Date.now() + 3600_000);
    const node = await sessionNode();
    const accounts = (await listed(node)).filter((k): k is ProfileNode => k.kind === 'profile');
    const owner = accounts.find((a) => a.profile.sso?.accountId === demo.accounts[7].accountId)!;
    const archive = accounts.find((a) => a.profile.sso?.accountId === SSO_DEMO_ARCHIVE_ACCOUNT)!;
    const region = (await children(fx.api, owner)).find(
      (n): n is RegionNode => n.kind === 'region' && (n as RegionNode).region === 'us-east-1',
    )!;
    const central = (await children(fx.api, region))
      .filter(isFlowLog)
      .find((n) => n.flowLog.LogDestination === `arn:aws:s3:::${demo.logArchive.bucket}`);
    assert.ok(central, 'a flow log of the account delivers to the central bucket');
    const settle = async (p: RecordsPanel | undefined) => {
      assert.ok(p, 'a records panel opened');
      for (let waited = 0; !panelLog(fx, p).posted.some((m) => m.type === 'init') && waited < 5000; waited += 50) await sleep(50);
      if (!panelLog(fx, p).posted.some((m) => m.type === 'init')) await p.handle({ type: 'ready' });
      for (let waited = 0; !p.lastOutcome && waited < 30_000; waited += 50) await sleep(50);
      await p.whenIdle();
      return p;
    };
    const denied = await settle((await vscode.commands.executeCommand('flowLogs.showRecords', central)) as RecordsPanel | undefined);
    assert.equal(denied.lastOutcome?.status, 'error');
    assert.equal(denied.lastOutcome?.status === 'error' && denied.lastOutcome.error.kind, 'denied');
    const read = await settle(
      (await vscode.commands.executeCommand('flowLogs.readWithProfile', central, archive.profile.name)) as RecordsPanel | undefined,
    );
    assert.notEqual(read.lastOutcome?.status, 'error', JSON.stringify(read.lastOutcome));
    assert.ok((await loadedRows(fx, read)).length > 0, 'the archive profile reads the records');
    assert.match(read.panel.title, new RegExp(`read as log-archive`));
    // The choice is kept for the destination: the next Show Records reads as the archive too.
    read.panel.dispose();
    const again = await settle((await vscode.commands.executeCommand('flowLogs.showRecords', central)) as RecordsPanel | undefined);
    assert.notEqual(again.lastOutcome?.status, 'error');
    again.panel.dispose();
  });

  it('Check Coverage across every account of the session: one run, progress per account, one row for a failed account', async () => {
    writeToken(Date.now() + 3600_000);
    await setting('regions', { '*': ['eu-west-1'] });
    // One workload account is denied the EC2 reads in every region (the policy as a fault).
    const denied = demo.accounts[12].accountId;
    fx.emulator.setFaults([{ fault: 'unauthorized', accountId: denied, action: 'DescribeVpcs' }]);
    try {
      await sessionNode();
      const results = (await vscode.commands.executeCommand('flowLogs.checkCoverage', {
        ssoSession: demo.sessionName,
      })) as RegionCoverage[];
      // 41 accounts (the log archive too) × 2 regions, each once.
      assert.equal(results.length, 41 * 2);
      const profiles = new Set(results.map((r) => r.profileName));
      assert.equal(profiles.size, 41);
      for (const r of results) {
        if (r.accountId === denied || r.error) {
          assert.equal(r.error?.kind, 'denied', `${r.profileName}/${r.region}: ${r.error?.message}`);
          continue;
        }
        assert.equal(r.vpcs.length, fx.emulator.network(r.accountId!, r.region).vpcs.length, `${r.profileName}/${r.region}`);
      }
      const failed = results.filter((r) => r.error);
      assert.deepEqual(failed.map((r) => r.region).sort(), ['eu-west-1', 'us-east-1']);
      assert.ok(failed.every((r) => r.profileName === failed[0].profileName));
      // The Coverage view: the failed account is one row (its two regions under it), named by its profile.
      const roots = fx.api.coverage.getChildren() as TreeNode[];
      const failedGroup = roots.find((n) => /region\(s\) failed$/.test(label(n)))!;
      assert.equal(label(failedGroup), '2 region(s) failed');
      const rows = (await fx.api.coverage.getChildren(failedGroup)) as TreeNode[];
      assert.deepEqual(rows.map(label), [`${failed[0].profileName} · 2 regions`]);
      assert.match(description(rows[0]), /^Not authorized for ec2:DescribeVpcs/);
      assert.match(String(rows[0].getTreeItem().contextValue), /\bretry\b/);
      const regions = (await fx.api.coverage.getChildren(rows[0])) as TreeNode[];
      assert.deepEqual(regions.map(label).sort(), [`${failed[0].profileName} · eu-west-1`, `${failed[0].profileName} · us-east-1`]);
      // A subset: two accounts by ID.
      const some = (await vscode.commands.executeCommand('flowLogs.checkCoverage', {
        ssoSession: demo.sessionName,
        accountIds: [demo.accounts[3].accountId, SSO_DEMO_ARCHIVE_ACCOUNT],
      })) as RegionCoverage[];
      assert.deepEqual([...new Set(some.map((r) => r.accountId))].sort(), [SSO_DEMO_ARCHIVE_ACCOUNT, demo.accounts[3].accountId].sort());
      assert.equal(some.length, 4);
    } finally {
      fx.emulator.setFaults([]);
      await setting('regions', undefined);
    }
  });

  it('Analyze with Athena on the central bucket runs as the profile chosen for it (the test above chose log-archive)', async () => {
    const node = await sessionNode();
    const accounts = (await listed(node)).filter((k): k is ProfileNode => k.kind === 'profile');
    const owner = accounts.find((a) => a.profile.sso?.accountId === demo.accounts[7].accountId)!;
    const region = (await children(fx.api, owner)).find(
      (n): n is RegionNode => n.kind === 'region' && (n as RegionNode).region === 'us-east-1',
    )!;
    const central = (await children(fx.api, region))
      .filter(isFlowLog)
      .find((n) => n.flowLog.LogDestination === `arn:aws:s3:::${demo.logArchive.bucket}`)!;
    const endTime = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await setting('athena.outputLocation', `s3://${demo.logArchive.bucket}/athena-results/`);
    const run = (await vscode.commands.executeCommand('flowLogs.analyzeWithAthena', central, {
      analysis: 'perInterface',
      startTime: endTime - 3_600_000,
      endTime,
      confirm: true,
    })) as AthenaRun | undefined;
    assert.ok(run, `an Athena run started (${fx.api.outputLines().slice(-3).join(' | ')})`);
    assert.match(run.pageState.subtitle, /read as log-archive/);
    const result = await run.done;
    run.panel.dispose();
    await setting('athena.outputLocation', undefined);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.ok(result.answer.rows.length > 0, 'the archive profile reads the central bucket through Athena');
  });

  it('Search All Regions from the palette asks over which accounts; "Some accounts…" picks three among the 41', async () => {
    writeToken(Date.now() + 3600_000);
    await sessionNode();
    const wanted = [demo.accounts[4].accountId, demo.accounts[9].accountId, SSO_DEMO_ARCHIVE_ACCOUNT];
    const asked: { title: string; items: string[]; canPickMany: boolean }[] = [];
    // The answers a user gives (VS Code's own quick input cannot be typed into from a test for
    // showQuickPick): what to look for, which accounts, then three accounts found by ID.
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = Object.getOwnPropertyDescriptor(w, 'showQuickPick');
    Object.defineProperty(w, 'showQuickPick', {
      configurable: true,
      writable: true,
      value: async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
        const list = await items;
        asked.push({ title: options?.title ?? '', items: list.map((i) => i.label), canPickMany: options?.canPickMany === true });
        if (/what to look for/.test(options?.title ?? '')) return list.find((i) => /Every flow log/.test(i.label));
        if (/over which accounts/.test(options?.title ?? ''))
          return list.find((i) => /^\$\(checklist\) Some accounts of emulator-sso/.test(i.label));
        return list.filter((i) => wanted.some((id) => String(i.description).startsWith(id)));
      },
    });
    let groups: SearchGroup<unknown>[];
    let again: SearchGroup<unknown>[];
    try {
      groups = (await vscode.commands.executeCommand('flowLogs.searchAllRegions')) as SearchGroup<unknown>[];
      // Search Again: the same three accounts, nothing asked.
      again = (await vscode.commands.executeCommand('flowLogs.rerunSearch')) as SearchGroup<unknown>[];
    } finally {
      if (original) Object.defineProperty(w, 'showQuickPick', original);
    }
    assert.deepEqual(
      asked.map((a) => a.title),
      [
        'Search All Regions: what to look for',
        'Search All Regions: over which accounts',
        'Search All Regions: accounts of emulator-sso (41)',
      ],
    );
    assert.ok(asked[1].items.some((l) => /Every account of emulator-sso/.test(l)));
    assert.equal(asked[2].items.length, 41);
    assert.deepEqual(
      again.map((g) => `${g.profileName}/${g.region}`),
      groups.map((g) => `${g.profileName}/${g.region}`),
    );
    assert.ok(asked[2].canPickMany);
    // The three accounts' regions only, each equal to the endpoint's flow logs.
    assert.equal(groups.length, 3);
    for (const g of groups) {
      const account = (g.profile as { sso?: { accountId: string } }).sso!.accountId;
      assert.ok(wanted.includes(account), account);
      assert.equal(g.error, undefined, g.error?.message);
      assert.deepEqual(
        g.flowLogs.map((f) => f.FlowLogId),
        fx.emulator.flowLogs(account, g.region).map((f) => f.FlowLogId),
      );
    }
  });

  it('an expired token shows Sign In under the session', async () => {
    writeToken(Date.now() - 60_000);
    const node = await sessionNode();
    const kids = await listed(node);
    const error = kids.find(isError);
    assert.ok(error, `an error node: ${kids.map(label).join(', ')}`);
    assert.ok(error.error.actions.includes('signIn'));
    assert.match(String(error.getTreeItem().contextValue), /\bsso\b/, 'the Sign In menu (context value sso)');
    assert.match(description(node), /sign in/);
    assert.ok(!kids.some((k) => k.kind === 'profile'));
  });
});
