// The one door to AWS for the rest of the extension: pagers for (profile, region, query), the
// account ID of a profile, the DryRun permission check, one flow log by ID. Every request is
// logged (operation, profile, region, page size, duration, items, error code), never a credential.
import type { FlowLog, FlowLogQuery } from './types';
import { classifyError, FlowLogsError } from './errors';
import { FlowLogPager, PageFetcher, PageRequest } from './flowLogPager';
import type { PageAnswer } from './awsWorkerProtocol';
import type { NetworkOperation, Operations, RegionStatus } from './awsWorkerProtocol';
import type { AwsProfile } from './profiles';
import { Logger, redact } from './logger';
import { regionInfo } from './regions';

/** Where the AWS calls run: the AWS workers (awsWorkerPool.ts) or this thread (test/support/inProcessAws.ts, tests only). */
export interface RemoteAws {
  fetch(profile: AwsProfile, region: string, req: PageRequest): Promise<PageAnswer>;
  callerIdentity(profile: AwsProfile): Promise<{ account?: string }>;
  /** DescribeFlowLogs with DryRun=true; rejects with the answer (DryRunOperation when allowed). */
  dryRun(profile: AwsProfile, region: string): Promise<unknown>;
  describeRegions(profile: AwsProfile, region: string): Promise<RegionStatus[]>;
  /** The Coverage check's DescribeVpcs / DescribeSubnets / DescribeNetworkInterfaces pages. */
  network<K extends NetworkOperation>(
    op: K,
    profile: AwsProfile,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']>;
  invalidate(profileName?: string): void;
}

export type PermissionResult = { allowed: true } | { allowed: false; error: FlowLogsError };

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

  /** A fetcher that sends DescribeFlowLogs for one profile and region, and logs it. */
  fetcher(profile: AwsProfile, region: string): PageFetcher {
    return async (req: PageRequest) => {
      const started = performance.now();
      const summary = `profile=${profile.name} region=${region} pageSize=${req.pageSize}${req.query.filters.length ? ` filters=${req.query.filters.length}` : ''}${req.query.flowLogIds?.length ? ` ids=${req.query.flowLogIds.length}` : ''}${req.nextToken ? ' (next page)' : ''}`;
      try {
        const page = await this.aws.fetch(profile, region, req);
        this.logger.info(
          `DescribeFlowLogs ${summary} -> ${page.items.length} items${page.nextToken ? ', more' : ''} in ${Math.round(performance.now() - started)} ms${page.attempts > 1 ? ` after ${page.attempts} attempts` : ''}`,
        );
        return { items: page.items, nextToken: page.nextToken };
      } catch (err) {
        const e = classifyError(err, { profile: profile.name, region });
        const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
        this.logger.error(
          `DescribeFlowLogs ${summary} -> ${e.code ?? e.kind}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''} in ${Math.round(performance.now() - started)} ms${attempts ? ` after ${attempts} attempt(s)` : ''}: ${redact(e.detail ?? e.message)}`,
        );
        throw err;
      }
    };
  }

  pager(profile: AwsProfile, region: string, query: FlowLogQuery, pageSize: number, onWarning?: (m: string) => void): FlowLogPager {
    return new FlowLogPager(this.fetcher(profile, region), query, {
      pageSize,
      classify: this.classifier(profile, region),
      onWarning: (m) => {
        this.logger.warn(`${m} (profile=${profile.name} region=${region})`);
        onWarning?.(m);
      },
    });
  }

  /** Classifies errors of (profile, region) with what makes their message precise. */
  classifier(profile: AwsProfile, region: string): (err: unknown) => FlowLogsError {
    return (err) =>
      classifyError(err, { profile: profile.name, region, regionOptIn: regionInfo(region)?.optIn, ssoProfile: profile.kind === 'sso' });
  }

  /** The profile's account ID from STS GetCallerIdentity, cached per profile (failures are not). */
  accountId(profile: AwsProfile): Promise<string> {
    let p = this.accountIds.get(profile.name);
    if (!p) {
      p = (async () => {
        const started = performance.now();
        const { account } = await this.aws.callerIdentity(profile);
        this.logger.info(
          `GetCallerIdentity profile=${profile.name} -> account ${account} in ${Math.round(performance.now() - started)} ms`,
        );
        if (!account) throw new Error('GetCallerIdentity returned no account');
        return account;
      })();
      this.accountIds.set(profile.name, p);
      p.catch((err) => {
        if (this.accountIds.get(profile.name) === p) this.accountIds.delete(profile.name);
        this.logger.error(`GetCallerIdentity profile=${profile.name} -> ${redact(classifyError(err).message)}`);
      });
    }
    return p;
  }

  /** DescribeFlowLogs with DryRun: DryRunOperation means allowed, UnauthorizedOperation denied. */
  async checkPermission(profile: AwsProfile, region: string): Promise<PermissionResult> {
    try {
      await this.aws.dryRun(profile, region);
      // A server that ignores DryRun answers normally: that is not a proof of permission.
      const error: FlowLogsError = {
        kind: 'unknown',
        message: 'The endpoint ignored DryRun (no DryRunOperation answer)',
        actions: ['retry'],
      };
      this.logger.warn(`DescribeFlowLogs DryRun profile=${profile.name} region=${region} -> no DryRunOperation`);
      return { allowed: false, error };
    } catch (err) {
      const name = (err as { name?: string }).name;
      this.logger.info(`DescribeFlowLogs DryRun profile=${profile.name} region=${region} -> ${name}`);
      if (name === 'DryRunOperation') return { allowed: true };
      return { allowed: false, error: classifyError(err, { profile: profile.name, region }) };
    }
  }

  /** Which regions the profile's account has enabled (DescribeRegions with AllRegions), by name. */
  async regionStatus(profile: AwsProfile, region: string): Promise<Map<string, string | undefined>> {
    const started = performance.now();
    try {
      const regions = await this.aws.describeRegions(profile, region);
      this.logger.info(
        `DescribeRegions profile=${profile.name} region=${region} -> ${regions.length} regions in ${Math.round(performance.now() - started)} ms`,
      );
      return new Map(regions.map((r) => [r.name, r.optInStatus]));
    } catch (err) {
      this.logger.warn(`DescribeRegions profile=${profile.name} region=${region} -> ${redact(classifyError(err).message)}`);
      throw err;
    }
  }

  /** Re-fetches one flow log by ID (the detail panel's Refresh). */
  async describeOne(profile: AwsProfile, region: string, flowLogId: string): Promise<FlowLog | undefined> {
    const page = await this.fetcher(profile, region)({ query: { filters: [], flowLogIds: [flowLogId] }, pageSize: 5 });
    return page.items.find((f) => f.FlowLogId === flowLogId);
  }

  /** Forget clients and account IDs (credentials changed, Refresh). */
  invalidate(profileName?: string): void {
    this.aws.invalidate(profileName);
    if (profileName) this.accountIds.delete(profileName);
    else this.accountIds.clear();
  }
}
