// The one door to AWS for the rest of the extension: pagers for (profile, region, query), the
// account ID of a profile, the DryRun permission check, one flow log by ID. Every request is
// logged (operation, profile, region, page size, duration, items, error code), never a credential.
// Errors arrive classified by the worker (AwsCallError carries the FlowLogsError): never classified here.
import type { FlowLog, FlowLogQuery } from '../shared/types';
import { AwsCallError, DRY_RUN_IGNORED, errorOf } from '../shared/errors';
import { FlowLogPager, type DescribeFlowLogsPage, type FlowLogPageCall } from './flowLogPager';
import type { DryRunResult, Operation, Operations } from '../shared/awsWorkerProtocol';
import type { AwsProfile } from '../shared/profiles';
import { Logger, redact } from '../shared/logger';
import { FALLBACK_REGION } from '../shared/regions';

/**
 * Where the AWS calls run: the AWS workers (awsWorkerPool.ts) or this thread
 * (test/support/inProcessAws.ts, tests only). One generic call: an operation of `Operations`, the
 * profile's name, the region and the operation's arguments. It rejects with an AwsCallError that
 * carries the classified FlowLogsError.
 */
export interface RemoteAws {
  call<K extends Operation>(
    op: K,
    profileName: string,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']>;
  invalidate(profileName?: string): void;
}

export type PermissionResult = DryRunResult;

/** The region GetCallerIdentity is sent to: the profile's own. */
const stsRegion = (profile: AwsProfile) => profile.region ?? FALLBACK_REGION;

export class FlowLogService {
  private readonly accountIds = new Map<string, Promise<string>>();

  /**
   * @param aws where the AWS calls run: the AWS workers in the extension (the SDK never runs on
   *   the extension host's thread), InProcessAws in unit tests and benchmarks.
   */
  constructor(
    readonly aws: RemoteAws,
    private readonly logger: Logger,
  ) {}

  /** DescribeFlowLogs pages for one profile and region, each logged. */
  describeFlowLogsPage(profile: AwsProfile, region: string): DescribeFlowLogsPage {
    return async (req: FlowLogPageCall) => {
      const started = performance.now();
      const summary = `profile=${profile.name} region=${region} pageSize=${req.pageSize}${req.query.filters.length ? ` filters=${req.query.filters.length}` : ''}${req.query.flowLogIds?.length ? ` ids=${req.query.flowLogIds.length}` : ''}${req.nextToken ? ' (next page)' : ''}`;
      try {
        const page = await this.aws.call(
          'describeFlowLogsPage',
          profile.name,
          region,
          { query: req.query, pageSize: req.pageSize, nextToken: req.nextToken },
          req.signal,
        );
        const attempts = page.attempts ?? 1;
        this.logger.info(
          `DescribeFlowLogs ${summary} -> ${page.items.length} items${page.nextToken ? ', more' : ''} in ${Math.round(performance.now() - started)} ms${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
        );
        return page;
      } catch (err) {
        const e = errorOf(err);
        this.logger.error(
          `DescribeFlowLogs ${summary} -> ${e.code ?? e.kind}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''} in ${Math.round(performance.now() - started)} ms${e.attempts ? ` after ${e.attempts} attempt(s)` : ''}: ${redact(e.detail ?? e.message)}`,
        );
        throw err;
      }
    };
  }

  pager(profile: AwsProfile, region: string, query: FlowLogQuery, pageSize: number, onWarning?: (m: string) => void): FlowLogPager {
    return new FlowLogPager(this.describeFlowLogsPage(profile, region), query, {
      pageSize,
      onWarning: (m) => {
        this.logger.warn(`${m} (profile=${profile.name} region=${region})`);
        onWarning?.(m);
      },
    });
  }

  /** The profile's account ID from STS GetCallerIdentity, cached per profile (failures are not). */
  accountId(profile: AwsProfile): Promise<string> {
    let p = this.accountIds.get(profile.name);
    if (!p) {
      p = (async () => {
        const started = performance.now();
        const { account } = await this.aws.call('callerIdentity', profile.name, stsRegion(profile), {});
        this.logger.info(
          `GetCallerIdentity profile=${profile.name} -> account ${account} in ${Math.round(performance.now() - started)} ms`,
        );
        if (!account) throw new AwsCallError({ kind: 'unknown', message: 'GetCallerIdentity returned no account', actions: ['retry'] });
        return account;
      })();
      this.accountIds.set(profile.name, p);
      p.catch((err) => {
        if (this.accountIds.get(profile.name) === p) this.accountIds.delete(profile.name);
        this.logger.error(`GetCallerIdentity profile=${profile.name} -> ${redact(errorOf(err).message)}`);
      });
    }
    return p;
  }

  /** DescribeFlowLogs with DryRun: allowed, or why not (decided in the worker, as a value). */
  async checkPermission(profile: AwsProfile, region: string): Promise<PermissionResult> {
    let result: DryRunResult;
    try {
      result = await this.aws.call('dryRun', profile.name, region, {});
    } catch (err) {
      // A cancel, a worker that stopped, a profile the worker does not know.
      result = { allowed: false, error: errorOf(err) };
    }
    const what = `DescribeFlowLogs DryRun profile=${profile.name} region=${region}`;
    if (result.allowed) this.logger.info(`${what} -> DryRunOperation`);
    else if (result.error.message === DRY_RUN_IGNORED) this.logger.warn(`${what} -> no DryRunOperation`);
    else this.logger.info(`${what} -> ${result.error.code ?? result.error.kind}`);
    return result;
  }

  /** Which regions the profile's account has enabled (DescribeRegions with AllRegions), by name. */
  async regionStatus(profile: AwsProfile, region: string): Promise<Map<string, string | undefined>> {
    const started = performance.now();
    try {
      const regions = await this.aws.call('describeRegions', profile.name, region, {});
      this.logger.info(
        `DescribeRegions profile=${profile.name} region=${region} -> ${regions.length} regions in ${Math.round(performance.now() - started)} ms`,
      );
      return new Map(regions.map((r) => [r.name, r.optInStatus]));
    } catch (err) {
      this.logger.warn(`DescribeRegions profile=${profile.name} region=${region} -> ${redact(errorOf(err).message)}`);
      throw err;
    }
  }

  /** Re-fetches one flow log by ID (the detail panel's Refresh). */
  async describeOne(profile: AwsProfile, region: string, flowLogId: string): Promise<FlowLog | undefined> {
    const page = await this.describeFlowLogsPage(profile, region)({ query: { filters: [], flowLogIds: [flowLogId] }, pageSize: 5 });
    return page.items.find((f) => f.FlowLogId === flowLogId);
  }

  /** Forget clients and account IDs (credentials changed, Refresh). */
  invalidate(profileName?: string): void {
    this.aws.invalidate(profileName);
    if (profileName) this.accountIds.delete(profileName);
    else this.accountIds.clear();
  }
}
