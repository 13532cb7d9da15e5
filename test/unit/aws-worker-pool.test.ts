// The AWS workers against the local endpoint over HTTP: pages, account IDs, DryRun, errors that
// keep their identity across the thread boundary, abort, and a worker that stops.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, defaultAccounts, awsConfigFor, Emulator } from '../emulator/server';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { listProfiles, AwsProfile } from '../../src/shared/profiles';
import { AwsCallError } from '../../src/shared/errors';
import { FlowLogPager } from '../../src/aws/flowLogPager';
import { MemoryLogger } from '../support/loggers';
import { FlowLogService } from '../../src/aws/flowLogService';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');

describe('AwsWorkerPool (AWS calls in worker threads)', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  let profile: AwsProfile;
  let fetcher: AwsWorkerPool;
  let logger: MemoryLogger;
  let answered = 0;
  const SETTINGS = { maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' };
  const page = (req: { query: { filters: [] }; pageSize: number; nextToken?: string; signal?: AbortSignal }) =>
    fetcher.call(
      'describeFlowLogsPage',
      profile.name,
      'us-east-1',
      { query: req.query, pageSize: req.pageSize, nextToken: req.nextToken },
      req.signal,
    );
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };

  before(async () => {
    em = await startEmulator({ accounts: defaultAccounts(120), seed: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-worker-'));
    const accounts = defaultAccounts(120);
    const files = awsConfigFor(em, [
      { name: 'w1', account: accounts[0], region: 'us-east-1' },
      { name: 'w2', account: accounts[1], region: 'us-east-1' },
    ]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    // The worker shares this process's environment (SHARE_ENV), as in the extension host.
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    profile = listProfiles(process.env).profiles.find((p) => p.name === 'w1')!;
    logger = new MemoryLogger();
    fetcher = new AwsWorkerPool(WORKER, { logger, onAnswer: () => (answered += 1) });
    fetcher.configure(SETTINGS, listProfiles(process.env).profiles);
  });

  after(async () => {
    fetcher.dispose();
    await em.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.creds],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('pages through a region to exactly the ground truth, with Dates intact', async () => {
    const pager = new FlowLogPager(
      (req) =>
        fetcher.call(
          'describeFlowLogsPage',
          profile.name,
          'us-east-1',
          { query: req.query, pageSize: req.pageSize, nextToken: req.nextToken },
          req.signal,
        ),
      { filters: [] },
      { pageSize: 50 },
    );
    const r = await pager.loadAll();
    assert.equal(r.error, undefined);
    const truth = em.flowLogs('111111111111', 'us-east-1');
    assert.deepEqual(
      pager.items.map((f) => f.FlowLogId),
      truth.map((f) => f.FlowLogId),
    );
    assert.ok(pager.items[0].CreationTime instanceof Date);
    assert.equal(pager.items[0].CreationTime!.getTime(), truth[0].CreationTime!.getTime());
    assert.equal(answered, 3);
  });

  it('FlowLogService with only the workers: account ID (STS), DryRun allowed and denied, one flow log by ID', async () => {
    const service = new FlowLogService(fetcher, logger);
    assert.equal(await service.accountId(profile), '111111111111');
    assert.deepEqual(await service.checkPermission(profile, 'us-east-1'), { allowed: true });
    // Account 2 is denied ec2:DescribeFlowLogs in ap-northeast-1 (defaultAccounts).
    const w2 = listProfiles(process.env).profiles.find((p) => p.name === 'w2')!;
    const denied = await service.checkPermission(w2, 'ap-northeast-1');
    assert.equal(denied.allowed, false);
    assert.equal(!denied.allowed && denied.error.kind, 'denied');
    const id = em.flowLogs('111111111111', 'us-east-1')[7].FlowLogId!;
    assert.equal((await service.describeOne(profile, 'us-east-1', id))?.FlowLogId, id);
    assert.ok(logger.lines.some((l) => l.includes('GetCallerIdentity profile=w1 -> account 111111111111')));
    const regions = await service.regionStatus(profile, 'us-east-1');
    assert.equal(regions.get('us-east-1'), 'opt-in-not-required');
    assert.equal(regions.get('ap-east-1'), 'opted-in');
  });

  it('an AWS error keeps its name, status and classification across the thread', async () => {
    em.setFaults([{ fault: 'throttle', action: 'DescribeFlowLogs' }]);
    try {
      await assert.rejects(page({ query: { filters: [] }, pageSize: 5 }), (err: Error) => {
        assert.ok(err instanceof AwsCallError, 'the rejection carries the value the worker classified');
        const e = err.error;
        assert.equal(e.code, 'RequestLimitExceeded');
        assert.equal(e.kind, 'throttled');
        assert.equal(e.httpStatus, 503);
        return true;
      });
      assert.ok(
        logger.lines.some((l) => /attempt failed: RequestLimitExceeded \(HTTP 503\)/.test(l)),
        'the worker logs attempts through the main logger',
      );
    } finally {
      em.setFaults([]);
    }
  });

  it('a cancelled request rejects at once with AbortError', async () => {
    em.setFaults([{ fault: 'hang', action: 'DescribeFlowLogs' }]);
    try {
      const abort = new AbortController();
      const p = page({ query: { filters: [] }, pageSize: 5, signal: abort.signal });
      setTimeout(() => abort.abort(), 100);
      await assert.rejects(p, (err: Error) => err.name === 'AbortError' && err instanceof AwsCallError && err.error.kind === 'aborted');
    } finally {
      em.setFaults([]);
    }
  });

  it('requests pending when the worker stops fail with a clear error; the next request starts a new worker', async () => {
    em.setFaults([{ fault: 'hang', action: 'DescribeFlowLogs' }]);
    const p = page({ query: { filters: [] }, pageSize: 5 });
    await new Promise((r) => setTimeout(r, 100));
    fetcher.dispose();
    await assert.rejects(p, /AWS worker was stopped/);
    em.setFaults([]);
    const again = await page({ query: { filters: [] }, pageSize: 5 });
    assert.equal(again.items.length, 5);
  });
});
