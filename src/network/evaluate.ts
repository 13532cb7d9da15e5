// Why was a flow log record accepted or rejected: the interface's security groups and its subnet's
// network ACL, evaluated against the record (issue 27, "Explain this record"). Pure: the rules come
// in as DescribeSecurityGroupRules / DescribeNetworkAcls shapes, the verdict goes out as a value.
//
// What AWS documents and this follows (docs.aws.amazon.com/vpc/latest/userguide/):
// - Security groups are stateful: responses to allowed traffic are allowed whatever the rules of
//   the other direction say; a group has allow rules only, and the rules of all the interface's
//   groups are aggregated (any matching rule allows). (flow-logs-records-examples.html,
//   security-group-rules.html)
// - Network ACLs are stateless: a response is evaluated against the rules of its own direction
//   (the ephemeral ports of the client). Rules are evaluated from the lowest number; the first match
//   decides; the `*` rule (number 32767) denies whatever matches no other rule. IPv4 and IPv6 rules
//   are evaluated separately. A network ACL applies to traffic entering or leaving the subnet, not
//   to traffic within it. (nacl-rules.html, custom-network-acl.html, vpc-network-acls.html)
// - A network ACL rule's port range is the destination port of the packet, in both directions.
import type { NetworkAcl, NetworkAclEntry, SecurityGroupRule } from '../shared/networkTypes';
import { cidrContains, parseAddress, parseCidr } from '../shared/ipAddresses';

/** The parts of a record the evaluation reads. Ports and protocol as numbers (ICMP ports are 0). */
export interface RecordFlow {
  srcaddr: string;
  dstaddr: string;
  srcport?: number;
  dstport?: number;
  protocol: number;
  action?: string;
  /** The record's flow-direction (v5), when the format has it. */
  flowDirection?: string;
  /** The record's reject-reason (v8): BPA is VPC Block Public Access, not a SG or NACL. */
  rejectReason?: string;
  /** The record's tcp-flags (v3): SYN alone (2) opens a connection. */
  tcpFlags?: number;
}

/**
 * Whether a packet opens a connection or answers one, as far as the record tells: a TCP SYN
 * without ACK opens one; otherwise the side on a well-known (< 1024) or lower port is the server.
 * ICMP and other protocols: either.
 */
export function packetRole(flow: RecordFlow): 'request' | 'response' | 'either' {
  if (flow.protocol === 6 && flow.tcpFlags !== undefined && (flow.tcpFlags & 0x12) === 0x02) return 'request';
  if (!hasPorts(flow.protocol) || flow.srcport === undefined || flow.dstport === undefined) return 'either';
  const s = flow.srcport;
  const d = flow.dstport;
  if (d < 1024 && s >= 1024) return 'request';
  if (s < 1024 && d >= 1024) return 'response';
  return d < s ? 'request' : s < d ? 'response' : 'either';
}

/** The interface the record was captured at, and the rules that apply to it. */
export interface InterfaceRules {
  interfaceId?: string;
  /** The interface's own addresses (private, public, IPv6): they tell the record's direction. */
  addresses: string[];
  /** The interface's security groups (an interface with none, such as a NAT gateway's, has no SG check). */
  groupIds: string[];
  /** Every rule of those groups, both directions. */
  securityGroupRules: SecurityGroupRule[];
  /** The network ACL associated with the interface's subnet; absent when unknown. */
  networkAcl?: NetworkAcl;
  /** The subnet's CIDR blocks: traffic within the subnet does not cross its network ACL. */
  subnetCidrs?: string[];
  /** The security groups of the peer address when it is a known interface (for rules referencing a group). */
  peerGroupIds?: string[];
  /** The CIDRs of managed prefix lists, when known. */
  prefixLists?: Record<string, string[]>;
}

export type Direction = 'inbound' | 'outbound';
export type Verdict = 'allow' | 'deny' | 'unknown' | 'not-applied';

