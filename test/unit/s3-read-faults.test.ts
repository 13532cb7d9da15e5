// Network faults while reading S3 flow log objects, through the extension's own path over real HTTP
// (ClientCache -> s3Read -> S3RecordSource -> RecordLoader) against the local endpoint's fault rules:
// a body dropped mid-response, a body that stalls, a 5xx. Parquet (ranged GetObject) and `.log.gz`
// (one streamed GetObject) must behave alike: a network failure is a network error with Retry that
// resumes (no record lost, none twice), never "corrupt", never a load that says "done" with records
// missing (issue 23, item 1).
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
import { RecordLoader, type LoadOutcome, type RecordQuery } from '../../src/records/source';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { s3Location } from '../../src/records/s3/layout';
import { S3RecordSource } from '../../src/records/s3/s3Source';
import type { FaultRule } from '../emulator/faults';

const HOUR = 3_600_000;
const REGION = 'us-east-1';
const TIMEOUT_MS = 1_500;

describe('S3 object reads under network faults (real HTTP, Parquet and .log.gz alike)', function () {
  this.timeout(180_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(41);
  const now = Date.now();

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 23, s3: { now: () => now } });
    dir = mkdtempSync(join(tmpdir(), 's3-faults-'));
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
      settings: () => ({ maxAttempts: 2, requestTimeoutMs: TIMEOUT_MS, userAgent: 't' }),
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
  afterEach(() => em.setFaults([]));

  const logOf = (format: 'parquet' | 'plain-text'): FlowLog =>
    em
      .flowLogs(acct.accountId, REGION)
      .find((l) => l.LogDestinationType === 's3' && (l.DestinationOptions?.FileFormat ?? 'plain-text') === format)!;
  const source = (log: FlowLog) => {
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
    );
  };
  const query = (): RecordQuery => ({ startMs: now - 3 * HOUR, endMs: now - HOUR, filters: [] });
  const truth = (log: FlowLog, q: RecordQuery): string[] => {
    const layout = recordLayout(log.LogFormat);
    return em.s3
      .records(log, q.startMs, q.endMs)
      .rows.map((r) => parseMessage(layout, r.join(' '), 0).v.join(' '))
      .sort();
  };
  const lines = async (loader: RecordLoader) => (await rowsOf(loader)).map((r) => r.v.join(' ')).sort();

  /**
   * Loads everything with the faults on, pressing Retry after each error (at most `retries`
   * times); every error must be a network-class error with Retry. Returns the outcomes.
   */
  async function loadWithRetries(loader: RecordLoader, retries: number, clearAfter?: number): Promise<LoadOutcome[]> {
    const outcomes: LoadOutcome[] = [];
    for (let i = 0; i <= retries; i++) {
      if (clearAfter !== undefined && i === clearAfter) em.setFaults([]);
      const out = await loader.load(1_000_000, 1_000_000);
      outcomes.push(out);
      if (out.status !== 'error') break;
      assert.ok(['network', 'timeout', 'server'].includes(out.error.kind), `a network failure, not ${JSON.stringify(out.error)}`);
      assert.ok(out.error.actions.includes('retry'), JSON.stringify(out.error));
    }
    return outcomes;
  }

  for (const format of ['parquet', 'plain-text'] as const) {
    describe(format === 'parquet' ? 'Parquet (ranged GetObject)' : '.log.gz (streamed GetObject)', () => {
      it('20% of GetObject bodies dropped mid-response: exact records after Retry, nothing named corrupt', async () => {
        const log = logOf(format);
        const src = source(log);
        const loader = new RecordLoader(src, query());
        em.setFaults([{ fault: 'drop', action: 'GetObject', rate: 0.2 }]);
        const outcomes = await loadWithRetries(loader, 40);
        assert.equal(outcomes[outcomes.length - 1].status, 'done', JSON.stringify(outcomes.slice(-3)));
        assert.deepEqual(src.skipped, [], 'a dropped connection is not a corrupt object');
        const want = truth(log, query());
        assert.ok(want.length > 100, `${want.length} records in range`);
        assert.deepEqual(await lines(loader), want);
        assert.ok(
          em.requests.some((r) => r.action === 'GetObject' && r.errorCode === 'ConnectionDropped'),
          'fixture sanity: drops happened',
        );
      });

      it('every body stalls: a timeout error (the request timeout setting) with Retry, never "done"; Retry resumes exactly', async () => {
        const log = logOf(format);
        const src = source(log);
        const loader = new RecordLoader(src, query());
        // The first objects read fine, then every body stalls.
        em.setFaults([{ fault: 'stallBody', action: 'GetObject', fromNth: format === 'parquet' ? 20 : 6 }]);
        const first = await loader.load(1_000_000, 1_000_000);
        assert.equal(first.status, 'error', JSON.stringify(first));
        if (first.status !== 'error') return;
        // A timeout that names the setting (the body sent nothing for the request timeout), not "aborted".
        assert.equal(first.error.kind, 'timeout', JSON.stringify(first.error));
        assert.match(first.error.message, /flowLogs\.requestTimeoutSeconds/);
        assert.match(first.error.detail ?? '', /stalled/);
        assert.ok(first.error.actions.includes('retry'));
        assert.deepEqual(src.skipped, []);
        assert.ok(
          em.requests.some((r) => r.errorCode === 'BodyStalled'),
          'fixture sanity: a body stalled',
        );
        em.setFaults([]);
        const again = await loader.load(1_000_000, 1_000_000);
        assert.equal(again.status, 'done', JSON.stringify(again));
        assert.deepEqual(src.skipped, []);
        assert.deepEqual(await lines(loader), truth(log, query()));
      });

      it('5xx on every GetObject: a server error with Retry, not corrupt; Retry reads everything', async () => {
        const log = logOf(format);
        const src = source(log);
        const loader = new RecordLoader(src, query());
        const rules: FaultRule[] = [{ fault: 'internalError', action: 'GetObject', fromNth: 3 }];
        em.setFaults(rules);
        const first = await loader.load(1_000_000, 1_000_000);
        assert.ok(first.status === 'error' && first.error.kind === 'server', JSON.stringify(first));
        assert.deepEqual(src.skipped, []);
        em.setFaults([]);
        assert.equal((await loader.load(1_000_000, 1_000_000)).status, 'done');
        assert.deepEqual(src.skipped, []);
        assert.deepEqual(await lines(loader), truth(log, query()));
      });
    });
  }
});
