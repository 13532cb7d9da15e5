// Emulator building blocks without HTTP: data generator, wildcards, tokens, fault rules, XML, SigV4 parsing.
import assert from 'node:assert/strict';
import {
  DEFAULT_LOG_FORMAT,
  DELIVERY_ERROR_MESSAGES,
  HOSTILE_EVERY,
  HOSTILE_OFFSET,
  generateFlowLogs,
  partitionOf,
} from '../../emulator/data';
import { FaultEngine } from '../../emulator/faults';
import { TokenCodec, queryHash } from '../../emulator/pagination';
import { wildcardToRegExp, parseDescribeFlowLogsParams } from '../../emulator/query';
import { parseAuthorization } from '../../emulator/sigv4';
import { escapeXml, flowLogItemXml } from '../../emulator/xml';
import { ApiError } from '../../emulator/errors';
import { parseCliArgs } from '../../emulator/cli';

describe('emulator data generator', () => {
  const opts = { seed: 7, accountId: '111111111111', region: 'us-east-1', count: 2000 };

  it('is deterministic for the same seed, account, region and count', () => {
    assert.deepEqual(generateFlowLogs(opts), generateFlowLogs(opts));
  });

  it('differs for another seed, account or region, and a smaller count is a prefix', () => {
    const base = generateFlowLogs(opts);
    assert.notDeepEqual(generateFlowLogs({ ...opts, seed: 8 }), base);
    assert.notDeepEqual(
      generateFlowLogs({ ...opts, region: 'eu-west-1' }).map((f) => f.FlowLogId),
      base.map((f) => f.FlowLogId),
    );
    assert.notDeepEqual(
      generateFlowLogs({ ...opts, accountId: '222222222222' }).map((f) => f.FlowLogId),
      base.map((f) => f.FlowLogId),
    );
    assert.deepEqual(generateFlowLogs({ ...opts, count: 100 }), base.slice(0, 100));
  });

  it('makes realistic, unique IDs and every destination type with its fields', () => {
    const logs = generateFlowLogs(opts);
    assert.equal(new Set(logs.map((f) => f.FlowLogId)).size, logs.length);
    for (const log of logs) {
      assert.match(log.FlowLogId!, /^fl-[0-9a-f]{17}$/);
      assert.match(log.ResourceId!, /^(vpc|subnet|eni)-[0-9a-f]{17}$/);
      assert.equal(log.FlowLogStatus, 'ACTIVE');
      assert.ok([60, 600].includes(log.MaxAggregationInterval!));
      assert.ok(['ACCEPT', 'REJECT', 'ALL'].includes(log.TrafficType!));
      assert.ok(log.CreationTime instanceof Date && log.CreationTime.getUTCFullYear() >= 2018 && log.CreationTime.getUTCFullYear() <= 2024);
      if (log.LogDestinationType === 'cloud-watch-logs') {
        assert.equal(log.LogDestination, `arn:aws:logs:us-east-1:111111111111:log-group:${log.LogGroupName}`);
        assert.match(log.DeliverLogsPermissionArn!, /^arn:aws:iam::111111111111:role\//);
        assert.equal(log.DestinationOptions, undefined);
      } else if (log.LogDestinationType === 's3') {
        assert.match(log.LogDestination!, /^arn:aws:s3:::[a-z0-9.-]+(\/[^/]+\/[^/]+\/)?$/);
        assert.ok(['plain-text', 'parquet'].includes(log.DestinationOptions!.FileFormat!));
        assert.equal(typeof log.DestinationOptions!.HiveCompatiblePartitions, 'boolean');
        assert.equal(log.LogGroupName, undefined);
      } else {
        assert.equal(log.LogDestinationType, 'kinesis-data-firehose');
        assert.match(log.LogDestination!, /^arn:aws:firehose:us-east-1:\d{12}:deliverystream\/.+/);
      }
      if (log.DeliverLogsStatus === 'FAILED') assert.ok(DELIVERY_ERROR_MESSAGES.includes(log.DeliverLogsErrorMessage as never));
      else assert.equal(log.DeliverLogsErrorMessage, undefined);
    }
    const count = (pred: (f: (typeof logs)[number]) => boolean) => logs.filter(pred).length;
    assert.ok(count((f) => f.LogDestinationType === 'cloud-watch-logs') > 800);
    assert.ok(count((f) => f.LogDestinationType === 's3') > 500);
    assert.ok(count((f) => f.LogDestinationType === 'kinesis-data-firehose') > 150);
    assert.ok(count((f) => f.LogDestination!.endsWith('/')) > 50, 'some S3 destinations have a prefix');
    assert.ok(count((f) => f.DeliverCrossAccountRole !== undefined) > 20);
    const failed = count((f) => f.DeliverLogsStatus === 'FAILED');
    assert.ok(failed > 50 && failed < 160, `about 5% FAILED, got ${failed}`);
    assert.ok(count((f) => f.LogFormat === DEFAULT_LOG_FORMAT) > 1000);
    assert.ok(count((f) => f.LogFormat !== DEFAULT_LOG_FORMAT) > 300);
    assert.ok(count((f) => f.MaxAggregationInterval === 60) > 300);
    assert.ok(count((f) => f.Tags!.some((t) => t.Key === 'Name')) > 1700);
  });

  it('adds hostile tags to every 97th item, and not when hostile is off', () => {
    const logs = generateFlowLogs(opts);
    logs.forEach((log, i) => {
      const hostile = log.Tags!.some((t) => t.Value!.includes('<img src=x onerror=alert(1)>'));
      assert.equal(hostile, i % HOSTILE_EVERY === HOSTILE_OFFSET, `item ${i}`);
    });
    const sample = logs[HOSTILE_OFFSET].Tags!;
    assert.ok(sample.some((t) => t.Value!.length === 256));
    assert.ok(sample.some((t) => t.Value!.includes('\u202E')));
    assert.ok(sample.some((t) => t.Key!.includes(':') && t.Key!.includes(' ')));
    const tame = generateFlowLogs({ ...opts, hostile: false });
    assert.ok(tame.every((log) => !log.Tags!.some((t) => /[<>]/.test(t.Value!))));
  });

  it('uses the partition of the region in ARNs', () => {
    assert.equal(partitionOf('cn-north-1'), 'aws-cn');
    assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
    assert.equal(partitionOf('eu-west-1'), 'aws');
    const cn = generateFlowLogs({ ...opts, region: 'cn-northwest-1', count: 50 });
    assert.ok(cn.every((f) => f.LogDestination!.startsWith('arn:aws-cn:')));
    const gov = generateFlowLogs({ ...opts, region: 'us-gov-east-1', count: 50 });
    assert.ok(gov.every((f) => f.LogDestination!.startsWith('arn:aws-us-gov:')));
  });

  it('rejects a bad count with a clear error', () => {
    assert.throws(() => generateFlowLogs({ ...opts, count: -1 }), /count must be a non-negative integer/);
  });
});

describe('emulator wildcards', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'ABC', false],
    ['abc', 'abcd', false],
    ['a*', 'abcd', true],
    ['a*', 'a', true],
    ['*d', 'abcd', true],
    ['*b*', 'abcd', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a.c', 'abc', false],
    ['a\\*c', 'a*c', true],
    ['a\\*c', 'abc', false],
    ['[x]+(y)', '[x]+(y)', true],
    ['?', '😀', true],
    ['*', '', true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`'${pattern}' ${expected ? 'matches' : 'does not match'} '${value}'`, () => {
      assert.equal(wildcardToRegExp(pattern).test(value), expected);
    });
  }
});

