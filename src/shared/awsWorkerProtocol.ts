// Messages between the extension host's main thread and the AWS workers (worker/awsWorker.ts).
// This file imports from neither side: only shared types and the pure helpers both use.
import type { AwsProfile } from './profiles';
import type { FlowLog, FlowLogQuery } from './types';
import type { Instance, NetworkAcl, NetworkInterface, PageOrError, SecurityGroupRule, Subnet, Vpc } from './networkTypes';
import type { FlowLogsError } from './errors';
import type { PackedRecords } from './recordsParse';
import type { RecordSort, RecordSummary, RecordWindow, WindowRow } from './resultSet';
import type { ExportFormat } from './recordsExport';
import type { FieldFilter } from './recordsFilters';
import type { RecordsError } from './recordsErrors';
import type { InsightsError } from './insightsErrors';
import type { ResultField } from './insightsResults';
import type { SsoAccount } from './ssoProfiles';
import type { AthenaError } from './athenaErrors';

/** The AWS calls a worker makes, with what each returns. */
export interface Operations {
  /** One page of DescribeFlowLogs. */
  describeFlowLogsPage: { args: FlowLogPageRequest; result: FlowLogPage };
  /** STS GetCallerIdentity (in the profile's own region). */
  callerIdentity: { args: Record<string, never>; result: { account?: string } };
  /** DescribeFlowLogs with DryRun: whether the call would be allowed, decided in the worker. */
  dryRun: { args: Record<string, never>; result: DryRunResult };
  /** DescribeRegions with AllRegions: each region of the partition and its opt-in status. */
  describeRegions: { args: Record<string, never>; result: RegionStatus[] };
  /** The Coverage check's pages; errors come back classified, as values. */
  describeVpcsPage: { args: NetworkPageArgs; result: PageOrError<Vpc> };
  describeSubnetsPage: { args: NetworkPageArgs; result: PageOrError<Subnet> };
  describeNetworkInterfacesPage: { args: NetworkPageArgs & { eniIds: string[] }; result: PageOrError<NetworkInterface> };
  /** Address names (issue 27): interfaces found by one filter (private IP, public IP, IPv6, ID); errors as values. */
  findInterfacesPage: { args: FindInterfacesArgs; result: PageOrError<NetworkInterface> };
  /** DescribeInstances by instance-id filter, flattened from the reservations (the Name tags). */
  describeInstancesPage: { args: NetworkPageArgs & { instanceIds: string[] }; result: PageOrError<Instance> };
  /** DescribeSecurityGroupRules by group-id filter (Explain this record). */
  describeSecurityGroupRulesPage: { args: NetworkPageArgs & { groupIds: string[] }; result: PageOrError<SecurityGroupRule> };
  /** DescribeNetworkAcls by association.subnet-id filter (Explain this record); MaxResults 5..100. */
  describeNetworkAclsPage: { args: NetworkPageArgs & { subnetIds: string[] }; result: PageOrError<NetworkAcl> };
  /** CloudWatch Logs FilterLogEvents, parsed into flow log records (errors as a value). */
  filterLogEvents: { args: FilterLogEventsArgs; result: FilterLogEventsResult };
  /** S3 ListObjectsV2 of one planned folder of a flow log (errors as a value). */
  s3List: { args: S3ListArgs; result: S3ListResult };
  /** S3 GetObject of a few flow log files, parsed and filtered into records (errors as a value). */
  s3Read: { args: S3ReadArgs; result: S3ReadResult };
  /**
   * The loaded records of a panel, kept in the worker that read them (recordStores.ts): the order,
   * a window of rows, one row, the summary, export text, drop. Errors (a dropped store) as values.
   */
  recordsOrder: { args: RecordsOrderArgs; result: RecordStoreResult<number> };
  recordsWindow: { args: RecordsWindowArgs; result: RecordStoreResult<RecordWindow> };
  recordsRow: { args: RecordsRowArgs; result: RecordStoreResult<WindowRow | undefined> };
  recordsSummary: { args: RecordStoreArgs; result: RecordStoreResult<RecordSummary> };
  recordsExport: { args: RecordsExportArgs; result: RecordStoreResult<{ text: string; total: number }> };
  recordsDrop: { args: RecordStoreArgs; result: RecordStoreResult<boolean> };
  /** CloudWatch Logs Insights (errors as a value). */
  startQuery: { args: StartQueryArgs; result: StartQueryResult };
  getQueryResults: { args: QueryIdArgs; result: GetQueryResultsResult };
  stopQuery: { args: QueryIdArgs; result: StopQueryResult };
  /** Writes (issue 26): each with DryRun or for real; the outcome, errors included, is a value (WriteOutcome). */
  createFlowLogs: { args: CreateFlowLogsArgs; result: WriteOutcome<CreateFlowLogsDone> };
  deleteFlowLogs: { args: DeleteFlowLogsArgs; result: WriteOutcome<DeleteFlowLogsDone> };
  changeFlowLogTags: { args: ChangeTagsArgs; result: WriteOutcome<object> };
  /** CloudWatch Logs CreateLogGroup, then PutRetentionPolicy when a retention is given (no DryRun in that API). */
  createLogGroup: { args: CreateLogGroupArgs; result: WriteOutcome<object> };
  /** One page of DescribeLogGroups (a destination picker). */
  describeLogGroupsPage: { args: { prefix?: string; nextToken?: string }; result: WriteOutcome<LogGroupsPage> };
  /** One page of IAM ListRoles, each role with whether its trust policy allows vpc-flow-logs.amazonaws.com. */
  listRolesPage: { args: { marker?: string }; result: WriteOutcome<RolesPage> };
  /** One page of an SSO session's accounts with their roles (called as the session's anchor profile). */
  ssoAccountsPage: { args: SsoAccountsPageArgs; result: SsoAccountsPage };
  /** Athena (errors as a value, classified in the worker: athenaErrors.ts). */
  athenaStartQueryExecution: { args: AthenaStartArgs; result: AthenaOutcome<{ queryExecutionId: string }> };
  athenaGetQueryExecution: { args: AthenaQueryIdArgs; result: AthenaOutcome<{ execution: AthenaExecution }> };
  athenaGetQueryResults: { args: AthenaResultsArgs; result: AthenaOutcome<AthenaResultsPage> };
  athenaStopQueryExecution: { args: AthenaQueryIdArgs; result: AthenaOutcome<object> };
  athenaGetWorkGroup: { args: { workGroup: string }; result: AthenaOutcome<{ workGroup: AthenaWorkGroup }> };
  athenaGetTableMetadata: { args: AthenaTableArgs; result: AthenaOutcome<{ table?: AthenaTableMetadata }> };
  /** The records SELECT's answer paged into a records panel's store (issue 25.4). */
  athenaRecordsRead: { args: AthenaRecordsReadArgs; result: AthenaOutcome<AthenaRecordsRead> };
}

