// FlowLogService against the emulator over HTTP: the account ID via STS (cached; failures not
// cached), the DryRun permission check, one flow log by ID, and logs that say what was asked
// without ever holding a credential.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

describe('FlowLogService against the emulator', function () {
  this.timeout(30000);
  let em: Emulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let profiles: Map<string, AwsProfile>;
  const [acct1, acct2] = defaultAccounts(30);
  const SECRETS = [acct1.secretAccessKey!, acct2.secretAccessKey!];

  function newService(): { service: FlowLogService; logger: MemoryLogger } {
    const logger = new MemoryLogger();
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger,
      env,
    });
    return { service: new FlowLogService(new InProcessAws(clients, [...profiles.values()]), logger), logger };
  }

  const services: FlowLogService[] = [];
  function tracked(): { service: FlowLogService; logger: MemoryLogger } {
    const s = newService();
    services.push(s.service);
    return s;
  }

  const sts = () => em.requests.filter((r) => r.action === 'GetCallerIdentity');
  const noSecrets = (logger: MemoryLogger) => {
    assert.ok(logger.lines.length > 0);
    for (const line of logger.lines) {
      for (const secret of SECRETS) assert.ok(!line.includes(secret), `secret in log line: ${line}`);
      assert.ok(!line.includes(acct1.accessKeyId) && !line.includes(acct2.accessKeyId), `full access key in log line: ${line}`);
    }
  };

  before(async () => {
    em = await startEmulator({ accounts: [acct1, acct2], seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-service-'));
    const files = awsConfigFor(em, [
      { name: 'one', account: acct1, region: 'us-east-1' },
      { name: 'two', account: acct2, region: 'ap-northeast-1' },
    ]);
    writeFileSync(join(dir, 'config'), `${files.config}\n[profile badendpoint]\nregion = us-east-1\nendpoint_url = not a url\n`);
    writeFileSync(
      join(dir, 'credentials'),
      `${files.credentials}\n[badendpoint]\naws_access_key_id = ${acct1.accessKeyId}\naws_secret_access_key = ${acct1.secretAccessKey}\n`,
    );
    env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const list = listProfiles(env);
    assert.deepEqual(list.problems, []);
    profiles = new Map(list.profiles.map((p) => [p.name, p]));
  });
  after(async () => {
    for (const s of services) (s.aws as InProcessAws).dispose();
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    em.setFaults([]);
    em.resetRequests();
  });

  describe('accountId', () => {
    it('asks STS once and caches the answer', async () => {
      const { service, logger } = tracked();
      assert.equal(await service.accountId(profiles.get('one')!), '111111111111');
      assert.equal(sts().length, 1);
      assert.equal(await service.accountId(profiles.get('one')!), '111111111111');
      assert.equal(sts().length, 1, 'the second call sent no request');
      assert.equal(await service.accountId(profiles.get('two')!), '222222222222');
      assert.equal(sts().length, 2);
      assert.ok(
        logger.lines.some((l) => /^INFO GetCallerIdentity profile=one -> account 111111111111 in \d+ ms$/.test(l)),
        logger.lines.join('\n'),
      );
      noSecrets(logger);
    });

    it('shares one request between concurrent callers', async () => {
      const { service } = tracked();
      const [a, b] = await Promise.all([service.accountId(profiles.get('one')!), service.accountId(profiles.get('one')!)]);
      assert.deepEqual([a, b], ['111111111111', '111111111111']);
      assert.equal(sts().length, 1);
    });

    it('does not cache a failure: the next call asks again', async () => {
      const { service, logger } = tracked();
      em.setFaults([{ fault: 'internalError', action: 'GetCallerIdentity', nth: 1 }]);
      await assert.rejects(service.accountId(profiles.get('one')!), (e: Error) => e.name === 'InternalFailure');
      assert.equal(sts().length, 1);
      assert.ok(
        logger.lines.some((l) => l.startsWith('ERROR GetCallerIdentity profile=one ->')),
        logger.lines.join('\n'),
      );
      assert.equal(await service.accountId(profiles.get('one')!), '111111111111');
      assert.equal(sts().length, 2);
      noSecrets(logger);
    });

    it('invalidate() forgets the cached account ID', async () => {
      const { service } = tracked();
      await service.accountId(profiles.get('one')!);
      service.invalidate('one');
      await service.accountId(profiles.get('one')!);
      assert.equal(sts().length, 2);
    });
  });

  describe('checkPermission', () => {
    it('allowed: DryRunOperation', async () => {
      const { service, logger } = tracked();
      assert.deepEqual(await service.checkPermission(profiles.get('one')!, 'us-east-1'), { allowed: true });
      const sent = em.requests.filter((r) => r.action === 'DescribeFlowLogs');
      assert.equal(sent.length, 1);
      assert.equal(sent[0].params?.dryRun, true);
      assert.equal(sent[0].errorCode, 'DryRunOperation');
      assert.ok(logger.lines.some((l) => l === 'INFO DescribeFlowLogs DryRun profile=one region=us-east-1 -> DryRunOperation'));
    });

    it('denied: account 2 in ap-northeast-1', async () => {
      const { service, logger } = tracked();
      const r = await service.checkPermission(profiles.get('two')!, 'ap-northeast-1');
      assert.equal(r.allowed, false);
      assert.ok(!r.allowed);
      assert.equal(r.error.kind, 'denied');
      assert.equal(r.error.code, 'UnauthorizedOperation');
      assert.match(r.error.message, /Not authorized for ec2:DescribeFlowLogs \(profile "two"\)/);
      // ...while the same account is allowed elsewhere
      assert.deepEqual(await service.checkPermission(profiles.get('two')!, 'us-east-1'), { allowed: true });
      noSecrets(logger);
    });

    it('reports other failures as such, not as allowed', async () => {
      const { service } = tracked();
      em.setFaults([{ fault: 'authFailure', action: 'DescribeFlowLogs' }]);
      const r = await service.checkPermission(profiles.get('one')!, 'us-east-1');
      assert.ok(!r.allowed);
      assert.equal(r.error.kind, 'credentials');
    });
  });

  describe('describeOne', () => {
    it('returns the flow log with that ID, every field as listed', async () => {
      const { service } = tracked();
      const truth = em.flowLogs(acct1.accountId, 'eu-west-1');
      const wanted = truth[17];
      assert.deepEqual(await service.describeOne(profiles.get('one')!, 'eu-west-1', wanted.FlowLogId!), wanted);
      const sent = em.requests.filter((r) => r.action === 'DescribeFlowLogs');
      assert.equal(sent.length, 1);
      assert.equal(sent[0].params?.flowLogIds, 1);
      assert.equal(sent[0].region, 'eu-west-1');
    });

    it('returns undefined for an ID that does not exist', async () => {
      const { service } = tracked();
      assert.equal(await service.describeOne(profiles.get('one')!, 'eu-west-1', 'fl-0123456789abcdef0'), undefined);
    });

    it('rejects with the SDK error when the request fails', async () => {
      const { service } = tracked();
      await assert.rejects(
        service.describeOne(profiles.get('two')!, 'ap-northeast-1', 'fl-0123456789abcdef0'),
        (e: Error) => e.name === 'UnauthorizedOperation',
      );
    });
  });

  describe('logging', () => {
    it('logs the request summary of each page, and errors with their code, never a secret', async () => {
      const { service, logger } = tracked();
      const pager = service.pager(
        profiles.get('one')!,
        'us-east-1',
        { filters: [{ Name: 'traffic-type', Values: ['ALL', 'ACCEPT', 'REJECT'] }] },
        20,
      );
      await pager.loadAll();
      assert.deepEqual(pager.items, em.flowLogs(acct1.accountId, 'us-east-1'));
      const infos = logger.lines.filter((l) => l.startsWith('INFO DescribeFlowLogs'));
      assert.equal(infos.length, 2);
      assert.match(infos[0], /^INFO DescribeFlowLogs profile=one region=us-east-1 pageSize=20 filters=1 -> 20 items, more in \d+ ms$/);
      assert.match(
        infos[1],
        /^INFO DescribeFlowLogs profile=one region=us-east-1 pageSize=20 filters=1 \(next page\) -> 10 items in \d+ ms$/,
      );

      const denied = service.pager(profiles.get('two')!, 'ap-northeast-1', { filters: [] }, 50);
      const r = await denied.loadNext();
      assert.equal(r.error?.kind, 'denied');
      const err = logger.lines.filter((l) => l.startsWith('ERROR DescribeFlowLogs'));
      assert.equal(err.length, 1);
      assert.match(
        err[0],
        /^ERROR DescribeFlowLogs profile=two region=ap-northeast-1 pageSize=50 -> UnauthorizedOperation \(HTTP 403\) in \d+ ms after 1 attempt\(s\): You are not authorized/,
      );

      em.setFaults([{ fault: 'throttle', action: 'DescribeFlowLogs' }]);
      await service.pager(profiles.get('one')!, 'eu-west-1', { filters: [] }, 50).loadNext();
      assert.ok(
        logger.lines.some((l) => l.startsWith('WARN attempt failed: RequestLimitExceeded (HTTP 503) profile=one region=eu-west-1')),
        logger.lines.join('\n'),
      );
      assert.ok(
        logger.lines.some((l) => /^ERROR DescribeFlowLogs profile=one region=eu-west-1 .*RequestLimitExceeded \(HTTP 503\)/.test(l)),
      );
      noSecrets(logger);
    });

    it('a profile with an unusable endpoint gets a config error naming the endpoint, and sends nothing', async () => {
      const { service, logger } = tracked();
      const pager = service.pager(profiles.get('badendpoint')!, 'us-east-1', { filters: [] }, 50);
      const r = await pager.loadNext();
      assert.equal(r.error?.kind, 'config');
      assert.equal(r.error?.code, 'EndpointConfigError');
      assert.ok(r.error?.actions.includes('openConfig'));
      assert.match(r.error!.message, /endpoint "not a url" is not a valid URL/);
      assert.equal(em.requests.length, 0);
      noSecrets(logger);
    });
  });
});
