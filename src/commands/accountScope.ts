// Which profiles Search All Regions and Check Coverage run over: the profiles shown in the tree, or
// the accounts an SSO session reaches (all of them, or some picked in a quick pick that finds an
// account among hundreds by name, ID or role). Asked from the palette when an SSO session exists;
// a session node runs over its accounts; `{ ssoSession, accountIds }` says it without asking.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import type { SsoSession } from '../shared/ssoProfiles';
import { SsoSessionNode } from '../tree/ssoSessionNode';
import { isOwnNode } from './commandArgs';

export interface AccountScopeArgs {
  /** An SSO session, by its key (`session:NAME`) or its label (the sso-session name). */
  ssoSession?: unknown;
  /** Only these account IDs of the session (12 digits each); absent: every account. */
  accountIds?: unknown;
}

/** The account a profile's requests count against: an SSO account's ID, else the profile. */
export function accountKeyOf(profile: AwsProfile): string {
  const id = profile.sso?.accountId ?? profile.settings['sso_account_id'];
  return typeof id === 'string' && id ? `account:${id}` : `profile:${profile.name}`;
}

/** A plain `{ ssoSession }` argument (never a node, a URI or garbage). */
export function scopeArgs(arg: unknown): AccountScopeArgs | undefined {
  if (typeof arg !== 'object' || arg === null || isOwnNode(arg) || Array.isArray(arg)) return undefined;
  return typeof (arg as AccountScopeArgs).ssoSession === 'string' ? (arg as AccountScopeArgs) : undefined;
}

function sessionNamed(s: ExtensionServices, name: string): SsoSession | undefined {
  return s.sso.sessions().find((x) => x.key === name || x.label === name);
}

/** A session's account profiles, listed first (a session not signed in: a message, nothing). */
async function accountsOf(s: ExtensionServices, session: SsoSession): Promise<AwsProfile[] | undefined> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the accounts of ${session.label}…` }, () =>
    s.sso.load(session),
  );
  const state = s.sso.stateOf(session);
  if (state.status === 'error') {
    void vscode.window.showWarningMessage(
      `${session.label}: ${state.error?.message ?? 'the accounts could not be listed'} (Sign In on the session in the Flow Logs view).`,
    );
    return undefined;
  }
  return s.sso.profilesOf(session);
}

interface ScopePick extends vscode.QuickPickItem {
  session?: SsoSession;
  some?: boolean;
}

interface AccountPick extends vscode.QuickPickItem {
  profile: AwsProfile;
}

/**
 * The profiles to run over, or undefined when the user cancelled (or the session could not be
 * listed). `shown` is the profiles shown in the tree (the default without SSO sessions).
 */
export async function chooseProfiles(
  s: ExtensionServices,
  arg: unknown,
  shown: () => AwsProfile[],
  what: string,
  ask: boolean,
): Promise<AwsProfile[] | undefined> {
  if (arg instanceof SsoSessionNode) return accountsOf(s, arg.session);
  const args = scopeArgs(arg);
  if (args) {
    const session = sessionNamed(s, args.ssoSession as string);
    if (!session) {
      void vscode.window.showWarningMessage(`No SSO session named ${String(args.ssoSession).slice(0, 80)}.`);
      return undefined;
    }
    const all = await accountsOf(s, session);
    if (!all || !Array.isArray(args.accountIds)) return all;
    const wanted = new Set(args.accountIds.filter((x): x is string => typeof x === 'string'));
    return all.filter((p) => p.sso?.accountId !== undefined && wanted.has(p.sso.accountId));
  }
  const sessions = s.sso.sessions();
  if (!ask || !sessions.length) return shown();
  const items: ScopePick[] = [
    { label: '$(list-tree) Profiles in the Flow Logs view', description: `${shown().length} profile(s)` },
    ...sessions.flatMap((session): ScopePick[] => {
      const n = s.sso.stateOf(session).accounts.length;
      return [
        { label: `$(organization) Every account of ${session.label}`, description: n ? `${n} accounts` : 'SSO session', session },
        { label: `$(checklist) Some accounts of ${session.label}…`, description: 'pick them by name, ID or role', session, some: true },
      ];
    }),
  ];
  const scope = await vscode.window.showQuickPick(items, { title: `${what}: over which accounts` });
  if (!scope) return undefined;
  if (!scope.session) return shown();
  const all = await accountsOf(s, scope.session);
  if (!all || !scope.some) return all;
  const picked = await vscode.window.showQuickPick(
    all.map((profile): AccountPick => ({
      label: profile.sso?.accountName ?? profile.name,
      description: `${profile.sso?.accountId ?? ''} · ${profile.sso?.roleName ?? ''}`,
      profile,
    })),
    {
      title: `${what}: accounts of ${scope.session.label} (${all.length})`,
      placeHolder: 'Account name, account ID or role',
      canPickMany: true,
      matchOnDescription: true,
    },
  );
  return picked?.length ? picked.map((p) => p.profile) : undefined;
}
