// DescribeVpcs, DescribeSubnets and DescribeNetworkInterfaces in the EC2 Query protocol, over the
// network derived from a region's flow logs (network.ts). As on AWS:
// - Filter.N.Name / Filter.N.Value.M (values OR'd, filters AND'd, `*` `?` wildcards), tag:<key>,
//   tag-key; an unknown filter -> 400 InvalidParameterValue "The filter 'x' is invalid".
// - VpcId.N / SubnetId.N / NetworkInterfaceId.N: an ID that does not exist -> 400
//   InvalidVpcID.NotFound (InvalidSubnetID.NotFound, InvalidNetworkInterfaceID.NotFound).
// - MaxResults 5..1000 (else 400 InvalidParameterValue); absent: every match in one response.
//   DescribeNetworkInterfaces refuses MaxResults together with NetworkInterfaceId.N, as AWS does.
// - NextToken: signed, bound to the action, account, region, filters and data generation.
// - DryRun: 412 DryRunOperation; a denied region: 403 UnauthorizedOperation naming the action.
import { createHash } from 'node:crypto';
import type { Ec2Filter, Tag } from '../../../src/shared/types';
import { ApiError, invalidParameterValue } from '../errors';
import type { TokenCodec } from '../pagination';
import { wildcardToRegExp } from '../query';
import { EC2_NAMESPACE, escapeXml } from '../xml';
import type { Network, NetworkInterface, Subnet, Vpc } from './network';
import { INTERFACE_EXTRA_FILTERS, interfaceExtraXml, NAMES_ACTIONS, NAMES_SPECS, ownedInterfaces } from './namesApi';

export const NETWORK_ACTIONS = ['DescribeVpcs', 'DescribeSubnets', 'DescribeNetworkInterfaces', ...NAMES_ACTIONS] as const;
export type NetworkAction = (typeof NETWORK_ACTIONS)[number];

export interface NetworkParams {
  filters: Ec2Filter[];
  ids?: string[];
  maxResults?: number;
  nextToken?: string;
  dryRun: boolean;
}

export type Fields<T> = Record<string, (r: T) => (string | number | boolean | undefined)[]>;

export interface ActionSpec<T> {
  idParam: string;
  notFound: (id: string) => ApiError;
  list: (n: Network) => T[];
  id: (r: T) => string;
  tags: (r: T) => Tag[];
  filters: Fields<T>;
  setName: string;
  itemXml: (r: T) => string;
  /** AWS refuses MaxResults with an ID list for this action. */
  idsExcludeMaxResults?: boolean;
  /** The largest MaxResults (1000 unless the action documents less: DescribeNetworkAcls 100). */
  maxResultsMax?: number;
}

const el = (name: string, v: string | number | boolean | undefined) =>
  v === undefined ? '' : `<${name}>${escapeXml(String(v))}</${name}>`;
const tagSetXml = (tags: Tag[]) =>
  `<tagSet>${tags.map((t) => `<item>${el('key', t.Key)}${el('value', t.Value)}</item>`).join('')}</tagSet>`;
const notFound = (code: string, what: string) => (id: string) => new ApiError(400, code, `The ${what} ID '${id}' does not exist`);

const VPCS: ActionSpec<Vpc> = {
  idParam: 'VpcId',
  notFound: notFound('InvalidVpcID.NotFound', 'vpc'),
  list: (n) => n.vpcs,
  id: (v) => v.VpcId,
  tags: (v) => v.Tags,
  setName: 'vpcSet',
  filters: {
    'vpc-id': (v) => [v.VpcId],
    'owner-id': (v) => [v.OwnerId],
    'is-default': (v) => [v.IsDefault],
    state: (v) => [v.State],
    cidr: (v) => [v.CidrBlock],
    'cidr-block-association.cidr-block': (v) => [v.CidrBlock],
    'dhcp-options-id': (v) => [v.DhcpOptionsId],
  },
  itemXml: (v) =>
    `<item>${el('ownerId', v.OwnerId)}${el('instanceTenancy', v.InstanceTenancy)}<cidrBlockAssociationSet><item>${el('cidrBlock', v.CidrBlock)}${el('associationId', `vpc-cidr-assoc-${v.VpcId.slice(4)}`)}<cidrBlockState>${el('state', 'associated')}</cidrBlockState></item></cidrBlockAssociationSet>${el('isDefault', v.IsDefault)}${v.Tags.length ? tagSetXml(v.Tags) : ''}${el('vpcId', v.VpcId)}${el('state', v.State)}${el('cidrBlock', v.CidrBlock)}${el('dhcpOptionsId', v.DhcpOptionsId)}</item>`,
};

