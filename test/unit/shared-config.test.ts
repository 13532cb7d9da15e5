// The shared config/credentials reader: valid files parse as the AWS CLI reads them, and every
// kind of malformed or unreadable file becomes a problem (with file and line) instead of a crash,
// while the valid profiles around it are still listed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfig, parseIni, sharedConfigPaths, type SharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles } from '../../src/shared/profiles';

describe('sharedConfig', () => {
  let dir: string;
  let n = 0;

  /** Writes config and credentials text (undefined: no file) and returns the env pointing at them. */
  function files(config: string | Buffer | undefined, credentials: string | Buffer | undefined): NodeJS.ProcessEnv {
    const sub = join(dir, `case${++n}`);
    mkdirSync(sub);
    const configFile = join(sub, 'config');
    const credentialsFile = join(sub, 'credentials');
    if (config !== undefined) writeFileSync(configFile, config);
    if (credentials !== undefined) writeFileSync(credentialsFile, credentials);
    return { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: sub };
  }

  const names = (c: SharedConfig) => [...c.configProfiles.keys()].sort();
  const messages = (c: SharedConfig) => c.problems.map((p) => p.message);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-sharedconfig-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('sharedConfigPaths', () => {
    it('uses AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, expanding ~', () => {
      const p = sharedConfigPaths({ HOME: '/home/x', AWS_CONFIG_FILE: '~/cfg', AWS_SHARED_CREDENTIALS_FILE: '/abs/creds' });
      assert.equal(p.configFile, join('/home/x', 'cfg'));
      assert.equal(p.credentialsFile, '/abs/creds');
    });

    it('defaults to HOME/.aws/config and HOME/.aws/credentials', () => {
      const p = sharedConfigPaths({ HOME: '/home/y' });
      assert.equal(p.configFile, join('/home/y', '.aws', 'config'));
      assert.equal(p.credentialsFile, join('/home/y', '.aws', 'credentials'));
    });
  });

  describe('valid files', () => {
    it('reads [default], [profile x], [sso-session x] and [services x] sections of config', () => {
      const env = files(
        [
          '# a comment',
          '; another comment',
          '[default]',
          'region = us-east-1',
          '[profile dev]   # trailing comment on a header',
          'region = eu-west-1 # inline comment',
          'output=json',
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = us-east-1',
          '[services local]',
          'ec2 =',
          '  endpoint_url = http://localhost:4566',
          '  other = 1',
          'sts =',
          '    endpoint_url = http://localhost:4567',
          '',
        ].join('\n'),
        undefined,
      );
      const c = loadSharedConfig(env);
      assert.deepEqual(c.problems, []);
      assert.deepEqual(names(c), ['default', 'dev']);
      assert.equal(c.configProfiles.get('dev')!.region, 'eu-west-1');
      assert.equal(c.configProfiles.get('dev')!.output, 'json');
      assert.equal(c.ssoSessions.get('corp')!.sso_region, 'us-east-1');
      assert.deepEqual(c.services.get('local'), {
        ec2: { endpoint_url: 'http://localhost:4566', other: '1' },
        sts: { endpoint_url: 'http://localhost:4567' },
      });
    });

    it('lower-cases keys, keeps "=" and "#" inside values, and keeps a value without a space before #', () => {
      const c = loadSharedConfig(files(undefined, '[k]\nAWS_Access_Key_ID = AKIA1\naws_secret_access_key = ab=c#d/e+f==\n'));
      assert.deepEqual(c.problems, []);
      assert.deepEqual(c.credentialProfiles.get('k'), { aws_access_key_id: 'AKIA1', aws_secret_access_key: 'ab=c#d/e+f==' });
    });

    it('reads a file with a BOM and CRLF line ends like any other', () => {
      const text = '\ufeff[default]\r\nregion = us-west-2\r\n[profile b]\r\nregion = eu-north-1\r\n';
      const c = loadSharedConfig(files(text, '\ufeff[default]\r\naws_access_key_id = A\r\naws_secret_access_key = S\r\n'));
      assert.deepEqual(c.problems, []);
      assert.deepEqual(names(c), ['b', 'default']);
      assert.equal(c.configProfiles.get('default')!.region, 'us-west-2');
      assert.equal(c.configProfiles.get('b')!.region, 'eu-north-1');
      assert.equal(c.credentialProfiles.get('default')!.aws_secret_access_key, 'S');
    });

    it('reads a 1 MB file completely', () => {
      const lines: string[] = [];
      let count = 0;
      let size = 0;
      while (size < 1024 * 1024) {
        const block = `[profile p${count}]\nregion = us-east-1\n# ${'x'.repeat(60)}\n`;
        lines.push(block);
        size += block.length;
        count++;
      }
      const env = files(lines.join(''), undefined);
      const c = loadSharedConfig(env);
      assert.deepEqual(c.problems, []);
      assert.equal(c.configProfiles.size, count);
      assert.ok(count > 10000);
      assert.equal(c.configProfiles.get(`p${count - 1}`)!.region, 'us-east-1');
    });
  });

  describe('malformed files: problems reported, valid profiles kept, nothing thrown', () => {
    it('reports garbage lines with their line numbers and keeps the rest', () => {
      const env = files('[profile a]\nregion = us-east-1\nthis is not ini\n[profile b]\nregion = eu-west-1\n', undefined);
      const c = loadSharedConfig(env);
      assert.deepEqual(names(c), ['a', 'b']);
      assert.equal(c.problems.length, 1);
      assert.equal(c.problems[0].line, 3);
      assert.equal(c.problems[0].file, env.AWS_CONFIG_FILE);
      assert.match(c.problems[0].message, /not a "key = value" line/);
      assert.ok(!c.problems[0].message.includes('this is not ini'), 'the line itself is not repeated: it could be a secret');
    });

    it('merges duplicate sections (later values win) and reports the duplicate', () => {
      const env = files(
        '[profile a]\nregion = us-east-1\noutput = json\n[profile a]\nregion = eu-west-1\n',
        '[a]\naws_access_key_id = A\n[a]\naws_secret_access_key = S\n',
      );
      const c = loadSharedConfig(env);
      assert.deepEqual(c.configProfiles.get('a'), { region: 'eu-west-1', output: 'json' });
      assert.deepEqual(c.credentialProfiles.get('a'), { aws_access_key_id: 'A', aws_secret_access_key: 'S' });
      const dup = c.problems.filter((p) => /\[a\] appears more than once/.test(p.message));
      assert.equal(dup.length, 2);
      assert.deepEqual(
        dup.map((p) => [p.file, p.line]),
        [
          [env.AWS_CONFIG_FILE, 4],
          [env.AWS_SHARED_CREDENTIALS_FILE, 3],
        ],
      );
      const a = listProfiles(env).profiles.find((p) => p.name === 'a')!;
      assert.equal(a.kind, 'static');
    });

    it('reports keys outside any section', () => {
      const c = loadSharedConfig(files('region = us-east-1\n[profile a]\nregion = eu-west-1\n', 'aws_access_key_id = LEAKED\n[a]\n'));
      assert.equal(c.configProfiles.get('a')!.region, 'eu-west-1');
      assert.equal(c.problems.length, 2);
      assert.match(c.problems[0].message, /"region" is outside any \[section\]/);
      assert.equal(c.problems[0].line, 1);
      assert.match(c.problems[1].message, /"aws_access_key_id" is outside any \[section\]/);
      // the key's value never appears in a problem message
      assert.ok(!JSON.stringify(c.problems).includes('LEAKED'));
    });

    it('reports an empty section name and a config section without "profile"', () => {
      const c = loadSharedConfig(files('[]\nregion = x\n[dev]\nregion = y\n[profile ok]\nregion = z\n', undefined));
      assert.deepEqual(names(c), ['ok']);
      assert.ok(messages(c).some((m) => m === 'empty section name "[]"'));
      assert.ok(messages(c).some((m) => /\[dev\] is ignored: in the config file, profiles are written \[profile NAME\]/.test(m)));
      // the key after "[]" has no section: reported as such
      assert.ok(messages(c).some((m) => /"region" is outside any \[section\]/.test(m)));
    });

    it('keeps a section with missing keys (empty values) without a problem', () => {
      const c = loadSharedConfig(files('[profile empty]\n[profile half]\nregion =\n', undefined));
      assert.deepEqual(c.problems, []);
      assert.deepEqual(names(c), ['empty', 'half']);
      assert.deepEqual(c.configProfiles.get('empty'), {});
    });

    it('reports NUL bytes and still reads the profiles', () => {
      const c = loadSharedConfig(
        files('[profile a]\nregion = us-\u0000east-1\n\u0000\u0000\n[profile b]\nregion = eu-west-1\n', undefined),
      );
      assert.ok(messages(c).some((m) => /contains NUL characters/.test(m)));
      assert.deepEqual(names(c), ['a', 'b']);
      assert.equal(c.configProfiles.get('a')!.region, 'us-east-1');
    });

    it('reads binary garbage without throwing', () => {
      const garbage = Buffer.alloc(4096);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
      const env = files(garbage, '[ok]\naws_access_key_id = A\naws_secret_access_key = S\n');
      const list = listProfiles(env);
      assert.ok(list.profiles.some((p) => p.name === 'ok' && p.kind === 'static'));
      assert.ok(list.problems.length > 0);
    });

    it('skips a file over 5 MB with a problem, and still reads the other file', () => {
      const big = `[profile big]\nregion = us-east-1\n#${'x'.repeat(5 * 1024 * 1024)}\n`;
      const env = files(big, '[small]\naws_access_key_id = A\naws_secret_access_key = S\n');
      const c = loadSharedConfig(env);
      assert.equal(c.configProfiles.size, 0);
      assert.equal(c.problems.length, 1);
      assert.equal(c.problems[0].file, env.AWS_CONFIG_FILE);
      assert.match(c.problems[0].message, /The config file is 5\.0 MB; files over 5 MB are not read/);
      assert.deepEqual(
        listProfiles(env, c).profiles.map((p) => p.name),
        ['small'],
      );
    });

    it('treats a missing file as normal: no problem', () => {
      const env = files(undefined, undefined);
      const c = loadSharedConfig(env);
      assert.deepEqual(c.problems, []);
      assert.equal(c.configProfiles.size + c.credentialProfiles.size, 0);
      assert.deepEqual(listProfiles(env).profiles, []);
    });

    it('reports a directory given as the file, and keeps the other file', () => {
      const env = files(undefined, '[ok]\naws_access_key_id = A\naws_secret_access_key = S\n');
      mkdirSync(env.AWS_CONFIG_FILE!);
      const c = loadSharedConfig(env);
      assert.equal(c.problems.length, 1);
      assert.equal(c.problems[0].file, env.AWS_CONFIG_FILE);
      assert.match(c.problems[0].message, /The config file is not a file/);
      assert.deepEqual([...c.credentialProfiles.keys()], ['ok']);
    });

    it('reports a path that cannot be read (a file used as a directory) with its error code', () => {
      const env = files('[profile a]\nregion = x\n', undefined);
      env.AWS_SHARED_CREDENTIALS_FILE = join(env.AWS_CONFIG_FILE!, 'credentials'); // ENOTDIR
      const c = loadSharedConfig(env);
      assert.deepEqual(names(c), ['a']);
      assert.equal(c.problems.length, 1);
      assert.match(c.problems[0].message, /The credentials file cannot be read \(ENOTDIR\)/);
    });
  });

  describe('parseIni', () => {
    it('gives indented sub-keys to the key before them, and reads an indented line with no parent as an ordinary key', () => {
      const r = parseIni('[services s]\nec2 =\n  endpoint_url = http://a\nregion = r\n  stray = v\n', 'f');
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.sections[0].values, { ec2: { endpoint_url: 'http://a' }, region: 'r', stray: 'v' });
    });

    it('never repeats a malformed line (it could be a pasted secret), however long', () => {
      const r = parseIni(`[a]\n${'g'.repeat(500)}\n`, 'f');
      assert.equal(r.problems.length, 1);
      assert.ok(r.problems[0].message.length < 120, r.problems[0].message);
      assert.ok(!r.problems[0].message.includes('ggg'));
    });

    it('folds whitespace in section names', () => {
      const r = parseIni('[profile    spaced ]\nk = v\n', 'f');
      assert.equal(r.sections[0].name, 'profile spaced');
    });
  });
});
