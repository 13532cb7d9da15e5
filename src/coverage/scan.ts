// Checks one (profile, region): every page of DescribeVpcs, DescribeSubnets and DescribeFlowLogs,
// then DescribeNetworkInterfaces for the interfaces flow logs name (to learn their VPC), one
// request at a time; and many regions at once, at most `concurrency` in flight overall and
// `perAccount` per account, a throttled account backing off (aws/accountScheduler.ts), as Search All
// Regions does. A failing region is reported with its error; the others go on.
import { cancelledError, errorOf, type FlowLogsError } from '../shared/errors';
import { FlowLogPager, type DescribeFlowLogsPage } from '../aws/flowLogPager';
import type { FlowLog } from '../shared/types';
import { joinRegion } from './join';
import { runPerAccount, type ScheduleProgress } from '../aws/accountScheduler';
import type { NetworkInterface, PageOrError, RegionCoverage, Subnet, Vpc } from './types';

export interface CoverageSource {
  /** The profile's account ID (STS); a rejection is the region's error. */
  accountId(): Promise<string>;
  vpcs(nextToken: string | undefined, signal?: AbortSignal): Promise<PageOrError<Vpc>>;
  subnets(nextToken: string | undefined, signal?: AbortSignal): Promise<PageOrError<Subnet>>;
  /** Interfaces among `eniIds` (a network-interface-id filter: deleted ones are simply absent). */
  interfaces(eniIds: string[], nextToken: string | undefined, signal?: AbortSignal): Promise<PageOrError<NetworkInterface>>;
  flowLogs: DescribeFlowLogsPage;
  /** MaxResults of the DescribeFlowLogs pages; default 1000 (the largest). */
  flowLogPageSize?: number;
}

/** Values per network-interface-id filter, kept small so a request stays well inside EC2's limits. */
export const INTERFACE_IDS_PER_REQUEST = 200;
/** Bound on pages per listing, against a server that never stops. */
const MAX_PAGES = 10_000;

class ScanError extends Error {
  constructor(readonly error: FlowLogsError) {
    super(error.message);
  }
}

/**
 * A listing that did not finish (the server repeated a page token, or never stopped): the region
 * fails with Retry. A verdict over part of a region's VPCs or flow logs would be a wrong verdict.
 */
export function unfinishedListing(operation: string, why: string): FlowLogsError {
  return {
    kind: 'server',
    message: `${operation} did not finish: ${why}`,
    detail: `${operation} did not finish: ${why}. The region is not judged from a partial listing; Retry checks it again.`,
    actions: ['retry'],
  };
}

/** Every page of one listing; a NextToken seen before, or too many pages, fails the listing (no endless loop, no partial answer). */
async function allPages<T>(
  operation: string,
  fetch: (token: string | undefined) => Promise<PageOrError<T>>,
  count: () => void,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  const tokens = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    if (signal?.aborted) throw new ScanError(cancelledError());
    count();
    const answer = await fetch(token);
    if (answer.error) throw new ScanError(answer.error);
    items.push(...answer.items);
    if (!answer.nextToken) return items;
    if (tokens.has(answer.nextToken))
      throw new ScanError(unfinishedListing(operation, `the server repeated a page token after ${page + 1} page(s)`));
    tokens.add(answer.nextToken);
    token = answer.nextToken;
  }
  throw new ScanError(unfinishedListing(operation, `still a NextToken after ${MAX_PAGES} pages`));
}

