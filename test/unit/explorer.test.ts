// The explorer model (src/explorer/) in plain Node: the profile store (profiles from a loader,
// regions chosen and kept in a storage, account IDs), the region listings (paging through a pager
// over a fake DescribeFlowLogs, abort on collapse, Retry), Refresh dropping every state, and the
// loaded flow logs the copy actions, pickers and panels read.
import assert from 'node:assert/strict';
import { FlowLogPager, type DescribeFlowLogsPage, type FlowLogPageCall } from '../../src/aws/flowLogPager';
import type { PermissionResult } from '../../src/aws/flowLogService';
import type { AwsProfile, ProfileList } from '../../src/shared/profiles';
import type { FlowLog, FlowLogQuery } from '../../src/shared/types';
import { ExplorerModel, type ExplorerChange, type ExplorerService } from '../../src/explorer/explorerModel';
import { isFlowLogRef, sameRef } from '../../src/explorer/flowLogRef';
import { chosenRegionsKey, type ProfileLoader } from '../../src/explorer/profileStore';
import { MemoryStorage } from '../../src/explorer/storage';
import { MemoryLogger } from '../support/loggers';
import { AwsCallError } from '../../src/shared/errors';
import { classifyError } from '../../src/aws/worker/classifyError';

const profile = (name: string, region?: string, extra: Partial<AwsProfile> = {}): AwsProfile => ({
  name,
  kind: 'static',
  region,
  settings: {},
  ...extra,
});

const logsOf = (prefix: string, n: number): FlowLog[] =>
  Array.from({ length: n }, (_, i) => ({ FlowLogId: `fl-${prefix}${String(i).padStart(8, '0')}`, ResourceId: `vpc-${prefix}${i}` }));

/** DescribeFlowLogs in memory per (profile, region): NextToken "t<offset>"; a hook may hold or fail a request. */
class FakeEc2 {
  readonly requests: (FlowLogPageCall & { profile: string; region: string })[] = [];
  hook?: (req: FlowLogPageCall) => Promise<void> | void;
  constructor(readonly data: Record<string, FlowLog[]>) {}

  fetcher(profile: AwsProfile, region: string): DescribeFlowLogsPage {
    return async (req) => {
      this.requests.push({ ...req, profile: profile.name, region });
      await this.hook?.(req);
      if (req.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      let items = this.data[`${profile.name}/${region}`] ?? [];
      const filter = req.query.filters.find((f) => f.Name === 'resource-id');
      if (filter) items = items.filter((f) => filter.Values.includes(f.ResourceId!));
      const start = req.nextToken ? Number(req.nextToken.slice(1)) : 0;
      const end = start + req.pageSize;
      return { items: items.slice(start, end), nextToken: end < items.length ? `t${end}` : undefined };
    };
  }
}

class FakeService implements ExplorerService {
  readonly invalidated: (string | undefined)[] = [];
  readonly pagers: { profile: string; region: string; query: FlowLogQuery; pageSize: number }[] = [];
  accounts: Record<string, Promise<string> | (() => Promise<string>)> = {};
  permissions: Record<string, PermissionResult> = {};
  constructor(readonly ec2: FakeEc2) {}

