// One DescribeFlowLogs call through the SDK, shared by the AWS worker and the in-thread path.
import type { EC2Client } from '@aws-sdk/client-ec2';
import { loadSdk } from './sdk';
import type { FlowLog } from '../../shared/types';
import type { FlowLogPage, FlowLogPageRequest } from '../../shared/awsWorkerProtocol';

export async function describeFlowLogsPage(client: EC2Client, req: FlowLogPageRequest, signal?: AbortSignal): Promise<FlowLogPage> {
  const sdk = loadSdk();
  const out = await client.send(
    new sdk.DescribeFlowLogsCommand({
      Filter: req.query.filters.length ? req.query.filters : undefined,
      FlowLogIds: req.query.flowLogIds?.length ? req.query.flowLogIds : undefined,
      MaxResults: req.pageSize,
      NextToken: req.nextToken,
    }),
    { abortSignal: signal },
  );
  // An answer without a flowLogSet (an empty body, XML of another shape) is not "no flow logs":
  // EC2 sends an empty <flowLogSet/> for that, which the SDK reads as [].
  if (!Array.isArray(out.FlowLogs)) {
    throw Object.assign(new Error('DescribeFlowLogs answered without a flowLogSet (an empty or unexpected body); is the endpoint EC2?'), {
      name: 'InvalidResponse',
      $metadata: out.$metadata,
    });
  }
  return { items: out.FlowLogs as FlowLog[], nextToken: out.NextToken || undefined, attempts: out.$metadata.attempts ?? 1 };
}
