// RemoteAws in the calling thread: the same operations as the AWS workers, without a worker.
// The extension never uses it (the SDK stays off the extension host's thread); unit tests and the
// benchmarks' in-thread comparison do.
import type { ClientCache } from '../../src/aws/worker/clients';
import type { PageAnswer } from '../../src/aws/awsWorkerProtocol';
import type { PageRequest } from '../../src/aws/flowLogPager';
import type { RemoteAws } from '../../src/aws/flowLogService';
import type { AwsProfile } from '../../src/aws/profiles';
import { FALLBACK_REGION } from '../../src/aws/regions';
import { awsOperations, OperationTable } from '../../src/aws/worker/awsOperations';
import type { NetworkOperation, Operations, RegionStatus } from '../../src/aws/awsWorkerProtocol';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../../src/aws/awsWorkerProtocol';
import type { S3ListArgs, S3ListResult, S3ReadArgs, S3ReadResult } from '../../src/aws/awsWorkerProtocol';
import type {
  GetQueryResultsResult,
  QueryIdArgs,
  StartQueryArgs,
  StartQueryResult,
  StopQueryResult,
} from '../../src/aws/awsWorkerProtocol';

export class InProcessAws implements RemoteAws {
  private readonly ops: OperationTable;

  constructor(readonly clients: ClientCache) {
    this.ops = awsOperations(clients);
  }

  fetch(profile: AwsProfile, region: string, req: PageRequest): Promise<PageAnswer> {
    return this.ops.describePage(profile, region, { query: req.query, pageSize: req.pageSize, nextToken: req.nextToken }, req.signal);
  }

  callerIdentity(profile: AwsProfile): Promise<{ account?: string }> {
    return this.ops.callerIdentity(profile, profile.region ?? FALLBACK_REGION, {});
  }

  dryRun(profile: AwsProfile, region: string): Promise<unknown> {
    return this.ops.dryRun(profile, region, {});
  }

  describeRegions(profile: AwsProfile, region: string): Promise<RegionStatus[]> {
    return this.ops.describeRegions(profile, region, {});
  }

  network<K extends NetworkOperation>(
    op: K,
    profile: AwsProfile,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    const run = this.ops[op] as (p: AwsProfile, r: string, a: Operations[K]['args'], s?: AbortSignal) => Promise<Operations[K]['result']>;
    return run(profile, region, args, signal);
  }

  filterLogEvents(profile: AwsProfile, region: string, args: FilterLogEventsArgs, signal?: AbortSignal): Promise<FilterLogEventsResult> {
    return this.ops.filterLogEvents(profile, region, args, signal);
  }

  s3List(profile: AwsProfile, region: string, args: S3ListArgs, signal?: AbortSignal): Promise<S3ListResult> {
    return this.ops.s3List(profile, region, args, signal);
  }

  s3Read(profile: AwsProfile, region: string, args: S3ReadArgs, signal?: AbortSignal): Promise<S3ReadResult> {
    return this.ops.s3Read(profile, region, args, signal);
  }

  startQuery(profile: AwsProfile, region: string, args: StartQueryArgs, signal?: AbortSignal): Promise<StartQueryResult> {
    return this.ops.startQuery(profile, region, args, signal);
  }

  getQueryResults(profile: AwsProfile, region: string, args: QueryIdArgs, signal?: AbortSignal): Promise<GetQueryResultsResult> {
    return this.ops.getQueryResults(profile, region, args, signal);
  }

  stopQuery(profile: AwsProfile, region: string, args: QueryIdArgs, signal?: AbortSignal): Promise<StopQueryResult> {
    return this.ops.stopQuery(profile, region, args, signal);
  }

  invalidate(profileName?: string): void {
    this.clients.invalidate(profileName);
  }

  dispose(): void {
    this.clients.dispose();
  }
}
