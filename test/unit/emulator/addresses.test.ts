// Every address the local endpoint generates must be a real IPv4 or IPv6 address: the records
// explorer, the Insights analyses and the filters all parse them, and a three-octet "34.120.211"
// once slipped through because a two-octet prefix got only one more number.
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import type { FlowLog } from '../../../src/shared/types';
import { streamsOf, windowEvents } from '../../emulator/logs/records';
import { formatFields, windowRecords } from '../../emulator/s3/records';

const ADDRESS_FIELDS = ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'];
const ALL_FIELDS =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id} ${flow-direction} ${traffic-path}';

function flowLog(i: number, destination: 'cloud-watch-logs' | 's3'): FlowLog {
  return {
    FlowLogId: `fl-${String(i).padStart(17, '0')}`,
    ResourceId: `vpc-${String(i).padStart(17, '0')}`,
    LogDestinationType: destination,
    LogGroupName: destination === 'cloud-watch-logs' ? `/flow/${i}` : undefined,
    LogDestination: destination === 's3' ? `arn:aws:s3:::bucket-${i}` : undefined,
    LogFormat: i % 2 === 0 ? ALL_FIELDS : undefined,
    TrafficType: 'ALL',
    MaxAggregationInterval: i % 3 === 0 ? 60 : 600,
  } as FlowLog;
}

function checkAddresses(fields: string[], values: string[], where: string, counts: { v4: number; v6: number }): void {
  fields.forEach((f, i) => {
    if (!ADDRESS_FIELDS.includes(f) || values[i] === '-') return;
    const kind = isIP(values[i]);
    assert.ok(kind === 4 || kind === 6, `${where}: ${f} = "${values[i]}" is not an IPv4 or IPv6 address`);
    if (kind === 4) counts.v4++;
    else counts.v6++;
  });
}

describe('emulator: generated addresses', () => {
  it('every srcaddr/dstaddr/pkt-*addr of the CloudWatch Logs generator is a valid IPv4 or IPv6 address', () => {
    const counts = { v4: 0, v6: 0 };
    let events = 0;
    for (let i = 0; i < 40; i++) {
      const s = streamsOf(1234 + i, '111122223333', 'us-east-1', flowLog(i, 'cloud-watch-logs'));
      for (let w = 1000; w < 1040; w++) {
        for (const e of windowEvents(s, w)) {
          events++;
          checkAddresses(s.fields, e.message.split(' '), `${s.flowLog.FlowLogId} window ${w}`, counts);
        }
      }
    }
    assert.ok(events > 10_000, `a large sample (${events} events)`);
    assert.ok(counts.v4 > 1000 && counts.v6 > 100, `both families seen (${counts.v4} IPv4, ${counts.v6} IPv6)`);
  });

  it('every address field of the S3 generator is a valid IPv4 or IPv6 address', () => {
    const counts = { v4: 0, v6: 0 };
    let rows = 0;
    for (let i = 0; i < 40; i++) {
      const fl = flowLog(i, 's3');
      const fields = formatFields(fl.LogFormat);
      for (let w = 0; w < 40; w++) {
        for (const row of windowRecords(fl, '111122223333', 'us-east-1', 99 + i, 1_700_000_000_000 + w * 300_000)) {
          rows++;
          checkAddresses(fields, row, `${fl.FlowLogId} window ${w}`, counts);
        }
      }
    }
    assert.ok(rows > 10_000, `a large sample (${rows} rows)`);
    assert.ok(counts.v4 > 1000 && counts.v6 > 100, `both families seen (${counts.v4} IPv4, ${counts.v6} IPv6)`);
  });
});
