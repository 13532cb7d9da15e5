// DescribeInstances, DescribeSecurityGroupRules and DescribeNetworkAcls in the EC2 Query protocol,
// and the DescribeNetworkInterfaces fields and filters of the records' interface owners
// (owners.ts), as action specs for api.ts (same filters, IDs, paging, errors as the other
// network Describe calls). Element names as in AWS's EC2 API reference:
// - DescribeInstances: reservationSet > item > instancesSet > item (instanceState, tagSet);
//   InstanceId.N not with MaxResults; filters instance-id, vpc-id, subnet-id, tag:<key>.
// - DescribeSecurityGroupRules: securityGroupRuleSet > item (isEgress, ipProtocol, fromPort,
//   toPort, cidrIpv4 | cidrIpv6 | referencedGroupInfo); filters group-id, security-group-rule-id.
// - DescribeNetworkAcls: networkAclSet > item (default, entrySet, associationSet); MaxResults
//   5..100; filters network-acl-id, vpc-id, association.subnet-id, default, owner-id.
import type { Tag } from '../../../src/shared/types';
import { ApiError } from '../errors';
import { escapeXml } from '../xml';
import type { ActionSpec } from './api';
import type { Network } from './network';
import type { EmulatedAcl, EmulatedInstance, EmulatedSgRule, OwnedInterface } from './owners';

export const NAMES_ACTIONS = ['DescribeInstances', 'DescribeSecurityGroupRules', 'DescribeNetworkAcls'] as const;

const el = (name: string, v: string | number | boolean | undefined) =>
  v === undefined ? '' : `<${name}>${escapeXml(String(v))}</${name}>`;
const tagSetXml = (tags: Tag[]) =>
  `<tagSet>${tags.map((t) => `<item>${el('key', t.Key)}${el('value', t.Value)}</item>`).join('')}</tagSet>`;
const notFound = (code: string, what: string) => (id: string) => new ApiError(400, code, `The ${what} ID '${id}' does not exist`);

export function ownedInterfaces(n: Network): OwnedInterface[] {
  return n.owners?.interfaces ?? [];
}

type Iface = { NetworkInterfaceId: string } & Partial<OwnedInterface>;

/** Filters of DescribeNetworkInterfaces the resolver uses, over both kinds of interface. */
export const INTERFACE_EXTRA_FILTERS: Record<string, (e: Iface) => (string | undefined)[]> = {
  'association.public-ip': (e) => [e.PublicIp],
  'ipv6-addresses.ipv6-address': (e) => [e.Ipv6Address],
  'attachment.instance-id': (e) => [e.Attachment?.InstanceId],
  'group-id': (e) => (e.Groups ?? []).map((g) => g.GroupId),
  'requester-id': (e) => [e.RequesterId],
  'requester-managed': (e) => [e.RequesterManaged === undefined ? undefined : String(e.RequesterManaged)],
};

/** The owner fields of an interface (absent for the Coverage interfaces, which have none). */
export function interfaceExtraXml(e: Iface): string {
  if (!('Groups' in e)) return '<groupSet/>';
  const assoc = e.PublicIp ? `<association>${el('publicIp', e.PublicIp)}${el('ipOwnerId', 'amazon')}</association>` : '';
  const attach = e.Attachment
    ? `<attachment>${el('attachmentId', `eni-attach-${e.NetworkInterfaceId.slice(4)}`)}${el('instanceId', e.Attachment.InstanceId)}${el('instanceOwnerId', e.Attachment.InstanceOwnerId)}${el('deviceIndex', e.Attachment.DeviceIndex)}${el('status', 'attached')}</attachment>`
    : '';
  return (
    `${el('requesterId', e.RequesterId)}${assoc}${attach}` +
    `<groupSet>${(e.Groups ?? []).map((g) => `<item>${el('groupId', g.GroupId)}${el('groupName', g.GroupName)}</item>`).join('')}</groupSet>` +
    `<privateIpAddressesSet><item>${el('privateIpAddress', e.PrivateIpAddress)}${el('primary', true)}${assoc}</item></privateIpAddressesSet>` +
    `<ipv6AddressesSet>${e.Ipv6Address ? `<item>${el('ipv6Address', e.Ipv6Address)}</item>` : ''}</ipv6AddressesSet>`
  );
}

