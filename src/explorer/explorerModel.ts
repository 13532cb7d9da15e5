// The explorer's state, outside the tree nodes: the profile store (profiles, regions, account IDs,
// permission results) and the region listings keyed by (profile, region). Tree nodes are keys into
// it and draw what it holds; commands act on it; the copy actions, the pickers, the search and the
// panels read the loaded flow logs from it. Pure (never imports vscode): unit-tested in Node.
import type { FlowLogService, PermissionResult } from '../aws/flowLogService';
import { errorOf, isProfileError, type FlowLogsError } from '../shared/errors';
import type { AwsProfile } from '../shared/profiles';
import type { FlowLogQuery } from '../shared/types';
import { withinTime } from '../aws/withinTime';
import { Emitter, type Event } from './emitter';
import type { FlowLogRef } from './flowLogRef';
import { ProfileStore, type ProfilePermission, type ProfileState, type ProfileStoreOptions } from './profileStore';
import { RegionListing } from './regionListing';

/** What the model needs of FlowLogService. */
export type ExplorerService = Pick<FlowLogService, 'pager' | 'accountId' | 'checkPermission' | 'invalidate'>;

export interface ExplorerOptions extends ProfileStoreOptions {
  service: ExplorerService;
  /** The active filters, as a DescribeFlowLogs query (read when a pager is made). */
  query(): FlowLogQuery;
  pageSize(): number;
  /** How long the credentials check waits for STS before the regions show anyway (ms). */
  credentialCheckWaitMs?: number;
}

/**
 * What changed: a profile (`region` absent) or one region of it, of that profile state's
 * generation; undefined: everything.
 */
export type ExplorerChange = { profile: string; generation: number; region?: string } | undefined;

/** How long the regions wait for the credentials check before they show anyway. */
const CREDENTIAL_CHECK_WAIT_MS = 5000;

export class ExplorerModel {
  readonly profiles: ProfileStore;
  /** Listings by profile name, then region, in the order they were made. */
  private readonly listings = new Map<string, Map<string, RegionListing>>();
  private readonly emitter = new Emitter<ExplorerChange>();
  readonly onDidChange: Event<ExplorerChange> = this.emitter.event;

  constructor(private readonly options: ExplorerOptions) {
    this.profiles = new ProfileStore(options);
  }

  // --- profiles ---

  /**
   * The state of a profile as listed now. A profile whose definition changed gets a new state:
   * the old one's listings are detached (they never load again) and its clients forgotten.
   */
  stateOf(profile: AwsProfile): ProfileState {
    const { state, replaced } = this.profiles.stateOf(profile);
    if (replaced) this.drop(replaced);
    return state;
  }

  /** The states of the shown profiles, in order. */
  shownStates(): ProfileState[] {
    return this.profiles.shown().map((p) => this.stateOf(p));
  }

  /** The state of `name` if it is still of `generation`; undefined for a stale key. */
  current(name: string, generation: number): ProfileState | undefined {
    return this.profiles.current(name, generation);
  }

  /**
   * Checks the profile's credentials once (STS GetCallerIdentity, which also gives the account ID).
   * Returns the error when it is about the credentials (the profile shows it instead of its
   * regions); anything else (STS unreachable, say) lets the regions try on their own. When STS is
   * slow the regions show after a few seconds and the account ID comes when STS answers.
   */
  async checkCredentials(state: ProfileState): Promise<FlowLogsError | undefined> {
    const p = state.profile;
    try {
      const lookup = this.options.service.accountId(p);
      const answer = await withinTime(lookup, this.options.credentialCheckWaitMs ?? CREDENTIAL_CHECK_WAIT_MS);
      if (answer === undefined) {
        lookup.then(
          (id) => {
            state.accountId = id;
            this.fire(state);
          },
          () => undefined,
        );
      } else if (state.accountId !== answer) {
        state.accountId = answer;
        this.fire(state); // the description shows the account ID
      }
    } catch (err) {
      const error = errorOf(err);
      if (isProfileError(error)) return error;
    }
    return undefined;
  }

  /** Select Regions: the choice is kept (an empty one goes back to the settings) and the profile redraws. */
  async chooseRegions(state: ProfileState, regions: readonly string[]): Promise<void> {
    await this.profiles.setChosenRegions(state.profile.name, regions);
    this.fire(state);
  }

  /** Retry on a profile (and Refresh This Node): credentials read again, its regions forgotten. */
  retryProfile(state: ProfileState): void {
    this.forgetProfile(state);
    this.fire(state);
  }

  // --- regions and their listings ---

