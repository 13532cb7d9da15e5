// The records parser and decoders: every field of versions 2-8, odd records, decoded values.
import assert from 'node:assert/strict';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage, fieldValue, packRecords, unpackRecords } from '../../src/shared/recordsParse';
import { decodeValue, humanBytes, isoTime, protocolName, protocolNumber, tcpFlagNames } from '../../src/shared/recordsDecode';
import { knownFlowLogFields } from '../../src/shared/logFormat';
import { cidrContains, formatIpv6, parseCidr, parseIpv6 } from '../../src/shared/ipAddresses';

describe('records: layout and parser', () => {
  it('the default format when LogFormat is missing or blank', () => {
    for (const f of [undefined, '', '   ', 42]) {
      const l = recordLayout(f);
      assert.deepEqual(
        l.fields.map((x) => x.name),
        [
          'version',
          'account-id',
          'interface-id',
          'srcaddr',
          'dstaddr',
          'srcport',
          'dstport',
          'protocol',
          'packets',
          'bytes',
          'start',
          'end',
          'action',
          'log-status',
        ],
      );
    }
  });

  it('every documented field (versions 2 to 8) is known, with a kind and a pattern-safe name', () => {
    const all = knownFlowLogFields().filter((f) => f.version <= 8);
    const format = all.map((f) => '${' + f.name + '}').join(' ');
    const l = recordLayout(format);
    assert.equal(l.fields.length, all.length);
    assert.ok(l.fields.every((f) => f.known && /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.patternName)));
    assert.equal(new Set(l.fields.map((f) => f.patternName)).size, l.fields.length);
    assert.equal(l.fields[l.index['srcaddr']].kind, 'address');
    assert.equal(l.fields[l.index['dstport']].kind, 'port');
    assert.equal(l.fields[l.index['tcp-flags']].kind, 'tcpFlags');
    assert.equal(l.fields[l.index['start']].kind, 'time');
    assert.equal(l.fields[l.index['ecs-task-arn']].kind, 'text');
    // A record with a value for every field parses to the same number of values.
    const msg = all.map((f, i) => (f.name === 'srcaddr' ? '10.0.0.1' : `v${i}`)).join(' ');
    const r = parseMessage(l, msg, 1000, 'eni-1-all', 'id1');
    assert.equal(r.bad, undefined);
    assert.equal(fieldValue(l, r, 'srcaddr'), '10.0.0.1');
    assert.equal(r.v.length, all.length);
  });

  it('unknown fields are kept as text; odd records are kept and marked, never dropped', () => {
    const l = recordLayout('${version} ${my-new-field} ${action}');
    assert.equal(l.fields[1].known, false);
    assert.equal(l.fields[1].kind, 'text');
    assert.equal(l.fields[1].patternName, 'my_new_field');
    const ok = parseMessage(l, '2 hello ACCEPT', 1);
    assert.deepEqual(ok.v, ['2', 'hello', 'ACCEPT']);
    const short = parseMessage(l, '2 ACCEPT', 1);
    assert.equal(short.bad, 'expected 3 fields, found 2');
    assert.equal(short.raw, '2 ACCEPT');
    assert.deepEqual(short.v, ['2', 'ACCEPT', '']);
    const long = parseMessage(l, '2 a b c d', 1);
    assert.match(long.bad!, /found 5/);
    assert.equal(long.v.length, 3);
    const empty = parseMessage(l, '', 1);
    assert.match(empty.bad!, /found 0/);
    const tabs = parseMessage(l, '  2\thello   ACCEPT \n', 1);
    assert.deepEqual(tabs.v, ['2', 'hello', 'ACCEPT']);
    const huge = parseMessage(l, `2 ${'x'.repeat(20_000)} ACCEPT`, 1);
    assert.ok(huge.bad);
    assert.ok(huge.raw!.length <= 16_384);
  });

  it('NODATA records parse with "-" as no value', () => {
    const l = recordLayout(undefined);
    const r = parseMessage(l, '2 123456789012 eni-0a1b2c3d - - - - - - - 1700000000 1700000600 - NODATA', 1);
    assert.equal(r.bad, undefined);
    assert.equal(fieldValue(l, r, 'log-status'), 'NODATA');
    assert.equal(decodeValue('srcport', 'port', '-'), undefined);
    assert.match(decodeValue('log-status', 'text', 'NODATA')!, /no network traffic/);
  });
});

