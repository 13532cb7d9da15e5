// The local CloudWatch Logs endpoint through clients nobody here wrote (boto3) and the real AWS
// SDK, and the extension's own path (ClientCache endpoint resolution -> filterLogEvents operation
// -> RecordLoader) paged to the end of a range against the endpoint's ground truth.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  paginateFilterLogEvents,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import { awsConfigFor } from '../../emulator/fixtures';
import type { FlowLog } from '../../../src/shared/types';
import { ClientCache } from '../../../src/aws/worker/clients';
import { loadSharedConfig } from '../../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../../src/shared/profiles';
import { MemoryLogger } from '../../support/loggers';
import { InProcessAws } from '../../support/inProcessAws';
import { CloudWatchRecordSource } from '../../../src/records/cloudWatchSource';
import { RecordLoader } from '../../../src/records/source';
import { planFilters, recordPredicate } from '../../../src/shared/recordsFilters';
import { recordLayout } from '../../../src/shared/recordsFields';
import { parseMessage } from '../../../src/shared/recordsParse';

const HOUR = 3_600_000;

describe('emulator: CloudWatch Logs', function () {
  this.timeout(60_000);
  let em: Emulator;
  const [acct] = defaultAccounts(40);
  const region = 'us-east-1';
  let groupLog: FlowLog;
  let failedLog: FlowLog | undefined;
  const creds = { accessKeyId: acct.accessKeyId, secretAccessKey: acct.secretAccessKey! };
  const client = (over: Partial<typeof creds> = {}) =>
    new CloudWatchLogsClient({ endpoint: em.url, region, credentials: { ...creds, ...over }, maxAttempts: 1 });
  const end = () => Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000;

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11 });
    const logs = em.flowLogs(acct.accountId, region);
    const cwl = logs.filter((f) => f.LogDestinationType === 'cloud-watch-logs');
    groupLog = cwl.find(
      (f) =>
        f.DeliverLogsStatus !== 'FAILED' &&
        f.MaxAggregationInterval === 60 &&
        f.TrafficType === 'ALL' &&
        f.LogFormat?.includes('${action}'),
    )!;
    failedLog = cwl.find((f) => f.DeliverLogsStatus === 'FAILED');
    assert.ok(groupLog, 'the demo data has a cloud-watch-logs flow log with a 60 s interval');
  });
  after(async () => em?.stop());

  it('every working cloud-watch-logs flow log has a group; a failed delivery has none', async () => {
    const out = await client().send(new DescribeLogGroupsCommand({}));
    const names = (out.logGroups ?? []).map((g) => g.logGroupName);
    const expected = em
      .flowLogs(acct.accountId, region)
      .filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED')
      .map((f) => f.LogGroupName!)
      .sort();
    assert.deepEqual(names, expected);
    if (failedLog) assert.ok(!names.includes(failedLog.LogGroupName!));
  });

  it('the last hour has records; deterministic from the seed; one stream per ENI', () => {
    const now = Date.now();
    const a = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, now - HOUR, now);
    assert.ok(a.length > 30, `only ${a.length} events in the last hour`);
    const b = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, now - HOUR, now);
    assert.deepEqual(
      a.map((e) => e.message),
      b.map((e) => e.message),
    );
    const streams = new Set(a.map((e) => e.logStreamName));
    assert.ok([...streams].every((s) => /^eni-[0-9a-f]{17}-all$/.test(s)));
    const layout = recordLayout(groupLog.LogFormat);
    const recs = a.map((e) => parseMessage(layout, e.message, e.timestamp));
    assert.ok(
      recs.every((r) => !r.bad),
      'every generated record fits its format',
    );
    const actions = new Set(recs.map((r) => r.v[layout.index['action']]).filter((x) => x !== '-'));
    if (groupLog.TrafficType === 'ALL') assert.deepEqual([...actions].sort(), ['ACCEPT', 'REJECT']);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].timestamp <= a[i].timestamp, 'ordered by time');
  });

  it('boto3: filter_log_events paginator, describe, get_log_events, errors', async () => {
    const startTime = end() - 6 * HOUR;
    const endTime = end();
    const pattern = planFilters(recordLayout(groupLog.LogFormat), [{ field: 'action', value: 'ACCEPT' }]).pattern;
    assert.match(pattern, /^\[.*action="ACCEPT".*\]$/);
    const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, startTime, endTime, pattern);
    assert.ok(truth.length > 500);
    const stream = truth[0].logStreamName;
    // Asynchronous: the endpoint runs in this process and must keep answering.
    const { stdout: raw } = await promisify(execFile)(
      '/usr/bin/python3',
      [
        join(__dirname, '../../../../test/unit/emulator/boto3_logs.py'),
        JSON.stringify({
          endpointUrl: em.url,
          region,
          ...creds,
          group: groupLog.LogGroupName,
          startTime,
          endTime,
          pattern,
          limit: 500,
          stream,
          missingGroup: 'no-such-group',
        }),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 50_000 },
    );
    const out = JSON.parse(raw);
    assert.equal(out.filterIds.length, truth.length);
    assert.deepEqual(
      out.filterIds,
      truth.map((e) => e.eventId),
    );
    assert.ok(out.filterPages > 1);
    assert.ok(out.groups.includes(groupLog.LogGroupName));
    assert.ok(out.streams.includes(stream));
    // GetLogEvents' endTime is exclusive; FilterLogEvents' is inclusive.
    const streamTruth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, startTime, endTime - 1, '', [stream]);
    assert.deepEqual(
      out.streamMessages,
      streamTruth.map((e) => e.message),
    );
    assert.deepEqual([out.missingGroup.code, out.missingGroup.status], ['ResourceNotFoundException', 400]);
    assert.equal(out.badPattern.code, 'InvalidParameterException');
  });

  it('the AWS SDK: paging to the end gives the ground truth; empty pages with a token are normal', async () => {
    const startTime = end() - 24 * HOUR;
    const endTime = end();
    const layout = recordLayout(groupLog.LogFormat);
    const plan = planFilters(layout, [{ field: 'action', value: 'REJECT' }]);
    const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, startTime, endTime, plan.pattern);
    const ids: string[] = [];
    let pages = 0;
    let empty = 0;
    for await (const page of paginateFilterLogEvents(
      { client: client() },
      { logGroupName: groupLog.LogGroupName, startTime, endTime, filterPattern: plan.pattern },
    )) {
      pages++;
      if (!page.events?.length && page.nextToken) empty++;
      ids.push(...(page.events ?? []).map((e) => e.eventId!));
    }
    assert.deepEqual(
      ids,
      truth.map((e) => e.eventId),
    );
    assert.ok(truth.length > 100 && pages >= 1);
    // A selective pattern over six days: the scan budget gives empty pages with a nextToken.
    const rare = planFilters(layout, [{ field: 'srcaddr', value: '203.0.113.7' }]).pattern;
    const rareTruth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, end() - 144 * HOUR, endTime, rare);
    const rareIds: string[] = [];
    for await (const page of paginateFilterLogEvents(
      { client: client() },
      { logGroupName: groupLog.LogGroupName, startTime: end() - 144 * HOUR, endTime, filterPattern: rare },
    )) {
      if (!page.events?.length && page.nextToken) empty++;
      rareIds.push(...(page.events ?? []).map((e) => e.eventId!));
    }
    assert.deepEqual(
      rareIds,
      rareTruth.map((e) => e.eventId),
    );
    assert.ok(empty >= 1, 'some pages were empty with a nextToken');
  });

  it('AWS-shaped errors: missing group, bad input, bad token, wrong secret, faults', async () => {
    const fail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return (e as Error).name;
      }
      return 'no error';
    };
    const c = client();
    assert.equal(await fail(c.send(new FilterLogEventsCommand({ logGroupName: 'nope' }))), 'ResourceNotFoundException');
    assert.equal(
      await fail(c.send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName, limit: 20000 }))),
      'InvalidParameterException',
    );
    assert.equal(
      await fail(c.send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName, nextToken: 'garbage' }))),
      'InvalidParameterException',
    );
    assert.equal(
      await fail(client({ secretAccessKey: 'wrong' }).send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName }))),
      'InvalidSignatureException',
    );
    assert.equal(
      await fail(client({ accessKeyId: 'AKIAUNKNOWN' }).send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName }))),
      'UnrecognizedClientException',
    );
    em.setFaults([{ fault: 'throttle', action: 'FilterLogEvents' }]);
    assert.equal(await fail(c.send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName }))), 'ThrottlingException');
    em.setFaults([{ fault: 'unauthorized', action: 'FilterLogEvents' }]);
    assert.equal(await fail(c.send(new FilterLogEventsCommand({ logGroupName: groupLog.LogGroupName }))), 'AccessDeniedException');
    em.setFaults([]);
  });

  describe('the extension path: ClientCache -> filterLogEvents operation -> RecordLoader', () => {
    let dir: string;
    let clients: ClientCache;
    let aws: InProcessAws;
    let profile: AwsProfile;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'records-unit-'));
      // The profile's endpoint_url points nowhere: only AWS_ENDPOINT_URL_CLOUDWATCH_LOGS reaches
      // the endpoint, so the per-service variable is proven to be honoured.
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
    after(() => {
      clients?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('loads a range to its end with filters: exact count and order vs the ground truth; the cap holds', async () => {
      const source = new CloudWatchRecordSource(
        (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
        groupLog.LogGroupName!,
        groupLog.LogFormat,
      );
      const query = {
        startMs: end() - 12 * HOUR,
        endMs: end(),
        filters: [
          { field: 'dstaddr', value: '10.0.0.0/12' },
          { field: 'protocol', value: 'tcp' },
        ],
      };
      const loader = new RecordLoader(source, query);
      let progressCalls = 0;
      const outcome = await loader.load(Infinity, 1_000_000, { onProgress: () => progressCalls++ });
      assert.deepEqual(outcome, { status: 'done' });
      const layout = recordLayout(groupLog.LogFormat);
      const all = em.logs
        .events(acct.accountId, region, groupLog.LogGroupName!, query.startMs, query.endMs)
        .map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId));
      const truth = all.filter(recordPredicate(layout, query.filters));
      assert.ok(truth.length > 10);
      assert.deepEqual(
        loader.records.map((r) => r.id),
        truth.map((r) => r.id),
      );
      assert.ok(progressCalls >= 1);
      assert.equal(source.plan(query).items[0].placement, 'both');
      // The cap: never more than it, and it says so.
      const capped = new RecordLoader(source, { ...query, filters: [] });
      const c = await capped.load(Infinity, 1234);
      assert.deepEqual(c, { status: 'capped', cap: 1234 });
      assert.equal(capped.records.length, 1234);
    });

    it('a throttled page keeps what was loaded; Retry resumes at that page and ends exact', async () => {
      const source = new CloudWatchRecordSource(
        (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
        groupLog.LogGroupName!,
        groupLog.LogFormat,
      );
      const query = { startMs: end() - 6 * HOUR, endMs: end(), filters: [] };
      const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, query.startMs, query.endMs);
      const loader = new RecordLoader(source, query);
      assert.deepEqual(await loader.load(500, 1_000_000), { status: 'more' });
      em.setFaults([{ fault: 'throttle', action: 'FilterLogEvents' }]);
      const failed = await loader.load(Infinity, 1_000_000);
      assert.equal(failed.status, 'error');
      assert.equal(failed.status === 'error' && failed.error.kind, 'throttled');
      assert.equal(loader.records.length, 500);
      em.setFaults([]);
      assert.deepEqual(await loader.load(Infinity, 1_000_000), { status: 'done' });
      assert.deepEqual(
        loader.records.map((r) => r.id),
        truth.map((e) => e.eventId),
      );
    });

    it('a missing group, a denied call and a duplicate at a page boundary are handled', async () => {
      const missing = new CloudWatchRecordSource(
        (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
        'no-such-group',
        undefined,
        'arn:aws:logs:us-east-1:111111111111:log-group:no-such-group',
      );
      const out = await new RecordLoader(missing, { startMs: 0, endMs: Date.now(), filters: [] }).load(100, 100);
      assert.equal(out.status === 'error' && out.error.kind, 'notFound');
      assert.match(out.status === 'error' ? out.error.message : '', /no-such-group/);
      em.setFaults([{ fault: 'unauthorized', action: 'FilterLogEvents' }]);
      const src = new CloudWatchRecordSource(
        (args, signal) => aws.call('filterLogEvents', profile.name, region, args, signal),
        groupLog.LogGroupName!,
        groupLog.LogFormat,
        'arn:aws:logs:us-east-1:111111111111:log-group:x',
      );
      const denied = await new RecordLoader(src, { startMs: 0, endMs: Date.now(), filters: [] }).load(100, 100);
      assert.equal(denied.status === 'error' && denied.error.kind, 'denied');
      assert.match(denied.status === 'error' ? denied.error.message : '', /logs:FilterLogEvents on arn:aws:logs/);
      em.setFaults([{ fault: 'duplicateItem', action: 'FilterLogEvents' }]);
      const query = { startMs: end() - 2 * HOUR, endMs: end(), filters: [] };
      const dup = new RecordLoader(src, query);
      await dup.load(Infinity, 1_000_000);
      em.setFaults([]);
      const truth = em.logs.events(acct.accountId, region, groupLog.LogGroupName!, query.startMs, query.endMs);
      assert.deepEqual(
        dup.records.map((r) => r.id),
        truth.map((e) => e.eventId),
      );
    });
  });
});

