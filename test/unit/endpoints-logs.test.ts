// CloudWatch Logs endpoints resolve like EC2's: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, then
// AWS_ENDPOINT_URL, the `cloudwatch_logs` key of a services section, the profile's endpoint_url.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from '../../src/shared/endpoints';
import { listProfiles } from '../../src/shared/profiles';

describe('endpoints: CloudWatch Logs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'records-endpoints-'));
    writeFileSync(
      join(dir, 'config'),
      `[profile s]\naws_access_key_id = A\naws_secret_access_key = S\nservices = local\nendpoint_url = http://profile.example:1\n\n[profile p]\naws_access_key_id = A\naws_secret_access_key = S\nendpoint_url = http://profile.example:2\n\n[services local]\nec2 =\n  endpoint_url = http://ec2.example\ncloudwatch_logs =\n  endpoint_url = http://logs.example\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('per-service variable, services section key cloudwatch_logs, profile endpoint_url, setting first', () => {
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), HOME: dir };
    const list = listProfiles(env);
    const s = list.profiles.find((x) => x.name === 's')!;
    const p = list.profiles.find((x) => x.name === 'p')!;
    const r = (prof: typeof s, e: NodeJS.ProcessEnv = {}, setting?: string) =>
      resolveEndpoint(prof, 'logs', list.config.services, e, setting);
    assert.deepEqual(r(s), { url: 'http://logs.example', source: 'services-section', problem: undefined });
    assert.equal(resolveEndpoint(s, 'ec2', list.config.services, {}).url, 'http://ec2.example');
    assert.equal(r(p).url, 'http://profile.example:2');
    assert.equal(
      r(s, { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://env-logs.example', AWS_ENDPOINT_URL: 'http://env.example' }).url,
      'http://env-logs.example',
    );
    assert.equal(
      r(s, { AWS_ENDPOINT_URL_EC2: 'http://env-ec2.example' }).url,
      'http://logs.example',
      'the EC2 variable does not move CloudWatch Logs',
    );
    assert.equal(r(s, { AWS_ENDPOINT_URL: 'http://env.example' }).url, 'http://env.example');
    assert.equal(
      r(s, { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://env-logs.example' }, 'http://setting.example').url,
      'http://setting.example',
    );
    assert.equal(r(s, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://x' }).url, undefined);
  });
});
