// Profiles: merged from both shared files, sorted ("default" first), each with its credential
// kind; "Environment" when AWS_ACCESS_KEY_ID is set; broken profiles are listed with a problem.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENVIRONMENT_PROFILE,
  listProfiles,
  profileKind,
  regionsForProfile,
  selectProfiles,
  type AwsProfile,
} from '../../src/shared/profiles';

const CONFIG = `
[profile zeta]
region = ap-southeast-2
aws_access_key_id = AKIAZETA
aws_secret_access_key = zetaSecret

[default]
region = us-east-1

[profile sso-new]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile sso-legacy]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile sso-legacy-half]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile sso-orphan]
sso_session = nowhere

[profile role-src]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = default

[profile role-ec2]
role_arn = arn:aws:iam::111111111111:role/R
credential_source = Ec2InstanceMetadata

[profile role-none]
role_arn = arn:aws:iam::111111111111:role/R

[profile proc]
credential_process = /usr/bin/get-creds --json

[profile web]
role_arn = arn:aws:iam::111111111111:role/W
web_identity_token_file = /var/run/token

[profile Alpha]
region = us-west-2
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = defaultSecret

[creds-only]
aws_access_key_id = AKIACREDS
aws_secret_access_key = credsSecret

[key-only]
aws_access_key_id = AKIAKEYONLY

[secret-only]
aws_secret_access_key = lonelySecret

[Alpha]
aws_access_key_id = AKIAALPHA
aws_secret_access_key = alphaSecret
region = eu-central-1
`;

