// Flow log records for the local CloudWatch Logs endpoint: every cloud-watch-logs flow log of the
// demo data gets one log stream per network interface ("eni-…-all"), written in the flow log's
// own LogFormat. Records are generated lazily per aggregation window (aligned to the epoch, so a
// window's records never change) from (seed, flow log ID, ENI, window): "the last hour" always
// has records and a week is cheap, without anything generated at start-up.
import type { FlowLog } from '../../../src/shared/types';
import { Random } from '../prng';
import { shapeFlow } from '../traffic';
import { recordVersion } from '../recordVersion';

export const RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

export interface LogEvent {
  /** ms since the epoch */
  timestamp: number;
  ingestionTime: number;
  logStreamName: string;
  eventId: string;
  message: string;
}

export interface FlowLogStreams {
  flowLog: FlowLog;
  groupName: string;
  enis: string[];
  /** Aggregation window, seconds. */
  windowSec: number;
  fields: string[];
  accountId: string;
  region: string;
  seed: number;
  /** Events per stream and window, fixed (a large group for the benchmarks); default: a few, random. */
  eventsPerWindow?: number;
}

const DEFAULT_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

export function streamsOf(
  seed: number,
  accountId: string,
  region: string,
  flowLog: FlowLog,
  /** A large group for the benchmarks: it holds about this many events (largeGroupDensity). */
  largeRecords?: number,
): FlowLogStreams {
  const r = Random.fromKey(`${seed}|logs|${flowLog.FlowLogId}`);
  const enis: string[] = [];
  if (flowLog.ResourceId?.startsWith('eni-')) enis.push(flowLog.ResourceId);
  else for (let i = 0, n = r.int(2, 5); i < n; i++) enis.push(`eni-${r.hex(17)}`);
  const fields = (flowLog.LogFormat?.trim() ? flowLog.LogFormat : DEFAULT_FORMAT)
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/^\$\{(.*)\}$/, '$1'));
  const windowSec = flowLog.MaxAggregationInterval === 60 ? 60 : 600;
  const eventsPerWindow = largeGroupDensity(largeRecords, windowSec, enis.length);
  return {
    flowLog,
    groupName: flowLog.LogGroupName ?? '',
    enis,
    windowSec,
    fields,
    accountId,
    region,
    seed,
    ...(eventsPerWindow ? { eventsPerWindow } : {}),
  };
}

/**
 * Events per stream and window for a group that holds `records` events over its retention (and
 * at least that many in any range covering 95% of it), or undefined for an ordinary group.
 */
export function largeGroupDensity(records: number | undefined, windowSec: number, streams: number): number | undefined {
  if (!records || records <= 0) return undefined;
  // 0.9: a range of 95% of the windows, less the 4% that are NODATA or SKIPDATA (one event each).
  const windows = Math.floor((0.9 * RETENTION_DAYS * DAY_MS) / (windowSec * 1000));
  return Math.max(1, Math.ceil(records / (windows * Math.max(1, streams))));
}

export function streamName(eni: string): string {
  return `${eni}-all`;
}

/** The first window index that still exists (retention) and the last complete one, at `now`. */
export function windowSpan(s: FlowLogStreams, now: number): { first: number; last: number } {
  const w = s.windowSec * 1000;
  return { first: Math.ceil((now - RETENTION_DAYS * DAY_MS) / w), last: Math.floor(now / w) - 1 };
}

const SERVER_PORTS = [443, 443, 443, 80, 22, 53, 3306, 5432, 6379, 123, 3389, 8080, 9092];
const PUBLIC_PREFIXES = ['52.94.', '54.239.', '203.0.113.', '198.51.100.', '34.120.', '151.101.', '185.199.'];

/** A public address under one of the prefixes: two-octet prefixes get two more numbers, three-octet ones one. */
function publicAddress(r: Random): string {
  const prefix = r.pick(PUBLIC_PREFIXES);
  const missing = 4 - (prefix.split('.').length - 1);
  const middle = missing === 2 ? `${r.int(0, 255)}.` : '';
  return `${prefix}${middle}${r.int(1, 254)}`;
}

