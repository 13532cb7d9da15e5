// Field filters → CloudWatch space-delimited pattern + residual filter, proven on generated
// records: (events the local endpoint's matcher selects with the pattern) ∩ (residual filter)
// = (a brute-force filter over every record), for every filter kind and every demo format.
import assert from 'node:assert/strict';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { EITHER_ADDRESS, planFilters, recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';
import { compilePattern } from '../emulator/logs/pattern';
import { streamsOf, windowEvents } from '../emulator/logs/records';
import type { FlowLog } from '../../src/shared/types';

const FORMATS = [
  undefined,
  '${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}',
  '${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${packets} ${start} ${end} ${action}',
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${traffic-path} ${reject-reason} ${my-custom}',
];

function sample(format: string | undefined, windows = 300) {
  const fl: FlowLog = {
    FlowLogId: 'fl-0123456789abcdef0',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: 'g',
    LogFormat: format,
    MaxAggregationInterval: 600,
    ResourceId: 'vpc-1',
    TrafficType: 'ALL',
  };
  const s = streamsOf(7, '111111111111', 'us-east-1', fl);
  const events = [];
  for (let w = 2_800_000; w < 2_800_000 + windows; w++) events.push(...windowEvents(s, w));
  // Odd records: too short, too long, blank.
  events.push({ timestamp: 1, ingestionTime: 1, logStreamName: 'x', eventId: 'bad1', message: '10.0.0.1 REJECT' });
  events.push({ timestamp: 1, ingestionTime: 1, logStreamName: 'x', eventId: 'bad2', message: `${events[0].message} extra` });
  return events;
}

const CASES: FieldFilter[][] = [
  [{ field: 'action', value: 'REJECT' }],
  [{ field: 'action', value: '!ACCEPT' }],
  [{ field: 'dstport', value: '443' }],
  [{ field: 'dstport', value: '80,443,22' }],
  [{ field: 'dstport', value: '1024-65535' }],
  [{ field: 'dstport', value: '20-23,440-450' }],
  [{ field: 'dstport', value: '!443' }],
  [{ field: 'dstport', value: '!1-1023' }],
  [
    { field: 'srcport', value: '>40000' },
    { field: 'protocol', value: 'tcp' },
  ],
  [{ field: 'protocol', value: 'udp,icmp' }],
  [{ field: 'srcaddr', value: '10.0.0.0/8' }],
  [{ field: 'srcaddr', value: '10.16.0.0/12' }],
  [{ field: 'dstaddr', value: '10.0.0.0/20' }],
  [{ field: 'dstaddr', value: '52.94.*' }],
  [{ field: 'srcaddr', value: '!10.0.0.0/8' }],
  [{ field: 'srcaddr', value: '2600:1f18::/32' }],
  [{ field: EITHER_ADDRESS, value: '203.0.113.0/24' }],
  [{ field: EITHER_ADDRESS, value: '!10.0.0.0/8' }],
  [{ field: 'log-status', value: 'NODATA,SKIPDATA' }],
  [{ field: 'interface-id', value: 'eni-*' }],
  [
    { field: 'bytes', value: '>100000' },
    { field: 'packets', value: '<=3' },
  ],
  [{ field: 'tcp-flags', value: '2,18' }],
  [
    { field: 'flow-direction', value: 'ingress' },
    { field: 'action', value: 'REJECT' },
  ],
  [
    { field: 'dstport', value: '443' },
    { field: 'dstport', value: '!443' },
  ],
  [{ field: 'my-custom', value: '-' }],
];

describe('records: filters → pattern + residual, against the endpoint matcher and brute force', () => {
  for (const format of FORMATS) {
    const layout = recordLayout(format);
    const events = sample(format);
    const records = events.map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId));
    for (const filters of CASES) {
      if (!filters.every((f) => (f.field === EITHER_ADDRESS ? 'srcaddr' in layout.index : f.field in layout.index))) continue;
      it(`${format ? `${layout.fields.length}-field format` : 'default format'}: ${filters.map((f) => `${f.field}=${f.value}`).join(' & ')}`, () => {
        const plan = planFilters(layout, filters);
        assert.deepEqual(plan.errors, []);
        const brute = records.filter(recordPredicate(layout, filters)).map((r) => r.id);
        const match = compilePattern(plan.pattern);
        const residual = recordPredicate(layout, plan.residual);
        const viaServer = records
          .filter((r, i) => match(events[i].message))
          .filter(residual)
          .map((r) => r.id);
        assert.deepEqual(viaServer, brute);
        // Exact parts need no residual: the pattern alone selects them.
        if (plan.residual.length === 0)
          assert.deepEqual(
            records.filter((r, i) => match(events[i].message)).map((r) => r.id),
            brute,
          );
      });
    }
  }

  it('the cases are selective on the default format (each matches some records, not all)', () => {
    const layout = recordLayout(undefined);
    const events = sample(undefined);
    const records = events.map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId));
    let selective = 0;
    for (const filters of CASES) {
      if (!filters.every((f) => f.field === EITHER_ADDRESS || f.field in layout.index)) continue;
      const n = records.filter(recordPredicate(layout, filters)).length;
      if (n > 0 && n < records.length) selective++;
    }
    assert.ok(selective >= 15, `only ${selective} selective cases`);
  });

  it('patterns look as CloudWatch expects, and placements are reported', () => {
    const layout = recordLayout(undefined);
    const p = planFilters(layout, [
      { field: 'dstaddr', value: '10.0.1.0/24' },
      { field: 'action', value: 'REJECT' },
      { field: 'dstport', value: '1024-65535' },
    ]);
    assert.equal(
      p.pattern,
      '[version, account_id, interface_id, srcaddr, dstaddr="10.0.1.*", srcport, dstport>=1024 && dstport<=65535, protocol, packets, bytes, start, end, action="REJECT", log_status]',
    );
    assert.deepEqual(
      p.items.map((i) => i.placement),
      ['server', 'server', 'server'],
    );
    const q = planFilters(layout, [
      { field: 'dstaddr', value: '10.0.16.0/20' },
      { field: EITHER_ADDRESS, value: '1.2.3.4' },
    ]);
    assert.deepEqual(
      q.items.map((i) => i.placement),
      ['both', 'client'],
    );
    assert.equal(q.residual.length, 2);
    assert.match(q.items[0].note!, /\/20/);
    const raw = planFilters(layout, [{ field: 'action', value: 'REJECT' }], '"REJECT"');
    assert.equal(raw.pattern, '"REJECT"');
    assert.equal(raw.items[0].placement, 'client');
    assert.equal(planFilters(layout, []).pattern, '');
  });

  it('bad filter text is an error with a message, not a crash', () => {
    const layout = recordLayout(undefined);
    const p = planFilters(layout, [
      { field: 'dstport', value: 'https' },
      { field: 'srcaddr', value: '10.0.0.999' },
      { field: 'nope', value: 'x' },
      { field: 'protocol', value: 'tcpx' },
      { field: 'dstport', value: '9-1' },
      { field: 'action', value: '  ' },
    ]);
    assert.equal(p.errors.length, 6);
    assert.match(p.errors[0], /not a number or range/);
    assert.match(p.errors[1], /not an IP address/);
    assert.match(p.errors[2], /no field nope/);
    assert.match(p.errors[3], /protocol/);
    assert.match(p.errors[4], /reversed/);
    assert.match(p.errors[5], /Enter a value/);
  });
});

