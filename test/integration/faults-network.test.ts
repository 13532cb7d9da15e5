// Fault suite, network and server side: throttling, 500s, dropped connections, timeouts, and
// Refresh storms while pages load. Everything goes through the real tree and commands against
// the local EC2 endpoint (see TESTING.md for the table of faults and outcomes).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, Fixture, children, regionNode, ids, loadToEnd, label, setting, isLoadMore, defaultAccounts, sleep } from './helpers';
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
} from './faultHelpers';

const ACCT1 = '111111111111';

describe('faults: throttling, server errors, dropped connections, timeouts, refresh storms', function () {
  this.timeout(120_000);
  let fx: Fixture;
  const truth = (region: string) => fx.emulator.flowLogs(ACCT1, region).map((f) => f.FlowLogId!);

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 5);
    await setting('regions', { acct1: ['eu-west-1', 'ap-southeast-2'] });
    fx = await fixture({ accounts: defaultAccounts(100) });
    for (const a of defaultAccounts()) registerSecret(a.secretAccessKey);
  });
  afterEach(() => fx.emulator.setFaults([]));
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await setting('requestTimeoutSeconds', undefined);
    await setting('regions', undefined);
    await fx.stop();
  });

  it('30% throttling with maxAttempts 5: the full listing completes, every flow log exactly once, retries logged', async () => {
    const since = logMark(fx.api, 'throttle 30%');
    const seq0 = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'throttle', action: 'DescribeFlowLogs', rate: 0.3 }]);
    const r = await freshRegion(fx.api, 'acct1', 'us-east-1');
    const all = await settles(loadToEnd(fx.api, r), 'the throttled listing', 90_000);
    assert.deepEqual(errorNodes(all).map(label), [], 'no error node');
    assert.ok(!all.some(isLoadMore), 'listing complete');
    assertUnique(ids(all));
    assert.deepEqual(ids(all), truth('us-east-1'));
    assert.equal(ids(all).length, 100);

    const throttled = dfl(fx.emulator, seq0).filter((q) => q.faults.includes('throttle')).length;
    assert.ok(throttled > 0, 'the emulator throttled some requests');
    const lines = since();
    const attemptLines = lines.filter((l) => /attempt failed: RequestLimitExceeded/.test(l));
    // Each throttled attempt is logged once by the attempt middleware.
    assert.equal(attemptLines.length, throttled, lines.join('\n'));
    assert.ok(
      lines.some((l) => /DescribeFlowLogs profile=acct1 region=us-east-1 .* after \d+ attempts/.test(l)),
      'a page that needed retries says so',
    );
  });

  describe('a page k that fails on every attempt, then Retry', () => {
    const K = 3;
    const ATTEMPTS = 2;
    before(() => setting('maxAttempts', ATTEMPTS));
    after(() => setting('maxAttempts', 5));

    for (const [fault, expected] of [
      ['throttle', /throttling.*retries ran out/i],
      ['internalError', /server error \(InternalError\)/],
      ['drop', /^Network error/],
    ] as const) {
      it(`${fault} on page ${K}: pages 1..${K - 1} kept, an error node with Retry; Retry resumes at page ${K}; final list = ground truth once`, async () => {
        const r = await freshRegion(fx.api, 'acct1', 'eu-west-1');
        const seqStart = lastSeq(fx.emulator);
        fx.emulator.setFaults([
          { fault, action: 'DescribeFlowLogs', accountId: ACCT1, region: 'eu-west-1', fromNth: K, toNth: K + ATTEMPTS - 1 },
        ]);
        let kids = await children(fx.api, r); // page 1
        for (let page = 2; page <= K; page++) {
          await vscode.commands.executeCommand('flowLogs.loadMore', kids.find(isLoadMore));
          kids = await children(fx.api, r);
        }
        assert.deepEqual(ids(kids), truth('eu-west-1').slice(0, (K - 1) * 5), `pages 1..${K - 1} are kept`);
        const errs = errorNodes(kids);
        assert.equal(errs.length, 1, `one error node: ${kids.map(label).join(' | ')}`);
        assert.match(label(errs[0]), expected);
        assert.match(contextValue(errs[0]), /\bretry\b/);
        assert.ok(!kids.some(isLoadMore), 'no Load more next to the error');
        const faulted = dfl(fx.emulator, seqStart).filter((q) => q.faults.includes(fault));
        if (fault === 'drop') assert.ok(faulted.length >= 1, 'the connection was dropped');
        else assert.equal(faulted.length, ATTEMPTS, `every one of the ${ATTEMPTS} attempts failed`);

        fx.emulator.setFaults([]);
        const seq = lastSeq(fx.emulator);
        kids = await retryAndWait(fx.api, r, errs[0]);
        assert.deepEqual(ids(kids), truth('eu-west-1').slice(0, K * 5), `Retry loaded exactly page ${K}`);
        const after = dfl(fx.emulator, seq);
        assert.equal(after.length, 1, 'Retry sent one request');
        assert.equal(after[0].params?.nextToken, true, 'with the NextToken of page K (not from the start)');
        const all = await loadToEnd(fx.api, r);
        assert.deepEqual(ids(all), truth('eu-west-1'));
        assert.equal(errorNodes(all).length, 0);
      });
    }
  });

  describe('a response slower than the request timeout', () => {
    before(async () => {
      await setting('maxAttempts', 1);
      await setting('requestTimeoutSeconds', 1);
    });
    after(async () => {
      await setting('requestTimeoutSeconds', undefined);
      await setting('maxAttempts', 5);
    });

    for (const rule of [{ fault: 'hang' as const }, { fault: 'latency' as const, latencyMs: 3000 }]) {
      it(`${rule.fault}${rule.fault === 'latency' ? ' 3000 ms' : ''}: getChildren settles with a timeout error node (no endless spinner)`, async () => {
        const r = await freshRegion(fx.api, 'acct1', 'ap-southeast-2');
        const seq = lastSeq(fx.emulator);
        fx.emulator.setFaults([{ ...rule, action: 'DescribeFlowLogs' }]);
        const kids = await settles(children(fx.api, r), 'getChildren of the region', 20_000);
        const errs = errorNodes(kids);
        assert.equal(errs.length, 1, kids.map(label).join(' | '));
        assert.equal(errs[0].error.kind, 'timeout');
        assert.match(label(errs[0]), /timed out.*requestTimeoutSeconds/);
        assert.match(contextValue(errs[0]), /\bretry\b/);
        assert.equal(r.loading, false, 'the region is not left loading');
        assert.equal(dfl(fx.emulator, seq).length, 1, 'one attempt (maxAttempts 1)');
        // Once the endpoint answers again, Retry loads the first page.
        fx.emulator.setFaults([]);
        const again = await retryAndWait(fx.api, r, errs[0]);
        assert.deepEqual(ids(again), truth('ap-southeast-2').slice(0, 5));
      });
    }
  });

  it('twenty Refreshes while pages load (200 ms latency): one consistent tree, no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      fx.emulator.setFaults([{ fault: 'latency', action: 'DescribeFlowLogs', latencyMs: 200, jitterMs: 50 }]);
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await regionNode(fx.api, 'acct1', 'us-east-1');
        pending.push(children(fx.api, r));
        if (i % 3 === 1) {
          // A Load more… click on the (stale) Load more node of an earlier page, as a user could.
          pending.push(Promise.resolve(vscode.commands.executeCommand('flowLogs.loadMore', r)));
        }
        pending.push(Promise.resolve(vscode.commands.executeCommand('flowLogs.refresh')));
        await sleep(i % 2 ? 30 : 120);
      }
      const results = await settles(Promise.allSettled(pending), 'the pending loads', 60_000);
      const failed = results.filter((x) => x.status === 'rejected').map((x) => String((x as PromiseRejectedResult).reason));
      assert.deepEqual(failed, [], 'no getChildren / command promise rejected');

      fx.emulator.setFaults([]);
      const r = await regionNode(fx.api, 'acct1', 'us-east-1');
      const kids = await children(fx.api, r);
      assertUnique(ids(kids));
      assert.deepEqual(ids(kids), truth('us-east-1').slice(0, 5), 'the first page of ground truth, once');
      assert.ok(kids.some(isLoadMore));
      assert.equal(errorNodes(kids).length, 0);
      // The tree is one tree: asking again gives the same nodes, not a second copy.
      const again = await children(fx.api, r);
      assert.deepEqual(ids(again), ids(kids));
      const roots = await children(fx.api);
      assert.deepEqual(roots.filter((n) => n.kind === 'profile').map(label), ['acct1', 'acct2']);
      await sleep(300); // let stray promise jobs of the cancelled loads run
      assert.deepEqual(rejections.map(String), [], 'no unhandled promise rejection');
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