export interface SecurityGroupCheck {
  verdict: Verdict;
  /** 'request': a rule of the packet's direction matched; 'response': allowed as the return traffic of a connection a rule of the other direction allows (stateful). */
  as?: 'request' | 'response';
  /** The rules that allow it (all of them: security groups aggregate their rules). */
  rules: SecurityGroupRule[];
  /** Rules that might match, but whose peer (a referenced group, a prefix list) is not known. */
  undecided: SecurityGroupRule[];
  text: string;
}

export interface NetworkAclCheck {
  verdict: Verdict;
  /** The entry that decided (first match in rule-number order). */
  entry?: NetworkAclEntry;
  /** The entries of this direction, in evaluation order. */
  evaluated: NetworkAclEntry[];
  text: string;
}

export interface Explanation {
  direction?: Direction;
  /** The address on the far side of the interface. */
  peer?: string;
  verdict: Exclude<Verdict, 'not-applied'>;
  /** What denied it (an inbound packet meets the NACL first, an outbound one the security group first). */
  deniedBy?: 'network-acl' | 'security-group';
  securityGroups: SecurityGroupCheck;
  networkAcl: NetworkAclCheck;
  /** Whether the verdict agrees with the record's action (undefined: no action, or no verdict). */
  agreesWithRecord?: boolean;
  summary: string;
  notes: string[];
}

const PROTOCOL_NAMES: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
const DEFAULT_RULE = 32767;
/** The `*` rules: 32767 (IPv4) and 32768 (IPv6) in DescribeNetworkAcls. */
const isDefaultRule = (n: number | undefined) => n !== undefined && n >= DEFAULT_RULE;

export function protocolName(n: number): string {
  return n === 6 ? 'TCP' : n === 17 ? 'UDP' : n === 1 ? 'ICMP' : n === 58 ? 'ICMPv6' : `protocol ${n}`;
}

function ruleProtocol(p: string | undefined): number | 'all' | undefined {
  if (p === undefined) return undefined;
  const t = p.toLowerCase();
  if (t === '-1' || t === 'all') return 'all';
  if (t in PROTOCOL_NAMES) return PROTOCOL_NAMES[t];
  return /^\d{1,3}$/.test(t) ? Number(t) : undefined;
}

const hasPorts = (protocol: number) => protocol === 6 || protocol === 17;

function inRange(port: number | undefined, from: number | undefined, to: number | undefined): boolean {
  if (from === undefined || from === -1) return true;
  if (port === undefined) return false;
  return port >= from && port <= (to === undefined || to === -1 ? from : to);
}

type Match = 'yes' | 'no' | 'maybe';

/** Whether a security group rule matches a packet to/from `peer` on `port` (the service port). */
function sgRuleMatches(rule: SecurityGroupRule, protocol: number, peer: string, port: number | undefined, ctx: InterfaceRules): Match {
  const p = ruleProtocol(rule.IpProtocol);
  if (p === undefined || (p !== 'all' && p !== protocol)) return 'no';
  // tcp/udp rules have a port range; ICMP rules a type and code the record does not carry (it
  // logs ICMP with ports 0), so an ICMP rule matches on the protocol; other protocols: all ports.
  if (p !== 'all' && hasPorts(protocol) && !inRange(port, rule.FromPort, rule.ToPort)) return 'no';
  const family = parseAddress(peer);
  if (!family) return 'no';
  if (rule.CidrIpv4 !== undefined || rule.CidrIpv6 !== undefined) {
    const cidr = parseCidr((family.v6 ? rule.CidrIpv6 : rule.CidrIpv4) ?? '');
    return cidr && cidrContains(cidr, peer) ? 'yes' : 'no';
  }
  if (rule.ReferencedGroupInfo?.GroupId) {
    if (!ctx.peerGroupIds) return 'maybe';
    return ctx.peerGroupIds.includes(rule.ReferencedGroupInfo.GroupId) ? 'yes' : 'no';
  }
  if (rule.PrefixListId) {
    const cidrs = ctx.prefixLists?.[rule.PrefixListId];
    if (!cidrs) return 'maybe';
    return cidrs.some((c) => {
      const parsed = parseCidr(c);
      return !!parsed && cidrContains(parsed, peer);
    })
      ? 'yes'
      : 'no';
  }
  return 'no';
}

