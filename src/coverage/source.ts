// Where a region's coverage data comes from in the extension: the AWS workers through the
// FlowLogService (the same clients, credentials and endpoints as the Flow Logs tree). Every
// request is logged like the tree's: operation, profile, region, duration, items or error code.
import type { FlowLogService } from '../aws/flowLogService';
import type { Logger } from '../shared/logger';
import { redact } from '../shared/logger';
import type { AwsProfile } from '../shared/profiles';
import type { NetworkOperation, Operations } from '../shared/awsWorkerProtocol';
import type { CoverageSource } from './scan';

const NAMES: Record<NetworkOperation, string> = {
  describeVpcsPage: 'DescribeVpcs',
  describeSubnetsPage: 'DescribeSubnets',
  describeNetworkInterfacesPage: 'DescribeNetworkInterfaces',
};

/** @param pageSize MaxResults of every page (5 to 1000); the largest by default, for the fewest requests. */
export function coverageSource(
  service: FlowLogService,
  logger: Logger,
  profile: AwsProfile,
  region: string,
  pageSize = 1000,
): CoverageSource {
  const call = async <K extends NetworkOperation>(
    op: K,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> => {
    const started = performance.now();
    const answer = await service.aws.call(op, profile.name, region, args, signal);
    const what = `${NAMES[op]} profile=${profile.name} region=${region}${args.nextToken ? ' (next page)' : ''}`;
    const ms = Math.round(performance.now() - started);
    if (answer.error)
      logger.error(
        `${what} -> ${answer.error.code ?? answer.error.kind} in ${ms} ms: ${redact(answer.error.detail ?? answer.error.message)}`,
      );
    else logger.info(`${what} -> ${answer.items.length} items${answer.nextToken ? ', more' : ''} in ${ms} ms`);
    return answer;
  };
  return {
    accountId: () => service.accountId(profile),
    vpcs: (nextToken, signal) => call('describeVpcsPage', { nextToken, pageSize }, signal),
    subnets: (nextToken, signal) => call('describeSubnetsPage', { nextToken, pageSize }, signal),
    interfaces: (eniIds, nextToken, signal) => call('describeNetworkInterfacesPage', { eniIds, nextToken, pageSize }, signal),
    flowLogs: service.describeFlowLogsPage(profile, region),
    flowLogPageSize: pageSize,
  };
}
