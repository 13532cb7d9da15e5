// Logs Insights errors as the analysis panel shows them: a kind, one line, and for a malformed
// query the server's message and the position. Classified in the AWS worker
// (src/aws/worker/insightsErrors.ts) and sent as a value. Pure: never imports vscode.

export type InsightsErrorKind =
  | 'malformed'
  | 'limitExceeded'
  | 'denied'
  | 'notFound'
  | 'invalidInput'
  | 'throttled'
  | 'expired'
  | 'sso'
  | 'credentials'
  | 'network'
  | 'timeout'
  | 'server'
  | 'aborted'
  | 'config'
  | 'unknown';

export interface InsightsError {
  kind: InsightsErrorKind;
  code?: string;
  message: string;
  detail?: string;
  /** MalformedQueryException: where in the query the server found the problem. */
  position?: { start: number; end: number };
}
