// Issue 13, defect 2: a response body that stalls no longer hangs a region. One deadline covers the
// whole exchange of each attempt (headers and body), and a total deadline covers all attempts.
// Real SDK over real HTTP against the emulator's `stallBody` fault (headers, then nothing).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import type { ClientSettings } from '../../src/shared/awsWorkerProtocol';
import { InProcessAws } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { FlowLogPager } from '../../src/aws/flowLogPager';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { totalDeadlineMs, withTotalDeadline } from '../../src/aws/worker/deadline';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

describe('deadlines (issue 13, defect 2)', function () {
  // A hang guard, not a speed assertion: before the fix these requests never ended.
  this.timeout(15_000);
  let em: Emulator;
  let dir: string;
  let settings: ClientSettings;
  let service: FlowLogService;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(20);
  const REGION = 'us-east-1';

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-deadline-'));
    const files = awsConfigFor(em, [{ name: 'one', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const clients = new ClientCache({ settings: () => settings, config: () => loadSharedConfig(env), logger: new MemoryLogger(), env });
    service = new FlowLogService(new InProcessAws(clients, listProfiles(env).profiles), new MemoryLogger());
    profile = listProfiles(env).profiles.find((p) => p.name === 'one')!;
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

  it('a stalled body ends the page with a timeout error (maxAttempts 1: one request); the next load succeeds', async () => {
    settings = { maxAttempts: 1, requestTimeoutMs: 1000, userAgent: 'test' };
    em.setFaults([{ fault: 'stallBody', action: 'DescribeFlowLogs', nth: 1 }]);
    const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 5 });
    const r = await pager.loadNext();
    assert.equal(r.error?.kind, 'timeout', JSON.stringify(r.error));
    assert.match(r.error?.message ?? '', /flowLogs\.requestTimeoutSeconds/);
    assert.equal(describes().length, 1);
    const again = await pager.loadNext();
    assert.equal(again.error, undefined);
    assert.deepEqual(pager.items, em.flowLogs(acct.accountId, REGION).slice(0, 5));
  });

  it('a stalled body is retried like any timeout (maxAttempts 3, stall twice): the third attempt answers', async () => {
    settings = { maxAttempts: 3, requestTimeoutMs: 1000, userAgent: 'test' };
    service.invalidate(); // new clients with the new settings, as the AWS worker does
    em.setFaults([{ fault: 'stallBody', action: 'DescribeFlowLogs', fromNth: 1, toNth: 2 }]);
    const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 5 });
    const r = await pager.loadNext();
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(describes().length, 3);
    assert.equal(pager.items.length, 5);
  });

  it('stalling on every attempt ends at the total deadline, not after maxAttempts × timeout', async () => {
    settings = { maxAttempts: 10, requestTimeoutMs: 1000, userAgent: 'test' };
    service.invalidate();
    em.setFaults([{ fault: 'stallBody', action: 'DescribeFlowLogs' }]);
    const pager = new FlowLogPager(service.describeFlowLogsPage(profile, REGION), { filters: [] }, { pageSize: 5 });
    const r = await pager.loadNext();
    assert.equal(r.error?.kind, 'timeout', JSON.stringify(r.error));
    // 2 s of attempts + 5 s of back-off at most: far fewer than 10 attempts fit.
    assert.ok(describes().length < 10, `${describes().length} attempts`);
  });

  it('totalDeadlineMs: two request timeouts (plus back-off when retrying), never maxAttempts of them', () => {
    assert.equal(totalDeadlineMs(30_000, 1), 30_000);
    assert.equal(totalDeadlineMs(30_000, 5), 65_000);
    assert.equal(totalDeadlineMs(2_000, 10), 9_000);
  });

  it('withTotalDeadline: a caller abort stays an abort; the deadline becomes a TimeoutError', async () => {
    const c = new AbortController();
    const never = (s: AbortSignal) =>
      new Promise<never>((_, reject) =>
        s.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
      );
    const p = withTotalDeadline(60_000, c.signal, never);
    c.abort();
    await assert.rejects(p, { name: 'AbortError' });
    await assert.rejects(withTotalDeadline(10, undefined, never), { name: 'TimeoutError' });
  });
});