const SUBNETS: ActionSpec<Subnet> = {
  idParam: 'SubnetId',
  notFound: notFound('InvalidSubnetID.NotFound', 'subnet'),
  list: (n) => n.subnets,
  id: (s) => s.SubnetId,
  tags: (s) => s.Tags,
  setName: 'subnetSet',
  filters: {
    'subnet-id': (s) => [s.SubnetId],
    'vpc-id': (s) => [s.VpcId],
    'owner-id': (s) => [s.OwnerId],
    state: (s) => [s.State],
    'availability-zone': (s) => [s.AvailabilityZone],
    'availability-zone-id': (s) => [s.AvailabilityZoneId],
    'cidr-block': (s) => [s.CidrBlock],
    'default-for-az': (s) => [s.DefaultForAz],
    'map-public-ip-on-launch': (s) => [s.MapPublicIpOnLaunch],
    'subnet-arn': (s) => [s.SubnetArn],
    'available-ip-address-count': (s) => [s.AvailableIpAddressCount],
  },
  itemXml: (s) =>
    `<item>${el('availabilityZoneId', s.AvailabilityZoneId)}${el('ownerId', s.OwnerId)}${el('assignIpv6AddressOnCreation', false)}<ipv6CidrBlockAssociationSet/>${s.Tags.length ? tagSetXml(s.Tags) : ''}${el('subnetArn', s.SubnetArn)}${el('subnetId', s.SubnetId)}${el('state', s.State)}${el('vpcId', s.VpcId)}${el('cidrBlock', s.CidrBlock)}${el('availableIpAddressCount', s.AvailableIpAddressCount)}${el('availabilityZone', s.AvailabilityZone)}${el('defaultForAz', s.DefaultForAz)}${el('mapPublicIpOnLaunch', s.MapPublicIpOnLaunch)}</item>`,
};

const INTERFACES: ActionSpec<NetworkInterface> = {
  idParam: 'NetworkInterfaceId',
  notFound: notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface'),
  list: (n) => [...n.interfaces, ...(ownedInterfaces(n) as unknown as NetworkInterface[])],
  id: (e) => e.NetworkInterfaceId,
  tags: (e) => e.Tags,
  setName: 'networkInterfaceSet',
  idsExcludeMaxResults: true,
  filters: {
    'network-interface-id': (e) => [e.NetworkInterfaceId],
    'subnet-id': (e) => [e.SubnetId],
    'vpc-id': (e) => [e.VpcId],
    'owner-id': (e) => [e.OwnerId],
    status: (e) => [e.Status],
    'availability-zone': (e) => [e.AvailabilityZone],
    'interface-type': (e) => [e.InterfaceType],
    'private-ip-address': (e) => [e.PrivateIpAddress],
    'addresses.private-ip-address': (e) => [e.PrivateIpAddress],
    description: (e) => [e.Description],
    ...INTERFACE_EXTRA_FILTERS,
  },
  itemXml: (e) =>
    `<item>${el('networkInterfaceId', e.NetworkInterfaceId)}${el('subnetId', e.SubnetId)}${el('vpcId', e.VpcId)}${el('availabilityZone', e.AvailabilityZone)}${el('description', e.Description)}${el('ownerId', e.OwnerId)}${el('requesterManaged', (e as { RequesterManaged?: boolean }).RequesterManaged ?? false)}${el('status', e.Status)}${el('privateIpAddress', e.PrivateIpAddress)}${el('sourceDestCheck', true)}${el('interfaceType', e.InterfaceType)}${tagSetXml(e.Tags)}${interfaceExtraXml(e)}</item>`,
};

const SPECS: Record<NetworkAction, ActionSpec<never>> = {
  DescribeVpcs: VPCS as unknown as ActionSpec<never>,
  DescribeSubnets: SUBNETS as unknown as ActionSpec<never>,
  DescribeNetworkInterfaces: INTERFACES as unknown as ActionSpec<never>,
  ...NAMES_SPECS,
};

export function isNetworkAction(action: string): action is NetworkAction {
  return (NETWORK_ACTIONS as readonly string[]).includes(action);
}

