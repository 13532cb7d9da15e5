import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  ids,
  loadToEnd,
  label,
  description,
  setting,
  isError,
  isFlowLog,
  isLoadMore,
  defaultAccounts,
} from './helpers';

describe('tree: profiles, regions, paged flow logs', function () {
  let fx: Fixture;
  before(async () => {
    await setting('pageSize', 10);
    await setting('maxAttempts', 2);
    await setting('regions', { acct1: ['eu-west-1', 'sa-east-1'] });
    fx = await fixture({
      accounts: defaultAccounts(35),
      extraConfig: '\n[profile zz-role]\nrole_arn = arn:aws:iam::111111111111:role/x\n',
    });
  });
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await setting('regions', undefined);
    await fx.stop();
  });

  it('lists every profile of both files, sorted, with its kind', async () => {
    const roots = await children(fx.api);
    const names = roots.filter((n) => n.kind === 'profile').map(label);
    assert.deepEqual(names, ['acct1', 'acct2', 'zz-role']);
    assert.match(description(roots[0]), /static keys/);
  });

  it('shows a profile that cannot work as one actionable error node', async () => {
    const kids = await children(fx.api, await profileNode(fx.api, 'zz-role'));
    assert.equal(kids.length, 1);
    assert.ok(isError(kids[0]));
    assert.match(label(kids[0]), /role_arn is set without source_profile/);
    assert.match(String(kids[0].getTreeItem().contextValue), /config/);
  });

  it('shows the profile region plus the regions of the setting, and the account ID', async () => {
    const p = await profileNode(fx.api, 'acct1');
    const kids = await children(fx.api, p);
    assert.deepEqual(kids.map(label), ['us-east-1', 'eu-west-1', 'sa-east-1']);
    assert.match(description(p), /111111111111/);
  });

  it('loads one page on expand, then Load more…, to exactly the ground truth', async () => {
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const first = await children(fx.api, r);
    assert.equal(ids(first).length, 10);
    assert.ok(first.some(isLoadMore));
    assert.equal(description(r), '10 loaded, more available');
    const all = await loadToEnd(fx.api, r);
    const truth = fx.emulator.flowLogs('111111111111', 'us-east-1').map((f) => f.FlowLogId);
    assert.deepEqual(ids(all), truth);
    assert.equal(new Set(ids(all)).size, 35);
    assert.equal(description(r), '35 flow logs');
    assert.ok(!all.some(isLoadMore));
    assert.ok((fx.api.workerAnswers.describeFlowLogsPage ?? 0) >= 4, 'pages were fetched and parsed in the AWS workers');
  });

  it('Load all loads every remaining page', async () => {
    const r = await regionNode(fx.api, 'acct1', 'eu-west-1');
    await children(fx.api, r);
    await vscode.commands.executeCommand('flowLogs.loadAll', r);
    const all = await children(fx.api, r);
    assert.deepEqual(
      ids(all),
      fx.emulator.flowLogs('111111111111', 'eu-west-1').map((f) => f.FlowLogId),
    );
  });

  it('a second click while a page loads does not load it twice', async () => {
    const r = await regionNode(fx.api, 'acct2', 'us-east-1');
    await children(fx.api, r);
    fx.emulator.resetRequests();
    fx.emulator.setFaults([{ fault: 'latency', latencyMs: 300 }]);
    const more = (await children(fx.api, r)).find(isLoadMore)!;
    await Promise.all([
      vscode.commands.executeCommand('flowLogs.loadMore', more),
      vscode.commands.executeCommand('flowLogs.loadMore', more),
    ]);
    fx.emulator.setFaults([]);
    assert.equal(fx.emulator.requests.filter((q) => q.action === 'DescribeFlowLogs').length, 1);
    assert.equal(ids(await children(fx.api, r)).length, 20);
  });

  it('an empty region says "No flow logs"', async () => {
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', 'sa-east-1'));
    assert.deepEqual(kids.map(label), ['No flow logs']);
  });

  it('a denied region names the missing permission; the other regions still work', async () => {
    await setting('regions', { acct2: ['ap-northeast-1'] });
    const kids = await children(fx.api, await regionNode(fx.api, 'acct2', 'ap-northeast-1'));
    assert.equal(kids.length, 1);
    assert.ok(isError(kids[0]));
    assert.match(label(kids[0]), /ec2:DescribeFlowLogs/);
    // Its tooltip says the listing failed, not "0 flow logs loaded so far; Load more… fetches the rest" (issue 24.12).
    const tooltip = String((await regionNode(fx.api, 'acct2', 'ap-northeast-1')).getTreeItem().tooltip);
    assert.match(tooltip, /The listing failed: Not authorized for ec2:DescribeFlowLogs/);
    assert.doesNotMatch(tooltip, /Load more|loaded so far/);
    const ok = await children(fx.api, await regionNode(fx.api, 'acct2', 'us-east-1'));
    assert.equal(ids(ok).length, 10);
  });

  it('a failure on page k keeps pages 1..k-1; Retry resumes at page k with no gap or duplicate', async () => {
    await vscode.commands.executeCommand('flowLogs.refresh');
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    await children(fx.api, r); // page 1
    // Page 2 fails on every attempt (maxAttempts is 2).
    fx.emulator.resetRequests();
    fx.emulator.setFaults([{ fault: 'internalError', action: 'DescribeFlowLogs', fromNth: 1, toNth: 2 }]);
    let kids = await children(fx.api, r);
    await vscode.commands.executeCommand('flowLogs.loadMore', kids.find(isLoadMore));
    kids = await children(fx.api, r);
    assert.equal(ids(kids).length, 10, 'page 1 is kept');
    const err = kids.find(isError);
    assert.ok(err, 'an error node');
    assert.match(String(err.getTreeItem().contextValue), /retry/);
    fx.emulator.setFaults([]);
    await vscode.commands.executeCommand('flowLogs.retry', err);
    await new Promise((res) => setTimeout(res, 50));
    const all = await loadToEnd(fx.api, r);
    assert.deepEqual(
      ids(all),
      fx.emulator.flowLogs('111111111111', 'us-east-1').map((f) => f.FlowLogId),
    );
  });

  it('flow log nodes: label from the Name tag, description, stable id, context value for menus', async () => {
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const node = (await children(fx.api, r)).filter(isFlowLog)[0];
    const f = node.flowLog;
    const item = node.getTreeItem();
    const name = f.Tags?.find((t) => t.Key === 'Name')?.Value;
    assert.equal(item.label, name ? name.replace(/\s+/g, ' ').trim().slice(0, 80) : f.FlowLogId);
    // The destination first, as the user knows it (log group, s3://bucket/prefix, firehose/stream).
    const arnResource = (f.LogDestination ?? '').split(':').slice(5).join(':');
    const destination =
      f.LogDestinationType === 's3'
        ? `s3://${arnResource}`
        : f.LogDestinationType === 'kinesis-data-firehose'
          ? `firehose/${arnResource.replace(/^deliverystream\//, '')}`
          : f.LogGroupName;
    assert.equal(
      item.description,
      [destination, f.ResourceId, f.TrafficType].map((v) => (v!.length > 40 ? `${v!.slice(0, 39)}…` : v)).join(' · '),
    );
    // One codicon per destination type, on every healthy flow log of the region (a failing one shows a warning).
    const icons = new Map<string, Set<string>>();
    for (const n of (await children(fx.api, r)).filter(isFlowLog)) {
      const id = (n.getTreeItem().iconPath as vscode.ThemeIcon).id;
      if (n.flowLog.DeliverLogsStatus === 'FAILED') assert.equal(id, 'warning');
      else if (n.flowLog.FlowLogStatus === 'ACTIVE')
        icons.set(n.flowLog.LogDestinationType!, (icons.get(n.flowLog.LogDestinationType!) ?? new Set()).add(id));
    }
    assert.deepEqual(
      Object.fromEntries([...icons].map(([type, ids]) => [type, [...ids]])),
      Object.fromEntries(
        [...icons.keys()].map((type) => [type, [{ 'cloud-watch-logs': 'output', s3: 'archive', 'kinesis-data-firehose': 'flame' }[type]]]),
      ),
    );
    assert.ok(icons.size >= 2, `several destination types in the region: ${[...icons.keys()].join(', ')}`);
    assert.equal(item.id, `flowlog/acct1/us-east-1/${f.FlowLogId}`);
    assert.match(String(item.contextValue), /^flowLog\.resource/);
    await vscode.commands.executeCommand('flowLogs.refreshNode', r);
    const again = (await children(fx.api, r)).filter(isFlowLog)[0];
    assert.equal(again.getTreeItem().id, item.id);
  });

  it('the output channel logs each request without credentials', async () => {
    const lines = fx.api.outputLines().join('\n');
    assert.match(lines, /DescribeFlowLogs profile=acct1 region=us-east-1 pageSize=10/);
    assert.ok(!lines.includes('emulatorSecretKey1111EXAMPLE'));
  });
});
