// Negated number filters (`dstport !22`, `protocol !tcp`, `dstport !1-1023`) on NODATA / SKIPDATA
// records, whose number fields are "-" (issue 23, item 11). One meaning for both destinations:
// a number filter, negated or not, compares numbers, so it matches only records that have a number
// in that field (as CloudWatch Logs' space-delimited `dstport!=22` and Logs Insights'
// `filter dstPort != 22` compare numbers): `!22` is "a port other than 22", and a record without a
// port is in neither `22` nor `!22` (filter log-status NODATA,SKIPDATA to see those).
// Proven on the same records through both paths' plans (CloudWatch: the pattern, then the residual
// filter; S3: every filter in the worker), and then through the real SDK over HTTP for each
// destination against the same rule.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { filterableFields, planFilters, recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';
import { compilePattern } from '../emulator/logs/pattern';
import { streamsOf, windowEvents } from '../emulator/logs/records';
import type { FlowLog } from '../../src/shared/types';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { awsConfigFor } from '../emulator/fixtures';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { recordKey, rowsOf } from '../support/resultRows';
import { InProcessAws } from '../support/inProcessAws';
import { CloudWatchRecordSource } from '../../src/records/cloudWatchSource';
import { RecordLoader } from '../../src/records/source';
import { s3Location } from '../../src/records/s3/layout';
import { S3RecordSource } from '../../src/records/s3/s3Source';

const NEGATED: FieldFilter[][] = [
  [{ field: 'dstport', value: '!22' }],
  [{ field: 'dstport', value: '!22,443' }],
  [{ field: 'dstport', value: '!1-1023' }],
  [{ field: 'dstport', value: '!1-1023,8080' }],
  [{ field: 'srcport', value: '!>1024' }],
  [{ field: 'protocol', value: '!tcp' }],
  [{ field: 'protocol', value: '!tcp,udp' }],
  [{ field: 'bytes', value: '!<=100' }],
];

function sample(windows = 400) {
  const fl: FlowLog = {
    FlowLogId: 'fl-0123456789abcdef0',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: 'g',
    MaxAggregationInterval: 600,
    ResourceId: 'vpc-1',
    TrafficType: 'ALL',
  };
  const s = streamsOf(5, '111111111111', 'us-east-1', fl);
  const events = [];
  for (let w = 2_800_000; w < 2_800_000 + windows; w++) events.push(...windowEvents(s, w));
  return events;
}

describe('records: negated number filters on NODATA / SKIPDATA records mean the same on both destinations', () => {
  const layout = recordLayout(undefined);
  const events = sample();
  const records = events.map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId));
  const noData = records.filter((r) => r.v[layout.index['log-status']] !== 'OK');

  it('fixture sanity: the records hold NODATA and SKIPDATA records with "-" numbers', () => {
    assert.ok(noData.length > 5, `${noData.length} NODATA/SKIPDATA records`);
    assert.ok(noData.every((r) => r.v[layout.index.dstport] === '-'));
  });

  for (const filters of NEGATED) {
    const name = filters.map((f) => `${f.field} ${f.value}`).join(' & ');
    it(`${name}: the same records through the CloudWatch plan and the S3 plan; no record without the number`, () => {
      const field = filters[0].field;
      // The meaning: numbers other than the ones named; a "-" is not one.
      const meaning = records.filter((r) => /^\d+$/.test(r.v[layout.index[field]]) && recordPredicate(layout, filters)(r));
      assert.ok(meaning.length > 0 && meaning.length < records.length);
      // S3: every filter runs in the AWS worker (recordPredicate over the parsed lines).
      const s3 = records.filter(recordPredicate(layout, filters));
      assert.deepEqual(
        s3.map((r) => r.id),
        meaning.map((r) => r.id),
      );
      // CloudWatch: the pattern (the endpoint's matcher, as AWS documents it), then the residual filter.
      const plan = planFilters(layout, filters);
      assert.deepEqual(plan.errors, []);
      const match = compilePattern(plan.pattern);
      const residual = recordPredicate(layout, plan.residual);
      const cw = records.filter((r, i) => match(events[i].message) && residual(r));
      assert.deepEqual(
        cw.map((r) => r.id),
        meaning.map((r) => r.id),
      );
      // Whatever a server makes of `!=` on a word that is not a number, the records are re-checked
      // here: even a server that returned every event gives the same records.
      assert.ok(
        plan.items.every((i) => i.placement !== 'server'),
        JSON.stringify(plan.items),
      );
      assert.deepEqual(
        records.filter(residual).map((r) => r.id),
        meaning.map((r) => r.id),
      );
      // The panel says so, next to the filter.
      assert.match(plan.items[0].note ?? '', /NODATA/);
    });
  }

  it('the panel help (the field hints) says what a negated number matches', () => {
    const hints = filterableFields(layout);
    for (const f of ['dstport', 'protocol', 'bytes']) {
      const h = hints.find((x) => x.field === f)!;
      assert.match(h.hint, /!/, f);
      assert.match(h.hint, /NODATA/, f);
    }
  });
});