export function eniAddress(s: FlowLogStreams, eniIndex: number): string {
  const r = Random.fromKey(`${s.seed}|addr|${s.enis[eniIndex]}`);
  return `10.${r.int(0, 31)}.${r.int(0, 255)}.${r.int(4, 250)}`;
}

export function eniIpv6(s: FlowLogStreams, eniIndex: number): string {
  const r = Random.fromKey(`${s.seed}|addr6|${s.enis[eniIndex]}`);
  return `2600:1f18:${r.hex(3)}:${r.int(1, 0xfff).toString(16)}::${r.int(1, 0xffff).toString(16)}`;
}

export function ids(s: FlowLogStreams, eniIndex: number) {
  const r = Random.fromKey(`${s.seed}|ids|${s.flowLog.FlowLogId}|${eniIndex}`);
  const vr = Random.fromKey(`${s.seed}|vpc|${s.flowLog.FlowLogId}`);
  return {
    vpc: `vpc-${vr.hex(17)}`,
    subnet: `subnet-${r.hex(17)}`,
    instance: r.chance(0.8) ? `i-${r.hex(17)}` : '-',
    az: `${s.region
      .split('-')
      .map((p) => p[0])
      .join('')}1-az${r.int(1, 6)}`,
  };
}

/** The events of one window, all streams, sorted by (timestamp, stream, order). */
export function windowEvents(s: FlowLogStreams, windowIndex: number): LogEvent[] {
  const out: LogEvent[] = [];
  const wStart = windowIndex * s.windowSec;
  const traffic = s.flowLog.TrafficType ?? 'ALL';
  s.enis.forEach((eni, ei) => {
    const r = Random.fromKey(`${s.seed}|w|${s.flowLog.FlowLogId}|${ei}|${windowIndex}`);
    const own = eniAddress(s, ei);
    const own6 = eniIpv6(s, ei);
    const id = ids(s, ei);
    const stream = streamName(eni);
    const roll = r.next();
    const status = roll < 0.03 ? 'NODATA' : roll < 0.04 ? 'SKIPDATA' : 'OK';
    const n = status !== 'OK' ? 1 : s.eventsPerWindow ? s.eventsPerWindow : s.windowSec === 60 ? r.int(2, 8) : r.int(4, 14);
    for (let k = 0; k < n; k++) {
      const start = wStart + r.int(0, s.windowSec - 2);
      const end = Math.min(wStart + s.windowSec, start + r.int(1, s.windowSec));
      // A talker's flow or a scan probe (test/emulator/traffic.ts), else background traffic.
      const shaped = shapeFlow(r, s.seed, `${s.accountId}|${s.region}`, eni, own, traffic);
      const v6 = !shaped && r.chance(0.12);
      const ingress = shaped ? shaped.ingress : r.chance(0.5);
      const isPublic = r.chance(0.35);
      const peer = v6
        ? `2600:1f18:${r.hex(3)}:${r.int(1, 0xfff).toString(16)}::${r.int(1, 0xffff).toString(16)}`
        : isPublic
          ? publicAddress(r)
          : `10.${r.int(0, 31)}.${r.int(0, 255)}.${r.int(4, 250)}`;
      const mine = v6 ? own6 : own;
      const protoRoll = r.next();
      const protocol = shaped ? shaped.protocol : v6 && protoRoll > 0.96 ? 58 : protoRoll < 0.7 ? 6 : protoRoll < 0.96 ? 17 : 1;
      const service = r.pick(SERVER_PORTS);
      const ephemeral = r.int(32768, 65535);
      const [srcaddr, dstaddr] = shaped ? [shaped.srcaddr, shaped.dstaddr] : ingress ? [peer, mine] : [mine, peer];
      const [srcport, dstport] = shaped
        ? [shaped.srcport, shaped.dstport]
        : protocol === 1 || protocol === 58
          ? [0, 0]
          : ingress
            ? [ephemeral, service]
            : [ephemeral, service];
      let action = shaped ? shaped.action : r.chance(ingress && isPublic ? 0.4 : 0.08) ? 'REJECT' : 'ACCEPT';
      if (traffic === 'ACCEPT') action = 'ACCEPT';
      if (traffic === 'REJECT') action = 'REJECT';
      const packets = shaped ? shaped.packets : action === 'REJECT' ? r.int(1, 3) : r.int(1, 2000);
      const bytes = shaped ? shaped.bytes : packets * r.int(40, 1500);
      const flags = shaped ? shaped.tcpFlags : protocol !== 6 ? 0 : action === 'REJECT' ? 2 : r.pick([2, 18, 19, 3, 1, 4, 22, 27]);
      const values: Record<string, string> = {
        version: String(recordVersion(s.fields)),
        'account-id': s.accountId,
        'interface-id': eni,
        srcaddr,
        dstaddr,
        srcport: String(srcport),
        dstport: String(dstport),
        protocol: String(protocol),
        packets: String(packets),
        bytes: String(bytes),
        start: String(start),
        end: String(end),
        action,
        'log-status': status,
        'vpc-id': id.vpc,
        'subnet-id': id.subnet,
        'instance-id': id.instance,
        'tcp-flags': String(flags),
        type: v6 ? 'IPv6' : 'IPv4',
        'pkt-srcaddr': srcaddr,
        'pkt-dstaddr': dstaddr,
        region: s.region,
        'az-id': id.az,
        'sublocation-type': '-',
        'sublocation-id': '-',
        'pkt-src-aws-service': ingress && isPublic && srcaddr.startsWith('52.94.') ? 'AMAZON' : '-',
        'pkt-dst-aws-service': !ingress && isPublic && dstaddr.startsWith('52.94.') ? 'S3' : '-',
        'flow-direction': ingress ? 'ingress' : 'egress',
        'traffic-path': ingress ? '-' : String(isPublic ? 8 : r.pick([1, 1, 2, 4, 7])),
        'reject-reason': action === 'REJECT' && r.chance(0.1) ? 'BPA' : '-',
      };
      const noData = status !== 'OK';
      const keep = new Set([
        'version',
        'account-id',
        'interface-id',
        'start',
        'end',
        'log-status',
        'vpc-id',
        'subnet-id',
        'instance-id',
        'region',
        'az-id',
      ]);
      const message = s.fields
        .map((f) =>
          noData && !keep.has(f)
            ? '-'
            : noData && (f === 'start' || f === 'end')
              ? String(f === 'start' ? wStart : wStart + s.windowSec)
              : (values[f] ?? '-'),
        )
        .join(' ');
      const timestamp = (noData ? wStart : start) * 1000;
      out.push({
        timestamp,
        ingestionTime: (wStart + s.windowSec) * 1000 + 300_000,
        logStreamName: stream,
        eventId: eventId(windowIndex, ei, k),
        message,
      });
      if (noData) break;
    }
  });
  out.sort(
    (a, b) =>
      a.timestamp - b.timestamp ||
      (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0) ||
      (a.eventId < b.eventId ? -1 : 1),
  );
  return out;
}

/** A 56-digit event ID, unique within the group, as CloudWatch's are. */
function eventId(windowIndex: number, eni: number, k: number): string {
  return `${String(windowIndex).padStart(20, '0')}${String(eni).padStart(6, '0')}${String(k).padStart(30, '0')}`;
}

/** Window indexes overlapping [startMs, endMs] that exist at `now`. */
export function windowsIn(s: FlowLogStreams, startMs: number, endMs: number, now: number): { from: number; to: number } {
  const span = windowSpan(s, now);
  const w = s.windowSec * 1000;
  // A window's events have timestamps within [wStart, wStart + window).
  return { from: Math.max(span.first, Math.floor(startMs / w)), to: Math.min(span.last, Math.floor(endMs / w)) };
}
