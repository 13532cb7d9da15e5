// An S3 object whose columns do not fit the flow log's LogFormat (a `.log.gz` whose header line
// names other columns, a Parquet file with another schema) is read, and the object and every
// record of it are marked as not fitting the format, instead of rows of "-" that look real
// (issue 23, item 9): the real SDK over real HTTP to the local endpoint, both formats.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { awsConfigFor } from '../emulator/fixtures';
import type { FlowLog } from '../../src/shared/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { rowsOf } from '../support/resultRows';
import { InProcessAws } from '../support/inProcessAws';
import { RecordLoader } from '../../src/records/source';
import { columnsMisfit, recordLayout } from '../../src/shared/recordsFields';
import { s3Location } from '../../src/records/s3/layout';
import { S3RecordSource, s3ProgressOf } from '../../src/records/s3/s3Source';

const HOUR = 3_600_000;
const REGION = 'us-east-1';
/** A format the delivered files do not have: three fields of theirs, three they lack. */
const OTHER_FORMAT = '${srcaddr} ${dstaddr} ${start} ${sublocation-type} ${sublocation-id} ${ecs-cluster-name}';

describe('S3 objects whose columns do not fit the flow log format are marked (real HTTP)', function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(40);
  const now = Date.now();

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 11, s3: { now: () => now } });
    dir = mkdtempSync(join(tmpdir(), 's3-misfit-'));
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

  const logOf = (format: 'parquet' | 'plain-text'): FlowLog =>
    em
      .flowLogs(acct.accountId, REGION)
      .find(
        (l) =>
          l.LogDestinationType === 's3' &&
          (l.DestinationOptions?.FileFormat ?? 'plain-text') === format &&
          recordLayout(l.LogFormat).index.srcaddr !== undefined &&
          recordLayout(l.LogFormat).index.start !== undefined,
      )!;
  const source = (log: FlowLog, format: string | undefined) => {
    const loc = s3Location(log, acct.accountId, REGION);
    assert.ok(!('problem' in loc));
    return new S3RecordSource(
      {
        list: (a, s) => aws.call('s3List', profile.name, REGION, a, s),
        read: (a, s) => aws.call('s3Read', profile.name, REGION, a, s),
        store: (op, a, s) => aws.call(op, profile.name, REGION, a, s),
      },
      loc,
      format,
    );
  };

  for (const fileFormat of ['plain-text', 'parquet'] as const) {
    it(`${fileFormat === 'parquet' ? 'Parquet schema' : '.log.gz header'} without the format's fields: object and records marked`, async () => {
      const log = logOf(fileFormat);
      const query = { startMs: now - 2 * HOUR, endMs: now - HOUR, filters: [] };
      // The flow log's own format: nothing is marked.
      const good = source(log, log.LogFormat);
      const ok = new RecordLoader(good, query);
      assert.deepEqual(await ok.load(1_000_000, 1_000_000), { status: 'done' });
      assert.ok((await rowsOf(ok)).length > 20);
      assert.ok((await rowsOf(ok)).every((r) => !r.bad));
      assert.deepEqual(s3ProgressOf(good)?.misfit ?? [], []);

      // A format the files do not have (the flow log was recreated with another format, or foreign files).
      const bad = source(log, OTHER_FORMAT);
      const loader = new RecordLoader(bad, query);
      assert.deepEqual(await loader.load(1_000_000, 1_000_000), { status: 'done' });
      assert.equal((await rowsOf(loader)).length, (await rowsOf(ok)).length, 'the records are kept, not dropped');
      assert.ok(
        (await rowsOf(loader)).every((r) => typeof r.bad === 'string' && /do(es)? not fit the flow log's format/.test(r.bad)),
        JSON.stringify((await rowsOf(loader))[0]),
      );
      assert.ok((await rowsOf(loader)).every((r) => /sublocation-type/.test(r.bad ?? '')));
      const progress = s3ProgressOf(bad)!;
      assert.ok(progress.misfit.length > 0, 'the objects are named');
      assert.equal(progress.misfit.length, Math.min(20, bad.progress.objectsRead));
      assert.match(progress.misfit[0].why, /sublocation-type/);
      assert.match(progress.misfit[0].key, new RegExp(log.FlowLogId!));
      // The fields the files do have are still read.
      const src = recordLayout(OTHER_FORMAT).index.srcaddr;
      assert.ok((await rowsOf(loader)).some((r) => /\d+\.\d+\.\d+\.\d+|:/.test(r.v[src])));
    });
  }

  it('columnsMisfit: names the missing fields; a reordered or wider file fits', () => {
    const layout = recordLayout('${srcaddr} ${dstaddr} ${dstport}');
    assert.equal(columnsMisfit(layout, ['dstport', 'srcaddr', 'dstaddr', 'bytes']), undefined);
    assert.equal(columnsMisfit(layout, ['srcaddr', 'dstaddr', 'dstport']), undefined);
    const m = columnsMisfit(layout, ['a', 'b', 'srcaddr']);
    assert.match(m ?? '', /dstaddr/);
    assert.match(m ?? '', /dstport/);
    assert.match(m ?? '', /2 of 3/);
    assert.match(columnsMisfit(layout, [], '_') ?? '', /3 of 3/);
    // Parquet column names have underscores.
    assert.equal(columnsMisfit(recordLayout('${pkt-srcaddr} ${tcp-flags}'), ['pkt_srcaddr', 'tcp_flags'], '_'), undefined);
  });
});