export async function scanRegion(
  profileName: string,
  region: string,
  source: CoverageSource,
  signal?: AbortSignal,
): Promise<RegionCoverage> {
  let requests = 0;
  const count = () => {
    requests += 1;
  };
  let accountId: string | undefined;
  try {
    accountId = await source.accountId();
    const vpcs = await allPages('DescribeVpcs', (t) => source.vpcs(t, signal), count, signal);
    const subnets = await allPages('DescribeSubnets', (t) => source.subnets(t, signal), count, signal);
    const pager = new FlowLogPager(
      (req) => {
        count();
        return source.flowLogs(req);
      },
      { filters: [] },
      { pageSize: source.flowLogPageSize ?? 1000 },
    );
    const loaded = await pager.loadAll(signal);
    if (loaded.error) throw new ScanError(loaded.error);
    // The pager ends a listing early on a repeated token, an endless server or its bounds: not finished.
    if (pager.hasMore || pager.stoppedEarly)
      throw new ScanError(unfinishedListing('DescribeFlowLogs', pager.stoppedEarly ?? 'the listing stopped before its last page'));
    const flowLogs: FlowLog[] = pager.items;
    const eniIds = [...new Set(flowLogs.map((l) => l.ResourceId ?? '').filter((id) => id.startsWith('eni-')))];
    const interfaces: NetworkInterface[] = [];
    for (let i = 0; i < eniIds.length; i += INTERFACE_IDS_PER_REQUEST) {
      const chunk = eniIds.slice(i, i + INTERFACE_IDS_PER_REQUEST);
      interfaces.push(...(await allPages('DescribeNetworkInterfaces', (t) => source.interfaces(chunk, t, signal), count, signal)));
    }
    return { profileName, region, accountId, vpcs: joinRegion(accountId, vpcs, subnets, flowLogs, interfaces), requests };
  } catch (err) {
    // What the source throws (STS, a cancel) arrives classified by the worker (AwsCallError).
    const error = err instanceof ScanError ? err.error : errorOf(err);
    return { profileName, region, accountId, vpcs: [], error, requests };
  }
}

export interface CoverageTarget<P> {
  profile: P;
  profileName: string;
  region: string;
}

export interface CoverageOptions<P> {
  /** Regions checked at once overall. */
  concurrency: number;
  /** Regions checked at once per account (`accountOf`); default `concurrency`. */
  perAccount?: number;
  /** The account a target counts against; default its profile name. */
  accountOf?: (t: CoverageTarget<P>) => string;
  /** Times a throttled region is checked again after its account's back-off; default 0. */
  throttleRetries?: number;
  backoffMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, r: RegionCoverage, counts: ScheduleProgress) => void;
}

export async function checkCoverage<P>(
  targets: CoverageTarget<P>[],
  sourceFor: (t: CoverageTarget<P>) => CoverageSource,
  options: CoverageOptions<P>,
): Promise<RegionCoverage[]> {
  return runPerAccount(
    targets,
    (t) => options.accountOf?.(t) ?? t.profileName,
    (t) => scanRegion(t.profileName, t.region, sourceFor(t), options.signal),
    (t) => ({ profileName: t.profileName, region: t.region, vpcs: [], error: cancelledError(), requests: 0 }),
    {
      concurrency: options.concurrency,
      perAccount: options.perAccount,
      throttleRetries: options.throttleRetries,
      backoffMs: options.backoffMs,
      signal: options.signal,
      isThrottled: (r) => r.error?.kind === 'throttled',
      isFailed: (r) => !!r.error && r.error.kind !== 'aborted',
      onDone: (_i, r, counts) => options.onProgress?.(counts.regionsDone, targets.length, r, counts),
    },
  );
}

/** "N of M VPCs covered" over the judged VPCs (shared ones are not judged, so not counted in M). */
export function summarizeCoverage(regions: RegionCoverage[]): {
  covered: number;
  judged: number;
  shared: number;
  failedRegions: number;
  cancelledRegions: number;
  text: string;
} {
  const vpcs = regions.flatMap((r) => r.vpcs);
  const covered = vpcs.filter((v) => v.verdict === 'covered').length;
  const shared = vpcs.filter((v) => v.verdict === 'shared').length;
  const judged = vpcs.length - shared;
  const cancelledRegions = regions.filter((r) => r.error?.kind === 'aborted').length;
  const failedRegions = regions.filter((r) => r.error && r.error.kind !== 'aborted').length;
  const extra = [
    shared ? `${shared} shared` : '',
    failedRegions ? `${failedRegions} region(s) failed` : '',
    cancelledRegions ? `${cancelledRegions} cancelled` : '',
  ].filter(Boolean);
  return {
    covered,
    judged,
    shared,
    failedRegions,
    cancelledRegions,
    text: `${covered} of ${judged} VPCs covered${extra.length ? ` (${extra.join(', ')})` : ''}`,
  };
}