describe("emulator: CloudWatch Logs, the benchmarks' large group (logs.largeGroupRecords)", function () {
  this.timeout(120_000);
  const [acct] = defaultAccounts(40);
  const region = 'us-east-1';
  let plain: Emulator;
  let large: Emulator;
  const N = 150_000;
  before(async () => {
    plain = await startEmulator({ accounts: [acct], seed: 3 });
    large = await startEmulator({ accounts: [acct], seed: 3, logs: { largeGroupRecords: N } });
  });
  after(async () => {
    await plain?.stop();
    await large?.stop();
  });

  it('holds N records over 95% of the retention, pages as AWS does (<= 10,000 events, <= 1 MB), other groups unchanged', async () => {
    assert.equal(plain.logs.largeGroup(acct.accountId, region), undefined, 'no large group by default');
    const group = large.logs.largeGroup(acct.accountId, region);
    assert.ok(group);
    const flowLog = large.flowLogs(acct.accountId, region).find((f) => f.LogGroupName === group)!;
    assert.equal(flowLog.TrafficType, 'ALL');
    const now = Date.now();
    const startTime = now - Math.ceil(0.95 * 7 * 24 * HOUR);
    const truth = large.logs.events(acct.accountId, region, group, startTime, now);
    assert.ok(truth.length >= N && truth.length < 2 * N, `${truth.length} records`);
    const before = plain.logs.events(acct.accountId, region, group, startTime, now);
    assert.ok(before.length < N / 2, `the same group without the option: ${before.length}`);
    for (const [name] of plain.logs.groups(acct.accountId, region)) {
      if (name === group) continue;
      assert.deepEqual(
        large.logs.events(acct.accountId, region, name, now - 6 * HOUR, now),
        plain.logs.events(acct.accountId, region, name, now - 6 * HOUR, now),
        name,
      );
    }
    const c = new CloudWatchLogsClient({
      endpoint: large.url,
      region,
      credentials: { accessKeyId: acct.accessKeyId, secretAccessKey: acct.secretAccessKey! },
      maxAttempts: 1,
    });
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client: c }, { logGroupName: group, startTime, endTime: now })) {
      pages++;
      const events = page.events ?? [];
      assert.ok(events.length <= 10_000, `${events.length} events in a page`);
      assert.ok(Buffer.byteLength(JSON.stringify(events)) <= 1_048_576 + 200 * 10_000, 'about 1 MB at most');
      ids.push(...events.map((e) => e.eventId!));
    }
    assert.ok(pages >= Math.ceil(N / 10_000), `${pages} pages`);
    assert.deepEqual(
      ids,
      truth.map((e) => e.eventId),
    );
  });
});
