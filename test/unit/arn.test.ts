import * as assert from 'node:assert/strict';
import {
  cloudWatchConsoleEncode,
  consoleHost,
  consoleUrlFor,
  destinationConsoleUrl,
  firehoseConsoleUrl,
  flowLogArn,
  flowLogConsoleUrl,
  logGroupConsoleUrl,
  logGroupNameOfArn,
  parseArn,
  resourceConsoleUrl,
  s3ConsoleUrl,
} from '../../src/aws/arn';
import { PARTITIONS, REGIONS, partitionOf, regionInfo, regionName, regionsOfPartition } from '../../src/shared/regions';

const ACCOUNT = '123456789012';

describe('partitionOf', () => {
  const cases: Array<[string, string]> = [
    ['us-east-1', 'aws'],
    ['eu-west-3', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ];
  for (const [region, partition] of cases) {
    it(`${region} → ${partition}`, () => assert.equal(partitionOf(region), partition));
  }

  it('treats garbage as the commercial partition without throwing', () => {
    assert.equal(partitionOf(''), 'aws');
    assert.equal(partitionOf(undefined as unknown as string), 'aws');
    assert.equal(partitionOf(42 as unknown as string), 'aws');
  });
});

describe('regions', () => {
  it('every region is in the partition its prefix says', () => {
    for (const r of REGIONS) assert.equal(partitionOf(r.id), r.partition, r.id);
  });

  it('has unique ids and a name for each', () => {
    const ids = REGIONS.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of REGIONS) assert.ok(r.name.length > 0 && r.name !== r.id, r.id);
  });

  it('marks opt-in regions and not the original ones', () => {
    for (const id of [
      'af-south-1',
      'ap-east-1',
      'ap-south-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-southeast-5',
      'ap-southeast-7',
      'ca-west-1',
      'eu-south-1',
      'eu-south-2',
      'eu-central-2',
      'il-central-1',
      'me-south-1',
      'me-central-1',
      'mx-central-1',
      'ap-east-2',
    ]) {
      assert.equal(regionInfo(id)?.optIn, true, id);
    }
    for (const id of ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'sa-east-1', 'cn-north-1', 'us-gov-west-1']) {
      assert.equal(regionInfo(id)?.optIn, false, id);
    }
  });

  it('lists the regions of each partition', () => {
    assert.deepEqual(
      regionsOfPartition('aws-cn')
        .map((r) => r.id)
        .sort(),
      ['cn-north-1', 'cn-northwest-1'],
    );
    assert.deepEqual(
      regionsOfPartition('aws-us-gov')
        .map((r) => r.id)
        .sort(),
      ['us-gov-east-1', 'us-gov-west-1'],
    );
    assert.ok(regionsOfPartition('aws').length >= 30);
    for (const p of PARTITIONS) assert.ok(regionsOfPartition(p).length >= 1, p);
  });

  it('names regions, and falls back to the id', () => {
    assert.equal(regionName('us-east-1'), 'US East (N. Virginia)');
    assert.equal(regionName('xx-nowhere-9'), 'xx-nowhere-9');
  });
});

