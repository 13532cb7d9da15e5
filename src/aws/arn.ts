// ARNs and AWS Management Console links for flow logs and what they point at.
// DescribeFlowLogs returns no ARN, so it is built from region + account + id; the partition comes
// from the region. Pure: never imports vscode. Every function returns undefined rather than a
// wrong or unsafe link when its input does not fit.

import type { FlowLog } from '../shared/types';
import { CONSOLE_TARGETS, type ConsoleTarget } from '../webviews/detail/protocol';
import { type Partition, isPartition, partitionOf } from '../shared/regions';
import { isAccountId, isFlowLogId, watchedResourceKind } from './resourceIds';

export { type Partition, partitionOf } from '../shared/regions';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. "vpc-flow-log/fl-123" or "log-group:/aws/vpc:*". */
  resource: string;
}

const REGION_RE = /^[a-z]{2,5}(-[a-z0-9]+){1,3}-\d{1,2}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_ARN_LENGTH = 2048;

export function isRegionId(value: unknown): value is string {
  return typeof value === 'string' && REGION_RE.test(value);
}

/** `arn:<partition>:ec2:<region>:<account-id>:vpc-flow-log/<id>`, or undefined if a part is missing or malformed. */
export function flowLogArn(region: string, accountId: string | undefined, flowLogId: string | undefined): string | undefined {
  if (!isRegionId(region)) return undefined;
  if (!isAccountId(accountId) || !isFlowLogId(flowLogId)) return undefined;
  return `arn:${partitionOf(region)}:ec2:${region}:${accountId}:vpc-flow-log/${flowLogId}`;
}

/** Splits an ARN into its parts; the resource part keeps its own colons and slashes. */
export function parseArn(arn: unknown): ParsedArn | undefined {
  if (typeof arn !== 'string' || arn.length > MAX_ARN_LENGTH) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!/^aws(-[a-z]+)*$/.test(partition) || !/^[a-z0-9-]+$/.test(service) || resource === '') return undefined;
  if (region !== '' && !/^[a-z0-9-]+$/.test(region)) return undefined;
  if (account !== '' && !/^(\d{12}|aws)$/.test(account)) return undefined;
  return { partition, service, region, account, resource };
}

// ---------------------------------------------------------------------------------------------
// Console links

const CONSOLE_HOSTS: Readonly<Partial<Record<Partition, string>>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  // The isolated partitions and the European Sovereign Cloud have no public console we can link to.
};

/** The console host of a partition, or undefined where there is no public console. */
export function consoleHost(partition: Partition | string): string | undefined {
  return isPartition(partition) ? CONSOLE_HOSTS[partition] : undefined;
}

/** The host to use for a region: the commercial console has per-region hosts, the others one host. */
export function regionalConsoleBase(region: string): string | undefined {
  if (!isRegionId(region)) return undefined;
  const partition = partitionOf(region);
  const host = consoleHost(partition);
  if (!host) return undefined;
  return partition === 'aws' ? `https://${region}.${host}` : `https://${host}`;
}

/**
 * The one URL-encoder of every console link: encodeURIComponent, or undefined for a string with a
 * lone surrogate (which encodeURIComponent refuses with a URIError): such a value gets no link,
 * never a throw. The detail panel, the records panel's Console button, the Insights console link
 * and the Copy commands all encode through it.
 */
export function consoleEncode(value: string): string | undefined {
  return typeof value === 'string' && isWellFormed(value) ? encodeURIComponent(value) : undefined;
}

/**
 * CloudWatch's console takes path parts encoded twice with '%' turned into '$',
 * so "/aws/vpc" becomes "$252Faws$252Fvpc". Undefined for a value that cannot be encoded.
 */
export function cloudWatchConsoleEncode(value: string): string | undefined {
  const once = consoleEncode(value);
  return once === undefined ? undefined : encodeURIComponent(once).replace(/%/g, '$');
}

/** The CloudWatch console's page of a log group's events over a range (the records panel's Console button). */
export function logEventsConsoleUrl(region: string, logGroupName: string, startMs: number, endMs: number): string | undefined {
  const base = regionalConsoleBase(region);
  const group = typeof logGroupName === 'string' && logGroupName.length <= 512 ? cloudWatchConsoleEncode(logGroupName) : undefined;
  if (!base || !group || !Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) return undefined;
  // The console encodes the group name twice and the query once, with '%' written as '$'.
  const query = consoleEncode(`?start=${startMs}&end=${endMs}`)!.replace(/%/g, '$');
  return `${base}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}/log-events${query}`;
}

/**
 * False for a string with a lone surrogate (`&#xD800;` from the server decodes to one), which
 * encodeURIComponent refuses with a URIError: such a name gets no console link, never a throw.
 */
