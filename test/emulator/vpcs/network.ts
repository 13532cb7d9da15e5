// The VPCs, subnets and network interfaces of one (account, region), derived from its flow logs so
// that every flow log's ResourceId names a resource DescribeVpcs / DescribeSubnets /
// DescribeNetworkInterfaces returns, plus resources no flow log points at: a default VPC, a VPC
// with no flow log, and a VPC shared by another account (RAM). Deterministic: the same seed and
// flow logs give the same network.
import type { FlowLog, Tag } from '../../../src/shared/types';
import { Random } from '../prng';
import { DELIVERY_ERROR_MESSAGES, DEFAULT_LOG_FORMAT, partitionOf } from '../data';
import { recordOwners, type RecordOwners } from './owners';

export interface Vpc {
  VpcId: string;
  OwnerId: string;
  CidrBlock: string;
  IsDefault: boolean;
  State: 'available';
  DhcpOptionsId: string;
  InstanceTenancy: 'default';
  Tags: Tag[];
}

export interface Subnet {
  SubnetId: string;
  VpcId: string;
  OwnerId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  AvailableIpAddressCount: number;
  DefaultForAz: boolean;
  MapPublicIpOnLaunch: boolean;
  State: 'available';
  SubnetArn: string;
  Tags: Tag[];
}

export interface NetworkInterface {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  OwnerId: string;
  AvailabilityZone: string;
  PrivateIpAddress: string;
  Status: 'in-use';
  InterfaceType: 'interface';
  Description: string;
  Tags: Tag[];
}

export interface Network {
  vpcs: Vpc[];
  subnets: Subnet[];
  interfaces: NetworkInterface[];
  /** The owners of the interfaces the records name, their security groups and network ACLs (owners.ts). */
  owners?: RecordOwners;
}

const SYSTEMS = ['web', 'api', 'batch', 'vpn', 'db', 'shared', 'ingress', 'egress', 'analytics'];
const ENVS = ['prod', 'staging', 'dev'];

/** Another 12-digit account, never `accountId`: the owner of the shared VPC. */
export function sharingAccount(accountId: string): string {
  return accountId === '999999999999' ? '888888888888' : '999999999999';
}

/**
 * Flow logs added to a region when the emulator runs with coverageCases: one of each kind the
 * Coverage check tells apart (failing delivery, ACCEPT only, subnet level, interface level,
 * REJECT at the VPC level), after the generated ones so existing indexes and counts stay.
 */
export function coverageCaseFlowLogs(seed: number, accountId: string, region: string): FlowLog[] {
  const random = Random.fromKey(`${seed}|${accountId}|${region}|coverage-cases`);
  const partition = partitionOf(region);
  const make = (resource: string, traffic: string, name: string, failed?: boolean): FlowLog => {
    const group = `/aws/vpc/flowlogs/coverage-${name}`;
    return {
      CreationTime: new Date(Date.UTC(2024, 0, 1 + random.int(0, 300))),
      FlowLogId: `fl-${random.hex(17)}`,
      FlowLogStatus: 'ACTIVE',
      DeliverLogsStatus: failed ? 'FAILED' : 'SUCCESS',
      ...(failed ? { DeliverLogsErrorMessage: DELIVERY_ERROR_MESSAGES[1] } : {}),
      ResourceId: `${resource}-${random.hex(17)}`,
      TrafficType: traffic,
      LogFormat: DEFAULT_LOG_FORMAT,
      MaxAggregationInterval: 600,
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: group,
      LogDestination: `arn:${partition}:logs:${region}:${accountId}:log-group:${group}`,
      DeliverLogsPermissionArn: `arn:${partition}:iam::${accountId}:role/flow-logs-delivery`,
      Tags: [{ Key: 'Name', Value: `coverage-${name}` }],
    };
  };
  return [
    make('vpc', 'ALL', 'failing-delivery', true),
    make('vpc', 'ACCEPT', 'accept-only'),
    make('subnet', 'ALL', 'subnet-only'),
    make('eni', 'REJECT', 'interface-only'),
    make('vpc', 'REJECT', 'reject'),
  ];
}

