// Fault suite, a misbehaving server: a NextToken it then rejects, the previous page's last item
// again, empty pages that carry a token, the same NextToken forever. No duplicate is shown, no
// loop is endless, and duplicates / repeated tokens are reported in the output channel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, Fixture, children, ids, loadToEnd, label, setting, isLoadMore, defaultAccounts } from './helpers';
import {
  logMark,
  settles,
  errorNodes,
  contextValue,
  freshRegion,
  retryAndWait,
  dfl,
  lastSeq,
  assertUnique,
  registerSecret,
  labels,
} from './faultHelpers';

const ACCT1 = '111111111111';
const REGION = 'us-east-1';

describe('faults: a misbehaving server (pagination)', function () {
  this.timeout(60_000);
  let fx: Fixture;
  const truth = () => fx.emulator.flowLogs(ACCT1, REGION).map((f) => f.FlowLogId!);

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 1);
    fx = await fixture({ accounts: defaultAccounts(30) });
    for (const a of defaultAccounts()) registerSecret(a.secretAccessKey);
  });
  afterEach(() => fx.emulator.setFaults([]));
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await fx.stop();
  });

  it('duplicateItem on every page: each flow log shown once, a warning per page with a duplicate', async () => {
    const since = logMark(fx.api, 'duplicateItem');
    const r = await freshRegion(fx.api, 'acct1', REGION);
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'duplicateItem', action: 'DescribeFlowLogs' }]);
    const all = await settles(loadToEnd(fx.api, r, 100), 'the listing');
    assertUnique(ids(all));
    assert.deepEqual(ids(all), truth());
    assert.equal(errorNodes(all).length, 0);
    const served = dfl(fx.emulator, seq);
    assert.equal(served.length, 6, '30 flow logs, 5 a page');
    // Page 1 repeats its own first item; pages 2..6 start with the previous page's last one.
    assert.ok(
      served.every((q) => q.items === 6),
      'every page carried an extra (duplicate) item',
    );
    const warnings = since().filter((l) =>
      /returned 1 flow log\(s\) already listed on an earlier page; shown once \(profile=acct1 region=us-east-1\)/.test(l),
    );
    assert.equal(warnings.length, 6, 'one warning per page');
  });

  it('emptyPageWithToken on pages 2-4: followed automatically, then the real page; list = ground truth', async () => {
    const r = await freshRegion(fx.api, 'acct1', REGION);
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'emptyPageWithToken', action: 'DescribeFlowLogs', fromNth: 2, toNth: 4 }]);
    let kids = await children(fx.api, r);
    await vscode.commands.executeCommand('flowLogs.loadMore', kids.find(isLoadMore));
    kids = await children(fx.api, r);
    assert.deepEqual(ids(kids), truth().slice(0, 10), 'one Load more… click got past the three empty pages');
    const all = await loadToEnd(fx.api, r, 100);
    assert.deepEqual(ids(all), truth());
    assert.equal(dfl(fx.emulator, seq).length, 6 + 3);
  });

  it('emptyPageWithToken forever: each click stops after a bounded number of empty pages; Load more… stays', async () => {
    const r = await freshRegion(fx.api, 'acct1', REGION);
    fx.emulator.setFaults([{ fault: 'emptyPageWithToken', action: 'DescribeFlowLogs', fromNth: 2 }]);
    let kids = await children(fx.api, r);
    for (let click = 1; click <= 2; click++) {
      const seq = lastSeq(fx.emulator);
      await settles(Promise.resolve(vscode.commands.executeCommand('flowLogs.loadMore', kids.find(isLoadMore))), 'Load more…');
      kids = await children(fx.api, r);
      assert.equal(dfl(fx.emulator, seq).length, 10, `click ${click}: 10 empty pages, then it stops`);
      assert.deepEqual(ids(kids), truth().slice(0, 5));
      assert.ok(kids.some(isLoadMore), 'the user decides whether to go on');
      assert.equal(errorNodes(kids).length, 0);
    }
  });

  it('repeatToken (the same NextToken forever): paging stops, no duplicate, a warning', async () => {
    const since = logMark(fx.api, 'repeatToken');
    const r = await freshRegion(fx.api, 'acct1', REGION);
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'repeatToken', action: 'DescribeFlowLogs' }]);
    const all = await settles(loadToEnd(fx.api, r, 100), 'the listing');
    assertUnique(ids(all));
    assert.deepEqual(ids(all), truth().slice(0, 10), 'the pages that came before the loop');
    assert.ok(!all.some(isLoadMore), 'no Load more… that would loop');
    assert.equal(errorNodes(all).length, 0);
    assert.ok(labels(all).includes('Listing stopped early: the server repeated a page token'), 'the user sees why the list ended');
    assert.equal(dfl(fx.emulator, seq).length, 2, 'the second answer repeated the token: stopped there');
    assert.ok(
      since().some((l) =>
        /returned a NextToken it had already returned; stopped paging to avoid an endless loop \(profile=acct1 region=us-east-1\)/.test(l),
      ),
    );
  });

  it('repeatToken once: the warning offers Retry, which goes on from the last good token and lists the rest once', async () => {
    const r = await freshRegion(fx.api, 'acct1', REGION);
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'repeatToken', action: 'DescribeFlowLogs', toNth: 2 }]);
    const stopped = await settles(loadToEnd(fx.api, r, 100), 'the listing');
    assert.deepEqual(ids(stopped), truth().slice(0, 10));
    const warning = stopped.find((n) => label(n) === 'Listing stopped early: the server repeated a page token');
    assert.ok(warning, 'the warning is shown');
    assert.match(contextValue(warning), /^error\b.*\bretry\b/, 'Retry in its menus');
    assert.equal(warning.getTreeItem().command?.command, 'flowLogs.retry');
    assert.equal(dfl(fx.emulator, seq).length, 2, 'stopped at the second answer');
    fx.emulator.setFaults([]);
    const before = lastSeq(fx.emulator);
    await settles(Promise.resolve(vscode.commands.executeCommand('flowLogs.retry', warning)), 'Retry');
    const all = await settles(loadToEnd(fx.api, r, 100), 'the rest of the listing');
    assertUnique(ids(all));
    assert.deepEqual(ids(all), truth(), 'every flow log, once');
    assert.ok(!labels(all).includes('Listing stopped early: the server repeated a page token'), 'the warning is gone');
    const resumed = dfl(fx.emulator, before);
    assert.equal(resumed[0].params?.nextToken, true, 'resumed from the last good token, not from the start');
  });

  it('badNextToken on page 2: page 3 fails with an actionable error (no loop); Retry starts the region over and recovers', async () => {
    const r = await freshRegion(fx.api, 'acct1', REGION);
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'badNextToken', action: 'DescribeFlowLogs', nth: 2 }]);
    const kids = await settles(loadToEnd(fx.api, r, 100), 'the listing');
    assertUnique(ids(kids));
    assert.deepEqual(ids(kids), truth().slice(0, 10), 'pages 1 and 2 kept');
    const errs = errorNodes(kids);
    assert.equal(errs.length, 1);
    assert.equal(errs[0].error.code, 'InvalidPaginationToken');
    assert.match(label(errs[0]), /AWS rejected the request/);
    assert.match(contextValue(errs[0]), /\bretry\b/);
    assert.equal(dfl(fx.emulator, seq).length, 3);

    assert.match(label(errs[0]), /Retry starts this region over/);

    // A rejected token cannot be sent again: Retry starts the region over, from page 1.
    const seq2 = lastSeq(fx.emulator);
    const again = await retryAndWait(fx.api, r, errs[0]);
    const sent = dfl(fx.emulator, seq2);
    assert.equal(sent.length, 1, 'Retry is one request, not a loop');
    assert.equal(sent[0].params?.nextToken, false, 'it asks for the first page');
    assertUnique(ids(again));
    assert.equal(errorNodes(again).length, 0);
    const all = await loadToEnd(fx.api, r, 100);
    assert.deepEqual(ids(all), truth());
  });
});
