// The emulator's SSO portal API and log-archive account over real HTTP, checked with clients nobody
// here wrote: the AWS SDK for JavaScript (@aws-sdk/client-sso and its paginator), boto3 and, when it
// is installed, the AWS CLI (`aws sso list-accounts --endpoint-url`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  SSOClient,
  paginateListAccounts,
} from '@aws-sdk/client-sso';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, DescribeFlowLogsCommand } from '@aws-sdk/client-ec2';
import { startEmulator, type Emulator } from '../../emulator/server';
import { ssoDemo, SSO_DEMO_ARCHIVE_ACCOUNT } from '../../emulator/fixtures';
import { deliverToArchive } from '../../emulator/sso/logArchive';

const demo = ssoDemo(40);
const EXPIRED = 'expired-sso-token';

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const r = await promisify(execFile)(cmd, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 120_000 });
    return r.stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return assert.fail(`${cmd} failed: ${err.stderr || err.message}`);
  }
}

describe('emulator SSO portal and log archive', function () {
  this.timeout(120_000);
  let em: Emulator;
  let sso: SSOClient;

  before(async () => {
    em = await startEmulator({
      accounts: demo.accounts,
      sso: { ...demo.sso, tokens: [...demo.sso.tokens, { accessToken: EXPIRED, expiresAt: Date.now() - 1000 }] },
      logArchive: demo.logArchive,
      hostile: false,
    });
    sso = new SSOClient({ region: demo.ssoRegion, endpoint: em.url, maxAttempts: 1 });
  });
  after(async () => {
    sso?.destroy();
    await em?.stop();
  });

  it('lists every account over pages with the SDK paginator, and the roles of one', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: sso, pageSize: 15 }, { accessToken: demo.accessToken })) {
      pages++;
      seen.push(...(page.accountList ?? []).map((a) => a.accountId!));
    }
    assert.equal(seen.length, 41);
    assert.equal(new Set(seen).size, 41);
    assert.equal(pages, 3);
    const first = await sso.send(new ListAccountsCommand({ accessToken: demo.accessToken }));
    assert.equal(first.accountList?.length, 20, 'without max_result a page has 20 accounts');
    assert.ok(first.accountList?.every((a) => a.accountName && a.emailAddress));
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken: demo.accessToken, accountId: SSO_DEMO_ARCHIVE_ACCOUNT }));
    assert.deepEqual(
      roles.roleList?.map((r) => r.roleName),
      ['LogArchiveReader', 'ReadOnlyAccess'],
    );
  });

  it('answers the documented errors: UnauthorizedException, ResourceNotFoundException, InvalidRequestException, TooManyRequestsException', async () => {
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { name: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`,
      );
    assert.equal(await codeOf(sso.send(new ListAccountsCommand({ accessToken: EXPIRED }))), 'UnauthorizedException 401');
    assert.equal(await codeOf(sso.send(new ListAccountsCommand({ accessToken: 'never-issued' }))), 'UnauthorizedException 401');
    assert.equal(
      await codeOf(sso.send(new ListAccountRolesCommand({ accessToken: demo.accessToken, accountId: '123456789012' }))),
      'ResourceNotFoundException 404',
    );
    assert.equal(
      await codeOf(sso.send(new ListAccountsCommand({ accessToken: demo.accessToken, maxResults: 0 }))),
      'InvalidRequestException 400',
    );
    // A next token of another query (the roles of an account) is not one of the accounts list.
    const rolesPage = await sso.send(
      new ListAccountRolesCommand({ accessToken: demo.accessToken, accountId: SSO_DEMO_ARCHIVE_ACCOUNT, maxResults: 1 }),
    );
    assert.ok(rolesPage.nextToken);
    assert.equal(
      await codeOf(sso.send(new ListAccountsCommand({ accessToken: demo.accessToken, nextToken: rolesPage.nextToken }))),
      'InvalidRequestException 400',
    );
    em.setFaults([{ fault: 'throttle', action: 'ListAccounts', nth: 1 }]);
    try {
      assert.equal(await codeOf(sso.send(new ListAccountsCommand({ accessToken: demo.accessToken }))), 'TooManyRequestsException 429');
    } finally {
      em.setFaults([]);
    }
  });

  it('hands out role credentials that sign EC2 calls as the account, and the archive denies the owners', async () => {
    const owner = demo.accounts[1].accountId;
    const roleCreds = async (accountId: string, roleName: string) => {
      const c = (await sso.send(new GetRoleCredentialsCommand({ accessToken: demo.accessToken, accountId, roleName }))).roleCredentials!;
      assert.ok(c.expiration! > Date.now() + 30 * 60_000, 'expiration is in milliseconds');
      return { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey!, sessionToken: c.sessionToken! };
    };
    const ownerCreds = await roleCreds(owner, 'ReadOnlyAccess');
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: em.url, credentials: ownerCreds, maxAttempts: 1 });
    const flowLogs = (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [];
    assert.deepEqual(
      flowLogs.map((f) => f.FlowLogId),
      em.flowLogs(owner, 'us-east-1').map((f) => f.FlowLogId),
    );
    const central = flowLogs.filter(
      (f) => f.LogDestination?.includes(demo.logArchive.bucket) || f.LogDestination?.includes(`:${SSO_DEMO_ARCHIVE_ACCOUNT}:`),
    );
    assert.ok(central.length > 0, 'some flow logs of the account deliver to the archive');
    ec2.destroy();

    const s3As = (creds: typeof ownerCreds) =>
      new S3Client({ region: 'us-east-1', endpoint: em.url, forcePathStyle: true, credentials: creds, maxAttempts: 1 });
    const prefix = `AWSLogs/${owner}/vpcflowlogs/`;
    const denied = await s3As(ownerCreds)
      .send(new ListObjectsV2Command({ Bucket: demo.logArchive.bucket, Prefix: prefix }))
      .then(
        () => 'ok',
        (e: Error) => e.name,
      );
    assert.equal(denied, 'AccessDenied');
    const archiveCreds = await roleCreds(SSO_DEMO_ARCHIVE_ACCOUNT, 'LogArchiveReader');
    const listed = await s3As(archiveCreds).send(new ListObjectsV2Command({ Bucket: demo.logArchive.bucket, Prefix: prefix, MaxKeys: 5 }));
    assert.equal(listed.Contents?.length, 5, "the archive's role reads the owner's records");

    const group = `${demo.logArchive.logGroupPrefix}/${owner}`;
    const logsAs = (creds: typeof ownerCreds) =>
      new CloudWatchLogsClient({ region: 'us-east-1', endpoint: em.url, credentials: creds, maxAttempts: 1 });
    const arn = `arn:aws:logs:us-east-1:${SSO_DEMO_ARCHIVE_ACCOUNT}:log-group:${group}`;
    const nameOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: Error) => e.name,
      );
    assert.equal(
      await nameOf(logsAs(ownerCreds).send(new FilterLogEventsCommand({ logGroupIdentifier: arn, limit: 1 }))),
      'AccessDeniedException',
    );
    assert.equal(
      await nameOf(logsAs(ownerCreds).send(new FilterLogEventsCommand({ logGroupName: group, limit: 1 }))),
      'ResourceNotFoundException',
    );
    if (em.logs.groups(SSO_DEMO_ARCHIVE_ACCOUNT, 'us-east-1').has(group)) {
      const events = await logsAs(archiveCreds).send(new FilterLogEventsCommand({ logGroupName: group, limit: 3 }));
      assert.equal(events.events?.length, 3);
    } else {
      assert.ok(
        central.every((f) => f.LogDestinationType === 's3'),
        'no central log group only when no central CloudWatch flow log',
      );
    }
  });

  it('is what boto3 sees: paginator, roles, credentials, errors', async () => {
    const out = JSON.parse(
      await run('/usr/bin/python3', [
        join(__dirname, '../../../../test/unit/emulator/boto3_sso.py'),
        JSON.stringify({
          endpoint: em.url,
          region: demo.ssoRegion,
          token: demo.accessToken,
          expiredToken: EXPIRED,
          accountId: demo.accounts[3].accountId,
          roleName: 'AdministratorAccess',
        }),
      ]),
    );
    assert.equal(out.accounts.length, 41);
    assert.equal(out.pages, 6);
    assert.deepEqual(
      out.roles.map((r: { roleName: string }) => r.roleName),
      ['AdministratorAccess', 'ReadOnlyAccess'],
    );
    assert.equal(out.callerAccount, demo.accounts[3].accountId);
    assert.ok(out.expiration > Date.now());
    assert.deepEqual(out.expired, { code: 'UnauthorizedException', status: 401 });
    assert.deepEqual(out.unknownAccount, { code: 'ResourceNotFoundException', status: 404 });
    assert.deepEqual(out.unknownRole, { code: 'ResourceNotFoundException', status: 404 });
    assert.deepEqual(out.badMax, { code: 'InvalidRequestException', status: 400 });
    assert.deepEqual(out.badToken, { code: 'InvalidRequestException', status: 400 });
  });

  it('is what the AWS CLI sees (aws sso list-accounts --endpoint-url)', async () => {
    const out = JSON.parse(
      await run(
        '/usr/bin/aws',
        [
          'sso',
          'list-accounts',
          '--access-token',
          demo.accessToken,
          '--region',
          demo.ssoRegion,
          '--endpoint-url',
          em.url,
          '--output',
          'json',
        ],
        { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      ),
    );
    assert.equal(out.accountList.length, 41, 'the CLI pages through every account');
  });
});

describe('the log archive: which accounts deliver to it', () => {
  const logs = () =>
    Array.from({ length: 8 }, (_, i) => ({
      FlowLogId: `fl-${i}`,
      LogDestinationType: i % 2 ? 's3' : 'cloud-watch-logs',
      LogDestination: i % 2 ? 'arn:aws:s3:::own-bucket' : 'arn:aws:logs:us-east-1:111111111111:log-group:own',
      LogGroupName: i % 2 ? undefined : 'own',
    }));
  it('every other account by default; with `sources`, only those accounts (the others keep their own destinations)', () => {
    const all = logs();
    deliverToArchive(demo.logArchive, '111111111111', 'us-east-1', all);
    assert.deepEqual(
      all.map((f) => f.LogDestination!.includes(demo.logArchive.bucket) || f.LogDestination!.includes(`:${SSO_DEMO_ARCHIVE_ACCOUNT}:`)),
      [true, false, false, false, true, false, false, false],
    );
    const kept = logs();
    deliverToArchive({ ...demo.logArchive, sources: ['400000000001'] }, '111111111111', 'us-east-1', kept);
    assert.deepEqual(kept, logs());
    const own = logs();
    deliverToArchive({ ...demo.logArchive, sources: ['400000000001'] }, '400000000001', 'us-east-1', own);
    assert.notDeepEqual(own, logs());
  });
});
