// The emulator through the real AWS SDK over real HTTP: every field round-trips, STS answers,
// and bad credentials, denied regions, DryRun and bad input fail as on AWS.
import assert from 'node:assert/strict';
import { DescribeFlowLogsCommand, EC2Client, paginateDescribeFlowLogs, type FlowLog as SdkFlowLog } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { FlowLog } from '../../../src/shared/types';
import { defaultAccounts, startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/server';
import { HOSTILE_OFFSET } from '../../emulator/data';
import { fromIni } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsConfigFor } from '../../emulator/fixtures';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const credsOf = (a: EmulatorAccount, over: Partial<Creds> = {}): Creds => ({
  accessKeyId: a.accessKeyId,
  secretAccessKey: a.secretAccessKey ?? 'unused',
  ...over,
});

async function allFlowLogs(client: EC2Client, pageSize = 50): Promise<SdkFlowLog[]> {
  const out: SdkFlowLog[] = [];
  for await (const page of paginateDescribeFlowLogs({ client, pageSize }, {})) out.push(...(page.FlowLogs ?? []));
  return out;
}

/** Runs `fn`, expecting an SDK service error; returns its name and HTTP status. */
async function failure(fn: () => Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  assert.fail('expected the call to fail');
}

describe('emulator with the real AWS SDK', function () {
  this.timeout(20000);
  let em: Emulator;
  const [acct1, acct2] = defaultAccounts(230);
  const withToken: EmulatorAccount = {
    accountId: '333333333333',
    accessKeyId: 'ASIAEMULATOR3333EXAMPLE',
    secretAccessKey: 'secret3333',
    regions: ['us-east-1'],
    flowLogsPerRegion: 10,
    expiredSessionTokens: ['expired-session-token'],
    disabledRegions: ['me-south-1'],
  };
  const ec2 = (account: EmulatorAccount, region = 'us-east-1', over: Partial<Creds> = {}) =>
    new EC2Client({ endpoint: em.url, region, credentials: credsOf(account, over), maxAttempts: 1 });
  const sts = (account: EmulatorAccount, over: Partial<Creds> = {}) =>
    new STSClient({ endpoint: em.url, region: 'us-east-1', credentials: credsOf(account, over), maxAttempts: 1 });

  before(async () => {
    em = await startEmulator({ accounts: [acct1, acct2, withToken], seed: 42 });
  });
  after(async () => {
    await em.stop();
  });

  it('binds 127.0.0.1 on an ephemeral port', () => {
    assert.match(em.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(em.port > 0);
  });

  it('round-trips every field of every flow log, hostile tags byte for byte', async () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const got = await allFlowLogs(ec2(acct1, region));
      const truth = em.flowLogs(acct1.accountId, region);
      assert.equal(got.length, 230);
      assert.deepEqual(got, truth);
      assert.ok(got[HOSTILE_OFFSET].Tags!.some((t) => t.Value === '</script><script>alert(1)</script>'));
      assert.ok(got.some((f) => f.DestinationOptions?.FileFormat === 'parquet'));
      assert.ok(got.every((f) => f.CreationTime instanceof Date));
    }
  });

  it('serves data set with setFlowLogs, edge values included', async () => {
    const logs: FlowLog[] = [
      { FlowLogId: 'fl-00000000000000001' },
      {
        FlowLogId: 'fl-00000000000000002',
        CreationTime: new Date('1999-12-31T23:59:59.999Z'),
        Tags: [],
        DestinationOptions: { HiveCompatiblePartitions: true },
        MaxAggregationInterval: 0,
        LogFormat: '',
      },
      {
        FlowLogId: 'fl-00000000000000003',
        Tags: [
          { Key: ' ', Value: '&amp;&#x41;<![CDATA[]]>\u0085\u2028' },
          { Key: 'empty', Value: '' },
        ],
      },
    ];
    em.setFlowLogs(acct2.accountId, 'sa-east-1', logs);
    const got = await allFlowLogs(ec2(acct2, 'sa-east-1'));
    // Absent fields stay absent; an empty tagSet comes back as [] and empty strings as "".
    assert.deepEqual(got, logs);
    assert.deepEqual(em.flowLogs(acct2.accountId, 'sa-east-1'), logs);
  });

  it('rejects data setFlowLogs could not serve, with a clear error', () => {
    assert.throws(
      () => em.setFlowLogs(acct1.accountId, 'us-east-2', [{ CreationTime: new Date('nope') }]),
      /item 0: CreationTime must be a valid Date/,
    );
    assert.throws(() => em.setFlowLogs(acct1.accountId, 'us-east-2', [{}, null as unknown as FlowLog]), /item 1 is not an object/);
  });

  it('answers regions without data with no flow logs', async () => {
    const page = await ec2(acct1, 'sa-east-1').send(new DescribeFlowLogsCommand({}));
    assert.deepEqual(page.FlowLogs, []);
    assert.equal(page.NextToken, undefined);
  });

  it('returns everything in one page when MaxResults is absent', async () => {
    const page = await ec2(acct1).send(new DescribeFlowLogsCommand({}));
    assert.equal(page.FlowLogs!.length, 230);
    assert.equal(page.NextToken, undefined);
  });

  it('answers STS GetCallerIdentity for a user and for a session', async () => {
    const user = await sts(acct2).send(new GetCallerIdentityCommand({}));
    assert.equal(user.Account, '222222222222');
    assert.equal(user.Arn, 'arn:aws:iam::222222222222:user/emulator');
    assert.ok(user.UserId);
    const session = await sts(withToken, { sessionToken: 'valid-token' }).send(new GetCallerIdentityCommand({}));
    assert.equal(session.Account, '333333333333');
    assert.match(session.Arn!, /^arn:aws:sts::333333333333:assumed-role\//);
  });

  it('rejects an unknown access key', async () => {
    const stranger = { ...acct1, accessKeyId: 'AKIAUNKNOWNKEY000000' };
    assert.deepEqual(
      await failure(() => ec2(stranger).send(new DescribeFlowLogsCommand({}))).then(({ name, status }) => ({ name, status })),
      { name: 'AuthFailure', status: 401 },
    );
    const s = await failure(() => sts(stranger).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([s.name, s.status], ['InvalidClientTokenId', 403]);
  });

  it('rejects a wrong secret key, as EC2 and STS do', async () => {
    const e = await failure(() => ec2(acct1, 'us-east-1', { secretAccessKey: 'wrong' }).send(new DescribeFlowLogsCommand({})));
    assert.deepEqual([e.name, e.status], ['AuthFailure', 401]);
    const s = await failure(() => sts(acct1, { secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([s.name, s.status], ['SignatureDoesNotMatch', 403]);
  });

  it('rejects an expired session token (EC2 RequestExpired, STS ExpiredToken)', async () => {
    const expired = { sessionToken: 'expired-session-token' };
    const e = await failure(() => ec2(withToken, 'us-east-1', expired).send(new DescribeFlowLogsCommand({})));
    assert.deepEqual([e.name, e.status], ['RequestExpired', 400]);
    const s = await failure(() => sts(withToken, expired).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([s.name, s.status], ['ExpiredToken', 403]);
    const ok = await ec2(withToken, 'us-east-1', { sessionToken: 'fresh' }).send(new DescribeFlowLogsCommand({}));
    assert.equal(ok.FlowLogs!.length, 10);
  });

  it('answers AuthFailure in a region the account has not enabled', async () => {
    const e = await failure(() => ec2(withToken, 'me-south-1').send(new DescribeFlowLogsCommand({})));
    assert.deepEqual([e.name, e.status], ['AuthFailure', 401]);
  });

  it('answers DryRun with DryRunOperation when allowed and UnauthorizedOperation when denied', async () => {
    const allowed = await failure(() => ec2(acct2).send(new DescribeFlowLogsCommand({ DryRun: true })));
    assert.deepEqual(
      [allowed.name, allowed.status, allowed.message],
      ['DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.'],
    );
    const denied = await failure(() => ec2(acct2, 'ap-northeast-1').send(new DescribeFlowLogsCommand({ DryRun: true })));
    assert.deepEqual([denied.name, denied.status], ['UnauthorizedOperation', 403]);
    assert.match(denied.message, /not authorized to perform: ec2:DescribeFlowLogs/);
  });

  it('denies normal requests in a denied region', async () => {
    const e = await failure(() => ec2(acct2, 'ap-northeast-1').send(new DescribeFlowLogsCommand({})));
    assert.deepEqual([e.name, e.status], ['UnauthorizedOperation', 403]);
  });

  it('rejects invalid MaxResults, unknown filters and too many IDs with InvalidParameterValue', async () => {
    for (const MaxResults of [0, 4, 1001]) {
      const e = await failure(() => ec2(acct1).send(new DescribeFlowLogsCommand({ MaxResults })));
      assert.deepEqual([e.name, e.status], ['InvalidParameterValue', 400], `MaxResults ${MaxResults}`);
    }
    const f = await failure(() => ec2(acct1).send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'vpc-id', Values: ['vpc-1'] }] })));
    assert.deepEqual([f.name, f.status], ['InvalidParameterValue', 400]);
    assert.match(f.message, /'vpc-id'/);
    const ids = Array.from({ length: 1001 }, (_, i) => `fl-${i}`);
    const t = await failure(() => ec2(acct1).send(new DescribeFlowLogsCommand({ FlowLogIds: ids })));
    assert.deepEqual([t.name, t.status], ['InvalidParameterValue', 400]);
  });

  it('rejects a malformed or foreign NextToken with InvalidPaginationToken', async () => {
    const first = await ec2(acct1).send(new DescribeFlowLogsCommand({ MaxResults: 10 }));
    assert.ok(first.NextToken);
    const cases: [string, () => Promise<unknown>][] = [
      ['garbage', () => ec2(acct1).send(new DescribeFlowLogsCommand({ MaxResults: 10, NextToken: 'garbage' }))],
      ['other region', () => ec2(acct1, 'eu-west-1').send(new DescribeFlowLogsCommand({ MaxResults: 10, NextToken: first.NextToken }))],
      ['other account', () => ec2(acct2).send(new DescribeFlowLogsCommand({ MaxResults: 10, NextToken: first.NextToken }))],
      [
        'other filters',
        () =>
          ec2(acct1).send(
            new DescribeFlowLogsCommand({
              MaxResults: 10,
              NextToken: first.NextToken,
              Filter: [{ Name: 'traffic-type', Values: ['ALL'] }],
            }),
          ),
      ],
    ];
    for (const [label, call] of cases) {
      const e = await failure(call);
      assert.deepEqual([e.name, e.status], ['InvalidPaginationToken', 400], label);
    }
    em.setFlowLogs(acct1.accountId, 'ap-southeast-2', em.flowLogs(acct1.accountId, 'ap-southeast-2'));
    const before = await ec2(acct1, 'ap-southeast-2').send(new DescribeFlowLogsCommand({ MaxResults: 10 }));
    em.setFlowLogs(acct1.accountId, 'ap-southeast-2', em.flowLogs(acct1.accountId, 'ap-southeast-2').slice(1));
    const stale = await failure(() =>
      ec2(acct1, 'ap-southeast-2').send(new DescribeFlowLogsCommand({ MaxResults: 10, NextToken: before.NextToken })),
    );
    assert.equal(stale.name, 'InvalidPaginationToken');
    assert.match(stale.message, /changed/);
  });

  it('accepts FlowLogIds with MaxResults and leaves unknown IDs out', async () => {
    const truth = em.flowLogs(acct1.accountId, 'us-east-1');
    const wanted = [truth[3].FlowLogId!, 'fl-0000000000000dead', truth[200].FlowLogId!, truth[7].FlowLogId!];
    const got = (await allFlowLogs(ec2(acct1), 5)).length;
    assert.equal(got, 230);
    const ids: string[] = [];
    for await (const page of paginateDescribeFlowLogs({ client: ec2(acct1), pageSize: 5 }, { FlowLogIds: wanted })) {
      ids.push(...page.FlowLogs!.map((f) => f.FlowLogId!));
    }
    assert.deepEqual(
      ids,
      [truth[3], truth[7], truth[200]].map((f) => f.FlowLogId),
    );
  });

  it('writes AWS config files whose profiles the SDK can use against the emulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-aws-'));
    try {
      const files = awsConfigFor(em, [
        { name: 'default', account: acct1, region: 'eu-west-1' },
        { name: 'second', account: acct2, region: 'us-east-1' },
        { name: 'session', account: withToken, region: 'us-east-1', sessionToken: 'expired-session-token' },
      ]);
      const configPath = join(dir, 'config');
      const credentialsPath = join(dir, 'credentials');
      writeFileSync(configPath, files.config);
      writeFileSync(credentialsPath, files.credentials);
      const shared = await loadSharedConfigFiles({ filepath: credentialsPath, configFilepath: configPath });
      assert.deepEqual(shared.configFile.second, { region: 'us-east-1', endpoint_url: em.url });
      assert.equal(shared.configFile.default.region, 'eu-west-1');
      const clientFor = (profile: string) =>
        new EC2Client({
          endpoint: shared.configFile[profile].endpoint_url,
          region: shared.configFile[profile].region,
          credentials: fromIni({ profile, filepath: credentialsPath, configFilepath: configPath }),
          maxAttempts: 1,
        });
      const page = await clientFor('second').send(new DescribeFlowLogsCommand({ MaxResults: 5 }));
      assert.deepEqual(
        page.FlowLogs!.map((f) => f.FlowLogId),
        em
          .flowLogs(acct2.accountId, 'us-east-1')
          .slice(0, 5)
          .map((f) => f.FlowLogId),
      );
      assert.equal((await clientFor('default').send(new DescribeFlowLogsCommand({}))).FlowLogs!.length, 230);
      assert.equal((await failure(() => clientFor('session').send(new DescribeFlowLogsCommand({})))).name, 'RequestExpired');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers unknown actions, unknown parameters and unsigned requests with EC2 errors', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(em.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    const unsigned = await post('Action=DescribeFlowLogs&Version=2016-11-15');
    assert.equal(unsigned.status, 401);
    assert.match(await unsigned.text(), /<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code>/);
    const auth = {
      authorization: `AWS4-HMAC-SHA256 Credential=${withToken.accessKeyId}/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    };
    // withToken's secret is set, so a fake signature fails; use an account without one.
    const open = await startEmulator({ accounts: [{ ...withToken, secretAccessKey: undefined }] });
    try {
      const call = (body: string) =>
        fetch(open.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth } });
      const invalid = await call('Action=RunInstances&Version=2016-11-15');
      assert.equal(invalid.status, 400);
      assert.match(await invalid.text(), /<Code>InvalidAction<\/Code>/);
      const unknown = await call('Action=DescribeFlowLogs&Version=2016-11-15&Filters.1.Name=x');
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /<Code>UnknownParameter<\/Code>/);
      const ok = await call('Action=DescribeFlowLogs&Version=2016-11-15&MaxResults=5');
      assert.equal(ok.status, 200);
      const xml = await ok.text();
      assert.match(
        xml,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeFlowLogsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>/,
      );
      assert.equal(xml.match(/<flowLogId>/g)!.length, 5);
    } finally {
      await open.stop();
    }
  });

  it('logs requests without secrets or session tokens', async () => {
    em.resetRequests();
    assert.equal(em.requests.length, 0);
    await ec2(withToken, 'us-east-1', { sessionToken: 'super-secret-session-token' }).send(
      new DescribeFlowLogsCommand({ MaxResults: 5, Filter: [{ Name: 'tag-key', Values: ['env'] }] }),
    );
    await failure(() => ec2(acct1, 'us-east-1', { secretAccessKey: 'wrong' }).send(new DescribeFlowLogsCommand({})));
    assert.equal(em.requests.length, 2);
    const [ok, bad] = em.requests;
    assert.deepEqual(
      {
        action: ok.action,
        accountId: ok.accountId,
        region: ok.region,
        key: ok.accessKeyId,
        token: ok.sessionToken,
        status: ok.status,
        items: ok.items,
      },
      {
        action: 'DescribeFlowLogs',
        accountId: '333333333333',
        region: 'us-east-1',
        key: withToken.accessKeyId,
        token: true,
        status: 200,
        items: 5,
      },
    );
    assert.deepEqual(ok.params, {
      filters: [{ Name: 'tag-key', Values: ['env'] }],
      flowLogIds: undefined,
      maxResults: 5,
      nextToken: false,
      dryRun: false,
    });
    assert.deepEqual([bad.status, bad.errorCode], [401, 'AuthFailure']);
    const logged = JSON.stringify(em.requests);
    for (const secret of ['super-secret-session-token', withToken.secretAccessKey!, acct1.secretAccessKey!, 'wrong"']) {
      assert.ok(!logged.includes(secret), `log must not contain ${secret}`);
    }
  });
});
