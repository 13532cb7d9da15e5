// The SSO accounts of each sign-in session, found by the AWS worker (ListAccounts, ListAccountRoles)
// a page at a time and handed to the profile store as profiles (aws/ssoProfiles.ts). A session
// whose token is missing or expired keeps the error (kind sso: Sign In). Pure: the VS Code layer
// draws a session node from `stateOf` and redraws it on `onDidChange`.
import { errorOf, type FlowLogsError } from '../shared/errors';
import type { AwsProfile } from '../shared/profiles';
import type { Logger } from '../shared/logger';
import { discoveredProfiles, type SsoAccount, type SsoSession } from '../shared/ssoProfiles';
import type { SsoAccountsPage, SsoAccountsPageArgs } from '../shared/awsWorkerProtocol';
import { Emitter, type Event } from './emitter';
import type { ProfileStore } from './profileStore';

/** Accounts per ListAccounts page (the API's maximum). */
export const SSO_PAGE_SIZE = 100;
/** Pages per session at most: 5,000 accounts. */
export const SSO_MAX_PAGES = 50;
/** Accounts a session node shows at first, and how many more each "Show more" adds. */
export const SSO_VISIBLE_STEP = 100;

export interface SsoSessionState {
  readonly session: SsoSession;
  status: 'idle' | 'loading' | 'loaded' | 'error';
  accounts: SsoAccount[];
  error?: FlowLogsError;
  /** More accounts than SSO_MAX_PAGES pages: the rest is not listed. */
  truncated: boolean;
  /** How many of the session's profiles its node shows (paged). */
  visible: number;
}

export interface SsoDirectoryOptions {
  store: ProfileStore;
  /** One page of accounts, called in the worker as the session's anchor profile. */
  listPage(anchor: AwsProfile, args: SsoAccountsPageArgs, signal: AbortSignal): Promise<SsoAccountsPage>;
  /** The `flowLogs.sso.preferredRoleName` setting. */
  preferredRole(): string | undefined;
  logger: Logger;
}

export class SsoDirectory {
  private readonly states = new Map<string, SsoSessionState>();
  private readonly loads = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  private readonly emitter = new Emitter<string | undefined>();
  /** A session (its key) changed; undefined: all of them. */
  readonly onDidChange: Event<string | undefined> = this.emitter.event;

  constructor(private readonly options: SsoDirectoryOptions) {}

  sessions(): SsoSession[] {
    return this.options.store.ssoSessions();
  }

  stateOf(session: SsoSession): SsoSessionState {
    let state = this.states.get(session.key);
    if (!state || state.session.startUrl !== session.startUrl || state.session.ssoRegion !== session.ssoRegion) {
      state = { session, status: 'idle', accounts: [], truncated: false, visible: SSO_VISIBLE_STEP };
      this.states.set(session.key, state);
    }
    return state;
  }

  /** The profiles of a session's accounts found so far (in the store). */
  profilesOf(session: SsoSession): AwsProfile[] {
    return this.options.store.discoveredOf(session.key);
  }

  /** Lists the session's accounts (once; a second call joins the first). */
  load(session: SsoSession): Promise<void> {
    const state = this.stateOf(session);
    const running = this.loads.get(session.key);
    if (running) return running.promise;
    if (state.status === 'loaded') return Promise.resolve();
    const abort = new AbortController();
    const promise = this.run(state, abort.signal).finally(() => {
      if (this.loads.get(session.key)?.abort === abort) this.loads.delete(session.key);
    });
    this.loads.set(session.key, { promise, abort });
    return promise;
  }

  private async run(state: SsoSessionState, signal: AbortSignal): Promise<void> {
    const { session } = state;
    state.status = 'loading';
    state.error = undefined;
    state.accounts = [];
    state.truncated = false;
    this.emitter.fire(session.key);
    let nextToken: string | undefined;
    try {
      for (let page = 0; page < SSO_MAX_PAGES; page++) {
        const answer = await this.options.listPage(session.anchor, { pageSize: SSO_PAGE_SIZE, nextToken }, signal);
        if (signal.aborted) return;
        state.accounts.push(...answer.accounts);
        this.publish(state);
        if (!answer.nextToken || answer.nextToken === nextToken) {
          nextToken = undefined;
          break;
        }
        nextToken = answer.nextToken;
      }
      state.truncated = nextToken !== undefined;
      state.status = 'loaded';
      this.options.logger.info(
        `SSO session ${session.label}: ${state.accounts.length} accounts${state.truncated ? ' (more not listed)' : ''}`,
      );
    } catch (err) {
      if (signal.aborted) return;
      state.status = 'error';
      state.error = errorOf(err);
      this.options.logger.warn(`SSO session ${session.label}: ${state.error.message}`);
    }
    this.emitter.fire(session.key);
  }

  private publish(state: SsoSessionState): void {
    const { store, preferredRole } = this.options;
    store.setDiscovered(state.session.key, discoveredProfiles(state.session, state.accounts, preferredRole(), store.fileProfiles()));
    this.emitter.fire(state.session.key);
  }

  /** Shows more of a session's accounts (the node's "Show more"). */
  showMore(session: SsoSession, atLeast?: number): void {
    const state = this.stateOf(session);
    state.visible = Math.max(state.visible + SSO_VISIBLE_STEP, atLeast ?? 0);
    this.emitter.fire(session.key);
  }

  /** Lists a session again (Retry, after signing in). */
  retry(session: SsoSession): Promise<void> {
    this.loads.get(session.key)?.abort.abort();
    this.loads.delete(session.key);
    this.states.delete(session.key);
    return this.load(session);
  }

  /** The preferred role changed: the accounts found so far are made profiles again. */
  rebuild(): void {
    for (const state of this.states.values()) if (state.accounts.length) this.publish(state);
  }

  /** Refresh: every session is listed again when next drawn. */
  reset(): void {
    for (const { abort } of this.loads.values()) abort.abort();
    this.loads.clear();
    this.states.clear();
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.reset();
    this.emitter.dispose?.();
  }
}
