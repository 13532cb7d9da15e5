// Record versions as AWS writes them: 2 for the default format, and for a custom format the highest
// version among its fields (Amazon VPC User Guide, "Flow log records", `version`). Read over the
// real SDK from the local endpoint's CloudWatch Logs, and from its S3 record generator; checked
// against the extension's own field table (src/shared/logFormat.ts), which the endpoint does not
// use (it has its own, test/emulator/recordVersion.ts). The parser marks a contradicting version.
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import { windowRecords, formatFields, WINDOW_MS } from '../../emulator/s3/records';
import { parseLogFormat, DEFAULT_LOG_FORMAT } from '../../../src/shared/logFormat';
import { expectedRecordVersion, recordLayout } from '../../../src/shared/recordsFields';
import { parseMessage, fieldValue } from '../../../src/shared/recordsParse';
import { splitLine } from '../../../src/aws/worker/s3Records';

const HOUR = 3_600_000;

/** The version by the extension's table: 2 for the default format, else the highest field version. */
function versionByOurTable(format: string | undefined): number {
  const text = format && format.trim() ? format : DEFAULT_LOG_FORMAT;
  const parsed = parseLogFormat(text);
  return parsed.isDefault ? 2 : parsed.version!;
}

describe('emulator: record versions as AWS writes them', function () {
  this.timeout(60_000);
  let em: Emulator;
  const [acct] = defaultAccounts(40);
  const region = 'us-east-1';

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11 });
  });
  after(async () => em?.stop());

  it('CloudWatch Logs records (real SDK) carry the version of their format: 2 for the default', async () => {
    const client = new CloudWatchLogsClient({
      endpoint: em.url,
      region,
      credentials: { accessKeyId: acct.accessKeyId, secretAccessKey: acct.secretAccessKey! },
      maxAttempts: 1,
    });
    const logs = em
      .flowLogs(acct.accountId, region)
      .filter(
        (f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED' && f.LogFormat?.includes('${version}'),
      );
    const seen = new Set<number>();
    let defaults = 0;
    for (const f of logs) {
      const layout = recordLayout(f.LogFormat);
      const want = versionByOurTable(f.LogFormat);
      const end = Date.now() - 2 * HOUR;
      const page = await client.send(
        new FilterLogEventsCommand({ logGroupName: f.LogGroupName!, startTime: end - HOUR, endTime: end, limit: 200 }),
      );
      assert.ok((page.events ?? []).length > 0, `${f.FlowLogId} has records`);
      for (const e of page.events ?? []) {
        const rec = parseMessage(layout, e.message!, e.timestamp!);
        assert.equal(fieldValue(layout, rec, 'version'), String(want), `${f.FlowLogId} (${f.LogFormat})`);
        assert.equal(rec.bad, undefined);
      }
      seen.add(want);
      if (parseLogFormat(f.LogFormat).isDefault) defaults++;
    }
    assert.ok(defaults > 0, 'a default-format flow log was checked');
    assert.ok(seen.has(2) && seen.size > 1, `default and custom versions were checked: ${[...seen]}`);
  });

  it('S3 records carry the version of their format', () => {
    const logs = em.flowLogs(acct.accountId, region).filter((f) => f.LogDestinationType === 's3');
    assert.ok(logs.length > 0);
    const window = Math.floor((Date.now() - 2 * HOUR) / WINDOW_MS) * WINDOW_MS;
    for (const f of logs) {
      const fields = formatFields(f.LogFormat);
      const at = fields.indexOf('version');
      if (at < 0) continue;
      for (const row of windowRecords(f, acct.accountId, region, 11, window, 20))
        assert.equal(row[at], String(versionByOurTable(f.LogFormat)), `${f.FlowLogId} (${f.LogFormat ?? 'default'})`);
    }
    const v3 = windowRecords({ FlowLogId: 'fl-1', LogFormat: '${version} ${vpc-id} ${srcaddr}' }, acct.accountId, region, 11, window, 3);
    assert.ok(v3.every((r) => r[0] === '3'));
    const v8 = windowRecords(
      { FlowLogId: 'fl-2', LogFormat: '${version} ${reject-reason} ${flow-direction}' },
      acct.accountId,
      region,
      11,
      window,
      3,
    );
    assert.ok(v8.every((r) => r[0] === '8'));
  });

  it('the parser marks a record whose version contradicts its format, and keeps it', () => {
    const layout = recordLayout(undefined);
    assert.equal(expectedRecordVersion(DEFAULT_LOG_FORMAT), 2);
    const line = '5 123456789012 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 443 50000 6 10 840 1700000000 1700000060 ACCEPT OK';
    const rec = parseMessage(layout, line, 0);
    assert.match(rec.bad ?? '', /record version 5, but this flow log's format writes version 2/);
    assert.equal(rec.v.length, 14, 'the record is kept');
    assert.match(splitLine(layout, line).bad ?? '', /version 5/);
    assert.equal(parseMessage(layout, line.replace(/^5/, '2'), 0).bad, undefined);
    assert.equal(splitLine(layout, line.replace(/^5/, '2')).bad, undefined);
    // NODATA records keep their version; "-" says nothing.
    assert.equal(parseMessage(recordLayout('${version} ${srcaddr}'), '- 10.0.0.1', 0).bad, undefined);
    // A format with a field this version of the extension does not know: no expectation.
    assert.equal(expectedRecordVersion('${version} ${some-future-field}'), undefined);
    assert.equal(parseMessage(recordLayout('${version} ${vpc-id}'), '5 vpc-1', 0).bad?.includes('writes version 3'), true);
  });
});