const INSTANCES: ActionSpec<EmulatedInstance> = {
  idParam: 'InstanceId',
  notFound: notFound('InvalidInstanceID.NotFound', 'instance'),
  list: (n) => n.owners?.instances ?? [],
  id: (i) => i.InstanceId,
  tags: (i) => i.Tags,
  setName: 'reservationSet',
  idsExcludeMaxResults: true,
  filters: {
    'instance-id': (i) => [i.InstanceId],
    'vpc-id': (i) => [i.VpcId],
    'subnet-id': (i) => [i.SubnetId],
    'instance-type': (i) => [i.InstanceType],
    'network-interface.network-interface-id': (i) => [i.NetworkInterfaceId],
    'private-ip-address': (i) => [i.PrivateIpAddress],
    'instance-state-name': () => ['running'],
  },
  itemXml: (i) =>
    `<item>${el('reservationId', `r-${i.InstanceId.slice(2)}`)}<groupSet/><instancesSet><item>${el('instanceId', i.InstanceId)}${el('instanceType', i.InstanceType)}<instanceState>${el('code', 16)}${el('name', 'running')}</instanceState>${el('privateIpAddress', i.PrivateIpAddress)}${el('subnetId', i.SubnetId)}${el('vpcId', i.VpcId)}${tagSetXml(i.Tags)}</item></instancesSet></item>`,
};

const SG_RULES: ActionSpec<EmulatedSgRule> = {
  idParam: 'SecurityGroupRuleId',
  notFound: notFound('InvalidSecurityGroupRuleId.NotFound', 'security group rule'),
  list: (n) => n.owners?.securityGroupRules ?? [],
  id: (r) => r.SecurityGroupRuleId,
  tags: () => [],
  setName: 'securityGroupRuleSet',
  filters: {
    'group-id': (r) => [r.GroupId],
    'security-group-rule-id': (r) => [r.SecurityGroupRuleId],
  },
  itemXml: (r) =>
    `<item>${el('securityGroupRuleId', r.SecurityGroupRuleId)}${el('groupId', r.GroupId)}${el('groupOwnerId', r.GroupOwnerId)}${el('isEgress', r.IsEgress)}${el('ipProtocol', r.IpProtocol)}${el('fromPort', r.FromPort)}${el('toPort', r.ToPort)}${el('cidrIpv4', r.CidrIpv4)}${el('cidrIpv6', r.CidrIpv6)}${r.ReferencedGroupId ? `<referencedGroupInfo>${el('groupId', r.ReferencedGroupId)}${el('userId', r.GroupOwnerId)}</referencedGroupInfo>` : ''}${el('description', r.Description)}<tagSet/></item>`,
};

const ACLS: ActionSpec<EmulatedAcl> = {
  idParam: 'NetworkAclId',
  notFound: notFound('InvalidNetworkAclID.NotFound', 'network ACL'),
  list: (n) => n.owners?.networkAcls ?? [],
  id: (a) => a.NetworkAclId,
  tags: (a) => a.Tags,
  setName: 'networkAclSet',
  maxResultsMax: 100,
  filters: {
    'network-acl-id': (a) => [a.NetworkAclId],
    'vpc-id': (a) => [a.VpcId],
    'owner-id': (a) => [a.OwnerId],
    default: (a) => [a.IsDefault],
    'association.subnet-id': (a) => a.Associations.map((x) => x.SubnetId),
    'association.network-acl-id': (a) => a.Associations.map((x) => x.NetworkAclId),
    'entry.rule-number': (a) => a.Entries.map((e) => e.RuleNumber),
  },
  itemXml: (a) =>
    `<item>${el('networkAclId', a.NetworkAclId)}${el('vpcId', a.VpcId)}${el('default', a.IsDefault)}<entrySet>${a.Entries.map(
      (e) =>
        `<item>${el('ruleNumber', e.RuleNumber)}${el('protocol', e.Protocol)}${el('ruleAction', e.RuleAction)}${el('egress', e.Egress)}${el('cidrBlock', e.CidrBlock)}${el('ipv6CidrBlock', e.Ipv6CidrBlock)}${e.PortRange ? `<portRange>${el('from', e.PortRange.From)}${el('to', e.PortRange.To)}</portRange>` : ''}</item>`,
    ).join('')}</entrySet><associationSet>${a.Associations.map(
      (x) =>
        `<item>${el('networkAclAssociationId', x.NetworkAclAssociationId)}${el('networkAclId', x.NetworkAclId)}${el('subnetId', x.SubnetId)}</item>`,
    ).join('')}</associationSet>${tagSetXml(a.Tags)}${el('ownerId', a.OwnerId)}</item>`,
};

export const NAMES_SPECS = {
  DescribeInstances: INSTANCES as unknown as ActionSpec<never>,
  DescribeSecurityGroupRules: SG_RULES as unknown as ActionSpec<never>,
  DescribeNetworkAcls: ACLS as unknown as ActionSpec<never>,
};