describe('records: negated number filters through the real SDK, CloudWatch Logs and S3 (real HTTP)', function () {
  this.timeout(120_000);
  const HOUR = 3_600_000;
  const REGION = 'us-east-1';
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(40);
  const now = Date.now();

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11, s3: { now: () => now } });
    dir = mkdtempSync(join(tmpdir(), 'negated-'));
    const files = awsConfigFor({ url: 'http://127.0.0.1:9' }, [{ name: 'p', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: em.url,
      AWS_ENDPOINT_URL_S3: em.url,
    };
    const config = loadSharedConfig(env);
    clients = new ClientCache({
      settings: () => ({ maxAttempts: 2, requestTimeoutMs: 10_000, userAgent: 't' }),
      config: () => config,
      logger: new MemoryLogger(),
      env,
    });
    aws = new InProcessAws(clients, listProfiles(env, config).profiles);
    profile = listProfiles(env, config).profiles.find((p) => p.name === 'p')!;
  });
  after(async () => {
    clients?.dispose();
    rmSync(dir, { recursive: true, force: true });
    await em?.stop();
  });

  const cases: FieldFilter[][] = [[{ field: 'dstport', value: '!22' }], [{ field: 'protocol', value: '!tcp' }]];

  it('CloudWatch Logs: exactly the records with a number other than the named ones; no "-" record', async () => {
    const log = em
      .flowLogs(acct.accountId, REGION)
      .find(
        (f) =>
          f.LogDestinationType === 'cloud-watch-logs' &&
          f.DeliverLogsStatus !== 'FAILED' &&
          recordLayout(f.LogFormat).index.dstport !== undefined,
      )!;
    const layout = recordLayout(log.LogFormat);
    const endMs = Math.floor((now - 2 * HOUR) / 60_000) * 60_000;
    const query = { startMs: endMs - 6 * HOUR, endMs };
    const all = em.logs
      .events(acct.accountId, REGION, log.LogGroupName!, query.startMs, query.endMs)
      .map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId));
    assert.ok(
      all.some((r) => r.v[layout.index.dstport] === '-'),
      'fixture sanity: NODATA/SKIPDATA records in range',
    );
    for (const filters of cases) {
      const src = new CloudWatchRecordSource(
        (args, signal) => aws.call('filterLogEvents', profile.name, REGION, args, signal),
        log.LogGroupName!,
        log.LogFormat,
        undefined,
        (op, a, s) => aws.call(op, profile.name, REGION, a, s),
      );
      const loader: RecordLoader = new RecordLoader(src, { ...query, filters });
      assert.deepEqual(await loader.load(Infinity, 1_000_000), { status: 'done' });
      const field = layout.index[filters[0].field];
      const want = all.filter((r) => /^\d+$/.test(r.v[field]) && recordPredicate(layout, filters)(r));
      assert.ok(want.length > 0);
      assert.deepEqual((await rowsOf(loader)).map(recordKey), want.map(recordKey));
    }
  });

  it('S3: exactly the records with a number other than the named ones; no "-" record', async () => {
    const log = em
      .flowLogs(acct.accountId, REGION)
      .find((f) => f.LogDestinationType === 's3' && recordLayout(f.LogFormat).index.dstport !== undefined)!;
    const layout = recordLayout(log.LogFormat);
    const query = { startMs: now - 3 * HOUR, endMs: now - HOUR };
    const rows = em.s3.records(log, query.startMs, query.endMs).rows.map((r) => parseMessage(layout, r.join(' '), 0));
    assert.ok(
      rows.some((r) => r.v[layout.index.dstport] === '-'),
      'fixture sanity: NODATA/SKIPDATA records in range',
    );
    const loc = s3Location(log, acct.accountId, REGION);
    assert.ok(!('problem' in loc));
    for (const filters of cases) {
      const src: S3RecordSource = new S3RecordSource(
        {
          list: (a, s) => aws.call('s3List', profile.name, REGION, a, s),
          read: (a, s) => aws.call('s3Read', profile.name, REGION, a, s),
          store: (op, a, s) => aws.call(op, profile.name, REGION, a, s),
        },
        loc,
        log.LogFormat,
      );
      const loader: RecordLoader = new RecordLoader(src, { ...query, filters });
      assert.deepEqual(await loader.load(Infinity, 1_000_000), { status: 'done' });
      const field = layout.index[filters[0].field];
      const want = rows.filter((r) => /^\d+$/.test(r.v[field]) && recordPredicate(layout, filters)(r));
      assert.ok(want.length > 0);
      assert.deepEqual((await rowsOf(loader)).map((r) => r.v.join(' ')).sort(), want.map((r) => r.v.join(' ')).sort());
      // The S3 plan says it too.
      assert.match(src.plan({ ...query, filters }).items[0].note ?? '', /NODATA/);
    }
  });
});