describe('flowLogArn', () => {
  const cases: Array<[string, string]> = [
    ['us-east-1', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['cn-north-1', `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['us-gov-west-1', `arn:aws-us-gov:ec2:us-gov-west-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['us-iso-east-1', `arn:aws-iso:ec2:us-iso-east-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['us-isob-east-1', `arn:aws-iso-b:ec2:us-isob-east-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['eu-isoe-west-1', `arn:aws-iso-e:ec2:eu-isoe-west-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['us-isof-south-1', `arn:aws-iso-f:ec2:us-isof-south-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
    ['eusc-de-east-1', `arn:aws-eusc:ec2:eusc-de-east-1:${ACCOUNT}:vpc-flow-log/fl-0abc1234`],
  ];
  for (const [region, arn] of cases) {
    it(`builds ${arn}`, () => assert.equal(flowLogArn(region, ACCOUNT, 'fl-0abc1234'), arn));
  }

  it('is undefined when a part is missing or malformed', () => {
    assert.equal(flowLogArn('us-east-1', undefined, 'fl-11111111'), undefined);
    assert.equal(flowLogArn('us-east-1', '1234', 'fl-11111111'), undefined);
    assert.equal(flowLogArn('us-east-1', ACCOUNT, undefined), undefined);
    assert.equal(flowLogArn('us-east-1', ACCOUNT, 'fl-1/../x'), undefined);
    assert.equal(flowLogArn('', ACCOUNT, 'fl-11111111'), undefined);
    assert.equal(flowLogArn('us-east-1:evil', ACCOUNT, 'fl-11111111'), undefined);
  });
});

describe('parseArn', () => {
  it('splits a flow log ARN', () => {
    assert.deepEqual(parseArn(`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/fl-1`), {
      partition: 'aws',
      service: 'ec2',
      region: 'us-east-1',
      account: ACCOUNT,
      resource: 'vpc-flow-log/fl-1',
    });
  });

  it('keeps colons in the resource and allows empty region/account (S3, IAM)', () => {
    assert.deepEqual(parseArn(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:/aws/vpc:*`)?.resource, 'log-group:/aws/vpc:*');
    assert.deepEqual(parseArn('arn:aws:s3:::my-bucket/prefix'), {
      partition: 'aws',
      service: 's3',
      region: '',
      account: '',
      resource: 'my-bucket/prefix',
    });
    assert.equal(parseArn(`arn:aws-us-gov:iam::${ACCOUNT}:role/r`)?.partition, 'aws-us-gov');
  });

  it('rejects what is not an ARN', () => {
    for (const bad of [
      '',
      'arn',
      'arn:aws:ec2',
      'xarn:aws:ec2:us-east-1:1:x',
      'arn:aws:ec2:us-east-1:123:',
      'arn:evil:ec2:r:123456789012:x',
      'arn:aws:ec2:us east:123456789012:x',
      'arn:aws:ec2:us-east-1:12ab:x',
      'arn:aws:s3:::' + 'a'.repeat(5000),
      null,
      42,
      {},
    ]) {
      assert.equal(parseArn(bad), undefined, String(bad).slice(0, 40));
    }
  });
});

describe('console links', () => {
  it('has a host per public partition and none for isolated ones', () => {
    assert.equal(consoleHost('aws'), 'console.aws.amazon.com');
    assert.equal(consoleHost('aws-cn'), 'console.amazonaws.cn');
    assert.equal(consoleHost('aws-us-gov'), 'console.amazonaws-us-gov.com');
    for (const p of ['aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', 'nope']) assert.equal(consoleHost(p), undefined, p);
  });

  it('links resources by their id prefix', () => {
    assert.equal(
      resourceConsoleUrl('us-east-1', 'vpc-0a1b2c3d'),
      'https://us-east-1.console.aws.amazon.com/vpcconsole/home?region=us-east-1#VpcDetails:VpcId=vpc-0a1b2c3d',
    );
    assert.equal(
      resourceConsoleUrl('eu-west-1', 'subnet-9f8e7d6c'),
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#SubnetDetails:subnetId=subnet-9f8e7d6c',
    );
    assert.equal(
      resourceConsoleUrl('us-east-2', 'eni-77665544'),
      'https://us-east-2.console.aws.amazon.com/ec2/home?region=us-east-2#NetworkInterface:networkInterfaceId=eni-77665544',
    );
    assert.equal(
      resourceConsoleUrl('us-east-1', 'tgw-attach-0123456789abcdef0'),
      'https://us-east-1.console.aws.amazon.com/vpcconsole/home?region=us-east-1#TransitGatewayAttachmentDetails:transitGatewayAttachmentId=tgw-attach-0123456789abcdef0',
    );
    assert.equal(
      resourceConsoleUrl('us-east-1', 'tgw-0123456789abcdef0'),
      'https://us-east-1.console.aws.amazon.com/vpcconsole/home?region=us-east-1#TransitGatewayDetails:transitGatewayId=tgw-0123456789abcdef0',
    );
  });

  it('uses each partition host', () => {
    assert.equal(
      resourceConsoleUrl('cn-north-1', 'vpc-11111111'),
      'https://console.amazonaws.cn/vpcconsole/home?region=cn-north-1#VpcDetails:VpcId=vpc-11111111',
    );
    assert.equal(
      resourceConsoleUrl('us-gov-west-1', 'vpc-11111111'),
      'https://console.amazonaws-us-gov.com/vpcconsole/home?region=us-gov-west-1#VpcDetails:VpcId=vpc-11111111',
    );
    for (const r of ['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']) {
      assert.equal(resourceConsoleUrl(r, 'vpc-11111111'), undefined, r);
      assert.equal(logGroupConsoleUrl(r, '/aws/vpc'), undefined, r);
    }
  });

  it('refuses unknown or injected resource ids', () => {
    for (const id of ['i-123', 'vpc-', 'vpc-1#x', 'vpc-1&region=x', 'javascript:alert(1)', '', undefined]) {
      assert.equal(resourceConsoleUrl('us-east-1', id), undefined, String(id));
    }
    assert.equal(resourceConsoleUrl('us-east-1#x', 'vpc-11111111'), undefined);
  });

  it('links a flow log to its resource page (where its Flow logs tab is)', () => {
    assert.equal(
      flowLogConsoleUrl('us-east-1', { FlowLogId: 'fl-11111111', ResourceId: 'vpc-11111111' }),
      resourceConsoleUrl('us-east-1', 'vpc-11111111'),
    );
    assert.equal(flowLogConsoleUrl('us-east-1', { ResourceId: 'vpc-11111111' }), undefined);
  });

  it('encodes log group names the CloudWatch way', () => {
    assert.equal(cloudWatchConsoleEncode('/aws/vpc/flow-logs'), '$252Faws$252Fvpc$252Fflow-logs');
    assert.equal(
      logGroupConsoleUrl('us-east-1', '/aws/vpc/flow logs#1'),
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fvpc$252Fflow$2520logs$25231',
    );
    assert.equal(
      logGroupConsoleUrl('cn-northwest-1', 'g'),
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-northwest-1#logsV2:log-groups/log-group/g',
    );
    assert.equal(logGroupConsoleUrl('us-east-1', ''), undefined);
  });

  it('links S3 buckets and prefixes per partition', () => {
    assert.equal(s3ConsoleUrl('arn:aws:s3:::my-bucket'), 'https://s3.console.aws.amazon.com/s3/buckets/my-bucket');
    assert.equal(
      s3ConsoleUrl('arn:aws:s3:::my-bucket/flow logs/a'),
      'https://s3.console.aws.amazon.com/s3/buckets/my-bucket?prefix=flow%20logs%2Fa%2F',
    );
    assert.equal(s3ConsoleUrl('arn:aws-cn:s3:::b-cn'), 'https://console.amazonaws.cn/s3/buckets/b-cn');
    assert.equal(s3ConsoleUrl('arn:aws-us-gov:s3:::b-gov/p/'), 'https://console.amazonaws-us-gov.com/s3/buckets/b-gov?prefix=p%2F');
    assert.equal(s3ConsoleUrl('arn:aws-iso:s3:::b'), undefined);
    assert.equal(s3ConsoleUrl('arn:aws:s3:::Bad_Bucket'), undefined);
    assert.equal(s3ConsoleUrl('arn:aws:logs:us-east-1:123456789012:log-group:x'), undefined);
  });

  it('links Firehose streams', () => {
    assert.equal(
      firehoseConsoleUrl(`arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/my-stream`),
      'https://eu-west-1.console.aws.amazon.com/firehose/home?region=eu-west-1#/details/my-stream/monitoring',
    );
    assert.equal(firehoseConsoleUrl(`arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/bad name`), undefined);
    assert.equal(firehoseConsoleUrl(`arn:aws-iso:firehose:us-iso-east-1:${ACCOUNT}:deliverystream/s`), undefined);
  });

  it('picks the destination link by destination type', () => {
    assert.equal(
      destinationConsoleUrl('us-east-1', { LogDestinationType: 'cloud-watch-logs', LogGroupName: '/aws/vpc' }),
      logGroupConsoleUrl('us-east-1', '/aws/vpc'),
    );
    assert.equal(
      destinationConsoleUrl('us-east-1', {
        LogDestinationType: 'cloud-watch-logs',
        LogDestination: `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:grp:*`,
      }),
      logGroupConsoleUrl('us-west-2', 'grp'),
    );
    assert.equal(
      destinationConsoleUrl('us-east-1', { LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::bkt' }),
      s3ConsoleUrl('arn:aws:s3:::bkt'),
    );
    assert.equal(destinationConsoleUrl('us-east-1', { LogDestinationType: 'something-new', LogDestination: 'x' }), undefined);
    assert.equal(logGroupNameOfArn(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/a/b:*`), '/a/b');
  });

  it('consoleUrlFor answers each target, undefined where nothing applies', () => {
    const fl = { FlowLogId: 'fl-11111111', ResourceId: 'subnet-11111111', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::bkt' };
    assert.match(consoleUrlFor('flowLog', fl, 'us-east-1') ?? '', /SubnetDetails:subnetId=subnet-11111111$/);
    assert.match(consoleUrlFor('resource', fl, 'us-east-1') ?? '', /SubnetDetails/);
    assert.match(consoleUrlFor('destination', fl, 'us-east-1') ?? '', /s3\/buckets\/bkt$/);
    assert.equal(consoleUrlFor('resource', {}, 'us-east-1'), undefined);
    assert.equal(consoleUrlFor('bogus' as 'resource', fl, 'us-east-1'), undefined);
  });
});
