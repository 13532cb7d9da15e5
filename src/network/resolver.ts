// Address names and Explain this record on the main thread (issue 27): batched Describe calls made
// through the AWS workers (the operations findInterfacesPage, describeInstancesPage,
// describeVpcsPage, describeSubnetsPage, describeSecurityGroupRulesPage, describeNetworkAclsPage),
// cached per (profile, region) with a time to live, bounded in count. Pure: it is handed the
// function that calls the workers, as the records and Insights sources are.
import type { FindInterfacesArgs, InterfaceFilterName, Operations } from '../shared/awsWorkerProtocol';
import { MAX_FILTER_VALUES } from '../shared/awsWorkerProtocol';
import type { FlowLogsError } from '../shared/errors';
import type { Instance, NetworkAcl, NetworkInterface, PageOrError, SecurityGroupRule, Subnet, Vpc } from '../shared/networkTypes';
import { regionalConsoleBase } from '../aws/arn';
import { regionKey } from '../shared/regions';
import { parseAddress, parseCidr, cidrContains, formatIpv6 } from '../shared/ipAddresses';
import { explainFlow, type Explanation, type RecordFlow } from './evaluate';
import { classifyInterface, classifyRange, type AddressName } from './owners';

type NetworkOp =
  | 'findInterfacesPage'
  | 'describeInstancesPage'
  | 'describeVpcsPage'
  | 'describeSubnetsPage'
  | 'describeSecurityGroupRulesPage'
  | 'describeNetworkAclsPage';

/** What the resolver needs of the AWS worker pool (RemoteAws fits). */
export interface NetworkCaller {
  call<K extends NetworkOp>(
    op: K,
    profileName: string,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']>;
}

export interface ResolverOptions {
  /** How long a name stays (ms). Default 10 minutes. */
  ttlMs?: number;
  /** Names kept per (profile, region); the least recently used go first. Default 20,000. */
  maxEntries?: number;
  /** Addresses named per call; more are left unnamed (truncated). Default 2,000. */
  maxAddresses?: number;
  /** Requests per call. Default 40. */
  maxRequests?: number;
  /** MaxResults of each page (5..1000). Default 1000. */
  pageSize?: number;
  now?: () => number;
}

export interface ResolveResult {
  names: Map<string, AddressName>;
  /** Requests this call made (0 when every name came from the cache). */
  requests: number;
  errors: FlowLogsError[];
  /** Addresses left unnamed: more than maxAddresses, or the request budget ran out. */
  unnamed: number;
}

/** The parts of a record Explain reads: the RecordFlow plus the interface it was captured at. */
export interface RecordRef extends RecordFlow {
  interfaceId: string;
  pktSrcAwsService?: string;
  pktDstAwsService?: string;
}

export interface ExplainResult {
  explanation?: Explanation;
  /** The interface the record was captured at. */
  local?: AddressName;
  src?: AddressName;
  dst?: AddressName;
  securityGroupRules: SecurityGroupRule[];
  networkAcl?: NetworkAcl;
  subnet?: Subnet;
  errors: FlowLogsError[];
  requests: number;
  /** Why there is no explanation, when there is none. */
  problem?: string;
}

interface Timed<T> {
  value: T;
  at: number;
}

class RegionCache {
  readonly names = new Map<string, Timed<AddressName>>();
  readonly instances = new Map<string, Timed<Instance | null>>();
  vpcs?: Timed<Vpc[]>;
  subnets?: Timed<Subnet[]>;
}

/** The filter that finds an interface by this address: private IPv4, public IPv4, IPv6 or an ENI ID. */
export function filterFor(address: string): { name: InterfaceFilterName; value: string } | undefined {
  if (/^eni-[0-9a-f]{8,17}$/.test(address)) return { name: 'network-interface-id', value: address };
  const a = parseAddress(address);
  if (!a) return undefined;
  if (a.v6) return { name: 'ipv6-addresses.ipv6-address', value: formatIpv6(a.n) };
  return {
    name: PRIVATE_V4.some((c) => cidrContains(c, address)) ? 'addresses.private-ip-address' : 'association.public-ip',
    value: address,
  };
}
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseCidr(c)!);

export class AddressResolver {
  private readonly regions = new Map<string, RegionCache>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxAddresses: number;
  private readonly maxRequests: number;
  private readonly pageSize: number;
  private readonly now: () => number;
  /** Every request made, for the benchmark and the tests. */
  requests = 0;

