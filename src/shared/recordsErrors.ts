// CloudWatch Logs and S3 errors as the records panel shows them: a kind, one line, and actions.
// Classified in the AWS worker (src/aws/worker/recordsErrors.ts) and sent as a value. Pure.

export type RecordsErrorKind =
  | 'notFound'
  | 'denied'
  | 'kms'
  | 'throttled'
  | 'expired'
  | 'sso'
  | 'credentials'
  | 'network'
  | 'timeout'
  | 'invalidPattern'
  | 'server'
  | 'aborted'
  | 'config'
  | 'unknown';

export type RecordsErrorAction = 'retry' | 'signIn' | 'openConfig' | 'editFilters' | 'showDelivery' | 'athenaSettings';

export interface RecordsError {
  kind: RecordsErrorKind;
  code?: string;
  message: string;
  detail?: string;
  actions: RecordsErrorAction[];
  /** The saved position (a page token) was rejected: Retry starts the range over (restartsRange). */
  restartsRange?: boolean;
}

/**
 * A page token the service rejected (CloudWatch Logs' nextToken expired or invalid) cannot be sent
 * again: Retry starts the range over and drops what was loaded (RecordLoader), as the tree does
 * for a listing (restartsListing in aws/flowLogPager.ts). Any other error resumes where it stopped.
 */
export function restartsRange(error: RecordsError): boolean {
  return error.restartsRange === true;
}
