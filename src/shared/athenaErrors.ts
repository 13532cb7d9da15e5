// Athena errors as the panels show them: a kind, one line, the actions that fit, and for a syntax
// error the line and column. Classified in the AWS worker (src/aws/worker/athenaErrors.ts), from
// an SDK error or from a failed query's StateChangeReason, and sent as a value.
// Pure: never imports vscode.

export type AthenaErrorKind =
  | 'noOutputLocation'
  | 'denied'
  | 'tableMissing'
  | 'syntax'
  | 'workgroupLimit'
  | 'throttled'
  | 'invalidInput'
  | 'queryFailed'
  | 'expired'
  | 'sso'
  | 'credentials'
  | 'network'
  | 'timeout'
  | 'server'
  | 'aborted'
  | 'config'
  | 'unknown';

/** What the panel offers: run again, open the Athena settings, create the table, edit the SQL. */
export type AthenaErrorAction = 'retry' | 'openSettings' | 'createTable' | 'editQuery' | 'signIn';

export interface AthenaError {
  kind: AthenaErrorKind;
  code?: string;
  message: string;
  detail?: string;
  actions: AthenaErrorAction[];
  /** A syntax error's place in the SQL (1-based). */
  position?: { line: number; column: number };
}
