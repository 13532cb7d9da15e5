// More than 50,000 files of the range in one S3 folder (a busy flow log's daily folder): the
// listing pages through it window by window instead of failing the whole folder, bounded per
// request by time and per folder by the setting flowLogs.records.maxObjectsPerFolder, with a
// message that says how far it got (issue 23, item 6). The real SDK over real HTTP; the folder's
// files are in GLACIER, so they are listed and named without a GetObject each.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { awsConfigFor } from '../emulator/fixtures';
import { parseS3Destination } from '../emulator/s3/catalog';
import type { FlowLog } from '../../src/shared/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { InProcessAws } from '../support/inProcessAws';
import { RecordLoader } from '../../src/records/source';
import { s3Location } from '../../src/records/s3/layout';
import { S3RecordSource } from '../../src/records/s3/s3Source';

const DAY = 24 * 3_600_000;
const REGION = 'us-east-1';

describe('S3: more than 50,000 files of the range in one folder (real HTTP)', function () {
  this.timeout(300_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  let log: FlowLog;
  let day: number;
  const [acct] = defaultAccounts(40);
  const now = Date.now();

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11, s3: { now: () => now } });
    log = em
      .flowLogs(acct.accountId, REGION)
      .find(
        (l) =>
          l.LogDestinationType === 's3' &&
          (l.DestinationOptions?.FileFormat ?? 'plain-text') === 'plain-text' &&
          !l.DestinationOptions?.PerHourPartition,
      )!;
    day = Math.floor(now / DAY) * DAY - 3 * DAY;
    // 288 windows x 180 files = 51,840 files in this flow log's folder of that day, all archived.
    em.s3.configure({
      extraParts: [{ flowLogId: log.FlowLogId!, parts: 180, fromMs: day, toMs: day + DAY }],
      glacierBuckets: [parseS3Destination(log.LogDestination)!.bucket],
    });
    dir = mkdtempSync(join(tmpdir(), 's3-folder-'));
    const files = awsConfigFor({ url: 'http://127.0.0.1:9' }, [{ name: 'p', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
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

  const source = (opts: { maxObjectsPerFolder?: number } = {}) => {
    const loc = s3Location(log, acct.accountId, REGION);
    assert.ok(!('problem' in loc));
    return new S3RecordSource(
      {
        list: (a, s) => aws.call('s3List', profile.name, REGION, a, s),
        read: (a, s) => aws.call('s3Read', profile.name, REGION, a, s),
        store: (op, a, s) => aws.call(op, profile.name, REGION, a, s),
      },
      loc,
      log.LogFormat,
      { order: 'newest', ...opts },
    );
  };
  // The range holds the whole day's folder (and, by the delivery delay, the first files of the next).
  const query = () => ({ startMs: day, endMs: day + DAY - 30 * 60_000, filters: [] });
  // The files the range selects: named (the end of their window) in [range start, range end + 20 min).
  const inRange = () =>
    em.s3
      .objects(parseS3Destination(log.LogDestination)!.bucket)
      .filter(
        (o) => o.flowLogId === log.FlowLogId && o.windowStart + 5 * 60_000 >= day && o.windowStart + 5 * 60_000 < day + DAY - 10 * 60_000,
      );

  it('every file of the folder is listed once, the load ends done (no "more than 50 pages")', async () => {
    const want = inRange().length;
    assert.ok(want > 51_000, `fixture sanity: ${want} files`);
    const src = source();
    const loader = new RecordLoader(src, query());
    const out = await loader.load(1_000_000, 1_000_000);
    assert.deepEqual(out, { status: 'done' }, JSON.stringify(out));
    const archived = src.skipped.filter((s) => /GLACIER/.test(s.why)).map((s) => s.key);
    assert.equal(new Set(archived).size, archived.length, 'no file listed twice');
    assert.equal(archived.length, want, 'every file of the range named (archived: no GetObject)');
    assert.ok(!em.requests.some((r) => r.action === 'GetObject'));
    assert.ok(src.progress.listRequests > 50, `${src.progress.listRequests} ListObjectsV2 requests`);
    assert.ok(src.progress.listedAll);
  });

  it('the setting bounds one folder: the rest is named with how far the listing got, the load goes on', async () => {
    const src = source({ maxObjectsPerFolder: 20_000 });
    const loader = new RecordLoader(src, query());
    const out = await loader.load(1_000_000, 1_000_000);
    assert.deepEqual(out, { status: 'done' }, JSON.stringify(out));
    const note = src.skipped.find((s) => /maxObjectsPerFolder/.test(s.why));
    assert.ok(note, JSON.stringify(src.skipped.filter((s) => !/GLACIER/.test(s.why))));
    assert.match(note.why, /20,000/);
    assert.match(note.why, /UTC/);
    const archived = src.skipped.filter((s) => /GLACIER/.test(s.why)).length;
    assert.ok(archived >= 20_000 && archived < 30_000, `${archived} named`);
  });
});
