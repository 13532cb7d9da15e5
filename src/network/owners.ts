// Who an address is (issue 27): the owner of a network interface, classified from what
// DescribeNetworkInterfaces says of it (InterfaceType, Description, RequesterId, the attachment),
// and, for an address no interface holds, what range it is in. Pure.
import type { Instance, NetworkInterface, Vpc } from '../shared/networkTypes';
import { cidrContains, parseCidr } from '../shared/ipAddresses';

export type OwnerKind =
  | 'instance'
  | 'load-balancer'
  | 'nat-gateway'
  | 'vpc-endpoint'
  | 'lambda'
  | 'rds'
  | 'ecs-task'
  | 'transit-gateway'
  | 'other-interface'
  /** Not an interface of the account: in one of the region's VPC CIDRs. */
  | 'vpc'
  /** RFC 1918 / RFC 4193 / shared address space, outside the known VPCs. */
  | 'private'
  /** An AWS service range (from pkt-src-aws-service / pkt-dst-aws-service). */
  | 'aws-service'
  | 'public';

export interface AddressName {
  address: string;
  kind: OwnerKind;
  /** One short label: "web-1 (i-0abc…)", "ALB my-alb", "NAT gateway nat-…", "AWS S3", "public". */
  label: string;
  interfaceId?: string;
  instanceId?: string;
  /** The resource's own ID or name where it has one (nat-…, vpce-…, the load balancer's name, the function). */
  resource?: string;
  vpcId?: string;
  subnetId?: string;
  groups?: { GroupId?: string; GroupName?: string }[];
  description?: string;
  /** Every address of the interface (private, public, IPv6): the evaluator tells direction with them. */
  interfaceAddresses?: string[];
}

const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

/** Every address of an interface. */
export function addressesOf(eni: NetworkInterface): string[] {
  const out = new Set<string>();
  if (eni.PrivateIpAddress) out.add(eni.PrivateIpAddress);
  for (const p of eni.PrivateIpAddresses ?? []) {
    if (p.PrivateIpAddress) out.add(p.PrivateIpAddress);
    if (p.Association?.PublicIp) out.add(p.Association.PublicIp);
  }
  if (eni.Association?.PublicIp) out.add(eni.Association.PublicIp);
  for (const a of eni.Ipv6Addresses ?? []) if (a.Ipv6Address) out.add(a.Ipv6Address.toLowerCase());
  return [...out];
}

/** The owner of an interface; `instances` gives the Name tag of an attached instance. */
export function classifyInterface(address: string, eni: NetworkInterface, instances?: ReadonlyMap<string, Instance>): AddressName {
  const d = eni.Description ?? '';
  const type = eni.InterfaceType ?? 'interface';
  const base = {
    address,
    interfaceId: eni.NetworkInterfaceId,
    vpcId: eni.VpcId,
    subnetId: eni.SubnetId,
    groups: eni.Groups,
    description: d || undefined,
    interfaceAddresses: addressesOf(eni),
  };
  const instanceId = eni.Attachment?.InstanceId;
  if (instanceId) {
    const name = tag(instances?.get(instanceId)?.Tags, 'Name');
    return { ...base, kind: 'instance', instanceId, resource: name ?? instanceId, label: name ? `${name} (${instanceId})` : instanceId };
  }
  let m: RegExpExecArray | null;
  if (type === 'nat_gateway' || (m = /^Interface for NAT Gateway (nat-[0-9a-f]+)/.exec(d))) {
    const id = /nat-[0-9a-f]+/.exec(d)?.[0];
    return { ...base, kind: 'nat-gateway', resource: id, label: `NAT gateway ${id ?? ''}`.trim() };
  }
  if (type === 'vpc_endpoint' || /^VPC Endpoint Interface/.test(d)) {
    const id = /vpce-[0-9a-f]+/.exec(d)?.[0];
    return { ...base, kind: 'vpc-endpoint', resource: id, label: `VPC endpoint ${id ?? ''}`.trim() };
  }
  if (type === 'lambda' || /^AWS Lambda VPC ENI/.test(d)) {
    // "AWS Lambda VPC ENI-<function name>-<uuid>"
    const fn = /^AWS Lambda VPC ENI-(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(d)?.[1];
    return { ...base, kind: 'lambda', resource: fn, label: fn ? `Lambda ${fn}` : 'Lambda function' };
  }
  if (type === 'transit_gateway' || /Transit Gateway Attachment/.test(d)) {
    const id = /tgw-attach-[0-9a-f]+/.exec(d)?.[0];
    return { ...base, kind: 'transit-gateway', resource: id, label: `Transit gateway attachment ${id ?? ''}`.trim() };
  }
  if ((m = /^ELB (app|net|gwy)\/([^/]+)\//.exec(d))) {
    const kind = m[1] === 'app' ? 'ALB' : m[1] === 'net' ? 'NLB' : 'GWLB';
    return { ...base, kind: 'load-balancer', resource: m[2], label: `${kind} ${m[2]}` };
  }
  if ((m = /^ELB ([^/\s]+)$/.exec(d))) return { ...base, kind: 'load-balancer', resource: m[1], label: `Classic ELB ${m[1]}` };
  if (/^RDSNetworkInterface/.test(d) || eni.RequesterId === 'amazon-rds') return { ...base, kind: 'rds', label: 'RDS database' };
  if ((m = /^arn:aws[\w-]*:ecs:[^:]+:\d{12}:attachment\/(.+)$/.exec(d)) || type === 'ecs') {
    return { ...base, kind: 'ecs-task', label: 'ECS task' };
  }
  return { ...base, kind: 'other-interface', label: d ? d.slice(0, 60) : `${type} ${eni.NetworkInterfaceId ?? ''}`.trim() };
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10'].map((c) => parseCidr(c)!);

/** An address no interface of the account holds: a VPC's range, a private range, an AWS service, or public. */
export function classifyRange(address: string, vpcs: readonly Vpc[], awsService?: string): AddressName {
  if (awsService && awsService !== '-') return { address, kind: 'aws-service', label: `AWS ${awsService}`, resource: awsService };
  for (const v of vpcs) {
    const c = v.CidrBlock ? parseCidr(v.CidrBlock) : undefined;
    if (c && cidrContains(c, address)) {
      const name = tag(v.Tags, 'Name');
      return { address, kind: 'vpc', vpcId: v.VpcId, label: `in ${name ? `${name} (${v.VpcId})` : v.VpcId}` };
    }
  }
  if (PRIVATE.some((c) => cidrContains(c, address))) return { address, kind: 'private', label: 'private range' };
  return { address, kind: 'public', label: 'public' };
}