  constructor(
    private readonly aws: NetworkCaller,
    opts: ResolverOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 600_000;
    this.maxEntries = opts.maxEntries ?? 20_000;
    this.maxAddresses = opts.maxAddresses ?? 2_000;
    this.maxRequests = opts.maxRequests ?? 40;
    this.pageSize = Math.min(1000, Math.max(5, opts.pageSize ?? 1000));
    this.now = opts.now ?? Date.now;
  }

  /** Forgets every name (of one profile, or all): Refresh. */
  clear(profileName?: string): void {
    if (profileName === undefined) this.regions.clear();
    else for (const key of [...this.regions.keys()]) if (key.startsWith(`${profileName}\u0000`)) this.regions.delete(key);
  }

  private region(profile: string, region: string): RegionCache {
    const key = regionKey(profile, region);
    let r = this.regions.get(key);
    if (!r) this.regions.set(key, (r = new RegionCache()));
    return r;
  }

  private fresh<T>(t: Timed<T> | undefined): t is Timed<T> {
    return !!t && this.now() - t.at < this.ttlMs;
  }

  /** Pages one Describe call until done or the budget is spent. */
  private async pages<T, K extends NetworkOp>(
    op: K,
    profile: string,
    region: string,
    args: Omit<Operations[K]['args'], 'pageSize' | 'nextToken'>,
    budget: { left: number },
    errors: FlowLogsError[],
    signal?: AbortSignal,
  ): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    let nextToken: string | undefined;
    const seen = new Set<string>();
    do {
      if (budget.left <= 0 || signal?.aborted) return { items, complete: false };
      budget.left--;
      this.requests++;
      const page = (await this.aws.call(
        op,
        profile,
        region,
        { ...args, pageSize: this.pageSize, nextToken } as never,
        signal,
      )) as PageOrError<T>;
      if (page.error) {
        errors.push(page.error);
        return { items, complete: false };
      }
      items.push(...page.items);
      nextToken = page.nextToken;
      if (nextToken && seen.has(nextToken)) return { items, complete: false }; // a repeated token: stop, not loop
      if (nextToken) seen.add(nextToken);
    } while (nextToken);
    return { items, complete: true };
  }

  private async vpcs(
    profile: string,
    region: string,
    cache: RegionCache,
    budget: { left: number },
    errors: FlowLogsError[],
    signal?: AbortSignal,
  ) {
    if (this.fresh(cache.vpcs)) return cache.vpcs.value;
    const { items, complete } = await this.pages<Vpc, 'describeVpcsPage'>('describeVpcsPage', profile, region, {}, budget, errors, signal);
    if (complete) cache.vpcs = { value: items, at: this.now() };
    return items;
  }

  private remember(cache: RegionCache, name: AddressName): void {
    cache.names.delete(name.address);
    cache.names.set(name.address, { value: name, at: this.now() });
    while (cache.names.size > this.maxEntries) cache.names.delete(cache.names.keys().next().value!);
  }

  /**
   * Names the addresses (and eni- IDs) the user sees. `services` gives the AWS service a record
   * named for an address (pkt-src-aws-service / pkt-dst-aws-service).
   */
  async resolveAddresses(
    profile: string,
    region: string,
    addresses: readonly string[],
    opts: { signal?: AbortSignal; services?: ReadonlyMap<string, string> } = {},
  ): Promise<ResolveResult> {
    const cache = this.region(profile, region);
    const names = new Map<string, AddressName>();
    const errors: FlowLogsError[] = [];
    const before = this.requests;
    const budget = { left: this.maxRequests };
    // The cache first (a name there was valid when it was made); only the rest are parsed.
    const wanted = [...new Set(addresses)].filter((a) => typeof a === 'string');
    let unnamed = Math.max(0, wanted.length - this.maxAddresses);
    const missing: string[] = [];
    const now = this.now();
    for (const a of wanted.slice(0, this.maxAddresses)) {
      const hit = cache.names.get(a);
      if (hit && now - hit.at < this.ttlMs) {
        names.set(a, hit.value);
        cache.names.delete(a);
        cache.names.set(a, hit); // most recently used
      } else if (filterFor(a)) missing.push(a);
    }
    if (missing.length === 0) return { names, requests: 0, errors, unnamed };

    // One filter per request (filters are AND'd), at most MAX_FILTER_VALUES values each.
    const groups = new Map<InterfaceFilterName, Map<string, string>>();
    for (const a of missing) {
      const f = filterFor(a)!;
      if (!groups.has(f.name)) groups.set(f.name, new Map());
      groups.get(f.name)!.set(f.value, a);
    }
    const found = new Map<string, NetworkInterface>();
    const failed = new Set<string>();
    for (const [filterName, byValue] of groups) {
      const values = [...byValue.keys()];
      for (let i = 0; i < values.length; i += MAX_FILTER_VALUES) {
        const chunk = values.slice(i, i + MAX_FILTER_VALUES);
        const args: Omit<FindInterfacesArgs, 'pageSize' | 'nextToken'> = { filterName, values: chunk };
        const { items, complete } = await this.pages<NetworkInterface, 'findInterfacesPage'>(
          'findInterfacesPage',
          profile,
          region,
          args,
          budget,
          errors,
          opts.signal,
        );
        for (const eni of items) {
          const own = new Set([
            eni.NetworkInterfaceId ?? '',
            ...[
              eni.PrivateIpAddress,
              ...(eni.PrivateIpAddresses ?? []).flatMap((p) => [p.PrivateIpAddress, p.Association?.PublicIp]),
            ].filter((x): x is string => !!x),
            eni.Association?.PublicIp ?? '',
            ...(eni.Ipv6Addresses ?? []).map((x) => {
              const p = parseAddress(x.Ipv6Address ?? '');
              return p?.v6 ? formatIpv6(p.n) : '';
            }),
          ]);
          for (const v of chunk) if (own.has(v)) found.set(byValue.get(v)!, eni);
        }
        if (!complete) for (const v of chunk) if (!found.has(byValue.get(v)!)) failed.add(byValue.get(v)!);
      }
    }
    // Name tags of the attached instances.
    const instanceIds = [...new Set([...found.values()].map((e) => e.Attachment?.InstanceId).filter((x): x is string => !!x))];
    const needed = instanceIds.filter((id) => !this.fresh(cache.instances.get(id)));
    for (let i = 0; i < needed.length; i += MAX_FILTER_VALUES) {
      const chunk = needed.slice(i, i + MAX_FILTER_VALUES);
      const { items, complete } = await this.pages<Instance, 'describeInstancesPage'>(
        'describeInstancesPage',
        profile,
        region,
        { instanceIds: chunk },
        budget,
        errors,
        opts.signal,
      );
      for (const inst of items) if (inst.InstanceId) cache.instances.set(inst.InstanceId, { value: inst, at: this.now() });
      if (complete) for (const id of chunk) if (!cache.instances.has(id)) cache.instances.set(id, { value: null, at: this.now() });
    }
    const instances = new Map<string, Instance>();
    for (const id of instanceIds) {
      const inst = cache.instances.get(id)?.value;
      if (inst) instances.set(id, inst);
    }
    const needsRange = missing.some((a) => !found.has(a) && !a.startsWith('eni-'));
    const vpcs = needsRange ? await this.vpcs(profile, region, cache, budget, errors, opts.signal) : [];
    for (const a of missing) {
      const eni = found.get(a);
      const name = eni
        ? classifyInterface(a, eni, instances)
        : a.startsWith('eni-')
          ? { address: a, kind: 'other-interface' as const, label: `${a} (not found)`, interfaceId: a }
          : classifyRange(a, vpcs, opts.services?.get(a));
      names.set(a, name);
      if (!failed.has(a)) this.remember(cache, name);
      else unnamed++;
    }
    return { names, requests: this.requests - before, errors, unnamed };
  }

  /** Evaluates the record's interface's security groups and subnet network ACL, and names both ends. */
  async explainRecord(profile: string, region: string, record: RecordRef, signal?: AbortSignal): Promise<ExplainResult> {
    const before = this.requests;
    const errors: FlowLogsError[] = [];
    const out = (r: Partial<ExplainResult>): ExplainResult => ({ securityGroupRules: [], errors, requests: this.requests - before, ...r });
    const budget = { left: this.maxRequests };
    const services = new Map<string, string>();
    if (record.pktSrcAwsService && record.pktSrcAwsService !== '-') services.set(record.srcaddr, record.pktSrcAwsService);
    if (record.pktDstAwsService && record.pktDstAwsService !== '-') services.set(record.dstaddr, record.pktDstAwsService);
    const named = await this.resolveAddresses(profile, region, [record.interfaceId, record.srcaddr, record.dstaddr], { signal, services });
    errors.push(...named.errors);
    const local = named.names.get(record.interfaceId);
    const src = named.names.get(record.srcaddr);
    const dst = named.names.get(record.dstaddr);
    if (!local || !local.subnetId) {
      return out({
        local,
        src,
        dst,
        problem: errors.length
          ? `The interface ${record.interfaceId} could not be read: ${errors[0].message}`
          : `The interface ${record.interfaceId} was not found in ${region} (deleted, or in another account).`,
      });
    }
    const groupIds = (local.groups ?? []).map((g) => g.GroupId).filter((x): x is string => !!x);
    const rules = groupIds.length
      ? await this.pages<SecurityGroupRule, 'describeSecurityGroupRulesPage'>(
          'describeSecurityGroupRulesPage',
          profile,
          region,
          { groupIds },
          budget,
          errors,
          signal,
        )
      : { items: [], complete: true };
    const acls = await this.pages<NetworkAcl, 'describeNetworkAclsPage'>(
      'describeNetworkAclsPage',
      profile,
      region,
      { subnetIds: [local.subnetId] },
      budget,
      errors,
      signal,
    );
    const cache = this.region(profile, region);
    if (!this.fresh(cache.subnets)) {
      const s = await this.pages<Subnet, 'describeSubnetsPage'>('describeSubnetsPage', profile, region, {}, budget, errors, signal);
      if (s.complete) cache.subnets = { value: s.items, at: this.now() };
    }
    const subnet = cache.subnets?.value.find((s) => s.SubnetId === local.subnetId);
    const networkAcl = acls.items.find((a) => a.Associations?.some((x) => x.SubnetId === local.subnetId)) ?? acls.items[0];
    const peer = [src, dst].find((n) => n && n.interfaceId !== local.interfaceId);
    // A rule naming a security group admits the private addresses of that group's interfaces: a
    // peer that is no interface of this account (public, an AWS service, a range) is in none.
    const peerGroupIds = !peer
      ? undefined
      : peer.interfaceId
        ? (peer.groups ?? []).map((g) => g.GroupId).filter((x): x is string => !!x)
        : peer.kind === 'public' || peer.kind === 'aws-service'
          ? []
          : undefined;
    if (!rules.complete || !acls.complete) {
      return out({
        local,
        src,
        dst,
        securityGroupRules: rules.items,
        networkAcl,
        subnet,
        problem: `The rules could not be read in full: ${errors[0]?.message ?? 'request budget spent'}`,
      });
    }
    const explanation = explainFlow(record, {
      interfaceId: local.interfaceId,
      addresses: local.interfaceAddresses ?? [],
      groupIds,
      securityGroupRules: rules.items,
      networkAcl,
      subnetCidrs: subnet?.CidrBlock ? [subnet.CidrBlock] : undefined,
      peerGroupIds,
    });
    return out({ explanation, local, src, dst, securityGroupRules: rules.items, networkAcl, subnet });
  }
}

