// The profiles a user has: every profile of the shared config and credentials files, merged and
// sorted, each with the kind of credentials it uses, plus "Environment" when AWS_ACCESS_KEY_ID is set.
import { loadSharedConfig, SharedConfig, IniSection, ConfigProblem } from './sharedConfig';

export type ProfileKind = 'static' | 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'environment' | 'incomplete';

export const ENVIRONMENT_PROFILE = 'Environment';

export interface AwsProfile {
  name: string;
  kind: ProfileKind;
  /** The profile's `region`, if any. */
  region?: string;
  /** Merged settings (config file, then the credentials file over it, as the SDK does), lower-case keys. Holds secrets: never log it. */
  settings: IniSection;
  /** Why this profile cannot work as written (e.g. a role_arn without a source). */
  problem?: string;
  /**
   * A profile found through an SSO sign-in, not written in the config file (ssoProfiles.ts): the
   * session it came from (its key), the account and the role. `anchor`: the hidden profile of the
   * session itself, which lists the accounts.
   */
  sso?: { sessionKey: string; accountId?: string; accountName?: string; roleName?: string; anchor?: boolean };
}

export const KIND_LABELS: Record<ProfileKind, string> = {
  static: 'static keys',
  sso: 'SSO',
  assumeRole: 'assume role',
  process: 'credential process',
  webIdentity: 'web identity',
  environment: 'environment variables',
  incomplete: 'incomplete',
};

export interface ProfileList {
  profiles: AwsProfile[];
  config: SharedConfig;
  problems: ConfigProblem[];
}

function str(section: IniSection, key: string): string | undefined {
  const v = section[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function profileKind(settings: IniSection, ssoSessions: Map<string, IniSection>): { kind: ProfileKind; problem?: string } {
  if (str(settings, 'role_arn')) {
    if (str(settings, 'web_identity_token_file')) return { kind: 'webIdentity' };
    if (!str(settings, 'source_profile') && !str(settings, 'credential_source')) {
      return { kind: 'incomplete', problem: 'role_arn is set without source_profile or credential_source' };
    }
    return { kind: 'assumeRole' };
  }
  if (str(settings, 'sso_session')) {
    const session = str(settings, 'sso_session')!;
    if (!ssoSessions.has(session))
      return { kind: 'incomplete', problem: `sso_session "${session}" has no [sso-session ${session}] section` };
    return { kind: 'sso' };
  }
  if (str(settings, 'sso_start_url') || str(settings, 'sso_account_id')) {
    const missing = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'].filter((k) => !str(settings, k));
    if (missing.length) return { kind: 'incomplete', problem: `SSO profile is missing ${missing.join(', ')}` };
    return { kind: 'sso' };
  }
  if (str(settings, 'credential_process')) return { kind: 'process' };
  const hasKey = !!str(settings, 'aws_access_key_id');
  const hasSecret = !!str(settings, 'aws_secret_access_key');
  if (hasKey && hasSecret) return { kind: 'static' };
  if (hasKey !== hasSecret) {
    return { kind: 'incomplete', problem: hasKey ? 'aws_secret_access_key is missing' : 'aws_access_key_id is missing' };
  }
  return { kind: 'incomplete', problem: 'no credentials: set keys, sso_session, role_arn or credential_process' };
}

/** Every profile, sorted by name ("default" first), with the environment entry last. */
export function listProfiles(env: NodeJS.ProcessEnv = process.env, config: SharedConfig = loadSharedConfig(env)): ProfileList {
  const names = new Set([...config.configProfiles.keys(), ...config.credentialProfiles.keys()]);
  const profiles: AwsProfile[] = [];
  for (const name of names) {
    // As the SDK merges them (mergeConfigFiles): the credentials file wins over the config file.
    const settings: IniSection = { ...(config.configProfiles.get(name) ?? {}), ...(config.credentialProfiles.get(name) ?? {}) };
    const { kind, problem } = profileKind(settings, config.ssoSessions);
    profiles.push({ name, kind, region: str(settings, 'region'), settings, problem });
  }
  profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
  if (env.AWS_ACCESS_KEY_ID) {
    profiles.push({
      name: ENVIRONMENT_PROFILE,
      kind: env.AWS_SECRET_ACCESS_KEY ? 'environment' : 'incomplete',
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
      settings: {},
      problem: env.AWS_SECRET_ACCESS_KEY ? undefined : 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not',
    });
  }
  return { profiles, config, problems: config.problems };
}

/** Applies the `flowLogs.profiles` setting: an empty list shows every profile. */
export function selectProfiles(all: AwsProfile[], wanted: readonly string[]): AwsProfile[] {
  if (!wanted.length) return all;
  const set = new Set(wanted);
  return all.filter((p) => set.has(p.name));
}

/**
 * The regions shown under a profile: the user's "Select Regions…" choice when there is one,
 * otherwise the profile's own region plus the `flowLogs.regions` setting (per profile and `*`).
 */
export function regionsForProfile(
  profile: AwsProfile,
  settingRegions: Record<string, readonly string[]>,
  chosen: readonly string[] | undefined,
): string[] {
  if (chosen && chosen.length) return [...new Set(chosen)];
  const list = [profile.region, ...(settingRegions[profile.name] ?? []), ...(settingRegions['*'] ?? [])];
  return [...new Set(list.filter((r): r is string => !!r))];
}