describe('emulator request parsing', () => {
  it('reads filters, IDs, MaxResults, NextToken and DryRun in index order', () => {
    const form = new URLSearchParams(
      'Action=DescribeFlowLogs&Version=2016-11-15&Filter.2.Name=tag-key&Filter.2.Value.1=env&Filter.1.Name=traffic-type' +
        '&Filter.1.Value.2=REJECT&Filter.1.Value.1=ACCEPT&FlowLogId.2=fl-b&FlowLogId.1=fl-a&MaxResults=10&NextToken=t&DryRun=true',
    );
    assert.deepEqual(parseDescribeFlowLogsParams(form), {
      filters: [
        { Name: 'traffic-type', Values: ['ACCEPT', 'REJECT'] },
        { Name: 'tag-key', Values: ['env'] },
      ],
      flowLogIds: ['fl-a', 'fl-b'],
      maxResults: 10,
      nextToken: 't',
      dryRun: true,
    });
  });

  const bad: [string, string, RegExp][] = [
    ['Filter.1.Name=bogus&Filter.1.Value.1=x', 'InvalidParameterValue', /The filter 'bogus' is invalid/],
    ['Filter.1.Name=tag-key', 'InvalidParameterValue', /at least one value/],
    ['Filter.1.Value.1=x', 'MissingParameter', /Filter\.1\.Name/],
    ['MaxResults=4', 'InvalidParameterValue', /maxResults/],
    ['MaxResults=1001', 'InvalidParameterValue', /maxResults/],
    ['MaxResults=ten', 'InvalidParameterValue', /MaxResults/],
    ['DryRun=yes', 'InvalidParameterValue', /DryRun/],
    ['Filters.1.Name=tag-key', 'UnknownParameter', /Filters\.1\.Name/],
  ];
  for (const [body, code, message] of bad) {
    it(`rejects ${body} with ${code}`, () => {
      assert.throws(
        () => parseDescribeFlowLogsParams(new URLSearchParams(body)),
        (e: unknown) => e instanceof ApiError && e.code === code && e.status === 400 && message.test(e.message),
      );
    });
  }

  it('rejects more than 1000 flow log IDs', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `FlowLogId.${i + 1}=fl-${i}`).join('&');
    assert.throws(() => parseDescribeFlowLogsParams(new URLSearchParams(ids)), /1001 flow log IDs; the maximum is 1000/);
  });
});

