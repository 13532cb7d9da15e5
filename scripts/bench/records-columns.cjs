// Records engine benchmark (issue 22): the records kept as columns in the AWS worker against the
// old path (records returned to the extension host as objects), for S3 gzip text and Parquet at
// several sizes, with the floors measured in the same run. Run by scripts/bench.mjs, or alone:
//   node --expose-gc scripts/bench/records-columns.cjs '{"sizes":[10000,100000]}'
// Prints one JSON line. Per size and format:
//   floor       gunzip + split into lines of the same bytes (text); hyparquet alone (Parquet: the
//               whole file as row objects, parquetReadObjects)
//   floorColumns (Parquet) hyparquet alone as the reader uses it: the format's columns, slices of
//               PARQUET_SLICE_ROWS as the reader cuts them, column chunks (onChunk), GZIP by zlib
//   old / new   end to end through AwsWorkerPool (dist/awsWorker.js) -> S3RecordSource -> RecordLoader:
//               records/s, CPU ms of this process (both threads; the endpoint's process not counted;
//               floors: floorCpuMs, floorColumnsCpuMs: on a loaded machine CPU compares better than wall), extension-host heap per record (after gc, loader alive), peak RSS growth of
//               the process (worker threads included), the longest stall of this thread (wall, and
//               the thread's own CPU in it: /proc/thread-self/schedstat)
//   windows     (new) 100 windows of 200 rows at random places after a sort by bytes: ms each, stall
//   worker      (new) the same load in this thread (InProcessAws): heap per record of the store
//   awsCli      aws s3 cp - | zcat | wc -l on the same object, where the CLI is installed
// CloudWatch Logs (unless noCloudWatch): n records of the endpoint's large group through the pool ->
// CloudWatchRecordSource -> RecordLoader, next to the floor: UTF-8 decode + JSON.parse of the same
// FilterLogEvents bodies, in this run (floorCpuMs: its thread's CPU); benchCpuMs / endpointCpuMs:
// CPU of this process (worker included) and of the endpoint's process during the load (they share
// the machine's cores); cpuVsFloorCpu: benchCpuMs over floorCpuMs. inThread: the same load with
// the worker's code on this thread (InProcessAws), this thread's CPU alone next to the floor's.
'use strict';
const { spawn, execFile } = require('node:child_process');
const { join, resolve } = require('node:path');
const { gunzipSync } = require('node:zlib');
const fs = require('node:fs');
const os = require('node:os');
const Module = require('node:module');

const opts = JSON.parse(process.argv[2] || '{}');
const root = resolve(__dirname, '../..');
const out = resolve(root, opts.out || 'out');
const dist = resolve(root, opts.dist || 'dist');
const SIZES = opts.sizes || [10_000, 100_000];
const FORMATS = opts.formats || ['text', 'parquet'];
const OLD = opts.old !== false;
// opts.oldMax: the old path only up to this size (at 1M it takes gigabytes on the extension host).

// The in-thread run uses the production SDK bundle, as the worker does.
const resolveName = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === './sdkBundle' && parent?.filename?.endsWith(join('src', 'aws', 'worker', 'sdk.js'))) return join(dist, 'sdk.js');
  return resolveName.call(this, request, parent, ...rest);
};

