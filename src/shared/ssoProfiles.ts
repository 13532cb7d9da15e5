// SSO accounts as profiles, without editing the config file. Each `[sso-session x]` section (and
// each legacy SSO profile's start URL) is a session; with a valid sign-in (the AWS CLI's token cache)
// the AWS worker lists the accounts and roles it reaches (ListAccounts, ListAccountRoles), and each
// account becomes a profile here: its name, ID, and one role (the `flowLogs.sso.preferredRoleName`
// setting picks it when the account has it). A configured profile of the same session, account and
// role is kept and the discovered one left out. Pure: shared by both threads.
import type { AwsProfile } from './profiles';
import type { IniSection, SharedConfig } from './sharedConfig';

export interface SsoSession {
  /** `session:<name>` or `url:<start URL>` (legacy SSO profiles). */
  key: string;
  /** The sso-session name, or the start URL. */
  label: string;
  sessionName?: string;
  startUrl: string;
  ssoRegion: string;
  /** The hidden profile that lists the session's accounts (the worker calls run "as" it). */
  anchor: AwsProfile;
}

/** One account of a session and the roles the user has in it (ListAccounts + ListAccountRoles). */
export interface SsoAccount {
  accountId: string;
  accountName: string;
  roles: string[];
}

function str(section: IniSection | undefined, key: string): string | undefined {
  const v = section?.[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The settings a discovered profile takes from the configured profile that uses its session. */
const INHERITED = ['region', 'endpoint_url', 'services', 'ignore_configured_endpoint_urls'] as const;

/**
 * The SSO sessions of the config: every `[sso-session]` with a start URL and region, and the start
 * URL of every legacy SSO profile (sso_start_url in the profile). Each gets an anchor profile whose
 * endpoint settings come from the first configured profile (by name) that signs in through it.
 */
export function ssoSessionsOf(
  profiles: readonly AwsProfile[],
  config: Partial<Pick<SharedConfig, 'ssoSessions'>> | undefined,
): SsoSession[] {
  const out: SsoSession[] = [];
  const configured = profiles.filter((p) => !p.sso && p.kind === 'sso').sort((a, b) => a.name.localeCompare(b.name));
  const inherit = (user: AwsProfile | undefined): IniSection => {
    const settings: IniSection = {};
    for (const k of INHERITED) if (user?.settings[k] !== undefined) settings[k] = user.settings[k];
    return settings;
  };
  for (const [name, section] of config?.ssoSessions ?? []) {
    const startUrl = str(section, 'sso_start_url');
    const ssoRegion = str(section, 'sso_region');
    if (!startUrl || !ssoRegion) continue;
    const key = `session:${name}`;
    const user = configured.find((p) => str(p.settings, 'sso_session') === name);
    out.push({
      key,
      label: name,
      sessionName: name,
      startUrl,
      ssoRegion,
      anchor: anchorProfile(key, ssoRegion, { ...inherit(user), sso_session: name, sso_start_url: startUrl, sso_region: ssoRegion }),
    });
  }
  for (const p of configured) {
    const startUrl = str(p.settings, 'sso_start_url');
    const ssoRegion = str(p.settings, 'sso_region');
    if (str(p.settings, 'sso_session') || !startUrl || !ssoRegion) continue;
    const key = `url:${startUrl}`;
    if (out.some((s) => s.key === key)) continue;
    out.push({
      key,
      label: startUrl,
      startUrl,
      ssoRegion,
      anchor: anchorProfile(key, ssoRegion, { ...inherit(p), sso_start_url: startUrl, sso_region: ssoRegion }),
    });
  }
  return out;
}

function anchorProfile(key: string, ssoRegion: string, settings: IniSection): AwsProfile {
  return {
    name: `SSO ${key}`,
    kind: 'sso',
    region: str(settings, 'region') ?? ssoRegion,
    settings,
    sso: { sessionKey: key, anchor: true },
  };
}

/** The role a discovered account's profile uses: the preferred one when the account has it, else the first by name. */
export function chooseRole(roles: readonly string[], preferred: string | undefined): string | undefined {
  if (preferred && roles.includes(preferred)) return preferred;
  return [...roles].sort((a, b) => a.localeCompare(b))[0];
}

/** The name of a discovered profile: the account name, ID and role (what the user looks for). */
export function discoveredProfileName(account: Pick<SsoAccount, 'accountId' | 'accountName'>, role: string): string {
  return `${account.accountName} (${account.accountId}) ${role}`;
}

/**
 * The profiles of a session's accounts, one per account (chooseRole), sorted by account name, except
 * accounts whose chosen role a configured profile of the same session already uses.
 */
export function discoveredProfiles(
  session: SsoSession,
  accounts: readonly SsoAccount[],
  preferredRole: string | undefined,
  configured: readonly AwsProfile[],
): AwsProfile[] {
  const taken = new Set(
    configured
      .filter((p) => !p.sso && p.kind === 'sso' && sessionKeyOf(p) === session.key)
      .map((p) => `${str(p.settings, 'sso_account_id')}/${str(p.settings, 'sso_role_name')}`),
  );
  const out: AwsProfile[] = [];
  for (const account of [...accounts].sort(
    (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
  )) {
    const role = chooseRole(account.roles, preferredRole);
    if (!role || taken.has(`${account.accountId}/${role}`)) continue;
    out.push({
      name: discoveredProfileName(account, role),
      kind: 'sso',
      region: session.anchor.region,
      settings: {
        ...session.anchor.settings,
        sso_account_id: account.accountId,
        sso_role_name: role,
      },
      sso: { sessionKey: session.key, accountId: account.accountId, accountName: account.accountName, roleName: role },
    });
  }
  return out;
}

/** The session a configured SSO profile signs in through (its key), if any. */
export function sessionKeyOf(p: AwsProfile): string | undefined {
  if (p.sso) return p.sso.sessionKey;
  const session = str(p.settings, 'sso_session');
  if (session) return `session:${session}`;
  const url = str(p.settings, 'sso_start_url');
  return url ? `url:${url}` : undefined;
}

/** The AWS CLI's token cache file of a session: ~/.aws/sso/cache/<sha1 of the session name or start URL>.json. */
export function tokenCacheName(session: { sessionName?: string; startUrl: string }, sha1Hex: (text: string) => string): string {
  return `${sha1Hex(session.sessionName ?? session.startUrl)}.json`;
}