  pager(profile: AwsProfile, region: string, query: FlowLogQuery, pageSize: number): FlowLogPager {
    this.pagers.push({ profile: profile.name, region, query, pageSize });
    return new FlowLogPager(this.ec2.fetcher(profile, region), query, { pageSize });
  }
  accountId(p: AwsProfile): Promise<string> {
    const a = this.accounts[p.name];
    return typeof a === 'function' ? a() : (a ?? Promise.resolve('123456789012'));
  }
  async checkPermission(p: AwsProfile, region: string): Promise<PermissionResult> {
    return this.permissions[`${p.name}/${region}`] ?? { allowed: true };
  }
  invalidate(name?: string): void {
    this.invalidated.push(name);
  }
}

function setup(
  opts: {
    profiles?: AwsProfile[];
    data?: Record<string, FlowLog[]>;
    shown?: string[];
    regions?: Record<string, string[]>;
    storage?: MemoryStorage;
    loader?: ProfileLoader<any>;
  } = {},
) {
  let profiles = opts.profiles ?? [profile('a', 'us-east-1'), profile('b', 'eu-west-1')];
  const reads: number[] = [];
  const loader: ProfileLoader =
    opts.loader ??
    ({
      read: (): ProfileList => {
        reads.push(1);
        return { profiles, config: {} as never, problems: [] };
      },
    } as ProfileLoader);
  const ec2 = new FakeEc2(opts.data ?? { 'a/us-east-1': logsOf('a', 12), 'b/eu-west-1': logsOf('b', 3), 'a/eu-west-1': logsOf('c', 2) });
  const service = new FakeService(ec2);
  const storage = opts.storage ?? new MemoryStorage();
  let query: FlowLogQuery = { filters: [] };
  const logger = new MemoryLogger();
  const model = new ExplorerModel({
    service,
    loader,
    storage,
    logger,
    settingRegions: () => opts.regions ?? {},
    shownProfileNames: () => opts.shown ?? [],
    query: () => query,
    pageSize: () => 5,
    credentialCheckWaitMs: 50,
  });
  const changes: ExplorerChange[] = [];
  model.onDidChange((e) => changes.push(e));
  return {
    model,
    ec2,
    service,
    storage,
    logger,
    changes,
    reads,
    setProfiles: (p: AwsProfile[]) => (profiles = p),
    setQuery: (q: FlowLogQuery) => (query = q),
  };
}

describe('explorer model', () => {
  describe('profile store', () => {
    it('lists the profiles from its loader once until a Refresh, and shows those the setting names', () => {
      const t = setup({ shown: ['b'] });
      assert.deepEqual(
        t.model.profiles.profiles().profiles.map((p) => p.name),
        ['a', 'b'],
      );
      t.model.profiles.profiles();
      assert.deepEqual(
        t.model.shownStates().map((s) => s.profile.name),
        ['b'],
      );
      assert.equal(t.reads.length, 1);
      t.model.refresh();
      t.model.profiles.profiles();
      assert.equal(t.reads.length, 2, 'Refresh reads the files again');
    });

    it('logs each config problem once per read', () => {
      const t = setup({
        loader: {
          read: () => ({ profiles: [], config: {} as never, problems: [{ file: '/c', line: 3, message: 'bad line' }] }) as ProfileList,
        },
      });
      t.model.profiles.profiles();
      t.model.profiles.profiles();
      assert.deepEqual(t.logger.lines, ['WARN /c:3: bad line']);
    });

    it('runs the loader’s slow part once, and a Refresh during it discards its answer', async () => {
      const views: string[] = [];
      let release: (v: string) => void = () => undefined;
      const t = setup({
        loader: {
          prepare: () => new Promise<string>((r) => (release = r)),
          read: (view: string | undefined) => {
            views.push(String(view));
            return { profiles: [profile('a', 'us-east-1')], config: {} as never, problems: [] } as ProfileList;
          },
        },
      });
      const first = t.model.profiles.ready();
      assert.equal(t.model.profiles.ready(), first, 'a second call joins the first');
      t.model.refresh(); // before the view came
      release('stale');
      await first;
      t.model.profiles.profiles();
      assert.deepEqual(views, ['undefined'], 'the stale view is not used');
      const again = t.model.profiles.ready();
      release('fresh');
      await again;
      t.model.profiles.profiles();
      assert.deepEqual(views, ['undefined', 'fresh']);
    });

    it('regions: the chosen ones (kept in the storage) over the profile’s own region and the setting', async () => {
      const storage = new MemoryStorage();
      const t = setup({ storage, regions: { '*': ['eu-west-1'], a: ['ap-south-1'] } });
      const a = t.model.profiles.profiles().profiles[0];
      assert.deepEqual(t.model.profiles.regionsFor(a), ['us-east-1', 'ap-south-1', 'eu-west-1']);
      await t.model.profiles.setChosenRegions('a', ['us-west-2', 'us-west-2', 'eu-north-1']);
      assert.deepEqual(storage.get(chosenRegionsKey('a')), ['us-west-2', 'us-west-2', 'eu-north-1']);
      assert.equal(chosenRegionsKey('a'), 'flowLogs.regions.a', 'the key the extension has always used');
      assert.deepEqual(t.model.profiles.regionsFor(a), ['us-west-2', 'eu-north-1']);
      // Kept across a new model on the same storage (a restart).
      const later = setup({ storage });
      assert.deepEqual(later.model.profiles.regionsFor(a), ['us-west-2', 'eu-north-1']);
      await t.model.profiles.setChosenRegions('a', []);
      assert.equal(storage.values.has(chosenRegionsKey('a')), false, 'an empty choice goes back to the settings');
      assert.deepEqual(t.model.profiles.regionsFor(a), ['us-east-1', 'ap-south-1', 'eu-west-1']);
    });

    it('chosen regions: anything but a list of names in the storage is ignored', () => {
      const storage = new MemoryStorage();
      const t = setup({ storage });
      void storage.update(chosenRegionsKey('a'), 'us-west-2');
      assert.equal(t.model.profiles.chosenRegions('a'), undefined);
      void storage.update(chosenRegionsKey('a'), ['us-west-2', 42, null]);
      assert.deepEqual(t.model.profiles.chosenRegions('a'), ['us-west-2']);
    });

    it('a profile whose definition changed gets a new state; its old listings never load again', async () => {
      const t = setup();
      const [a1] = t.model.shownStates();
      const old = t.model.regionsOf(a1)[0];
      await old.settled();
      t.setProfiles([profile('a', 'us-east-1', { kind: 'sso' }), profile('b', 'eu-west-1')]);
      t.model.refresh();
      const [a2] = t.model.shownStates();
      assert.notEqual(a2.generation, a1.generation);
      assert.equal(old.detached, true);
      assert.equal(t.model.listing(a1, 'us-east-1'), undefined, 'a stale key finds nothing');
      const sent = t.ec2.requests.length;
      assert.equal(await old.settled(), undefined);
      assert.deepEqual((await old.loadMore()).added, []);
      assert.equal(t.ec2.requests.length, sent, 'a detached listing sends nothing');
    });

    it('the same definition read again keeps the state (no Refresh): account ID and listings stay', async () => {
      const t = setup();
      const [a] = t.model.shownStates();
      await t.model.checkCredentials(a);
      t.setProfiles([profile('a', 'us-east-1'), profile('b', 'eu-west-1')]);
      assert.equal(t.model.shownStates()[0], a);
      assert.equal(a.accountId, '123456789012');
    });
  });

  describe('credentials and permissions', () => {
    it('checkCredentials: the account ID on the state (a change event), a credentials error returned, others ignored', async () => {
      const t = setup();
      const [a, b] = t.model.shownStates();
      assert.equal(await t.model.checkCredentials(a), undefined);
      assert.equal(a.accountId, '123456789012');
      assert.deepEqual(t.changes, [{ profile: 'a', generation: a.generation }]);
      // The service rejects as the real one does: with the error the worker classified.
      const sdkError = (e: Error) => Promise.reject(new AwsCallError(classifyError(e, { profile: 'b' })));
      t.service.accounts.b = () =>
        sdkError(Object.assign(new Error('The security token included in the request is invalid'), { name: 'InvalidClientTokenId' }));
      const error = await t.model.checkCredentials(b);
      assert.equal(error?.kind, 'credentials');
      t.service.accounts.b = () => sdkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      assert.equal(await t.model.checkCredentials(b), undefined, 'STS unreachable: the regions try on their own');
    });

    it('a slow STS: the check gives up waiting, the account ID comes later with a change event', async () => {
      const t = setup();
      const [a] = t.model.shownStates();
      let answer: (id: string) => void = () => undefined;
      t.service.accounts.a = new Promise<string>((r) => (answer = r));
      assert.equal(await t.model.checkCredentials(a), undefined);
      assert.equal(a.accountId, undefined);
      answer('999999999999');
      await new Promise((r) => setImmediate(r));
      assert.equal(a.accountId, '999999999999');
      assert.deepEqual(t.changes.at(-1), { profile: 'a', generation: a.generation });
    });

    it('Check Permissions: a region keeps its result until reset; a profile sums its regions up', async () => {
      const t = setup({ regions: { a: ['eu-west-1'] } });
      const [a] = t.model.shownStates();
      const [east, west] = t.model.regionsOf(a);
      const denied: PermissionResult = { allowed: false, error: { kind: 'denied', message: 'no', actions: [] } };
      t.service.permissions['a/eu-west-1'] = denied;
      assert.deepEqual(await t.model.checkRegionPermission(west), denied);
      assert.deepEqual(west.permission, denied);
      const summary = t.model.recordPermissions(a, [
        { region: 'us-east-1', result: { allowed: true } },
        { region: 'eu-west-1', result: denied },
      ]);
      assert.deepEqual(summary, { allowed: false, allowedRegions: 1, regions: 2 });
      assert.deepEqual(east.permission, { allowed: true });
      assert.deepEqual(a.permission, denied, 'the first failure');
      assert.deepEqual(a.permissionSummary, summary);
      t.model.retryProfile(a);
      assert.equal(a.permission, undefined);
      assert.equal(a.permissionSummary, undefined);
      assert.equal(east.permission, undefined);
      assert.deepEqual(t.service.invalidated, ['a'], 'Retry forgets the profile’s clients');
    });
  });

  describe('region listings', () => {
    it('pages through the pager: first page when expanded, Load more…, Load All; change events name the region', async () => {
      const t = setup();
      const [a] = t.model.shownStates();
      const [listing] = t.model.regionsOf(a);
      assert.equal(listing.hasMore, true);
      assert.equal(listing.pager, undefined, 'no request before the region is expanded');
      const pager = await listing.settled();
      assert.equal(pager, listing.pager);
      assert.equal(listing.flowLogs.length, 5);
      assert.deepEqual(t.changes, [{ profile: 'a', generation: a.generation, region: 'us-east-1' }]);
      // Drawn again: no second request.
      await listing.settled();
      assert.equal(t.ec2.requests.length, 1);
      const more = await listing.loadMore();
      assert.equal(more.added.length, 5);
      assert.equal(listing.flowLogs.length, 10);
      const rest = await listing.loadAll();
      assert.equal(rest.added.length, 2);
      assert.equal(listing.hasMore, false);
      assert.deepEqual(
        listing.flowLogs.map((f) => f.FlowLogId),
        logsOf('a', 12).map((f) => f.FlowLogId),
      );
      assert.deepEqual(
        t.ec2.requests.map((r) => r.nextToken),
        [undefined, 't5', 't10'],
      );
      assert.deepEqual(t.service.pagers, [{ profile: 'a', region: 'us-east-1', query: { filters: [] }, pageSize: 5 }]);
    });

    it('a listing’s changes (a page started and came in, a reset) reach the model’s event; none once detached', async () => {
      const t = setup();
      const [listing] = t.model.regionsOf(t.model.shownStates()[0]);
      // The listing's changes reach the tree through the model's event, named by region.
      const fired = () => t.changes.filter((c) => c?.profile === listing.profile.name && c.region === listing.region).length;
      await listing.loadMore();
      assert.equal(fired(), 2, 'when the page was asked for and when it came');
      t.model.resetRegion(listing);
      assert.equal(fired(), 3);
      t.model.refresh();
      await listing.loadMore();
      assert.equal(fired(), 3, 'a detached listing is silent');
    });

    it('two expansions at once share one request', async () => {
      const t = setup();
      const [listing] = t.model.regionsOf(t.model.shownStates()[0]);
      await Promise.all([listing.settled(), listing.settled(), listing.loadMore()]);
      assert.equal(t.ec2.requests.length, 1);
      assert.equal(listing.flowLogs.length, 5);
    });

    it('collapse aborts the request in flight; expanding again loads the first page', async () => {
      const t = setup();
      const [listing] = t.model.regionsOf(t.model.shownStates()[0]);
      let seen: AbortSignal | undefined;
      t.ec2.hook = (req) =>
        new Promise<void>((resolve) => {
          seen = req.signal;
          req.signal?.addEventListener('abort', () => resolve());
        });
      const first = listing.settled();
      await new Promise((r) => setImmediate(r));
      listing.cancel();
      assert.equal(seen?.aborted, true, 'the request’s signal fired');
      await first;
      assert.equal(listing.lastError?.kind, 'aborted');
      assert.equal(listing.flowLogs.length, 0);
      t.ec2.hook = undefined;
      await listing.settled();
      assert.equal(listing.flowLogs.length, 5, 'expanded again: the first page');
      assert.equal(listing.lastError, undefined);
    });

    it('an error stays until Retry (drawing again does not reload); Retry resumes at the failed page', async () => {
      const t = setup();
      const [listing] = t.model.regionsOf(t.model.shownStates()[0]);
      await listing.settled();
      t.ec2.hook = () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' });
      };
      await listing.loadMore();
      assert.ok(listing.lastError && listing.lastError.kind !== 'aborted');
      const sent = t.ec2.requests.length;
      await listing.settled();
      assert.equal(t.ec2.requests.length, sent, 'not reloaded by a redraw');
      t.ec2.hook = undefined;
      await listing.loadMore();
      assert.equal(listing.flowLogs.length, 10);
      assert.equal(t.ec2.requests.at(-1)?.nextToken, 't5', 'resumed at the page that failed');
    });

    it('a reset while the first page loads settles the new pager (with the new filters)', async () => {
      const t = setup();
      const [listing] = t.model.regionsOf(t.model.shownStates()[0]);
      let release: () => void = () => undefined;
      t.ec2.hook = () => new Promise<void>((r) => (release = r));
      const drawn = listing.settled();
      await new Promise((r) => setImmediate(r));
      t.ec2.hook = undefined;
      t.setQuery({ filters: [{ Name: 'resource-id', Values: ['vpc-a1'] }] });
      t.model.resetListings();
      release();
      const pager = await drawn;
      assert.equal(pager, listing.pager);
      assert.deepEqual(
        listing.flowLogs.map((f) => f.ResourceId),
        ['vpc-a1'],
      );
      assert.equal(t.changes.includes(undefined), true, 'everything redraws');
    });

    it('Refresh drops every state: pages, permission, account IDs, clients; stale keys find nothing', async () => {
      const t = setup();
      const [a, b] = t.model.shownStates();
      await t.model.checkCredentials(a);
      const [listing] = t.model.regionsOf(a);
      await listing.settled();
      await t.model.checkRegionPermission(listing);
      t.model.refresh();
      assert.deepEqual(t.service.invalidated.sort(), ['a', 'b']);
      assert.equal(listing.detached, true);
      assert.equal(listing.pager, undefined);
      assert.equal(listing.permission, undefined);
      assert.equal(t.model.listing(a, 'us-east-1'), undefined);
      assert.equal(t.model.current('b', b.generation), undefined);
      assert.deepEqual(t.model.loadedFlowLogs(), []);
      const [a2] = t.model.shownStates();
      assert.equal(a2.accountId, undefined);
      const fresh = t.model.regionsOf(a2)[0];
      assert.notEqual(fresh, listing);
      await fresh.settled();
      assert.equal(fresh.flowLogs.length, 5);
      assert.equal(t.changes.at(-1)?.generation, a2.generation);
    });

    it('Refresh This Node on a region forgets its pages, other regions keep theirs', async () => {
      const t = setup({ regions: { a: ['eu-west-1'] } });
      const [a] = t.model.shownStates();
      const [east, west] = t.model.regionsOf(a);
      await Promise.all([east.settled(), west.settled()]);
      t.model.resetRegion(east);
      assert.equal(east.flowLogs.length, 0);
      assert.equal(west.flowLogs.length, 2);
      assert.deepEqual(t.changes.at(-1), { profile: 'a', generation: a.generation, region: 'us-east-1' });
    });

    it('regions no longer shown drop their listing; a region shown again starts over', async () => {
      const storage = new MemoryStorage();
      const t = setup({ storage, regions: { a: ['eu-west-1'] } });
      const [a] = t.model.shownStates();
      const [, west] = t.model.regionsOf(a);
      await west.settled();
      await t.model.profiles.setChosenRegions('a', ['us-east-1']);
      assert.deepEqual(
        t.model.regionsOf(a).map((l) => l.region),
        ['us-east-1'],
      );
      assert.deepEqual(
        t.model.listingsOf(a).map((l) => l.region),
        ['us-east-1'],
      );
      await t.model.profiles.setChosenRegions('a', []);
      const again = t.model.regionsOf(a)[1];
      assert.notEqual(again, west);
      assert.equal(again.flowLogs.length, 0);
    });
  });

  describe('a profile with no region', () => {
    it('shows none; the listings made before stay (as the tree kept its region nodes)', async () => {
      const regions: Record<string, string[]> = { a: ['eu-west-1'] };
      const t = setup({ profiles: [profile('a')], regions });
      const [a] = t.model.shownStates();
      const [west] = t.model.regionsOf(a);
      await west.settled();
      delete regions.a;
      assert.deepEqual(t.model.regionsOf(a), []);
      assert.equal(t.model.loadedFlowLogs().length, 2, 'the listing made before stays');
    });
  });

  describe('loaded flow logs', () => {
    it('every loaded flow log of the shown profiles, as refs of profile, region and flow log', async () => {
      const t = setup({ regions: { a: ['eu-west-1'] } });
      const [a, b] = t.model.shownStates();
      const [east, west] = t.model.regionsOf(a);
      const [bWest] = t.model.regionsOf(b);
      await Promise.all([west.settled(), east.settled(), bWest.settled()]);
      const refs = t.model.loadedFlowLogs();
      assert.deepEqual(
        refs.map((r) => `${r.profile.name}/${r.region}/${r.flowLog.FlowLogId}`),
        [
          ...logsOf('a', 5).map((f) => `a/us-east-1/${f.FlowLogId}`),
          ...logsOf('c', 2).map((f) => `a/eu-west-1/${f.FlowLogId}`),
          ...logsOf('b', 3).map((f) => `b/eu-west-1/${f.FlowLogId}`),
        ],
      );
      assert.ok(refs.every(isFlowLogRef));
      assert.equal(t.model.loadedFlowLogs()[0], refs[0], 'the same flow log gives the same ref');
      assert.equal(isFlowLogRef({ ...refs[0] }), false, 'a look-alike object is not a ref');
      assert.ok(sameRef(refs[0], { ...refs[0] }));
      assert.ok(!sameRef(refs[0], refs[1]));
    });

    it('only the profiles shown', async () => {
      const t = setup({ shown: ['b'] });
      const [b] = t.model.shownStates();
      await t.model.regionsOf(b)[0].settled();
      assert.deepEqual(
        t.model.loadedFlowLogs().map((r) => r.profile.name),
        ['b', 'b', 'b'],
      );
    });
  });
});