describe('profiles', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-profiles-'));
    writeFileSync(join(dir, 'config'), CONFIG);
    writeFileSync(join(dir, 'credentials'), CREDENTIALS);
    env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const byName = (list: AwsProfile[], name: string) => {
    const p = list.find((x) => x.name === name);
    assert.ok(p, `profile ${name} is listed`);
    return p;
  };

  it('lists every profile of both files once, default first, the rest sorted', () => {
    const { profiles, problems } = listProfiles(env);
    assert.deepEqual(problems, []);
    const names = profiles.map((p) => p.name);
    assert.equal(names[0], 'default');
    assert.equal(new Set(names).size, names.length);
    const rest = names.slice(1);
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => a.localeCompare(b)),
    );
    assert.deepEqual(
      new Set(names),
      new Set([
        'default',
        'zeta',
        'sso-new',
        'sso-legacy',
        'sso-legacy-half',
        'sso-orphan',
        'role-src',
        'role-ec2',
        'role-none',
        'proc',
        'web',
        'Alpha',
        'creds-only',
        'key-only',
        'secret-only',
      ]),
    );
  });

  it('merges settings as the SDK does: the credentials file winning over the config file', () => {
    const { profiles } = listProfiles(env);
    const alpha = byName(profiles, 'Alpha');
    assert.equal(alpha.kind, 'static');
    assert.equal(alpha.region, 'eu-central-1'); // the credentials file's region over the config file's (us-west-2)
    assert.equal(alpha.settings.aws_access_key_id, 'AKIAALPHA');
    const def = byName(profiles, 'default');
    assert.equal(def.kind, 'static');
    assert.equal(def.region, 'us-east-1');
  });

  it('gives each profile its kind', () => {
    const { profiles } = listProfiles(env);
    const kinds = Object.fromEntries(profiles.map((p) => [p.name, p.kind]));
    assert.deepEqual(kinds, {
      default: 'static',
      zeta: 'static',
      'creds-only': 'static',
      'sso-new': 'sso',
      'sso-legacy': 'sso',
      'role-src': 'assumeRole',
      'role-ec2': 'assumeRole',
      proc: 'process',
      web: 'webIdentity',
      Alpha: 'static',
      'sso-legacy-half': 'incomplete',
      'sso-orphan': 'incomplete',
      'role-none': 'incomplete',
      'key-only': 'incomplete',
      'secret-only': 'incomplete',
    });
    for (const p of profiles) assert.equal(p.problem === undefined, p.kind !== 'incomplete', `${p.name}: problem only when incomplete`);
  });

  it('explains what an incomplete profile lacks', () => {
    const { profiles } = listProfiles(env);
    assert.equal(byName(profiles, 'role-none').problem, 'role_arn is set without source_profile or credential_source');
    assert.equal(byName(profiles, 'sso-orphan').problem, 'sso_session "nowhere" has no [sso-session nowhere] section');
    assert.equal(byName(profiles, 'sso-legacy-half').problem, 'SSO profile is missing sso_account_id, sso_role_name');
    assert.equal(byName(profiles, 'key-only').problem, 'aws_secret_access_key is missing');
    assert.equal(byName(profiles, 'secret-only').problem, 'aws_access_key_id is missing');
  });

  it('calls a profile with no credentials at all incomplete', () => {
    assert.deepEqual(profileKind({ region: 'us-east-1' }, new Map()), {
      kind: 'incomplete',
      problem: 'no credentials: set keys, sso_session, role_arn or credential_process',
    });
    assert.equal(profileKind({ aws_access_key_id: '', aws_secret_access_key: '' }, new Map()).kind, 'incomplete');
  });

  it('adds "Environment" last when AWS_ACCESS_KEY_ID is set', () => {
    const { profiles } = listProfiles({
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 'envSecret',
      AWS_REGION: 'sa-east-1',
    });
    const last = profiles[profiles.length - 1];
    assert.equal(last.name, ENVIRONMENT_PROFILE);
    assert.equal(last.kind, 'environment');
    assert.equal(last.region, 'sa-east-1');
    assert.equal(last.problem, undefined);
    assert.deepEqual(last.settings, {}); // the secret is not copied anywhere
  });

  it('uses AWS_DEFAULT_REGION for Environment when AWS_REGION is not set', () => {
    const { profiles } = listProfiles({
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_DEFAULT_REGION: 'eu-west-3',
    });
    assert.equal(byName(profiles, ENVIRONMENT_PROFILE).region, 'eu-west-3');
  });

  it('marks Environment incomplete when the secret is missing, and omits it without a key', () => {
    const half = listProfiles({ ...env, AWS_ACCESS_KEY_ID: 'AKIAENV' }).profiles;
    const e = byName(half, ENVIRONMENT_PROFILE);
    assert.equal(e.kind, 'incomplete');
    assert.match(e.problem!, /AWS_SECRET_ACCESS_KEY is not/);
    const none = listProfiles({ ...env, AWS_SECRET_ACCESS_KEY: 'only-secret' }).profiles;
    assert.ok(!none.some((p) => p.name === ENVIRONMENT_PROFILE));
  });

  it('lists valid profiles even when the files are broken', () => {
    const sub = join(dir, 'broken');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'config'),
      '\ufeffgarbage\r\n[profile good]\r\nregion = us-east-1\r\n\u0000\u0000\r\n[profile good]\r\noutput = json\r\n',
    );
    writeFileSync(join(sub, 'credentials'), 'orphan = 1\n[good]\naws_access_key_id = A\naws_secret_access_key = S\n[[[\n');
    const broken = { AWS_CONFIG_FILE: join(sub, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(sub, 'credentials'), HOME: sub };
    const list = listProfiles(broken);
    const good = byName(list.profiles, 'good');
    assert.equal(good.kind, 'static');
    assert.equal(good.region, 'us-east-1');
    assert.equal(good.settings.output, 'json');
    assert.ok(list.problems.length >= 4, JSON.stringify(list.problems));
  });

  describe('selectProfiles', () => {
    it('keeps every profile for an empty list and only the named ones otherwise', () => {
      const all = listProfiles(env).profiles;
      assert.equal(selectProfiles(all, []), all);
      assert.deepEqual(
        selectProfiles(all, ['zeta', 'nope', 'default']).map((p) => p.name),
        ['default', 'zeta'],
      );
    });
  });

  describe('regionsForProfile', () => {
    const p = (region?: string): AwsProfile => ({ name: 'dev', kind: 'static', region, settings: {} });

    it('prefers the user choice, without repeats', () => {
      assert.deepEqual(regionsForProfile(p('us-east-1'), { '*': ['eu-west-1'] }, ['ap-south-1', 'ap-south-1', 'us-west-2']), [
        'ap-south-1',
        'us-west-2',
      ]);
    });

    it('otherwise combines the profile region, the per-profile setting and "*", in that order, once each', () => {
      assert.deepEqual(
        regionsForProfile(
          p('us-east-1'),
          { dev: ['eu-west-1', 'us-east-1'], other: ['sa-east-1'], '*': ['eu-west-1', 'ca-central-1'] },
          undefined,
        ),
        ['us-east-1', 'eu-west-1', 'ca-central-1'],
      );
    });

    it('treats an empty choice as no choice', () => {
      assert.deepEqual(regionsForProfile(p('us-east-1'), {}, []), ['us-east-1']);
    });

    it('gives no region for a profile without one and no setting', () => {
      assert.deepEqual(regionsForProfile(p(undefined), { other: ['x'] }, undefined), []);
    });
  });
});
