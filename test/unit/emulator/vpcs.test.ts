// The emulator's DescribeVpcs / DescribeSubnets / DescribeNetworkInterfaces, checked with boto3 (a
// client nobody here wrote) and the AWS SDK: consistent with its flow logs (every ResourceId names
// a VPC, subnet or interface it serves), paging with AWS's limits, filters, ID lists, errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EC2Client, DescribeVpcsCommand, DescribeSubnetsCommand, paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import { sharingAccount } from '../../emulator/vpcs/network';
import { parseCliArgs } from '../../emulator/cli';

const BOTO = `
import json, sys, boto3, botocore, botocore.config
a = json.loads(sys.argv[1])
ec2 = boto3.client('ec2', endpoint_url=a['url'], region_name=a['region'], aws_access_key_id=a['key'], aws_secret_access_key=a['secret'])
# botocore checks MaxResults against the model (5..1000) itself; this client lets the endpoint judge.
raw = boto3.client('ec2', endpoint_url=a['url'], region_name=a['region'], aws_access_key_id=a['key'], aws_secret_access_key=a['secret'], config=botocore.config.Config(parameter_validation=False))
def call(op, client=ec2, **kw):
    try:
        out = getattr(client, op)(**kw)
        out.pop('ResponseMetadata', None)
        return {'ok': out}
    except botocore.exceptions.ClientError as e:
        return {'error': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
res = {}
res['vpcs'] = [v for p in ec2.get_paginator('describe_vpcs').paginate(PaginationConfig={'PageSize': 5}) for v in p['Vpcs']]
res['subnets'] = [s for p in ec2.get_paginator('describe_subnets').paginate(PaginationConfig={'PageSize': 7}) for s in p['Subnets']]
res['pages'] = sum(1 for _ in ec2.get_paginator('describe_vpcs').paginate(PaginationConfig={'PageSize': 5}))
res['flowLogs'] = [f for p in ec2.get_paginator('describe_flow_logs').paginate() for f in p['FlowLogs']]
eni_ids = [f['ResourceId'] for f in res['flowLogs'] if f['ResourceId'].startswith('eni-')]
res['enis'] = call('describe_network_interfaces', NetworkInterfaceIds=eni_ids)
res['default'] = call('describe_vpcs', Filters=[{'Name': 'is-default', 'Values': ['true']}])
res['owner'] = call('describe_vpcs', Filters=[{'Name': 'owner-id', 'Values': [a['other']]}])
res['tag'] = call('describe_vpcs', Filters=[{'Name': 'tag:Name', 'Values': ['legacy-*']}])
res['tagkey'] = call('describe_vpcs', Filters=[{'Name': 'tag-key', 'Values': ['env']}])
first = res['vpcs'][0]['VpcId']
res['byId'] = call('describe_vpcs', VpcIds=[first])
res['subnetsOfVpc'] = call('describe_subnets', Filters=[{'Name': 'vpc-id', 'Values': [first]}])
res['missing'] = call('describe_vpcs', VpcIds=['vpc-00000000000000000'])
res['badFilter'] = call('describe_vpcs', Filters=[{'Name': 'no-such-filter', 'Values': ['x']}])
res['tooSmall'] = call('describe_vpcs', client=raw, MaxResults=4)
res['tooBig'] = call('describe_subnets', client=raw, MaxResults=1001)
res['badToken'] = call('describe_vpcs', MaxResults=5, NextToken='forged')
res['idsAndMax'] = call('describe_network_interfaces', NetworkInterfaceIds=eni_ids[:1], MaxResults=5)
res['dryRun'] = call('describe_vpcs', DryRun=True)
print(json.dumps(res, default=str))
`;

interface BotoError {
  error: string;
  message: string;
  status: number;
}

