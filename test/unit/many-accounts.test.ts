// Search All Regions and Check Coverage over many accounts × regions (aws/accountScheduler.ts):
// the overall and per-account limits hold, a throttled account backs off and its regions are tried
// again (no storm), Cancel stops at once and keeps what was found, progress counts accounts and
// regions, and an account whose regions fail alike is one row. Against the local endpoint over real
// HTTP (the real SDK through the operation table), with its latency and throttle faults.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { searchAllRegions, type SearchTarget } from '../../src/aws/searchAllRegions';
import { runPerAccount, progressText, type ScheduleProgress } from '../../src/aws/accountScheduler';
import { checkCoverage } from '../../src/coverage/scan';
import { coverageSource } from '../../src/coverage/source';
import { resultRows } from '../../src/explorer/searchResultRows';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { awsConfigFor, startEmulator, type Emulator, type EmulatorAccount } from '../emulator/server';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1'];
const ACCOUNTS = 24;

function accounts(): EmulatorAccount[] {
  return Array.from({ length: ACCOUNTS }, (_, i) => ({
    accountId: String(500000000000 + i),
    accessKeyId: `AKIAMANY${String(i).padStart(4, '0')}EXAMPLE`,
    regions: REGIONS.slice(0, 2 + (i % 3)),
    flowLogsPerRegion: 3 + (i % 4),
    // Account 5 is denied DescribeFlowLogs (and the network calls) in every region.
    ...(i === 5 ? { deniedRegions: REGIONS } : {}),
  }));
}

