// Endpoint resolution per profile: setting > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL >
// services section > profile endpoint_url > default, with the "ignore configured" switches.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEndpointUrl, resolveEndpoint } from '../../src/shared/endpoints';
import { ENVIRONMENT_PROFILE, listProfiles, type AwsProfile } from '../../src/shared/profiles';
import type { SharedConfig } from '../../src/shared/sharedConfig';

const CONFIG = `
[profile full]
aws_access_key_id = A
aws_secret_access_key = S
services = local
endpoint_url = http://profile.example:1

[profile own]
aws_access_key_id = A
aws_secret_access_key = S
endpoint_url = http://profile.example:2

[profile ignoring]
aws_access_key_id = A
aws_secret_access_key = S
services = local
endpoint_url = http://profile.example:3
ignore_configured_endpoint_urls = TRUE

[profile missing-services]
aws_access_key_id = A
aws_secret_access_key = S
services = nowhere
endpoint_url = http://profile.example:4

[profile bad]
aws_access_key_id = A
aws_secret_access_key = S
endpoint_url = not a url

[profile ftp]
aws_access_key_id = A
aws_secret_access_key = S
endpoint_url = ftp://files.example

[profile plain]
aws_access_key_id = A
aws_secret_access_key = S

[services local]
ec2 =
  endpoint_url = http://services.example:10
sts =
  endpoint_url = http://services.example:11
`;

