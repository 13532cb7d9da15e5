// Records of S3 flow logs through the extension's own path over real HTTP: ClientCache (S3 client
// per profile and region, endpoint resolution) -> s3List / s3Read operations (gunzip line by line,
// hyparquet over ranged GetObject) -> S3RecordSource -> RecordLoader, with exact records against the
// endpoint's ground truth in every layout and both formats, and each error state.
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
import { rowsOf } from '../support/resultRows';
import { InProcessAws } from '../support/inProcessAws';
import { RecordLoader, type RecordQuery } from '../../src/records/source';
import { recordLayout } from '../../src/shared/recordsFields';
import { recordPredicate } from '../../src/shared/recordsFilters';
import { parseMessage } from '../../src/shared/recordsParse';
import { s3Location, type S3Location } from '../../src/records/s3/layout';
import { S3RecordSource } from '../../src/records/s3/s3Source';
import { rowGroupRuns } from '../../src/aws/worker/parquetRecords';

const HOUR = 3_600_000;
const REGION = 'us-east-1';

describe('S3 records through the extension path (real HTTP)', function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(40);
  const now = Date.now();

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11, s3: { largeObjectRecords: 3000, now: () => now } });
    dir = mkdtempSync(join(tmpdir(), 's3-unit-'));
    // The profile's endpoint_url points nowhere: only AWS_ENDPOINT_URL_S3 reaches the endpoint.
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

  const s3Logs = (region = REGION) => em.flowLogs(acct.accountId, region).filter((l) => l.LogDestinationType === 's3');
  const loc = (log: FlowLog, region = REGION): S3Location => {
    const l = s3Location(log, acct.accountId, region);
    assert.ok(!('problem' in l));
    return l;
  };
  const source = (log: FlowLog, region = REGION, order?: 'oldest' | 'newest', clientRegion = region) =>
    new S3RecordSource(
      {
        list: (a, s) => aws.call('s3List', profile.name, clientRegion, a, s),
        read: (a, s) => aws.call('s3Read', profile.name, clientRegion, a, s),
        store: (op, a, s) => aws.call(op, profile.name, clientRegion, a, s),
      },
      loc(log, region),
      log.LogFormat,
      { order },
    );
  const sortKey = (v: string[]) => v.join(' ');

  /** Ground truth after the same filters, as sorted value lines. */
  function truth(log: FlowLog, query: RecordQuery): string[] {
    const t = em.s3.records(log, query.startMs, query.endMs);
    const layout = recordLayout(log.LogFormat);
    const keep = recordPredicate(layout, query.filters);
    return t.rows
      .map((r) => parseMessage(layout, r.join(' '), 0))
      .filter(keep)
      .map((r) => sortKey(r.v))
      .sort();
  }

  it('every layout and both formats: exact records for a range crossing hours, against the ground truth', async () => {
    const logs = [...s3Logs(), ...s3Logs('eu-west-1').map((l) => ({ l, region: 'eu-west-1' }))].map((x) =>
      'l' in x ? x : { l: x, region: REGION },
    );
    const seen = new Set<string>();
    const query: RecordQuery = { startMs: now - 3 * HOUR - 7 * 60_000, endMs: now - HOUR + 13 * 60_000, filters: [] };
    for (const { l: log, region } of logs) {
      const combo = JSON.stringify(log.DestinationOptions);
      if (seen.has(combo)) continue;
      seen.add(combo);
      const src = source(log, region);
      const loader = new RecordLoader(src, query);
      const out = await loader.load(1_000_000, 1_000_000);
      assert.equal(out.status, 'done', JSON.stringify(out));
      const want = truth(log, query);
      assert.ok(want.length > 50, `${combo}: ${want.length} records`);
      assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), want, combo);
      // Only this flow log's files were read, each once; the listing never went beyond its folders.
      const reads = em.requests.filter((r) => r.action === 'GetObject' && r.key?.includes(log.FlowLogId!));
      const gt = em.s3.records(log, query.startMs, query.endMs);
      assert.ok(src.progress.objectsRead >= gt.objects.length, `${src.progress.objectsRead} read, ${gt.objects.length} hold records`);
      assert.ok(reads.length >= src.progress.objectsRead);
      assert.ok(em.requests.filter((r) => r.action === 'ListObjectsV2').every((r) => r.status === 200));
      assert.ok(src.progress.bytesRead > 0);
      if (log.DestinationOptions?.FileFormat === 'parquet') {
        // Parquet is read through ranged requests (footer, then column chunks), never whole.
        assert.ok(reads.length > 0 && reads.every((r) => r.status === 206), JSON.stringify(reads.slice(0, 3).map((r) => r.status)));
      } else {
        assert.ok(reads.every((r) => r.status === 200));
      }
      em.resetRequests();
    }
    assert.equal(seen.size, 8, [...seen].join(' '));
  });

  it('filters while streaming, newest first, and Load more resumes where it stopped', async () => {
    const log = s3Logs().find((l) => l.DestinationOptions?.FileFormat === 'parquet')!;
    const query: RecordQuery = { startMs: now - 2 * HOUR, endMs: now - HOUR, filters: [{ field: 'action', value: 'REJECT' }] };
    const loader = new RecordLoader(source(log, REGION, 'newest'), query);
    assert.equal((await loader.load(10, 1_000_000)).status, 'more');
    assert.ok((await rowsOf(loader)).length >= 10);
    assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
    assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), truth(log, query));
    const ai = recordLayout(log.LogFormat).index.action;
    if (ai !== undefined) assert.ok((await rowsOf(loader)).every((r) => r.v[ai] === 'REJECT'));
    // Newest first: the first batch comes from the end of the range.
    const starts = recordLayout(log.LogFormat).index.start;
    if (starts !== undefined) assert.ok(Number((await rowsOf(loader))[0].v[starts]) * 1000 > now - 1.5 * HOUR);
  });

  it('skips and names a corrupt object, keeps the rest; reads the very large object', async () => {
    const log = s3Logs().find((l) => {
      const dest = parseS3Destination(l.LogDestination)!;
      return em.s3.objects(dest.bucket, dest.prefix).some((o) => o.flowLogId === l.FlowLogId && o.kind === 'corrupt');
    })!;
    const dest = parseS3Destination(log.LogDestination)!;
    const mine = em.s3.objects(dest.bucket, dest.prefix).filter((o) => o.flowLogId === log.FlowLogId);
    const corrupt = mine.find((o) => o.kind === 'corrupt')!;
    const query: RecordQuery = { startMs: corrupt.windowStart - HOUR, endMs: corrupt.windowStart + HOUR, filters: [] };
    const src = source(log);
    const loader = new RecordLoader(src, query);
    assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
    assert.deepEqual(
      src.skipped.map((s) => s.key),
      [corrupt.key],
    );
    assert.match(src.skipped[0].why, /corrupt or truncated/);
    assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), truth(log, query));

    const large = s3Logs()
      .map((l) => ({
        l,
        o: em.s3.objects(parseS3Destination(l.LogDestination)!.bucket).find((o) => o.flowLogId === l.FlowLogId && o.kind === 'large'),
      }))
      .find((x) => x.o)!;
    const q2: RecordQuery = { startMs: large.o!.windowStart, endMs: large.o!.windowStart + 5 * 60_000, filters: [] };
    const big = new RecordLoader(source(large.l), q2);
    assert.equal((await big.load(1_000_000, 1_000_000)).status, 'done');
    assert.ok((await rowsOf(big)).length >= 3000);
    assert.deepEqual((await rowsOf(big)).map((r) => sortKey(r.v)).sort(), truth(large.l, q2));
  });

  it('a format without start: records take their file time, ranges on 5-minute boundaries are exact at both ends', async () => {
    const log = [...s3Logs(), ...s3Logs('eu-west-1')].find(
      (l) => recordLayout(l.LogFormat).index.start === undefined && s3Logs().includes(l),
    )!;
    assert.ok(log, 'fixture sanity: an s3 flow log whose format has no start field');
    const edge = Math.floor((now - 2 * HOUR) / 300_000) * 300_000;
    const query: RecordQuery = { startMs: edge, endMs: edge + HOUR, filters: [] };
    const loader = new RecordLoader(source(log), query);
    assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
    const want = truth(log, query);
    assert.ok(want.length > 0);
    assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), want);
    // 12 windows end in [edge, edge + 1 h): the file named at `edge` is in, the one named at edge + 1 h is not.
    assert.ok((await rowsOf(loader)).every((r) => r.t >= edge && r.t < edge + HOUR));
    assert.ok((await rowsOf(loader)).some((r) => r.t === edge));
  });

  it('cancels while an object is being fetched, and a new load reads it whole', async () => {
    const large = s3Logs()
      .map((l) => ({
        l,
        o: em.s3.objects(parseS3Destination(l.LogDestination)!.bucket).find((o) => o.flowLogId === l.FlowLogId && o.kind === 'large'),
      }))
      .find((x) => x.o)!;
    const q: RecordQuery = { startMs: large.o!.windowStart, endMs: large.o!.windowStart + 5 * 60_000 + 1, filters: [] };
    em.setFaults([{ fault: 'latency', action: 'GetObject', latencyMs: 300 }]);
    try {
      const abort = new AbortController();
      const loader = new RecordLoader(source(large.l), q);
      const running = loader.load(1_000_000, 1_000_000, { signal: abort.signal });
      setTimeout(() => abort.abort(), 50);
      assert.equal((await running).status, 'cancelled');
      assert.equal((await rowsOf(loader)).length, 0);
    } finally {
      em.setFaults([]);
    }
    const again = new RecordLoader(source(large.l), q);
    assert.equal((await again.load(1_000_000, 1_000_000)).status, 'done');
    assert.deepEqual((await rowsOf(again)).map((r) => sortKey(r.v)).sort(), truth(large.l, q));
  });

  it('follows the region redirect when the bucket is in another region than the client', async () => {
    const log = s3Logs('eu-west-1')[0];
    const query: RecordQuery = { startMs: now - 2 * HOUR, endMs: now - HOUR, filters: [] };
    const loader = new RecordLoader(source(log, 'eu-west-1', 'oldest', REGION), query);
    assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
    assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), truth(log, query));
    assert.ok(em.requests.some((r) => r.status === 301 && r.region === REGION));
  });

  it('reads only the Parquet row groups whose start statistics can match', () => {
    const group = (n: number, min: number, max: number) => ({
      num_rows: BigInt(n),
      columns: [{ meta_data: { path_in_schema: ['start'], statistics: { min_value: BigInt(min), max_value: BigInt(max) } } }],
    });
    const meta = { schema: [], row_groups: [group(10, 100, 199), group(5, 200, 299), group(7, 300, 399), group(3, 400, 499)] };
    assert.deepEqual(rowGroupRuns(meta, 250_000, 350_000), [
      [0, 10, false],
      [10, 22, true],
      [22, 25, false],
    ]);
    assert.deepEqual(rowGroupRuns({ schema: [], row_groups: [{ num_rows: 4, columns: [] }] }, 0, 1), [[0, 4, true]]); // no statistics: read
  });

  describe('error states', () => {
    const query = (): RecordQuery => ({ startMs: now - 2 * HOUR, endMs: now - HOUR, filters: [] });
    const bucketOf = (log: FlowLog) => parseS3Destination(log.LogDestination)!.bucket;
    afterEach(() => {
      em.s3.configure({ deny: [], kmsBuckets: [], glacierBuckets: [], missingBuckets: [] });
      em.setFaults([]);
    });

    it('access denied names s3:ListBucket and the bucket; then s3:GetObject', async () => {
      const log = s3Logs()[0];
      em.s3.configure({ deny: [{ action: 's3:ListBucket', bucket: bucketOf(log) }] });
      const out = await new RecordLoader(source(log), query()).load(100, 100);
      assert.equal(out.status, 'error');
      if (out.status !== 'error') return;
      assert.equal(out.error.kind, 'denied');
      assert.match(out.error.message, new RegExp(`s3:ListBucket on bucket ${bucketOf(log)}`));
      em.s3.configure({ deny: [{ action: 's3:GetObject', bucket: bucketOf(log) }] });
      const loader = new RecordLoader(source(log), query());
      const out2 = await loader.load(100, 100);
      assert.ok(
        out2.status === 'error' && out2.error.kind === 'denied' && /s3:GetObject on s3:\/\//.test(out2.error.message),
        JSON.stringify(out2),
      );
      // Retry after the policy is fixed resumes and reads everything.
      em.s3.configure({ deny: [] });
      assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
      assert.deepEqual((await rowsOf(loader)).map((r) => sortKey(r.v)).sort(), truth(log, query()));
    });

    it('NoSuchBucket, KMS, Glacier and SlowDown', async () => {
      const log = s3Logs()[1];
      em.s3.configure({ missingBuckets: [bucketOf(log)] });
      const missing = await new RecordLoader(source(log), query()).load(100, 100);
      assert.ok(
        missing.status === 'error' && missing.error.kind === 'notFound' && missing.error.message.includes(bucketOf(log)),
        JSON.stringify(missing),
      );
      assert.ok(missing.status === 'error' && missing.error.actions.includes('showDelivery'));

      em.s3.configure({ missingBuckets: [], kmsBuckets: [bucketOf(log)] });
      const kms = await new RecordLoader(source(log), query()).load(100, 100);
      assert.ok(kms.status === 'error' && kms.error.kind === 'kms' && /kms:Decrypt/.test(kms.error.message), JSON.stringify(kms));

      em.s3.configure({ kmsBuckets: [], glacierBuckets: [bucketOf(log)] });
      const old: RecordQuery = { startMs: now - 3 * 24 * HOUR, endMs: now - 3 * 24 * HOUR + HOUR, filters: [] };
      const src = source(log);
      const glacier = new RecordLoader(src, old);
      assert.equal((await glacier.load(1_000_000, 1_000_000)).status, 'done');
      assert.equal((await rowsOf(glacier)).length, 0);
      assert.ok(
        src.skipped.length >= 12 && src.skipped.every((s) => /GLACIER storage class: restore it/.test(s.why)),
        JSON.stringify(src.skipped.slice(0, 2)),
      );
      // Named from the listing's StorageClass: no GetObject was sent for them.
      assert.ok(!em.requests.some((r) => r.action === 'GetObject' && r.errorCode === 'InvalidObjectState'));

      em.s3.configure({ glacierBuckets: [] });
      em.setFaults([{ fault: 'throttle', action: 'GetObject' }]);
      const slow = await new RecordLoader(source(log), query()).load(100, 100);
      assert.ok(slow.status === 'error' && slow.error.kind === 'throttled' && /SlowDown/.test(slow.error.message), JSON.stringify(slow));
    });

    it('a raw CloudWatch pattern is refused with a message, not run', async () => {
      const out = await new RecordLoader(source(s3Logs()[0]), { ...query(), rawPattern: '[a, b]' }).load(10, 10);
      assert.ok(out.status === 'error' && out.error.kind === 'invalidPattern', JSON.stringify(out));
    });
  });
});
