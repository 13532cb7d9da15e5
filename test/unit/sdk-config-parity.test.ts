// Issue 13, defect 7: what the tree lists is what the AWS SDK will load. The same files go to the
// SDK's own loader (through fromIni, which really resolves credentials) and to listProfiles over
// reconcileWithSdk; over a corpus of odd files, a profile is listed as usable (static keys) exactly
// when fromIni gets credentials for it, and every profile the SDK does not read is explained.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles } from '../../src/shared/profiles';
import { loadSdkView, reconcileWithSdk } from '../../src/aws/sdkConfigView';

const KEY = 'AKIAPARITYEXAMPLE000';
const SECRET = 'paritySecretKeyEXAMPLE00000000000000000000';
const keys = [`aws_access_key_id = ${KEY}`, `aws_secret_access_key = ${SECRET}`];

interface Case {
  what: string;
  config: string[];
  credentials: string[];
}
const CORPUS: Case[] = [
  { what: 'plain', config: ['[profile a]', 'region = us-east-1', ...keys], credentials: ['[b]', ...keys] },
  {
    what: '[profile __proto__] (the SDK ignores the whole config file)',
    config: ['[profile a]', ...keys, '[profile __proto__]', 'region = x'],
    credentials: ['[b]', ...keys],
  },
  {
    what: 'upper-case keys',
    config: ['[profile a]', `AWS_ACCESS_KEY_ID = ${KEY}`, `AWS_SECRET_ACCESS_KEY = ${SECRET}`],
    credentials: ['[b]', `Aws_Access_Key_Id = ${KEY}`, `aws_secret_access_key = ${SECRET}`],
  },
  { what: '[profile x] in the credentials file', config: ['[profile x]', 'region = us-east-1'], credentials: ['[profile x]', ...keys] },
  {
    what: 'odd names in config',
    config: ['[profile café]', ...keys, '[profile a b]', ...keys, '[profile "q"]', ...keys, '[profile ok-1]', ...keys],
    credentials: [],
  },
  { what: 'an indented section header', config: ['  [profile ind]', ...keys], credentials: ['   [c]', ...keys] },
  { what: 'a [section] without the profile prefix in config', config: ['[dev]', ...keys, '[default]', ...keys], credentials: [] },
  {
    what: 'comments, CRLF, duplicate sections',
    config: ['# c', '[profile d] ; note', 'region = us-east-1', '[profile d]', ...keys],
    credentials: ['[e]', `aws_access_key_id = ${KEY} # trailing`, `aws_secret_access_key = ${SECRET}`],
  },
  { what: 'credentials over config', config: ['[profile m]', 'aws_access_key_id = AKIAOTHEREXAMPLE0000'], credentials: ['[m]', ...keys] },
  { what: 'a key line outside a section and garbage', config: ['region = us-east-1', 'garbage', '[profile g]', ...keys], credentials: [] },
];

describe('the tree and the AWS SDK agree on the profiles (issue 13, defect 7)', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-parity-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  CORPUS.forEach((c, i) => {
    it(`${c.what}: usable in the tree exactly when fromIni resolves credentials`, async () => {
      const configFile = join(dir, `config-${i}`);
      const credentialsFile = join(dir, `credentials-${i}`);
      writeFileSync(configFile, c.config.join(i === 7 ? '\r\n' : '\n') + '\n');
      writeFileSync(credentialsFile, c.credentials.join('\n') + '\n');
      const env = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: dir };
      const forgiving = loadSharedConfig(env);
      const view = await loadSdkView(configFile, credentialsFile);
      const list = listProfiles(env, reconcileWithSdk(forgiving, view));
      // Every name either pass saw: the tree's profiles, and the forgiving pass's sections.
      const names = new Set([
        ...list.profiles.map((p) => p.name),
        ...forgiving.configProfiles.keys(),
        ...forgiving.credentialProfiles.keys(),
        ...Object.keys(view?.config ?? {}),
        ...Object.keys(view?.credentials ?? {}),
      ]);
      for (const name of names) {
        // The SDK keys [profile x] of the credentials file as "profile.x"; nobody names a profile that.
        if (name.startsWith('profile.')) continue;
        const sdk = await fromIni({ profile: name, filepath: credentialsFile, configFilepath: configFile, ignoreCache: true })().then(
          (x) => x.accessKeyId,
          () => undefined,
        );
        const listed = list.profiles.find((p) => p.name === name);
        const usable = listed?.kind === 'static';
        assert.equal(usable, sdk !== undefined, `${name}: tree ${listed ? listed.kind : 'not listed'}, SDK ${sdk ?? 'no credentials'}`);
        if (usable) assert.equal(sdk, listed!.settings.aws_access_key_id, `${name}: the same key`);
        if ((!usable && forgiving.configProfiles.has(name)) || forgiving.credentialProfiles.has(name)) {
          // A profile the forgiving pass saw that the SDK cannot use is explained (or says why it is incomplete).
          if (!usable) assert.ok(listed?.problem || list.problems.length > 0, `${name}: no explanation`);
        }
      }
      for (const p of list.problems) assert.ok(!p.message.includes(SECRET) && !p.message.includes(KEY), p.message);
    });
  });

  it('explains with file and line: __proto__, odd names, [profile x] in credentials, key case', async () => {
    const configFile = join(dir, 'config-x');
    const credentialsFile = join(dir, 'credentials-x');
    writeFileSync(
      configFile,
      [
        '[profile ok]',
        ...keys,
        '[profile café]',
        ...keys,
        '[profile up]',
        `AWS_ACCESS_KEY_ID = ${KEY}`,
        `aws_secret_access_key = ${SECRET}`,
      ].join('\n'),
    );
    writeFileSync(credentialsFile, ['[profile x]', ...keys].join('\n'));
    const env = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: dir };
    const list = listProfiles(env, reconcileWithSdk(loadSharedConfig(env), await loadSdkView(configFile, credentialsFile)));
    const msgs = list.problems.map((p) => `${p.line}: ${p.message}`);
    assert.ok(
      msgs.includes('4: profile "café" is not read by the AWS SDK: a profile name may use only letters, digits and - _ @ + . % : /'),
      msgs.join('\n'),
    );
    assert.ok(msgs.includes('7: profile "up": the AWS SDK reads keys as written; write aws_access_key_id in lower case'), msgs.join('\n'));
    assert.ok(
      msgs.includes('1: [profile x] in the credentials file is not read as profile "x" by the AWS SDK: write [x]'),
      msgs.join('\n'),
    );
    assert.deepEqual(
      list.profiles.map((p) => p.name),
      ['ok', 'up'],
    );
    writeFileSync(configFile, ['[profile ok]', ...keys, '[profile __proto__]', 'region = x'].join('\n'));
    const proto = listProfiles(env, reconcileWithSdk(loadSharedConfig(env), await loadSdkView(configFile, credentialsFile)));
    assert.deepEqual(
      proto.profiles.map((p) => p.name),
      [],
    );
    assert.ok(
      proto.problems.some(
        (p) => p.line === 4 && p.message === 'The AWS SDK ignores the whole config file: it contains a section named __proto__',
      ),
      proto.problems.map((p) => p.message).join('\n'),
    );
  });
});
