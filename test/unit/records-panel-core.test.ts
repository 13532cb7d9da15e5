// The records panel's pure parts: export formats, time ranges, message validation, error kinds.
import assert from 'node:assert/strict';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { exportRecords } from '../../src/shared/recordsExport';
import { resolveRange } from '../../src/records/timeRange';
import { logEventsConsoleUrl } from '../../src/aws/arn';
import { parseFromPanel as parseRecordsMessage } from '../../src/webviews/records/protocol';
import { classifyLogsError } from '../../src/aws/worker/recordsErrors';

describe('records: export, ranges, messages, errors', () => {
  const layout = recordLayout('${version} ${srcaddr} ${action} ${my-field}');
  const recs = [
    parseMessage(layout, '2 10.0.0.1 ACCEPT =cmd|x', Date.UTC(2024, 0, 1), 'eni-1-all', 'a'),
    parseMessage(layout, '2 "quoted,comma" REJECT -', Date.UTC(2024, 0, 2), 'eni-1-all', 'b'),
    parseMessage(layout, 'short', Date.UTC(2024, 0, 3), 'eni-2-all', 'c'),
  ];

  it('CSV quotes, guards formulas, keeps bad records with why; JSON and NDJSON hold every field', () => {
    const csv = exportRecords(layout, recs, 'csv').split('\r\n');
    assert.equal(csv[0], '@timestamp,@logStream,@problem,version,srcaddr,action,my-field');
    assert.equal(csv[1], "2024-01-01T00:00:00.000Z,eni-1-all,,2,10.0.0.1,ACCEPT,'=cmd|x");
    assert.equal(csv[2], '2024-01-02T00:00:00.000Z,eni-1-all,,2,"""quoted,comma""",REJECT,-');
    assert.match(csv[3], /expected 4 fields, found 1: short/);
    const nd = exportRecords(layout, recs, 'ndjson')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(nd.length, 3);
    assert.deepEqual(nd[0], {
      '@timestamp': '2024-01-01T00:00:00.000Z',
      '@logStream': 'eni-1-all',
      version: '2',
      srcaddr: '10.0.0.1',
      action: 'ACCEPT',
      'my-field': '=cmd|x',
    });
    assert.equal(nd[2]['@message'], 'short');
    assert.deepEqual(JSON.parse(exportRecords(layout, recs, 'json')), nd);
    assert.equal(exportRecords(layout, [], 'ndjson'), '');
  });

  it('time ranges: presets, absolute to the minute, bad input', () => {
    assert.deepEqual(resolveRange({ preset: '15m' }, 1_000_000_000), { startMs: 1_000_000_000 - 900_000, endMs: 1_000_000_000 });
    assert.deepEqual(resolveRange({ preset: '7d' }, 1e12), { startMs: 1e12 - 7 * 86_400_000, endMs: 1e12 });
    assert.deepEqual(resolveRange({ startMs: 60_000, endMs: 120_000 }), { startMs: 60_000, endMs: 120_000 });
    assert.match(resolveRange({ startMs: 5, endMs: 5 }) as string, /after its start/);
    assert.match(resolveRange({ startMs: NaN, endMs: 5 }) as string, /start and an end/);
    assert.equal(
      logEventsConsoleUrl('us-east-1', '/aws/vpc/x', 1, 2),
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fvpc$252Fx/log-events$3Fstart$3D1$26end$3D2',
    );
  });

  it('webview messages: known shapes only', () => {
    assert.deepEqual(
      parseRecordsMessage({
        type: 'run',
        query: { range: { preset: '1h' }, filters: [{ field: 'action', value: 'REJECT' }], rawPattern: '' },
      }),
      { type: 'run', query: { range: { preset: '1h' }, filters: [{ field: 'action', value: 'REJECT' }], rawPattern: undefined } },
    );
    assert.deepEqual(parseRecordsMessage({ type: 'export', format: 'ndjson' }), { type: 'export', format: 'ndjson' });
    for (const bad of [
      undefined,
      null,
      [],
      'ready',
      { type: 'nope' },
      { type: 'export', format: 'xlsx' },
      { type: 'run', query: { range: { preset: '2h' }, filters: [] } },
      { type: 'run', query: { range: { preset: '1h' }, filters: [{ field: 1, value: 'x' }] } },
      { type: 'copy', text: 'x'.repeat(200_000) },
      { type: 'columns', columns: [1] },
      { type: 'action', action: 'exec' },
      new (class X {
        type = 'ready';
      })(),
    ]) {
      assert.equal(parseRecordsMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('CloudWatch Logs errors become panel states with actions', () => {
    const e = (name: string, message = 'm', status = 400) =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    const arn = 'arn:aws:logs:us-east-1:111111111111:log-group:g';
    assert.deepEqual(classifyLogsError(e('ResourceNotFoundException'), { logGroupArn: arn }).actions, ['showDelivery', 'retry']);
    assert.match(
      classifyLogsError(e('AccessDeniedException', 'User x is not authorized to perform: logs:FilterLogEvents'), { logGroupArn: arn })
        .message,
      new RegExp(`logs:FilterLogEvents on ${arn}`),
    );
    assert.equal(
      classifyLogsError(e('AccessDeniedException', 'The ciphertext refers to a KMS key that is not accessible (kms:Decrypt)')).kind,
      'kms',
    );
    assert.equal(classifyLogsError(e('ThrottlingException', 'Rate exceeded')).kind, 'throttled');
    assert.equal(classifyLogsError(e('ExpiredTokenException')).kind, 'expired');
    assert.equal(classifyLogsError(e('InvalidSignatureException')).kind, 'credentials');
    assert.equal(classifyLogsError(e('InvalidParameterException', 'Invalid filter pattern: x')).kind, 'invalidPattern');
    assert.equal(classifyLogsError(e('ServiceUnavailableException', 'down', 500)).kind, 'server');
    assert.equal(classifyLogsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind, 'network');
  });
});
