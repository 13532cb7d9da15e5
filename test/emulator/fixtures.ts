// Ready-made accounts and AWS config files for tests and the demo.
import type { EmulatorAccount } from './server';

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
