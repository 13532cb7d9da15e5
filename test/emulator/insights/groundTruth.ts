// The answer of each built-in analysis computed straight from record objects (no Insights
// engine, no query text): what the unit and integration tests compare the answers with.
import type { AnalysisId, BuiltQuery } from '../../../src/shared/insightsAnalyses';
import type { Cell } from '../../../src/shared/insightsResults';
import { recordLayout } from '../../../src/shared/recordsFields';
import { fieldValue, parseEvents, type RawEvent } from '../../../src/shared/recordsParse';
import type { SampleRecord } from './sampleRecords';

/** Records as objects, from log events in a LogFormat (read by the records explorer's parser). */
export function recordsFromEvents(logFormat: string | undefined, events: readonly RawEvent[]): (SampleRecord & { timestamp: number })[] {
  const layout = recordLayout(logFormat);
  return parseEvents(layout, events).map((r) => {
    const text = (name: string) => {
      const v = fieldValue(layout, r, name);
      return v === '-' || v === '' ? null : v;
    };
    const num = (name: string) => (text(name) === null ? null : Number(text(name)));
    return {
      timestamp: r.t,
      version: num('version') ?? 0,
      accountId: text('account-id') ?? '',
      interfaceId: text('interface-id') ?? '',
      srcAddr: text('srcaddr'),
      dstAddr: text('dstaddr'),
      srcPort: num('srcport'),
      dstPort: num('dstport'),
      protocol: num('protocol'),
      packets: num('packets'),
      bytes: num('bytes'),
      start: num('start') ?? Math.floor(r.t / 1000),
      end: num('end') ?? 0,
      action: text('action') as SampleRecord['action'],
      logStatus: (text('log-status') ?? 'OK') as SampleRecord['logStatus'],
      vpcId: text('vpc-id') ?? '',
      flowDirection: text('flow-direction') as SampleRecord['flowDirection'],
    };
  });
}

const PRIVATE = (a: string) => /^10\./.test(a) || /^192\.168\./.test(a) || /^172\.(1[6-9]|2\d|3[01])\./.test(a);

/**
 * The rows of an analysis keyed by JSON of its key cells (recordsOfAddress: by time, addresses
 * and ports). Records are taken in the query's time range by their event time.
 */
export function bruteForce(
  id: AnalysisId,
  q: BuiltQuery,
  records: readonly (SampleRecord & { timestamp?: number })[],
  address?: string,
): Map<string, Cell[]> {
  const out = new Map<string, Cell[]>();
  // A sum over no number is null (as SQL's SUM and the endpoint's stats): a bin of NODATA records
  // only has records but no bytes.
  const add = (key: Cell[], values: (number | null)[]) => {
    const k = JSON.stringify(key);
    const have = out.get(k);
    if (!have) out.set(k, [...key, ...values]);
    else
      values.forEach((v, i) => {
        const at = key.length + i;
        if (v !== null) have[at] = ((have[at] as number | null) ?? 0) + v;
      });
  };
  const time = (r: SampleRecord & { timestamp?: number }) => r.timestamp ?? r.start * 1000;
  const bin = (r: SampleRecord & { timestamp?: number }) => Math.floor(time(r) / (q.binSeconds! * 1000)) * q.binSeconds! * 1000;
  for (const r of records) {
    if (time(r) < q.startTime * 1000 || time(r) > q.endTime * 1000 + 999) continue;
    const ok = r.srcAddr !== null;
    switch (id) {
      case 'topTalkers':
        if (ok) add([r.srcAddr, r.dstAddr], [r.bytes!, r.packets!, 1]);
        break;
      case 'topRejected':
        if (r.action === 'REJECT') add([r.srcAddr, r.dstPort], [1, r.packets!]);
        break;
      case 'sshRdpFromOutside':
        if (r.action === 'ACCEPT' && (r.dstPort === 22 || r.dstPort === 3389) && !PRIVATE(r.srcAddr!))
          add([r.srcAddr, r.dstAddr, r.dstPort], [1, r.bytes!]);
        break;
      case 'topDstPorts':
        if (r.dstPort !== null) add([r.dstPort, r.protocol], [1, r.bytes!, r.packets!]);
        break;
      case 'perInterface':
        // NODATA records have an interface but no bytes: they count as records, add no bytes.
        add([r.interfaceId], [r.bytes ?? null, r.packets ?? null, 1]);
        break;
      case 'trafficOverTime':
        add([bin(r)], [r.bytes ?? null, r.packets ?? null, 1]);
        break;
      case 'noDataSkipData':
        if (r.logStatus !== 'OK') add([bin(r), r.logStatus], [1]);
        break;
      case 'recordsOfAddress':
        if (r.srcAddr === address || r.dstAddr === address) add([time(r), r.srcAddr, r.srcPort, r.dstAddr, r.dstPort], []);
        break;
    }
  }
  return out;
}
