// Large worker results in parts (src/shared/resultParts.ts): split and join are exact, and through the
// real AWS worker over HTTP a FilterLogEvents page of thousands of records arrives in parts, in order, equal
// to the ground truth; a cancel or a worker that dies mid-stream rejects, and the pool goes on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, defaultAccounts, awsConfigFor, Emulator } from '../emulator/server';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { listProfiles, AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { joinResult, splitResult } from '../../src/shared/resultParts';
import { splitLine } from '../../src/aws/worker/s3Records';
import { recordLayout } from '../../src/shared/recordsFields';
import {
  packRecords,
  parseMessage,
  unpackRecords,
  unpackRecordsInSlices,
  type FlowRecord,
  type PackedRecords,
} from '../../src/shared/recordsParse';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../../src/shared/awsWorkerProtocol';
import type { FlowLog } from '../../src/shared/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { InProcessAws } from '../support/inProcessAws';
import { AwsCallError } from '../../src/shared/errors';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');

function records(n: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r: FlowRecord = { v: [`a${i}`, `b${i}`, `c${i}`], t: 1000 + i, s: `eni-${i % 7}`, id: `e${i}` };
    if (i % 333 === 5) Object.assign(r, { bad: `bad ${i}`, raw: `raw ${i}` });
    out.push(r);
  }
  return out;
}

