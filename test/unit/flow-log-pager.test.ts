// FlowLogPager: pages to exactly the ground truth, resumes after a failure without duplicates or
// gaps, shares concurrent loads, honours aborts, and survives a misbehaving server, both with an
// in-memory fetcher and with FlowLogService.describeFlowLogsPage over HTTP against the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws, workerFailure } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import {
  clampPageSize,
  FlowLogPager,
  type DescribeFlowLogsPage,
  type FlowLogPageCall,
  type FlowLogPage,
  restartsListing,
} from '../../src/aws/flowLogPager';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import type { FlowLog } from '../../src/shared/types';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator, type EmulatorAccount } from '../emulator/server';

function makeLogs(n: number, prefix = 'fl-'): FlowLog[] {
  return Array.from({ length: n }, (_, i) => ({ FlowLogId: `${prefix}${String(i).padStart(17, '0')}`, ResourceId: `vpc-${i}` }));
}

/** An in-memory DescribeFlowLogs: NextToken is "t<offset>"; records every request. */
class FakeServer {
  readonly requests: FlowLogPageCall[] = [];
  /** Called before answering; may throw (it crosses classified, as from the worker), or return a replacement result. */
  hook?: (req: FlowLogPageCall, call: number) => FlowLogPage | void | Promise<FlowLogPage | void>;

  constructor(readonly data: FlowLog[]) {}

  readonly fetch: DescribeFlowLogsPage = async (req) => {
    this.requests.push(req);
    const call = this.requests.length;
    await Promise.resolve();
    let replaced: FlowLogPage | void;
    try {
      replaced = await this.hook?.(req, call);
    } catch (err) {
      throw workerFailure(err);
    }
    if (replaced) return replaced;
    let matches = this.data;
    if (req.query.flowLogIds) {
      const wanted = new Set(req.query.flowLogIds);
      matches = matches.filter((f) => wanted.has(f.FlowLogId!));
    }
    const offset = req.nextToken ? Number(req.nextToken.slice(1)) : 0;
    const end = Math.min(offset + req.pageSize, matches.length);
    return { items: matches.slice(offset, end), nextToken: end < matches.length ? `t${end}` : undefined };
  };
}

const ids = (logs: FlowLog[]) => logs.map((f) => f.FlowLogId);

