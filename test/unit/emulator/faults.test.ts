// Injected faults reach the real SDK as the errors AWS would give (name and HTTP status), and
// misbehaving pagination looks as specified to a paginating client.
import assert from 'node:assert/strict';
import { DescribeFlowLogsCommand, EC2Client, paginateDescribeFlowLogs } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultAccounts, startEmulator, type Emulator, type EmulatorAccount, type FaultRule } from '../../emulator/server';

async function failure(fn: () => Promise<unknown>): Promise<{ name: string; status?: number; message: string; code?: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message, code: err.code };
  }
  assert.fail('expected the call to fail');
}

describe('emulator fault injection through the real SDK', function () {
  this.timeout(20000);
  const [acct1, acct2] = defaultAccounts(60);
  let em: Emulator;

  const ec2 = (account: EmulatorAccount = acct1, region = 'us-east-1', requestTimeout?: number) =>
    new EC2Client({
      endpoint: em.url,
      region,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey! },
      maxAttempts: 1,
      // Without throwOnRequestTimeout this SDK only warns when requestTimeout passes.
      ...(requestTimeout ? { requestHandler: { requestTimeout, throwOnRequestTimeout: true } } : {}),
    });
  const sts = (account: EmulatorAccount = acct1) =>
    new STSClient({
      endpoint: em.url,
      region: 'us-east-1',
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey! },
      maxAttempts: 1,
    });
  const describe1 = (client = ec2(), MaxResults = 10) => client.send(new DescribeFlowLogsCommand({ MaxResults }));

  before(async () => {
    em = await startEmulator({ accounts: [acct1, acct2], seed: 5 });
  });
  after(() => em.stop());
  beforeEach(() => {
    em.setFaults([]);
    em.resetRequests();
  });

  const errorCases: [string, FaultRule, string, number][] = [
    ['throttle', { fault: 'throttle' }, 'RequestLimitExceeded', 503],
    ['internalError', { fault: 'internalError' }, 'InternalError', 500],
    ['expiredToken', { fault: 'expiredToken' }, 'RequestExpired', 400],
    ['authFailure', { fault: 'authFailure', accessKeyId: acct1.accessKeyId }, 'AuthFailure', 401],
    ['unauthorized', { fault: 'unauthorized', region: 'us-east-1' }, 'UnauthorizedOperation', 403],
  ];
  for (const [label, rule, name, status] of errorCases) {
    it(`${label} reaches the SDK as ${name} (${status})`, async () => {
      em.setFaults([rule]);
      const e = await failure(() => describe1());
      assert.deepEqual([e.name, e.status], [name, status]);
      assert.deepEqual(
        em.requests.map((r) => [r.faults, r.errorCode, r.status]),
        [[[label], name, status]],
      );
    });
  }

  it('throttle carries EC2 message; faults scoped to a key, account or region leave others alone', async () => {
    em.setFaults([
      { fault: 'throttle', accountId: acct1.accountId },
      { fault: 'authFailure', accessKeyId: acct1.accessKeyId, region: 'eu-west-1' },
    ]);
    assert.equal((await failure(() => describe1())).message, 'Request limit exceeded.');
    assert.equal((await describe1(ec2(acct2))).FlowLogs!.length, 10);
  });

  it('STS reports the same faults with STS codes', async () => {
    em.setFaults([{ fault: 'expiredToken', action: 'GetCallerIdentity' }]);
    const e = await failure(() => sts().send(new GetCallerIdentityCommand({})));
    assert.deepEqual([e.name, e.status], ['ExpiredToken', 403]);
    assert.equal((await describe1()).FlowLogs!.length, 10, 'the rule matches only GetCallerIdentity');
    em.setFaults([{ fault: 'throttle', action: 'GetCallerIdentity' }]);
    const t = await failure(() => sts().send(new GetCallerIdentityCommand({})));
    assert.deepEqual([t.name, t.status], ['Throttling', 400]);
  });

  it('fires on the Nth matching request and on a range, and setFaults changes rules at runtime', async () => {
    em.setFaults([{ fault: 'internalError', nth: 2 }]);
    const outcomes = [];
    for (let i = 0; i < 4; i++)
      outcomes.push(
        await describe1().then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    assert.deepEqual(outcomes, ['ok', 'InternalError', 'ok', 'ok']);
    em.setFaults([{ fault: 'throttle', fromNth: 2, toNth: 3 }]);
    const ranged = [];
    for (let i = 0; i < 4; i++)
      ranged.push(
        await describe1().then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    assert.deepEqual(ranged, ['ok', 'RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);
  });

  it('fires at a seeded rate, reproducibly', async () => {
    const run = async () => {
      em.setFaults([{ fault: 'throttle', rate: 0.5 }]);
      const out: string[] = [];
      for (let i = 0; i < 24; i++)
        out.push(
          await describe1().then(
            () => 'ok',
            () => 'x',
          ),
        );
      return out.join('');
    };
    const first = await run();
    assert.equal(await run(), first);
    assert.ok(first.includes('ok') && first.includes('x'), first);
  });

  it('adds latency with jitter', async () => {
    em.setFaults([{ fault: 'latency', latencyMs: 150, jitterMs: 50 }]);
    const started = performance.now();
    await describe1();
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 145 && elapsed < 1500, `took ${elapsed} ms`);
  });

  it('drop: the connection dies mid-body and the SDK reports a non-HTTP error', async () => {
    em.setFaults([{ fault: 'drop' }]);
    const e = await failure(() => describe1());
    // The SDK saw a 200 whose body never completed: a connection error, not a service error.
    assert.equal(e.code, 'ECONNRESET');
    assert.deepEqual([em.requests[0].faults, em.requests[0].errorCode], [['drop'], 'ConnectionDropped']);
    em.setFaults([]);
    assert.equal((await describe1()).FlowLogs!.length, 10, 'the next request works');
  });

  it('hang: no answer until the client gives up; stop() still closes promptly', async () => {
    em.setFaults([{ fault: 'hang' }]);
    const started = performance.now();
    const e = await failure(() => describe1(ec2(acct1, 'us-east-1', 300)));
    assert.ok(performance.now() - started >= 290);
    assert.match(e.name, /Timeout/);
    assert.deepEqual([em.requests[0].faults, em.requests[0].status], [['hang'], 0]);

    // A second emulator with a request hung at stop(): stop must not wait for it.
    const other = await startEmulator({ accounts: [acct1], faults: [{ fault: 'hang' }] });
    const client = new EC2Client({
      endpoint: other.url,
      region: 'us-east-1',
      credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
      maxAttempts: 1,
    });
    const pending = client.send(new DescribeFlowLogsCommand({})).then(
      () => 'answered',
      () => 'failed',
    );
    while (other.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const stopStarted = performance.now();
    await other.stop();
    assert.ok(performance.now() - stopStarted < 1000, 'stop() is prompt');
    assert.equal(await pending, 'failed');
  });

  describe('misbehaving pagination', () => {
    const truthIds = () => em.flowLogs(acct1.accountId, 'us-east-1').map((f) => f.FlowLogId!);

    async function walk(maxPages: number, stopOnSameToken = false) {
      const pages: { ids: string[]; token?: string }[] = [];
      for await (const page of paginateDescribeFlowLogs({ client: ec2(), pageSize: 10, stopOnSameToken }, {})) {
        pages.push({ ids: page.FlowLogs!.map((f) => f.FlowLogId!), token: page.NextToken });
        if (pages.length >= maxPages) break;
      }
      return pages;
    }

    it('badNextToken: the next request fails with InvalidPaginationToken', async () => {
      em.setFaults([{ fault: 'badNextToken', nth: 1 }]);
      const e = await failure(() => walk(100));
      assert.deepEqual([e.name, e.status], ['InvalidPaginationToken', 400]);
    });

    it('duplicateItem: the previous page last item appears again', async () => {
      em.setFaults([{ fault: 'duplicateItem', nth: 3 }]);
      const pages = await walk(100);
      const ids = pages.flatMap((p) => p.ids);
      const truth = truthIds();
      assert.equal(ids.length, truth.length + 1);
      assert.equal(pages[2].ids[0], pages[1].ids[9]);
      assert.deepEqual([...new Set(ids)], truth);
    });

    it('emptyPageWithToken: an empty page with a new token to the same place; nothing is lost', async () => {
      em.setFaults([{ fault: 'emptyPageWithToken', nth: 2 }]);
      const pages = await walk(100, true);
      assert.deepEqual(pages[1].ids, []);
      assert.ok(pages[1].token && pages[1].token !== pages[0].token);
      assert.deepEqual(
        pages.flatMap((p) => p.ids),
        truthIds(),
      );
    });

    it('repeatToken: the same token forever (stopOnSameToken ends it)', async () => {
      em.setFaults([{ fault: 'repeatToken' }]);
      const naive = await walk(8);
      assert.equal(naive.length, 8, 'a naive client keeps going');
      assert.equal(new Set(naive.map((p) => p.token)).size, 1);
      assert.deepEqual(naive[1].ids, naive[7].ids);
      const careful = await walk(100, true);
      assert.equal(careful.length, 2);
    });
  });

  it('rejects invalid rules from setFaults with a clear error, keeping the old ones', async () => {
    em.setFaults([{ fault: 'throttle' }]);
    assert.throws(() => em.setFaults([{ fault: 'throttle', rate: 1.5 }]), /rate must be between 0 and 1/);
    assert.equal((await failure(() => describe1())).name, 'RequestLimitExceeded');
  });
});
