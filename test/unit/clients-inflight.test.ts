// Issue 13, defect 8: Refresh (ClientCache.invalidate) gives new requests new clients at once, but
// closes a client only when its requests in flight have ended: a search or a detail panel that is
// still using it finishes normally. Real SDK over HTTP against the emulator (200 ms latency).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws } from '../support/inProcessAws';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

describe('clients in flight survive a Refresh (issue 13, defect 8)', function () {
  this.timeout(20_000);
  let em: Emulator;
  let dir: string;
  let clients: ClientCache;
  let aws: InProcessAws;
  let profile: AwsProfile;
  const [acct] = defaultAccounts(20);
  const REGION = 'us-east-1';

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-inflight-'));
    const files = awsConfigFor(em, [{ name: 'one', account: acct, region: REGION }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger: new MemoryLogger(),
      env,
    });
    aws = new InProcessAws(clients, listProfiles(env).profiles);
    profile = listProfiles(env).profiles.find((p) => p.name === 'one')!;
  });
  after(async () => {
    aws?.dispose();
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('twenty Refreshes during three slow requests: all three answer; the old client closes after them; new requests use a new client', async () => {
    em.setFaults([{ fault: 'latency', action: 'DescribeFlowLogs', latencyMs: 300 }]);
    const old = clients.ec2Client(profile, REGION);
    const pending = [0, 1, 2].map(() => aws.call('describeFlowLogsPage', profile.name, REGION, { query: { filters: [] }, pageSize: 5 }));
    await new Promise((r) => setTimeout(r, 50)); // the requests are on the wire
    for (let i = 0; i < 20; i++) aws.invalidate();
    assert.notEqual(clients.ec2Client(profile, REGION), old, 'new requests get a new client at once');
    assert.equal(clients.retiringClients, 1, 'the old client waits for its requests');
    const pages = await Promise.all(pending);
    assert.ok(
      pages.every((p) => p.items.length === 5),
      'every request in flight answered',
    );
    assert.equal(clients.retiringClients, 0);
    assert.ok(clients.closedClients >= 1, 'the old client was closed after its requests ended');
    em.setFaults([]);
    const again = await aws.call('describeFlowLogsPage', profile.name, REGION, { query: { filters: [] }, pageSize: 5 });
    assert.equal(again.items.length, 5);
  });

  it('a client with nothing in flight is closed at once', () => {
    const before = clients.closedClients;
    clients.ec2Client(profile, 'eu-west-1');
    clients.invalidate('one');
    assert.ok(clients.closedClients > before);
    assert.equal(clients.retiringClients, 0);
  });
});
