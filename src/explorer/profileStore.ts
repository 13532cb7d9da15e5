// The profiles the explorer shows and what it knows about each: the list (read by a loader it is
// given), the config problems, the regions per profile (the user's choice kept in a key-value
// storage, else the settings), and per profile the account ID and the permission results. Pure:
// the VS Code layer hands it the files' loader, the extension's global state and the settings.
import { selectProfiles, regionsForProfile, listProfiles, type AwsProfile, type ProfileList } from '../shared/profiles';
import { loadSharedConfig, sharedConfigPaths } from '../shared/sharedConfig';
import { loadSdkView, reconcileWithSdk, type SdkView } from '../aws/sdkConfigView';
import type { PermissionResult } from '../aws/flowLogService';
import type { Logger } from '../shared/logger';
import type { KeyValueStorage } from './storage';
import { ssoSessionsOf, type SsoSession } from '../shared/ssoProfiles';

/** Reads the profiles: a slow asynchronous part (done once per reload), then a synchronous read. */
export interface ProfileLoader<P = unknown> {
  /** Optional preparation read() can use once it is done (what the SDK itself reads of the files). */
  prepare?(): Promise<P>;
  /** The profiles, with what prepare() gave if it has finished. */
  read(prepared: P | undefined): ProfileList;
}

/** The shared config and credentials files, listed as the AWS SDK reads them (sdkConfigView.ts). */
export function sharedConfigLoader(env: NodeJS.ProcessEnv = process.env): ProfileLoader<SdkView> {
  return {
    prepare: () => {
      const { configFile, credentialsFile } = sharedConfigPaths(env);
      return loadSdkView(configFile, credentialsFile);
    },
    read: (view) => listProfiles(env, view ? reconcileWithSdk(loadSharedConfig(env), view) : undefined),
  };
}

/** Check Permissions on a profile checks every shown region: how many allowed it. */
export interface ProfilePermission {
  allowed: boolean;
  allowedRegions: number;
  regions: number;
}

/**
 * What is known about one profile while its definition stays the same. A new state (a new
 * `generation`) replaces it on Refresh or when the profile's definition changes; nodes made for an
 * older generation are stale and never load.
 */
export interface ProfileState {
  readonly profile: AwsProfile;
  readonly generation: number;
  /** STS GetCallerIdentity's answer (for the description and ARNs). */
  accountId?: string;
  /** The DryRun result for the profile (the first failure of Check Permissions, or allowed). */
  permission?: PermissionResult;
  permissionSummary?: ProfilePermission;
}

export interface ProfileStoreOptions {
  loader: ProfileLoader<any>;
  storage: KeyValueStorage;
  logger: Logger;
  /** The `flowLogs.regions` setting (per profile name and `*`). */
  settingRegions(): Record<string, readonly string[]>;
  /** The `flowLogs.profiles` setting (empty: every profile). */
  shownProfileNames(): readonly string[];
  /** The profiles were (re)read: the AWS workers are told them (a call names its profile only). */
  onProfilesRead?(profiles: readonly AwsProfile[]): void;
  /** Refresh: the files are read again (the SSO accounts found are listed again too). */
  onReload?(): void;
}

/** The storage key of a profile's chosen regions (the extension's global state). */
export const chosenRegionsKey = (profile: string): string => `flowLogs.regions.${profile}`;

let generations = 0;

export class ProfileStore {
  private list: ProfileList | undefined;
  /** The files' profiles as read (list is them plus the SSO accounts found so far). */
  private base: ProfileList | undefined;
  private sessions: SsoSession[] = [];
  /** Profiles found through SSO sign-ins (ssoDirectory.ts), by session key. */
  private readonly discovered = new Map<string, AwsProfile[]>();
  private prepared: { view: unknown } | undefined;
  private preparing: Promise<void> | undefined;
  private readonly states = new Map<string, ProfileState>();

  constructor(private readonly options: ProfileStoreOptions) {}

  /** Runs the loader's slow part once per reload (a second call joins the first). */
  ready(): Promise<void> {
    if (this.prepared || !this.options.loader.prepare) return Promise.resolve();
    if (!this.preparing) {
      const preparing: Promise<void> = this.options.loader.prepare().then((view) => {
        if (this.preparing !== preparing) return; // a reload came meanwhile
        this.prepared = { view };
        this.base = undefined; // listed again, with the prepared view
        this.list = undefined;
      });
      this.preparing = preparing;
    }
    return this.preparing;
  }

