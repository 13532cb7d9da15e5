// Per-profile endpoint resolution. The SDK applies a profile's `endpoint_url` only to the
// AWS_PROFILE profile, not to one chosen with the client's `profile` option (measured with SDK
// v3.1169: `new EC2Client({ profile: 'demo' })` took the region from `[profile demo]` but sent
// to ec2.<region>.amazonaws.com; with AWS_PROFILE=demo the same endpoint_url was used), so a view
// of several profiles resolves it here and passes `endpoint` explicitly. Order, as documented for the SDKs' service-specific endpoints:
//   1. the user-level `flowLogs.endpointUrl` setting (machine scope: never from a workspace)
//   2. AWS_ENDPOINT_URL_<SERVICE>   3. AWS_ENDPOINT_URL
//   4. the profile's `services` section (`ec2 =` / `  endpoint_url = ...`)   5. the profile's `endpoint_url`
// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls` turn off 2 to 5.
import type { AwsProfile } from './profiles';
import type { IniSection } from './sharedConfig';

export type AwsService = 'ec2' | 'sts' | 'logs' | 's3' | 'iam' | 'sso' | 'athena';

export interface ResolvedEndpoint {
  /** undefined: the SDK's default AWS endpoint for the region. */
  url?: string;
  source: 'setting' | 'env-service' | 'env' | 'services-section' | 'profile' | 'default';
  problem?: string;
}

/** The key of a service in a `[services x]` section (AWS's service identifier, snake case). */
const SECTION_KEYS: Record<AwsService, string> = {
  ec2: 'ec2',
  sts: 'sts',
  logs: 'cloudwatch_logs',
  s3: 's3',
  iam: 'iam',
  sso: 'sso',
  athena: 'athena',
};
const ENV_NAMES: Record<AwsService, string> = {
  ec2: 'AWS_ENDPOINT_URL_EC2',
  sts: 'AWS_ENDPOINT_URL_STS',
  logs: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
  s3: 'AWS_ENDPOINT_URL_S3',
  iam: 'AWS_ENDPOINT_URL_IAM',
  sso: 'AWS_ENDPOINT_URL_SSO',
  athena: 'AWS_ENDPOINT_URL_ATHENA',
};

function isTrue(v: unknown): boolean {
  return typeof v === 'string' && v.trim().toLowerCase() === 'true';
}

/** Checks an endpoint URL; returns a message when it is unusable. */
export function checkEndpointUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `endpoint "${url}" must be an http(s) URL`;
    return undefined;
  } catch {
    return `endpoint "${url}" is not a valid URL`;
  }
}

/** http:// to anything but loopback: signed requests (and session tokens) readable on the network. */
export function isCleartextRemote(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host.startsWith('127.'));
}

/** "ec2: http://…" for each service whose endpoint for this profile is plain http to another host. */
export function cleartextEndpointsOf(
  profile: AwsProfile,
  services: Map<string, IniSection>,
  env: NodeJS.ProcessEnv = process.env,
  settingUrl?: string,
): string[] {
  const out: string[] = [];
  for (const service of Object.keys(SECTION_KEYS) as AwsService[]) {
    const url = resolveEndpoint(profile, service, services, env, settingUrl).url;
    if (url && isCleartextRemote(url)) out.push(`${service}: ${url}`);
  }
  return out;
}

export function resolveEndpoint(
  profile: AwsProfile,
  service: AwsService,
  services: Map<string, IniSection>,
  env: NodeJS.ProcessEnv = process.env,
  settingUrl?: string,
): ResolvedEndpoint {
  const pick = (url: string | undefined, source: ResolvedEndpoint['source']): ResolvedEndpoint | undefined => {
    const v = url?.trim();
    if (!v) return undefined;
    return { url: v, source, problem: checkEndpointUrl(v) };
  };
  const fromSetting = pick(settingUrl, 'setting');
  if (fromSetting) return fromSetting;

  const ignore = isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || isTrue(profile.settings.ignore_configured_endpoint_urls);
  if (ignore) return { source: 'default' };

  const fromEnv = pick(env[ENV_NAMES[service]], 'env-service') ?? pick(env.AWS_ENDPOINT_URL, 'env');
  if (fromEnv) return fromEnv;
  if (profile.kind === 'environment') return { source: 'default' };

  const servicesName = profile.settings.services;
  if (typeof servicesName === 'string' && servicesName) {
    const section = services.get(servicesName);
    const block = section?.[SECTION_KEYS[service]];
    if (typeof block === 'object') {
      const fromSection = pick(block.endpoint_url, 'services-section');
      if (fromSection) return fromSection;
    }
  }
  const own = profile.settings.endpoint_url;
  return pick(typeof own === 'string' ? own : undefined, 'profile') ?? { source: 'default' };
}
