// The commands of SSO sessions and the accounts found through them: Find Account… (a quick pick over
// every account found, for hundreds of them), Show More Accounts (a session node's next page), and
// the sign-in command line of a session (used by Sign In).
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import type { SsoSession } from '../shared/ssoProfiles';
import { sessionKeyOf } from '../shared/ssoProfiles';
import { SsoSessionNode } from '../tree/ssoSessionNode';
import { ProfileNode } from '../tree/profileNode';
import { isOwnNode } from './commandArgs';

/** The session a node belongs to: a session node, a node under it, or a found account's profile. */
export function ssoSessionOf(s: ExtensionServices, node: unknown): SsoSession | undefined {
  let n = node instanceof SsoSessionNode || isOwnNode(node) ? (node as { parent?: unknown }) : undefined;
  for (let depth = 0; n && depth < 5; depth++) {
    if (n instanceof SsoSessionNode) return n.session;
    if (n instanceof ProfileNode && n.profile.sso) {
      const key = n.profile.sso.sessionKey;
      return s.sso.sessions().find((x) => x.key === key);
    }
    n = (n as { parent?: unknown }).parent as typeof n;
  }
  return undefined;
}

/**
 * `aws sso login` arguments for a session: `--sso-session NAME`, or for a legacy start URL a
 * configured profile that uses it. Undefined when there is none.
 */
export function ssoLoginArgs(session: SsoSession, configured: readonly AwsProfile[]): string[] | undefined {
  if (session.sessionName) return ['sso', 'login', '--sso-session', session.sessionName];
  const profile = configured.find((p) => !p.sso && sessionKeyOf(p) === session.key);
  return profile ? ['sso', 'login', '--profile', profile.name] : undefined;
}

/** Runs `aws sso login` for a session in a terminal (no shell: nothing in a name is interpreted). */
export function signInToSession(s: ExtensionServices, session: SsoSession): boolean {
  const args = ssoLoginArgs(session, s.explorer.profiles.fileProfiles());
  if (!args) return false;
  const terminal = vscode.window.createTerminal({ name: `aws sso login (${session.label})`, shellPath: 'aws', shellArgs: args });
  terminal.show();
  // Listed again once the sign-in had time to write the token (and on Refresh / Retry).
  const close = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) return;
    close.dispose();
    void s.sso.retry(session);
  });
  return true;
}

interface AccountPick extends vscode.QuickPickItem {
  profile: AwsProfile;
  session: SsoSession;
}

export function registerSsoCommands(s: ExtensionServices): vscode.Disposable[] {
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'flowLogs.hasSsoSessions', s.sso.sessions().length > 0);
  updateContext();
  return [
    s.sso.onDidChange(updateContext),
    vscode.commands.registerCommand('flowLogs.ssoShowMore', (node?: unknown) => {
      if (node instanceof SsoSessionNode) s.sso.showMore(node.session);
    }),
    vscode.commands.registerCommand('flowLogs.findAccount', async () => {
      const sessions = s.sso.sessions();
      if (!sessions.length) {
        void vscode.window.showInformationMessage('No SSO session in the AWS config files ([sso-session] or an SSO profile).');
        return undefined;
      }
      // Every session is listed first (a quick pick over the accounts found).
      const items = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Listing SSO accounts…' },
        async () => {
          await Promise.all(sessions.map((x) => s.sso.load(x)));
          return sessions.flatMap((session) =>
            s.sso.profilesOf(session).map((profile): AccountPick => ({
              label: profile.sso?.accountName ?? profile.name,
              description: `${profile.sso?.accountId ?? ''} · ${profile.sso?.roleName ?? ''}`,
              detail: sessions.length > 1 ? session.label : undefined,
              profile,
              session,
            })),
          );
        },
      );
      const failed = sessions.filter((x) => s.sso.stateOf(x).status === 'error');
      if (!items.length) {
        void vscode.window.showWarningMessage(
          failed.length
            ? `Sign in to ${failed.map((x) => x.label).join(', ')} first (Sign In on the session in the Flow Logs view).`
            : 'No SSO account found.',
        );
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(items, {
        title: `Find Account (${items.length} accounts)`,
        placeHolder: 'Account name, account ID or role',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!pick) return undefined;
      // Shown in the tree: its page of the session node first, then the node itself.
      const index = s.sso.profilesOf(pick.session).findIndex((p) => p.name === pick.profile.name);
      if (index >= s.sso.stateOf(pick.session).visible) s.sso.showMore(pick.session, index + 1);
      const sessionNode = s.provider.sessionNodesShown.find((n) => n.session.key === pick.session.key);
      if (sessionNode) {
        await sessionNode.getChildren();
        const node = s.provider.profileNodeNamed(pick.profile.name);
        if (node) await s.treeView.reveal(node, { select: true, focus: true, expand: true });
      }
      return pick.profile.name;
    }),
  ];
}
