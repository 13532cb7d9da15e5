// The verdict rules as a table of cases: each VPC's evidence and the verdict (and the words of the
// reason) it must get. EC2.6: a VPC-level flow log, REJECT or ALL, ACTIVE; plus delivery health.
import assert from 'node:assert/strict';
import { judgeVpc, RULE_SET, VpcEvidence } from '../../src/coverage/rules';
import { vpcDescription, vpcLabel, vpcNote } from '../../src/coverage/labels';
import type { FlowLog } from '../../src/shared/types';
import type { Verdict } from '../../src/coverage/types';

const ACCOUNT = '111111111111';
const VPC = { VpcId: 'vpc-1', OwnerId: ACCOUNT, CidrBlock: '10.0.0.0/16', IsDefault: false, Tags: [{ Key: 'Name', Value: 'prod' }] };
const SUBNETS = [
  { SubnetId: 'subnet-a', VpcId: 'vpc-1' },
  { SubnetId: 'subnet-b', VpcId: 'vpc-1' },
  { SubnetId: 'subnet-c', VpcId: 'vpc-1' },
];
const log = (id: string, resource: string, traffic: string, extra: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: id,
  ResourceId: resource,
  TrafficType: traffic,
  FlowLogStatus: 'ACTIVE',
  DeliverLogsStatus: 'SUCCESS',
  ...extra,
});
const ev = (e: Partial<VpcEvidence>): VpcEvidence => ({
  vpc: VPC,
  accountId: ACCOUNT,
  vpcLogs: [],
  subnets: SUBNETS,
  subnetLogs: [],
  interfaceLogs: [],
  ...e,
});

const CASES: { name: string; evidence: VpcEvidence; verdict: Verdict; reason: RegExp; flowLogIds?: string[] }[] = [
  {
    name: 'no flow log at all',
    evidence: ev({}),
    verdict: 'notCovered',
    reason: /No flow log on the VPC, its subnets or its network interfaces/,
    flowLogIds: [],
  },
  {
    name: 'ALL at the VPC level',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL')] }),
    verdict: 'covered',
    reason: /fl-1 \(ALL, ACTIVE, delivery SUCCESS\)/,
    flowLogIds: ['fl-1'],
  },
  { name: 'REJECT at the VPC level', evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'REJECT')] }), verdict: 'covered', reason: /REJECT/ },
  {
    name: 'REJECT with delivery not reported yet',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'REJECT', { DeliverLogsStatus: undefined })] }),
    verdict: 'covered',
    reason: /delivery not reported/,
  },
  {
    name: 'ACCEPT only',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ACCEPT')] }),
    verdict: 'partlyCovered',
    reason: /Only ACCEPT traffic.*REJECT or ALL/,
    flowLogIds: ['fl-1'],
  },
  {
    name: 'ACCEPT plus a healthy REJECT',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ACCEPT'), log('fl-2', 'vpc-1', 'REJECT')] }),
    verdict: 'covered',
    reason: /fl-2/,
    flowLogIds: ['fl-2'],
  },
  {
    name: 'failing delivery',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL', { DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error' })] }),
    verdict: 'failing',
    reason: /delivery fails: Access error/,
    flowLogIds: ['fl-1'],
  },
  {
    name: 'one failing and one healthy',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL', { DeliverLogsStatus: 'FAILED' }), log('fl-2', 'vpc-1', 'ALL')] }),
    verdict: 'covered',
    reason: /fl-2/,
    flowLogIds: ['fl-2'],
  },
  {
    name: 'failing ACCEPT only',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ACCEPT', { DeliverLogsStatus: 'FAILED' })] }),
    verdict: 'partlyCovered',
    reason: /Only ACCEPT/,
  },
  {
    name: 'a VPC flow log that is not ACTIVE',
    evidence: ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL', { FlowLogStatus: 'DELETING' })] }),
    verdict: 'notCovered',
    reason: /not ACTIVE \(DELETING\)/,
  },
  {
    name: 'two of three subnets',
    evidence: ev({ subnetLogs: [log('fl-a', 'subnet-a', 'ALL'), log('fl-b', 'subnet-b', 'REJECT')] }),
    verdict: 'partlyCovered',
    reason: /No VPC-level flow log; 2 of 3 subnet\(s\) have one/,
    flowLogIds: ['fl-a', 'fl-b'],
  },
  {
    name: 'every subnet, still not EC2.6',
    evidence: ev({ subnetLogs: SUBNETS.map((s, i) => log(`fl-${i}`, s.SubnetId, 'ALL')) }),
    verdict: 'partlyCovered',
    reason: /3 of 3 subnet\(s\).*requires one on the VPC/,
  },
  {
    name: 'an interface only',
    evidence: ev({ interfaceLogs: [{ eni: { NetworkInterfaceId: 'eni-1', VpcId: 'vpc-1' }, logs: [log('fl-e', 'eni-1', 'REJECT')] }] }),
    verdict: 'partlyCovered',
    reason: /1 network interface\(s\)/,
    flowLogIds: ['fl-e'],
  },
  {
    name: 'a subnet and an interface',
    evidence: ev({
      subnetLogs: [log('fl-a', 'subnet-a', 'ALL')],
      interfaceLogs: [{ eni: { NetworkInterfaceId: 'eni-1' }, logs: [log('fl-e', 'eni-1', 'ALL')] }],
    }),
    verdict: 'partlyCovered',
    reason: /1 of 3 subnet\(s\) and 1 network interface\(s\)/,
  },
  {
    name: 'shared by another account, even with a flow log',
    evidence: ev({ vpc: { ...VPC, OwnerId: '999999999999' }, vpcLogs: [log('fl-1', 'vpc-1', 'ALL')] }),
    verdict: 'shared',
    reason: /Owned by account 999999999999.*not judged/,
  },
  { name: 'shared, no flow log', evidence: ev({ vpc: { ...VPC, OwnerId: '999999999999' } }), verdict: 'shared', reason: /not judged/ },
  {
    name: 'account unknown: judged, not shared',
    evidence: ev({ accountId: undefined, vpc: { ...VPC, OwnerId: '999999999999' } }),
    verdict: 'notCovered',
    reason: /No flow log/,
  },
];