export function describeSgRule(r: SecurityGroupRule): string {
  const p = ruleProtocol(r.IpProtocol);
  const proto = p === 'all' ? 'all traffic' : p === undefined ? `protocol ${r.IpProtocol}` : protocolName(p);
  const ports =
    p === 'all' || r.FromPort === undefined || r.FromPort === -1
      ? ''
      : p === 1 || p === 58
        ? ` type ${r.FromPort}${r.ToPort !== undefined && r.ToPort !== -1 ? ` code ${r.ToPort}` : ''}`
        : r.ToPort === undefined || r.ToPort === r.FromPort
          ? ` port ${r.FromPort}`
          : ` ports ${r.FromPort}-${r.ToPort}`;
  const peer =
    r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? (r.ReferencedGroupInfo?.GroupId ? `group ${r.ReferencedGroupInfo.GroupId}` : '?');
  return `${r.SecurityGroupRuleId ?? 'rule'} (${r.GroupId ?? '?'}): ${r.IsEgress ? 'outbound' : 'inbound'} ${proto}${ports} ${r.IsEgress ? 'to' : 'from'} ${peer}`;
}

export function describeAclEntry(e: NetworkAclEntry): string {
  const n = isDefaultRule(e.RuleNumber) ? '*' : String(e.RuleNumber ?? '?');
  const p = ruleProtocol(e.Protocol);
  const proto = p === 'all' ? 'all traffic' : p === undefined ? `protocol ${e.Protocol}` : protocolName(p);
  const ports =
    p !== 'all' && p !== undefined && hasPorts(p) && e.PortRange?.From !== undefined
      ? e.PortRange.From === e.PortRange.To
        ? ` port ${e.PortRange.From}`
        : ` ports ${e.PortRange.From}-${e.PortRange.To}`
      : '';
  return `rule ${n}: ${e.Egress ? 'outbound' : 'inbound'} ${proto}${ports} ${e.Egress ? 'to' : 'from'} ${e.CidrBlock ?? e.Ipv6CidrBlock ?? '?'} ${(e.RuleAction ?? '?').toUpperCase()}`;
}

function checkSecurityGroups(direction: Direction, flow: RecordFlow, peer: string, ctx: InterfaceRules): SecurityGroupCheck {
  if (ctx.groupIds.length === 0) {
    return { verdict: 'not-applied', rules: [], undecided: [], text: 'The interface has no security groups: none applies.' };
  }
  const egress = direction === 'outbound';
  const localPort = egress ? flow.srcport : flow.dstport;
  const remotePort = egress ? flow.dstport : flow.srcport;
  const of = (isEgress: boolean, port: number | undefined) => {
    const yes: SecurityGroupRule[] = [];
    const maybe: SecurityGroupRule[] = [];
    for (const r of ctx.securityGroupRules) {
      if (!!r.IsEgress !== isEgress || (r.GroupId && !ctx.groupIds.includes(r.GroupId))) continue;
      const m = sgRuleMatches(r, flow.protocol, peer, port, ctx);
      if (m === 'yes') yes.push(r);
      else if (m === 'maybe') maybe.push(r);
    }
    return { yes, maybe };
  };
  // As a new connection: a rule of the packet's own direction, on the packet's destination port.
  const request = of(egress, egress ? remotePort : localPort);
  if (request.yes.length) {
    return {
      verdict: 'allow',
      as: 'request',
      rules: request.yes,
      undecided: [],
      text: `Allowed by ${request.yes.length === 1 ? 'the' : request.yes.length} ${egress ? 'outbound' : 'inbound'} rule${request.yes.length === 1 ? '' : 's'} of the security groups.`,
    };
  }
  // As the response of a connection opened the other way: security groups are stateful. A packet
  // that opens a connection (a scan to a service port) is not a response.
  const role = packetRole(flow);
  const response = role === 'request' ? { yes: [], maybe: [] } : of(!egress, egress ? localPort : remotePort);
  if (response.yes.length) {
    return {
      verdict: 'allow',
      as: 'response',
      rules: response.yes,
      undecided: [],
      text:
        `No ${egress ? 'outbound' : 'inbound'} rule allows it as a new connection, but it is the return traffic of a connection ` +
        `the ${egress ? 'inbound' : 'outbound'} rules allow: security groups are stateful, so responses are allowed.`,
    };
  }
  const undecided = [...request.maybe, ...response.maybe];
  if (undecided.length) {
    return {
      verdict: 'unknown',
      rules: [],
      undecided,
      text: 'Only rules naming another security group or a prefix list could allow it, and the peer is not known to be in them.',
    };
  }
  return {
    verdict: 'deny',
    rules: [],
    undecided: [],
    text:
      `No ${egress ? 'outbound' : 'inbound'} rule of the security groups (${ctx.groupIds.join(', ')}) allows it` +
      (role === 'request'
        ? `, and it opens a connection (to port ${flow.dstport ?? '?'}), so it is no response the other direction's rules would admit.`
        : ', and it is not the response to a connection they allow.'),
  };
}