describe('emulator NextToken codec', () => {
  const scope = { accountId: '111111111111', region: 'us-east-1', queryHash: queryHash([]), generation: 1 };

  it('round-trips an offset and rejects altered or foreign tokens', () => {
    const codec = new TokenCodec();
    const token = codec.issue({ ...scope, offset: 50 });
    assert.equal(codec.verify(token, scope, 100), 50);
    const code = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof ApiError && e.code === 'InvalidPaginationToken');
    code(() => codec.verify('garbage', scope, 100));
    code(() => codec.verify(token.slice(0, -2) + 'xx', scope, 100));
    code(() => new TokenCodec().verify(token, scope, 100));
    code(() => codec.verify(token, { ...scope, region: 'eu-west-1' }, 100));
    code(() => codec.verify(token, { ...scope, accountId: '222222222222' }, 100));
    code(() => codec.verify(token, { ...scope, queryHash: queryHash([{ Name: 'tag-key', Values: ['x'] }]) }, 100));
    code(() => codec.verify(token, { ...scope, generation: 2 }, 100));
    code(() => codec.verify(token, scope, 10));
  });

  it('hashes the same query the same regardless of order', () => {
    const a = [
      { Name: 'tag-key', Values: ['a', 'b'] },
      { Name: 'traffic-type', Values: ['ALL'] },
    ];
    const b = [
      { Name: 'traffic-type', Values: ['ALL'] },
      { Name: 'tag-key', Values: ['b', 'a'] },
    ];
    assert.equal(queryHash(a), queryHash(b));
    assert.notEqual(queryHash(a), queryHash(a, ['fl-1']));
  });
});

describe('emulator fault rules', () => {
  const facts = { action: 'DescribeFlowLogs', accountId: '111111111111', region: 'us-east-1' };
  const fire = (engine: FaultEngine, n: number, f = facts) =>
    Array.from({ length: n }, () =>
      engine
        .evaluate(f)
        .map((x) => x.kind)
        .join(','),
    );

  it('fires on the Nth and on a range of matching requests', () => {
    assert.deepEqual(fire(new FaultEngine([{ fault: 'throttle', nth: 2 }], 1), 4), ['', 'throttle', '', '']);
    assert.deepEqual(fire(new FaultEngine([{ fault: 'drop', fromNth: 2, toNth: 3 }], 1), 4), ['', 'drop', 'drop', '']);
    assert.deepEqual(fire(new FaultEngine([{ fault: 'hang' }], 1), 2), ['hang', 'hang']);
  });

  it('counts only requests that match account, region and action', () => {
    const engine = new FaultEngine([{ fault: 'throttle', region: 'eu-west-1', nth: 1 }], 1);
    assert.deepEqual(fire(engine, 2), ['', '']);
    assert.deepEqual(fire(engine, 2, { ...facts, region: 'eu-west-1' }), ['throttle', '']);
    const byAction = new FaultEngine([{ fault: 'internalError', action: 'GetCallerIdentity' }], 1);
    assert.deepEqual(fire(byAction, 1), ['']);
  });

  it('fires at a seeded rate, the same way for the same seed', () => {
    const run = (seed: number) => fire(new FaultEngine([{ fault: 'throttle', rate: 0.3 }], seed), 1000);
    const first = run(5);
    assert.deepEqual(run(5), first);
    const fired = first.filter((x) => x === 'throttle').length;
    assert.ok(fired > 230 && fired < 370, `about 30%, got ${fired}`);
  });

  it('computes latency with jitter inside its bounds', () => {
    const engine = new FaultEngine([{ fault: 'latency', latencyMs: 100, jitterMs: 50 }], 1);
    for (let i = 0; i < 100; i++) {
      const [fault] = engine.evaluate(facts);
      assert.ok(fault.delayMs >= 100 && fault.delayMs < 150);
    }
  });

  it('rejects meaningless rules with a clear error', () => {
    assert.throws(() => new FaultEngine([{ fault: 'explode' as never }], 1), /unknown fault 'explode'/);
    assert.throws(() => new FaultEngine([{ fault: 'throttle', nth: 0 }], 1), /nth must be an integer >= 1/);
    assert.throws(() => new FaultEngine([{ fault: 'throttle', rate: 2 }], 1), /rate must be between 0 and 1/);
    assert.throws(() => new FaultEngine([{ fault: 'latency', latencyMs: -5 }], 1), /latencyMs must be a number >= 0/);
  });
});

