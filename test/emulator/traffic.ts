// The shape of the demo's traffic, shared by the CloudWatch Logs and the S3 record generators, so
// that every analysis shows something a user recognises (issue 24.13):
// - heavy-tailed talkers: each interface has a few steady peers, Zipf-weighted, whose flows carry
//   most of the bytes (rank 1 about 40 MB a flow, rank 5 about 1 MB), many flows per pair;
// - REJECT scans: a few sources per account and region probe 22, 3389 and 445 on every interface,
//   one or two SYN packets each;
// - the rest is background traffic, as each generator drew it before (NODATA and SKIPDATA stay).
// Deterministic: the peers and scanners come from the seed, each flow's draw from the caller's Random.
import { Random } from './prng';

/** Ports a scanner probes: SSH, RDP, SMB. */
export const SCAN_PORTS = [22, 3389, 445] as const;
/** Share of records that are a talker's flow, and a scan probe (when the flow log records REJECT). */
const TALKER_SHARE = 0.45;
const SCAN_SHARE = 0.15;

interface Talker {
  peer: string;
  port: number;
  /** The interface opened the connection (egress to the peer's port), else the peer did. */
  outbound: boolean;
  bytesPerFlow: number;
}

const TALKER_PORTS = [443, 5432, 6379, 443, 9092, 2049];
// Documentation addresses (RFC 5737) for the public peers and the scanners: real-looking, nobody's.
const PUBLIC = ['203.0.113.', '198.51.100.', '192.0.2.'];

const talkerCache = new Map<string, Talker[]>();
const scannerCache = new Map<string, string[]>();

/** An interface's steady peers, rank 1 first (the heaviest). */
export function talkersOf(seed: number, eni: string): Talker[] {
  const key = `${seed}|${eni}`;
  let list = talkerCache.get(key);
  if (!list) {
    const r = Random.fromKey(`${seed}|talkers|${eni}`);
    list = [1, 2, 3, 4, 5].map((rank) => ({
      peer: rank <= 3 ? `10.${r.int(0, 31)}.${r.int(0, 255)}.${r.int(4, 250)}` : `${r.pick(PUBLIC)}${r.int(1, 254)}`,
      port: r.pick(TALKER_PORTS),
      outbound: r.chance(0.7),
      bytesPerFlow: Math.round(40_000_000 / rank ** 2.3),
    }));
    if (talkerCache.size > 10_000) talkerCache.clear();
    talkerCache.set(key, list);
  }
  return list;
}

/** The few scanning sources of an account and region. */
export function scannersOf(seed: number, scope: string): string[] {
  const key = `${seed}|${scope}`;
  let list = scannerCache.get(key);
  if (!list) {
    const r = Random.fromKey(`${seed}|scanners|${scope}`);
    list = [0, 1, 2].map((i) => `${PUBLIC[i]}${r.int(1, 254)}`);
    scannerCache.set(key, list);
  }
  return list;
}

export interface ShapedFlow {
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  action: 'ACCEPT' | 'REJECT';
  ingress: boolean;
  tcpFlags: number;
}

/**
 * A talker's flow or a scan probe for the interface `eni` (address `own`), or undefined for a
 * background flow (the generator draws it as before). `traffic` is the flow log's TrafficType: an
 * ACCEPT-only log has no probes, a REJECT-only one no talkers.
 */
export function shapeFlow(r: Random, seed: number, scope: string, eni: string, own: string, traffic: string): ShapedFlow | undefined {
  const roll = r.next();
  const ephemeral = r.int(32768, 60999);
  if (roll < TALKER_SHARE && traffic !== 'REJECT') {
    const talkers = talkersOf(seed, eni);
    // Zipf weights 1, 1/2, 1/3...: the first peer has the most flows as well as the largest ones.
    const weights = talkers.map((_, i) => 1 / (i + 1));
    let pick = r.next() * weights.reduce((a, b) => a + b, 0);
    let t = talkers[0];
    for (let i = 0; i < talkers.length; i++) {
      pick -= weights[i];
      if (pick <= 0) {
        t = talkers[i];
        break;
      }
    }
    const bytes = Math.max(40, Math.round(t.bytesPerFlow * (0.6 + 0.8 * r.next())));
    const packets = Math.max(1, Math.ceil(bytes / 1400));
    return {
      srcaddr: t.outbound ? own : t.peer,
      dstaddr: t.outbound ? t.peer : own,
      srcport: ephemeral,
      dstport: t.port,
      protocol: 6,
      packets,
      bytes,
      action: 'ACCEPT',
      ingress: !t.outbound,
      tcpFlags: r.pick([3, 19, 27]),
    };
  }
  if (roll < TALKER_SHARE + SCAN_SHARE && traffic !== 'ACCEPT') {
    const packets = r.int(1, 2);
    return {
      srcaddr: r.pick(scannersOf(seed, scope)),
      dstaddr: own,
      srcport: ephemeral,
      dstport: r.pick([...SCAN_PORTS]),
      protocol: 6,
      packets,
      bytes: packets * r.pick([40, 44, 60]),
      action: 'REJECT',
      ingress: true,
      tcpFlags: 2,
    };
  }
  return undefined;
}
