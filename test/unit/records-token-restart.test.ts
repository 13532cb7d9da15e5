// A CloudWatch Logs page token the service rejects (expired: a panel left open overnight; or
// invalid) can never be sent again. Retry must start the range over and drop what was loaded, as
// the tree does for DescribeFlowLogs (restartsListing): the real SDK over real HTTP to the local
// endpoint, through ClientCache -> filterLogEvents -> CloudWatchRecordSource -> RecordLoader
// (issue 23, item 4).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { awsConfigFor } from '../emulator/fixtures';
import type { FlowLog } from '../../src/shared/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { recordKey, rowsOf } from '../support/resultRows';
import { parseMessage } from '../../src/shared/recordsParse';
import { recordLayout } from '../../src/shared/recordsFields';
import { InProcessAws } from '../support/inProcessAws';
import { CloudWatchRecordSource } from '../../src/records/cloudWatchSource';
import { RecordLoader } from '../../src/records/source';
import { restartsRange } from '../../src/shared/recordsErrors';

const HOUR = 3_600_000;

describe('records: a rejected CloudWatch Logs page token restarts the range on Retry (real HTTP)', function () {
  this.timeout(60_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  let groupLog: FlowLog;
  const [acct] = defaultAccounts(40);
  const region = 'us-east-1';
  const end = () => Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000;

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11 });
    groupLog = em
      .flowLogs(acct.accountId, region)
      .find((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED' && f.MaxAggregationInterval === 60)!;
    dir = mkdtempSync(join(tmpdir(), 'records-token-'));
    const files = awsConfigFor({ url: 'http://127.0.0.1:9' }, [{ name: 'p', account: acct, region }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: em.url,
    };
    const config = loadSharedConfig(env);
    clients = new ClientCache({
      settings: () => ({ maxAttempts: 2, requestTimeoutMs: 10_000, userAgent: 't' }),
      config: () => config,
      logger: new MemoryLogger(),
      env,
    });
    aws = new InProcessAws(clients, listProfiles(env, config).profiles);
    profile = listProfiles(env, config).profiles.find((p) => p.name === 'p')!;
  });
  after(async () => {
    clients?.dispose();
    rmSync(dir, { recursive: true, force: true });
    await em?.stop();
  });

  it('the rejected token is an error that says Retry starts over; Retry drops the loaded records and ends exact', async () => {
    const source = new CloudWatchRecordSource(
      (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
      groupLog.LogGroupName!,
      groupLog.LogFormat,
      undefined,
      (op, a, s) => aws.call(op, profile.name, region, a, s),
    );
    const query = { startMs: end() - 6 * HOUR, endMs: end(), filters: [] };
    const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, query.startMs, query.endMs);
    assert.ok(truth.length > 1500, `${truth.length} events`);
    const loader = new RecordLoader(source, query);
    assert.deepEqual(await loader.load(500, 1_000_000), { status: 'more' });
    // The next page hands out a token the endpoint will not accept (as an expired one): the page after it fails.
    em.setFaults([{ fault: 'badNextToken', action: 'FilterLogEvents', nth: 1 }]);
    const failed = await loader.load(Infinity, 1_000_000);
    em.setFaults([]);
    assert.equal(failed.status, 'error', JSON.stringify(failed));
    if (failed.status !== 'error') return;
    assert.equal(failed.error.code, 'InvalidParameterException');
    assert.ok(restartsRange(failed.error), JSON.stringify(failed.error));
    assert.ok(failed.error.actions.includes('retry'));
    assert.match(failed.error.message, /page token/i);
    assert.match(failed.error.message, /start/i);
    assert.ok(loader.restartsOnRetry);
    const before = (await rowsOf(loader)).length;
    assert.ok(before >= 500);

    // Retry (what the panel's button calls): the range is read again from its start, nothing twice.
    let restarted = 0;
    const again = await loader.load(Infinity, 1_000_000, { onRestart: () => restarted++ });
    assert.deepEqual(again, { status: 'done' });
    assert.equal(restarted, 1);
    assert.ok(!loader.restartsOnRetry);
    assert.deepEqual(
      (await rowsOf(loader)).map(recordKey),
      truth.map((e) => recordKey(parseMessage(recordLayout(groupLog.LogFormat), e.message, e.timestamp, e.logStreamName))),
    );
    assert.equal(loader.progress.loaded, truth.length);
    // The first request of the Retry carried no token.
    const retryCalls = em.requests.filter((r) => r.action === 'FilterLogEvents');
    assert.ok(retryCalls.some((r) => r.logs?.nextToken === false && r.status === 200));
  });

  it('any other error keeps the position: Retry resumes, never restarts', async () => {
    const source = new CloudWatchRecordSource(
      (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
      groupLog.LogGroupName!,
      groupLog.LogFormat,
      undefined,
      (op, a, s) => aws.call(op, profile.name, region, a, s),
    );
    const query = { startMs: end() - 3 * HOUR, endMs: end(), filters: [] };
    const loader = new RecordLoader(source, query);
    assert.deepEqual(await loader.load(300, 1_000_000), { status: 'more' });
    em.setFaults([{ fault: 'throttle', action: 'FilterLogEvents' }]);
    const failed = await loader.load(Infinity, 1_000_000);
    em.setFaults([]);
    assert.ok(failed.status === 'error' && !restartsRange(failed.error) && !loader.restartsOnRetry, JSON.stringify(failed));
    let restarted = 0;
    assert.deepEqual(await loader.load(Infinity, 1_000_000, { onRestart: () => restarted++ }), { status: 'done' });
    assert.equal(restarted, 0);
    const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, query.startMs, query.endMs);
    assert.deepEqual(
      (await rowsOf(loader)).map(recordKey),
      truth.map((e) => recordKey(parseMessage(recordLayout(groupLog.LogFormat), e.message, e.timestamp, e.logStreamName))),
    );
  });
});
