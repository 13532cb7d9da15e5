// "Read with another profile": a flow log's destination (an S3 bucket, a log group) may belong to
// another account than the flow log (a central log-archive account), where the flow log's own
// profile is denied. The user picks the profile that reads it once per destination; the choice is
// kept (the extension's global state) and used for records and Insights. Pure: shared helpers.
import type { FlowLog } from '../shared/types';
import type { AwsProfile } from '../shared/profiles';

/** The key a reader choice is kept under: the bucket, or the log group (region, account, name). */
export function destinationKey(f: FlowLog, region: string): string | undefined {
  if (f.LogDestinationType === 's3') {
    const m = /^arn:[^:]+:s3:::([^/]+)/.exec(f.LogDestination ?? '');
    return m ? `s3:${m[1]}` : undefined;
  }
  if (f.LogDestinationType === 'cloud-watch-logs' && f.LogGroupName) {
    return `logs:${region}:${destinationAccount(f) ?? ''}:${f.LogGroupName}`;
  }
  return undefined;
}

/** The account that owns the destination, when its ARN says (log groups; S3 ARNs carry none). */
export function destinationAccount(f: FlowLog): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:(\d{12}):log-group:/.exec(f.LogDestination ?? '');
  return m?.[1];
}

/** The storage key of a destination's reader profile. */
export const readerStorageKey = (destination: string): string => `flowLogs.reader.${destination}`;

/** The account a profile reaches, when known without a call (SSO profiles say it). */
export function profileAccount(p: AwsProfile, knownAccount?: string): string | undefined {
  const own = p.sso?.accountId ?? (typeof p.settings.sso_account_id === 'string' ? p.settings.sso_account_id : undefined);
  return own || knownAccount;
}

/**
 * The profiles to offer for a destination: those of its account first (when it is known), then
 * the others by name; the flow log's own profile last (it is the one that failed).
 */
export function readerCandidates(
  profiles: readonly AwsProfile[],
  own: string,
  account: string | undefined,
  accountOf: (p: AwsProfile) => string | undefined,
): { profile: AwsProfile; sameAccount: boolean }[] {
  const list = profiles
    .filter((p) => !p.sso?.anchor && !p.problem)
    .map((profile) => ({ profile, sameAccount: account !== undefined && accountOf(profile) === account }));
  const rank = (x: { profile: AwsProfile; sameAccount: boolean }) => (x.sameAccount ? 0 : x.profile.name === own ? 2 : 1);
  return list.sort((a, b) => rank(a) - rank(b) || a.profile.name.localeCompare(b.profile.name));
}
