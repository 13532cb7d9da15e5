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

export type RecordsErrorAction = 'retry' | 'signIn' | 'openConfig' | 'editFilters' | 'showDelivery';

export interface RecordsError {
  kind: RecordsErrorKind;
  code?: string;
  message: string;
  detail?: string;
  actions: RecordsErrorAction[];
}
