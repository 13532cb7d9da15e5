// Issue 13, "also found": a successful Check Permissions logs no failed attempt; the endpoint in
// use is logged per client, with one warning for plain http to another host; Select Regions says
// "not listed" only for a region DescribeRegions left out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache, isCleartextRemote } from '../../src/aws/clients';
import { InProcessAws } from '../../src/aws/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../../src/aws/logger';
import { listProfiles } from '../../src/aws/profiles';
import { loadSharedConfig } from '../../src/aws/sharedConfig';
import { regionChoices } from '../../src/aws/regions';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

describe('issue 13, also found', function () {
  this.timeout(20_000);
  let em: Emulator;
  let dir: string;
  const [acct] = defaultAccounts(5);
  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 2 });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-also-'));
  });
  after(async () => {
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a successful Check Permissions (DryRunOperation) logs no "attempt failed"; the endpoint in use is logged once', async () => {
    const files = awsConfigFor(em, [{ name: 'one', account: acct, region: 'us-east-1' }]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const logger = new MemoryLogger();
    const clients = new ClientCache({ settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }), config: () => loadSharedConfig(env), logger, env });
    const service = new FlowLogService(new InProcessAws(clients), logger);
    const profile = listProfiles(env).profiles.find((p) => p.name === 'one')!;
    assert.deepEqual(await service.checkPermission(profile, 'us-east-1'), { allowed: true });
    assert.deepEqual(await service.checkPermission(profile, 'us-east-1'), { allowed: true });
    assert.ok(!logger.lines.some((l) => l.includes('attempt failed')), logger.lines.join('\n'));
    assert.equal(logger.lines.filter((l) => l === `INFO ec2 endpoint for profile one: ${em.url}`).length, 1, logger.lines.join('\n'));
    assert.ok(!logger.lines.some((l) => l.includes('travel in clear')), 'loopback http is not warned about');
    clients.dispose();
  });

  it('plain http:// to a host other than this machine is flagged; https and loopback are not', () => {
    for (const url of ['http://ec2.example.com', 'http://10.0.0.5:4566', 'http://[2001:db8::1]/']) assert.equal(isCleartextRemote(url), true, url);
    for (const url of ['https://ec2.example.com', 'http://127.0.0.1:4566', 'http://localhost:1', 'http://[::1]:9', 'not a url']) assert.equal(isCleartextRemote(url), false, url);
  });

  it('Select Regions: "not listed by DescribeRegions" only for a region it left out', () => {
    const status = new Map<string, string | undefined>([['af-south-1', 'opt-in-not-required'], ['us-east-1', 'opt-in-not-required']]);
    const rows = regionChoices('aws', new Set(['us-east-1']), status);
    const af = rows.find((r) => r.id === 'af-south-1')!;
    assert.equal(af.note, 'Opt-in region (DescribeRegions says opt-in-not-required)');
    const me = rows.find((r) => r.id === 'me-south-1')!;
    assert.equal(me.note, 'Opt-in region: not listed by DescribeRegions');
  });
});
