// Reads a flow log's LogFormat ("${version} ${account-id} ...") into its fields, with what each
// field means and the flow log version that introduced it. Pure: never imports vscode.
import { truncate } from './text';

export interface FlowLogFieldInfo {
  readonly name: string;
  /** The VPC Flow Logs version that introduced the field. */
  readonly version: number;
  readonly description: string;
}

export type LogFormatEntryKind = 'field' | 'unknown' | 'invalid';

export interface LogFormatEntry {
  /** 'field': a known ${field}; 'unknown': ${something} we do not know; 'invalid': text that is not a ${...} token. */
  readonly kind: LogFormatEntryKind;
  /** The token as written, e.g. "${srcaddr}" (or the stray text for 'invalid'). */
  readonly token: string;
  /** The name inside ${...}; the stray text itself for 'invalid'. */
  readonly name: string;
  readonly version?: number;
  readonly description?: string;
}

export interface ParsedLogFormat {
  readonly entries: LogFormatEntry[];
  /** True when the format is AWS's default (the version 2 fields, in order). */
  readonly isDefault: boolean;
  /** The record version this format produces: the highest version among its known fields. */
  readonly version?: number;
  readonly unknownCount: number;
  readonly invalidCount: number;
  /** True when the input was longer than we read, or had more entries than we keep. */
  readonly truncated: boolean;
}

const FIELDS: readonly FlowLogFieldInfo[] = [
  // Version 2: the default format, in its order.
  {
    name: 'version',
    version: 2,
    description: 'The VPC Flow Logs version: 2 for the default format; for a custom format, the highest version among its fields.',
  },
  {
    name: 'account-id',
    version: 2,
    description:
      'The AWS account ID of the owner of the network interface the traffic is recorded for ("unknown" for interfaces created by AWS services).',
  },
  { name: 'interface-id', version: 2, description: 'The ID of the network interface the traffic is recorded for.' },
  {
    name: 'srcaddr',
    version: 2,
    description:
      'Source address: for incoming traffic, where it came from; for outgoing traffic, the private IPv4 or the IPv6 address of the network interface.',
  },
  {
    name: 'dstaddr',
    version: 2,
    description:
      'Destination address: for outgoing traffic, where it goes; for incoming traffic, the private IPv4 or the IPv6 address of the network interface.',
  },
  { name: 'srcport', version: 2, description: 'The source port of the traffic.' },
  { name: 'dstport', version: 2, description: 'The destination port of the traffic.' },
  { name: 'protocol', version: 2, description: 'The IANA protocol number of the traffic (6 = TCP, 17 = UDP, 1 = ICMP).' },
  { name: 'packets', version: 2, description: 'The number of packets transferred during the flow.' },
  { name: 'bytes', version: 2, description: 'The number of bytes transferred during the flow.' },
  {
    name: 'start',
    version: 2,
    description: 'When the first packet of the flow was received within the aggregation interval, in Unix seconds.',
  },
  {
    name: 'end',
    version: 2,
    description: 'When the last packet of the flow was received within the aggregation interval, in Unix seconds.',
  },
  { name: 'action', version: 2, description: 'ACCEPT or REJECT: whether the security groups and network ACLs permitted the traffic.' },
  {
    name: 'log-status',
    version: 2,
    description:
      'OK (data is logged normally), NODATA (no traffic during the aggregation interval) or SKIPDATA (some records were skipped).',
  },
  // Version 3
  { name: 'vpc-id', version: 3, description: 'The ID of the VPC that contains the network interface.' },
  { name: 'subnet-id', version: 3, description: 'The ID of the subnet that contains the network interface.' },
  {
    name: 'instance-id',
    version: 3,
    description: 'The ID of the instance the network interface is attached to, if the instance is yours.',
  },
  {
    name: 'tcp-flags',
    version: 3,
    description: 'The bitwise OR of the TCP flags seen during the aggregation interval (FIN 1, SYN 2, RST 4, SYN-ACK 18).',
  },
  { name: 'type', version: 3, description: 'The type of traffic: IPv4, IPv6 or EFA.' },
  {
    name: 'pkt-srcaddr',
    version: 3,
    description:
      'The packet-level (original) source IP address, which differs from srcaddr behind a NAT gateway or for intermediate layers.',
  },
  { name: 'pkt-dstaddr', version: 3, description: 'The packet-level (original) destination IP address of the traffic.' },
  // Version 4
  { name: 'region', version: 4, description: 'The Region that contains the network interface.' },
  { name: 'az-id', version: 4, description: 'The ID of the Availability Zone that contains the network interface.' },
  { name: 'sublocation-type', version: 4, description: 'The type of sublocation: wavelength, outpost or localzone.' },
  { name: 'sublocation-id', version: 4, description: 'The ID of the sublocation (Wavelength Zone, Outpost or Local Zone).' },
  // Version 5
  {
    name: 'pkt-src-aws-service',
    version: 5,
    description: 'The name of the AWS service subset the pkt-srcaddr address belongs to, if any.',
  },
  {
    name: 'pkt-dst-aws-service',
    version: 5,
    description: 'The name of the AWS service subset the pkt-dstaddr address belongs to, if any.',
  },
  { name: 'flow-direction', version: 5, description: 'The direction of the flow relative to the interface: ingress or egress.' },
  {
    name: 'traffic-path',
    version: 5,
    description:
      'The path egress traffic takes to its destination, as a number (for example 1 = through another resource in the same VPC, 8 = through a transit gateway).',
  },
  // Version 7: Amazon ECS
  { name: 'ecs-cluster-arn', version: 7, description: 'The ARN of the ECS cluster, if the traffic is from a running ECS task.' },
  { name: 'ecs-cluster-name', version: 7, description: 'The name of the ECS cluster, if the traffic is from a running ECS task.' },
  {
    name: 'ecs-container-instance-arn',
    version: 7,
    description: 'The ARN of the ECS container instance, if the task runs on an EC2 instance.',
  },
  {
    name: 'ecs-container-instance-id',
    version: 7,
    description: 'The ID of the ECS container instance, if the task runs on an EC2 instance.',
  },
  { name: 'ecs-container-id', version: 7, description: 'The Docker runtime ID of the (first) container of the ECS task.' },
  {
    name: 'ecs-second-container-id',
    version: 7,
    description: 'The Docker runtime ID of the second container of the ECS task, if there is one.',
  },
  { name: 'ecs-service-name', version: 7, description: 'The name of the ECS service, if the task was started by a service.' },
  { name: 'ecs-task-definition-arn', version: 7, description: 'The ARN of the ECS task definition.' },
  { name: 'ecs-task-arn', version: 7, description: 'The ARN of the ECS task.' },
  { name: 'ecs-task-id', version: 7, description: 'The ID of the ECS task.' },
  // Version 8
  { name: 'reject-reason', version: 8, description: 'Why the traffic was rejected, for example BPA (blocked by VPC Block Public Access).' },
  // Later versions
  { name: 'encryption-status', version: 10, description: 'Whether the traffic was encrypted in transit (VPC Encryption Controls).' },
];