describe('Emulator: DescribeVpcs, DescribeSubnets, DescribeNetworkInterfaces', function () {
  this.timeout(60000);
  let em: Emulator;
  const [acct1, acct2] = defaultAccounts(40);
  const region = 'us-east-1';

  before(async () => {
    em = await startEmulator({ accounts: [acct1, acct2], seed: 7, coverageCases: true });
  });
  after(() => em?.stop());

  it('keeps the generated flow logs as they were, with the five coverage cases after them', async () => {
    const plain = await startEmulator({ accounts: [acct1], seed: 7 });
    try {
      const base = plain.flowLogs(acct1.accountId, region);
      const withCases = em.flowLogs(acct1.accountId, region);
      assert.equal(base.length, 40);
      assert.equal(withCases.length, 45);
      assert.deepEqual(
        withCases.slice(0, 40).map((f) => f.FlowLogId),
        base.map((f) => f.FlowLogId),
      );
      // Without coverageCases the network is still served, derived from the flow logs as they are.
      assert.ok(plain.network(acct1.accountId, region).vpcs.length > 3);
    } finally {
      await plain.stop();
    }
  });

  it('answers boto3 consistently with the flow logs, paging, filters and errors as AWS does', async () => {
    const truth = em.network(acct1.accountId, region);
    // Asynchronously: the emulator answers from this same process.
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      [
        '-c',
        BOTO,
        JSON.stringify({
          url: em.url,
          region,
          key: acct1.accessKeyId,
          secret: acct1.secretAccessKey,
          other: sharingAccount(acct1.accountId),
        }),
      ],
      { encoding: 'utf8', timeout: 50000 },
    );
    const out = JSON.parse(stdout);
    // Every VPC and subnet once, in order, through boto3's own paginator.
    assert.deepEqual(
      out.vpcs.map((v: { VpcId: string }) => v.VpcId),
      truth.vpcs.map((v) => v.VpcId),
    );
    assert.deepEqual(
      out.subnets.map((s: { SubnetId: string }) => s.SubnetId),
      truth.subnets.map((s) => s.SubnetId),
    );
    assert.equal(out.pages, Math.ceil(truth.vpcs.length / 5));
    assert.equal(out.vpcs[0].OwnerId, acct1.accountId);
    assert.match(out.vpcs[0].CidrBlock, /^10\.\d+\.\d+\.0\/20$/);
    assert.equal(typeof out.vpcs[0].IsDefault, 'boolean');
    // The flow logs' ResourceIds point at what DescribeVpcs/Subnets/NetworkInterfaces return.
    const vpcIds = new Set(out.vpcs.map((v: { VpcId: string }) => v.VpcId));
    const subnetIds = new Set(out.subnets.map((s: { SubnetId: string }) => s.SubnetId));
    const enis = (out.enis as { ok: { NetworkInterfaces: { NetworkInterfaceId: string; VpcId: string; SubnetId: string }[] } }).ok
      .NetworkInterfaces;
    const eniIds = new Set(enis.map((e) => e.NetworkInterfaceId));
    assert.equal(out.flowLogs.length, 45);
    for (const f of out.flowLogs as { ResourceId: string }[]) {
      const known = f.ResourceId.startsWith('vpc-') ? vpcIds : f.ResourceId.startsWith('subnet-') ? subnetIds : eniIds;
      assert.ok(known.has(f.ResourceId), `flow log resource ${f.ResourceId} is not served`);
    }
    for (const e of enis) assert.ok(vpcIds.has(e.VpcId) && subnetIds.has(e.SubnetId));
    for (const s of out.subnets as { VpcId: string }[]) assert.ok(vpcIds.has(s.VpcId));
    // Filters.
    assert.deepEqual(
      out.default.ok.Vpcs.map((v: { IsDefault: boolean; CidrBlock: string }) => [v.IsDefault, v.CidrBlock]),
      [[true, '172.31.0.0/16']],
    );
    assert.equal(out.owner.ok.Vpcs.length, 1);
    assert.equal(out.owner.ok.Vpcs[0].OwnerId, sharingAccount(acct1.accountId));
    assert.deepEqual(
      out.tag.ok.Vpcs.map((v: { Tags: { Key: string; Value: string }[] }) => v.Tags.find((t) => t.Key === 'Name')?.Value),
      ['legacy-no-flow-logs'],
    );
    assert.equal(out.tagkey.ok.Vpcs.length, truth.vpcs.filter((v) => v.Tags.some((t) => t.Key === 'env')).length);
    assert.ok(out.tagkey.ok.Vpcs.length < truth.vpcs.length, 'the default VPC has no env tag');
    assert.deepEqual(
      out.byId.ok.Vpcs.map((v: { VpcId: string }) => v.VpcId),
      [truth.vpcs[0].VpcId],
    );
    assert.deepEqual(
      out.subnetsOfVpc.ok.Subnets.map((s: { SubnetId: string }) => s.SubnetId),
      truth.subnets.filter((s) => s.VpcId === truth.vpcs[0].VpcId).map((s) => s.SubnetId),
    );
    // Errors, with AWS's codes and statuses.
    const err = (name: string, code: string, status = 400, message?: RegExp) => {
      const e = out[name] as BotoError;
      assert.equal(e.error, code, `${name}: ${JSON.stringify(e)}`);
      assert.equal(e.status, status);
      if (message) assert.match(e.message, message);
    };
    err('missing', 'InvalidVpcID.NotFound', 400, /vpc-00000000000000000/);
    err('badFilter', 'InvalidParameterValue', 400, /no-such-filter/);
    err('tooSmall', 'InvalidParameterValue', 400, /between 5 and 1000/);
    err('tooBig', 'InvalidParameterValue', 400, /between 5 and 1000/);
    err('badToken', 'InvalidPaginationToken');
    err('idsAndMax', 'InvalidParameterCombination');
    err('dryRun', 'DryRunOperation', 412);
  });

  it('pages the AWS SDK through every VPC; a token is bound to its action, filters and region', async () => {
    const client = new EC2Client({
      region,
      endpoint: em.url,
      credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
      maxAttempts: 1,
    });
    try {
      const seen: string[] = [];
      for await (const page of paginateDescribeVpcs({ client, pageSize: 6 }, {})) seen.push(...(page.Vpcs ?? []).map((v) => v.VpcId!));
      assert.deepEqual(
        seen,
        em.network(acct1.accountId, region).vpcs.map((v) => v.VpcId),
      );
      const first = await client.send(new DescribeVpcsCommand({ MaxResults: 5 }));
      assert.ok(first.NextToken);
      await assert.rejects(client.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: first.NextToken })), {
        name: 'InvalidPaginationToken',
      });
      await assert.rejects(
        client.send(
          new DescribeVpcsCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'state', Values: ['available'] }] }),
        ),
        { name: 'InvalidPaginationToken' },
      );
      const other = new EC2Client({
        region: 'eu-west-1',
        endpoint: em.url,
        credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
        maxAttempts: 1,
      });
      await assert.rejects(other.send(new DescribeVpcsCommand({ MaxResults: 5, NextToken: first.NextToken })), {
        name: 'InvalidPaginationToken',
      });
      other.destroy();
      // Replacing the flow logs rebuilds the network (and stales the tokens).
      em.setFlowLogs(acct1.accountId, region, []);
      await assert.rejects(client.send(new DescribeVpcsCommand({ MaxResults: 5, NextToken: first.NextToken })), {
        name: 'InvalidPaginationToken',
      });
      const after = await client.send(new DescribeVpcsCommand({}));
      assert.deepEqual(
        after.Vpcs?.map((v) => v.Tags?.find((t) => t.Key === 'Name')?.Value ?? '(default)'),
        ['(default)', 'legacy-no-flow-logs', 'shared-network'],
      );
    } finally {
      client.destroy();
    }
  });

  it('npm run emulator -- --coverage-cases turns the five cases on; they are off by default', () => {
    assert.equal(parseCliArgs(['--coverage-cases']).coverageCases, true);
    assert.equal(parseCliArgs([]).coverageCases, undefined);
  });

  it('denies the network calls in a denied region, naming the action', async () => {
    const client = new EC2Client({
      region: 'ap-northeast-1',
      endpoint: em.url,
      credentials: { accessKeyId: acct2.accessKeyId, secretAccessKey: acct2.secretAccessKey! },
      maxAttempts: 1,
    });
    try {
      await assert.rejects(
        client.send(new DescribeSubnetsCommand({})),
        (e: Error) => e.name === 'UnauthorizedOperation' && /ec2:DescribeSubnets/.test(e.message),
      );
    } finally {
      client.destroy();
    }
  });
});