describe('records: decoders', () => {
  it('protocols by IANA number and back', () => {
    assert.equal(protocolName('6'), 'TCP');
    assert.equal(protocolName('17'), 'UDP');
    assert.equal(protocolName('1'), 'ICMP');
    assert.equal(protocolName('58'), 'IPv6-ICMP');
    assert.equal(protocolName('50'), 'ESP');
    assert.equal(protocolName('200'), 'unassigned');
    assert.equal(protocolName('x'), undefined);
    assert.equal(protocolName('999'), undefined);
    assert.equal(protocolNumber('tcp'), 6);
    assert.equal(protocolNumber('UDP'), 17);
    assert.equal(protocolNumber('icmpv6'), 58);
    assert.equal(protocolNumber('17'), 17);
    assert.equal(protocolNumber('nope'), undefined);
  });

  it('tcp-flags, times, sizes, and field meanings', () => {
    assert.equal(tcpFlagNames('2'), 'SYN');
    assert.equal(tcpFlagNames('18'), 'SYN ACK');
    assert.equal(tcpFlagNames('19'), 'FIN SYN ACK');
    assert.equal(tcpFlagNames('0'), 'none');
    assert.equal(tcpFlagNames('300'), undefined);
    assert.equal(isoTime('1700000000'), '2023-11-14T22:13:20Z');
    assert.equal(isoTime('-'), undefined);
    assert.equal(humanBytes('512'), '512 B');
    assert.equal(humanBytes('1536'), '1.5 KiB');
    assert.equal(humanBytes('10485760'), '10 MiB');
    assert.match(decodeValue('traffic-path', 'int', '8')!, /internet gateway/);
    assert.match(decodeValue('reject-reason', 'text', 'BPA')!, /Block Public Access/);
    assert.match(decodeValue('flow-direction', 'text', 'egress')!, /outgoing/);
    assert.equal(decodeValue('protocol', 'protocol', '6'), 'TCP');
    assert.equal(decodeValue('start', 'time', '1700000000'), '2023-11-14T22:13:20Z');
  });

  it('addresses and CIDR blocks, IPv4 and IPv6', () => {
    assert.equal(formatIpv6(parseIpv6('2001:0db8:0000:0000:0000:0000:0000:0001')!), '2001:db8::1');
    assert.equal(formatIpv6(parseIpv6('::')!), '::');
    assert.equal(formatIpv6(parseIpv6('::ffff:10.0.0.1')!), '::ffff:a00:1');
    assert.equal(parseIpv6('1::2::3'), undefined);
    assert.equal(parseIpv6('12345::'), undefined);
    const c = parseCidr('10.0.16.0/20')!;
    assert.ok(cidrContains(c, '10.0.31.255'));
    assert.ok(!cidrContains(c, '10.0.32.0'));
    assert.ok(!cidrContains(c, '-'));
    assert.ok(cidrContains(parseCidr('2600:1f18::/32')!, '2600:1f18:abc:1::5'));
    assert.ok(!cidrContains(parseCidr('2600:1f18::/32')!, '10.0.0.1'));
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('10.0.0.256'), undefined);
    assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, '1.2.3.4'));
  });
});

describe('records: packed form (worker -> main thread)', () => {
  it('round-trips every record, odd ones included', () => {
    const l = recordLayout('${version} ${srcaddr} ${action}');
    const recs = [
      parseMessage(l, '2 10.0.0.1 ACCEPT', 5, 'eni-1-all', 'e1'),
      parseMessage(l, 'oops', 6),
      parseMessage(l, '2 - -', 7, undefined, 'e3'),
    ];
    assert.deepEqual(unpackRecords(structuredClone(packRecords(3, recs))), recs);
  });
});
