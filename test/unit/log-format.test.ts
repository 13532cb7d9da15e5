import * as assert from 'node:assert/strict';
import { DEFAULT_LOG_FORMAT, knownFlowLogFields, parseLogFormat, flowLogFieldInfo } from '../../src/shared/logFormat';

const DEFAULT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

describe('parseLogFormat', () => {
  it('knows the default format exactly as AWS returns it', () => {
    assert.equal(DEFAULT_LOG_FORMAT, DEFAULT);
    const parsed = parseLogFormat(DEFAULT);
    assert.equal(parsed.isDefault, true);
    assert.equal(parsed.version, 2);
    assert.deepEqual(
      parsed.entries.map((e) => e.name),
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
    assert.ok(parsed.entries.every((e) => e.kind === 'field' && e.version === 2 && (e.description ?? '').length > 10));
  });

  it('still recognises the default format with odd whitespace', () => {
    assert.equal(parseLogFormat('  ' + DEFAULT.replace(/ /g, ' \t\n ') + '\n').isDefault, true);
  });

  it('does not call a reordered or extended default format the default', () => {
    const fields = DEFAULT.split(' ');
    assert.equal(parseLogFormat([fields[1], fields[0], ...fields.slice(2)].join(' ')).isDefault, false);
    assert.equal(parseLogFormat(DEFAULT + ' ${vpc-id}').isDefault, false);
    assert.equal(parseLogFormat(DEFAULT.replace(' ${log-status}', '')).isDefault, false);
  });

  it('parses a custom format with fields of several versions', () => {
    const parsed = parseLogFormat('${vpc-id} ${srcaddr} ${pkt-srcaddr} ${az-id} ${flow-direction} ${ecs-task-id} ${reject-reason}');
    assert.equal(parsed.isDefault, false);
    assert.deepEqual(
      parsed.entries.map((e) => [e.name, e.version]),
      [
        ['vpc-id', 3],
        ['srcaddr', 2],
        ['pkt-srcaddr', 3],
        ['az-id', 4],
        ['flow-direction', 5],
        ['ecs-task-id', 7],
        ['reject-reason', 8],
      ],
    );
    assert.equal(parsed.version, 8);
    assert.equal(parsed.unknownCount, 0);
  });

  it('reports unknown ${tokens} and stray text separately', () => {
    const parsed = parseLogFormat('${srcaddr} ${made-up} garbage ${dstaddr}$ ${ ${}');
    assert.deepEqual(
      parsed.entries.map((e) => [e.kind, e.name]),
      [
        ['field', 'srcaddr'],
        ['unknown', 'made-up'],
        ['invalid', 'garbage'],
        ['field', 'dstaddr'],
        ['invalid', '$'],
        ['invalid', '${'],
        ['unknown', ''],
      ],
    );
    assert.equal(parsed.unknownCount, 2);
    assert.equal(parsed.invalidCount, 3);
  });

  it('splits tokens written without spaces between them', () => {
    assert.deepEqual(
      parseLogFormat('${srcaddr}${dstaddr}').entries.map((e) => e.name),
      ['srcaddr', 'dstaddr'],
    );
  });

  it('handles empty, non-string and hostile input without throwing', () => {
    for (const bad of ['', '   ', undefined, null, 42, {}, '<script>alert(1)</script>', '\u0000\u202e${srcaddr}']) {
      const parsed = parseLogFormat(bad);
      assert.equal(parsed.isDefault, false);
      assert.ok(Array.isArray(parsed.entries));
    }
    assert.equal(parseLogFormat(undefined).entries.length, 0);
  });

  it('reads a 2,000-character format completely', () => {
    let format = '';
    const names = knownFlowLogFields().map((f) => f.name);
    for (let i = 0; format.length < 2000; i++) format += '${' + names[i % names.length] + '} ';
    const parsed = parseLogFormat(format);
    assert.equal(parsed.truncated, false);
    assert.equal(parsed.entries.length, format.trim().split(' ').length);
  });

  it('caps huge input quickly and says it did', () => {
    const started = Date.now();
    const parsed = parseLogFormat('${srcaddr} '.repeat(100_000));
    assert.equal(parsed.truncated, true);
    assert.ok(parsed.entries.length <= 500);
    const longName = parseLogFormat('${' + 'x'.repeat(5000) + '}');
    assert.ok(longName.entries[0].name.length <= 201);
    assert.ok(Date.now() - started < 2000);
  });

  it('has one entry per known field name', () => {
    const names = knownFlowLogFields().map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    assert.equal(flowLogFieldInfo('tcp-flags')?.version, 3);
    assert.equal(flowLogFieldInfo('nope'), undefined);
  });
});