/** The operations of the Coverage check. */
export type NetworkOperation = 'describeVpcsPage' | 'describeSubnetsPage' | 'describeNetworkInterfacesPage';

export interface RegionStatus {
  name: string;
  /** 'opt-in-not-required' | 'opted-in' | 'not-opted-in' */
  optInStatus?: string;
}
export type Operation = keyof Operations;

export type ToWorker =
  /**
   * The client settings and the profiles (by name), sent when they change and first to a new
   * worker. Profiles hold their merged settings (possibly secrets): they cross once per change,
   * never with each call.
   */
  | { type: 'configure'; settings: ClientSettings; profiles: AwsProfile[] }
  /** One operation for a profile (by name) in a region: only the name and the operation's arguments. */
  | { type: 'call'; id: number; op: Operation; profile: string; region: string; args: unknown }
  | { type: 'abort'; id: number }
  | { type: 'invalidate'; profileName?: string }
  | { type: 'mfa'; id: number; code?: string; error?: string }
  /** The main thread has taken a call's last part (and yielded): send the next (resultParts.ts). */
  | { type: 'more'; id: number };

export type ToMain =
  | { type: 'result'; id: number; value: unknown }
  /** One part of a large result, before its 'result' (resultParts.ts); the next waits for 'more'. */
  | { type: 'partial'; id: number; part: unknown }
  /** A failed call, classified in the worker with its full context, secrets already removed. */
  | { type: 'error'; id: number; error: FlowLogsError }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'mfa'; id: number; serial: string; profile: string };

// The arguments and results of the operations (defined here, not beside their code in worker/,
// so that the main thread can use them without importing the worker side).

// describeFlowLogs
export interface FlowLogPageRequest {
  query: FlowLogQuery;
  pageSize: number;
  nextToken?: string;
}

/** One page of DescribeFlowLogs, as the worker answers it and the pager takes it. */
export interface FlowLogPage {
  items: FlowLog[];
  nextToken?: string;
  /** Attempts the SDK made (1 = no retry); absent from pages made up by tests. */
  attempts?: number;
}

