// The demo's records look like a real network (issue 24.13), on both the CloudWatch Logs and the S3
// paths of the local endpoint: a few pairs carry most of the bytes over many flows, a few sources
// are rejected on 22/3389/445, NODATA/SKIPDATA now and then; and the same seed gives the same records.
import assert from 'node:assert/strict';
import type { FlowLog } from '../../../src/shared/types';
import { streamsOf, windowEvents } from '../../emulator/logs/records';
import { windowRecords, formatFields, WINDOW_MS } from '../../emulator/s3/records';
import { SCAN_PORTS } from '../../emulator/traffic';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const SEED = 42;
const flowLog = (id: string, traffic = 'ALL', extra: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: id,
  ResourceId: 'vpc-0123456789abcdef0',
  TrafficType: traffic,
  LogDestinationType: 'cloud-watch-logs',
  LogGroupName: '/vpc/flow',
  MaxAggregationInterval: 600,
  ...extra,
});

interface Rec {
  src: string;
  dst: string;
  dstport: number;
  bytes: number;
  action: string;
  status: string;
}

/** Records of `windows` consecutive windows, in the default format's field order. */
function cloudWatchRecords(f: FlowLog, windows = 72): Rec[] {
  const s = streamsOf(SEED, ACCOUNT, REGION, f);
  const first = Math.floor(Date.UTC(2026, 11, 1) / 1000 / s.windowSec);
  const out: Rec[] = [];
  for (let w = first; w < first + windows; w++)
    for (const e of windowEvents(s, w)) {
      const v = e.message.split(' ');
      out.push({ src: v[3], dst: v[4], dstport: Number(v[6]), bytes: Number(v[9]), action: v[12], status: v[13] });
    }
  return out;
}

function s3Records(f: FlowLog, windows = 72): Rec[] {
  const fields = formatFields(f.LogFormat);
  const at = (name: string) => fields.indexOf(name);
  const out: Rec[] = [];
  for (let i = 0; i < windows; i++)
    for (const row of windowRecords(f, ACCOUNT, REGION, SEED, Date.UTC(2026, 11, 1) + i * WINDOW_MS))
      out.push({
        src: row[at('srcaddr')],
        dst: row[at('dstaddr')],
        dstport: Number(row[at('dstport')]),
        bytes: Number(row[at('bytes')]),
        action: row[at('action')],
        status: row[at('log-status')],
      });
  return out;
}

for (const [path, records] of [
  ['CloudWatch Logs', cloudWatchRecords],
  ['S3', s3Records],
] as const)
  describe(`demo traffic looks like a real network (${path})`, () => {
    const recs = records(flowLog('fl-0000000000000000a'));
    const ok = recs.filter((r) => r.status === 'OK');

    it('heavy-tailed talkers: the top 5 pairs carry most of the bytes, over many flows each', () => {
      const pairs = new Map<string, { bytes: number; flows: number }>();
      for (const r of ok) {
        const p = pairs.get(`${r.src}>${r.dst}`) ?? { bytes: 0, flows: 0 };
        p.bytes += r.bytes;
        p.flows += 1;
        pairs.set(`${r.src}>${r.dst}`, p);
      }
      const total = ok.reduce((n, r) => n + r.bytes, 0);
      const top = [...pairs.values()].sort((a, b) => b.bytes - a.bytes);
      const top5 = top.slice(0, 5).reduce((n, p) => n + p.bytes, 0);
      assert.ok(top5 / total > 0.5, `top 5 of ${pairs.size} pairs carry ${((100 * top5) / total).toFixed(1)}% of the bytes`);
      assert.ok(top[0].bytes > 5 * top[9].bytes, 'the heaviest pair carries many times the tenth');
      for (const p of top.slice(0, 5)) assert.ok(p.flows >= 10, `a top pair has many flows (${p.flows})`);
    });

    it('REJECT scans on 22/3389/445 from a few sources', () => {
      const scans = ok.filter((r) => r.action === 'REJECT' && (SCAN_PORTS as readonly number[]).includes(r.dstport) && r.bytes <= 120);
      assert.ok(scans.length >= 20, `${scans.length} probes`);
      const sources = new Map<string, number>();
      for (const r of scans) sources.set(r.src, (sources.get(r.src) ?? 0) + 1);
      const top3 = [...sources.values()].sort((a, b) => b - a).slice(0, 3);
      assert.ok(top3.reduce((a, b) => a + b, 0) / scans.length > 0.8, 'three sources send most probes');
      for (const port of SCAN_PORTS)
        assert.ok(
          scans.some((r) => r.dstport === port),
          `port ${port} probed`,
        );
    });

    it('NODATA or SKIPDATA now and then', () => {
      const quiet = recs.filter((r) => r.status === 'NODATA' || r.status === 'SKIPDATA').length;
      assert.ok(quiet > 0 && quiet < recs.length * 0.1, `${quiet} of ${recs.length}`);
    });

    it('an ACCEPT-only flow log has no probes, a REJECT-only one no talkers; the same seed gives the same records', () => {
      assert.ok(!records(flowLog('fl-0000000000000000b', 'ACCEPT')).some((r) => r.action === 'REJECT'));
      assert.ok(records(flowLog('fl-0000000000000000c', 'REJECT')).every((r) => r.status !== 'OK' || r.action === 'REJECT'));
      assert.deepEqual(records(flowLog('fl-0000000000000000a')), recs);
    });
  });
