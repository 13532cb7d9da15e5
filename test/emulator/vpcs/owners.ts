// Who the addresses of the emulator's records are (issue 27): every network interface its
// CloudWatch Logs and S3 records name gets an owner (EC2 instances with Name tags, an ALB, a NAT
// gateway, Lambda, VPC endpoint and RDS interfaces), security groups and a network ACL. Derived
// from the same seed and IDs the record generators use (logs/records.ts, s3/records.ts), so the
// names always match the records.
//
// The rules are consistent with the records' REJECTs where the generators allow it:
// - instances accept only 10.0.0.0/8 (SSH and their service ports): a scan from the internet to
//   an instance is rejected by the security group (no rule allows it);
// - the subnet's network ACL denies 203.0.113.0/24 inbound (rule 50): a record from there is
//   rejected by the network ACL before any security group sees it.
// (The generators pick ACCEPT / REJECT at random, so some records disagree with the rules; Explain
// says so for them, as it would for rules changed since a record was written.)
import type { FlowLog, Tag } from '../../../src/shared/types';
import { Random } from '../prng';
import { eniAddress, eniIpv6, ids, streamsOf, type FlowLogStreams } from '../logs/records';
import { interfacesOf } from '../s3/records';

export interface OwnedInterface {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  OwnerId: string;
  AvailabilityZone: string;
  PrivateIpAddress: string;
  Status: 'in-use';
  InterfaceType: string;
  Description: string;
  Tags: Tag[];
  RequesterId?: string;
  RequesterManaged: boolean;
  PublicIp?: string;
  Ipv6Address?: string;
  Attachment?: { InstanceId?: string; InstanceOwnerId: string; DeviceIndex: number };
  Groups: { GroupId: string; GroupName: string }[];
}

export interface EmulatedInstance {
  InstanceId: string;
  InstanceType: string;
  VpcId: string;
  SubnetId: string;
  PrivateIpAddress: string;
  NetworkInterfaceId: string;
  Tags: Tag[];
}

export interface EmulatedSgRule {
  SecurityGroupRuleId: string;
  GroupId: string;
  GroupOwnerId: string;
  IsEgress: boolean;
  IpProtocol: string;
  FromPort: number;
  ToPort: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  ReferencedGroupId?: string;
  Description?: string;
}

export interface EmulatedAclEntry {
  RuleNumber: number;
  Protocol: string;
  RuleAction: 'allow' | 'deny';
  Egress: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  PortRange?: { From: number; To: number };
}

export interface EmulatedAcl {
  NetworkAclId: string;
  VpcId: string;
  OwnerId: string;
  IsDefault: boolean;
  Entries: EmulatedAclEntry[];
  Associations: { NetworkAclAssociationId: string; NetworkAclId: string; SubnetId: string }[];
  Tags: Tag[];
}

export interface RecordOwners {
  interfaces: OwnedInterface[];
  instances: EmulatedInstance[];
  securityGroupRules: EmulatedSgRule[];
  networkAcls: EmulatedAcl[];
}

const NAMES = ['web', 'api', 'worker', 'bastion', 'cache', 'search', 'ingest', 'billing'];
/** The owners an interface may have (the first of a flow log's interfaces is always an instance). */
const KINDS = ['instance', 'alb', 'nat', 'lambda', 'endpoint', 'rds', 'instance', 'instance'] as const;
type Kind = (typeof KINDS)[number];

/** The NACL rule that rejects a whole documentation range inbound (the records' "203.0.113." peers). */
export const DENIED_RANGE = '203.0.113.0/24';

const uuid = (r: Random) => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;

