// The wire to the AWS workers (issue 12): the workers are told the settings and the profiles by a
// `configure` message (first, and when they change); a `call` names its profile only; a profile
// the workers were not told about is a classified `config` error; a failure crosses as the value
// the worker classified (the same SSO error reads the same through every door); a DryRun is a
// value. Against the real worker pool and the real SDK over HTTP to the local endpoint.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { startEmulator, defaultAccounts, awsConfigFor, Emulator } from '../emulator/server';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { listProfiles, AwsProfile } from '../../src/shared/profiles';
import { AwsCallError, DRY_RUN_IGNORED, errorOf } from '../../src/shared/errors';
import type { ClientSettings, ToWorker } from '../../src/shared/awsWorkerProtocol';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');
const SETTINGS: ClientSettings = { maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' };
const page = { query: { filters: [] }, pageSize: 5 };

describe('the wire to the AWS workers: configure, calls by profile name, errors as values', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  let profiles: AwsProfile[];
  const pools: AwsWorkerPool[] = [];
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  const accounts = defaultAccounts(40);
  // Every message the pools post to their workers, in order.
  const sent: ToWorker[] = [];
  const post = Worker.prototype.postMessage;

  const newPool = (poolSize = 1) => {
    const pool = new AwsWorkerPool(WORKER, { logger: new MemoryLogger(), poolSize });
    pools.push(pool);
    return pool;
  };
  const describes = () => em.requests.filter((r) => r.action === 'DescribeFlowLogs');

  before(async () => {
    em = await startEmulator({ accounts, seed: 5 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-wire-'));
    const files = awsConfigFor(em, [
      { name: 'w1', account: accounts[0], region: 'us-east-1' },
      { name: 'w2', account: accounts[1], region: 'us-east-1' },
    ]);
    const sso = [
      '',
      '[profile corp-sso]',
      'sso_session = wire-corp',
      'sso_account_id = 111111111111',
      'sso_role_name = ReadOnly',
      'region = us-east-1',
      '',
      '[sso-session wire-corp]',
      'sso_start_url = https://wire-tests.example.invalid/start',
      'sso_region = us-east-1',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'config'), files.config + sso);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    profiles = listProfiles(process.env).profiles;
    assert.equal(profiles.find((p) => p.name === 'corp-sso')?.kind, 'sso');
    Worker.prototype.postMessage = function (this: Worker, m: unknown, ...rest: unknown[]) {
      sent.push(m as ToWorker);
      return (post as (...a: unknown[]) => void).call(this, m, ...rest);
    } as typeof post;
  });

  after(async () => {
    Worker.prototype.postMessage = post;
    for (const p of pools) p.dispose();
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

  beforeEach(() => {
    sent.length = 0;
    em.setFaults([]);
    em.resetRequests();
  });

  it('a new worker is told the settings and profiles first; a call carries the profile name, the region and the arguments only', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    assert.equal(sent.length, 0, 'no worker yet: nothing sent');
    const answer = await pool.call('describeFlowLogsPage', 'w1', 'us-east-1', page);
    assert.equal(answer.items.length, 5);
    assert.deepEqual(
      sent.map((m) => m.type),
      ['configure', 'call'],
    );
    const [configure, call] = sent as [Extract<ToWorker, { type: 'configure' }>, Extract<ToWorker, { type: 'call' }>];
    assert.deepEqual(configure.settings, SETTINGS);
    assert.deepEqual(
      configure.profiles.map((p) => p.name),
      profiles.map((p) => p.name),
    );
    assert.deepEqual(Object.keys(call).sort(), ['args', 'id', 'op', 'profile', 'region', 'type']);
    assert.equal(call.profile, 'w1');
    assert.equal(call.op, 'describeFlowLogsPage');
    const secret = accounts[0].secretAccessKey!;
    assert.ok(!JSON.stringify(call).includes(secret), 'no credential in a call');
    assert.ok(JSON.stringify(configure).includes(secret), '(the profiles, with their settings, crossed once, by configure)');

    // The same configuration again: nothing is sent; further calls carry no settings.
    pool.configure({ ...SETTINGS }, [...profiles]);
    await pool.call('describeFlowLogsPage', 'w1', 'us-east-1', page);
    assert.deepEqual(
      sent.map((m) => m.type),
      ['configure', 'call', 'call'],
    );
  });

  it('new settings reach a running worker by configure and take effect (maxAttempts 1, then 3)', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    em.setFaults([{ fault: 'throttle', action: 'DescribeFlowLogs' }]);
    await assert.rejects(pool.call('describeFlowLogsPage', 'w1', 'us-east-1', page), (e: Error) => errorOf(e).kind === 'throttled');
    assert.equal(describes().length, 1, 'one attempt');
    pool.configure({ ...SETTINGS, maxAttempts: 3 }, profiles);
    assert.equal(sent.filter((m) => m.type === 'configure').length, 2, 'the running worker was told');
    em.resetRequests();
    await assert.rejects(pool.call('describeFlowLogsPage', 'w1', 'us-east-1', page), (e: Error) => errorOf(e).kind === 'throttled');
    assert.equal(describes().length, 3, 'three attempts: the new setting is in use');
  });

  it('a profile the workers were not told about is a classified config error (and nothing is sent to AWS)', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    await assert.rejects(pool.call('describeFlowLogsPage', 'nobody', 'us-east-1', page), (e: Error) => {
      assert.ok(e instanceof AwsCallError);
      assert.equal(e.error.kind, 'config');
      assert.equal(e.error.code, 'UnknownProfile');
      assert.match(e.error.message, /Profile "nobody" is not in the AWS config files/);
      assert.deepEqual(e.error.actions, ['openConfig', 'retry']);
      return true;
    });
    // A profile dropped from the list (the config file changed) is unknown from then on.
    pool.configure(
      SETTINGS,
      profiles.filter((p) => p.name !== 'w2'),
    );
    await assert.rejects(pool.call('callerIdentity', 'w2', 'us-east-1', {}), (e: Error) => errorOf(e).code === 'UnknownProfile');
    assert.equal(em.requests.length, 0, 'no request reached the endpoint');
    // Through the service, the pager shows it as an error value.
    const service = new FlowLogService(pool, new MemoryLogger());
    const r = await service.pager({ name: 'nobody', kind: 'static', settings: {} }, 'us-east-1', { filters: [] }, 5).loadNext();
    assert.equal(r.error?.kind, 'config');
  });

  it('an AWS error crosses as the classified value, with its code, HTTP status, attempts and context', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    // Account 2 is denied ec2:DescribeFlowLogs in ap-northeast-1 (defaultAccounts).
    await assert.rejects(pool.call('describeFlowLogsPage', 'w2', 'ap-northeast-1', page), (e: Error) => {
      assert.ok(e instanceof AwsCallError, 'the rejection carries the value');
      assert.equal(e.name, 'UnauthorizedOperation');
      assert.equal(e.error.kind, 'denied');
      assert.equal(e.error.code, 'UnauthorizedOperation');
      assert.equal(e.error.httpStatus, 403);
      assert.equal(e.error.attempts, 1);
      assert.match(e.error.message, /^Not authorized for ec2:DescribeFlowLogs \(profile "w2"\)/);
      assert.equal(e.message, e.error.message);
      return true;
    });
  });

  it('the same SSO error reads the same through every door (tree page, account ID, Check Permissions, detail refresh)', async () => {
    const pool = newPool(2);
    pool.configure(SETTINGS, profiles);
    const service = new FlowLogService(pool, new MemoryLogger());
    const sso = profiles.find((p) => p.name === 'corp-sso')!;
    const fromPager = (await service.pager(sso, 'eu-west-1', { filters: [] }, 5).loadNext()).error;
    const fromAccount = await service.accountId(sso).then(
      () => undefined,
      (e: unknown) => errorOf(e),
    );
    const permission = await service.checkPermission(sso, 'ap-east-1');
    const fromPermission = permission.allowed ? undefined : permission.error;
    const fromDetail = await service.describeOne(sso, 'us-east-1', 'fl-0123456789abcdef0').then(
      () => undefined,
      (e: unknown) => errorOf(e),
    );
    const want = 'SSO session missing or expired: run aws sso login --profile corp-sso';
    for (const [door, e] of [
      ['pager', fromPager],
      ['accountId', fromAccount],
      ['checkPermission', fromPermission],
      ['describeOne', fromDetail],
    ] as const) {
      assert.equal(e?.kind, 'sso', `${door}: ${JSON.stringify(e)}`);
      assert.equal(e?.message, want, door);
      assert.deepEqual(e?.actions, ['signIn', 'retry'], door);
    }
    assert.equal(em.requests.length, 0, 'nothing was sent: the credentials could not be resolved');
  });

  it('a DryRun is a value: allowed, or denied with the classified error; never a rejection', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    assert.deepEqual(await pool.call('dryRun', 'w1', 'us-east-1', {}), { allowed: true });
    const denied = await pool.call('dryRun', 'w2', 'ap-northeast-1', {});
    assert.equal(denied.allowed, false);
    assert.ok(!denied.allowed);
    assert.equal(denied.error.kind, 'denied');
    assert.equal(denied.error.code, 'UnauthorizedOperation');
    em.setFaults([{ fault: 'authFailure', action: 'DescribeFlowLogs' }]);
    const bad = await pool.call('dryRun', 'w1', 'us-east-1', {});
    assert.ok(!bad.allowed);
    assert.equal(bad.error.kind, 'credentials');
    assert.ok(describes().length >= 3, 'each DryRun reached the endpoint');
    assert.ok(describes().filter((r) => r.params?.dryRun === true).length >= 2, 'as DryRun requests');
  });

  it('a server that ignores DryRun (answers normally) is no proof of permission: Check Permissions says so', async () => {
    const pool = newPool();
    pool.configure(SETTINGS, profiles);
    em.setFaults([{ fault: 'ignoreDryRun', action: 'DescribeFlowLogs' }]);
    const answer = await pool.call('dryRun', 'w1', 'us-east-1', {});
    assert.ok(!answer.allowed);
    assert.equal(answer.error.message, DRY_RUN_IGNORED);
    assert.deepEqual(answer.error.actions, ['retry']);
    const logger = new MemoryLogger();
    const result = await new FlowLogService(pool, logger).checkPermission(
      profiles.find((p) => p.name === 'w1')!,
      'us-east-1',
    );
    assert.ok(!result.allowed);
    assert.equal(result.error.message, DRY_RUN_IGNORED);
    assert.equal(describes().filter((r) => r.params?.dryRun === true).length, 2, 'both were DryRun requests');
  });
});