// dryRun
/** Allowed (DryRunOperation), or why not: denied, credentials, or an endpoint that ignored DryRun. */
export type DryRunResult = { allowed: true } | { allowed: false; error: FlowLogsError };

// clients
export interface ClientSettings {
  maxAttempts: number;
  requestTimeoutMs: number;
  /** How long a credential_process may run (credentialProcess.ts); default 60 s. */
  credentialProcessTimeoutMs?: number;
  /** The user-level endpoint override (machine-scoped setting), if any. */
  endpointUrl?: string;
  userAgent: string;
  /** S3 path-style requests (bucket in the path) even for a non-local endpoint. */
  s3ForcePathStyle?: boolean;
}

// records stores (the loaded records in the worker)
/** Where a read appends its records in the worker, instead of returning them. */
export interface RecordStoreTarget {
  /** The store's id (chosen by the extension host, unique per load). */
  id: string;
  /** The load's first append: the store is made (a later append to a missing store is an error: it was dropped). */
  first: boolean;
}

/** What a read appended to its store (the records stay in the worker). */
export interface StoreAppend {
  /** Records appended by this call. */
  added: number;
  /** Records the store holds now. */
  total: number;
  /** Records left out because an event with the same ID was already loaded. */
  duplicates: number;
  /** Records that were new but past maxRecords (not appended). */
  over: number;
}

export interface RecordStoreArgs {
  store: string;
}
export interface RecordsOrderArgs extends RecordStoreArgs {
  sort?: RecordSort;
}
export interface RecordsWindowArgs extends RecordStoreArgs {
  start: number;
  count: number;
}
export interface RecordsRowArgs extends RecordStoreArgs {
  id: number;
}
export interface RecordsExportArgs extends RecordStoreArgs {
  format: ExportFormat;
  /** Rows [from, from + count) in the current order. */
  from: number;
  count: number;
  /** Rows the export covers (the size when it began: rows loaded since are left out). */
  total?: number;
}
export type RecordStoreResult<T> = { ok: true; value: T } | { ok: false; error: RecordsError };

// filterLogEvents
export interface FilterLogEventsArgs {
  /** Append the records to this store in the worker; the answer then carries counts, no records. */
  store?: RecordStoreTarget;
  /** Records to append at most (the room under flowLogs.records.maxRecords), with `store`. */
  maxRecords?: number;
  logGroupName: string;
  /** The flow log's LogFormat: records are split by it. */
  format: string;
  startMs: number;
  endMs: number;
  pattern: string;
  residual: FieldFilter[];
  /** Events per request, 1..10,000. */
  limit: number;
  nextToken?: string;
  logStreamNames?: string[];
  /** For error messages only. */
  logGroupArn?: string;
}

export type FilterLogEventsResult =
  | {
      ok: true;
      /** The records after the residual filter (packed: see PackedRecords). */
      packed: PackedRecords;
      /** Events CloudWatch returned (before the residual filter). */
      events: number;
      nextToken?: string;
      /** Timestamp of the last event returned, if any: how far the scan has come. */
      lastTimestamp?: number;
      attempts: number;
      /** Bytes of event messages received. */
      bytes: number;
      /** With `store`: what was appended (`packed` is then empty). */
      appended?: StoreAppend;
    }
  | { ok: false; error: RecordsError };

// s3Records
export interface S3ListArgs {
  bucket: string;
  prefix: string;
  startAfter?: string;
  /** Stop at the first key >= this (the plan's end). */
  endAt: string;
  /** Keys to list in this call at most (1..5,000); the answer's `next` says where to go on. */
  maxObjects?: number;
}

export type S3ListResult =
  | {
      ok: true;
      objects: { key: string; size: number; storageClass?: string }[];
      requests: number;
      /** Set when the call stopped early (its count or time budget): list on with startAfter = next. */
      next?: string;
    }
  | { ok: false; error: RecordsError };

export interface S3ObjectRef {
  key: string;
  size: number;
  /** The time in the object's name (ms): the record time when the format has no `start`. */
  time: number;
  format: 'plain-text' | 'parquet';
}

export interface S3ReadArgs {
  /** Append the records to this store in the worker; the answer then carries counts, no records. */
  store?: RecordStoreTarget;
  bucket: string;
  objects: S3ObjectRef[];
  /** The flow log's LogFormat: the layout of the records. */
  format: string;
  startMs: number;
  endMs: number;
  filters: FieldFilter[];
  /** Objects read at once (1..8). */
  concurrency?: number;
  /** Records wanted at most (the room left under flowLogs.records.maxRecords): reading stops there. */
  maxRecords?: number;
  /** Bytes decompressed per object at most (flowLogs.records.maxObjectMiB): the object's first records are kept. */
  maxObjectBytes?: number;
}