function checkNetworkAcl(direction: Direction, flow: RecordFlow, peer: string, ctx: InterfaceRules): NetworkAclCheck {
  const acl = ctx.networkAcl;
  if (!acl) return { verdict: 'unknown', evaluated: [], text: "The subnet's network ACL is not known." };
  if (
    ctx.subnetCidrs?.some((c) => {
      const parsed = parseCidr(c);
      return !!parsed && cidrContains(parsed, peer);
    })
  ) {
    return {
      verdict: 'not-applied',
      evaluated: [],
      text: 'The peer is in the same subnet: its network ACL applies only to traffic entering or leaving the subnet.',
    };
  }
  const egress = direction === 'outbound';
  const family = parseAddress(peer);
  const evaluated = (acl.Entries ?? [])
    .filter((e) => !!e.Egress === egress)
    .sort((a, b) => (a.RuleNumber ?? DEFAULT_RULE) - (b.RuleNumber ?? DEFAULT_RULE));
  for (const e of evaluated) {
    // IPv4 and IPv6 traffic are evaluated separately: an IPv4 rule never matches IPv6 traffic.
    const cidr = parseCidr((family?.v6 ? e.Ipv6CidrBlock : e.CidrBlock) ?? '');
    if (!cidr || !cidrContains(cidr, peer)) continue;
    const p = ruleProtocol(e.Protocol);
    if (p === undefined || (p !== 'all' && p !== flow.protocol)) continue;
    // The port range is the packet's destination port (a response goes to the client's ephemeral port).
    if (p !== 'all' && hasPorts(p) && !inRange(flow.dstport, e.PortRange?.From, e.PortRange?.To)) continue;
    const allow = (e.RuleAction ?? '').toLowerCase() === 'allow';
    return {
      verdict: allow ? 'allow' : 'deny',
      entry: e,
      evaluated,
      text: `${allow ? 'Allowed' : 'Denied'} by ${acl.NetworkAclId ?? 'the network ACL'} ${describeAclEntry(e)}${isDefaultRule(e.RuleNumber) ? ' (no numbered rule matches)' : ''}.`,
    };
  }
  return {
    verdict: 'deny',
    evaluated,
    text: `No ${egress ? 'outbound' : 'inbound'} rule of ${acl.NetworkAclId ?? 'the network ACL'} matches: the default rule * denies it.`,
  };
}

/** The record's direction relative to the interface, from flow-direction or its own addresses. */
export function directionOf(flow: RecordFlow, addresses: readonly string[]): Direction | undefined {
  const mine = new Set(addresses.map(normalize));
  const dst = mine.has(normalize(flow.dstaddr));
  const src = mine.has(normalize(flow.srcaddr));
  if (flow.flowDirection === 'ingress' || flow.flowDirection === 'egress') {
    return flow.flowDirection === 'ingress' ? 'inbound' : 'outbound';
  }
  if (dst && !src) return 'inbound';
  if (src && !dst) return 'outbound';
  return undefined;
}

function normalize(a: string): string {
  return a.trim().toLowerCase();
}

