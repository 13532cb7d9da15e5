// Creating, deleting and tagging flow logs (issue 26): the pure core (request, CLI line, format,
// policies, summary, per-resource results) and the worker operations through the real SDK over
// HTTP to the local endpoint: DryRun first as a value, then the real request, Unsuccessful items per
// resource, denial classified in the worker, and the Coverage check turning "Not covered" to "Covered".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCreateRequest,
  createFlowLogsCli,
  createResultLines,
  createSummary,
  deleteFlowLogsCli,
  deliveryRolePermissionPolicy,
  deliveryRoleTrustPolicy,
  logFormatOf,
  parseTagInput,
  pickerFields,
  resultHeadline,
  shellQuote,
  tagChanges,
  type CreateChoices,
} from '../../src/coverage/flowLogWrites';
import { trustsFlowLogs } from '../../src/aws/worker/flowLogWrites';
import { DEFAULT_LOG_FORMAT } from '../../src/shared/logFormat';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { checkCoverage } from '../../src/coverage/scan';
import { coverageSource } from '../../src/coverage/source';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator, type EmulatorAccount } from '../emulator/server';

const cwl = (over: Partial<CreateChoices> = {}): CreateChoices => ({
  resourceType: 'VPC',
  resourceIds: ['vpc-0123456789abcdef0'],
  traffic: 'REJECT',
  destination: { kind: 'cloud-watch-logs', logGroupName: '/vpc/flow', roleArn: 'arn:aws:iam::111111111111:role/flow-logs-delivery' },
  interval: 600,
  format: { kind: 'default' },
  ...over,
});

