// The verdict of one VPC: AWS Security Hub EC2.6 (AWS Config rule vpc-flow-logs-enabled, with
// trafficType REJECT) as its rule, plus delivery health, which EC2.6 and the usual scanners ignore.
import type { FlowLog } from '../shared/types';
import type { NetworkInterface, Subnet, Verdict, Vpc, VpcCoverage } from './types';

/** The rule set, stated in the Coverage view and in every export. */
export const RULE_SET: readonly string[] = [
  'Covered: a flow log on the VPC itself with traffic type REJECT or ALL, status ACTIVE, and delivery not FAILED (AWS Security Hub EC2.6, vpc-flow-logs-enabled; CIS AWS Foundations v1.4.0 3.9, v3.0.0 and v5.0.0 3.7), plus delivery health.',
  'Covered but failing: such a flow log exists, but its delivery fails (DeliverLogsStatus FAILED).',
  'Partly covered: only subnet- or interface-level flow logs, or only ACCEPT traffic (fails the REJECT requirement of EC2.6).',
  'Not covered: no active flow log on the VPC, its subnets or its interfaces.',
  "Shared VPC: owned by another account (OwnerId is not the profile's account); reported, not judged: its flow logs are the owner's.",
];

export const RULE_SET_SHORT =
  'EC2.6 / CIS 3.9 (v1.4.0), 3.7 (v3.0.0, v5.0.0): VPC-level flow log, REJECT or ALL, ACTIVE, delivery not FAILED';

export interface VpcEvidence {
  vpc: Vpc;
  /** The profile's account (STS); undefined if unknown, then nothing is treated as shared. */
  accountId?: string;
  /** Flow logs whose ResourceId is the VPC. */
  vpcLogs: FlowLog[];
  /** The VPC's subnets. */
  subnets: Subnet[];
  /** Flow logs whose ResourceId is one of those subnets. */
  subnetLogs: FlowLog[];
  /** Interfaces of the VPC that have a flow log, with those flow logs. */
  interfaceLogs: { eni: NetworkInterface; logs: FlowLog[] }[];
}

const logsEc26 = (l: FlowLog) => (l.TrafficType === 'REJECT' || l.TrafficType === 'ALL') && l.FlowLogStatus === 'ACTIVE';
const ids = (logs: FlowLog[]) => logs.map((l) => l.FlowLogId ?? '?');
const list = (logs: FlowLog[]) => ids(logs).join(', ');

export function judgeVpc(e: VpcEvidence): VpcCoverage {
  const vpcId = e.vpc.VpcId ?? '';
  const subnetIds = new Set(e.subnets.map((s) => s.SubnetId));
  const coveredSubnets = new Set(
    e.subnetLogs.filter((l) => l.FlowLogStatus === 'ACTIVE' && subnetIds.has(l.ResourceId)).map((l) => l.ResourceId),
  );
  const activeInterfaces = e.interfaceLogs.filter((i) => i.logs.some((l) => l.FlowLogStatus === 'ACTIVE'));
  const base = {
    vpcId,
    name: e.vpc.Tags?.find((t) => t.Key === 'Name')?.Value,
    cidr: e.vpc.CidrBlock,
    isDefault: e.vpc.IsDefault === true,
    ownerId: e.vpc.OwnerId,
    subnetsTotal: e.subnets.length,
    subnetsCovered: coveredSubnets.size,
    interfacesCovered: activeInterfaces.length,
  };
  const verdict = (v: Verdict, reason: string, logs: FlowLog[]): VpcCoverage => ({
    ...base,
    verdict: v,
    reason,
    flowLogIds: ids(logs),
    resourceIds: [...new Set([vpcId, ...logs.map((l) => l.ResourceId ?? '').filter(Boolean)])],
  });

  if (e.accountId && e.vpc.OwnerId && e.vpc.OwnerId !== e.accountId) {
    return verdict(
      'shared',
      `Owned by account ${e.vpc.OwnerId}, shared with this one: its VPC flow logs are the owner's (reported, not judged)`,
      e.vpcLogs,
    );
  }
  const ec26 = e.vpcLogs.filter(logsEc26);
  const healthy = ec26.filter((l) => l.DeliverLogsStatus !== 'FAILED');
  if (healthy.length) {
    const first = healthy[0];
    return verdict(
      'covered',
      `VPC flow log ${list(healthy)} (${first.TrafficType}, ACTIVE, delivery ${first.DeliverLogsStatus ?? 'not reported'})`,
      healthy,
    );
  }
  if (ec26.length) {
    const messages = [...new Set(ec26.map((l) => l.DeliverLogsErrorMessage).filter(Boolean))].join('; ');
    return verdict('failing', `VPC flow log ${list(ec26)} exists but its delivery fails${messages ? `: ${messages}` : ''}`, ec26);
  }
  const acceptOnly = e.vpcLogs.filter((l) => l.FlowLogStatus === 'ACTIVE' && l.TrafficType === 'ACCEPT');
  if (acceptOnly.length) {
    return verdict('partlyCovered', `Only ACCEPT traffic is logged (${list(acceptOnly)}): EC2.6 requires REJECT or ALL`, acceptOnly);
  }
  if (coveredSubnets.size || activeInterfaces.length) {
    const parts: string[] = [];
    if (coveredSubnets.size) parts.push(`${coveredSubnets.size} of ${e.subnets.length} subnet(s)`);
    if (activeInterfaces.length) parts.push(`${activeInterfaces.length} network interface(s)`);
    const logs = [
      ...e.subnetLogs.filter((l) => l.FlowLogStatus === 'ACTIVE' && subnetIds.has(l.ResourceId)),
      ...activeInterfaces.flatMap((i) => i.logs.filter((l) => l.FlowLogStatus === 'ACTIVE')),
    ];
    return verdict('partlyCovered', `No VPC-level flow log; ${parts.join(' and ')} have one (EC2.6 requires one on the VPC)`, logs);
  }
  if (e.vpcLogs.length) {
    const states = [...new Set(e.vpcLogs.map((l) => l.FlowLogStatus ?? 'no status'))].join(', ');
    return verdict('notCovered', `VPC flow log ${list(e.vpcLogs)} is not ACTIVE (${states})`, e.vpcLogs);
  }
  return verdict('notCovered', 'No flow log on the VPC, its subnets or its network interfaces', []);
}