describe('worker results in parts (resultParts)', function () {
  this.timeout(60_000);

  it('split then join gives back the same result, parts in order, bad records at their index', () => {
    const recs = records(2501);
    const value = { ok: true, packed: packRecords(3, recs), events: 9, nextToken: 'tok' };
    const { parts, last } = splitResult(value, 1000);
    assert.equal(parts.length, 2);
    assert.deepEqual(
      parts[0].t,
      recs.slice(0, 1000).map((r) => r.t),
    );
    assert.deepEqual(
      parts[1].id,
      recs.slice(1000, 2000).map((r) => r.id),
    );
    assert.equal((last as { packed: PackedRecords }).packed.t.length, 501);
    const joined = joinResult(parts, last) as typeof value;
    assert.deepEqual(joined, value);
    assert.deepEqual(unpackRecords(joined.packed), recs);
  });

  it('small results and results without packed records go whole', () => {
    const small = { ok: true, packed: packRecords(3, records(1000)) };
    assert.deepEqual(splitResult(small, 1000), { parts: [], last: small });
    const other = { items: [1, 2, 3] };
    assert.deepEqual(splitResult(other, 1), { parts: [], last: other });
    assert.equal(joinResult([], other), other);
  });

  it('unpackRecordsInSlices equals unpackRecords', async () => {
    const p = packRecords(3, records(3210));
    assert.deepEqual(await unpackRecordsInSlices(p, 1000), unpackRecords(p));
    assert.deepEqual(await unpackRecordsInSlices(packRecords(3, []), 1000), []);
  });

  describe('through the AWS worker over HTTP', () => {
    let em: Emulator;
    let dir: string;
    let profile: AwsProfile;
    let pool: AwsWorkerPool;
    let onPartial: (id: number) => void = () => {};
    let partials = 0;
    let groupLog: FlowLog;
    const [acct] = defaultAccounts(40);
    const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
    const end = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    const args = (): FilterLogEventsArgs => ({
      logGroupName: groupLog.LogGroupName!,
      format: groupLog.LogFormat!,
      startMs: end - 7 * 86_400_000 + 3_600_000,
      endMs: end,
      pattern: '',
      residual: [],
      limit: 10_000,
    });

    before(async () => {
      em = await startEmulator({ accounts: [acct], seed: 11 });
      groupLog = em
        .flowLogs(acct.accountId, 'us-east-1')
        .find(
          (f) =>
            f.LogDestinationType === 'cloud-watch-logs' &&
            f.DeliverLogsStatus !== 'FAILED' &&
            f.MaxAggregationInterval === 60 &&
            f.TrafficType === 'ALL' &&
            f.LogFormat?.includes('${action}'),
        )!;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-parts-'));
      const files = awsConfigFor(em, [{ name: 'parts', account: acct, region: 'us-east-1' }]);
      fs.writeFileSync(path.join(dir, 'config'), files.config);
      fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      profile = listProfiles(process.env).profiles.find((p) => p.name === 'parts')!;
      pool = new AwsWorkerPool(WORKER, {
        logger: new MemoryLogger(),
        poolSize: 1,
        onPartial: (id) => {
          partials++;
          onPartial(id);
        },
      });
      pool.configure({ maxAttempts: 1, requestTimeoutMs: 20_000, userAgent: 'test' }, [profile]);
    });
    after(async () => {
      pool?.dispose();
      await em?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      for (const [k, v] of [
        ['AWS_CONFIG_FILE', saved.config],
        ['AWS_SHARED_CREDENTIALS_FILE', saved.creds],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    // The ground truth: the same page through the same operation in this thread, whole (no parts),
    // checked against the emulator's own events.
    let truth: Extract<FilterLogEventsResult, { ok: true }>;
    const truthIds = () => truth.packed.id;
    before(async () => {
      const clients = new ClientCache({
        settings: () => ({ maxAttempts: 1, requestTimeoutMs: 20_000, userAgent: 'test' }),
        config: () => loadSharedConfig(process.env),
        logger: new MemoryLogger(),
      });
      const out = await new InProcessAws(clients, [profile]).call('filterLogEvents', profile.name, 'us-east-1', args());
      clients.dispose();
      assert.ok(out.ok);
      truth = out;
      const all = em.logs.events(acct.accountId, 'us-east-1', groupLog.LogGroupName!, args().startMs, args().endMs).map((e) => e.eventId);
      assert.ok(all.length > 10_000);
      const known = new Set(all);
      assert.ok(truth.packed.id.length > 2000, 'a page large enough to come in parts');
      assert.ok(truth.packed.id.every((id) => known.has(id)));
    });

    it('a large page (thousands of records) arrives in parts, in order, exactly the ground truth', async () => {
      partials = 0;
      const out = await pool.call('filterLogEvents', profile.name, 'us-east-1', args());
      assert.ok(out.ok, JSON.stringify(!out.ok && out.error));
      assert.equal(partials, Math.ceil(truth.packed.t.length / 1000) - 1); // parts of 1000, the last in the result
      assert.deepEqual(out, { ...truth, attempts: out.attempts });
    });

    it('a cancel mid-stream rejects with AbortError; the worker stops streaming and the next call is exact', async () => {
      const abort = new AbortController();
      partials = 0;
      onPartial = () => abort.abort();
      await assert.rejects(pool.call('filterLogEvents', profile.name, 'us-east-1', args(), abort.signal), { name: 'AbortError' });
      onPartial = () => {};
      const seenDuringCancel = partials;
      assert.equal(seenDuringCancel, 1);
      const out = (await pool.call('filterLogEvents', profile.name, 'us-east-1', args())) as Extract<FilterLogEventsResult, { ok: true }>;
      assert.deepEqual(out.packed.id, truthIds());
      assert.equal(partials, seenDuringCancel + Math.ceil(truth.packed.t.length / 1000) - 1);
    });

    it('a worker that dies mid-stream fails the call with a clear error; the next call starts a new worker', async () => {
      onPartial = () => {
        onPartial = () => {};
        for (const w of (pool as unknown as { workers: ({ terminate(): Promise<number> } | undefined)[] }).workers) void w?.terminate();
      };
      await assert.rejects(
        pool.call('filterLogEvents', profile.name, 'us-east-1', args()),
        (e: Error) => e instanceof AwsCallError && e.error.code === 'WorkerError' && /AWS worker/.test(e.message),
      );
      const out = (await pool.call('filterLogEvents', profile.name, 'us-east-1', args())) as Extract<FilterLogEventsResult, { ok: true }>;
      assert.deepEqual(out.packed.id, truthIds());
    });
  });
});

describe('S3 text lines: the single-space fast path (splitLine) equals parseMessage', () => {
  it('on regular and irregular lines', () => {
    const layout = recordLayout('${version} ${account-id} ${interface-id} ${srcaddr} ${start} ${action}');
    const lines = [
      '2 123456789012 eni-1 10.0.0.1 1700000000 ACCEPT',
      '2 123456789012 eni-1  10.0.0.1 1700000000 ACCEPT',
      ' 2 123456789012 eni-1 10.0.0.1 1700000000 ACCEPT ',
      '2\t123456789012 eni-1 10.0.0.1 1700000000 ACCEPT',
      '2 123456789012 eni-1 10.0.0.1\u00a01700000000 ACCEPT',
      '2 123456789012 eni-1 10.0.0.1 1700000000 ACCEPT\r',
      '2 123456789012 eni-1 10.0.0.1 1700000000',
      '2 123456789012 eni-1 10.0.0.1 1700000000 ACCEPT extra',
      `2 123456789012 eni-1 10.0.0.1 1700000000 ${'x'.repeat(17_000)}`,
      '',
    ];
    for (const l of lines) assert.deepEqual(splitLine(layout, l), parseMessage(layout, l, 0), JSON.stringify(l.slice(0, 80)));
  });
});
