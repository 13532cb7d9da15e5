// Fault suite, credentials: an expired session token, a wrong secret, an unknown access key, an
// SSO profile without a token cache, credential_process that fails or prints garbage. Each bad
// profile shows ONE actionable error node; the good profiles in the same tree keep working.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  ids,
  label,
  setting,
  isError,
  defaultAccounts,
  type EmulatorAccount,
} from './helpers';
import { contextValue, registerSecret, logMark } from './faultHelpers';

const EXPIRED_TOKEN = 'FwoGZXIvYXdzEXPIREDsessionTOKENforFaultTests0123456789abcdefEXAMPLE';
const WRONG_SECRET = 'wrongSecretKeyForFaultTests0000000000EXAMPLE';
const UNKNOWN_KEY = 'AKIAUNKNOWNFAULTTEST';
const UNKNOWN_SECRET = 'unknownKeySecretForFaultTests111111EXAMPLE';

function accounts(): EmulatorAccount[] {
  const a = defaultAccounts(12);
  a[0].expiredSessionTokens = [EXPIRED_TOKEN];
  return a;
}

describe('faults: bad credentials, one error node per bad profile, good profiles keep working', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let since: () => string[];

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 2);
    const accts = accounts();
    registerSecret(EXPIRED_TOKEN, WRONG_SECRET, UNKNOWN_SECRET, ...accts.map((x) => x.secretAccessKey));
    fx = await fixture({
      accounts: accts,
      profiles: (a) => [
        { name: 'good1', account: a[0], region: 'us-east-1' },
        { name: 'good2', account: a[1], region: 'us-east-1' },
        { name: 'bad-expired', account: a[0], region: 'us-east-1', sessionToken: EXPIRED_TOKEN },
        { name: 'bad-secret', account: a[0], region: 'us-east-1', secretAccessKey: WRONG_SECRET },
        { name: 'bad-unknown-key', account: a[0], region: 'us-east-1', accessKeyId: UNKNOWN_KEY, secretAccessKey: UNKNOWN_SECRET },
      ],
      extraConfig: [
        '',
        '[profile bad-sso]',
        'sso_session = fault-corp',
        'sso_account_id = 111111111111',
        'sso_role_name = ReadOnly',
        'region = us-east-1',
        '',
        '[sso-session fault-corp]',
        'sso_start_url = https://fault-tests.example.invalid/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile bad-process-false]',
        'credential_process = /bin/false',
        'region = us-east-1',
        '',
        '[profile bad-process-garbage]',
        'credential_process = /bin/echo not-json',
        'region = us-east-1',
        '',
      ].join('\n'),
    });
    since = logMark(fx.api, 'credentials');
  });
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await fx.stop();
  });

  async function onlyError(profile: string) {
    const kids = await children(fx.api, await profileNode(fx.api, profile));
    assert.equal(kids.length, 1, `${profile}: ${kids.map(label).join(' | ')}`);
    assert.ok(isError(kids[0]), `${profile}: an error node, got ${kids[0].kind} "${label(kids[0])}"`);
    return kids[0];
  }

  it('lists every profile, good and bad', async () => {
    const names = (await children(fx.api)).filter((n) => n.kind === 'profile').map(label);
    assert.deepEqual(names, [
      'bad-expired',
      'bad-process-false',
      'bad-process-garbage',
      'bad-secret',
      'bad-sso',
      'bad-unknown-key',
      'good1',
      'good2',
    ]);
  });

  it('expired session token: "have expired", Retry and Open Config', async () => {
    const err = await onlyError('bad-expired');
    assert.equal(err.error.kind, 'expired');
    assert.match(label(err), /credentials for profile "bad-expired" have expired/);
    assert.match(contextValue(err), /\bretry\b/);
    assert.match(contextValue(err), /\bconfig\b/);
    const sts = fx.emulator.requests.filter((q) => q.action === 'GetCallerIdentity' && q.sessionToken);
    assert.ok(
      sts.some((q) => q.errorCode === 'ExpiredToken'),
      'the endpoint saw the expired token (STS ExpiredToken)',
    );
  });

  it('wrong secret: "AWS rejected the access key ID or the secret access key" (one wording, issue 14.3)', async () => {
    const err = await onlyError('bad-secret');
    assert.equal(err.error.kind, 'credentials');
    assert.equal(err.error.code, 'SignatureDoesNotMatch');
    assert.match(label(err), /Invalid credentials for profile "bad-secret": AWS rejected the access key ID or the secret access key/);
    assert.match(contextValue(err), /\bconfig\b/);
  });

  it('unknown access key: the same wording', async () => {
    const err = await onlyError('bad-unknown-key');
    assert.equal(err.error.kind, 'credentials');
    assert.equal(err.error.code, 'InvalidClientTokenId');
    assert.match(label(err), /Invalid credentials for profile "bad-unknown-key": AWS rejected the access key ID or the secret access key/);
  });

  it('SSO profile with no token cache: "aws sso login --profile bad-sso", with the Sign In action', async () => {
    const err = await onlyError('bad-sso');
    assert.equal(err.error.kind, 'sso');
    assert.match(label(err), /aws sso login --profile bad-sso/);
    assert.match(contextValue(err), /\bsso\b/);
    assert.match(contextValue(err), /\bretry\b/);
  });

  it('credential_process = /bin/false: a credentials error naming the profile', async () => {
    const err = await onlyError('bad-process-false');
    assert.equal(err.error.kind, 'credentials');
    assert.match(label(err), /Credentials could not be loaded for profile "bad-process-false"/);
    assert.match(label(err), /\/bin\/false|credential_process|Command failed/i);
    assert.match(contextValue(err), /\bconfig\b/);
    assert.doesNotMatch(label(err), /\n/);
  });

  it('credential_process printing garbage (not JSON): a credentials error naming the profile', async () => {
    const err = await onlyError('bad-process-garbage');
    assert.equal(err.error.kind, 'credentials');
    assert.match(label(err), /Credentials could not be loaded for profile "bad-process-garbage"/);
    assert.match(label(err), /JSON/i);
    assert.match(contextValue(err), /\bconfig\b/);
  });

  it('the good profiles keep working in the same tree', async () => {
    const g1 = await children(fx.api, await regionNode(fx.api, 'good1', 'us-east-1'));
    assert.deepEqual(
      ids(g1),
      fx.emulator
        .flowLogs('111111111111', 'us-east-1')
        .slice(0, 5)
        .map((f) => f.FlowLogId),
    );
    const g2 = await children(fx.api, await regionNode(fx.api, 'good2', 'us-east-1'));
    assert.deepEqual(
      ids(g2),
      fx.emulator
        .flowLogs('222222222222', 'us-east-1')
        .slice(0, 5)
        .map((f) => f.FlowLogId),
    );
    assert.match(String((await profileNode(fx.api, 'good1')).getTreeItem().description), /111111111111/);
  });

  it('Retry on a bad profile after fixing its file: the same profile node then shows its regions', async () => {
    const p = await profileNode(fx.api, 'bad-secret');
    const err = (await children(fx.api, p))[0];
    assert.ok(isError(err));
    // Fix the secret in the credentials file (no Refresh), then click the error node's Retry.
    const fixed = fs.readFileSync(path.join(fx.dir, 'credentials'), 'utf8').replace(WRONG_SECRET, accounts()[0].secretAccessKey!);
    fx.writeConfig(fs.readFileSync(path.join(fx.dir, 'config'), 'utf8'), fixed);
    await vscode.commands.executeCommand('flowLogs.retry', err);
    const kids = await children(fx.api, p);
    assert.deepEqual(
      kids.map((k) => k.kind),
      ['region'],
      kids.map(label).join(' | '),
    );
    assert.deepEqual(
      ids(await children(fx.api, kids[0])),
      fx.emulator
        .flowLogs('111111111111', 'us-east-1')
        .slice(0, 5)
        .map((f) => f.FlowLogId),
    );
  });

  it('the output channel names the failures without any configured secret', () => {
    const text = since().join('\n');
    assert.match(text, /GetCallerIdentity profile=bad-secret ->/);
    for (const secret of [EXPIRED_TOKEN, WRONG_SECRET, UNKNOWN_SECRET, accounts()[0].secretAccessKey!]) {
      assert.ok(!text.includes(secret), `secret ${secret.slice(0, 6)}… in the output channel`);
    }
  });
});