describe('many accounts at once (scheduler)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('never runs more than the overall and the per-account limits, and uses them', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ account: `a${i % 6}`, i }));
    let running = 0;
    let maxRunning = 0;
    const perAccount = new Map<string, number>();
    let maxPerAccount = 0;
    const out = await runPerAccount(
      items,
      (x) => x.account,
      async (x) => {
        running++;
        perAccount.set(x.account, (perAccount.get(x.account) ?? 0) + 1);
        maxRunning = Math.max(maxRunning, running);
        maxPerAccount = Math.max(maxPerAccount, perAccount.get(x.account)!);
        await sleep(2);
        running--;
        perAccount.set(x.account, perAccount.get(x.account)! - 1);
        return x.i;
      },
      () => -1,
      { concurrency: 7, perAccount: 2 },
    );
    assert.deepEqual(
      out,
      items.map((x) => x.i),
    );
    assert.equal(maxRunning, 7);
    assert.equal(maxPerAccount, 2);
  });

  it('a throttled account halves its limit, waits, and runs the task again; the other accounts go on', async () => {
    const starts: { account: string; at: number; attempt: number }[] = [];
    let throttles = 3;
    const items = Array.from({ length: 12 }, (_, i) => ({ account: i < 6 ? 'hot' : 'calm', i }));
    const progress: ScheduleProgress[] = [];
    const out = await runPerAccount(
      items,
      (x) => x.account,
      async (x, attempt) => {
        starts.push({ account: x.account, at: Date.now(), attempt });
        await sleep(1);
        if (x.account === 'hot' && throttles > 0) {
          throttles--;
          return 'throttled';
        }
        return `ok${x.i}`;
      },
      () => 'cancelled',
      {
        concurrency: 6,
        perAccount: 3,
        throttleRetries: 3,
        backoffMs: 40,
        random: () => 0.999,
        isThrottled: (r) => r === 'throttled',
        isFailed: (r) => r !== `ok` && !r.startsWith('ok'),
        onDone: (_i, _r, p) => progress.push(p),
      },
    );
    assert.deepEqual(
      out,
      items.map((x) => `ok${x.i}`),
    );
    // After the first throttle, the hot account waited at least half its back-off before its next start.
    const hot = starts.filter((s) => s.account === 'hot');
    const firstRetry = hot.find((s) => s.attempt > 0)!;
    assert.ok(firstRetry, 'a throttled task was run again');
    assert.ok(firstRetry.at - hot[0].at >= 20, `waited ${firstRetry.at - hot[0].at} ms`);
    const last = progress[progress.length - 1];
    assert.deepEqual(
      { ...last, throttled: last.throttled > 0 },
      {
        regionsDone: 12,
        regionsTotal: 12,
        regionsFailed: 0,
        accountsDone: 2,
        accountsTotal: 2,
        accountsFailed: 0,
        throttled: true,
      },
    );
    assert.match(progressText(last), /^2 of 2 accounts, 12 of 12 regions, \d+ throttled and retried$/);
  });

  it('gives up on a task still throttled after its retries, with the throttled answer', async () => {
    let calls = 0;
    const out = await runPerAccount(
      [1],
      () => 'a',
      async () => {
        calls++;
        return 'throttled';
      },
      () => 'cancelled',
      { concurrency: 2, throttleRetries: 2, backoffMs: 5, isThrottled: (r) => r === 'throttled' },
    );
    assert.deepEqual(out, ['throttled']);
    assert.equal(calls, 3);
  });

  it('Cancel during a back-off ends the wait at once; tasks not started are cancelled, done ones kept', async () => {
    const ctl = new AbortController();
    const started = Date.now();
    const out = await runPerAccount(
      [0, 1, 2, 3],
      (x) => (x < 2 ? 'a' : 'b'),
      async (x) => {
        if (x === 0) {
          setTimeout(() => ctl.abort(), 20);
          return 'throttled';
        }
        return `ok${x}`;
      },
      () => 'cancelled',
      { concurrency: 1, throttleRetries: 5, backoffMs: 60_000, signal: ctl.signal, isThrottled: (r) => r === 'throttled' },
    );
    // 0 was throttled (account a waits a minute); 2 and 3 (account b) ran; then Cancel.
    assert.ok(Date.now() - started < 30_000, 'the back-off wait did not hold the cancel');
    assert.equal(out[0], 'cancelled');
    assert.equal(out[1], 'cancelled');
    assert.deepEqual(out.slice(2), ['ok2', 'ok3']);
  });

  it('a task that throws is answered as cancelled; an already aborted signal starts nothing', async () => {
    const out = await runPerAccount(
      [1, 2],
      String,
      async (x) => {
        if (x === 1) throw new Error('boom');
        return 'ok';
      },
      () => 'cancelled',
      { concurrency: 2 },
    );
    assert.deepEqual(out, ['cancelled', 'ok']);
    const ctl = new AbortController();
    ctl.abort();
    let ran = 0;
    const none = await runPerAccount(
      [1, 2],
      String,
      async () => {
        ran++;
        return 'ok';
      },
      () => 'cancelled',
      { concurrency: 2, signal: ctl.signal },
    );
    assert.deepEqual(none, ['cancelled', 'cancelled']);
    assert.equal(ran, 0);
    assert.deepEqual(
      await runPerAccount(
        [],
        String,
        async () => 'x',
        () => 'c',
        { concurrency: 0 },
      ),
      [],
    );
  });
});