function startEmulator(records) {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'columns-bench-'));
  const code = `
    const { startEmulator, defaultAccounts, awsConfigFor } = require(${JSON.stringify(join(out, 'test/emulator/server.js'))});
    const fs = require('node:fs');
    (async () => {
      const accounts = defaultAccounts(40).slice(0, 1);
      const em = await startEmulator({ accounts, seed: 3, s3: { largeObjectRecords: ${records} }, logs: { largeGroupRecords: ${records} } });
      const files = awsConfigFor(em, [{ name: 'bench', account: accounts[0], region: 'us-east-1' }]);
      fs.writeFileSync(${JSON.stringify(join(dir, 'config'))}, files.config);
      fs.writeFileSync(${JSON.stringify(join(dir, 'credentials'))}, files.credentials);
      const logs = em.flowLogs(accounts[0].accountId, 'us-east-1').filter((l) => l.LogDestinationType === 's3');
      const pick = (fmt) => {
        for (const l of logs.filter((x) => (x.DestinationOptions.FileFormat === 'parquet') === (fmt === 'parquet') && !x.LogFormat)) {
          const bucket = /s3:::([^/]+)/.exec(l.LogDestination)[1];
          const o = em.s3.objects(bucket).find((x) => x.flowLogId === l.FlowLogId && x.kind === 'large');
          if (o) return { flowLog: l, bucket, key: o.key, windowStart: o.windowStart };
        }
        for (const l of logs.filter((x) => (x.DestinationOptions.FileFormat === 'parquet') === (fmt === 'parquet'))) {
          const bucket = /s3:::([^/]+)/.exec(l.LogDestination)[1];
          const o = em.s3.objects(bucket).find((x) => x.flowLogId === l.FlowLogId && x.kind === 'large');
          if (o) return { flowLog: l, bucket, key: o.key, windowStart: o.windowStart };
        }
      };
      const largeGroup = em.logs.largeGroup(accounts[0].accountId, 'us-east-1');
      console.log('READY ' + JSON.stringify({ url: em.url, text: pick('text'), parquet: pick('parquet'), largeGroup }));
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

function threadCpuNs() {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** Longest gap between 5 ms ticks of this thread (wall) and this thread's CPU within one gap; peak RSS. */
function monitor() {
  let max = 0;
  let maxCpu = 0;
  let last = performance.now();
  let lastCpu = threadCpuNs();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const t = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuNs();
    max = Math.max(max, now - last - 5);
    maxCpu = Math.max(maxCpu, (cpu - lastCpu) / 1e6);
    last = now;
    lastCpu = cpu;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return () => {
    clearInterval(t);
    return { stallMs: max, stallCpuMs: maxCpu, rssGrowthMB: (peak - rss0) / 2 ** 20 };
  };
}

/** CPU time (ms) of this process since `c0`, every thread: the extension host's and the AWS worker's. */
const cpuMs = (c0) => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

const heap = () => {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
};

(async () => {
  const result = { sizes: {} };
  const { AwsWorkerPool } = require(join(out, 'src/aws/awsWorkerPool.js'));
  const { loadSharedConfig } = require(join(out, 'src/shared/sharedConfig.js'));
  const { listProfiles } = require(join(out, 'src/shared/profiles.js'));
  const { S3RecordSource } = require(join(out, 'src/records/s3/s3Source.js'));
  const { s3Location } = require(join(out, 'src/records/s3/layout.js'));
  const { RecordLoader } = require(join(out, 'src/records/source.js'));
  const { ClientCache } = require(join(out, 'src/aws/worker/clients.js'));
  const { InProcessAws } = require(join(out, 'test/support/inProcessAws.js'));
  const { recordStoresFootprint } = require(join(out, 'src/aws/worker/recordStores.js'));
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
  const cli = await new Promise((res) => execFile('sh', ['-c', 'command -v aws'], (e, so) => res(e ? '' : so.trim())));

  for (const n of SIZES) {
    const em = await startEmulator(n);
    process.env.AWS_CONFIG_FILE = join(em.dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(em.dir, 'credentials');
    const config = loadSharedConfig(process.env);
    const profile = listProfiles(process.env, config).profiles.find((p) => p.name === 'bench');
    const pool = new AwsWorkerPool(join(dist, 'awsWorker.js'), { logger: { info() {}, warn() {}, error() {} }, poolSize: 1 });
    pool.configure({ maxAttempts: 3, requestTimeoutMs: 300_000, userAgent: 'bench' }, [profile]);
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 3, requestTimeoutMs: 300_000, userAgent: 'bench' }),
      config: () => config,
      logger: { info() {}, warn() {}, error() {} },
    });
    const inThread = new InProcessAws(clients, [profile]);
    const creds = /aws_access_key_id = (\S+)\naws_secret_access_key = (\S+)/.exec(fs.readFileSync(join(em.dir, 'credentials'), 'utf8'));
    const s3 = new S3Client({
      endpoint: em.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: creds[1], secretAccessKey: creds[2] },
    });
    const sizeResult = {};
    for (const fmt of FORMATS) {
      const pick = em[fmt];
      if (!pick) {
        sizeResult[fmt] = { error: 'no large object' };
        continue;
      }
      const body = Buffer.from(
        await (await s3.send(new GetObjectCommand({ Bucket: pick.bucket, Key: pick.key }))).Body.transformToByteArray(),
      );
      const r = { objectBytes: body.length };
      const floors = [];
      const floorCpus = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        if (fmt === 'text') {
          const text = gunzipSync(body);
          let lines = 0;
          let fields = 0;
          for (let j = text.indexOf(10); j !== -1; j = text.indexOf(10, j + 1)) lines++;
          for (let j = text.indexOf(32); j !== -1; j = text.indexOf(32, j + 1)) fields++;
          r.floorRecords = lines - 1;
          r.floorFields = fields;
        } else {
          const { parquetReadObjects } = await import('hyparquet');
          const { compressors } = await import('hyparquet-compressors');
          const rows = await parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.length), compressors });
          r.floorRecords = rows.length;
        }
        floors.push(performance.now() - t0);
        floorCpus.push(cpuMs(c0));
      }
      r.floorMs = Math.min(...floors);
      r.floorCpuMs = Math.min(...floorCpus);
      r.floorRecordsPerSec = r.floorRecords / (r.floorMs / 1000);
      if (fmt === 'parquet') {
        // The fair floor of the reader: hyparquet alone decoding what the reader decodes (the
        // format's columns, the reader's slices (rowGroupRuns, PARQUET_SLICE_ROWS), column chunks by
        // onChunk, GZIP by zlib), from memory: no HTTP, no worker, no store.
        const { parquetMetadata, parquetRead } = await import('hyparquet');
        const { compressors } = await import('hyparquet-compressors');
        const { gunzipSync } = require('node:zlib');
        const { recordLayout } = require(join(out, 'src/shared/recordsFields.js'));
        // (Before parquetRecords.ts the reader was in s3Records.ts: opts.out may be an older build.)
        const readerFile = fs.existsSync(join(out, 'src/aws/worker/parquetRecords.js')) ? 'parquetRecords.js' : 's3Records.js';
        const { PARQUET_SLICE_ROWS, rowGroupRuns } = require(join(out, 'src/aws/worker', readerFile));
        const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.length);
        const columns = [...new Set(recordLayout(pick.flowLog.LogFormat).fields.map((f) => f.name.replace(/-/g, '_')))];
        const zlibGzip = { ...compressors, GZIP: (input) => gunzipSync(input) };
        const times = [];
        const cpus = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          const c0 = process.cpuUsage();
          const metadata = parquetMetadata(file);
          let values = 0;
          for (const [rowStart, rowEnd] of rowGroupRuns(metadata, -Infinity, Infinity)) {
            for (let from = rowStart; from < rowEnd; from += PARQUET_SLICE_ROWS) {
              const to = Math.min(rowEnd, from + PARQUET_SLICE_ROWS);
              await parquetRead({
                file,
                metadata,
                columns,
                compressors: zlibGzip,
                rowStart: from,
                rowEnd: to,
                onChunk: (c) => (values += c.columnData.length),
              });
            }
          }
          times.push(performance.now() - t0);
          cpus.push(cpuMs(c0));
          r.floorColumnsRecords = values / columns.length;
        }
        r.floorColumnsMs = Math.min(...times);
        r.floorColumnsCpuMs = Math.min(...cpus);
        r.floorColumnsRecordsPerSec = r.floorColumnsRecords / (r.floorColumnsMs / 1000);
      }
      const q = { startMs: pick.windowStart, endMs: pick.windowStart + 5 * 60_000 + 1, filters: [] };
      const source = (aws, stored) =>
        new S3RecordSource(
          {
            list: (a, s) => aws.call('s3List', profile.name, 'us-east-1', a, s),
            read: (a, s) => aws.call('s3Read', profile.name, 'us-east-1', a, s),
            ...(stored ? { store: (op, a, s) => aws.call(op, profile.name, 'us-east-1', a, s) } : {}),
          },
          s3Location(pick.flowLog, '111111111111', 'us-east-1'),
          pick.flowLog.LogFormat,
        );
      const run = async (stored) => {
        const h0 = heap();
        const stop = monitor();
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const loader = new RecordLoader(source(pool, stored), q);
        const outcome = await loader.load(Infinity, 5_000_000);
        const ms = performance.now() - t0;
        const cpu = cpuMs(c0);
        const m = stop();
        const records = loader.size;
        const hostBytes = heap() - h0;
        const res = {
          ms,
          cpuMs: cpu,
          records,
          status: outcome.status,
          recordsPerSec: records / (ms / 1000),
          hostBytesPerRecord: hostBytes / records,
          ...m,
        };
        if (stored) {
          const rs = loader.resultSet;
          const stopW = monitor();
          const t1 = performance.now();
          await rs.order({ key: 'bytes', descending: true });
          const sortMs = performance.now() - t1;
          const times = [];
          for (let i = 0; i < 100; i++) {
            const t2 = performance.now();
            const w = await rs.window(Math.floor(Math.random() * Math.max(1, records - 200)), 200);
            times.push(performance.now() - t2);
            if (w.rows.length === 0 && records > 0) throw new Error('empty window');
          }
          times.sort((a, b) => a - b);
          const t3 = performance.now();
          await rs.summary();
          res.windows = { sortMs, medianMs: times[50], maxMs: times[99], summaryMs: performance.now() - t3, ...stopW() };
          rs.dispose();
        }
        return res;
      };
      // Warm: the worker, the SDK in it, the client and the object's first read are not measured.
      await new RecordLoader(source(pool, false), { ...q, endMs: q.startMs + 1 }).load(10, 10);
      await new RecordLoader(source(inThread, false), { ...q, endMs: q.startMs + 1 }).load(10, 10);
      if (OLD && n <= (opts.oldMax ?? 1e9)) r.old = await run(false);
      const news = [await run(true), await run(true)];
      r.new = news.reduce((a, b) => (a.ms <= b.ms ? a : b));
      // The store's memory, measured where it lives: the same load in this thread.
      {
        const h0 = heap();
        const loader = new RecordLoader(source(inThread, true), q);
        await loader.load(Infinity, 5_000_000);
        const grown = heap() - h0;
        const fp = recordStoresFootprint();
        r.worker = { heapBytesPerRecord: grown / loader.size, storeBytesPerRecord: fp.bytes / Math.max(1, fp.records) };
        loader.resultSet.dispose();
      }
      if (fmt === 'text' && cli) {
        const env = { ...process.env, AWS_ACCESS_KEY_ID: creds[1], AWS_SECRET_ACCESS_KEY: creds[2], AWS_DEFAULT_REGION: 'us-east-1' };
        delete env.AWS_CONFIG_FILE;
        delete env.AWS_SHARED_CREDENTIALS_FILE;
        const t0 = performance.now();
        const lines = await new Promise((res) =>
          execFile('sh', ['-c', `aws --endpoint-url ${em.url} s3 cp s3://${pick.bucket}/${pick.key} - | zcat | wc -l`], { env }, (e, so) =>
            res(e ? -1 : Number(so.trim())),
          ),
        );
        r.awsCli = { ms: performance.now() - t0, records: lines - 1 };
      }
      sizeResult[fmt] = r;
    }
    // CloudWatch Logs: the emulator's large group (logs.largeGroupRecords = n) over 7 days, n records.
    if (!opts.noCloudWatch) {
      const { CloudWatchRecordSource } = require(join(out, 'src/records/cloudWatchSource.js'));
      const { loadSdk } = require(join(out, 'src/aws/worker/sdk.js'));
      const sdk = loadSdk();
      const logs = (await clients.ec2Client(profile, 'us-east-1').send(new sdk.DescribeFlowLogsCommand({}))).FlowLogs.filter(
        (x) => x.LogDestinationType === 'cloud-watch-logs' && x.DeliverLogsStatus !== 'FAILED' && x.TrafficType === 'ALL',
      );
      const f = logs.find((x) => x.LogGroupName === em.largeGroup) ?? logs.find((x) => !x.LogFormat) ?? logs[0];
      const now = Date.now();
      const q = { startMs: now - 7 * 86_400_000 + 3_600_000, endMs: now - 600_000, filters: [] };
      const r = { group: f.LogGroupName };
      // Floor: the same pages' bodies (fetched in this thread, which also makes the endpoint
      // generate and cache them before the measured runs), UTF-8 decode + JSON.parse alone.
      const client = clients.logsClient(profile, 'us-east-1');
      const handler = client.config.requestHandler;
      const handle = handler.handle.bind(handler);
      const bodies = [];
      handler.handle = async (request, o2) => {
        const res = await handle(request, o2);
        const chunks = [];
        for await (const c of res.response.body) chunks.push(c);
        const buf = Buffer.concat(chunks);
        bodies.push(buf);
        res.response.body = buf;
        return res;
      };
      let token;
      let events = 0;
      do {
        const page = await client.send(
          new sdk.FilterLogEventsCommand({
            logGroupName: f.LogGroupName,
            startTime: q.startMs,
            endTime: q.endMs,
            limit: Math.min(10_000, n - events),
            nextToken: token,
          }),
        );
        events += page.events.length;
        token = page.nextToken;
      } while (token && events < n);
      handler.handle = handle;
      r.pages = bodies.length;
      r.bodyBytes = bodies.reduce((x, b) => x + b.length, 0);
      const floors = [];
      const floorCpu = [];
      let parsed = 0;
      for (let i = 0; i < 3; i++) {
        const c1 = threadCpuNs();
        const t1 = performance.now();
        parsed = 0;
        const dec = new TextDecoder();
        for (const b of bodies) parsed += JSON.parse(dec.decode(b)).events.length;
        floors.push(performance.now() - t1);
        floorCpu.push((threadCpuNs() - c1) / 1e6);
      }
      bodies.length = 0;
      r.floorMs = Math.min(...floors);
      // The floor's own CPU (this thread): on a loaded machine wall time also counts waiting for a core.
      r.floorCpuMs = Math.min(...floorCpu);
      r.floorRecords = parsed;
      r.floorRecordsPerSec = parsed / (r.floorMs / 1000);
      const cw = (stored) =>
        new CloudWatchRecordSource(
          (args, signal) => pool.call('filterLogEvents', profile.name, 'us-east-1', args, signal),
          f.LogGroupName,
          f.LogFormat,
          undefined,
          stored ? (op, a, sg) => pool.call(op, profile.name, 'us-east-1', a, sg) : undefined,
        );
      await new RecordLoader(cw(false), q).load(10, 10);
      const emulatorCpuMs = () => {
        try {
          const st = fs.readFileSync(`/proc/${em.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return ((Number(st[11]) + Number(st[12])) * 1000) / 100;
        } catch {
          return NaN;
        }
      };
      const run = async (stored) => {
        const h0 = heap();
        const stop = monitor();
        const c0 = emulatorCpuMs();
        const u0 = process.cpuUsage();
        const t0 = performance.now();
        const loader = new RecordLoader(cw(stored), q);
        await loader.load(n, n);
        const ms = performance.now() - t0;
        const u = process.cpuUsage(u0);
        const m = stop();
        const records = loader.size;
        const res = {
          ms,
          records,
          recordsPerSec: records / (ms / 1000),
          vsFloor: ms / r.floorMs,
          cpuVsFloorCpu: (u.user + u.system) / 1000 / r.floorCpuMs,
          // CPU of this process (host thread and the AWS worker) and of the endpoint's process.
          benchCpuMs: (u.user + u.system) / 1000,
          endpointCpuMs: emulatorCpuMs() - c0,
          hostBytesPerRecord: (heap() - h0) / records,
          ...m,
        };
        loader.resultSet?.dispose();
        return res;
      };
      if (OLD && n <= (opts.oldMax ?? 1e9)) r.old = await run(false);
      const news = [await run(true)];
      if (n <= 100_000) news.push(await run(true));
      r.new = news.reduce((x, y) => (x.ms <= y.ms ? x : y));
      // The worker's code on this thread (InProcessAws): this thread's CPU for the same load, so
      // the main thread, GC helpers and the pool's messages are not counted with it.
      {
        const inThreadSource = () =>
          new CloudWatchRecordSource(
            (args, signal) => inThread.call('filterLogEvents', profile.name, 'us-east-1', args, signal),
            f.LogGroupName,
            f.LogFormat,
            undefined,
            (op, a, sg) => inThread.call(op, profile.name, 'us-east-1', a, sg),
          );
        const runs = [];
        for (let i = 0; i < (n <= 100_000 ? 2 : 1); i++) {
          heap();
          const c0 = threadCpuNs();
          const t0 = performance.now();
          const loader = new RecordLoader(inThreadSource(), q);
          await loader.load(n, n);
          const cpuMs = (threadCpuNs() - c0) / 1e6;
          runs.push({ ms: performance.now() - t0, cpuMs, records: loader.size, cpuVsFloorCpu: cpuMs / r.floorCpuMs });
          loader.resultSet?.dispose();
        }
        r.inThread = runs.reduce((x, y) => (x.cpuMs <= y.cpuMs ? x : y));
      }
      r.loadAverage = os.loadavg();
      sizeResult.cloudwatch = r;
    }
    result.sizes[n] = sizeResult;
    clients.dispose();
    pool.dispose?.();
    em.child.kill('SIGKILL');
  }
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