  /**
   * The profiles as last read (read on first use and after reload()), then the SSO accounts found
   * so far (setDiscovered); problems are logged once per read.
   */
  profiles(): ProfileList {
    if (!this.base) {
      this.base = this.options.loader.read(this.prepared?.view);
      for (const p of this.base.problems) this.options.logger.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
      this.sessions = ssoSessionsOf(this.base.profiles, this.base.config);
      this.list = undefined;
    }
    if (!this.list) {
      const keys = new Set(this.sessions.map((s) => s.key));
      const found = [...this.discovered].filter(([key]) => keys.has(key)).flatMap(([, list]) => list);
      const fileNames = new Set(this.base.profiles.map((p) => p.name));
      this.list = { ...this.base, profiles: [...this.base.profiles, ...found.filter((p) => !fileNames.has(p.name))] };
      // The workers also learn each session's anchor (the hidden profile that lists its accounts).
      this.options.onProfilesRead?.([...this.list.profiles, ...this.sessions.map((s) => s.anchor)]);
      const names = new Set(this.list.profiles.map((p) => p.name));
      for (const name of [...this.states.keys()]) if (!names.has(name)) this.states.delete(name);
    }
    return this.list;
  }

  /** The SSO sessions of the config files (each with its anchor profile). */
  ssoSessions(): SsoSession[] {
    this.profiles();
    return this.sessions;
  }

  /** The profiles written in the files (not the SSO accounts found). */
  fileProfiles(): AwsProfile[] {
    this.profiles();
    return this.base?.profiles ?? [];
  }

  /** The SSO accounts found for a session (as profiles) replace those found before. */
  setDiscovered(sessionKey: string, profiles: readonly AwsProfile[]): void {
    this.discovered.set(sessionKey, [...profiles]);
    this.list = undefined;
  }

  /** The profiles found for a session so far. */
  discoveredOf(sessionKey: string): AwsProfile[] {
    this.profiles();
    return (this.list?.profiles ?? []).filter((p) => p.sso?.sessionKey === sessionKey);
  }

  /** The `flowLogs.profiles` setting (empty: every profile is shown). */
  shownProfileNames(): readonly string[] {
    return this.options.shownProfileNames();
  }

  /** The profiles the `flowLogs.profiles` setting shows, in the list's order. */
  shown(): AwsProfile[] {
    // The SSO accounts found are shown under their session, not at the root.
    return selectProfiles(
      this.profiles().profiles.filter((p) => !p.sso),
      this.shownProfileNames(),
    );
  }

  /** The regions shown under a profile: its chosen regions, else its own region and the setting's. */
  regionsFor(profile: AwsProfile): string[] {
    return regionsForProfile(profile, this.options.settingRegions(), this.chosenRegions(profile.name));
  }

  chosenRegions(profile: string): string[] | undefined {
    const saved = this.options.storage.get<unknown>(chosenRegionsKey(profile));
    return Array.isArray(saved) ? saved.filter((r): r is string => typeof r === 'string') : undefined;
  }

  /** Keeps the user's choice (an empty choice goes back to the settings). */
  async setChosenRegions(profile: string, regions: readonly string[]): Promise<void> {
    await this.options.storage.update(chosenRegionsKey(profile), regions.length ? [...regions] : undefined);
  }

  /**
   * The state of this profile, made on first use. When the profile's definition changed since,
   * the old state is returned as `replaced` (its owner drops what hangs on it).
   */
  stateOf(profile: AwsProfile): { state: ProfileState; replaced?: ProfileState } {
    const old = this.states.get(profile.name);
    if (old && JSON.stringify(old.profile) === JSON.stringify(profile)) return { state: old };
    const state: ProfileState = { profile, generation: ++generations };
    this.states.set(profile.name, state);
    return { state, replaced: old };
  }

  /** The current state of a profile, if it is still of `generation` (when given). Never makes one. */
  current(name: string, generation?: number): ProfileState | undefined {
    const state = this.states.get(name);
    return state && (generation === undefined || state.generation === generation) ? state : undefined;
  }

  /** Every state made so far (profiles removed from the files are dropped when listed again). */
  allStates(): ProfileState[] {
    return [...this.states.values()];
  }

  /** Forgets what was learnt of a profile (Retry): account ID and permission results. */
  forget(state: ProfileState): void {
    state.accountId = undefined;
    state.permission = undefined;
    state.permissionSummary = undefined;
  }

  /** Reads the files again on next use and drops every state; returns the states dropped. */
  reload(): ProfileState[] {
    const dropped = [...this.states.values()];
    this.states.clear();
    this.list = undefined;
    this.base = undefined;
    this.discovered.clear();
    this.prepared = undefined;
    this.preparing = undefined;
    // Last: a listener that reads the profiles now must not read them with the old files' SDK view
    // (that left the old endpoint in every profile until the next reload).
    this.options.onReload?.();
    return dropped;
  }
}
