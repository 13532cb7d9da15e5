// SSO accounts as profiles: the profile store, the SSO directory and the AWS worker's operation table
// (in this thread) against the local endpoint's SSO portal over real HTTP, with a token cache file
// as the AWS CLI writes it. The token and the role credentials must appear in no log line and no error.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig, type IniSection } from '../../src/shared/sharedConfig';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { chooseRole, ssoSessionsOf } from '../../src/shared/ssoProfiles';
import { ProfileStore } from '../../src/explorer/profileStore';
import { SsoDirectory } from '../../src/explorer/ssoDirectory';
import { errorOf } from '../../src/shared/errors';
import { MemoryLogger } from '../support/loggers';
import { InProcessAws } from '../support/inProcessAws';
import { startEmulator, type Emulator } from '../emulator/server';
import { ssoConfigFor, ssoDemo, ssoTokenCacheFile, SSO_DEMO_ARCHIVE_ACCOUNT } from '../emulator/fixtures';

interface Setup {
  dir: string;
  env: NodeJS.ProcessEnv;
  logger: MemoryLogger;
  store: ProfileStore;
  directory: SsoDirectory;
  aws: InProcessAws;
  configured: readonly AwsProfile[];
}

function setUp(em: Emulator, demo: ReturnType<typeof ssoDemo>, tokenExpiresAt: number, preferred?: string): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'sso-unit-'));
  mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(join(dir, 'config'), ssoConfigFor(em, demo));
  writeFileSync(join(dir, 'credentials'), '');
  const cache = ssoTokenCacheFile(
    { sessionName: demo.sessionName },
    { accessToken: demo.accessToken, expiresAt: tokenExpiresAt, region: demo.ssoRegion, startUrl: demo.startUrl },
  );
  writeFileSync(join(dir, '.aws', 'sso', 'cache', cache.fileName), cache.text);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  };
  const logger = new MemoryLogger();
  const config = loadSharedConfig(env);
  const clients = new ClientCache({
    settings: () => ({ maxAttempts: 1, requestTimeoutMs: 10_000, userAgent: 't' }),
    config: () => config,
    logger,
    env,
  });
  const aws = new InProcessAws(clients);
  const setup = { dir, env, logger, aws, configured: [] as readonly AwsProfile[] } as Setup;
  setup.store = new ProfileStore({
    loader: { read: () => listProfiles(env, loadSharedConfig(env)) },
    storage: { get: () => undefined, update: async () => undefined },
    logger,
    settingRegions: () => ({}),
    shownProfileNames: () => [],
    onProfilesRead: (profiles) => {
      setup.configured = profiles;
      aws.configure(profiles);
    },
  });
  setup.directory = new SsoDirectory({
    store: setup.store,
    listPage: (anchor, args, signal) => aws.call('ssoAccountsPage', anchor.name, anchor.region ?? 'us-east-1', args, signal),
    preferredRole: () => preferred,
    logger,
  });
  return setup;
}

