// Decoders for flow log values: IANA protocol names, TCP flags, times, sizes, and the meanings
// of flow-direction, traffic-path, reject-reason and log-status. Pure: never imports vscode.
import type { FieldKind } from './recordsFields';

/** IANA protocol numbers (keywords from the IANA registry), for the ones flow logs usually carry. */
const PROTOCOLS: Record<number, string> = {
  0: 'HOPOPT',
  1: 'ICMP',
  2: 'IGMP',
  3: 'GGP',
  4: 'IPv4',
  5: 'ST',
  6: 'TCP',
  7: 'CBT',
  8: 'EGP',
  9: 'IGP',
  12: 'PUP',
  17: 'UDP',
  20: 'HMP',
  22: 'XNS-IDP',
  27: 'RDP',
  29: 'ISO-TP4',
  33: 'DCCP',
  36: 'XTP',
  37: 'DDP',
  41: 'IPv6',
  43: 'IPv6-Route',
  44: 'IPv6-Frag',
  45: 'IDRP',
  46: 'RSVP',
  47: 'GRE',
  48: 'DSR',
  50: 'ESP',
  51: 'AH',
  55: 'MOBILE',
  57: 'SKIP',
  58: 'IPv6-ICMP',
  59: 'IPv6-NoNxt',
  60: 'IPv6-Opts',
  88: 'EIGRP',
  89: 'OSPFIGP',
  94: 'IPIP',
  97: 'ETHERIP',
  98: 'ENCAP',
  103: 'PIM',
  108: 'IPComp',
  112: 'VRRP',
  115: 'L2TP',
  118: 'STP',
  121: 'SMP',
  124: 'ISIS',
  132: 'SCTP',
  133: 'FC',
  135: 'Mobility Header',
  136: 'UDPLite',
  137: 'MPLS-in-IP',
  139: 'HIP',
  140: 'Shim6',
  141: 'WESP',
  142: 'ROHC',
  143: 'Ethernet',
  255: 'Reserved',
};
const PROTOCOL_NUMBERS = new Map(Object.entries(PROTOCOLS).map(([n, name]) => [name.toLowerCase(), Number(n)]));
PROTOCOL_NUMBERS.set('icmpv6', 58);
PROTOCOL_NUMBERS.set('ospf', 89);

export function protocolName(value: string): string | undefined {
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return PROTOCOLS[n] ?? (n <= 255 ? (n >= 253 && n <= 254 ? 'experimental' : n >= 146 ? 'unassigned' : undefined) : undefined);
}

/** "tcp" / "TCP" / "6" -> 6; undefined when unknown. */
export function protocolNumber(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d{1,3}$/.test(t)) return Number(t) <= 255 ? Number(t) : undefined;
  return PROTOCOL_NUMBERS.get(t);
}

// Byte counts and TCP flags are written as the records page writes them (one definition).
export { humanBytes, tcpFlagNames } from '../webviews/records/format';
import { humanBytes, tcpFlagNames } from '../webviews/records/format';

const TRAFFIC_PATHS: Record<string, string> = {
  '1': 'through another resource in the same VPC',
  '2': 'through an internet gateway or a gateway VPC endpoint',
  '3': 'through a virtual private gateway',
  '4': 'through an intra-region VPC peering connection',
  '5': 'through an inter-region VPC peering connection',
  '6': 'through a local gateway',
  '7': 'through a gateway VPC endpoint (Nitro instances only)',
  '8': 'through an internet gateway (Nitro instances only)',
};
const REJECT_REASONS: Record<string, string> = {
  BPA: 'blocked by VPC Block Public Access',
  EC: 'blocked by VPC Encryption Controls',
};
const LOG_STATUS: Record<string, string> = {
  OK: 'data is logged normally',
  NODATA: 'no network traffic to or from the interface during the aggregation interval',
  SKIPDATA: 'some flow log records were skipped during the aggregation interval',
};
const FLOW_DIRECTION: Record<string, string> = { ingress: 'incoming to the interface', egress: 'outgoing from the interface' };

/** 1234567 -> "1.2 M". */
export function humanCount(value: string | number): string | undefined {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  if (n < 1000) return String(n);
  const units = ['k', 'M', 'G', 'T'];
  let x = n;
  let u = -1;
  while (x >= 1000 && u < units.length - 1) {
    x /= 1000;
    u++;
  }
  return `${x < 10 ? x.toFixed(1) : Math.round(x)} ${units[u]}`;
}

/** Unix seconds -> ISO 8601 (UTC); undefined when not a time. */
export function isoTime(value: string): string | undefined {
  if (!/^\d{1,12}$/.test(value)) return undefined;
  const d = new Date(Number(value) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
}

/**
 * What a value means, for display: undefined when it is shown as written. "-" is "no value".
 * Times are decoded to ISO here; the webview shows them in local time with the ISO on hover.
 */
export function decodeValue(name: string, kind: FieldKind, value: string): string | undefined {
  if (value === '-' || value === '') return undefined;
  switch (kind) {
    case 'protocol':
      return protocolName(value);
    case 'tcpFlags':
      return tcpFlagNames(value);
    case 'time':
      return isoTime(value);
    case 'int':
      if (name === 'bytes') return humanBytes(value);
      if (name === 'packets') return humanCount(value);
      if (name === 'traffic-path') return TRAFFIC_PATHS[value];
      return undefined;
    default:
      if (name === 'flow-direction') return FLOW_DIRECTION[value];
      if (name === 'reject-reason') return REJECT_REASONS[value];
      if (name === 'log-status') return LOG_STATUS[value];
      return undefined;
  }
}

/** The decoding tables as plain data, for the records webview (which decodes what it shows). */
export function decodeTables() {
  return {
    protocols: PROTOCOLS,
    trafficPaths: TRAFFIC_PATHS,
    rejectReasons: REJECT_REASONS,
    logStatus: LOG_STATUS,
    flowDirection: FLOW_DIRECTION,
  };
}