describe('flowLogWrites core: request, CLI line, format, policies, results', () => {
  it('builds the request of a CloudWatch Logs choice, with the Name tag first and the client token', () => {
    const r = buildCreateRequest(cwl({ name: 'prod <vpc>', tags: [{ Key: 'team', Value: 'net' }] }), 'tok-1');
    assert.ok(r.ok);
    assert.deepEqual(r.request, {
      ResourceType: 'VPC',
      ResourceIds: ['vpc-0123456789abcdef0'],
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: '/vpc/flow',
      DeliverLogsPermissionArn: 'arn:aws:iam::111111111111:role/flow-logs-delivery',
      MaxAggregationInterval: 600,
      Tags: [
        { Key: 'Name', Value: 'prod <vpc>' },
        { Key: 'team', Value: 'net' },
      ],
      ClientToken: 'tok-1',
    });
  });

  it('builds S3 and Firehose destinations; the folder is normalised, AWSLogs refused', () => {
    const s3 = buildCreateRequest(
      cwl({
        destination: {
          kind: 's3',
          bucketArn: 'arn:aws:s3:::my-bucket',
          folder: '/team/flows/',
          fileFormat: 'parquet',
          hiveCompatible: true,
          perHour: false,
        },
      }),
      't',
    );
    assert.ok(s3.ok);
    assert.equal(s3.request.LogDestination, 'arn:aws:s3:::my-bucket/team/flows/');
    assert.deepEqual(s3.request.DestinationOptions, { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: false });
    assert.equal(s3.request.DeliverLogsPermissionArn, undefined);
    const reserved = buildCreateRequest(
      cwl({
        destination: {
          kind: 's3',
          bucketArn: 'arn:aws:s3:::my-bucket',
          folder: 'AWSLogs',
          fileFormat: 'plain-text',
          hiveCompatible: false,
          perHour: false,
        },
      }),
      't',
    );
    assert.ok(!reserved.ok && reserved.problems.some((p) => p.includes('AWSLogs')));
    const fh = buildCreateRequest(
      cwl({ destination: { kind: 'kinesis-data-firehose', streamArn: 'arn:aws:firehose:us-east-1:111111111111:deliverystream/s' } }),
      't',
    );
    assert.ok(fh.ok);
    assert.equal(fh.request.LogDestination, 'arn:aws:firehose:us-east-1:111111111111:deliverystream/s');
  });

  it('reports every problem and sends nothing: wrong resource kind, bad role, bad bucket, reserved tag, duplicate key, unknown field', () => {
    const r = buildCreateRequest(
      cwl({
        resourceIds: ['subnet-0123456789abcdef0', 'garbage'],
        destination: { kind: 'cloud-watch-logs', logGroupName: 'bad name!', roleArn: 'not-an-arn' },
        format: { kind: 'custom', fields: ['srcaddr', 'no-such'] },
        tags: [
          { Key: 'aws:x', Value: '1' },
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      }),
      't',
    );
    assert.ok(!r.ok);
    const text = r.problems.join('\n');
    for (const want of [/vpc-\.\.\. IDs/, /log group name/, /IAM role ARN/, /reserved/, /given twice/, /Unknown fields: no-such/])
      assert.match(text, want);
    const none = buildCreateRequest(cwl({ resourceIds: [] }), 't');
    assert.ok(!none.ok && /at least one resource/.test(none.problems[0]));
  });

  it('record formats: default leaves LogFormat out; all fields are versions 2-8 in order; a custom pick is put in that order', () => {
    assert.equal(logFormatOf({ kind: 'default' }), undefined);
    const all = logFormatOf({ kind: 'all' })!;
    const fields = all.split(' ').map((t) => t.slice(2, -1));
    assert.deepEqual(
      fields.slice(0, 14),
      DEFAULT_LOG_FORMAT.split(' ').map((t) => t.slice(2, -1)),
    );
    assert.deepEqual(
      fields,
      pickerFields().map((f) => f.name),
    );
    assert.ok(pickerFields().every((f, i, a) => f.version <= 8 && (i === 0 || a[i - 1].version <= f.version)));
    assert.ok(fields.includes('flow-direction') && fields.includes('traffic-path') && fields.includes('reject-reason'));
    assert.ok(!fields.includes('encryption-status'), 'version 10 is not offered');
    assert.equal(logFormatOf({ kind: 'custom', fields: ['dstaddr', 'version', 'srcaddr'] }), '${version} ${srcaddr} ${dstaddr}');
  });

  it('quotes the CLI line so that a POSIX shell reads back exactly the request', () => {
    const r = buildCreateRequest(
      cwl({
        resourceIds: ['vpc-0123456789abcdef0', 'vpc-0123456789abcdef1'],
        format: { kind: 'custom', fields: ['version', 'srcaddr'] },
        name: `it's $(rm -rf /) "quoted" \`x\``,
        destination: { kind: 'cloud-watch-logs', logGroupName: '/a#b', roleArn: 'arn:aws:iam::111111111111:role/r' },
      }),
      't',
    );
    assert.ok(r.ok);
    const line = createFlowLogsCli(r.request, { profile: 'my profile', region: 'eu-west-1', dryRun: true });
    assert.match(
      line,
      /^aws ec2 create-flow-logs --profile 'my profile' --region eu-west-1 --dry-run --resource-type VPC --resource-ids vpc-0123456789abcdef0 vpc-0123456789abcdef1/,
    );
    // The shell's own reading of the line (printf of every word) gives the words back unchanged.
    const words = execFileSync('/bin/sh', ['-c', `set -- ${line.slice(4)}; for w in "$@"; do printf '%s\\0' "$w"; done`])
      .toString()
      .split('\0')
      .slice(0, -1);
    assert.equal(words[words.indexOf('--log-format') + 1], '${version} ${srcaddr}');
    assert.equal(words[words.indexOf('--log-group-name') + 1], '/a#b');
    const tags = JSON.parse(words[words.indexOf('--tag-specifications') + 1]);
    assert.deepEqual(tags, [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'Name', Value: `it's $(rm -rf /) "quoted" \`x\`` }] }]);
    assert.equal(shellQuote("a'b"), `'a'\\''b'`);
    assert.equal(
      deleteFlowLogsCli(['fl-1', 'fl-2'], { region: 'us-east-1' }),
      'aws ec2 delete-flow-logs --region us-east-1 --flow-log-ids fl-1 fl-2',
    );
  });

  it('policies: the trust policy lets vpc-flow-logs.amazonaws.com assume the role for this account; the permission policy allows the log calls', () => {
    const trust = JSON.parse(deliveryRoleTrustPolicy('111111111111', 'cn-north-1'));
    assert.equal(trust.Statement[0].Principal.Service, 'vpc-flow-logs.amazonaws.com');
    assert.equal(trust.Statement[0].Condition.StringEquals['aws:SourceAccount'], '111111111111');
    assert.equal(trust.Statement[0].Condition.ArnLike['aws:SourceArn'], 'arn:aws-cn:ec2:cn-north-1:111111111111:vpc-flow-log/*');
    assert.ok(trustsFlowLogs(encodeURIComponent(deliveryRoleTrustPolicy('111111111111', 'us-east-1'))));
    assert.ok(
      !trustsFlowLogs(
        encodeURIComponent(
          JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        ),
      ),
    );
    assert.ok(
      !trustsFlowLogs(
        JSON.stringify({ Statement: { Effect: 'Deny', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' } }),
      ),
    );
    assert.ok(!trustsFlowLogs('%E0%A4%A'), 'garbage is not trust');
    const perm = JSON.parse(deliveryRolePermissionPolicy());
    assert.deepEqual(perm.Statement[0].Action.slice(0, 3), ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('summary and per-resource results name each resource; the headline counts the failures', () => {
    const r = buildCreateRequest(cwl({ resourceIds: ['vpc-0000000000000000a', 'vpc-0000000000000000b', 'vpc-0000000000000000c'] }), 't');
    assert.ok(r.ok);
    const summary = createSummary(r.request, { profile: 'p', region: 'us-east-1', newLogGroup: { retentionInDays: 30 } }).join('\n');
    assert.match(summary, /Create 3 flow logs in us-east-1 \(profile p\), one per VPC/);
    assert.match(summary, /keeping records 30 days/);
    assert.match(summary, /Traffic: REJECT\. Meets the coverage rule/);
    const lines = createResultLines(r.request, {
      flowLogIds: ['fl-aaa', 'fl-ccc'],
      unsuccessful: [
        { resourceId: 'vpc-0000000000000000b', code: 'FlowLogAlreadyExists', message: 'Error. There is an existing Flow Log.' },
      ],
    });
    assert.deepEqual(
      lines.map((l) => l.text),
      [
        'vpc-0000000000000000a: created fl-aaa',
        'vpc-0000000000000000b: not created: FlowLogAlreadyExists: Error. There is an existing Flow Log.',
        'vpc-0000000000000000c: created fl-ccc',
      ],
    );
    assert.match(
      resultHeadline('Created', lines),
      /^Created 2 of 3 flow logs; 1 failed \(vpc-0000000000000000b: not created: FlowLogAlreadyExists/,
    );
  });

  it('tag edits: changed and new keys are set, missing keys removed (aws: keys kept); the input "k=v=w" keeps the rest as the value', () => {
    assert.deepEqual(
      tagChanges(
        [
          { Key: 'Name', Value: 'old' },
          { Key: 'keep', Value: '1' },
          { Key: 'gone', Value: 'x' },
          { Key: 'aws:cloudformation:stack-name', Value: 's' },
        ],
        [
          { Key: 'Name', Value: 'new' },
          { Key: 'keep', Value: '1' },
          { Key: 'added', Value: '' },
        ],
      ),
      {
        set: [
          { Key: 'Name', Value: 'new' },
          { Key: 'added', Value: '' },
        ],
        remove: ['gone'],
      },
    );
    assert.deepEqual(parseTagInput(' env = a=b '), { Key: 'env', Value: 'a=b' });
    assert.ok('problem' in parseTagInput('aws:x=1'));
    assert.ok('problem' in parseTagInput('=v'));
  });
});

describe('flowLogWrites worker operations against the local endpoint', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  let profiles: Map<string, AwsProfile>;
  let aws: InProcessAws;
  let service: FlowLogService;
  const logger = new MemoryLogger();
  const [acct1] = defaultAccounts(8);
  const denied: EmulatorAccount = {
    accountId: '333333333333',
    accessKeyId: 'AKIAEMULATOR3333EXAMPLE',
    secretAccessKey: 'emulatorSecretKey3333EXAMPLEwJalrXUtnFEMI',
    regions: ['us-east-1'],
    flowLogsPerRegion: 3,
    deniedActions: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'ec2:CreateTags', 'iam:ListRoles'],
  };
  const region = 'us-east-1';

  beforeEach(async () => {
    em = await startEmulator({ accounts: [acct1, denied], seed: 5, coverageCases: true });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-writes-'));
    const files = awsConfigFor(em, [
      { name: 'one', account: acct1, region },
      { name: 'denied', account: denied, region },
    ]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    profiles = new Map(listProfiles(env).profiles.map((p) => [p.name, p]));
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 2, requestTimeoutMs: 5000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger,
      env,
    });
    aws = new InProcessAws(clients, [...profiles.values()]);
    service = new FlowLogService(aws, logger);
  });
  afterEach(async () => {
    aws?.dispose();
    await em?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const verdicts = async (profile: string) => {
    const [r] = await checkCoverage(
      [{ profile: profiles.get(profile)!, profileName: profile, region }],
      (t) => coverageSource(service, logger, t.profile, t.region),
      { concurrency: 1 },
    );
    assert.equal(r.error, undefined, r.error?.message);
    return new Map(r.vpcs.map((v) => [v.vpcId, v.verdict]));
  };

  it('"Not covered" VPCs become "Covered": roles listed, DryRun answers wouldSucceed, the real call creates one per VPC', async () => {
    const before = await verdicts('one');
    const notCovered = [...before].filter(([, v]) => v === 'notCovered').map(([id]) => id);
    assert.ok(notCovered.length >= 2, JSON.stringify([...before]));
    const roles = await aws.call('listRolesPage', 'one', region, {});
    assert.equal(roles.kind, 'done');
    const role = roles.kind === 'done' ? roles.roles.find((r) => r.trustsFlowLogs)! : undefined;
    assert.ok(role && roles.kind === 'done' && roles.roles.some((r) => !r.trustsFlowLogs), 'roles trusting other services are marked');
    const group = await aws.call('createLogGroup', 'one', region, { logGroupName: '/new/flow-logs', retentionInDays: 30 });
    assert.equal(group.kind, 'done');
    const built = buildCreateRequest(
      cwl({
        resourceIds: notCovered,
        destination: { kind: 'cloud-watch-logs', logGroupName: '/new/flow-logs', roleArn: role!.arn },
        name: 'fixed',
      }),
      'token-1',
    );
    assert.ok(built.ok);
    em.resetRequests();
    const dry = await aws.call('createFlowLogs', 'one', region, { request: built.request, dryRun: true });
    assert.deepEqual(dry, { kind: 'wouldSucceed' });
    const done = await aws.call('createFlowLogs', 'one', region, { request: built.request, dryRun: false });
    assert.equal(done.kind, 'done');
    if (done.kind !== 'done') return;
    assert.equal(done.flowLogIds.length, notCovered.length);
    assert.deepEqual(
      em.requests.filter((r) => r.action === 'CreateFlowLogs').map((r) => [r.dryRun, r.status, r.form?.ClientToken]),
      [
        [true, 412, 'token-1'],
        [false, 200, 'token-1'],
      ],
    );
    const after = await verdicts('one');
    for (const id of notCovered) assert.equal(after.get(id), 'covered', id);
    const groups = await aws.call('describeLogGroupsPage', 'one', region, { prefix: '/new/' });
    assert.deepEqual(groups.kind === 'done' && groups.groups.map((g) => [g.name, g.retentionInDays]), [['/new/flow-logs', 30]]);

    // Tags, then delete (DryRun first): the VPC is "Not covered" again.
    const tagged = await aws.call('changeFlowLogTags', 'one', region, {
      flowLogIds: done.flowLogIds.slice(0, 1),
      set: [{ Key: 'Name', Value: 'renamed' }],
      remove: [],
      dryRun: false,
    });
    assert.equal(tagged.kind, 'done');
    assert.equal(em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === done.flowLogIds[0])?.Tags?.[0].Value, 'renamed');
    const delDry = await aws.call('deleteFlowLogs', 'one', region, { flowLogIds: done.flowLogIds.slice(0, 1), dryRun: true });
    assert.deepEqual(delDry, { kind: 'wouldSucceed' });
    const del = await aws.call('deleteFlowLogs', 'one', region, {
      flowLogIds: [done.flowLogIds[0], 'fl-0000000000000dead'],
      dryRun: false,
    });
    assert.deepEqual(del.kind === 'done' && del.unsuccessful.map((u) => [u.resourceId, u.code]), [
      ['fl-0000000000000dead', 'InvalidFlowLogId.NotFound'],
    ]);
    assert.equal((await verdicts('one')).get(notCovered[0]), 'notCovered');
  });

  it('partial: a duplicate is Unsuccessful with AWS message, the rest is created', async () => {
    const logs = em.flowLogs(acct1.accountId, region);
    const existing = logs.find(
      (l) => l.ResourceId?.startsWith('vpc-') && l.LogDestinationType === 'cloud-watch-logs' && l.TrafficType !== 'ACCEPT',
    )!;
    const free = [...(await verdicts('one'))].find(([, v]) => v === 'notCovered')![0];
    const built = buildCreateRequest(
      cwl({
        resourceIds: [free, existing.ResourceId!],
        traffic: existing.TrafficType as 'ALL',
        destination: {
          kind: 'cloud-watch-logs',
          logGroupName: existing.LogGroupName!,
          roleArn: `arn:aws:iam::${acct1.accountId}:role/flow-logs-delivery`,
        },
      }),
      'token-2',
    );
    assert.ok(built.ok);
    const done = await aws.call('createFlowLogs', 'one', region, { request: built.request, dryRun: false });
    assert.equal(done.kind, 'done');
    if (done.kind !== 'done') return;
    const lines = createResultLines(built.request, done);
    assert.deepEqual(
      lines.map((l) => l.ok),
      [true, false],
    );
    assert.match(
      lines[1].text,
      /FlowLogAlreadyExists: Error\. There is an existing Flow Log with the same configuration and log destination\./,
    );
  });

  it('denied: DryRun comes back failed/denied naming the permission, classified in the worker; ListRoles denied too', async () => {
    const built = buildCreateRequest(
      cwl({ destination: { kind: 'cloud-watch-logs', logGroupName: '/g', roleArn: 'arn:aws:iam::333333333333:role/flow-logs-delivery' } }),
      't',
    );
    assert.ok(built.ok);
    const dry = await aws.call('createFlowLogs', 'denied', region, { request: built.request, dryRun: true });
    assert.equal(dry.kind, 'failed');
    if (dry.kind === 'failed') {
      assert.equal(dry.error.kind, 'denied');
      assert.match(dry.error.message, /Not authorized for ec2:CreateFlowLogs \(profile "denied"\)/);
    }
    const del = await aws.call('deleteFlowLogs', 'denied', region, { flowLogIds: ['fl-0123456789abcdef0'], dryRun: true });
    assert.ok(del.kind === 'failed' && /ec2:DeleteFlowLogs/.test(del.error.message));
    const tags = await aws.call('changeFlowLogTags', 'denied', region, {
      flowLogIds: ['fl-0123456789abcdef0'],
      set: [{ Key: 'a', Value: 'b' }],
      remove: [],
      dryRun: true,
    });
    assert.ok(tags.kind === 'failed' && /ec2:CreateTags/.test(tags.error.message));
    const roles = await aws.call('listRolesPage', 'denied', region, {});
    assert.ok(roles.kind === 'failed' && roles.error.kind === 'denied' && /iam:ListRoles/.test(roles.error.message), JSON.stringify(roles));
    // Nothing was created and no secret reached the log.
    assert.equal(em.requests.filter((r) => r.action === 'CreateFlowLogs' && r.status === 200).length, 0);
    for (const line of logger.lines) assert.ok(!line.includes(denied.secretAccessKey!));
  });

  it('a server that ignores DryRun is never "would succeed": failed, with what it did', async () => {
    em.setFaults([{ fault: 'ignoreDryRun', action: 'CreateFlowLogs' }]);
    const free = [...(await verdicts('one'))].find(([, v]) => v === 'notCovered')![0];
    const built = buildCreateRequest(cwl({ resourceIds: [free] }), 't3');
    assert.ok(built.ok);
    const dry = await aws.call('createFlowLogs', 'one', region, { request: built.request, dryRun: true });
    assert.equal(dry.kind, 'failed');
    assert.ok(dry.kind === 'failed' && /ignored DryRun/.test(dry.error.message));
  });
});