/** The owners of every interface the records of `logs` name. */
export function recordOwners(
  seed: number,
  accountId: string,
  region: string,
  logs: readonly FlowLog[],
  skip: ReadonlySet<string>,
): RecordOwners {
  const out: RecordOwners = { interfaces: [], instances: [], securityGroupRules: [], networkAcls: [] };
  const seen = new Set<string>(skip);
  const groups = new Set<string>();
  for (const fl of logs) {
    if (!fl.FlowLogId) continue;
    const cw = fl.LogDestinationType === 'cloud-watch-logs' ? streamsOf(seed, accountId, region, fl) : undefined;
    const enis = cw ? cw.enis : fl.LogDestinationType === 's3' ? interfacesOf(fl, seed) : [];
    if (enis.length === 0) continue;
    const r = Random.fromKey(`${seed}|owners|${fl.FlowLogId}`);
    const vpcId = fl.ResourceId?.startsWith('vpc-') ? fl.ResourceId : `vpc-${Random.fromKey(`${seed}|vpc|${fl.FlowLogId}`).hex(17)}`;
    const sg = (role: string) => ({ GroupId: `sg-${Random.fromKey(`${seed}|sg|${vpcId}|${role}`).hex(17)}`, GroupName: `${role}-sg` });
    const web = sg('instances');
    const alb = sg('alb');
    const db = sg('database');
    const lambda = sg('lambda');
    const endpoint = sg('endpoints');
    const subnets = new Set<string>();
    enis.forEach((eni, i) => {
      if (seen.has(eni)) return;
      seen.add(eni);
      const kind: Kind = i === 0 ? 'instance' : r.pick(KINDS);
      const where = cw ? ids(cw, i) : undefined;
      const subnetId = where?.subnet ?? `subnet-${eni.slice(4, 21)}`;
      subnets.add(subnetId);
      const address = cw ? eniAddress(cw, i) : `10.${r.int(0, 31)}.${r.int(0, 255)}.${r.int(4, 250)}`;
      const base = {
        NetworkInterfaceId: eni,
        SubnetId: subnetId,
        VpcId: vpcId,
        OwnerId: accountId,
        AvailabilityZone: `${region}${'abc'[i % 3]}`,
        PrivateIpAddress: address,
        Status: 'in-use' as const,
        Tags: [] as Tag[],
        Ipv6Address: cw ? eniIpv6(cw as FlowLogStreams, i) : undefined,
      };
      if (kind === 'instance') {
        // The records' instance-id where they carry one (CloudWatch), else the S3 records' i-<eni hex>.
        const instanceId = where && where.instance !== '-' ? where.instance : `i-${eni.slice(4, 21)}`;
        const name = `${r.pick(['prod', 'staging'])}-${NAMES[(i + r.int(0, 7)) % NAMES.length]}-${i + 1}`;
        out.instances.push({
          InstanceId: instanceId,
          InstanceType: r.pick(['t3.micro', 'm5.large', 'c6g.xlarge']),
          VpcId: vpcId,
          SubnetId: subnetId,
          PrivateIpAddress: address,
          NetworkInterfaceId: eni,
          Tags: [{ Key: 'Name', Value: name }],
        });
        out.interfaces.push({
          ...base,
          InterfaceType: 'interface',
          Description: 'Primary network interface',
          RequesterManaged: false,
          PublicIp: r.chance(0.5) ? `54.${r.int(144, 240)}.${r.int(0, 255)}.${r.int(1, 254)}` : undefined,
          Attachment: { InstanceId: instanceId, InstanceOwnerId: accountId, DeviceIndex: 0 },
          Groups: [web],
        });
        groups.add('instances');
      } else if (kind === 'alb') {
        const name = `${r.pick(['public', 'internal'])}-alb-${i}`;
        out.interfaces.push({
          ...base,
          InterfaceType: 'interface',
          Description: `ELB app/${name}/${r.hex(16)}`,
          RequesterId: 'amazon-elb',
          RequesterManaged: true,
          Attachment: { InstanceOwnerId: 'amazon-elb', DeviceIndex: 1 },
          Groups: [alb],
        });
        groups.add('alb');
      } else if (kind === 'nat') {
        out.interfaces.push({
          ...base,
          InterfaceType: 'nat_gateway',
          Description: `Interface for NAT Gateway nat-${r.hex(17)}`,
          RequesterId: String(r.int(100000000000, 999999999999)),
          RequesterManaged: true,
          PublicIp: `3.${r.int(208, 239)}.${r.int(0, 255)}.${r.int(1, 254)}`,
          Groups: [],
        });
      } else if (kind === 'lambda') {
        const fn = `${r.pick(['orders', 'thumbnails', 'audit'])}-handler`;
        out.interfaces.push({
          ...base,
          InterfaceType: 'lambda',
          Description: `AWS Lambda VPC ENI-${fn}-${uuid(r)}`,
          RequesterId: `AROA${r.hex(17).toUpperCase()}:${fn}`,
          RequesterManaged: true,
          Groups: [lambda],
        });
        groups.add('lambda');
      } else if (kind === 'endpoint') {
        out.interfaces.push({
          ...base,
          InterfaceType: 'vpc_endpoint',
          Description: `VPC Endpoint Interface vpce-${r.hex(17)}`,
          RequesterId: String(r.int(100000000000, 999999999999)),
          RequesterManaged: true,
          Groups: [endpoint],
        });
        groups.add('endpoints');
      } else {
        out.interfaces.push({
          ...base,
          InterfaceType: 'interface',
          Description: 'RDSNetworkInterface',
          RequesterId: 'amazon-rds',
          RequesterManaged: true,
          Groups: [db],
        });
        groups.add('database');
      }
    });
    const rule = (
      g: { GroupId: string },
      egress: boolean,
      proto: string,
      from: number,
      to: number,
      peer: Partial<EmulatedSgRule>,
      description?: string,
    ) =>
      out.securityGroupRules.push({
        SecurityGroupRuleId: `sgr-${Random.fromKey(`${seed}|sgr|${g.GroupId}|${egress}|${proto}|${from}|${JSON.stringify(peer)}`).hex(17)}`,
        GroupId: g.GroupId,
        GroupOwnerId: accountId,
        IsEgress: egress,
        IpProtocol: proto,
        FromPort: from,
        ToPort: to,
        ...peer,
        ...(description ? { Description: description } : {}),
      });
    const allOut = (g: { GroupId: string }) => {
      rule(g, true, '-1', -1, -1, { CidrIpv4: '0.0.0.0/0' });
      rule(g, true, '-1', -1, -1, { CidrIpv6: '::/0' });
    };
    if (groups.has('instances')) {
      rule(web, false, 'tcp', 22, 22, { CidrIpv4: '10.0.0.0/8' }, 'SSH from the VPCs');
      rule(web, false, 'tcp', 0, 65535, { ReferencedGroupId: alb.GroupId }, 'from the load balancer');
      rule(web, false, 'tcp', 443, 443, { CidrIpv4: '10.0.0.0/8' }, 'HTTPS inside');
      rule(web, false, 'icmp', -1, -1, { CidrIpv4: '10.0.0.0/8' });
      allOut(web);
    }
    if (groups.has('alb')) {
      rule(alb, false, 'tcp', 443, 443, { CidrIpv4: '0.0.0.0/0' }, 'HTTPS');
      rule(alb, false, 'tcp', 80, 80, { CidrIpv4: '0.0.0.0/0' }, 'HTTP');
      rule(alb, false, 'tcp', 443, 443, { CidrIpv6: '::/0' }, 'HTTPS (IPv6)');
      allOut(alb);
    }
    if (groups.has('database')) {
      rule(db, false, 'tcp', 5432, 5432, { ReferencedGroupId: web.GroupId }, 'PostgreSQL from the instances');
      rule(db, false, 'tcp', 3306, 3306, { ReferencedGroupId: web.GroupId }, 'MySQL from the instances');
    }
    if (groups.has('lambda')) allOut(lambda);
    if (groups.has('endpoints')) {
      rule(endpoint, false, 'tcp', 443, 443, { CidrIpv4: '10.0.0.0/8' }, 'HTTPS from the VPCs');
      allOut(endpoint);
    }
    const aclId = `acl-${Random.fromKey(`${seed}|acl|${vpcId}|${fl.FlowLogId}`).hex(17)}`;
    const entries: EmulatedAclEntry[] = [];
    for (const egress of [false, true]) {
      if (!egress) entries.push({ RuleNumber: 50, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: DENIED_RANGE });
      entries.push({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' });
      entries.push({ RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Egress: egress, Ipv6CidrBlock: '::/0' });
      entries.push({ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' });
      entries.push({ RuleNumber: 32768, Protocol: '-1', RuleAction: 'deny', Egress: egress, Ipv6CidrBlock: '::/0' });
    }
    out.networkAcls.push({
      NetworkAclId: aclId,
      VpcId: vpcId,
      OwnerId: accountId,
      IsDefault: false,
      Entries: entries,
      Associations: [...subnets].map((s) => ({
        NetworkAclAssociationId: `aclassoc-${Random.fromKey(`${seed}|assoc|${s}`).hex(17)}`,
        NetworkAclId: aclId,
        SubnetId: s,
      })),
      Tags: [{ Key: 'Name', Value: `records-${fl.FlowLogId.slice(3, 11)}` }],
    });
  }
  return out;
}