describe('emulator XML and SigV4 parsing', () => {
  it('escapes markup, quotes and line breaks', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>\r\n\t`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&#13;&#10;&#9;');
  });

  it('writes the model wire names and omits absent fields', () => {
    const xml = flowLogItemXml({
      FlowLogId: 'fl-1',
      CreationTime: new Date('2020-01-02T03:04:05.678Z'),
      Tags: [{ Key: 'k', Value: '<v>' }],
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: false },
      MaxAggregationInterval: 60,
    });
    assert.equal(
      xml,
      '<item><creationTime>2020-01-02T03:04:05.678Z</creationTime><flowLogId>fl-1</flowLogId>' +
        '<tagSet><item><key>k</key><value>&lt;v&gt;</value></item></tagSet><maxAggregationInterval>60</maxAggregationInterval>' +
        '<destinationOptions><fileFormat>parquet</fileFormat><hiveCompatiblePartitions>true</hiveCompatiblePartitions>' +
        '<perHourPartition>false</perHourPartition></destinationOptions></item>',
    );
  });

  it('reads key, region and service from the Authorization header', () => {
    const auth = parseAuthorization(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
    );
    assert.deepEqual(
      { ...auth },
      {
        accessKeyId: 'AKIDEXAMPLE',
        date: '20240101',
        region: 'eu-west-1',
        service: 'ec2',
        signedHeaders: ['host', 'x-amz-date'],
        signature: 'a'.repeat(64),
      },
    );
    assert.throws(() => parseAuthorization('Basic abc'), /not a valid AWS4-HMAC-SHA256 header/);
  });
});

describe('emulator CLI arguments', () => {
  it('turns fault options into rules', () => {
    const opts = parseCliArgs([
      '--port',
      '4599',
      '--regions',
      'us-east-1,eu-west-1',
      '--flow-logs-per-region',
      '500',
      '--seed',
      '9',
      '--latency-ms',
      '20',
      '--jitter-ms',
      '5',
      '--throttle-rate',
      '0.1',
      '--error-rate',
      '0.05',
      '--drop-rate',
      '0',
      '--no-hostile',
    ]);
    assert.deepEqual(opts, {
      port: 4599,
      regions: ['us-east-1', 'eu-west-1'],
      flowLogsPerRegion: 500,
      seed: 9,
      hostile: false,
      faults: [
        { fault: 'latency', latencyMs: 20, jitterMs: 5 },
        { fault: 'throttle', rate: 0.1 },
        { fault: 'internalError', rate: 0.05 },
      ],
    });
  });

  it('rejects bad options with a clear message', () => {
    assert.throws(() => parseCliArgs(['--port', 'x']), /--port needs an integer >= 0/);
    assert.throws(() => parseCliArgs(['--throttle-rate', '1.5']), /between 0 and 1/);
    assert.throws(() => parseCliArgs(['--regions', 'nowhere']), /--regions/);
    assert.throws(() => parseCliArgs(['--frobnicate']), /unknown option '--frobnicate'/);
  });
});
