// searchAllRegions: every (profile, region) walked to its last page and equal to its ground truth,
// never more than `concurrency` requests in flight, one failing target reported while the others
// complete, and an abort stopping every target.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import type { DescribeFlowLogsPage } from '../../src/aws/flowLogPager';
import { InProcessAws, workerFailure } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { summarizeSearch, searchAllRegions, type SearchGroup, type SearchTarget } from '../../src/aws/searchAllRegions';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import type { FlowLog } from '../../src/shared/types';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-south-1',
  'ap-northeast-1',
  'sa-east-1',
];

/** Per region: (index+1)*7 flow logs, so each target's truth differs. */
function truthFor(region: string): FlowLog[] {
  const n = (REGIONS.indexOf(region) + 1) * 7;
  return Array.from({ length: n }, (_, i) => ({ FlowLogId: `fl-${region}-${i}`, ResourceId: region }));
}

function targets(profileName = 'p'): SearchTarget<string>[] {
  return REGIONS.map((region) => ({ profile: profileName, profileName, region }));
}

/** A fetcher over truthFor(region) that counts requests in flight and yields between them. */
function fakeFetchers(opts: { failRegion?: string; onRequest?: () => void } = {}) {
  const stats = { inFlight: 0, maxInFlight: 0, requests: 0 };
  const fetcherFor =
    (t: SearchTarget<string>): DescribeFlowLogsPage =>
    async (req) => {
      stats.requests++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      opts.onRequest?.();
      try {
        // Let every other worker run before answering.
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
        if (t.region === opts.failRegion)
          throw workerFailure(
            Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }),
          );
        const data = truthFor(t.region);
        const offset = req.nextToken ? Number(req.nextToken) : 0;
        const end = Math.min(offset + req.pageSize, data.length);
        return { items: data.slice(offset, end), nextToken: end < data.length ? String(end) : undefined };
      } finally {
        stats.inFlight--;
      }
    };
  return { stats, fetcherFor };
}