describe('many accounts at once, against the local endpoint', function () {
  this.timeout(60_000);
  let em: Emulator;
  let dir: string;
  let profiles: AwsProfile[];
  let aws: InProcessAws;
  let service: FlowLogService;
  const accts = accounts();

  const targets = (): SearchTarget<AwsProfile>[] =>
    profiles.flatMap((profile) => REGIONS.slice(0, 4).map((region) => ({ profile, profileName: profile.name, region })));
  const accountOf = (t: { profile: unknown }) => (t.profile as AwsProfile).name;

  before(async () => {
    em = await startEmulator({ accounts: accts, seed: 11, hostile: false });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-many-'));
    const files = awsConfigFor(
      em,
      accts.map((account, i) => ({ name: `acct-${String(i).padStart(2, '0')}`, account, region: 'us-east-1' })),
    );
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const logger = new MemoryLogger();
    profiles = listProfiles(env).profiles.sort((a, b) => a.name.localeCompare(b.name));
    aws = new InProcessAws(
      new ClientCache({
        settings: () => ({ maxAttempts: 2, requestTimeoutMs: 30_000, userAgent: 'test' }),
        config: () => loadSharedConfig(env),
        logger,
        env,
      }),
      profiles,
    );
    service = new FlowLogService(aws, logger);
  });
  after(async () => {
    aws?.dispose();
    await em?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => em.setFaults([]));

  /** Samples the emulator's requests in flight (status 0): overall and per account. */
  function watchInFlight() {
    const seen = { overall: 0, perAccount: 0 };
    const timer = setInterval(() => {
      const open = em.requests.filter((r) => r.status === 0 && r.action === 'DescribeFlowLogs');
      seen.overall = Math.max(seen.overall, open.length);
      const by = new Map<string, number>();
      for (const r of open) by.set(r.accountId ?? '', (by.get(r.accountId ?? '') ?? 0) + 1);
      seen.perAccount = Math.max(seen.perAccount, ...by.values(), 0);
    }, 5);
    return { seen, stop: () => clearInterval(timer) };
  }

  it('searches 24 accounts × 4 regions within both limits; every region equals its ground truth', async () => {
    em.setFaults([{ fault: 'latency', latencyMs: 30, action: 'DescribeFlowLogs' }]);
    em.resetRequests();
    const watch = watchInFlight();
    const counts: ScheduleProgress[] = [];
    const groups = await searchAllRegions(targets(), { filters: [] }, (t) => service.describeFlowLogsPage(t.profile, t.region), {
      concurrency: 10,
      perAccount: 3,
      accountOf,
      onProgress: (_d, _t, _g, c) => counts.push(c),
    });
    watch.stop();
    assert.ok(watch.seen.overall <= 10 && watch.seen.overall >= 6, `overall in flight: ${watch.seen.overall}`);
    assert.ok(watch.seen.perAccount <= 3 && watch.seen.perAccount >= 2, `per account in flight: ${watch.seen.perAccount}`);
    assert.equal(groups.length, ACCOUNTS * 4);
    for (const g of groups) {
      const account = accts[profiles.indexOf(g.profile)];
      if (account.deniedRegions) {
        assert.equal(g.error?.kind, 'denied', `${g.profileName}/${g.region}`);
        continue;
      }
      assert.equal(g.error, undefined, `${g.profileName}/${g.region}: ${g.error?.message}`);
      assert.deepEqual(
        g.flowLogs.map((f) => f.FlowLogId),
        em.flowLogs(account.accountId, g.region).map((f) => f.FlowLogId),
      );
    }
    const last = counts[counts.length - 1];
    assert.deepEqual(
      [last.accountsDone, last.accountsTotal, last.regionsDone, last.regionsFailed, last.accountsFailed],
      [ACCOUNTS, ACCOUNTS, ACCOUNTS * 4, 4, 1],
    );
    // Accounts finish one after another: the first account is done long before the last starts.
    assert.ok(counts.findIndex((c) => c.accountsDone >= 1) < counts.length / 2);
    // The denied account: one row for its 4 regions (not 4 rows of the same error).
    const rows = resultRows(groups).filter((r) => r.groups.some((g) => g.error));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].profileName, 'acct-05');
    assert.equal(rows[0].groups.length, 4);
    assert.equal(rows[0].allRegions, true, 'drawn as "all 4 regions": every region searched for it');
  });

  it('a throttled account backs off and its regions finish complete; the others are not slowed into a storm', async () => {
    const hot = accts[2];
    // The hot account's first 6 DescribeFlowLogs are throttled (the SDK tries each request twice: a
    // keep-alive socket the endpoint closed is retried, as in the extension; two regions are still
    // throttled after that and come back to the scheduler).
    em.setFaults([{ fault: 'throttle', accountId: hot.accountId, action: 'DescribeFlowLogs', toNth: 6 }]);
    em.resetRequests();
    const hotProfiles = profiles.slice(0, 4);
    const ts = hotProfiles.flatMap((profile) => REGIONS.slice(0, 4).map((region) => ({ profile, profileName: profile.name, region })));
    const counts: ScheduleProgress[] = [];
    const groups = await searchAllRegions(ts, { filters: [] }, (t) => service.describeFlowLogsPage(t.profile, t.region), {
      concurrency: 8,
      perAccount: 4,
      throttleRetries: 4,
      backoffMs: 30,
      accountOf,
      onProgress: (_d, _t, _g, c) => counts.push(c),
    });
    for (const g of groups.filter((x) => x.profileName === 'acct-02')) {
      assert.equal(g.error, undefined, `${g.region}: ${g.error?.message}`);
      assert.deepEqual(g.flowLogs, em.flowLogs(hot.accountId, g.region));
    }
    const hotRequests = em.requests.filter((r) => r.accountId === hot.accountId && r.action === 'DescribeFlowLogs');
    const throttled = hotRequests.filter((r) => r.errorCode === 'RequestLimitExceeded').length;
    assert.equal(throttled, 6);
    // Bounded: each of the 4 regions succeeds once; the throttled ones were tried again, nothing more.
    assert.equal(hotRequests.length, 4 + 6);
    assert.ok(counts[counts.length - 1].throttled >= 1);
  });

  it('Cancel stops promptly: nothing is sent after it, what was found is kept and correct', async () => {
    em.setFaults([{ fault: 'latency', latencyMs: 40, action: 'DescribeFlowLogs' }]);
    em.resetRequests();
    const ctl = new AbortController();
    let sentAfter = 0;
    let abortedAt = 0;
    const groups = await searchAllRegions(
      targets(),
      { filters: [] },
      (t) => {
        const describe = service.describeFlowLogsPage(t.profile, t.region);
        return (req) => {
          if (ctl.signal.aborted) sentAfter++;
          return describe(req);
        };
      },
      {
        concurrency: 6,
        perAccount: 2,
        accountOf,
        signal: ctl.signal,
        onProgress: (done) => {
          if (done === 20) {
            abortedAt = em.requests.length;
            ctl.abort();
          }
        },
      },
    );
    assert.equal(sentAfter, 0);
    const kept = groups.filter((g) => !g.error || g.error.kind !== 'aborted');
    assert.ok(kept.length >= 20 && kept.length < groups.length, `${kept.length} kept`);
    for (const g of kept.filter((x) => !x.error)) {
      const account = accts[profiles.indexOf(g.profile)];
      assert.deepEqual(g.flowLogs, em.flowLogs(account.accountId, g.region));
    }
    assert.ok(em.requests.length <= abortedAt + 6, 'at most the requests in flight were on the wire after Cancel');
  });

  it('Check Coverage over the accounts: limits, a region per target, the denied account failed in each region', async () => {
    em.setFaults([{ fault: 'latency', latencyMs: 10 }]);
    const ts = profiles.map((profile) => ({ profile, profileName: profile.name, region: 'us-east-1' }));
    const watch = watchInFlight();
    const counts: ScheduleProgress[] = [];
    const results = await checkCoverage(ts, (t) => coverageSource(service, new MemoryLogger(), t.profile, t.region), {
      concurrency: 8,
      perAccount: 2,
      accountOf: (t) => t.profileName,
      onProgress: (_d, _t, _r, c) => counts.push(c),
    });
    watch.stop();
    assert.ok(watch.seen.overall <= 8, `overall in flight: ${watch.seen.overall}`);
    assert.equal(results.length, ACCOUNTS);
    const failed = results.filter((r) => r.error);
    assert.deepEqual(
      failed.map((r) => [r.profileName, r.error?.kind === 'timeout' ? (r.error.detail ?? r.error.message) : r.error?.kind]),
      [['acct-05', 'denied']],
    );
    for (const r of results.filter((x) => !x.error)) {
      const account = accts[profiles.findIndex((p) => p.name === r.profileName)];
      assert.equal(r.accountId, account.accountId);
      assert.equal(r.vpcs.length, em.network(account.accountId, 'us-east-1').vpcs.length);
    }
    assert.equal(counts[counts.length - 1].accountsFailed, 1);
  });
});
