// Address names and Explain this record against the local endpoint (issue 27): the resolver
// (src/network/resolver.ts) through the real worker operations and the real SDK over HTTP, on the
// addresses of the endpoint's own CloudWatch Logs records; and the endpoint's
// DescribeNetworkInterfaces / DescribeInstances / DescribeSecurityGroupRules / DescribeNetworkAcls
// checked with boto3 (a client nobody here wrote).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClientCache } from '../../../src/aws/worker/clients';
import { InProcessAws } from '../../support/inProcessAws';
import { MemoryLogger } from '../../support/loggers';
import { listProfiles } from '../../../src/shared/profiles';
import { loadSharedConfig } from '../../../src/shared/sharedConfig';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import { streamsOf, windowEvents, type FlowLogStreams } from '../../emulator/logs/records';
import { AddressResolver, type RecordRef } from '../../../src/network/resolver';
import { DENIED_RANGE } from '../../emulator/vpcs/owners';

const BOTO = `
import json, sys, boto3, botocore, botocore.config
a = json.loads(sys.argv[1])
kw = dict(endpoint_url=a['url'], region_name=a['region'], aws_access_key_id=a['key'], aws_secret_access_key=a['secret'])
ec2 = boto3.client('ec2', **kw)
raw = boto3.client('ec2', config=botocore.config.Config(parameter_validation=False), **kw)
def call(op, client=ec2, **k):
    try:
        out = getattr(client, op)(**k)
        out.pop('ResponseMetadata', None)
        return {'ok': out}
    except botocore.exceptions.ClientError as e:
        return {'error': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
res = {}
res['byPrivate'] = call('describe_network_interfaces', Filters=[{'Name': 'addresses.private-ip-address', 'Values': a['addresses']}])
res['instances'] = [i for p in ec2.get_paginator('describe_instances').paginate(Filters=[{'Name': 'instance-id', 'Values': a['instanceIds']}], PaginationConfig={'PageSize': 5}) for r in p['Reservations'] for i in r['Instances']]
res['rules'] = [r for p in ec2.get_paginator('describe_security_group_rules').paginate(Filters=[{'Name': 'group-id', 'Values': a['groupIds']}], PaginationConfig={'PageSize': 5}) for r in p['SecurityGroupRules']]
res['acls'] = call('describe_network_acls', Filters=[{'Name': 'association.subnet-id', 'Values': [a['subnetId']]}])
res['aclPages'] = sum(1 for _ in ec2.get_paginator('describe_network_acls').paginate(PaginationConfig={'PageSize': 5}))
res['aclsMax'] = call('describe_network_acls', client=raw, MaxResults=101)
res['ruleMissing'] = call('describe_security_group_rules', SecurityGroupRuleIds=['sgr-00000000000000000'])
res['badFilter'] = call('describe_security_group_rules', Filters=[{'Name': 'nope', 'Values': ['x']}])
print(json.dumps(res, default=str))
`;