describe('searchAllRegions', () => {
  describe('with an in-memory fetcher', () => {
    it('returns each target its ground truth, in target order', async () => {
      const { fetcherFor } = fakeFetchers();
      const groups = await searchAllRegions(targets(), { filters: [] }, fetcherFor, { concurrency: 4, pageSize: 5 });
      assert.deepEqual(
        groups.map((g) => g.region),
        REGIONS,
      );
      for (const g of groups) {
        assert.equal(g.error, undefined);
        assert.deepEqual(g.flowLogs, truthFor(g.region));
        assert.equal(g.requests, Math.ceil(truthFor(g.region).length / 5));
        assert.equal(g.profileName, 'p');
        assert.ok(g.ms >= 0);
      }
    });

    it('uses page size 1000 by default', async () => {
      const sizes: number[] = [];
      const groups = await searchAllRegions(
        targets(),
        { filters: [] },
        (t) => async (req) => {
          sizes.push(req.pageSize);
          return { items: truthFor(t.region) };
        },
        { concurrency: 2 },
      );
      assert.ok(sizes.length === REGIONS.length && sizes.every((s) => s === 1000));
      assert.deepEqual(
        groups.flatMap((g) => g.flowLogs),
        REGIONS.flatMap(truthFor),
      );
    });

    for (const concurrency of [1, 3, 7]) {
      it(`never has more than ${concurrency} request(s) in flight, and uses all ${concurrency}`, async () => {
        const { stats, fetcherFor } = fakeFetchers();
        const groups = await searchAllRegions(targets(), { filters: [] }, fetcherFor, { concurrency, pageSize: 5 });
        assert.equal(stats.maxInFlight, concurrency);
        assert.equal(stats.inFlight, 0);
        assert.equal(
          stats.requests,
          groups.reduce((n, g) => n + g.requests, 0),
        );
        assert.ok(groups.every((g) => !g.error));
      });
    }

    it('runs with one worker for a concurrency below 1, and with no targets at all', async () => {
      const { stats, fetcherFor } = fakeFetchers();
      const groups = await searchAllRegions(targets().slice(0, 3), { filters: [] }, fetcherFor, { concurrency: 0, pageSize: 50 });
      assert.equal(groups.length, 3);
      assert.equal(stats.maxInFlight, 1);
      assert.deepEqual(await searchAllRegions([], { filters: [] }, fetcherFor, { concurrency: 4 }), []);
    });

    it('reports one failing target while the others complete', async () => {
      const { fetcherFor } = fakeFetchers({ failRegion: 'eu-west-1' });
      const progress: [number, number, string][] = [];
      const groups = await searchAllRegions(targets(), { filters: [] }, fetcherFor, {
        concurrency: 3,
        pageSize: 5,
        onProgress: (done, total, g) => progress.push([done, total, g.region]),
      });
      const failed = groups.filter((g) => g.error);
      assert.deepEqual(
        failed.map((g) => g.region),
        ['eu-west-1'],
      );
      assert.equal(failed[0].error!.kind, 'throttled');
      assert.deepEqual(failed[0].flowLogs, []);
      for (const g of groups.filter((x) => !x.error)) assert.deepEqual(g.flowLogs, truthFor(g.region));
      assert.deepEqual(
        progress.map((p) => p[0]),
        REGIONS.map((_, i) => i + 1),
      );
      assert.ok(progress.every((p) => p[1] === REGIONS.length));
      assert.deepEqual(new Set(progress.map((p) => p[2])), new Set(REGIONS));
    });

    it('stops every target on abort, sending nothing after it', async () => {
      const ctl = new AbortController();
      let afterAbort = 0;
      const { stats, fetcherFor } = fakeFetchers({
        onRequest: () => {
          if (ctl.signal.aborted) afterAbort++;
          else if (stats.requests === 6) ctl.abort();
        },
      });
      const groups = await searchAllRegions(targets(), { filters: [] }, fetcherFor, { concurrency: 3, pageSize: 5, signal: ctl.signal });
      assert.equal(groups.length, REGIONS.length);
      assert.equal(afterAbort, 0);
      assert.equal(stats.requests, 6);
      const aborted = groups.filter((g) => g.error?.kind === 'aborted');
      assert.ok(aborted.length >= REGIONS.length - 3, `${aborted.length} aborted`);
      for (const g of groups) {
        assert.ok(g.error === undefined || g.error.kind === 'aborted');
        // whatever a target kept is a correct prefix of its truth
        assert.deepEqual(g.flowLogs, truthFor(g.region).slice(0, g.flowLogs.length));
      }
    });

    it('passes pager warnings on', async () => {
      const warnings: string[] = [];
      await searchAllRegions(
        targets().slice(0, 1),
        { filters: [] },
        () => async (req) => ({ items: [{ FlowLogId: 'fl-1' }], nextToken: req.nextToken ? undefined : 'a' }),
        {
          concurrency: 1,
          onWarning: (m) => warnings.push(m),
        },
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /already listed/);
    });
  });

  describe('with FlowLogService against the emulator', function () {
    this.timeout(30000);
    let em: Emulator;
    let dir: string;
    let service: FlowLogService;
    let profiles: AwsProfile[];
    const [acct1, acct2] = defaultAccounts(75);

    before(async () => {
      em = await startEmulator({ accounts: [acct1, acct2], seed: 3 });
      dir = mkdtempSync(join(tmpdir(), 'flowlogs-search-'));
      const files = awsConfigFor(em, [
        { name: 'one', account: acct1, region: 'us-east-1' },
        { name: 'two', account: acct2, region: 'us-east-1' },
      ]);
      writeFileSync(join(dir, 'config'), files.config);
      writeFileSync(join(dir, 'credentials'), files.credentials);
      const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
      const logger = new MemoryLogger();
      service = new FlowLogService(
        new InProcessAws(
          new ClientCache({
            settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
            config: () => loadSharedConfig(env),
            logger,
            env,
          }),
          listProfiles(env).profiles,
        ),
        logger,
      );
      profiles = listProfiles(env).profiles;
    });
    after(async () => {
      (service?.aws as InProcessAws | undefined)?.dispose();
      await em.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('every (profile, region) equals the emulator ground truth; the denied region is reported', async () => {
      const regions = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1'];
      const ts: SearchTarget<AwsProfile>[] = profiles.flatMap((p) =>
        regions.map((region) => ({ profile: p, profileName: p.name, region })),
      );
      const groups: SearchGroup<AwsProfile>[] = await searchAllRegions(
        ts,
        { filters: [] },
        (t) => service.describeFlowLogsPage(t.profile, t.region),
        {
          concurrency: 4,
          pageSize: 50,
        },
      );
      assert.equal(groups.length, 10);
      for (const g of groups) {
        const account = g.profileName === 'one' ? acct1 : acct2;
        if (g.profileName === 'two' && g.region === 'ap-northeast-1') {
          assert.equal(g.error?.kind, 'denied');
          assert.deepEqual(g.flowLogs, []);
          continue;
        }
        assert.equal(g.error, undefined, `${g.profileName}/${g.region}: ${g.error?.message}`);
        assert.deepEqual(g.flowLogs, em.flowLogs(account.accountId, g.region), `${g.profileName}/${g.region}`);
      }
      // acct1 has data in us-east-1 and eu-west-1 of these, acct2 in us-east-1 and eu-central-1; the rest are empty
      assert.equal(groups.filter((g) => g.flowLogs.length === 75).length, 4);
      assert.equal(groups.filter((g) => !g.error && g.flowLogs.length === 0).length, 5);
    });

    it('throttling in one region slows that region only: the others finish first, complete', async () => {
      const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
      const logger = new MemoryLogger();
      // Retries with back-off, as in the extension; eu-west-1 is throttled on every request.
      const retrying = new FlowLogService(
        new InProcessAws(
          new ClientCache({
            settings: () => ({ maxAttempts: 4, requestTimeoutMs: 5000, userAgent: 'test' }),
            config: () => loadSharedConfig(env),
            logger,
            env,
          }),
          listProfiles(env).profiles,
        ),
        logger,
      );
      em.setFaults([{ fault: 'throttle', accountId: acct1.accountId, region: 'eu-west-1', action: 'DescribeFlowLogs' }]);
      try {
        const one = profiles.find((p) => p.name === 'one')!;
        const regions = ['us-east-1', 'eu-west-1', 'eu-central-1', 'sa-east-1'];
        const ts: SearchTarget<AwsProfile>[] = regions.map((region) => ({ profile: one, profileName: 'one', region }));
        const finished: string[] = [];
        const groups = await searchAllRegions(ts, { filters: [] }, (t) => retrying.describeFlowLogsPage(t.profile, t.region), {
          concurrency: 4,
          pageSize: 50,
          onProgress: (_d, _t, g) => finished.push(g.region),
        });
        assert.equal(finished[finished.length - 1], 'eu-west-1', `finish order: ${finished.join(', ')}`);
        const throttled = groups.find((g) => g.region === 'eu-west-1')!;
        assert.equal(throttled.error?.kind, 'throttled');
        assert.equal(throttled.requests, 1, 'one request from the pager; the SDK made the retries');
        assert.equal(em.requests.filter((r) => r.region === 'eu-west-1' && r.errorCode === 'RequestLimitExceeded').length >= 4, true);
        for (const g of groups.filter((x) => x.region !== 'eu-west-1')) {
          assert.equal(g.error, undefined);
          assert.deepEqual(g.flowLogs, em.flowLogs(acct1.accountId, g.region));
        }
      } finally {
        em.setFaults([]);
        (retrying.aws as InProcessAws).dispose();
      }
    });

    it('with a filter, returns exactly what the filter matches', async () => {
      const p = profiles.find((x) => x.name === 'one')!;
      const ts = ['us-east-1', 'eu-west-1'].map((region) => ({ profile: p, profileName: p.name, region }));
      const groups = await searchAllRegions(
        ts,
        { filters: [{ Name: 'traffic-type', Values: ['REJECT'] }] },
        (t) => service.describeFlowLogsPage(t.profile, t.region),
        { concurrency: 2, pageSize: 5 },
      );
      for (const g of groups) {
        const want = em.flowLogs(acct1.accountId, g.region).filter((f) => f.TrafficType === 'REJECT');
        assert.ok(want.length > 0);
        assert.deepEqual(g.flowLogs, want);
      }
    });
  });
});

describe('summarizeSearch', () => {
  const g = (n: number, kind?: string) =>
    ({
      profile: 'p',
      profileName: 'p',
      region: 'r',
      flowLogs: Array.from({ length: n }, (_, i) => ({ FlowLogId: `fl-${i}` })),
      requests: 1,
      ms: 1,
      error: kind ? { kind, message: kind, actions: [] } : undefined,
    }) as never;
  it('counts flow logs, regions searched and failed', () => {
    assert.equal(summarizeSearch([g(3), g(0), g(0, 'denied')]), '2 of 3 region(s) searched, 3 flow log(s), 1 failed');
  });
  it('says when a cancel stopped the search, and does not count cancelled regions as failed', () => {
    assert.equal(summarizeSearch([g(2), g(1, 'aborted'), g(0, 'aborted')]), 'Search cancelled: 1 of 3 region(s) searched, 2 flow log(s)');
  });
});
