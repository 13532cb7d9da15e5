// Deterministic flow log records for the Insights tests: the record objects (ground truth for a
// brute-force answer) and the same records written in a LogFormat, as log events.
import { Random } from '../prng';
import type { InsightsEvent } from './engine';

export interface SampleRecord {
  version: number;
  accountId: string;
  interfaceId: string;
  /** null for NODATA / SKIPDATA records ("-" in the text). */
  srcAddr: string | null;
  dstAddr: string | null;
  srcPort: number | null;
  dstPort: number | null;
  protocol: number | null;
  packets: number | null;
  bytes: number | null;
  start: number;
  end: number;
  action: 'ACCEPT' | 'REJECT' | null;
  logStatus: 'OK' | 'NODATA' | 'SKIPDATA';
  vpcId: string;
  flowDirection: 'ingress' | 'egress';
}

const PRIVATE = ['10.0.1.10', '10.0.1.11', '10.0.2.20', '172.16.5.5', '172.31.255.1', '192.168.1.7'];
const PUBLIC = ['203.0.113.5', '198.51.100.23', '8.8.8.8', '172.32.0.1', '192.169.0.1', '11.0.0.1', '2001:db8::1'];
const PORTS = [22, 3389, 443, 80, 53, 8080, 5432, 123];

/** `count` records over [startMs, startMs + spanMs), one interface stream each of a few ENIs. */
export function sampleRecords(
  count: number,
  seed = 'insights',
  startMs = Date.UTC(2026, 10, 30, 0, 0, 0),
  spanMs = 6 * 3600_000,
): SampleRecord[] {
  const r = Random.fromKey(seed);
  const enis = ['eni-0a1b2c3d4e5f60001', 'eni-0a1b2c3d4e5f60002', 'eni-0a1b2c3d4e5f60003'];
  const out: SampleRecord[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((startMs + Math.floor((spanMs * i) / count)) / 1000);
    const end = start + r.int(1, 59);
    const interfaceId = r.pick(enis);
    const status = r.chance(0.04) ? 'NODATA' : r.chance(0.02) ? 'SKIPDATA' : 'OK';
    if (status !== 'OK') {
      out.push({
        version: 2,
        accountId: '123456789012',
        interfaceId,
        srcAddr: null,
        dstAddr: null,
        srcPort: null,
        dstPort: null,
        protocol: null,
        packets: null,
        bytes: null,
        start,
        end,
        action: null,
        logStatus: status,
        vpcId: 'vpc-0abc',
        flowDirection: 'ingress',
      });
      continue;
    }
    const inbound = r.chance(0.6);
    const outside = r.pick(PUBLIC.concat(PRIVATE));
    const inside = r.pick(PRIVATE);
    const dstPort = r.chance(0.7) ? r.pick(PORTS) : r.int(1024, 65535);
    const packets = r.int(1, 400);
    out.push({
      version: 2,
      accountId: '123456789012',
      interfaceId,
      srcAddr: inbound ? outside : inside,
      dstAddr: inbound ? inside : outside,
      srcPort: r.int(1024, 65535),
      dstPort,
      protocol: r.pick([6, 6, 6, 17, 1]),
      packets,
      bytes: packets * r.int(40, 1500),
      start,
      end,
      action: r.chance(0.3) ? 'REJECT' : 'ACCEPT',
      logStatus: 'OK',
      vpcId: 'vpc-0abc',
      flowDirection: inbound ? 'ingress' : 'egress',
    });
  }
  return out;
}

const FIELD_OF: Record<string, keyof SampleRecord> = {
  version: 'version',
  'account-id': 'accountId',
  'interface-id': 'interfaceId',
  srcaddr: 'srcAddr',
  dstaddr: 'dstAddr',
  srcport: 'srcPort',
  dstport: 'dstPort',
  protocol: 'protocol',
  packets: 'packets',
  bytes: 'bytes',
  start: 'start',
  end: 'end',
  action: 'action',
  'log-status': 'logStatus',
  'vpc-id': 'vpcId',
  'flow-direction': 'flowDirection',
};

/** The record as a line of a LogFormat ("${version} ${srcaddr} ..."); "-" for an absent value. */
export function recordLine(record: SampleRecord, logFormat: string): string {
  return [...logFormat.matchAll(/\$\{([^}]+)\}/g)]
    .map((m) => {
      const key = FIELD_OF[m[1]];
      if (!key) throw new Error(`sampleRecords: no field ${m[1]}`);
      const v = record[key];
      return v === null ? '-' : String(v);
    })
    .join(' ');
}

export function sampleEvents(
  records: readonly SampleRecord[],
  logFormat: string,
  logGroupName = '/vpc/flow-logs',
  accountId = '123456789012',
): InsightsEvent[] {
  return records.map((record) => ({
    timestamp: record.start * 1000,
    message: recordLine(record, logFormat),
    logStreamName: `${record.interfaceId}-all`,
    logGroupName,
    accountId,
  }));
}