/** The console page of a named resource (instance, interface, security group, network ACL). */
export function networkConsoleUrl(region: string, id: string | undefined): string | undefined {
  const base = regionalConsoleBase(region);
  if (!base || !id) return undefined;
  const q = `region=${region}`;
  if (/^i-[0-9a-f]{8,17}$/.test(id)) return `${base}/ec2/home?${q}#InstanceDetails:instanceId=${id}`;
  if (/^eni-[0-9a-f]{8,17}$/.test(id)) return `${base}/ec2/home?${q}#NetworkInterface:networkInterfaceId=${id}`;
  if (/^sg-[0-9a-f]{8,17}$/.test(id)) return `${base}/ec2/home?${q}#SecurityGroup:groupId=${id}`;
  if (/^acl-[0-9a-f]{8,17}$/.test(id)) return `${base}/vpcconsole/home?${q}#NetworkAclDetails:networkAclId=${id}`;
  if (/^nat-[0-9a-f]{8,17}$/.test(id)) return `${base}/vpcconsole/home?${q}#NatGatewayDetails:natGatewayId=${id}`;
  if (/^vpce-[0-9a-f]{8,17}$/.test(id)) return `${base}/vpcconsole/home?${q}#EndpointDetails:vpcEndpointId=${id}`;
  return undefined;
}
