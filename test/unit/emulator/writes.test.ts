// The emulator's write calls (CreateFlowLogs, DeleteFlowLogs, CreateTags, DeleteTags), CloudWatch
// Logs CreateLogGroup / PutRetentionPolicy and IAM ListRoles, through the real AWS SDK over HTTP and
// through boto3 (a client nobody here wrote): DryRun first, per-resource results, AWS's error codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  EC2Client,
  CreateFlowLogsCommand,
  DeleteFlowLogsCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeFlowLogsCommand,
  type CreateFlowLogsCommandInput,
} from '@aws-sdk/client-ec2';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { defaultAccounts, startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/server';
import { FLOW_LOGS_PER_RESOURCE } from '../../emulator/writes';

const BOTO = `
import json, sys, urllib.parse, boto3, botocore
a = json.loads(sys.argv[1])
kw = dict(endpoint_url=a['url'], region_name=a['region'], aws_access_key_id=a['key'], aws_secret_access_key=a['secret'])
ec2 = boto3.client('ec2', **kw)
iam = boto3.client('iam', **kw)
logs = boto3.client('logs', **kw)
def call(fn, **k):
    try:
        out = fn(**k)
        out.pop('ResponseMetadata', None)
        return {'ok': out}
    except botocore.exceptions.ClientError as e:
        return {'error': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
res = {}
spec = dict(ResourceType='VPC', ResourceIds=a['vpcs'], TrafficType='ALL', LogDestinationType='cloud-watch-logs', LogGroupName='/boto/flow-logs', DeliverLogsPermissionArn=a['role'], MaxAggregationInterval=60, TagSpecifications=[{'ResourceType': 'vpc-flow-log', 'Tags': [{'Key': 'Name', 'Value': 'made by boto3'}]}])
res['dry'] = call(ec2.create_flow_logs, DryRun=True, **spec)
res['create'] = call(ec2.create_flow_logs, **spec)
res['again'] = call(ec2.create_flow_logs, **spec)
res['s3missing'] = call(ec2.create_flow_logs, ResourceType='VPC', ResourceIds=a['vpcs'][:1], TrafficType='REJECT', LogDestinationType='s3', LogDestination='arn:aws:s3:::no-such-bucket-here/x/')
res['badFormat'] = call(ec2.create_flow_logs, ResourceType='VPC', ResourceIds=a['vpcs'][:1], TrafficType='ALL', LogGroupName='g', DeliverLogsPermissionArn=a['role'], LogFormat='\${srcaddr} \${nope}')
ids = res['create']['ok']['FlowLogIds'] if 'ok' in res['create'] else []
res['described'] = call(ec2.describe_flow_logs, FlowLogIds=ids)
res['tag'] = call(ec2.create_tags, Resources=ids[:1], Tags=[{'Key': 'team', 'Value': 'net'}])
res['untag'] = call(ec2.delete_tags, Resources=ids[:1], Tags=[{'Key': 'Name'}])
res['tagsAfter'] = call(ec2.describe_flow_logs, FlowLogIds=ids[:1])
res['delete'] = call(ec2.delete_flow_logs, FlowLogIds=ids + ['fl-0123456789abcdef0'])
roles = [r for p in iam.get_paginator('list_roles').paginate(PaginationConfig={'PageSize': 2}) for r in p['Roles']]
res['roles'] = [{'name': r['RoleName'], 'arn': r['Arn'], 'trust': r['AssumeRolePolicyDocument']} for r in roles]
res['group'] = call(logs.create_log_group, logGroupName='/boto/new-group')
res['groupAgain'] = call(logs.create_log_group, logGroupName='/boto/new-group')
res['retention'] = call(logs.put_retention_policy, logGroupName='/boto/new-group', retentionInDays=30)
res['badRetention'] = call(logs.put_retention_policy, logGroupName='/boto/new-group', retentionInDays=31)
res['groups'] = call(logs.describe_log_groups, logGroupNamePrefix='/boto/')
print(json.dumps(res, default=str))
`;

describe('Emulator: CreateFlowLogs, DeleteFlowLogs, tags, log groups, ListRoles', function () {
  this.timeout(60000);
  let em: Emulator;
  const [base1, acct2] = defaultAccounts(6);
  const acct1: EmulatorAccount = { ...base1 };
  const denied: EmulatorAccount = {
    accountId: '333333333333',
    accessKeyId: 'AKIAEMULATOR3333EXAMPLE',
    secretAccessKey: 'emulatorSecretKey3333EXAMPLEwJalrXUtnFEMI',
    regions: ['us-east-1'],
    flowLogsPerRegion: 3,
    deniedActions: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'iam:ListRoles'],
  };
  const region = 'us-east-1';
  const ec2 = (a: EmulatorAccount) =>
    new EC2Client({
      region,
      endpoint: em.url,
      credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey! },
      maxAttempts: 1,
    });
  const role = (a: EmulatorAccount) => `arn:aws:iam::${a.accountId}:role/flow-logs-delivery`;
  /** VPCs of the account with no flow log (the "legacy" VPC and the default VPC). */
  const uncovered = (a: EmulatorAccount) => {
    const logs = em.flowLogs(a.accountId, region);
    return em
      .network(a.accountId, region)
      .vpcs.filter((v) => v.OwnerId === a.accountId && !logs.some((l) => l.ResourceId === v.VpcId))
      .map((v) => v.VpcId);
  };
  const cwl = (a: EmulatorAccount, vpcs: string[], extra: Partial<CreateFlowLogsCommandInput> = {}): CreateFlowLogsCommandInput => ({
    ResourceType: 'VPC',
    ResourceIds: vpcs,
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: '/made/by/test',
    DeliverLogsPermissionArn: role(a),
    ...extra,
  });
  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
    }
    assert.fail('expected an error');
  };

  beforeEach(async () => {
    em = await startEmulator({ accounts: [acct1, acct2, denied], seed: 3, coverageCases: true });
  });
  afterEach(() => em?.stop());

  it('DryRun answers DryRunOperation (412) and changes nothing; the real call creates, DescribeFlowLogs and the network agree', async () => {
    const vpcs = uncovered(acct1);
    assert.ok(vpcs.length >= 2, `uncovered VPCs: ${vpcs}`);
    const before = em.flowLogs(acct1.accountId, region).length;
    const networkBefore = em.network(acct1.accountId, region);
    const dry = await errorOf(ec2(acct1).send(new CreateFlowLogsCommand({ ...cwl(acct1, vpcs), DryRun: true })));
    assert.deepEqual([dry.name, dry.status], ['DryRunOperation', 412]);
    assert.equal(em.flowLogs(acct1.accountId, region).length, before);
    const out = await ec2(acct1).send(
      new CreateFlowLogsCommand(
        cwl(acct1, vpcs, { TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'Name', Value: 'new' }] }] }),
      ),
    );
    assert.equal(out.FlowLogIds?.length, vpcs.length);
    assert.deepEqual(out.Unsuccessful ?? [], []);
    const described = await ec2(acct1).send(new DescribeFlowLogsCommand({ FlowLogIds: out.FlowLogIds }));
    assert.deepEqual(described.FlowLogs?.map((f) => f.ResourceId).sort(), [...vpcs].sort());
    const one = described.FlowLogs![0];
    assert.equal(one.LogGroupName, '/made/by/test');
    assert.equal(one.LogDestination, `arn:aws:logs:${region}:${acct1.accountId}:log-group:/made/by/test`);
    assert.equal(one.DeliverLogsStatus, 'SUCCESS');
    assert.equal(one.MaxAggregationInterval, 600);
    assert.deepEqual(one.Tags, [{ Key: 'Name', Value: 'new' }]);
    // The network stays what it was: the same VPCs, now covered.
    assert.deepEqual(
      em.network(acct1.accountId, region).vpcs.map((v) => v.VpcId),
      networkBefore.vpcs.map((v) => v.VpcId),
    );
    assert.deepEqual(uncovered(acct1), []);
    // The new flow log delivers records like the others: its log group has events.
    const logs = new CloudWatchLogsClient({
      region,
      endpoint: em.url,
      credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
      maxAttempts: 1,
    });
    const now = Date.now();
    const events = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/made/by/test', startTime: now - 3600_000, endTime: now, limit: 50 }),
    );
    assert.ok((events.events ?? []).length > 0, 'the created flow log delivers records');
    // The request log shows the DryRun first.
    const writes = em.requests.filter((r) => r.action === 'CreateFlowLogs');
    assert.deepEqual(
      writes.map((r) => [r.dryRun, r.status]),
      [
        [true, 412],
        [false, 200],
      ],
    );
  });

  it('answers per resource: unknown, shared, duplicate and over-the-limit resources are Unsuccessful, the others are created', async () => {
    const network = em.network(acct1.accountId, region);
    const shared = network.vpcs.find((v) => v.OwnerId !== acct1.accountId)!.VpcId;
    const free = uncovered(acct1)[0];
    const logs = em.flowLogs(acct1.accountId, region);
    const withLog = logs.find((l) => l.ResourceId?.startsWith('vpc-') && l.LogDestinationType === 'cloud-watch-logs')!;
    const out = await ec2(acct1).send(
      new CreateFlowLogsCommand(
        cwl(acct1, [free, 'vpc-0000000000000dead', shared, withLog.ResourceId!], {
          TrafficType: withLog.TrafficType as 'ALL',
          LogGroupName: withLog.LogGroupName,
        }),
      ),
    );
    assert.equal(out.FlowLogIds?.length, 1);
    const byResource = Object.fromEntries((out.Unsuccessful ?? []).map((u) => [u.ResourceId, u.Error?.Code]));
    assert.deepEqual(byResource, {
      'vpc-0000000000000dead': 'InvalidVpcID.NotFound',
      [shared]: 'UnauthorizedOperation',
      [withLog.ResourceId!]: 'FlowLogAlreadyExists',
    });
    assert.match(out.Unsuccessful![0].Error!.Message!, /The vpc ID 'vpc-0000000000000dead' does not exist/);
    // A second flow log on `free` (another destination) is allowed; a third is over the quota.
    const second = await ec2(acct1).send(new CreateFlowLogsCommand(cwl(acct1, [free], { LogGroupName: '/second' })));
    assert.equal(second.FlowLogIds?.length, 1);
    const third = await ec2(acct1).send(new CreateFlowLogsCommand(cwl(acct1, [free], { LogGroupName: '/third' })));
    assert.equal(FLOW_LOGS_PER_RESOURCE, 2);
    assert.deepEqual(
      third.Unsuccessful?.map((u) => u.Error?.Code),
      ['FlowLogsLimitExceeded'],
    );
    // Unknown subnet and interface name their own codes.
    const sub = await ec2(acct1).send(new CreateFlowLogsCommand(cwl(acct1, ['subnet-0000000000000dead'], { ResourceType: 'Subnet' })));
    assert.equal(sub.Unsuccessful?.[0].Error?.Code, 'InvalidSubnetID.NotFound');
    const eni = await ec2(acct1).send(
      new CreateFlowLogsCommand(cwl(acct1, ['eni-0000000000000dead'], { ResourceType: 'NetworkInterface' })),
    );
    assert.equal(eni.Unsuccessful?.[0].Error?.Code, 'InvalidNetworkInterfaceID.NotFound');
  });

  it('checks destinations and formats: S3 bucket missing per resource, bad ARNs, unknown fields, bad interval', async () => {
    const free = uncovered(acct1)[0];
    const s3Bucket = em
      .flowLogs(acct1.accountId, region)
      .find((l) => l.LogDestinationType === 's3')!
      .LogDestination!.split(':::')[1]
      .split('/')[0];
    const ok = await ec2(acct1).send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [free],
        TrafficType: 'REJECT',
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${s3Bucket}/new-folder/`,
        DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
        LogFormat: '${version} ${srcaddr} ${dstaddr} ${action} ${flow-direction}',
      }),
    );
    assert.equal(ok.FlowLogIds?.length, 1);
    const made = em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === ok.FlowLogIds![0])!;
    assert.deepEqual(made.DestinationOptions, { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true });
    const missing = await ec2(acct1).send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [free],
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::no-such-bucket-x',
      }),
    );
    assert.deepEqual(
      missing.Unsuccessful?.map((u) => [u.Error?.Code, u.Error?.Message]),
      [['400', 'LogDestination: no-such-bucket-x does not exist.']],
    );
    const cases: [Partial<CreateFlowLogsCommandInput>, string, RegExp][] = [
      [{ LogFormat: '${srcaddr} ${no-such-field}' }, 'InvalidParameter', /Unknown fields provided: no-such-field/],
      [{ LogFormat: '${srcaddr},${dstaddr}' }, 'InvalidParameter', /is not a field/],
      [{ MaxAggregationInterval: 300 }, 'InvalidParameterValue', /MaxAggregationInterval/],
      [{ DeliverLogsPermissionArn: undefined }, 'InvalidParameter', /DeliverLogsPermissionArn is required/],
      [
        { LogDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:x' },
        'InvalidParameter',
        /only provide LogGroupName or only provide LogDestination/,
      ],
      [
        {
          LogDestinationType: 's3',
          LogGroupName: undefined,
          DeliverLogsPermissionArn: undefined,
          LogDestination: 'arn:aws:s3:::bucket-name/AWSLogs/',
        },
        'InvalidParameter',
        /AWSLogs/,
      ],
      [
        { LogDestinationType: 'kinesis-data-firehose', LogGroupName: undefined, LogDestination: 'arn:aws:s3:::b' },
        'InvalidParameter',
        /Firehose/,
      ],
      [
        { TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'a', Value: 'b' }] }] },
        'InvalidParameterValue',
        /taggable resource type/,
      ],
      [
        { TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'aws:x', Value: 'b' }] }] },
        'InvalidParameterValue',
        /reserved/,
      ],
    ];
    for (const [extra, code, message] of cases) {
      const e = await errorOf(ec2(acct1).send(new CreateFlowLogsCommand(cwl(acct1, [free], extra))));
      assert.equal(e.name, code, JSON.stringify(extra));
      assert.equal(e.status, 400);
      assert.match(e.message, message);
    }
    // A role the account does not have: created, and its delivery fails as AWS reports it.
    const norole = await ec2(acct1).send(
      new CreateFlowLogsCommand(
        cwl(acct1, [free], { LogGroupName: '/norole', DeliverLogsPermissionArn: `arn:aws:iam::${acct1.accountId}:role/nope` }),
      ),
    );
    const failing = em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === norole.FlowLogIds![0])!;
    assert.deepEqual([failing.DeliverLogsStatus, failing.DeliverLogsErrorMessage], ['FAILED', 'Access error']);
  });

  it('denies writes with UnauthorizedOperation, DryRun included', async () => {
    const free = uncovered(denied)[0];
    for (const dryRun of [true, false]) {
      const e = await errorOf(ec2(denied).send(new CreateFlowLogsCommand({ ...cwl(denied, [free]), DryRun: dryRun })));
      assert.deepEqual([e.name, e.status], ['UnauthorizedOperation', 403]);
      assert.match(e.message, /ec2:CreateFlowLogs/);
    }
    const id = em.flowLogs(denied.accountId, region)[0].FlowLogId!;
    const d = await errorOf(ec2(denied).send(new DeleteFlowLogsCommand({ FlowLogIds: [id], DryRun: true })));
    assert.equal(d.name, 'UnauthorizedOperation');
    // CreateTags is not denied for this account.
    const t = await errorOf(ec2(denied).send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'k', Value: 'v' }], DryRun: true })));
    assert.equal(t.name, 'DryRunOperation');
  });

  it('DeleteFlowLogs removes the named ones and answers Unsuccessful per unknown ID; tags are added, replaced and removed', async () => {
    const logs = em.flowLogs(acct1.accountId, region);
    const [a, b] = [logs[0].FlowLogId!, logs[1].FlowLogId!];
    const tagged = await ec2(acct1).send(
      new CreateTagsCommand({
        Resources: [a],
        Tags: [
          { Key: 'Name', Value: 'renamed' },
          { Key: 'team', Value: 'x' },
        ],
      }),
    );
    assert.equal(tagged.$metadata.httpStatusCode, 200);
    let now = em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === a)!;
    assert.equal(now.Tags?.find((t) => t.Key === 'Name')?.Value, 'renamed');
    assert.equal(now.Tags?.filter((t) => t.Key === 'Name').length, 1);
    await ec2(acct1).send(new DeleteTagsCommand({ Resources: [a], Tags: [{ Key: 'team', Value: 'not-x' }] }));
    now = em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === a)!;
    assert.ok(
      now.Tags?.some((t) => t.Key === 'team'),
      'a value that does not match keeps the tag',
    );
    await ec2(acct1).send(new DeleteTagsCommand({ Resources: [a], Tags: [{ Key: 'team' }] }));
    now = em.flowLogs(acct1.accountId, region).find((l) => l.FlowLogId === a)!;
    assert.ok(!now.Tags?.some((t) => t.Key === 'team'));
    const unknownTag = await errorOf(
      ec2(acct1).send(new CreateTagsCommand({ Resources: ['fl-0000000000000dead'], Tags: [{ Key: 'k', Value: 'v' }] })),
    );
    assert.equal(unknownTag.name, 'InvalidFlowLogId.NotFound');
    const tooMany = await errorOf(
      ec2(acct1).send(
        new CreateTagsCommand({ Resources: [b], Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }),
      ),
    );
    assert.equal(tooMany.name, 'TagLimitExceeded');

    const dry = await errorOf(ec2(acct1).send(new DeleteFlowLogsCommand({ FlowLogIds: [a], DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    assert.ok(em.flowLogs(acct1.accountId, region).some((l) => l.FlowLogId === a));
    const out = await ec2(acct1).send(new DeleteFlowLogsCommand({ FlowLogIds: [a, b, 'fl-0000000000000dead'] }));
    assert.deepEqual(
      out.Unsuccessful?.map((u) => [u.ResourceId, u.Error?.Code]),
      [['fl-0000000000000dead', 'InvalidFlowLogId.NotFound']],
    );
    assert.ok(!em.flowLogs(acct1.accountId, region).some((l) => l.FlowLogId === a || l.FlowLogId === b));
    const none = await errorOf(ec2(acct1).send(new DeleteFlowLogsCommand({ FlowLogIds: [] })));
    assert.equal(none.name, 'MissingParameter');
  });

  it('CloudWatch Logs: CreateLogGroup, PutRetentionPolicy, DescribeLogGroups; an empty new group has no events', async () => {
    const logs = new CloudWatchLogsClient({
      region,
      endpoint: em.url,
      credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
      maxAttempts: 1,
    });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/new/group' }));
    const again = await errorOf(logs.send(new CreateLogGroupCommand({ logGroupName: '/new/group' })));
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/new/group', retentionInDays: 90 }));
    const bad = await errorOf(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/new/group', retentionInDays: 8 })));
    assert.equal(bad.name, 'InvalidParameterException');
    const gone = await errorOf(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/not/there', retentionInDays: 7 })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/new/' }));
    assert.deepEqual(
      groups.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]),
      [['/new/group', 90]],
    );
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/new/group' }));
    assert.deepEqual(events.events, []);
  });

  it('boto3: create (DryRun first), duplicate, S3 bucket missing, format, describe, tags, delete, ListRoles pages, log groups', async () => {
    const vpcs = uncovered(acct1);
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      ['-c', BOTO, JSON.stringify({ url: em.url, region, key: acct1.accessKeyId, secret: acct1.secretAccessKey, vpcs, role: role(acct1) })],
      { timeout: 50000 },
    );
    const res = JSON.parse(stdout);
    assert.deepEqual([res.dry.error, res.dry.status], ['DryRunOperation', 412]);
    assert.equal(res.create.ok.FlowLogIds.length, vpcs.length);
    assert.deepEqual(
      res.again.ok.Unsuccessful.map((u: { Error: { Code: string } }) => u.Error.Code),
      vpcs.map(() => 'FlowLogAlreadyExists'),
    );
    assert.equal(res.s3missing.ok.Unsuccessful[0].Error.Message, 'LogDestination: no-such-bucket-here does not exist.');
    assert.deepEqual([res.badFormat.error, res.badFormat.status], ['InvalidParameter', 400]);
    assert.equal(res.described.ok.FlowLogs.length, vpcs.length);
    assert.equal(res.described.ok.FlowLogs[0].MaxAggregationInterval, 60);
    assert.deepEqual(res.tagsAfter.ok.FlowLogs[0].Tags, [{ Key: 'team', Value: 'net' }]);
    assert.deepEqual(
      res.delete.ok.Unsuccessful.map((u: { ResourceId: string }) => u.ResourceId),
      ['fl-0123456789abcdef0'],
    );
    const trusting = res.roles.filter((r: { trust: string }) => JSON.stringify(r.trust).includes('vpc-flow-logs.amazonaws.com'));
    assert.equal(res.roles.length, 7, 'every role, over four pages of two');
    assert.equal(trusting.length, 5);
    assert.ok('ok' in res.group);
    assert.equal(res.groupAgain.error, 'ResourceAlreadyExistsException');
    assert.ok('ok' in res.retention);
    assert.equal(res.badRetention.error, 'InvalidParameterException');
    assert.deepEqual(
      res.groups.ok.logGroups.map((g: { logGroupName: string; retentionInDays?: number }) => [g.logGroupName, g.retentionInDays ?? null]),
      [
        ['/boto/flow-logs', null],
        ['/boto/new-group', 30],
      ],
    );
  });
});