describe('FlowLogPager', () => {
  describe('clampPageSize', () => {
    const table: [number, number][] = [
      [5, 5],
      [4, 5],
      [0, 5],
      [-10, 5],
      [50, 50],
      [50.9, 50],
      [1000, 1000],
      [1001, 1000],
      [1e9, 1000],
      [NaN, 50],
      [Infinity, 50],
      [-Infinity, 50],
    ];
    for (const [given, want] of table) it(`${given} -> ${want}`, () => assert.equal(clampPageSize(given), want));
  });

  describe('with an in-memory fetcher', () => {
    for (const size of [5, 50, 1000]) {
      it(`pages 1234 flow logs to exactly the ground truth at page size ${size}`, async () => {
        const server = new FakeServer(makeLogs(1234));
        const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: size });
        let loads = 0;
        while (pager.hasMore) {
          const r = await pager.loadNext();
          assert.equal(r.error, undefined);
          loads++;
          assert.ok(loads <= 1234, 'terminates');
        }
        assert.deepEqual(pager.items, server.data);
        assert.equal(pager.pagesLoaded, Math.ceil(1234 / size));
        assert.equal(server.requests.length, Math.ceil(1234 / size));
        assert.ok(server.requests.every((r) => r.pageSize === size));
        // Once finished, loadNext sends nothing.
        assert.deepEqual(await pager.loadNext(), { added: [] });
        assert.equal(server.requests.length, Math.ceil(1234 / size));
      });
    }

    it('sends the clamped page size', async () => {
      const server = new FakeServer(makeLogs(12));
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 2 });
      await pager.loadAll();
      assert.deepEqual(
        server.requests.map((r) => r.pageSize),
        [5, 5, 5],
      );
      assert.deepEqual(pager.items, server.data);
    });

    it('finishes at once on an empty result', async () => {
      const server = new FakeServer([]);
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 50 });
      assert.deepEqual(await pager.loadNext(), { added: [] });
      assert.equal(pager.hasMore, false);
      assert.equal(server.requests.length, 1);
    });

    it('a failure on page k keeps pages 1..k-1, and the next load resumes at page k', async () => {
      const server = new FakeServer(makeLogs(53));
      server.hook = (_req, call) => {
        if (call === 4)
          throw Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });
      };
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      const first = await pager.loadAll();
      assert.equal(first.error?.kind, 'throttled');
      assert.equal(pager.lastError?.kind, 'throttled');
      assert.deepEqual(pager.items, server.data.slice(0, 15));
      assert.equal(pager.hasMore, true);
      const failedToken = server.requests[3].nextToken;
      assert.equal(failedToken, 't15');

      const next = await pager.loadNext();
      assert.equal(next.error, undefined);
      assert.equal(pager.lastError, undefined);
      assert.equal(server.requests[4].nextToken, failedToken, 'the retry asks for the same page');
      assert.deepEqual(next.added, server.data.slice(15, 20));
      await pager.loadAll();
      assert.deepEqual(pager.items, server.data, 'no duplicates, no gaps');
    });

    it('concurrent loadNext calls share one request', async () => {
      const server = new FakeServer(makeLogs(20));
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      const a = pager.loadNext();
      const b = pager.loadNext();
      assert.equal(pager.loading, true);
      assert.equal(a, b);
      const [ra, rb] = await Promise.all([a, b]);
      assert.equal(ra, rb);
      assert.equal(server.requests.length, 1);
      assert.equal(pager.loading, false);
      assert.deepEqual(pager.items, server.data.slice(0, 5));
      // The next call after it is a new request for the next page.
      await pager.loadNext();
      assert.equal(server.requests.length, 2);
      assert.deepEqual(pager.items, server.data.slice(0, 10));
    });

    it('an abort before the request sends nothing and leaves the cursor', async () => {
      const server = new FakeServer(makeLogs(20));
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      await pager.loadNext();
      const ctl = new AbortController();
      ctl.abort();
      const r = await pager.loadNext(ctl.signal);
      assert.equal(r.error?.kind, 'aborted');
      assert.equal(server.requests.length, 1);
      await pager.loadAll();
      assert.deepEqual(pager.items, server.data);
      assert.deepEqual(
        server.requests.map((q) => q.nextToken),
        [undefined, 't5', 't10', 't15'],
      );
    });

    it('an abort during the request drops the late answer whole and leaves the cursor', async () => {
      const server = new FakeServer(makeLogs(20));
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      await pager.loadNext();
      const ctl = new AbortController();
      let release!: () => void;
      server.hook = (req) => (req.signal ? new Promise<void>((r) => (release = r)) : undefined);
      const pending = pager.loadNext(ctl.signal);
      await new Promise((r) => setImmediate(r));
      assert.equal(server.requests.length, 2);
      assert.equal(server.requests[1].signal, ctl.signal, 'the signal reaches the fetcher');
      ctl.abort();
      release(); // the server answers anyway, after the cancel
      const r = await pending;
      assert.equal(r.error?.kind, 'aborted');
      assert.deepEqual(r.added, []);
      assert.deepEqual(pager.items, server.data.slice(0, 5));
      assert.equal(pager.pagesLoaded, 1);
      server.hook = undefined;
      await pager.loadAll();
      assert.equal(server.requests[2].nextToken, 't5', 'resumes at the aborted page');
      assert.deepEqual(pager.items, server.data);
    });

    it('a rejected page token: the pager says Retry must start the listing over; other errors resume', async () => {
      const server = new FakeServer(makeLogs(12));
      server.hook = (_req, call) => {
        if (call === 2)
          throw Object.assign(new Error('The specified pagination token is not valid'), {
            name: 'InvalidPaginationToken',
            $metadata: { httpStatusCode: 400 },
          });
        if (call === 3) throw Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' });
      };
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      assert.equal(pager.restartsOnRetry, false);
      const r = await pager.loadAll();
      assert.equal(r.error?.code, 'InvalidPaginationToken');
      assert.equal(restartsListing(r.error!), true);
      assert.equal(pager.restartsOnRetry, true);
      const again = await pager.loadAll();
      assert.equal(again.error?.kind, 'throttled');
      assert.equal(pager.restartsOnRetry, false);
      assert.equal(restartsListing({ kind: 'invalidInput', code: 'InvalidNextToken', message: 'x', actions: [] }), true);
    });

    it('a fetcher that rejects with an AbortError is reported as aborted, and resumable', async () => {
      const server = new FakeServer(makeLogs(8));
      server.hook = (_req, call) => {
        if (call === 1) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      };
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      assert.equal((await pager.loadNext()).error?.kind, 'aborted');
      await pager.loadAll();
      assert.deepEqual(pager.items, server.data);
    });

    it('drops items already listed and warns', async () => {
      const server = new FakeServer(makeLogs(10));
      server.hook = (req) => (req.nextToken === 't5' ? { items: [server.data[4], ...server.data.slice(5, 10)] } : undefined);
      const warnings: string[] = [];
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, onWarning: (m) => warnings.push(m) });
      await pager.loadAll();
      assert.deepEqual(pager.items, server.data);
      assert.equal(pager.duplicatesDropped, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /1 flow log\(s\) already listed/);
    });

    it('keeps items without a FlowLogId (cannot tell them apart)', async () => {
      const server = new FakeServer([{ ResourceId: 'a' }, { ResourceId: 'b' }]);
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      await pager.loadAll();
      assert.equal(pager.items.length, 2);
    });

    it('follows empty pages that carry a NextToken, up to maxEmptyPagesPerLoad per load', async () => {
      const server = new FakeServer(makeLogs(10));
      let n = 0;
      server.hook = (req) =>
        req.nextToken === 't5' || req.nextToken?.startsWith('e')
          ? n++ < 2
            ? { items: [], nextToken: `e${n}` }
            : { items: server.data.slice(5), nextToken: undefined }
          : undefined;
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, maxEmptyPagesPerLoad: 5 });
      await pager.loadNext();
      const second = await pager.loadNext();
      assert.deepEqual(second.added, server.data.slice(5), 'two empty pages were followed within one load');
      assert.equal(server.requests.length, 4);
      assert.equal(pager.hasMore, false);
    });

    it('stops a load after maxEmptyPagesPerLoad empty pages, keeping "more"', async () => {
      const server = new FakeServer([]);
      let n = 0;
      server.hook = () => ({ items: [], nextToken: `e${++n}` });
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, maxEmptyPagesPerLoad: 3 });
      const r = await pager.loadNext();
      assert.deepEqual(r, { added: [] });
      assert.equal(server.requests.length, 3);
      assert.equal(pager.hasMore, true);
    });

    it('ends after maxPages against a server that never stops, with a warning', async () => {
      const server = new FakeServer([]);
      let n = 0;
      server.hook = () => ({ items: [], nextToken: `e${++n}` });
      const warnings: string[] = [];
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, maxEmptyPagesPerLoad: 4, maxPages: 10 });
      const r = await pager.loadAll();
      assert.equal(r.error, undefined);
      assert.equal(pager.hasMore, false);
      assert.equal(server.requests.length, 10);
      assert.ok(warnings.length === 0); // onWarning not given: nothing to call, and no throw
      const pager2 = new FlowLogPager(
        server.fetch,
        { filters: [] },
        { pageSize: 5, maxEmptyPagesPerLoad: 4, maxPages: 6, onWarning: (m) => warnings.push(m) },
      );
      await pager2.loadAll();
      assert.deepEqual(warnings, ['Stopped after 6 pages']);
    });

    it('stops at a NextToken it has seen before, with a warning (no endless loop)', async () => {
      const server = new FakeServer(makeLogs(30));
      server.hook = (req) => (req.nextToken === 't10' ? { items: server.data.slice(10, 15), nextToken: 't5' } : undefined);
      const warnings: string[] = [];
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, onWarning: (m) => warnings.push(m) });
      const r = await pager.loadAll();
      assert.equal(r.error, undefined);
      assert.equal(pager.hasMore, false);
      assert.deepEqual(pager.items, server.data.slice(0, 15));
      assert.equal(server.requests.length, 3);
      assert.match(warnings[0], /NextToken it had already returned/);
    });

    it('splits more than 1000 FlowLogIds into requests of at most 1000, every flow log once', async () => {
      const data = makeLogs(2500);
      const server = new FakeServer(data);
      const wanted = [...ids(data), ...ids(data.slice(0, 10)), 'fl-99999999999999999'] as string[]; // repeats and an unknown ID
      const pager = new FlowLogPager(
        server.fetch,
        { filters: [{ Name: 'resource-type', Values: ['VPC'] }], flowLogIds: wanted },
        { pageSize: 1000 },
      );
      const progress: number[] = [];
      const r = await pager.loadAll(undefined, (n) => progress.push(n));
      assert.equal(r.error, undefined);
      assert.deepEqual(ids(pager.items), ids(data));
      assert.ok(server.requests.every((q) => q.query.flowLogIds!.length <= 1000));
      assert.equal(new Set(server.requests.flatMap((q) => q.query.flowLogIds!)).size, 2501);
      assert.ok(server.requests.every((q) => q.query.filters.length === 1));
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
      );
      assert.equal(progress.at(-1), 2500);
    });

    it('loadAll returns what it added and the error it stopped at', async () => {
      const server = new FakeServer(makeLogs(12));
      server.hook = (_req, call) => {
        if (call === 2) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      };
      const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
      const r = await pager.loadAll();
      assert.equal(r.error?.kind, 'network');
      assert.deepEqual(r.added, server.data.slice(0, 5));
      const rest = await pager.loadAll();
      assert.equal(rest.error, undefined);
      assert.deepEqual(rest.added, server.data.slice(5));
    });
  });

  describe('with FlowLogService.describeFlowLogsPage against the emulator', function () {
    this.timeout(30000);
    let em: Emulator;
    let dir: string;
    let service: FlowLogService;
    let logger: MemoryLogger;
    let profile: AwsProfile;
    let bigProfile: AwsProfile;
    const [acct] = defaultAccounts(120);
    const big: EmulatorAccount = {
      accountId: '333333333333',
      accessKeyId: 'AKIAEMULATOR3333EXAMPLE',
      secretAccessKey: 'emulatorSecretKey3333EXAMPLEwJalrXUtnFEMI',
      regions: ['us-west-2'],
      flowLogsPerRegion: 2500,
    };
    const REGION = 'eu-west-1';

    before(async () => {
      em = await startEmulator({ accounts: [acct, big], seed: 11 });
      dir = mkdtempSync(join(tmpdir(), 'flowlogs-pager-'));
      const files = awsConfigFor(em, [
        { name: 'one', account: acct, region: 'us-east-1' },
        { name: 'big', account: big, region: 'us-west-2' },
      ]);
      writeFileSync(join(dir, 'config'), files.config);
      writeFileSync(join(dir, 'credentials'), files.credentials);
      const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
      logger = new MemoryLogger();
      const clients = new ClientCache({
        settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
        config: () => loadSharedConfig(env),
        logger,
        env,
      });
      service = new FlowLogService(new InProcessAws(clients, listProfiles(env).profiles), logger);
      const list = listProfiles(env);
      profile = list.profiles.find((p) => p.name === 'one')!;
      bigProfile = list.profiles.find((p) => p.name === 'big')!;
      assert.equal(profile.kind, 'static');
    });
    after(async () => {
      (service?.aws as InProcessAws | undefined)?.dispose();
      await em.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => {
      em.setFaults([]);
      em.resetRequests();
    });

    const describes = () => em.requests.filter((r) => r.action === 'DescribeFlowLogs');

    for (const size of [5, 50, 1000]) {
      it(`pages to exactly the ground truth at page size ${size}`, async () => {
        const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: size });
        const r = await pager.loadAll();
        assert.equal(r.error, undefined);
        const truth = em.flowLogs(acct.accountId, REGION);
        assert.equal(truth.length, 120);
        assert.deepEqual(pager.items, truth);
        assert.equal(describes().length, Math.ceil(120 / size));
        assert.ok(describes().every((q) => q.params?.maxResults === size && q.status === 200));
      });
    }

    it('a failure on page k keeps pages 1..k-1 and the next load resumes at page k', async () => {
      em.setFaults([{ fault: 'internalError', action: 'DescribeFlowLogs', nth: 3 }]);
      const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 10 });
      const truth = em.flowLogs(acct.accountId, REGION);
      const first = await pager.loadAll();
      assert.equal(first.error?.kind, 'server');
      assert.equal(first.error?.code, 'InternalError');
      assert.deepEqual(pager.items, truth.slice(0, 20));
      const again = await pager.loadAll();
      assert.equal(again.error, undefined);
      assert.deepEqual(pager.items, truth, 'no duplicates, no gaps');
      assert.equal(describes().length, 13);
      assert.ok(describes()[3].params?.nextToken, 'the retried request carried the NextToken');
    });

    it('fault duplicateItem: the repeated item is dropped with a warning', async () => {
      em.setFaults([{ fault: 'duplicateItem', action: 'DescribeFlowLogs', nth: 2 }]);
      const warnings: string[] = [];
      const pager = service.pager(profile, REGION, { filters: [] }, 50, (m) => warnings.push(m));
      await pager.loadAll();
      assert.deepEqual(pager.items, em.flowLogs(acct.accountId, REGION));
      assert.equal(pager.duplicatesDropped, 1);
      assert.equal(warnings.length, 1);
      assert.ok(
        logger.lines.some((l) => l.startsWith('WARN ') && l.includes('already listed') && l.includes('profile=one region=eu-west-1')),
      );
    });

    it('fault emptyPageWithToken: empty pages are followed, and the listing is complete', async () => {
      em.setFaults([{ fault: 'emptyPageWithToken', action: 'DescribeFlowLogs', fromNth: 2, toNth: 4 }]);
      const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 50 });
      await pager.loadNext();
      const second = await pager.loadNext();
      assert.equal(second.added.length, 50, 'one load followed the three empty pages');
      await pager.loadAll();
      assert.deepEqual(pager.items, em.flowLogs(acct.accountId, REGION));
      assert.equal(describes().filter((q) => q.items === 0).length, 3);
    });

    it('fault emptyPageWithToken on every request: each load is bounded', async () => {
      em.setFaults([{ fault: 'emptyPageWithToken', action: 'DescribeFlowLogs' }]);
      const pager = new FlowLogPager(
        service.describeFlowLogsPage(profile, REGION),
        { filters: [] },
        { pageSize: 50, maxEmptyPagesPerLoad: 4 },
      );
      const r = await pager.loadNext();
      assert.deepEqual(r.added, []);
      assert.equal(pager.hasMore, true);
      assert.equal(describes().length, 4);
    });

    it('fault repeatToken: stops with a warning instead of looping', async () => {
      em.setFaults([{ fault: 'repeatToken', action: 'DescribeFlowLogs' }]);
      const warnings: string[] = [];
      const pager = new FlowLogPager(
        service.describeFlowLogsPage(profile, REGION),
        { filters: [] },
        { pageSize: 5, onWarning: (m) => warnings.push(m) },
      );
      const r = await pager.loadAll();
      assert.equal(r.error, undefined);
      assert.equal(pager.hasMore, false);
      assert.ok(describes().length <= 3, `${describes().length} requests`);
      assert.ok(warnings.some((w) => /NextToken it had already returned/.test(w)));
      const truth = ids(em.flowLogs(acct.accountId, REGION));
      assert.deepEqual(ids(pager.items), truth.slice(0, pager.items.length), 'what it has is correct and in order');
      assert.equal(new Set(ids(pager.items)).size, pager.items.length);
    });

    it('fault badNextToken: an error, no endless loop, and Retry fails the same way without looping', async () => {
      em.setFaults([{ fault: 'badNextToken', action: 'DescribeFlowLogs', nth: 1 }]);
      const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 50 });
      const r = await pager.loadAll();
      assert.equal(r.error?.kind, 'invalidInput');
      assert.equal(r.error?.code, 'InvalidPaginationToken');
      assert.equal(pager.items.length, 50);
      assert.equal(describes().length, 2);
      const again = await pager.loadAll();
      assert.equal(again.error?.code, 'InvalidPaginationToken');
      assert.equal(describes().length, 3);
      assert.equal(pager.items.length, 50);
    });

    it('an abort during a hung request reports aborted and leaves the cursor', async () => {
      const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 50 });
      await pager.loadNext();
      em.setFaults([{ fault: 'hang', action: 'DescribeFlowLogs' }]);
      const ctl = new AbortController();
      const pending = pager.loadNext(ctl.signal);
      while (describes().length < 2) await new Promise((r) => setTimeout(r, 10));
      ctl.abort();
      const r = await pending;
      assert.equal(r.error?.kind, 'aborted');
      em.setFaults([]);
      await pager.loadAll();
      assert.deepEqual(pager.items, em.flowLogs(acct.accountId, REGION));
    });

    it('more than 1000 FlowLogIds: several requests of at most 1000 IDs, every flow log once', async () => {
      const truth = em.flowLogs(big.accountId, 'us-west-2');
      assert.equal(truth.length, 2500);
      const wanted = ids(truth).reverse() as string[];
      const pager = new FlowLogPager(
        service.describeFlowLogsPage(bigProfile, 'us-west-2'),
        { filters: [], flowLogIds: wanted },
        { pageSize: 1000 },
      );
      const r = await pager.loadAll();
      assert.equal(r.error, undefined);
      assert.equal(pager.items.length, 2500);
      assert.deepEqual(new Set(ids(pager.items)), new Set(ids(truth)));
      const sent = describes();
      assert.ok(sent.length >= 3);
      assert.ok(
        sent.every((q) => q.params!.flowLogIds! > 0 && q.params!.flowLogIds! <= 1000),
        JSON.stringify(sent.map((q) => q.params?.flowLogIds)),
      );
      assert.equal(
        sent.filter((q) => !q.params!.nextToken).reduce((n, q) => n + q.params!.flowLogIds!, 0),
        2500,
        'each ID asked for once',
      );
      const byId = new Map(truth.map((f) => [f.FlowLogId, f]));
      for (const f of pager.items) assert.deepEqual(f, byId.get(f.FlowLogId));
    });
  });
});