/** Lines read and not loaded, by why (the panel's footer). */
export interface S3NotLoaded {
  /** Records whose time is outside the range. */
  outOfRange: number;
  /** Records the filters left out. */
  filtered: number;
  /** Header lines (one per text object). */
  headers: number;
}

export interface S3SkippedObject {
  key: string;
  why: string;
}

export type S3ReadResult =
  | {
      ok: true;
      /** The matching records, packed for the crossing to the main thread (see PackedRecords). */ packed: PackedRecords;
      scanned: number;
      bytes: number;
      /** Bytes decompressed (text) or fetched (Parquet). */
      inflated: number;
      notLoaded: S3NotLoaded;
      objectsRead: number;
      skipped: S3SkippedObject[];
      /** Objects read whose columns do not fit the flow log's format (their records are marked `bad`). */
      misfit?: S3SkippedObject[];
      /** With `store`: what was appended (`packed` is then empty). */
      appended?: StoreAppend;
    }
  | {
      ok: false;
      error: RecordsError;
      /** Objects fully read before the error (their records are dropped: Retry reads them again). */ objectsRead: number;
    };

// insightsCalls
export interface StartQueryArgs {
  logGroupNames: string[];
  queryString: string;
  /** Epoch seconds. */
  startTime: number;
  endTime: number;
  limit: number;
}
export interface QueryIdArgs {
  queryId: string;
}

export interface InsightsStatistics {
  recordsMatched?: number;
  recordsScanned?: number;
  bytesScanned?: number;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: InsightsError };
export type StartQueryResult = Outcome<{ queryId: string }>;
export type GetQueryResultsResult = Outcome<{ status: string; results: ResultField[][]; statistics: InsightsStatistics }>;
export type StopQueryResult = Outcome<{ success: boolean }>;

// describeNetwork
export interface NetworkPageArgs {
  nextToken?: string;
  /** MaxResults, 5 to 1000. */
  pageSize: number;
}

// address names (issue 27)
/** The DescribeNetworkInterfaces filters the address resolver uses, one per request (filters are AND'd). */
export type InterfaceFilterName =
  'addresses.private-ip-address' | 'association.public-ip' | 'ipv6-addresses.ipv6-address' | 'network-interface-id';

export interface FindInterfacesArgs extends NetworkPageArgs {
  filterName: InterfaceFilterName;
  /** At most MAX_FILTER_VALUES values. */
  values: string[];
}

/** Values in one EC2 Describe filter the resolver sends (EC2 documents up to 200 values per filter). */
export const MAX_FILTER_VALUES = 200;
// flowLogWrites (issue 26)
/** A CreateFlowLogs request as the extension builds it (src/aws/flowLogWrites.ts): the SDK's field names. */
export interface CreateFlowLogsRequest {
  ResourceType: 'VPC' | 'Subnet' | 'NetworkInterface';
  ResourceIds: string[];
  TrafficType: 'ACCEPT' | 'REJECT' | 'ALL';
  LogDestinationType: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';
  LogDestination?: string;
  LogGroupName?: string;
  DeliverLogsPermissionArn?: string;
  /** Absent: AWS's default format. */
  LogFormat?: string;
  MaxAggregationInterval: 60 | 600;
  DestinationOptions?: { FileFormat: 'plain-text' | 'parquet'; HiveCompatiblePartitions: boolean; PerHourPartition: boolean };
  /** Tags of the new flow logs (TagSpecifications with ResourceType vpc-flow-log). */
  Tags: { Key: string; Value: string }[];
  /** Idempotency token: the SDK's retries of one confirmed request create nothing twice. */
  ClientToken: string;
}
export interface CreateFlowLogsArgs {
  request: CreateFlowLogsRequest;
  dryRun: boolean;
}
export interface UnsuccessfulItem {
  resourceId: string;
  code: string;
  message: string;
}
export interface CreateFlowLogsDone {
  flowLogIds: string[];
  unsuccessful: UnsuccessfulItem[];
}
export interface DeleteFlowLogsArgs {
  flowLogIds: string[];
  dryRun: boolean;
}
export interface DeleteFlowLogsDone {
  unsuccessful: UnsuccessfulItem[];
}
export interface ChangeTagsArgs {
  flowLogIds: string[];
  /** Tags to add or replace (CreateTags). */
  set: { Key: string; Value: string }[];
  /** Keys to remove (DeleteTags). */
  remove: string[];
  dryRun: boolean;
}
export interface CreateLogGroupArgs {
  logGroupName: string;
  retentionInDays?: number;
}
export interface LogGroupsPage {
  groups: { name: string; arn?: string; retentionInDays?: number }[];
  nextToken?: string;
}
export interface RoleSummary {
  name: string;
  arn: string;
  path?: string;
  description?: string;
  /** Its trust policy allows vpc-flow-logs.amazonaws.com to assume it. */
  trustsFlowLogs: boolean;
}
export interface RolesPage {
  roles: RoleSummary[];
  marker?: string;
}
/**
 * A write's outcome: with DryRun, `wouldSucceed` (EC2 answered DryRunOperation); for real, `done`
 * with the answer; or `failed` with the classified error (denied, invalid input, ...). A server that
 * ignored DryRun and did the work is `failed` with DRY_RUN_IGNORED and what it did in `ignoredDryRun`.
 */