/** Evaluates the interface's security groups and network ACL against one record. */
export function explainFlow(flow: RecordFlow, ctx: InterfaceRules): Explanation {
  const notes: string[] = [];
  const direction = directionOf(flow, ctx.addresses);
  const none = (text: string) => ({ verdict: 'unknown' as const, rules: [], undecided: [], evaluated: [], text });
  if (!direction) {
    const text = `Neither ${flow.srcaddr} nor ${flow.dstaddr} is an address of ${ctx.interfaceId ?? 'the interface'}, and the record has no flow-direction: its direction is not known.`;
    return { verdict: 'unknown', securityGroups: none(text), networkAcl: none(text), summary: text, notes };
  }
  const peer = direction === 'inbound' ? flow.srcaddr : flow.dstaddr;
  const sg = checkSecurityGroups(direction, flow, peer, ctx);
  const nacl = checkNetworkAcl(direction, flow, peer, ctx);
  // An inbound packet meets the subnet's network ACL first, then the security group; outbound the other way.
  const order: ['network-acl' | 'security-group', Verdict][] =
    direction === 'inbound'
      ? [
          ['network-acl', nacl.verdict],
          ['security-group', sg.verdict],
        ]
      : [
          ['security-group', sg.verdict],
          ['network-acl', nacl.verdict],
        ];
  const denied = order.find(([, v]) => v === 'deny');
  const verdict: Explanation['verdict'] = denied ? 'deny' : order.some(([, v]) => v === 'unknown') ? 'unknown' : 'allow';
  const what = `${direction} ${protocolName(flow.protocol)}${hasPorts(flow.protocol) ? ` ${flow.srcaddr}:${flow.srcport ?? '?'} → ${flow.dstaddr}:${flow.dstport ?? '?'}` : ` ${flow.srcaddr} → ${flow.dstaddr}`}`;
  let summary =
    verdict === 'deny'
      ? `Rejected: the ${denied![0] === 'network-acl' ? 'network ACL' : 'security groups'} ${denied![0] === 'network-acl' ? (nacl.entry ? `(${describeAclEntry(nacl.entry)})` : '(default rule *)') : '(no rule allows it)'} deny ${what}.`
      : verdict === 'allow'
        ? `Accepted: the security groups and the network ACL allow ${what}.`
        : `Undecided for ${what}: ${[sg, nacl].find((c) => c.verdict === 'unknown')!.text}`;
  if (nacl.verdict === 'deny' && hasPorts(flow.protocol) && (flow.srcport ?? 65536) < 1024 && (flow.dstport ?? 0) >= 1024) {
    notes.push(
      `This looks like the response of a server on port ${flow.srcport} to a client's ephemeral port ${flow.dstport}: network ACLs are stateless, so the ${direction} rules must allow the ephemeral ports (1024-65535 covers every client).`,
    );
  }
  if (sg.as === 'response') notes.push(sg.text);
  if (flow.action) {
    const rejected = flow.action.toUpperCase() === 'REJECT';
    if (flow.rejectReason === 'BPA' && rejected) {
      notes.push('The record says reject-reason BPA: VPC Block Public Access rejected it, not a security group or network ACL.');
    }
    if (verdict === 'allow' || verdict === 'deny') {
      const agrees = (verdict === 'deny') === rejected;
      if (!agrees) {
        notes.push(
          rejected
            ? 'The rules as they are now allow it: they may have changed since the record, or something else rejected it (a security group rule on the peer, Block Public Access, a stale connection).'
            : 'The rules as they are now deny it: they may have changed since the record was written.',
        );
      }
      return {
        direction,
        peer,
        verdict,
        deniedBy: denied?.[0],
        securityGroups: sg,
        networkAcl: nacl,
        agreesWithRecord: agrees,
        summary,
        notes,
      };
    }
  }
  if (verdict === 'deny' && !flow.action) summary = summary.replace(/^Rejected/, 'Would be rejected');
  return { direction, peer, verdict, deniedBy: denied?.[0], securityGroups: sg, networkAcl: nacl, summary, notes };
}
