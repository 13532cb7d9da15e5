import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SearchGroup } from '../../src/aws/searchAllRegions';
import { fixture, Fixture, setting, defaultAccounts } from './helpers';

describe('Search All Regions', function () {
  let fx: Fixture;
  before(async () => {
    await setting('regions', { '*': ['eu-west-1', 'eu-central-1', 'ap-northeast-1'] });
    fx = await fixture({ accounts: defaultAccounts(60) });
  });
  after(async () => {
    await setting('regions', undefined);
    await vscode.commands.executeCommand('flowLogs.clearFilters');
    await fx.stop();
  });

  const truth = (account: string, region: string) => fx.emulator.flowLogs(account, region);
  const byKey = (groups: SearchGroup<unknown>[]) => new Map(groups.map((g) => [`${g.profileName}/${g.region}`, g]));

  it('runs the active filters over every shown profile and region, grouped, with errors per group', async () => {
    await vscode.commands.executeCommand('flowLogs.addFilter', { name: 'traffic-type', values: ['REJECT'] });
    const groups = (await vscode.commands.executeCommand('flowLogs.searchAllRegions', {
      useActiveFilters: true,
    })) as SearchGroup<unknown>[];
    const g = byKey(groups);
    // acct1: us-east-1 + the 3 setting regions; acct2 the same: 8 (profile, region) pairs.
    assert.equal(groups.length, 8);
    for (const [profile, account] of [
      ['acct1', '111111111111'],
      ['acct2', '222222222222'],
    ]) {
      for (const region of ['us-east-1', 'eu-west-1', 'eu-central-1']) {
        const expected = truth(account, region)
          .filter((f) => f.TrafficType === 'REJECT')
          .map((f) => f.FlowLogId);
        assert.deepEqual(
          g.get(`${profile}/${region}`)!.flowLogs.map((f) => f.FlowLogId),
          expected,
          `${profile}/${region}`,
        );
        assert.equal(g.get(`${profile}/${region}`)!.error, undefined);
      }
    }
    // Account 2 is denied DescribeFlowLogs in ap-northeast-1: that group reports it, the rest go on.
    assert.equal(g.get('acct2/ap-northeast-1')!.error?.kind, 'denied');
    const every = groups.flatMap((x) => x.flowLogs);
    assert.ok(every.length > 0);
    assert.ok(
      every.every((f) => f.TrafficType === 'REJECT'),
      'the filter went to the server',
    );
  });

  it('answers "which flow logs cover this resource?" across accounts and regions', async () => {
    const target = truth('222222222222', 'eu-central-1')[3];
    const groups = (await vscode.commands.executeCommand('flowLogs.searchAllRegions', {
      resourceId: target.ResourceId,
    })) as SearchGroup<unknown>[];
    const found = groups.flatMap((x) => x.flowLogs.map((f) => `${x.profileName}/${x.region}/${f.FlowLogId}`));
    const expected: string[] = [];
    for (const [profile, account] of [
      ['acct1', '111111111111'],
      ['acct2', '222222222222'],
    ]) {
      for (const region of ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-northeast-1']) {
        if (profile === 'acct2' && region === 'ap-northeast-1') continue;
        for (const f of truth(account, region))
          if (f.ResourceId === target.ResourceId) expected.push(`${profile}/${region}/${f.FlowLogId}`);
      }
    }
    assert.ok(expected.includes(`acct2/eu-central-1/${target.FlowLogId}`));
    assert.deepEqual(found.sort(), expected.sort());
  });

  it('runs requests concurrently: several regions in flight at once', async () => {
    fx.emulator.resetRequests();
    fx.emulator.setFaults([{ fault: 'latency', latencyMs: 150, action: 'DescribeFlowLogs' }]);
    try {
      let maxInFlight = 0;
      const timer = setInterval(() => {
        const inFlight = fx.emulator.requests.filter((r) => r.action === 'DescribeFlowLogs' && r.status === 0).length;
        maxInFlight = Math.max(maxInFlight, inFlight);
      }, 10);
      await vscode.commands.executeCommand('flowLogs.searchAllRegions', { resourceId: 'vpc-*' });
      clearInterval(timer);
      assert.ok(maxInFlight >= 4, `at most ${maxInFlight} requests were in flight at once`);
    } finally {
      fx.emulator.setFaults([]);
    }
  });
});
