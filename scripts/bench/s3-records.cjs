// S3 records benchmark (run by scripts/bench.mjs, or alone: node --expose-gc scripts/bench/s3-records.cjs '{"out":"out","dist":"dist"}').
// The emulator runs in its own process; this process is the extension host's side: AwsWorkerPool
// (dist/awsWorker.js: SDK, gunzip / hyparquet, parsing in the worker) -> S3RecordSource -> RecordLoader.
// Measured in the same run: records/s end to end for gzip text and Parquet next to the floors
// (the same bytes through zlib's gunzip alone; hyparquet alone), peak RSS while reading, the AWS CLI
// (aws s3 cp - | zcat) on the same object, and the first screenful of "last hour" on 7 days of objects.
'use strict';
const { spawn, execFile } = require('node:child_process');
const { join, resolve } = require('node:path');
const { gunzipSync } = require('node:zlib');
const { mkdtempSync, writeFileSync } = require('node:fs');
const os = require('node:os');

const opts = JSON.parse(process.argv[2] || '{}');
const root = resolve(__dirname, '../..');
const out = resolve(root, opts.out || 'out');
const dist = resolve(root, opts.dist || 'dist');
const RECORDS = opts.records || 500_000;

function startEmulator() {
  const dir = mkdtempSync(join(os.tmpdir(), 's3-bench-'));
  const code = `
    const { startEmulator, defaultAccounts, awsConfigFor } = require(${JSON.stringify(join(out, 'test/emulator/server.js'))});
    const fs = require('node:fs');
    (async () => {
      const accounts = defaultAccounts(40).slice(0, 1);
      const em = await startEmulator({ accounts, seed: 3, s3: { largeObjectRecords: ${RECORDS} } });
      const files = awsConfigFor(em, [{ name: 'bench', account: accounts[0], region: 'us-east-1' }]);
      fs.writeFileSync(${JSON.stringify(join(dir, 'config'))}, files.config);
      fs.writeFileSync(${JSON.stringify(join(dir, 'credentials'))}, files.credentials);
      const logs = em.flowLogs(accounts[0].accountId, 'us-east-1').filter((l) => l.LogDestinationType === 's3');
      const pick = (fmt) => {
        for (const l of logs.filter((x) => (x.DestinationOptions.FileFormat === 'parquet') === (fmt === 'parquet'))) {
          const bucket = /s3:::([^/]+)/.exec(l.LogDestination)[1];
          const o = em.s3.objects(bucket).find((x) => x.flowLogId === l.FlowLogId && x.kind === 'large');
          if (o) return { flowLog: l, bucket, key: o.key, windowStart: o.windowStart };
        }
      };
      console.log('READY ' + JSON.stringify({ url: em.url, text: pick('text'), parquet: pick('parquet') }));
    })();`;
  const child = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
  return new Promise((res, rej) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /READY (.*)\n/.exec(buf);
      if (m) res({ child, dir, ...JSON.parse(m[1]) });
    });
    child.on('exit', (c) => rej(new Error(`emulator exited ${c}`)));
  });
}

function peakRss(fn) {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = process.memoryUsage().rss;
  return fn()
    .finally(() => clearInterval(t))
    .then((v) => ({ ...v, peakRssMB: peak / 2 ** 20, rssGrowthMB: (peak - start) / 2 ** 20 }));
}

