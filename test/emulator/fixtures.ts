// Ready-made accounts and AWS config files for tests and the demo.
import { createHash } from 'node:crypto';
import type { EmulatorAccount, LogArchiveOptions, SsoOptions } from './server';

/** Two accounts; the second has one region where DescribeFlowLogs is denied. */
export function defaultAccounts(flowLogsPerRegion = 40): EmulatorAccount[] {
  return [
    {
      accountId: '111111111111',
      accessKeyId: 'AKIAEMULATOR1111EXAMPLE',
      secretAccessKey: 'emulatorSecretKey1111EXAMPLEwJalrXUtnFEMI',
      regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      flowLogsPerRegion,
    },
    {
      accountId: '222222222222',
      accessKeyId: 'AKIAEMULATOR2222EXAMPLE',
      secretAccessKey: 'emulatorSecretKey2222EXAMPLEwJalrXUtnFEMI',
      regions: ['us-east-1', 'eu-central-1', 'ap-northeast-1'],
      flowLogsPerRegion,
      deniedRegions: ['ap-northeast-1'],
    },
  ];
}

export interface ProfileSpec {
  /** Profile name; "default" is written as [default]. */
  name: string;
  /** The account whose keys the profile uses. */
  account: EmulatorAccount;
  region: string;
  sessionToken?: string;
  /** Override the keys, e.g. to test a wrong secret. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface AwsConfigFiles {
  /** Text of ~/.aws/config */
  config: string;
  /** Text of ~/.aws/credentials */
  credentials: string;
}

/** One profile per account (named after the account ID's first digit: emulator-1, emulator-2, ...). */
export function defaultProfiles(accounts: EmulatorAccount[]): ProfileSpec[] {
  return accounts.map((account, i) => ({ name: `emulator-${i + 1}`, account, region: account.regions[0] ?? 'us-east-1' }));
}

function iniSafe(value: string, what: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${what} must not contain line breaks`);
  return value;
}

/** AWS config + credentials file texts whose profiles point at the emulator (endpoint_url). */
export function awsConfigFor(emulator: { url: string }, profiles: ProfileSpec[]): AwsConfigFiles {
  const config: string[] = [];
  const credentials: string[] = [];
  for (const p of profiles) {
    const name = iniSafe(p.name, 'profile name');
    config.push(name === 'default' ? '[default]' : `[profile ${name}]`);
    config.push(`region = ${iniSafe(p.region, 'region')}`, `endpoint_url = ${emulator.url}`, '');
    const secret = p.secretAccessKey ?? p.account.secretAccessKey ?? 'emulator-unverified-secret';
    credentials.push(`[${name}]`, `aws_access_key_id = ${iniSafe(p.accessKeyId ?? p.account.accessKeyId, 'access key')}`);
    credentials.push(`aws_secret_access_key = ${iniSafe(secret, 'secret key')}`);
    if (p.sessionToken !== undefined) credentials.push(`aws_session_token = ${iniSafe(p.sessionToken, 'session token')}`);
    credentials.push('');
  }
  return { config: config.join('\n'), credentials: credentials.join('\n') };
}

/** The SSO demo: accounts reached through IAM Identity Center, a log-archive account among them. */
export interface SsoDemo {
  accounts: EmulatorAccount[];
  sso: SsoOptions;
  logArchive: LogArchiveOptions;
  sessionName: string;
  startUrl: string;
  ssoRegion: string;
  accessToken: string;
}

export const SSO_DEMO_ARCHIVE_ACCOUNT = '400000000000';
const SSO_ENVS = ['prod', 'staging', 'dev', 'sandbox'];

/**
 * `count` SSO accounts (400000000001...) plus the log-archive account 400000000000, all reachable
 * with one token. Every account has the roles ReadOnlyAccess and AdministratorAccess; the archive
 * has LogArchiveReader too. A quarter of the other accounts' flow logs deliver to the archive.
 */
export function ssoDemo(
  count = 40,
  opts: { flowLogsPerRegion?: number; regions?: string[]; expiresAt?: number; accessToken?: string } = {},
): SsoDemo {
  const regions = opts.regions ?? ['us-east-1', 'eu-west-1'];
  const flowLogsPerRegion = opts.flowLogsPerRegion ?? 8;
  const ids = [SSO_DEMO_ARCHIVE_ACCOUNT, ...Array.from({ length: count }, (_, i) => String(400000000001 + i))];
  const accounts: EmulatorAccount[] = ids.map((accountId) => ({
    accountId,
    accessKeyId: `AKIASSODEMO${accountId}`,
    regions,
    flowLogsPerRegion,
  }));
  const accessToken = opts.accessToken ?? 'emulator-sso-access-token-0001';
  return {
    accounts,
    sso: {
      accounts: ids.map((accountId, i) => ({
        accountId,
        accountName: i === 0 ? 'log-archive' : `workload-${String(i).padStart(3, '0')}-${SSO_ENVS[i % SSO_ENVS.length]}`,
        emailAddress: `aws+${accountId}@example.com`,
        roles: i === 0 ? ['LogArchiveReader', 'ReadOnlyAccess'] : ['AdministratorAccess', 'ReadOnlyAccess'],
      })),
      tokens: [{ accessToken, expiresAt: opts.expiresAt ?? Date.now() + 8 * 3600_000 }],
    },
    logArchive: {
      accountId: SSO_DEMO_ARCHIVE_ACCOUNT,
      bucket: `central-flow-logs-${SSO_DEMO_ARCHIVE_ACCOUNT}`,
      logGroupPrefix: '/central/vpc-flow-logs',
      region: regions[0],
    },
    sessionName: 'emulator-sso',
    startUrl: 'https://emulator.awsapps.com/start',
    ssoRegion: regions[0],
    accessToken,
  };
}

/**
 * The AWS CLI's token cache entry for a sign-in: the file name (~/.aws/sso/cache/<sha1>.json, of the
 * sso-session name, or of the start URL for a legacy SSO profile) and its JSON text.
 */
export function ssoTokenCacheFile(
  key: { sessionName: string } | { startUrl: string },
  token: { accessToken: string; expiresAt: number; region: string; startUrl: string },
): { fileName: string; text: string } {
  const name = 'sessionName' in key ? key.sessionName : key.startUrl;
  const fileName = `${createHash('sha1').update(name).digest('hex')}.json`;
  const text = JSON.stringify(
    {
      startUrl: token.startUrl,
      region: token.region,
      accessToken: token.accessToken,
      expiresAt: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    null,
    2,
  );
  return { fileName, text };
}

/** The `[sso-session]` section and one SSO profile of it, pointing at the emulator. */
export function ssoConfigFor(emulator: { url: string }, demo: SsoDemo, profileAccountIndex = 1, roleName = 'ReadOnlyAccess'): string {
  const account = demo.accounts[profileAccountIndex];
  return [
    `[sso-session ${demo.sessionName}]`,
    `sso_start_url = ${demo.startUrl}`,
    `sso_region = ${demo.ssoRegion}`,
    'sso_registration_scopes = sso:account:access',
    '',
    '[profile sso-workload]',
    `sso_session = ${demo.sessionName}`,
    `sso_account_id = ${account.accountId}`,
    `sso_role_name = ${roleName}`,
    `region = ${demo.ssoRegion}`,
    `endpoint_url = ${emulator.url}`,
    '',
  ].join('\n');
}
