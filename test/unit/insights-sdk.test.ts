// Logs Insights end to end below the UI: the real AWS SDK in the AWS worker threads, over HTTP,
// to the local endpoint; the answers checked against the records the endpoint serves (parsed by
// the records explorer's own parser, not by the Insights engine); cancel and every error state.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import type { FlowLog } from '../../src/shared/types';
import { buildAnalysisQuery, type BuiltQuery } from '../../src/shared/insightsAnalyses';
import { runAnalysis, splitTargets, type Progress } from '../../src/insights/runAnalysis';
import { fieldValue, parseEvents } from '../../src/shared/recordsParse';
import { recordLayout } from '../../src/shared/recordsFields';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');
const ACCOUNT = '111111111111';
const quick = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20)));

describe('insights over the real SDK and the local endpoint', function () {
  this.timeout(120000);
  let em: Emulator;
  let dir: string;
  let profile: AwsProfile;
  let pool: AwsWorkerPool;
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  // The range ends 20 minutes ago: newer windows are still being delivered by the endpoint.
  const now = Date.now() - 20 * 60_000;
  const range = { startTime: now - 3 * 3600_000, endTime: now };

  const cwl = (region: string, custom?: boolean): FlowLog => {
    const logs = em
      .flowLogs(ACCOUNT, region)
      .filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED');
    const found = logs.find((f) => (custom ? f.LogFormat?.startsWith('${srcaddr}') : f.LogFormat === recordLayout(undefined).format));
    assert.ok(found, `a ${custom ? 'custom' : 'default'}-format CloudWatch flow log in ${region}`);
    return found!;
  };
  /** Top talkers straight from the records the endpoint serves. */
  const truth = (region: string, f: FlowLog, q: BuiltQuery): Map<string, number[]> => {
    const layout = recordLayout(f.LogFormat);
    const events = em.logs.events(ACCOUNT, region, f.LogGroupName!, q.startTime * 1000, q.endTime * 1000 + 999);
    const out = new Map<string, number[]>();
    for (const r of parseEvents(layout, events)) {
      const src = fieldValue(layout, r, 'srcaddr');
      if (src === '-' || src === '') continue;
      const key = `${src} ${fieldValue(layout, r, 'dstaddr')}`;
      const have = out.get(key) ?? [0, 0, 0];
      have[0] += Number(fieldValue(layout, r, 'bytes'));
      have[1] += Number(fieldValue(layout, r, 'packets'));
      have[2] += 1;
      out.set(key, have);
    }
    return out;
  };
  const asMap = (rows: (string | number | null)[][]) => new Map(rows.map((r) => [`${r[0]} ${r[1]}`, r.slice(2) as number[]]));

  before(async () => {
    em = await startEmulator({ accounts: defaultAccounts(60), seed: 17 });
    em.logs.insights.runningMs = 150;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-insights-'));
    const files = awsConfigFor(em, [{ name: 'ins', account: defaultAccounts()[0], region: 'us-east-1' }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    profile = listProfiles(process.env).profiles.find((p) => p.name === 'ins')!;
    pool = new AwsWorkerPool(WORKER, { logger: new MemoryLogger() });
    pool.configure({ maxAttempts: 1, requestTimeoutMs: 10000, userAgent: 'test' }, listProfiles(process.env).profiles);
  });
  after(async () => {
    pool.dispose();
    await em.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.creds],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterEach(() => {
    em.setFaults([]);
    em.logs.insights.outcome = () => undefined;
    em.logs.insights.maxConcurrent = 30;
  });

  for (const custom of [false, true]) {
    it(`top talkers on a ${custom ? 'custom' : 'default'}-format flow log equal the records' ground truth, with Running progress`, async () => {
      const f = cwl('us-east-1', custom);
      const q = buildAnalysisQuery({ analysis: 'topTalkers', logFormat: f.LogFormat, ...range, limit: 10000 });
      const progress: Progress[] = [];
      const out = await runAnalysis(pool, q, [{ profile, region: 'us-east-1', logGroupNames: [f.LogGroupName!] }], {
        sleep: quick,
        onProgress: (p) => progress.push(structuredClone(p)),
      });
      assert.equal(out.state, 'complete', out.summary);
      const expected = truth('us-east-1', f, q);
      assert.ok(expected.size > 0);
      assert.deepEqual(asMap(out.table.rows), expected);
      assert.ok(
        progress.some((p) => p.parts[0].state === 'Running'),
        'a Running phase was seen',
      );
      assert.ok(out.statistics.recordsScanned > 0 && out.statistics.bytesScanned > 0);
      assert.equal(
        out.statistics.recordsMatched,
        [...expected.values()].reduce((s, v) => s + v[2], 0),
      );
    });
  }

  it('two regions: one query each, concurrently, merged and saying so', async () => {
    const a = cwl('us-east-1');
    const b = cwl('eu-west-1');
    const q = buildAnalysisQuery({ analysis: 'topTalkers', ...range, limit: 10000 });
    const out = await runAnalysis(
      pool,
      q,
      [
        { profile, region: 'us-east-1', logGroupNames: [a.LogGroupName!] },
        { profile, region: 'eu-west-1', logGroupNames: [b.LogGroupName!] },
      ],
      { sleep: quick },
    );
    assert.equal(out.state, 'complete');
    assert.equal(out.parts.length, 2);
    assert.match(out.summary, /merged from 2 queries \(ins\/us-east-1, ins\/eu-west-1\)/);
    const expected = truth('us-east-1', a, q);
    for (const [k, v] of truth('eu-west-1', b, q)) {
      const have = expected.get(k);
      expected.set(k, have ? have.map((x, i) => x + v[i]) : v);
    }
    assert.deepEqual(asMap(out.table.rows), expected);
  });

  it('Cancel sends StopQuery and ends Cancelled', async () => {
    em.logs.insights.runningMs = 60_000;
    try {
      const f = cwl('us-east-1');
      const q = buildAnalysisQuery({ analysis: 'topDstPorts', ...range });
      const abort = new AbortController();
      const out = await runAnalysis(pool, q, [{ profile, region: 'us-east-1', logGroupNames: [f.LogGroupName!] }], {
        sleep: quick,
        signal: abort.signal,
        onProgress: (p) => p.parts[0].state === 'Running' && abort.abort(),
      });
      assert.equal(out.state, 'cancelled');
      const id = out.parts[0].queryId;
      assert.equal(em.logs.insights.all().find((x) => x.queryId === id)?.status, 'Cancelled');
      assert.ok(em.requests.some((r) => r.action === 'StopQuery' && r.status === 200));
    } finally {
      em.logs.insights.runningMs = 150;
    }
  });

  it('a query stuck in Running is stopped after the time bound (15 minutes by default), StopQuery sent, saying so', async () => {
    em.logs.insights.runningMs = 24 * 3600_000;
    try {
      const f = cwl('us-east-1');
      const q = buildAnalysisQuery({ analysis: 'topDstPorts', ...range });
      // A clock the waits move on: each wait between polls takes its time at once.
      let clock = 1_000_000;
      let polls = 0;
      const out = await runAnalysis(pool, q, [{ profile, region: 'us-east-1', logGroupNames: [f.LogGroupName!] }], {
        sleep: async (ms) => {
          clock += ms;
          polls++;
        },
        now: () => clock,
      });
      assert.equal(out.state, 'timeout');
      assert.match(out.summary, /Stopped after 15 minutes/);
      assert.ok(clock - 1_000_000 <= 15 * 60_000 + 2000, `stopped at ${Math.round((clock - 1_000_000) / 60_000)} minutes`);
      assert.ok(clock - 1_000_000 >= 15 * 60_000, 'not before the bound');
      assert.ok(polls < 500, `${polls} polls`);
      const id = out.parts[0].queryId;
      assert.equal(em.logs.insights.all().find((x) => x.queryId === id)?.status, 'Cancelled', 'StopQuery reached the endpoint');
      // A shorter bound from the setting.
      clock = 0;
      const short = await runAnalysis(pool, q, [{ profile, region: 'us-east-1', logGroupNames: [f.LogGroupName!] }], {
        sleep: async (ms) => {
          clock += ms;
        },
        now: () => clock,
        maxRunMs: 60_000,
      });
      assert.equal(short.state, 'timeout');
      assert.match(short.summary, /Stopped after 1 minute\b/);
      assert.ok(clock <= 62_000);
    } finally {
      em.logs.insights.runningMs = 150;
    }
  });

  it('a worker that dies mid-analysis: the analysis ends in error (not running) and every started query gets StopQuery', async () => {
    em.logs.insights.runningMs = 60_000;
    try {
      const a = cwl('us-east-1');
      const b = cwl('eu-west-1');
      const q = buildAnalysisQuery({ analysis: 'topTalkers', ...range });
      const before = new Set(em.logs.insights.all().map((x) => x.queryId));
      let killed = false;
      const out = await runAnalysis(
        pool,
        q,
        [
          { profile, region: 'us-east-1', logGroupNames: [a.LogGroupName!] },
          { profile, region: 'eu-west-1', logGroupNames: [b.LogGroupName!] },
        ],
        {
          sleep: quick,
          onProgress: (p) => {
            if (!killed && p.parts.every((x) => x.state === 'Running')) {
              killed = true;
              // The workers die while both GetQueryResults calls are in flight (held 3 s by the
              // endpoint): a worker killed between two polls would just be replaced for the next one.
              em.setFaults([{ fault: 'latency', action: 'GetQueryResults', latencyMs: 3_000 }]);
              setTimeout(() => {
                for (const w of (pool as unknown as { workers: ({ terminate(): Promise<number> } | undefined)[] }).workers)
                  void w?.terminate();
              }, 500);
            }
          },
        },
      );
      assert.ok(killed, 'the workers were stopped while both queries ran');
      assert.equal(out.state, 'error');
      assert.match(out.summary, /worker/i);
      const started = em.logs.insights.all().filter((x) => !before.has(x.queryId));
      assert.equal(started.length, 2);
      for (const x of started) assert.equal(x.status, 'Cancelled', `query ${x.queryId} stopped`);
      assert.ok(em.requests.filter((r) => r.action === 'StopQuery' && r.status === 200).length >= 2);
    } finally {
      em.setFaults([]);
      em.logs.insights.runningMs = 150;
    }
  });

  it('error states: malformed (message and position), limit exceeded, access denied, not found, Failed, Timeout', async () => {
    const f = cwl('us-east-1');
    const target = [{ profile, region: 'us-east-1', logGroupNames: [f.LogGroupName!] }];
    const base = buildAnalysisQuery({ analysis: 'topTalkers', ...range });
    const run = (q: BuiltQuery = base, targets = target) => runAnalysis(pool, q, targets, { sleep: quick });

    const bad = await run({ ...base, queryString: 'fields srcAddr | frobnicate' });
    assert.equal(bad.state, 'error');
    assert.equal(bad.error?.kind, 'malformed');
    assert.deepEqual(bad.error?.position, { start: 17, end: 27 });
    assert.equal('fields srcAddr | frobnicate'.slice(17, 27), 'frobnicate');
    assert.match(bad.error!.message, /expected a command.*at character 18/);

    em.logs.insights.maxConcurrent = 0;
    const limited = await run();
    assert.equal(limited.error?.kind, 'limitExceeded');
    assert.match(limited.error!.message, /Too many Logs Insights queries.*LimitExceededException/);
    em.logs.insights.maxConcurrent = 30;

    em.setFaults([{ fault: 'unauthorized', action: 'StartQuery' }]);
    const denied = await run();
    assert.equal(denied.error?.kind, 'denied');
    assert.match(denied.error!.message, /^Not authorized for logs:StartQuery/);
    em.setFaults([{ fault: 'unauthorized', action: 'GetQueryResults' }]);
    const deniedResults = await run();
    assert.match(deniedResults.error!.message, /^Not authorized for logs:GetQueryResults/);
    em.setFaults([]);

    const missing = await run(base, [{ profile, region: 'us-east-1', logGroupNames: ['/no/such/group'] }]);
    assert.equal(missing.error?.kind, 'notFound');

    em.logs.insights.outcome = () => 'Failed';
    assert.equal((await run()).state, 'failed');
    em.logs.insights.outcome = () => 'Timeout';
    const timedOut = await run();
    assert.equal(timedOut.state, 'timeout');
    assert.match(timedOut.summary, /timed out/);
  });

  it('one region failing leaves the other answered (partial), naming what failed', async () => {
    const a = cwl('us-east-1');
    const q = buildAnalysisQuery({ analysis: 'topTalkers', ...range });
    em.setFaults([{ fault: 'unauthorized', action: 'StartQuery', region: 'eu-west-1' }]);
    const out = await runAnalysis(
      pool,
      q,
      [
        { profile, region: 'us-east-1', logGroupNames: [a.LogGroupName!] },
        { profile, region: 'eu-west-1', logGroupNames: [cwl('eu-west-1').LogGroupName!] },
      ],
      { sleep: quick },
    );
    assert.equal(out.state, 'partial');
    assert.ok(out.table.rows.length > 0);
    assert.match(out.summary, /from 1 of 2 queries; not answered: ins\/eu-west-1 \(Not authorized for logs:StartQuery/);
  });

  it('more than 50 log groups become one query per 50, duplicates dropped', () => {
    const names = Array.from({ length: 120 }, (_, i) => `/g/${i}`);
    const chunks = splitTargets([
      { profile, region: 'us-east-1', logGroupNames: [...names, '/g/0'] },
      { profile, region: 'eu-west-1', logGroupNames: ['/x'] },
    ]);
    assert.deepEqual(
      chunks.map((c) => [c.region, c.logGroupNames.length]),
      [
        ['us-east-1', 50],
        ['us-east-1', 50],
        ['us-east-1', 20],
        ['eu-west-1', 1],
      ],
    );
    assert.deepEqual(
      chunks.slice(0, 3).flatMap((c) => c.logGroupNames),
      names,
    );
  });

  it('boto3 (a client nobody here wrote) runs a query and reads the compile error', async () => {
    const f = cwl('us-east-1');
    const script = `
import boto3, json, time, sys
c = boto3.client('logs', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
q = c.start_query(logGroupName=sys.argv[4], startTime=int(sys.argv[5]), endTime=int(sys.argv[6]), queryString='stats count(*) as n by action')
for _ in range(200):
    r = c.get_query_results(queryId=q['queryId'])
    if r['status'] not in ('Running', 'Scheduled'): break
    time.sleep(0.05)
err = None
try:
    c.start_query(logGroupName=sys.argv[4], startTime=0, endTime=1, queryString='fields a | nope')
except c.exceptions.MalformedQueryException as e:
    err = e.response.get('queryCompileError')
print(json.dumps({'status': r['status'], 'results': r['results'], 'stats': r['statistics'], 'err': err, 'described': len(c.describe_queries()['queries'])}))
`;
    const acct = defaultAccounts()[0];
    const q = buildAnalysisQuery({ analysis: 'topTalkers', ...range });
    // Asynchronously: the endpoint runs in this process and must keep answering.
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      ['-c', script, em.url, acct.accessKeyId, acct.secretAccessKey!, f.LogGroupName!, String(q.startTime), String(q.endTime)],
      { encoding: 'utf8', timeout: 60000 },
    );
    const out = JSON.parse(stdout);
    assert.equal(out.status, 'Complete');
    const layout = recordLayout(f.LogFormat);
    const byAction = new Map<string, number>();
    for (const r of parseEvents(
      layout,
      em.logs.events(ACCOUNT, 'us-east-1', f.LogGroupName!, q.startTime * 1000, q.endTime * 1000 + 999),
    )) {
      const a = fieldValue(layout, r, 'action');
      byAction.set(a, (byAction.get(a) ?? 0) + 1);
    }
    const got = new Map(
      (out.results as { field: string; value: string }[][]).map((row) => [
        row.find((x) => x.field === 'action')!.value,
        Number(row.find((x) => x.field === 'n')!.value),
      ]),
    );
    assert.deepEqual(got, byAction);
    assert.ok(out.stats.recordsScanned > 0);
    assert.deepEqual(out.err, { location: { startCharOffset: 11, endCharOffset: 15 }, message: out.err.message });
    assert.ok(out.described >= 1);
  });
});
