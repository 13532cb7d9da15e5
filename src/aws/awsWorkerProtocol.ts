// Messages between the extension host's main thread and the AWS workers (awsWorker.ts).
import type { ClientSettings } from './clients';
import type { PageAnswer } from './describeFlowLogs';
import type { AwsProfile } from './profiles';
import type { FlowLogQuery } from './types';
import type { NetworkPageArgs } from './describeNetwork';
import type { NetworkInterface, PageOrError, Subnet, Vpc } from './networkTypes';
import type { FilterLogEventsArgs, FilterLogEventsResult } from './filterLogEvents';
import { redactSecrets } from './redact';
import { withoutCommandLine } from './errors';
import type { S3ListArgs, S3ListResult, S3ReadArgs, S3ReadResult } from './s3Records';
import type { GetQueryResultsResult, QueryIdArgs, StartQueryArgs, StartQueryResult, StopQueryResult } from '../aws/insightsCalls';

/** The AWS calls a worker makes, with what each returns. */
export interface Operations {
  describePage: { args: { query: FlowLogQuery; pageSize: number; nextToken?: string }; result: PageAnswer };
  callerIdentity: { args: Record<string, never>; result: { account?: string } };
  /** DescribeFlowLogs with DryRun: resolves only if the endpoint ignored DryRun. */
  dryRun: { args: Record<string, never>; result: Record<string, never> };
  /** DescribeRegions with AllRegions: each region of the partition and its opt-in status. */
  describeRegions: { args: Record<string, never>; result: RegionStatus[] };
  /** The Coverage check's pages; errors come back classified, as values. */
  describeVpcsPage: { args: NetworkPageArgs; result: PageOrError<Vpc> };
  describeSubnetsPage: { args: NetworkPageArgs; result: PageOrError<Subnet> };
  describeNetworkInterfacesPage: { args: NetworkPageArgs & { eniIds: string[] }; result: PageOrError<NetworkInterface> };
  /** CloudWatch Logs FilterLogEvents, parsed into flow log records (errors as a value). */
  filterLogEvents: { args: FilterLogEventsArgs; result: FilterLogEventsResult };
  /** S3 ListObjectsV2 of one planned folder of a flow log (errors as a value). */
  s3List: { args: S3ListArgs; result: S3ListResult };
  /** S3 GetObject of a few flow log files, parsed and filtered into records (errors as a value). */
  s3Read: { args: S3ReadArgs; result: S3ReadResult };
  /** CloudWatch Logs Insights (errors as a value). */
  startQuery: { args: StartQueryArgs; result: StartQueryResult };
  getQueryResults: { args: QueryIdArgs; result: GetQueryResultsResult };
  stopQuery: { args: QueryIdArgs; result: StopQueryResult };
}

/** The operations of the Coverage check (RemoteAws.network). */
export type NetworkOperation = 'describeVpcsPage' | 'describeSubnetsPage' | 'describeNetworkInterfacesPage';

export interface RegionStatus {
  name: string;
  /** 'opt-in-not-required' | 'opted-in' | 'not-opted-in' */
  optInStatus?: string;
}
export type Operation = keyof Operations;

export type ToWorker =
  | { type: 'call'; id: number; op: Operation; profile: AwsProfile; region: string; args: unknown; settings: ClientSettings }
  | { type: 'abort'; id: number }
  | { type: 'invalidate'; profileName?: string }
  | { type: 'mfa'; id: number; code?: string; error?: string }
  /** The main thread has taken a call's last part (and yielded): send the next (resultParts.ts). */
  | { type: 'more'; id: number };

export type ToMain =
  | { type: 'result'; id: number; value: unknown }
  /** One part of a large result, before its 'result' (resultParts.ts); the next waits for 'more'. */
  | { type: 'partial'; id: number; part: unknown }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'mfa'; id: number; serial: string; profile: string };

/** What classifyError reads of an error, as plain data (errors do not cross threads intact). */
export interface SerializedError {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  httpStatusCode?: number;
  attempts?: number;
  causeCode?: string;
}

export function serializeError(err: unknown): SerializedError {
  const e = (err ?? {}) as Record<string, unknown> & {
    $metadata?: { httpStatusCode?: number; attempts?: number };
    cause?: { code?: unknown };
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let message: string | undefined;
  try {
    message = str(e.message) ?? String(err);
  } catch {
    message = 'Unknown error';
  }
  // Redacted before it leaves the worker: a credential program's command line and output, or a
  // server's echo of the session token, never reach the extension host's thread.
  message = redactSecrets(withoutCommandLine(message));
  return {
    name: str(e.name),
    message,
    Code: str(e.Code),
    code: str(e.code),
    httpStatusCode: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
    attempts: typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined,
    causeCode: str(e.cause?.code),
  };
}

export function deserializeError(s: SerializedError): Error {
  const err = new Error(s.message ?? 'Unknown error') as Error & Record<string, unknown>;
  if (s.name) err.name = s.name;
  if (s.Code) err.Code = s.Code;
  if (s.code) err.code = s.code;
  if (s.httpStatusCode !== undefined || s.attempts !== undefined)
    err.$metadata = { httpStatusCode: s.httpStatusCode, attempts: s.attempts };
  if (s.causeCode) err.cause = { code: s.causeCode };
  return err;
}