describe('Coverage verdict rules', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.verdict}`, () => {
      const r = judgeVpc(c.evidence);
      assert.equal(r.verdict, c.verdict);
      assert.match(r.reason, c.reason);
      if (c.flowLogIds) assert.deepEqual(r.flowLogIds, c.flowLogIds);
      assert.equal(r.vpcId, 'vpc-1');
    });
  }

  it('reports the name tag, CIDR, default mark and subnet counts', () => {
    const r = judgeVpc(
      ev({ vpc: { ...VPC, IsDefault: true }, subnetLogs: [log('fl-a', 'subnet-a', 'ALL'), log('fl-x', 'subnet-elsewhere', 'ALL')] }),
    );
    assert.deepEqual(
      [r.name, r.cidr, r.isDefault, r.subnetsCovered, r.subnetsTotal, r.interfacesCovered],
      ['prod', '10.0.0.0/16', true, 1, 3, 0],
    );
    assert.deepEqual(r.resourceIds, ['vpc-1', 'subnet-a'], 'the VPC and the resources its flow logs are on');
  });

  it('states the rule set with the CIS and Security Hub references', () => {
    const text = RULE_SET.join('\n');
    for (const ref of ['EC2.6', 'vpc-flow-logs-enabled', 'v1.4.0 3.9', 'v3.0.0 and v5.0.0 3.7', 'REJECT or ALL', 'ACTIVE', 'FAILED'])
      assert.ok(text.includes(ref), ref);
  });
});

describe('Coverage view labels', () => {
  const base = judgeVpc(ev({}));
  it('name tag as one bounded line, else the ID; the ID, CIDR, default mark and a short note after it', () => {
    assert.equal(vpcLabel({ ...base, name: 'a\nb\u202Ec' + 'x'.repeat(200) }).length, 80);
    assert.ok(!/[\n\u202E]/.test(vpcLabel({ ...base, name: 'a\nb\u202Ec' })));
    assert.equal(vpcLabel({ ...base, name: '   ' }), 'vpc-1');
    assert.equal(vpcDescription(base), 'vpc-1 · 10.0.0.0/16');
    assert.equal(vpcDescription({ ...base, name: undefined, isDefault: true }), '10.0.0.0/16 · default');
    assert.equal(vpcNote(judgeVpc(ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ACCEPT')] }))), 'ACCEPT only');
    assert.equal(vpcNote(judgeVpc(ev({ subnetLogs: [log('fl-a', 'subnet-a', 'ALL')] }))), '1 of 3 subnets');
    assert.equal(vpcNote(judgeVpc(ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL', { DeliverLogsStatus: 'FAILED' })] }))), 'delivery failing');
    assert.equal(vpcNote(judgeVpc(ev({ vpcLogs: [log('fl-1', 'vpc-1', 'ALL')] }))), '');
  });
});
