// The SSO portal calls (IAM Identity Center: ListAccounts, ListAccountRoles, GetRoleCredentials),
// made in the AWS worker with the access token of the AWS CLI's sign-in (its token cache file,
// ~/.aws/sso/cache/<sha1 of the sso-session name or of the start URL>.json). The token and the role
// credentials stay in this thread: they never reach a log line, an error text or the main thread.
// A missing, unreadable or expired token, and the portal's UnauthorizedException, are one error:
// "sign in again" (classified as an SSO error: the Sign In action).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SSOClient } from '@aws-sdk/client-sso';
import type { AwsProfile } from '../../shared/profiles';
import type { SsoAccount } from '../../shared/ssoProfiles';
import { tokenCacheName } from '../../shared/ssoProfiles';
import type { SsoAccountsPageArgs, SsoAccountsPage } from '../../shared/awsWorkerProtocol';
import { loadSdk } from './sdk';

/** Roles of this many accounts are listed at once (ListAccountRoles is one call per account). */
const ROLE_CONCURRENCY = 6;
/** Role pages per account at most (100 roles each). */
const MAX_ROLE_PAGES = 10;

function setting(profile: AwsProfile, key: string): string | undefined {
  const v = profile.settings[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** An error the classifier reads as "the SSO session is missing or expired" (kind sso, Sign In). */
export function signInNeeded(why: string): Error {
  return Object.assign(new Error(`The SSO session is ${why}: sign in again (aws sso login)`), { name: 'CredentialsProviderError' });
}

/** The cached access token of the profile's session (sso_session, else sso_start_url); never logged. */
export async function readSsoToken(profile: AwsProfile, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<string> {
  const sessionName = setting(profile, 'sso_session');
  const startUrl = setting(profile, 'sso_start_url');
  if (!startUrl && !sessionName) throw signInNeeded('not configured for this profile');
  const home = env.HOME || env.USERPROFILE || homedir();
  const file = join(
    home,
    '.aws',
    'sso',
    'cache',
    tokenCacheName({ sessionName, startUrl: startUrl ?? '' }, (t) => createHash('sha1').update(t).digest('hex')),
  );
  let parsed: { accessToken?: unknown; expiresAt?: unknown };
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as typeof parsed;
  } catch {
    throw signInNeeded('missing (no cached sign-in)');
  }
  const expiresAt = typeof parsed?.expiresAt === 'string' ? Date.parse(parsed.expiresAt) : NaN;
  if (typeof parsed?.accessToken !== 'string' || !parsed.accessToken || Number.isNaN(expiresAt)) throw signInNeeded('unreadable');
  if (expiresAt <= now) throw signInNeeded('expired');
  return parsed.accessToken;
}

/** The portal's own "token invalid or expired" is the same sign-in error. */
async function portal<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if ((err as { name?: string })?.name === 'UnauthorizedException') throw signInNeeded('expired or was revoked');
    throw err;
  }
}

/** One page of the session's accounts, each with every role the user has in it. */
export async function ssoAccountsPage(
  client: SSOClient,
  profile: AwsProfile,
  args: SsoAccountsPageArgs,
  env: NodeJS.ProcessEnv | undefined,
  signal?: AbortSignal,
): Promise<SsoAccountsPage> {
  const sdk = loadSdk();
  const accessToken = await readSsoToken(profile, env);
  const pageSize = Math.min(100, Math.max(1, Math.floor(args.pageSize) || 100));
  const out = await portal(() =>
    client.send(new sdk.ListAccountsCommand({ accessToken, maxResults: pageSize, nextToken: args.nextToken }), { abortSignal: signal }),
  );
  const listed = (out.accountList ?? []).filter((a) => typeof a.accountId === 'string' && /^\d{12}$/.test(a.accountId));
  const accounts: SsoAccount[] = new Array(listed.length);
  let next = 0;
  const worker = async () => {
    while (next < listed.length) {
      const i = next++;
      const a = listed[i];
      const roles: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_ROLE_PAGES; page++) {
        const r = await portal(() =>
          client.send(new sdk.ListAccountRolesCommand({ accessToken, accountId: a.accountId, maxResults: 100, nextToken: token }), {
            abortSignal: signal,
          }),
        );
        for (const role of r.roleList ?? []) if (typeof role.roleName === 'string' && role.roleName) roles.push(role.roleName);
        token = r.nextToken;
        if (!token) break;
      }
      accounts[i] = { accountId: a.accountId!, accountName: a.accountName || a.accountId!, roles };
    }
  };
  await Promise.all(Array.from({ length: Math.min(ROLE_CONCURRENCY, listed.length) }, worker));
  return { accounts, nextToken: out.nextToken || undefined };
}

/** The role credentials of an SSO profile (its account and role), for its clients. */
export async function ssoRoleCredentials(client: SSOClient, profile: AwsProfile, env: NodeJS.ProcessEnv | undefined) {
  const accountId = setting(profile, 'sso_account_id');
  const roleName = setting(profile, 'sso_role_name');
  if (!accountId || !roleName) throw signInNeeded('not set up for an account and a role');
  const accessToken = await readSsoToken(profile, env);
  const out = await portal(() => client.send(new (loadSdk().GetRoleCredentialsCommand)({ accessToken, accountId, roleName })));
  const c = out.roleCredentials;
  if (!c?.accessKeyId || !c.secretAccessKey)
    throw Object.assign(new Error('The SSO portal returned no role credentials'), { name: 'CredentialsProviderError' });
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: typeof c.expiration === 'number' ? new Date(c.expiration) : undefined,
  };
}
