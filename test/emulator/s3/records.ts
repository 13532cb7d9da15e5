// Deterministic flow log records: the same (seed, flow log, 5-minute window) always gives the same
// records, written in the flow log's own LogFormat. The S3 objects of the emulator are made of them
// (one window per object); nothing depends on the wall clock except which windows exist.
import type { FlowLog } from '../../../src/shared/types';
import { Random, hashString } from '../prng';
import { shapeFlow } from '../traffic';
import { recordVersion } from '../recordVersion';

export const WINDOW_MS = 5 * 60_000;

/** The field names of a LogFormat, in order ("${a} ${b}" -> ["a", "b"]); the AWS default when empty. */
export function formatFields(logFormat: string | undefined): string[] {
  const text = logFormat && logFormat.trim() ? logFormat : DEFAULT_FORMAT;
  return [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
}

const DEFAULT_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** Fields AWS writes as numbers in Parquet (INT32 / INT64); the others are strings. */
export const INT32_FIELDS = new Set(['version', 'srcport', 'dstport', 'protocol', 'tcp-flags', 'traffic-path']);
export const INT64_FIELDS = new Set(['packets', 'bytes', 'start', 'end', 'ecs-container-instance-arn-unused']);

const PORTS = [443, 80, 22, 3389, 53, 123, 5432, 3306, 6379, 8080, 8443, 25, 9200];
const SERVICES = ['AMAZON', 'S3', 'DYNAMODB', 'EC2', 'CLOUDFRONT', 'ROUTE53'];

function ipv4(r: Random, publicAddress: boolean): string {
  if (!publicAddress) return `10.${r.int(0, 3)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  return `${r.pick([3, 18, 34, 52, 54, 198, 203])}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

function ipv6(r: Random): string {
  return `2600:1f18:${r.hex(4)}:${r.hex(4)}::${r.hex(3)}`;
}

/** An interface's own private address (stable: a talker's flows keep it). */
function eniAddress(seed: number, eni: string): string {
  const r = Random.fromKey(`${seed}|addr|${eni}`);
  return `10.${r.int(0, 3)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

/** Interfaces of a flow log: a stable pool of 2 to 6. */
export function interfacesOf(flowLog: FlowLog, seed: number): string[] {
  const r = Random.fromKey(`${seed}|enis|${flowLog.FlowLogId}`);
  const n = r.int(2, 6);
  return Array.from({ length: n }, () => `eni-${r.hex(17)}`);
}

/** Records per window: 5 to 40, sometimes none (a quiet window still has an object: NODATA rows). */
export function recordCount(flowLog: FlowLog, seed: number, windowStart: number): number {
  const h = hashString(`${seed}|count|${flowLog.FlowLogId}|${windowStart}`);
  return 5 + (h % 36);
}

/**
 * The records of one window as value arrays in `fields` order ("-" is no value). `count` overrides
 * how many (the very large object). Record start times fall in [windowStart, windowStart + 5 min).
 */
export function windowRecords(
  flowLog: FlowLog,
  accountId: string,
  region: string,
  seed: number,
  windowStart: number,
  count?: number,
): string[][] {
  const fields = formatFields(flowLog.LogFormat);
  const enis = interfacesOf(flowLog, seed);
  const r = Random.fromKey(`${seed}|records|${flowLog.FlowLogId}|${windowStart}|${count ?? ''}`);
  const n = count ?? recordCount(flowLog, seed, windowStart);
  const version = String(recordVersion(fields));
  const vpc = `vpc-${Random.fromKey(`${seed}|vpc|${flowLog.FlowLogId}`).hex(17)}`;
  const rows: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const status = r.chance(0.03) ? 'NODATA' : r.chance(0.02) ? 'SKIPDATA' : 'OK';
    const traffic = flowLog.TrafficType ?? 'ALL';
    const eni = r.pick(enis);
    // A talker's flow or a scan probe (test/emulator/traffic.ts), else background traffic.
    const shaped = shapeFlow(r, seed, `${accountId}|${region}`, eni, eniAddress(seed, eni), traffic);
    const v6 = !shaped && r.chance(0.1);
    const outbound = shaped ? !shaped.ingress : r.chance(0.5);
    const local = v6 ? ipv6(r) : ipv4(r, false);
    const remote = v6 ? ipv6(r) : ipv4(r, r.chance(0.6));
    const protocol = shaped ? shaped.protocol : v6 && r.chance(0.1) ? 58 : r.chance(0.75) ? 6 : r.chance(0.8) ? 17 : 1;
    const servicePort = r.pick(PORTS);
    const ephemeral = r.int(1024, 65535);
    const start = Math.floor((windowStart + Math.floor(r.next() * WINDOW_MS)) / 1000);
    const end = start + r.int(1, 60);
    const packets = shaped ? shaped.packets : r.int(1, 2000);
    const bytes = shaped ? shaped.bytes : packets * r.int(40, 1500);
    const action = shaped
      ? shaped.action
      : traffic === 'ACCEPT'
        ? 'ACCEPT'
        : traffic === 'REJECT'
          ? 'REJECT'
          : r.chance(0.8)
            ? 'ACCEPT'
            : 'REJECT';
    const noData = status !== 'OK';
    const value = (field: string): string => {
      if (noData && !['version', 'account-id', 'interface-id', 'start', 'end', 'log-status'].includes(field)) return '-';
      switch (field) {
        case 'version':
          return version;
        case 'account-id':
          return accountId;
        case 'interface-id':
          return eni;
        case 'srcaddr':
        case 'pkt-srcaddr':
          return shaped ? shaped.srcaddr : outbound ? local : remote;
        case 'dstaddr':
        case 'pkt-dstaddr':
          return shaped ? shaped.dstaddr : outbound ? remote : local;
        case 'srcport':
          return shaped ? String(shaped.srcport) : protocol === 1 || protocol === 58 ? '0' : String(outbound ? ephemeral : servicePort);
        case 'dstport':
          return shaped ? String(shaped.dstport) : protocol === 1 || protocol === 58 ? '0' : String(outbound ? servicePort : ephemeral);
        case 'protocol':
          return String(protocol);
        case 'packets':
          return String(packets);
        case 'bytes':
          return String(bytes);
        case 'start':
          return String(start);
        case 'end':
          return String(end);
        case 'action':
          return action;
        case 'log-status':
          return status;
        case 'vpc-id':
          return vpc;
        case 'subnet-id':
          return `subnet-${eni.slice(4, 21)}`;
        case 'instance-id':
          return `i-${eni.slice(4, 21)}`;
        case 'tcp-flags':
          return shaped ? String(shaped.tcpFlags) : protocol === 6 ? String(r.pick([2, 18, 16, 1, 4, 19, 3])) : '0';
        case 'type':
          return v6 ? 'IPv6' : 'IPv4';
        case 'region':
          return region;
        case 'az-id':
          return `use1-az${1 + (hashString(eni) % 6)}`;
        case 'sublocation-type':
        case 'sublocation-id':
          return '-';
        case 'pkt-src-aws-service':
          return !outbound && r.chance(0.2) ? r.pick(SERVICES) : '-';
        case 'pkt-dst-aws-service':
          return outbound && r.chance(0.2) ? r.pick(SERVICES) : '-';
        case 'flow-direction':
          return outbound ? 'egress' : 'ingress';
        case 'traffic-path':
          return outbound ? String(r.int(1, 8)) : '-';
        default:
          return '-';
      }
    };
    rows[i] = fields.map(value);
  }
  return rows;
}