describe('endpoints', () => {
  let dir: string;
  let fileEnv: NodeJS.ProcessEnv;
  let config: SharedConfig;
  let profiles: Map<string, AwsProfile>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-endpoints-'));
    writeFileSync(join(dir, 'config'), CONFIG);
    fileEnv = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    const list = listProfiles(fileEnv);
    assert.deepEqual(list.problems, []);
    config = list.config;
    profiles = new Map(list.profiles.map((p) => [p.name, p]));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const resolve = (name: string, env: NodeJS.ProcessEnv = {}, setting?: string, service: 'ec2' | 'sts' = 'ec2') =>
    resolveEndpoint(profiles.get(name)!, service, config.services, env, setting);

  describe('precedence', () => {
    const ALL_ENV = {
      AWS_ENDPOINT_URL_EC2: 'http://env-ec2.example',
      AWS_ENDPOINT_URL_STS: 'http://env-sts.example',
      AWS_ENDPOINT_URL: 'http://env.example',
    };

    it('1. the setting beats everything', () => {
      assert.deepEqual(resolve('full', ALL_ENV, 'https://setting.example'), {
        url: 'https://setting.example',
        source: 'setting',
        problem: undefined,
      });
    });

    it('2. AWS_ENDPOINT_URL_EC2 (per service) beats AWS_ENDPOINT_URL and the files', () => {
      assert.deepEqual(resolve('full', ALL_ENV), { url: 'http://env-ec2.example', source: 'env-service', problem: undefined });
      assert.equal(resolve('full', ALL_ENV, undefined, 'sts').url, 'http://env-sts.example');
    });

    it('3. AWS_ENDPOINT_URL beats the files', () => {
      assert.deepEqual(resolve('full', { AWS_ENDPOINT_URL: 'http://env.example' }), {
        url: 'http://env.example',
        source: 'env',
        problem: undefined,
      });
      // The other service's variable does not apply.
      assert.equal(
        resolve('full', { AWS_ENDPOINT_URL_STS: 'http://env-sts.example', AWS_ENDPOINT_URL: 'http://env.example' }).source,
        'env',
      );
    });

    it('4. the services section beats the profile endpoint_url, per service', () => {
      assert.deepEqual(resolve('full'), { url: 'http://services.example:10', source: 'services-section', problem: undefined });
      assert.equal(resolve('full', {}, undefined, 'sts').url, 'http://services.example:11');
    });

    it('5. the profile endpoint_url', () => {
      assert.deepEqual(resolve('own'), { url: 'http://profile.example:2', source: 'profile', problem: undefined });
      // a services name without a section falls through to endpoint_url
      assert.deepEqual(resolve('missing-services'), { url: 'http://profile.example:4', source: 'profile', problem: undefined });
    });

    it('6. otherwise the default AWS endpoint', () => {
      assert.deepEqual(resolve('plain'), { source: 'default' });
    });

    it('ignores blank values at every level', () => {
      assert.equal(resolve('full', { AWS_ENDPOINT_URL_EC2: '  ', AWS_ENDPOINT_URL: '' }, '   ').source, 'services-section');
    });

    it('trims the URL', () => {
      assert.equal(resolve('plain', {}, '  http://trimmed.example  ').url, 'http://trimmed.example');
    });
  });

  describe('ignore configured endpoint URLs', () => {
    it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns off env and file endpoints, not the setting', () => {
      const env = {
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        AWS_ENDPOINT_URL_EC2: 'http://env-ec2.example',
        AWS_ENDPOINT_URL: 'http://env.example',
      };
      assert.deepEqual(resolve('full', env), { source: 'default' });
      assert.deepEqual(resolve('own', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: ' True ' }), { source: 'default' });
      assert.equal(resolve('full', env, 'http://setting.example').source, 'setting');
    });

    it('only "true" switches it on', () => {
      assert.equal(resolve('own', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }).source, 'profile');
      assert.equal(resolve('own', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: '1' }).source, 'profile');
    });

    it('ignore_configured_endpoint_urls in the profile does the same for that profile', () => {
      assert.deepEqual(resolve('ignoring', { AWS_ENDPOINT_URL: 'http://env.example' }), { source: 'default' });
      assert.equal(resolve('ignoring', {}, 'http://setting.example').source, 'setting');
    });
  });

  describe('invalid URLs', () => {
    it('reports a URL that does not parse', () => {
      const r = resolve('bad');
      assert.equal(r.source, 'profile');
      assert.equal(r.problem, 'endpoint "not a url" is not a valid URL');
    });

    it('reports a URL that is not http(s)', () => {
      assert.equal(resolve('ftp').problem, 'endpoint "ftp://files.example" must be an http(s) URL');
      assert.match(resolve('plain', { AWS_ENDPOINT_URL: 'file:///etc/passwd' }).problem!, /must be an http\(s\) URL/);
      assert.equal(resolve('plain', {}, 'localhost:4566').problem, 'endpoint "localhost:4566" must be an http(s) URL'); // parses as scheme "localhost:"
    });

    it('checkEndpointUrl accepts http and https', () => {
      assert.equal(checkEndpointUrl('http://127.0.0.1:4566'), undefined);
      assert.equal(checkEndpointUrl('https://ec2.us-east-1.amazonaws.com/'), undefined);
      assert.match(checkEndpointUrl('')!, /not a valid URL/);
    });
  });

  describe('the Environment profile', () => {
    const envProfile = (): AwsProfile => {
      const list = listProfiles({ ...fileEnv, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' });
      return list.profiles.find((p) => p.name === ENVIRONMENT_PROFILE)!;
    };

    it('uses the endpoint variables and the setting', () => {
      const p = envProfile();
      assert.equal(resolveEndpoint(p, 'ec2', config.services, { AWS_ENDPOINT_URL_EC2: 'http://e.example' }).url, 'http://e.example');
      assert.equal(resolveEndpoint(p, 'ec2', config.services, { AWS_ENDPOINT_URL: 'http://g.example' }).source, 'env');
      assert.equal(resolveEndpoint(p, 'ec2', config.services, {}, 'http://s.example').source, 'setting');
    });

    it('never takes an endpoint from the files, even with a settings object that names one', () => {
      const p = { ...envProfile(), settings: { services: 'local', endpoint_url: 'http://profile.example:9' } };
      assert.deepEqual(resolveEndpoint(p, 'ec2', config.services, {}), { source: 'default' });
    });
  });
});