const BY_NAME: ReadonlyMap<string, FlowLogFieldInfo> = new Map(FIELDS.map((f) => [f.name, f]));

/** Every field we know, in the order AWS documents them. */
export function knownFlowLogFields(): readonly FlowLogFieldInfo[] {
  return FIELDS;
}

export function flowLogFieldInfo(name: string): FlowLogFieldInfo | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

/** The format AWS uses when none is given: the version 2 fields, in order, separated by single spaces. */
export const DEFAULT_LOG_FORMAT = FIELDS.filter((f) => f.version === 2)
  .map((f) => '${' + f.name + '}')
  .join(' ');

/** Longest input we read; a real format is well under 2,000 characters. */
export const MAX_LOG_FORMAT_LENGTH = 20_000;
/** Most entries we keep; there are only ~45 fields. */
export const MAX_LOG_FORMAT_ENTRIES = 500;
// Names inside ${...} are short; longer ones are shown cut.
const MAX_NAME_LENGTH = 200;

function clip(text: string): string {
  return truncate(text, MAX_NAME_LENGTH);
}

export function parseLogFormat(format: unknown): ParsedLogFormat {
  const text = typeof format === 'string' ? format : '';
  let truncated = text.length > MAX_LOG_FORMAT_LENGTH;
  const input = truncated ? text.slice(0, MAX_LOG_FORMAT_LENGTH) : text;

  const entries: LogFormatEntry[] = [];
  const push = (entry: LogFormatEntry): boolean => {
    if (entries.length >= MAX_LOG_FORMAT_ENTRIES) {
      truncated = true;
      return false;
    }
    entries.push(entry);
    return true;
  };

  // A ${...} token, or a run of other non-space text (stray text, a lone "$", an unclosed "${").
  // Scanned by hand: the former regex's lookahead rescanned the rest of a long "${…" run for each
  // character (quadratic on text from the server).
  for (const m of formatTokens(input)) {
    const raw = m[0];
    let ok: boolean;
    if (m[1] !== undefined) {
      const info = BY_NAME.get(m[1]);
      ok = info
        ? push({ kind: 'field', token: raw, name: info.name, version: info.version, description: info.description })
        : push({ kind: 'unknown', token: clip(raw), name: clip(m[1]) });
    } else {
      ok = push({ kind: 'invalid', token: clip(raw), name: clip(raw) });
    }
    if (!ok) break;
  }

  const known = entries.filter((e) => e.kind === 'field');
  const version = known.length > 0 ? Math.max(...known.map((e) => e.version ?? 0)) : undefined;
  const isDefault = !truncated && input.trim().split(/\s+/).join(' ') === DEFAULT_LOG_FORMAT;
  return {
    entries,
    isDefault,
    version,
    unknownCount: entries.filter((e) => e.kind === 'unknown').length,
    invalidCount: entries.filter((e) => e.kind === 'invalid').length,
    truncated,
  };
}

/**
 * The tokens of a LogFormat, in linear time: `[raw, name]` for a `${name}` token (a name without
 * braces or spaces), `[raw, undefined]` for a run of other non-space text.
 */
export function formatTokens(input: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  const n = input.length;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c.trim() === '';
  // closeAt[i]: for "${" at i, the index of its "}" when the text between is a valid name, else -1.
  // A name ends at the first brace or space; computed from the right so the scan stays linear.
  const stop = new Int32Array(n + 1); // index of the first brace or space at or after i
  stop[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const c = input[i];
    stop[i] = c === '{' || c === '}' || isSpace(c) ? i : stop[i + 1];
  }
  const validAt = (i: number): number => {
    if (input[i] !== '$' || input[i + 1] !== '{') return -1;
    const e = stop[i + 2];
    return e < n && input[e] === '}' ? e : -1;
  };
  let i = 0;
  while (i < n) {
    if (isSpace(input[i])) {
      i++;
      continue;
    }
    const close = validAt(i);
    if (close >= 0) {
      out.push([input.slice(i, close + 1), input.slice(i + 2, close)]);
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < n && !isSpace(input[j]) && validAt(j) < 0) j++;
    out.push([input.slice(i, j), undefined]);
    i = j;
  }
  return out;
}
