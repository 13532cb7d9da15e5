// Plain data shapes shared by the pure core and the VS Code layer.
// They mirror the SDK's DescribeFlowLogs output (the FlowLog shape of the EC2 API model,
// test/fixtures/ec2-describe-flow-logs.model.json, which test/unit/render.test.ts checks them
// against), so SDK objects fit them as they are, and nothing that imports these types has to
// load the SDK.

export type TrafficType = 'ACCEPT' | 'REJECT' | 'ALL';
export type LogDestinationType = 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';

export interface Tag {
  Key?: string;
  Value?: string;
}

export interface DestinationOptions {
  FileFormat?: 'plain-text' | 'parquet' | string;
  HiveCompatiblePartitions?: boolean;
  PerHourPartition?: boolean;
}

/** One flow log, as DescribeFlowLogs returns it (every field optional, as in the API model). */
export interface FlowLog {
  CreationTime?: Date;
  DeliverLogsErrorMessage?: string;
  DeliverLogsPermissionArn?: string;
  DeliverCrossAccountRole?: string;
  DeliverLogsStatus?: string;
  FlowLogId?: string;
  FlowLogStatus?: string;
  LogGroupName?: string;
  ResourceId?: string;
  TrafficType?: TrafficType | string;
  LogDestinationType?: LogDestinationType | string;
  LogDestination?: string;
  LogFormat?: string;
  Tags?: Tag[];
  MaxAggregationInterval?: number;
  DestinationOptions?: DestinationOptions;
}

/** A server-side filter, exactly as EC2 takes it. */
export interface Ec2Filter {
  Name: string;
  Values: string[];
}

/** What one DescribeFlowLogs call is asked for, apart from paging. */
export interface FlowLogQuery {
  filters: Ec2Filter[];
  /** FlowLogIds; at most 1000 per request (the pager splits longer lists). */
  flowLogIds?: string[];
}

/** Where a flow log came from: needed for ARNs, console links and refresh. */
export interface FlowLogContext {
  profile: string;
  region: string;
  /** From STS GetCallerIdentity, when known. */
  accountId?: string;
}