describe('SSO accounts as profiles (worker operation + directory, against the local SSO portal)', function () {
  this.timeout(60_000);
  const demo = ssoDemo(40);
  let em: Emulator;
  const setups: Setup[] = [];
  before(async () => {
    em = await startEmulator({ accounts: demo.accounts, sso: demo.sso, logArchive: demo.logArchive, hostile: false });
  });
  after(async () => {
    for (const s of setups) {
      s.aws.dispose();
      rmSync(s.dir, { recursive: true, force: true });
    }
    await em?.stop();
  });

  it('finds the 41 accounts of the signed-in session and shows each once, next to the configured profile', async () => {
    const s = setUp(em, demo, Date.now() + 3600_000, 'ReadOnlyAccess');
    setups.push(s);
    const [session] = s.directory.sessions();
    assert.equal(session.key, `session:${demo.sessionName}`);
    assert.equal(
      s.store
        .shown()
        .map((p) => p.name)
        .join(),
      'sso-workload',
      'the root shows the configured profile only',
    );
    await s.directory.load(session);
    const state = s.directory.stateOf(session);
    assert.equal(state.status, 'loaded');
    assert.equal(state.accounts.length, 41);
    const found = s.directory.profilesOf(session);
    // The configured profile uses account 1 with ReadOnlyAccess, the preferred role: not found twice.
    assert.equal(found.length, 40);
    assert.ok(!found.some((p) => p.sso?.accountId === demo.accounts[1].accountId));
    assert.ok(found.every((p) => p.settings.sso_role_name === 'ReadOnlyAccess'));
    const archive = found.find((p) => p.sso?.accountId === SSO_DEMO_ARCHIVE_ACCOUNT)!;
    assert.equal(archive.name, `log-archive (${SSO_DEMO_ARCHIVE_ACCOUNT}) ReadOnlyAccess`);
    // The workers know the profiles found (and the anchor), so calls can name them.
    assert.ok(s.configured.some((p) => p.name === archive.name));
    assert.ok(s.configured.some((p) => p.sso?.anchor));
  });

  it('reads flow logs with a found profile (GetRoleCredentials in the worker), and never logs the token or the role keys', async () => {
    const s = setups[0];
    const [session] = s.directory.sessions();
    const profile = s.directory.profilesOf(session).find((p) => p.sso?.accountId === demo.accounts[5].accountId)!;
    const page = await s.aws.call('describeFlowLogsPage', profile.name, 'us-east-1', { query: { filters: [] }, pageSize: 1000 });
    assert.deepEqual(
      page.items.map((f) => f.FlowLogId),
      em.flowLogs(demo.accounts[5].accountId, 'us-east-1').map((f) => f.FlowLogId),
    );
    const identity = await s.aws.call('callerIdentity', profile.name, 'us-east-1', {});
    assert.equal(identity.account, demo.accounts[5].accountId);
    const text = s.logger.lines.join('\n');
    assert.ok(!text.includes(demo.accessToken), 'the access token is in no log line');
    assert.ok(!/ASIA[0-9A-F]{16}/.test(text), 'no role access key in the log');
  });

  it('uses the preferred role when an account has it, else the first by name', () => {
    assert.equal(chooseRole(['ReadOnlyAccess', 'AdministratorAccess'], 'ReadOnlyAccess'), 'ReadOnlyAccess');
    assert.equal(chooseRole(['ReadOnlyAccess', 'AdministratorAccess'], 'Missing'), 'AdministratorAccess');
    assert.equal(chooseRole([], 'x'), undefined);
  });

  it('an expired token is a Sign In error for the session, without the token in its text', async () => {
    const s = setUp(em, demo, Date.now() - 60_000);
    setups.push(s);
    const [session] = s.directory.sessions();
    await s.directory.load(session);
    const state = s.directory.stateOf(session);
    assert.equal(state.status, 'error');
    assert.equal(state.error?.kind, 'sso');
    assert.ok(state.error?.actions.includes('signIn'));
    assert.ok(!JSON.stringify(state.error).includes(demo.accessToken));
    assert.equal(s.directory.profilesOf(session).length, 0);
  });

  it('a token the portal no longer accepts (signed out) is the same Sign In error', async () => {
    const s = setUp(em, { ...demo, accessToken: 'revoked-token' }, Date.now() + 3600_000);
    setups.push(s);
    const [session] = s.directory.sessions();
    await s.directory.load(session);
    const error = s.directory.stateOf(session).error;
    assert.equal(error?.kind, 'sso');
    assert.ok(!JSON.stringify(error).includes('revoked-token'));
    // A found profile's credentials fail the same way (GetRoleCredentials: UnauthorizedException).
    const anchor = session.anchor;
    const profile: AwsProfile = {
      ...anchor,
      name: 'found',
      settings: { ...anchor.settings, sso_account_id: demo.accounts[2].accountId, sso_role_name: 'ReadOnlyAccess' },
      sso: { sessionKey: session.key, accountId: demo.accounts[2].accountId, roleName: 'ReadOnlyAccess' },
    };
    s.aws.configure([...s.configured, profile]);
    const failed = await s.aws.call('describeFlowLogsPage', 'found', 'us-east-1', { query: { filters: [] }, pageSize: 5 }).then(
      () => undefined,
      (e: unknown) => errorOf(e),
    );
    assert.equal(failed?.kind, 'sso');
    assert.ok(failed?.actions.includes('signIn'));
  });

  it('lists the sessions of [sso-session] sections and of legacy SSO profiles, once each', () => {
    const legacy: AwsProfile = {
      name: 'old',
      kind: 'sso',
      settings: {
        sso_start_url: 'https://x.awsapps.com/start',
        sso_region: 'eu-west-1',
        sso_account_id: '123456789012',
        sso_role_name: 'R',
      },
    };
    const sessions = ssoSessionsOf([legacy, { ...legacy, name: 'old2' }], {
      ssoSessions: new Map<string, IniSection>([
        ['corp', { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'us-east-1' }],
        ['broken', {}],
      ]),
    });
    assert.deepEqual(
      sessions.map((x) => x.key),
      ['session:corp', 'url:https://x.awsapps.com/start'],
    );
  });
});

describe('SSO accounts: paging through hundreds of accounts', function () {
  this.timeout(60_000);
  it('lists 230 accounts in 3 ListAccounts pages and one ListAccountRoles per account', async () => {
    const demo = ssoDemo(229, { flowLogsPerRegion: 1 });
    const em = await startEmulator({ accounts: demo.accounts, sso: demo.sso, hostile: false });
    const s = setUp(em, demo, Date.now() + 3600_000);
    try {
      const [session] = s.directory.sessions();
      await s.directory.load(session);
      assert.equal(s.directory.stateOf(session).accounts.length, 230);
      assert.equal(new Set(s.directory.stateOf(session).accounts.map((a) => a.accountId)).size, 230);
      const calls = em.sso!.calls;
      assert.equal(calls.filter((c) => c.action === 'ListAccounts').length, 3);
      assert.equal(calls.filter((c) => c.action === 'ListAccountRoles').length, 230);
      // Without a preferred role: AdministratorAccess (first by name), so the configured profile's account is there too.
      assert.equal(s.directory.profilesOf(session).length, 230);
    } finally {
      s.aws.dispose();
      rmSync(s.dir, { recursive: true, force: true });
      await em.stop();
    }
  });
});