  /**
   * The regions a profile shows, each with its listing (made on first use; listings of regions
   * no longer shown are dropped).
   */
  regionsOf(state: ProfileState): RegionListing[] {
    const regions = this.profiles.regionsFor(state.profile);
    if (!regions.length) return []; // nothing to show: the listings made so far stay
    const byRegion = this.listingMap(state.profile.name);
    const wanted = new Set(regions);
    for (const r of [...byRegion.keys()]) if (!wanted.has(r)) byRegion.delete(r);
    return regions.map((r) => this.listing(state, r)!);
  }

  /** The listing of (profile, region) for a current state (made on first use); undefined when stale. */
  listing(key: { profile: AwsProfile | string; generation: number }, region: string): RegionListing | undefined {
    const name = typeof key.profile === 'string' ? key.profile : key.profile.name;
    const state = this.profiles.current(name, key.generation);
    if (!state) return undefined;
    const byRegion = this.listingMap(name);
    let listing = byRegion.get(region);
    if (listing && listing.generation !== state.generation) {
      listing.detach();
      listing = undefined;
    }
    if (!listing) {
      listing = new RegionListing(state.profile, region, state.generation, {
        pager: (profile, r) => this.options.service.pager(profile, r, this.options.query(), this.options.pageSize()),
        changed: (l) => this.emitter.fire({ profile: l.profile.name, generation: l.generation, region: l.region }),
      });
      byRegion.set(region, listing);
    }
    return listing;
  }

  /** The listings made so far for a current profile state. */
  listingsOf(state: ProfileState): RegionListing[] {
    return [...(this.listings.get(state.profile.name)?.values() ?? [])].filter((l) => l.generation === state.generation);
  }

  /** Every flow log loaded in the shown profiles, profile by profile, region by region. */
  loadedFlowLogs(): FlowLogRef[] {
    return this.shownStates().flatMap((s) => this.listingsOf(s).flatMap((l) => l.loadedFlowLogs));
  }

  /** The shown profiles whose regions have been listed (expanded) so far. */
  listedProfiles(): AwsProfile[] {
    return this.shownStates()
      .filter((s) => this.listingsOf(s).length > 0)
      .map((s) => s.profile);
  }

  /** Refresh This Node on a region: its pages and permission result are forgotten, it reloads when drawn. */
  resetRegion(listing: RegionListing): void {
    listing.reset();
    listing.changed();
  }

  /** The filters (or the page size, the regions setting) changed: every shown region reloads; profiles stay. */
  resetListings(): void {
    for (const s of this.shownStates()) for (const l of this.listingsOf(s)) l.reset();
    this.emitter.fire(undefined);
  }

  // --- permissions ---

  /** Check Permissions on a region: DryRun, the result shown on the region. */
  async checkRegionPermission(listing: RegionListing): Promise<PermissionResult> {
    const result = await this.options.service.checkPermission(listing.profile, listing.region);
    listing.setPermission(result);
    return result;
  }

  /**
   * Check Permissions on a profile: each region's result on the regions the profile has listings
   * for, the first failure (or allowed) and the count on the profile.
   */
  recordPermissions(state: ProfileState, results: { region: string; result: PermissionResult }[]): ProfilePermission {
    for (const l of this.listingsOf(state)) {
      const found = results.find((x) => x.region === l.region);
      if (found) l.setPermission(found.result);
    }
    const allowed = results.filter((r) => r.result.allowed).length;
    const summary: ProfilePermission = { allowed: allowed === results.length, allowedRegions: allowed, regions: results.length };
    state.permission = summary.allowed ? { allowed: true } : results.find((r) => !r.result.allowed)!.result;
    state.permissionSummary = summary;
    this.fire(state);
    return summary;
  }

  // --- everything ---

  /** Refresh: profiles read again, clients, caches and loaded pages dropped, requests in flight cancelled. */
  refresh(): void {
    for (const state of this.profiles.reload()) this.drop(state);
    this.listings.clear();
    this.emitter.fire(undefined);
  }

  dispose(): void {
    for (const state of this.profiles.allStates()) this.forgetProfile(state);
    this.emitter.dispose();
  }

  private forgetProfile(state: ProfileState): void {
    this.options.service.invalidate(state.profile.name);
    this.profiles.forget(state);
    for (const l of this.listingsOf(state)) l.reset();
  }

  /** A state leaves the model: what it learnt is forgotten and its listings never load again. */
  private drop(state: ProfileState): void {
    this.forgetProfile(state);
    const byRegion = this.listings.get(state.profile.name);
    for (const [region, l] of [...(byRegion?.entries() ?? [])]) {
      if (l.generation !== state.generation) continue;
      l.detach();
      byRegion!.delete(region);
    }
  }

  private listingMap(name: string): Map<string, RegionListing> {
    let byRegion = this.listings.get(name);
    if (!byRegion) {
      byRegion = new Map();
      this.listings.set(name, byRegion);
    }
    return byRegion;
  }

  private fire(state: ProfileState): void {
    this.emitter.fire({ profile: state.profile.name, generation: state.generation });
  }
}