export function isWellFormed(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Details page of the VPC, subnet, network interface or transit gateway (attachment) a flow log watches. */
export function resourceConsoleUrl(region: string, resourceId: string | undefined): string | undefined {
  const base = regionalConsoleBase(region);
  const kind = watchedResourceKind(resourceId);
  if (!base || !kind) return undefined;
  const q = `region=${region}`;
  switch (kind) {
    case 'vpc':
      return `${base}/vpcconsole/home?${q}#VpcDetails:VpcId=${resourceId}`;
    case 'subnet':
      return `${base}/vpcconsole/home?${q}#SubnetDetails:subnetId=${resourceId}`;
    case 'eni':
      return `${base}/ec2/home?${q}#NetworkInterface:networkInterfaceId=${resourceId}`;
    case 'tgw-attach':
      return `${base}/vpcconsole/home?${q}#TransitGatewayAttachmentDetails:transitGatewayAttachmentId=${resourceId}`;
    case 'tgw':
      return `${base}/vpcconsole/home?${q}#TransitGatewayDetails:transitGatewayId=${resourceId}`;
    default:
      return undefined;
  }
}

/**
 * The console has no page of its own for one flow log: flow logs are listed on the
 * "Flow logs" tab of the resource they watch, so this is that resource's page.
 */
export function flowLogConsoleUrl(region: string, flowLog: Pick<FlowLog, 'FlowLogId' | 'ResourceId'>): string | undefined {
  if (!flowLog || !isFlowLogId(flowLog.FlowLogId)) return undefined;
  return resourceConsoleUrl(region, flowLog.ResourceId);
}

export function logGroupConsoleUrl(region: string, logGroupName: string | undefined): string | undefined {
  const base = regionalConsoleBase(region);
  const group = typeof logGroupName === 'string' && logGroupName.length <= 512 ? cloudWatchConsoleEncode(logGroupName) : undefined;
  if (!base || !group) return undefined;
  return `${base}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}`;
}

/** S3 console folder view of a bucket (and key prefix), for `arn:<partition>:s3:::bucket/prefix`. */
export function s3ConsoleUrl(bucketArn: string | undefined): string | undefined {
  const arn = parseArn(bucketArn);
  if (!arn || arn.service !== 's3') return undefined;
  const host = consoleHost(arn.partition);
  if (!host) return undefined;
  const slash = arn.resource.indexOf('/');
  const bucket = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
  let prefix = slash < 0 ? '' : arn.resource.slice(slash + 1);
  if (!BUCKET_RE.test(bucket)) return undefined;
  // The commercial S3 console lives on its own host; the others serve it under the main host.
  const base = arn.partition === 'aws' ? `https://s3.${host}` : `https://${host}`;
  const url = `${base}/s3/buckets/${bucket}`;
  if (prefix === '') return url;
  if (!prefix.endsWith('/')) prefix += '/';
  const encoded = consoleEncode(prefix);
  return encoded === undefined ? url : `${url}?prefix=${encoded}`; // a lone surrogate: the bucket's page
}

/** Firehose console page of a delivery stream, for `arn:<partition>:firehose:<region>:<account>:deliverystream/<name>`. */
export function firehoseConsoleUrl(streamArn: string | undefined): string | undefined {
  const arn = parseArn(streamArn);
  if (!arn || arn.service !== 'firehose' || !arn.resource.startsWith('deliverystream/')) return undefined;
  const name = arn.resource.slice('deliverystream/'.length);
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(name)) return undefined;
  const base = regionalConsoleBase(arn.region);
  if (!base || partitionOf(arn.region) !== arn.partition) return undefined;
  return `${base}/firehose/home?region=${arn.region}#/details/${name}/monitoring`;
}

/** The log group name of a CloudWatch Logs ARN (`...:log-group:<name>` with an optional `:*`). */
export function logGroupNameOfArn(logGroupArn: string | undefined): string | undefined {
  const arn = parseArn(logGroupArn);
  if (!arn || arn.service !== 'logs' || !arn.resource.startsWith('log-group:')) return undefined;
  const name = arn.resource.slice('log-group:'.length).replace(/:\*$/, '');
  return name === '' ? undefined : name;
}

/** Where the flow log's records go: the log group, the S3 bucket/prefix or the Firehose stream. */
export function destinationConsoleUrl(
  region: string,
  flowLog: Pick<FlowLog, 'LogDestinationType' | 'LogDestination' | 'LogGroupName'>,
): string | undefined {
  if (!flowLog) return undefined;
  const type = flowLog.LogDestinationType;
  const destination = flowLog.LogDestination;
  if (type === 's3') return s3ConsoleUrl(destination);
  if (type === 'kinesis-data-firehose') return firehoseConsoleUrl(destination);
  if (type === 'cloud-watch-logs' || (type === undefined && flowLog.LogGroupName)) {
    // The log group may live in another region of the same partition; its ARN says which.
    const arnRegion = parseArn(destination)?.region;
    const groupRegion = arnRegion && isRegionId(arnRegion) && partitionOf(arnRegion) === partitionOf(region) ? arnRegion : region;
    return logGroupConsoleUrl(groupRegion, flowLog.LogGroupName || logGroupNameOfArn(destination));
  }
  return undefined;
}

// The console targets are the detail page's vocabulary: one list, in its protocol.
export { CONSOLE_TARGETS, type ConsoleTarget };

/** One entry point for the "Open in AWS Console" actions. */
export function consoleUrlFor(target: ConsoleTarget, flowLog: FlowLog, region: string): string | undefined {
  switch (target) {
    case 'flowLog':
      return flowLogConsoleUrl(region, flowLog);
    case 'resource':
      return resourceConsoleUrl(region, flowLog?.ResourceId);
    case 'destination':
      return destinationConsoleUrl(region, flowLog);
    default:
      return undefined;
  }
}