describe('emulator filter pattern matcher (documented syntax)', () => {
  const m = (p: string, msg: string) => compilePattern(p)(msg);
  it('terms, quoted terms, ? alternatives and - exclusions', () => {
    assert.ok(m('REJECT', '2 a REJECT OK'));
    assert.ok(!m('REJECT', '2 a ACCEPT OK'));
    assert.ok(m('REJECT OK', '2 REJECT OK'));
    assert.ok(!m('REJECT NODATA', '2 REJECT OK'));
    assert.ok(m('"a REJECT"', '2 a REJECT OK'));
    assert.ok(m('?NODATA ?SKIPDATA', 'x SKIPDATA'));
    assert.ok(!m('?NODATA ?SKIPDATA', 'x OK'));
    assert.ok(m('eni -REJECT', 'eni ACCEPT'));
    assert.ok(!m('eni -REJECT', 'eni REJECT'));
    assert.ok(m('', 'anything'));
  });
  it('space-delimited: names, comparisons, wildcards, && and ||, ellipsis', () => {
    assert.ok(m('[a, b, c]', 'x y z'));
    assert.ok(!m('[a, b, c]', 'x y'));
    assert.ok(m('[a, b=y, c]', 'x y z'));
    assert.ok(m('[a, b="y*", c]', 'x yes z'));
    assert.ok(m('[a, b=4*, c]', 'x 404 z'));
    assert.ok(!m('[a, b=4*, c]', 'x 504 z'));
    assert.ok(m('[a, b>=400 && b<500, c]', 'x 404 z'));
    assert.ok(!m('[a, b>=400 && b<500, c]', 'x 504 z'));
    assert.ok(m('[a, b=1 || b=2, c]', 'x 2 z'));
    assert.ok(!m('[a, b>1, c]', 'x - z'));
    assert.ok(!m('[a, b!=1, c]', 'x - z'));
    assert.ok(m('[a, b!="1", c]', 'x - z'));
    assert.ok(m('[..., c=z]', 'x y z'));
    assert.ok(m('[a, ..., c=z]', 'x y w z'));
    assert.ok(m('[a, b="two words"]', 'x "two words"'));
    assert.throws(() => compilePattern('[a, b>x]'), /needs a number/);
    assert.throws(() => compilePattern('[a, b="x]'), /Unterminated/);
    assert.throws(() => compilePattern('{ $.a = 1 }'), /JSON/);
    assert.throws(() => compilePattern('[a, b=1 || c=2]'), /different fields/);
  });
});
