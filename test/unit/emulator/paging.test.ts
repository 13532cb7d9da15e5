// Pagination through the real SDK paginator: every item exactly once, in order, at any page
// size; and 100,000 items page correctly (the per-page time is printed, not asserted).
import assert from 'node:assert/strict';
import { EC2Client, paginateDescribeFlowLogs } from '@aws-sdk/client-ec2';
import type { Ec2Filter } from '../../../src/shared/types';
import { startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/server';

describe('emulator pagination through the real SDK', function () {
  this.timeout(120000); // a hang guard, not a speed check: 2,000 requests at page size 5 take 30 s on a loaded 2-core machine
  const account: EmulatorAccount = {
    accountId: '444444444444',
    accessKeyId: 'AKIAPAGINGTEST000001',
    secretAccessKey: 'paging-secret',
    regions: ['us-east-1', 'eu-west-1'],
    flowLogsPerRegion: 10000,
  };
  let em: Emulator;

  before(async () => {
    em = await startEmulator({ accounts: [account], seed: 3 });
  });
  after(() => em.stop());

  const client = (region = 'us-east-1') =>
    new EC2Client({
      endpoint: em.url,
      region,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey! },
      maxAttempts: 1,
    });

  async function pageIds(pageSize: number, filters: Ec2Filter[] = [], region = 'us-east-1'): Promise<{ ids: string[]; pages: number[] }> {
    const ids: string[] = [];
    const pages: number[] = [];
    for await (const page of paginateDescribeFlowLogs({ client: client(region), pageSize }, { Filter: filters })) {
      pages.push(page.FlowLogs!.length);
      ids.push(...page.FlowLogs!.map((f) => f.FlowLogId!));
    }
    return { ids, pages };
  }

  for (const pageSize of [5, 50, 1000]) {
    it(`yields all 10,000 items exactly once with page size ${pageSize}`, async () => {
      em.resetRequests();
      const { ids, pages } = await pageIds(pageSize);
      const truth = em.flowLogs(account.accountId, 'us-east-1').map((f) => f.FlowLogId!);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.deepEqual(ids, truth);
      assert.equal(pages.length, Math.ceil(10000 / pageSize));
      assert.ok(pages.every((n) => n === pageSize));
      assert.ok(em.requests.every((r) => r.params?.maxResults === pageSize && r.status === 200));
      assert.equal(em.requests.filter((r) => r.params?.nextToken).length, pages.length - 1);
    });
  }

  it('pages a filtered query at an odd page size', async () => {
    const filters = [
      { Name: 'log-destination-type', Values: ['s3'] },
      { Name: 'tag-key', Values: ['Owner'] },
    ];
    const expected = em
      .flowLogs(account.accountId, 'eu-west-1')
      .filter((f) => f.LogDestinationType === 's3' && f.Tags!.some((t) => t.Key === 'Owner'))
      .map((f) => f.FlowLogId!);
    assert.ok(expected.length > 500);
    const { ids, pages } = await pageIds(7, filters, 'eu-west-1');
    assert.deepEqual(ids, expected);
    assert.equal(pages.length, Math.ceil(expected.length / 7));
  });

  it('pages 100,000 flow logs in one region, each once (prints ms per 1000-item page; speed is measured by npm run bench, not asserted)', async function () {
    this.timeout(180000);
    const big: EmulatorAccount = {
      ...account,
      accountId: '555555555555',
      accessKeyId: 'AKIABIGREGION0000001',
      regions: ['us-west-2'],
      flowLogsPerRegion: 100000,
    };
    const bigEm = await startEmulator({ accounts: [big], seed: 11 });
    try {
      const c = new EC2Client({
        endpoint: bigEm.url,
        region: 'us-west-2',
        credentials: { accessKeyId: big.accessKeyId, secretAccessKey: big.secretAccessKey! },
        maxAttempts: 1,
      });
      const started = performance.now();
      let firstPageMs = 0;
      let count = 0;
      const seen = new Set<string>();
      for await (const page of paginateDescribeFlowLogs({ client: c, pageSize: 1000 }, {})) {
        if (count === 0) firstPageMs = performance.now() - started;
        for (const f of page.FlowLogs!) seen.add(f.FlowLogId!);
        count += page.FlowLogs!.length;
      }
      const totalMs = performance.now() - started;
      const perPage = (totalMs - firstPageMs) / 99;
      console.log(
        `      100,000 items: first page (generation) ${firstPageMs.toFixed(0)} ms, then ${perPage.toFixed(1)} ms per 1000-item page ` +
          `through the SDK; total ${(totalMs / 1000).toFixed(1)} s`,
      );
      assert.equal(count, 100000);
      assert.equal(seen.size, 100000);
    } finally {
      await bigEm.stop();
    }
  });
});