describe('Address names and Explain against the local endpoint (real SDK over HTTP, boto3)', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  let aws: InProcessAws;
  const [acct] = defaultAccounts(30);
  const region = 'us-east-1';
  let streams: FlowLogStreams[];
  let records: (RecordRef & { eni: string })[];

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 7 });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-names-'));
    const files = awsConfigFor(em, [{ name: 'one', account: acct, region }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 30000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger: new MemoryLogger(),
      env,
    });
    aws = new InProcessAws(clients, listProfiles(env).profiles);
    // The records the endpoint serves for its CloudWatch Logs flow logs (a few hours of windows).
    streams = em
      .flowLogs(acct.accountId, region)
      .filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED' && !f.ResourceId?.startsWith('eni-'))
      .map((f) => streamsOf(7, acct.accountId, region, f));
    records = [];
    for (const s of streams) {
      const fields = s.fields;
      const at = (values: string[], name: string) => values[fields.indexOf(name)];
      for (let w = 2_900_000; w < 2_900_060; w++) {
        for (const e of windowEvents(s, w)) {
          const v = e.message.split(' ');
          if (at(v, 'log-status') !== 'OK' || !at(v, 'srcaddr')) continue;
          records.push({
            eni: at(v, 'interface-id'),
            interfaceId: at(v, 'interface-id'),
            srcaddr: at(v, 'srcaddr'),
            dstaddr: at(v, 'dstaddr'),
            srcport: Number(at(v, 'srcport')),
            dstport: Number(at(v, 'dstport')),
            protocol: Number(at(v, 'protocol')),
            action: at(v, 'action'),
            // The generator's own side is always 10.x (IPv4) / 2600:1f18: (IPv6); the default format has no flow-direction.
            flowDirection:
              /^(10\.|2600:1f18:)/.test(at(v, 'dstaddr')) && !/^(10\.|2600:1f18:)/.test(at(v, 'srcaddr')) ? 'ingress' : undefined,
          });
        }
      }
    }
    assert.ok(records.length > 1000, `${records.length} records`);
  });
  after(async () => {
    aws?.dispose();
    await em?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names every interface address of the records with its owner, in batched requests, then from the cache', async () => {
    const resolver = new AddressResolver(aws);
    // What a screen shows: a few records of every interface.
    const perEni = new Map<string, number>();
    const shown = records.filter((r) => {
      const n = perEni.get(r.eni) ?? 0;
      perEni.set(r.eni, n + 1);
      return n < 6;
    });
    // The interface-id column is named by its ID: an address alone can be ambiguous (two VPCs of
    // an account may overlap, and the endpoint's generated addresses do: 10.5.103.109 is held by
    // an instance's interface in one VPC and a NAT gateway's in another).
    const enis = new Set(records.map((r) => r.eni));
    const addresses = [...new Set(shown.flatMap((r) => [r.srcaddr, r.dstaddr])), ...enis];
    const first = await resolver.resolveAddresses('one', region, addresses);
    assert.deepEqual(first.errors, []);
    assert.equal(first.unnamed, 0);
    const owners = [...first.names.values()].filter((n) => n.interfaceId);
    for (const eni of enis) assert.equal(first.names.get(eni)?.interfaceId, eni, `the interface ${eni} of the records is named`);
    const kinds = new Set(owners.map((n) => n.kind));
    for (const k of ['instance', 'load-balancer', 'nat-gateway', 'lambda', 'vpc-endpoint', 'rds'] as const)
      assert.ok(kinds.has(k), `an owner of kind ${k}`);
    const instance = owners.find((n) => n.kind === 'instance')!;
    assert.match(instance.label, /^(prod|staging)-\w+-\d+ \(i-[0-9a-f]{17}\)$/, 'the Name tag from DescribeInstances');
    assert.match(owners.find((n) => n.kind === 'load-balancer')!.label, /^ALB (public|internal)-alb-\d+$/);
    // The rest: public, private range, or a VPC of the region, never dropped.
    assert.equal(first.names.size, addresses.length);
    assert.ok([...first.names.values()].some((n) => n.kind === 'public'));
    // Batched: at most 200 values per filter, so requests ~ addresses / 200 (+ instances, VPCs).
    const perFilter = Math.ceil((addresses.length - enis.size) / 200) + Math.ceil(enis.size / 200);
    assert.ok(first.requests <= perFilter + 6, `${first.requests} requests for ${addresses.length} addresses`);
    const again = await resolver.resolveAddresses('one', region, addresses);
    assert.equal(again.requests, 0, 'all from the cache');
    assert.equal(again.names.get(instance.address)?.label, instance.label);
  });

  it('the cache expires (time to live) and stays within its bound (least recently used go first)', async () => {
    let now = 1_000_000;
    const resolver = new AddressResolver(aws, { ttlMs: 60_000, maxEntries: 3, now: () => now });
    const some = [...new Set(records.map((r) => (r.flowDirection === 'egress' ? r.srcaddr : r.dstaddr)))].slice(0, 5);
    const a = await resolver.resolveAddresses('one', region, some);
    assert.ok(a.requests > 0);
    const b = await resolver.resolveAddresses('one', region, some.slice(2));
    assert.equal(b.requests, 0, 'the 3 most recent are kept');
    const c = await resolver.resolveAddresses('one', region, some.slice(0, 1));
    assert.ok(c.requests > 0, 'the oldest went first');
    now += 61_000;
    const d = await resolver.resolveAddresses('one', region, some.slice(4));
    assert.ok(d.requests > 0, 'expired');
    const bounded = new AddressResolver(aws, { maxAddresses: 2 });
    const e = await bounded.resolveAddresses('one', region, some);
    assert.equal(e.names.size, 2);
    assert.equal(e.unnamed, some.length - 2);
  });

  it('explains a scan rejected by a missing security group rule, and a record rejected by the network ACL deny', async () => {
    const resolver = new AddressResolver(aws);
    const inbound = records.filter((r) => r.action === 'REJECT' && r.flowDirection === 'ingress' && r.protocol === 6);
    const fromDenied = inbound.find((r) => r.srcaddr.startsWith('203.0.113.'));
    assert.ok(fromDenied, 'a REJECT record from the denied range');
    const nacl = await resolver.explainRecord('one', region, fromDenied);
    assert.equal(nacl.problem, undefined);
    assert.equal(nacl.explanation?.verdict, 'deny');
    assert.equal(nacl.explanation?.deniedBy, 'network-acl');
    assert.equal(nacl.explanation?.networkAcl.entry?.RuleNumber, 50);
    assert.equal(nacl.explanation?.networkAcl.entry?.CidrBlock, DENIED_RANGE);
    assert.equal(nacl.explanation?.agreesWithRecord, true);
    assert.ok(nacl.local?.label && nacl.src?.kind === 'public');

    // A scan from the internet to an instance: the instances' group admits only 10.0.0.0/8.
    let scan: Awaited<ReturnType<AddressResolver['explainRecord']>> | undefined;
    for (const r of inbound.filter((x) => /^(52|54|34|151|185)\./.test(x.srcaddr))) {
      const e = await resolver.explainRecord('one', region, r);
      if (e.local?.kind === 'instance') {
        scan = e;
        break;
      }
    }
    assert.ok(scan, 'a rejected scan of an instance');
    assert.equal(scan.explanation?.verdict, 'deny');
    assert.equal(scan.explanation?.deniedBy, 'security-group');
    assert.match(scan.explanation!.securityGroups.text, /No inbound rule of the security groups \(sg-[0-9a-f]{17}\)/);
    assert.ok(scan.securityGroupRules.length >= 4, 'the group rules were read');
    assert.equal(scan.networkAcl?.Entries?.length, 9);
  });

  it('an interface that does not exist: a plain problem, no verdict', async () => {
    const resolver = new AddressResolver(aws);
    const r = await resolver.explainRecord('one', region, {
      interfaceId: 'eni-00000000000000000',
      srcaddr: '10.0.0.1',
      dstaddr: '10.0.0.2',
      protocol: 6,
    });
    assert.equal(r.explanation, undefined);
    assert.match(r.problem ?? '', /was not found/);
  });

  it('answers boto3: interfaces by private IP, instances, security group rules, network ACLs (paging, limits, errors)', async () => {
    const truth = em.network(acct.accountId, region).owners!;
    const enis = truth.interfaces.slice(0, 8);
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      [
        '-c',
        BOTO,
        JSON.stringify({
          url: em.url,
          region,
          key: acct.accessKeyId,
          secret: acct.secretAccessKey,
          addresses: enis.map((e) => e.PrivateIpAddress),
          instanceIds: truth.instances.map((i) => i.InstanceId),
          groupIds: [...new Set(enis.flatMap((e) => e.Groups.map((g) => g.GroupId)))],
          subnetId: enis[0].SubnetId,
        }),
      ],
      { encoding: 'utf8', timeout: 50000 },
    );
    const out = JSON.parse(stdout);
    const got = out.byPrivate.ok.NetworkInterfaces as {
      NetworkInterfaceId: string;
      InterfaceType: string;
      Groups: unknown[];
      RequesterManaged: boolean;
    }[];
    assert.deepEqual(new Set(got.map((e) => e.NetworkInterfaceId)), new Set(enis.map((e) => e.NetworkInterfaceId)));
    const nat = got.find((e) => e.InterfaceType === 'nat_gateway');
    if (nat) assert.equal(nat.RequesterManaged, true);
    assert.equal(out.instances.length, truth.instances.length, 'every instance once, in pages of 5');
    assert.equal(out.instances[0].State.Name, 'running');
    assert.ok(out.instances.every((i: { Tags: { Key: string }[] }) => i.Tags.some((t) => t.Key === 'Name')));
    assert.ok(out.rules.length > 0);
    assert.ok(
      out.rules.every(
        (r: { SecurityGroupRuleId: string; IsEgress: boolean }) => /^sgr-/.test(r.SecurityGroupRuleId) && typeof r.IsEgress === 'boolean',
      ),
    );
    assert.ok(out.rules.some((r: { ReferencedGroupInfo?: { GroupId: string } }) => r.ReferencedGroupInfo?.GroupId?.startsWith('sg-')));
    const acl = out.acls.ok.NetworkAcls[0];
    assert.ok(acl.Associations.some((a: { SubnetId: string }) => a.SubnetId === enis[0].SubnetId));
    assert.deepEqual(
      acl.Entries.filter((e: { Egress: boolean }) => !e.Egress).map((e: { RuleNumber: number }) => e.RuleNumber),
      [50, 100, 101, 32767, 32768],
    );
    assert.equal(out.aclPages, Math.ceil(truth.networkAcls.length / 5));
    assert.equal(out.aclsMax.error, 'InvalidParameterValue');
    assert.match(out.aclsMax.message, /between 5 and 100/);
    assert.equal(out.ruleMissing.error, 'InvalidSecurityGroupRuleId.NotFound');
    assert.equal(out.badFilter.error, 'InvalidParameterValue');
  });
});