(async () => {
  const em = await startEmulator();
  process.env.AWS_CONFIG_FILE = join(em.dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(em.dir, 'credentials');
  const { AwsWorkerPool } = require(join(out, 'src/aws/awsWorkerPool.js'));
  const { loadSharedConfig } = require(join(out, 'src/shared/sharedConfig.js'));
  const { listProfiles } = require(join(out, 'src/shared/profiles.js'));
  const { S3RecordSource } = require(join(out, 'src/records/s3/s3Source.js'));
  const { s3Location } = require(join(out, 'src/records/s3/layout.js'));
  const { RecordLoader } = require(join(out, 'src/records/source.js'));
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
  const config = loadSharedConfig(process.env);
  const profile = listProfiles(process.env, config).profiles.find((p) => p.name === 'bench');
  const pool = new AwsWorkerPool(join(dist, 'awsWorker.js'), {
    logger: { info() {}, warn() {}, error() {} },
    poolSize: 1,
  });
  pool.configure({ maxAttempts: 3, requestTimeoutMs: 120_000, userAgent: 'bench' }, [profile]);
  const creds = /aws_access_key_id = (\S+)\naws_secret_access_key = (\S+)/.exec(
    require('node:fs').readFileSync(join(em.dir, 'credentials'), 'utf8'),
  );
  const s3 = new S3Client({
    endpoint: em.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: creds[1], secretAccessKey: creds[2] },
  });
  const result = { recordsPerObject: RECORDS };
  const source = (flowLog) =>
    new S3RecordSource(
      {
        list: (a, s) => pool.call('s3List', profile.name, 'us-east-1', a, s),
        read: (a, s) => pool.call('s3Read', profile.name, 'us-east-1', a, s),
      },
      s3Location(flowLog, '111111111111', 'us-east-1'),
      flowLog.LogFormat,
    );

  for (const fmt of ['text', 'parquet']) {
    const pick = em[fmt];
    if (!pick) {
      result[fmt] = { error: 'no large object' };
      continue;
    }
    // The first GET makes the emulator generate the object; it is not measured.
    const body = Buffer.from(
      await (await s3.send(new GetObjectCommand({ Bucket: pick.bucket, Key: pick.key }))).Body.transformToByteArray(),
    );
    const r = { bytes: body.length };
    // Floor, same bytes: gunzip alone (and line count) / hyparquet alone (all columns).
    const floors = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      if (fmt === 'text') {
        const text = gunzipSync(body).toString('utf8');
        let n = 0;
        for (let j = text.indexOf('\n'); j !== -1; j = text.indexOf('\n', j + 1)) n++;
        r.floorRecords = n - 1;
      } else {
        const { parquetReadObjects } = await import('hyparquet');
        const { compressors } = await import('hyparquet-compressors');
        const rows = await parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.length), compressors });
        r.floorRecords = rows.length;
      }
      floors.push(performance.now() - t0);
    }
    r.floorMs = Math.min(...floors);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      global.gc?.();
      // Up to and including the object's own name time (formats without start take it as record time).
      const q = { startMs: pick.windowStart, endMs: pick.windowStart + 5 * 60_000 + 1, filters: [] };
      const m = await peakRss(async () => {
        const t0 = performance.now();
        const loader = new RecordLoader(source(pick.flowLog), q);
        const outcome = await loader.load(Infinity, 2_000_000);
        return { ms: performance.now() - t0, records: loader.records.length, status: outcome.status };
      });
      runs.push(m);
    }
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
    Object.assign(r, {
      endToEndMs: best.ms,
      records: best.records,
      status: best.status,
      peakRssMB: Math.max(...runs.map((x) => x.peakRssMB)),
      rssGrowthMB: Math.max(...runs.map((x) => x.rssGrowthMB)),
    });
    r.recordsPerSec = best.records / (best.ms / 1000);
    r.floorRecordsPerSec = r.floorRecords / (r.floorMs / 1000);
    if (fmt === 'text') {
      // The AWS CLI on the same object: aws s3 cp - | zcat | wc -l.
      const env = { ...process.env, AWS_ACCESS_KEY_ID: creds[1], AWS_SECRET_ACCESS_KEY: creds[2], AWS_DEFAULT_REGION: 'us-east-1' };
      delete env.AWS_CONFIG_FILE;
      const t0 = performance.now();
      const lines = await new Promise((res) =>
        execFile('sh', ['-c', `aws --endpoint-url ${em.url} s3 cp s3://${pick.bucket}/${pick.key} - | zcat | wc -l`], { env }, (e, so) =>
          res(e ? -1 : Number(so.trim())),
        ),
      );
      r.awsCli = { ms: performance.now() - t0, records: lines - 1 };
    }
    result[fmt] = r;
  }

  // First screenful of "last hour" on a flow log with 7 days of objects (newest first).
  const flowLog = em.text.flowLog;
  const firsts = [];
  for (let i = 0; i < 3; i++) {
    const src = new S3RecordSource(
      {
        list: (a, s) => pool.call('s3List', profile.name, 'us-east-1', a, s),
        read: (a, s) => pool.call('s3Read', profile.name, 'us-east-1', a, s),
      },
      s3Location(flowLog, '111111111111', 'us-east-1'),
      flowLog.LogFormat,
      { order: 'newest' },
    );
    const now = Date.now();
    const t0 = performance.now();
    const loader = new RecordLoader(src, { startMs: now - 3_600_000, endMs: now, filters: [] });
    await loader.load(50, 10_000);
    firsts.push({
      ms: performance.now() - t0,
      records: loader.records.length,
      listRequests: src.progress.listRequests,
      objectsRead: src.progress.objectsRead,
    });
  }
  result.firstScreen = firsts;

  // A filter no record matches, so nothing is kept: what remains is the reading itself.
  const { recordLayout } = require(join(out, 'src/shared/recordsFields.js'));
  const noMatch = (f) =>
    recordLayout(f.LogFormat).index.srcport !== undefined ? [{ field: 'srcport', value: '1' }] : [{ field: 'version', value: '9' }];
  // Memory against object count: 1 hour (12 objects) vs 24 hours (288 objects) of the same flow log.
  result.memoryByObjects = [];
  for (const hours of [1, 24]) {
    global.gc?.();
    const now = Date.now() - 30 * 60_000;
    const m = await peakRss(async () => {
      const src = source(flowLog);
      const loader = new RecordLoader(src, { startMs: now - hours * 3_600_000, endMs: now, filters: noMatch(flowLog) });
      await loader.load(Infinity, 2_000_000);
      return { hours, objects: src.progress.objectsRead, scanned: loader.progress.scanned };
    });
    result.memoryByObjects.push(m);
  }
  pool.dispose?.();
  em.child.kill('SIGKILL');
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