/** Parses the form of a network Describe call; throws ApiError for bad input, as EC2 does. */
export function parseNetworkParams(action: NetworkAction, form: URLSearchParams): NetworkParams {
  const spec = SPECS[action];
  const filters = new Map<number, { name?: string; values: Map<number, string> }>();
  const ids = new Map<number, string>();
  const params: NetworkParams = { filters: [], dryRun: false };
  const idKey = new RegExp(`^${spec.idParam}\\.([1-9]\\d{0,5})$`);
  let m: RegExpExecArray | null;
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    if ((m = /^Filter\.([1-9]\d{0,3})\.Name$/.exec(key))) {
      filterAt(filters, m[1]).name = value;
    } else if ((m = /^Filter\.([1-9]\d{0,3})\.Value\.([1-9]\d{0,3})$/.exec(key))) {
      filterAt(filters, m[1]).values.set(Number(m[2]), value);
    } else if ((m = idKey.exec(key))) {
      ids.set(Number(m[1]), value);
    } else if (key === 'MaxResults') {
      if (!/^-?\d+$/.test(value)) throw invalidParameterValue(`Invalid value '${value}' for MaxResults: it must be an integer`);
      params.maxResults = Number(value);
    } else if (key === 'NextToken') {
      params.nextToken = value;
    } else if (key === 'DryRun') {
      if (value !== 'true' && value !== 'false') throw invalidParameterValue(`Invalid value '${value}' for DryRun: expected true or false`);
      params.dryRun = value === 'true';
    } else {
      throw new ApiError(400, 'UnknownParameter', `The parameter ${key} is not recognized`);
    }
  }
  for (const [index, f] of [...filters.entries()].sort((a, b) => a[0] - b[0])) {
    if (f.name === undefined) throw new ApiError(400, 'MissingParameter', `The request must contain the parameter Filter.${index}.Name`);
    if (f.values.size === 0) throw invalidParameterValue(`The filter '${f.name}' must have at least one value`);
    if (!(f.name in spec.filters) && !(f.name === 'tag-key' || (f.name.startsWith('tag:') && f.name.length > 4))) {
      throw invalidParameterValue(`The filter '${f.name}' is invalid`);
    }
    params.filters.push({ Name: f.name, Values: [...f.values.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v) });
  }
  if (ids.size > 0) params.ids = [...ids.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  const max = params.maxResults;
  const most = spec.maxResultsMax ?? 1000;
  if (max !== undefined && (max < 5 || max > most)) {
    throw invalidParameterValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and ${most}.`);
  }
  if (spec.idsExcludeMaxResults && max !== undefined && params.ids) {
    throw new ApiError(400, 'InvalidParameterCombination', `The parameter ${spec.idParam}s cannot be used with the parameter MaxResults`);
  }
  return params;
}

function filterAt(map: Map<number, { name?: string; values: Map<number, string> }>, index: string) {
  const n = Number(index);
  let f = map.get(n);
  if (!f) map.set(n, (f = { values: new Map() }));
  return f;
}

export interface NetworkScope {
  accountId: string;
  region: string;
  generation: number;
}

/** Answers one network Describe call: the XML body and how many items it holds. */
export function answerNetworkCall(
  action: NetworkAction,
  network: Network,
  params: NetworkParams,
  tokens: TokenCodec,
  scope: NetworkScope,
  requestId: string,
  faults: readonly string[] = [],
): { xml: string; items: number } {
  const spec = SPECS[action] as unknown as ActionSpec<unknown>;
  let all = spec.list(network);
  if (params.ids) {
    const byId = new Map(all.map((r) => [spec.id(r), r]));
    const missing = params.ids.find((id) => !byId.has(id));
    if (missing !== undefined) throw spec.notFound(missing);
    const wanted = new Set(params.ids);
    all = all.filter((r) => wanted.has(spec.id(r)));
  }
  const tests = params.filters.map((f) => {
    const patterns = f.Values.map(wildcardToRegExp);
    const any = (vals: (string | number | boolean | undefined)[]) =>
      vals.some((v) => v !== undefined && patterns.some((p) => p.test(String(v))));
    if (f.Name === 'tag-key') return (r: unknown) => any(spec.tags(r).map((t) => t.Key));
    if (f.Name.startsWith('tag:')) {
      const key = f.Name.slice(4);
      return (r: unknown) =>
        any(
          spec
            .tags(r)
            .filter((t) => t.Key === key)
            .map((t) => t.Value),
        );
    }
    const field = spec.filters[f.Name];
    return (r: unknown) => any(field(r));
  });
  const matches = all.filter((r) => tests.every((t) => t(r)));
  const queryHash = createHash('sha256')
    .update(
      JSON.stringify([
        action,
        params.filters.map((f) => [f.Name, [...f.Values].sort()]).sort(),
        params.ids ? [...params.ids].sort() : null,
      ]),
    )
    .digest('base64url')
    .slice(0, 22);
  const tokenScope = { accountId: scope.accountId, region: scope.region, queryHash, generation: scope.generation };
  const offset = params.nextToken === undefined ? 0 : tokens.verify(params.nextToken, tokenScope, matches.length);
  const end = params.maxResults === undefined ? matches.length : Math.min(offset + params.maxResults, matches.length);
  let page = matches.slice(offset, end);
  let nextToken = end < matches.length ? tokens.issue({ ...tokenScope, offset: end }) : undefined;
  // The pagination faults, as DescribeFlowLogs has them (test/emulator/faults.ts).
  for (const kind of faults) {
    if (kind === 'repeatToken') nextToken = params.nextToken ?? tokens.issue({ ...tokenScope, offset: end }, 0);
    else if (kind === 'duplicateItem' && offset > 0) page = [matches[offset - 1], ...page];
    else if (kind === 'emptyPageWithToken') {
      page = [];
      nextToken = tokens.issue({ ...tokenScope, offset });
    }
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}` +
    `<${spec.setName}>${page.map(spec.itemXml).join('')}</${spec.setName}>${el('nextToken', nextToken)}</${action}Response>`;
  return { xml, items: page.length };
}