/** What a region's network looks like, given its flow logs. */
export function deriveNetwork(seed: number, accountId: string, region: string, logs: readonly FlowLog[]): Network {
  const net: Network = { vpcs: [], subnets: [], interfaces: [] };
  const partition = partitionOf(region);
  const used = new Set<string>();
  const ids = (prefix: string, random: Random) => {
    for (;;) {
      const id = `${prefix}-${random.hex(17)}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  let vpcIndex = 0;
  const addVpc = (
    vpcId: string,
    opts: { owner?: string; isDefault?: boolean; name?: string | null; subnets: number; subnetIds?: string[] },
  ) => {
    const random = Random.fromKey(`${seed}|${accountId}|${region}|vpc|${vpcId}`);
    const k = vpcIndex++;
    const owner = opts.owner ?? accountId;
    const [a, b] = opts.isDefault ? [172, 31] : [10, (k >> 4) & 255];
    const base = opts.isDefault ? 0 : (k & 15) << 4;
    const tags: Tag[] = [];
    if (opts.name !== null) tags.push({ Key: 'Name', Value: opts.name ?? `${random.pick(ENVS)}-${random.pick(SYSTEMS)}-${k}` });
    if (!opts.isDefault) tags.push({ Key: 'env', Value: random.pick(ENVS) });
    net.vpcs.push({
      VpcId: vpcId,
      OwnerId: owner,
      IsDefault: !!opts.isDefault,
      State: 'available',
      InstanceTenancy: 'default',
      CidrBlock: opts.isDefault ? '172.31.0.0/16' : `${a}.${b}.${base}.0/20`,
      DhcpOptionsId: `dopt-${random.hex(17)}`,
      Tags: tags,
    });
    const subnetIds = [...(opts.subnetIds ?? [])];
    while (subnetIds.length < opts.subnets) subnetIds.push(ids('subnet', random));
    return subnetIds.map((subnetId, j) => {
      const az = `${region}${'abcdef'[j % 6]}`;
      const subnet: Subnet = {
        SubnetId: subnetId,
        VpcId: vpcId,
        OwnerId: owner,
        CidrBlock: opts.isDefault ? `172.31.${j * 16}.0/20` : `${a}.${b}.${base + j}.0/24`,
        AvailabilityZone: az,
        AvailabilityZoneId: `${region
          .split('-')
          .map((p) => p[0])
          .join('')}${region.replace(/\D/g, '')}-az${(j % 6) + 1}`,
        AvailableIpAddressCount: random.int(100, 251),
        DefaultForAz: !!opts.isDefault,
        MapPublicIpOnLaunch: !!opts.isDefault,
        State: 'available',
        SubnetArn: `arn:${partition}:ec2:${region}:${owner}:subnet/${subnetId}`,
        Tags: opts.isDefault ? [] : [{ Key: 'Name', Value: `${tags[0]?.Value ?? vpcId}-${az}` }],
      };
      net.subnets.push(subnet);
      return subnet;
    });
  };

  const byKind = (prefix: string) => [...new Set(logs.map((l) => l.ResourceId ?? '').filter((id) => id.startsWith(`${prefix}-`)))];
  for (const id of [...byKind('vpc'), ...byKind('subnet'), ...byKind('eni')]) used.add(id);
  const random = Random.fromKey(`${seed}|${accountId}|${region}|network`);

  // Every VPC a flow log names, with two subnets of its own.
  for (const vpcId of byKind('vpc')) addVpc(vpcId, { subnets: 2 });
  // Subnets with flow logs, two to a VPC with one more subnet that has none ("2 of 3 subnets").
  const flowSubnets = byKind('subnet');
  for (let i = 0; i < flowSubnets.length; i += 2) {
    const pair = flowSubnets.slice(i, i + 2);
    addVpc(ids('vpc', random), { subnets: pair.length + 1, subnetIds: pair });
  }
  // Interfaces with flow logs, each in the first subnet of a VPC of its own with two subnets.
  for (const eniId of byKind('eni')) {
    const [subnet] = addVpc(ids('vpc', random), { subnets: 2 });
    const r = Random.fromKey(`${seed}|${accountId}|${region}|eni|${eniId}`);
    net.interfaces.push({
      NetworkInterfaceId: eniId,
      SubnetId: subnet.SubnetId,
      VpcId: subnet.VpcId,
      OwnerId: accountId,
      AvailabilityZone: subnet.AvailabilityZone,
      PrivateIpAddress: subnet.CidrBlock.replace(/\.0\/24$/, `.${r.int(4, 250)}`),
      Status: 'in-use',
      InterfaceType: 'interface',
      Description: `Primary network interface`,
      Tags: [],
    });
  }
  // Resources no flow log points at.
  addVpc(ids('vpc', random), { isDefault: true, name: null, subnets: 3 });
  addVpc(ids('vpc', random), { name: 'legacy-no-flow-logs', subnets: 2 });
  addVpc(ids('vpc', random), { owner: sharingAccount(accountId), name: 'shared-network', subnets: 2 });
  net.owners = recordOwners(seed, accountId, region, logs, new Set(net.interfaces.map((e) => e.NetworkInterfaceId)));
  return net;
}
