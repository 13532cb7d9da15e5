// The S3 client per (profile, region): same endpoint resolution as EC2 (AWS_ENDPOINT_URL_S3, the
// `s3` key of a services section), path-style on IP / localhost endpoints or when the setting asks,
// region redirects followed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientCache, isLocalHost } from '../../src/aws/worker/clients';
import type { ClientSettings } from '../../src/shared/awsWorkerProtocol';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { listProfiles } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';

describe('S3 clients', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-clients-'));
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        '[profile local]',
        'region = us-east-1',
        'endpoint_url = http://127.0.0.1:4599',
        '',
        '[profile compat]',
        'region = eu-west-1',
        'services = compat-services',
        '',
        '[services compat-services]',
        's3 =',
        '  endpoint_url = https://objects.example.com',
        '',
        '[profile aws]',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      ['local', 'compat', 'aws'].map((p) => `[${p}]\naws_access_key_id = AKIA${p.toUpperCase()}\naws_secret_access_key = s\n`).join('\n'),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cache = (settings: Partial<ClientSettings> = {}, extraEnv: Record<string, string> = {}) => {
    const env = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), ...extraEnv };
    const config = loadSharedConfig(env);
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 1000, userAgent: 't', ...settings }),
      config: () => config,
      logger: new MemoryLogger(),
      env,
    });
    const profile = (name: string) => listProfiles(env, config).profiles.find((p) => p.name === name)!;
    return { clients, profile };
  };

  it('recognises local endpoints', () => {
    for (const u of ['http://127.0.0.1:4599', 'http://localhost:9000', 'http://minio.localhost', 'http://[::1]:9000'])
      assert.equal(isLocalHost(u), true, u);
    for (const u of ['https://s3.eu-west-1.amazonaws.com', 'https://objects.example.com', 'not a url'])
      assert.equal(isLocalHost(u), false, u);
  });

  it('path-style for a local endpoint, virtual-hosted otherwise unless the setting asks; redirects followed', async () => {
    const { clients, profile } = cache();
    const local = clients.s3Client(profile('local'), 'us-east-1');
    assert.equal(local.config.forcePathStyle, true);
    assert.equal(local.config.followRegionRedirects, true);
    const endpoint = await local.config.endpoint!();
    assert.equal(endpoint.hostname, '127.0.0.1');
    const compat = clients.s3Client(profile('compat'), 'eu-west-1');
    assert.equal(compat.config.forcePathStyle, false);
    assert.equal((await compat.config.endpoint!()).hostname, 'objects.example.com');
    assert.equal(clients.s3Client(profile('aws'), 'eu-west-1').config.forcePathStyle, false);
    assert.equal(clients.s3Client(profile('compat'), 'eu-west-1'), compat, 'one client per (profile, region)');
    const forced = cache({ s3ForcePathStyle: true });
    assert.equal(forced.clients.s3Client(forced.profile('compat'), 'eu-west-1').config.forcePathStyle, true);
  });

  it('AWS_ENDPOINT_URL_S3 wins over the profile, for S3 only', async () => {
    const { clients, profile } = cache({}, { AWS_ENDPOINT_URL_S3: 'http://localhost:7000' });
    const s3 = clients.s3Client(profile('aws'), 'eu-west-1');
    assert.equal(String((await s3.config.endpoint!()).port), '7000');
    assert.equal(s3.config.forcePathStyle, true);
    assert.equal(clients.endpointFor(profile('aws'), 'ec2').url, undefined);
  });
});
