// Credentials are resolved once per profile, whatever the number of regions (clients).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientCache, memoizeCredentials } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import { FlowLogService } from '../../src/aws/flowLogService';
import { InProcessAws } from '../support/inProcessAws';
import { startEmulator, defaultAccounts, Emulator } from '../emulator/server';

describe('memoizeCredentials', () => {
  it('shares one resolution among concurrent callers and later ones', async () => {
    let calls = 0;
    const get = memoizeCredentials(async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 20));
      return { expiration: new Date(Date.now() + 3600_000) };
    });
    await Promise.all([get(), get(), get()]);
    await get();
    assert.equal(calls, 1);
  });

  it('resolves again when credentials are about to expire, or on forceRefresh', async () => {
    let calls = 0;
    const get = memoizeCredentials(async () => {
      calls += 1;
      return { expiration: new Date(Date.now() + 60_000) };
    });
    await get();
    await get(); // expires within 5 minutes: fetched again
    assert.equal(calls, 2);
    let calls2 = 0;
    const never = memoizeCredentials(async () => {
      calls2 += 1;
      return {};
    });
    await never();
    await never({ forceRefresh: true });
    assert.equal(calls2, 2);
  });

  it('does not keep a failure: the next call (Retry) tries again', async () => {
    let calls = 0;
    const get = memoizeCredentials(async () => {
      calls += 1;
      if (calls === 1) throw new Error('no');
      return {};
    });
    await assert.rejects(get(), /no/);
    await get();
    assert.equal(calls, 2);
  });
});

describe('ClientCache: one credential_process run per profile, whatever the regions', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  before(async () => {
    em = await startEmulator({ accounts: defaultAccounts(10), seed: 5 });
  });
  after(async () => {
    await em.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs credential_process once for three regions', async () => {
    const [account] = defaultAccounts(10);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-creds-'));
    const counter = path.join(dir, 'runs');
    const script = path.join(dir, 'creds.sh');
    fs.writeFileSync(
      script,
      `#!/bin/sh\necho run >> '${counter}'\necho '{"Version":1,"AccessKeyId":"${account.accessKeyId}","SecretAccessKey":"${account.secretAccessKey}"}'\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(dir, 'config'),
      `[profile proc]\nregion = us-east-1\nendpoint_url = ${em.url}\ncredential_process = ${script}\n`,
    );
    const env = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') };
    const config = loadSharedConfig(env);
    const profile = listProfiles(env, config).profiles.find((p) => p.name === 'proc')!;
    assert.equal(profile.kind, 'process');
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 't' }),
      config: () => config,
      logger: new MemoryLogger(),
      env,
    });
    const service = new FlowLogService(new InProcessAws(clients, [profile]), new MemoryLogger());
    try {
      for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) {
        const page = await service.describeFlowLogsPage(profile, region)({ query: { filters: [] }, pageSize: 5 });
        assert.equal(page.items.length, 5);
      }
      assert.equal(fs.readFileSync(counter, 'utf8').trim().split('\n').length, 1);
    } finally {
      clients.dispose();
    }
  });
});