export type WriteOutcome<T> =
  { kind: 'wouldSucceed' } | ({ kind: 'done' } & T) | { kind: 'failed'; error: FlowLogsError; ignoredDryRun?: T };
// ssoPortal
export interface SsoAccountsPageArgs {
  /** Accounts per page, 1..100. */
  pageSize: number;
  nextToken?: string;
}
export interface SsoAccountsPage {
  accounts: SsoAccount[];
  nextToken?: string;
}

// athenaCalls
export type AthenaOutcome<T> = ({ ok: true } & T) | { ok: false; error: AthenaError };

export interface AthenaStartArgs {
  sql: string;
  workGroup: string;
  /** The database the SQL's unqualified names are in. */
  database?: string;
  /** s3://... when the workgroup has none (or does not enforce its own). */
  outputLocation?: string;
  /** Idempotency token (32..128 characters): a retried start runs the query once. */
  clientRequestToken?: string;
}
export interface AthenaQueryIdArgs {
  queryExecutionId: string;
}
export interface AthenaResultsArgs {
  queryExecutionId: string;
  /** 1..1000 rows per page. */
  maxResults: number;
  nextToken?: string;
}
export interface AthenaExecution {
  queryExecutionId: string;
  /** QUEUED | RUNNING | SUCCEEDED | FAILED | CANCELLED */
  state: string;
  /** A FAILED query's reason, classified (the table missing, a syntax error, access denied...). */
  error?: AthenaError;
  dataScannedBytes?: number;
  engineExecutionMs?: number;
  totalExecutionMs?: number;
  queryQueueMs?: number;
  outputLocation?: string;
  submitted?: number;
  completed?: number;
}
export interface AthenaResultsPage {
  /** Column names and types (the first page only, as ResultSetMetadata). */
  columns: { name: string; type: string }[];
  /** Rows as text (null: no value); a SELECT's header row is removed from the first page. */
  rows: (string | null)[][];
  nextToken?: string;
}
export interface AthenaWorkGroup {
  name: string;
  state?: string;
  outputLocation?: string;
  /** The workgroup's settings override the client's (output location included). */
  enforced?: boolean;
  bytesScannedCutoffPerQuery?: number;
  engineVersion?: string;
}
export interface AthenaTableArgs {
  catalog: string;
  database: string;
  table: string;
}
export interface AthenaTableMetadata {
  name: string;
  columns: { name: string; type: string }[];
  partitionKeys: { name: string; type: string }[];
  parameters: Record<string, string>;
}

/** Pages of a finished records SELECT (the LogFormat's columns, in order) into a records store. */
export interface AthenaRecordsReadArgs {
  queryExecutionId: string;
  nextToken?: string;
  store: RecordStoreTarget;
  /** The flow log's LogFormat (the store's layout). */
  format: string;
  /** The LogFormat field of each answer column, in the SELECT's order. */
  fields: string[];
  /** The panel's filters: rows that do not match are not appended (those the SQL could not say). */
  filters: FieldFilter[];
  /** Records to append at most (the room under flowLogs.records.maxRecords). */
  maxRecords: number;
  /** GetQueryResults pages in this call (1..50, default 10). */
  maxPages?: number;
}
export interface AthenaRecordsRead {
  appended: StoreAppend;
  /** Rows Athena answered in this call, and those the worker's filter refused. */
  rows: number;
  filtered: number;
  /** More pages remain. */
  nextToken?: string;
}
