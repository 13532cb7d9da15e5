// The errors the UI can act on: a small set of kinds, each with a message and actions. The SDK's
// errors are turned into these ONCE, in the AWS worker (worker/classifyError.ts), and travel as
// values from there: the tree shows them as nodes with an action, never as a crash. This file holds
// the type and the pure helpers both threads use; the main thread unwraps (errorOf), never classifies.
import { redactSecrets } from './redact';
import { oneLine } from './text';
export type ErrorKind =
  | 'credentials' // missing or invalid credentials
  | 'expired' // expired session token or SSO token
  | 'sso' // SSO login needed
  | 'denied' // UnauthorizedOperation
  | 'throttled' // throttling that outlasted the retries
  | 'network' // connection refused, reset, DNS...
  | 'timeout' // the request took longer than the timeout setting
  | 'invalidInput' // InvalidParameterValue and friends: usually a filter
  | 'regionDisabled' // opt-in region not enabled for the account
  | 'config' // the profile itself is unusable
  | 'aborted' // cancelled by the user (collapse, refresh)
  | 'server' // 5xx
  | 'unknown';

export type ErrorAction = 'retry' | 'signIn' | 'openConfig' | 'editFilters';

export interface FlowLogsError {
  kind: ErrorKind;
  /** The AWS error code or Node error code, when there is one. */
  code?: string;
  /** One line for a tree node. */
  message: string;
  /** More detail for the tooltip and the output channel. */
  detail?: string;
  actions: ErrorAction[];
  httpStatus?: number;
  /** Attempts the SDK made before giving up, when known (for the output channel). */
  attempts?: number;
}

export const PERMISSION = 'ec2:DescribeFlowLogs';
export const INVALID_CREDENTIALS = 'Invalid credentials';
/** The answer of a server that ignores DryRun (it answers normally): not a proof of permission. */
export const DRY_RUN_IGNORED = 'The endpoint ignored DryRun (no DryRunOperation answer)';

/** One line of at most `max` characters (whitespace folded): text.ts's helper, re-exported for the classifiers. */
export { oneLine };

/**
 * Node's exec failure reads `Command failed: <command line>\n<stderr>`: from a credential program,
 * both may hold secrets (a token on the command line, a key in its error output). Neither is shown.
 */
export function withoutCommandLine(message: string): string {
  const at = message.indexOf('Command failed:');
  if (at < 0) return message;
  return `${message.slice(0, at)}the credential program (credential_process) failed; run it in a terminal to see why`;
}

/** String(x) throws for objects without a prototype or with a throwing toString. */
export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return 'Unknown error';
  }
}

/**
 * Error kinds about the profile itself (its credentials or its definition), not about a region:
 * every region of the profile would fail the same way, so the profile shows one error instead.
 */
const PROFILE_ERROR_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['credentials', 'expired', 'sso', 'config']);

export function isProfileError(error: Pick<FlowLogsError, 'kind'>): boolean {
  return PROFILE_ERROR_KINDS.has(error.kind);
}

/**
 * The word a profile or region shows after Check Permissions. Only a real denial reads "denied":
 * a wrong secret is a credentials error, and says so (the same story as the tree and Search).
 */
export function permissionWord(result: { allowed: true } | { allowed: false; error: FlowLogsError }): string {
  if (result.allowed) return 'allowed';
  switch (result.error.kind) {
    case 'denied':
      return 'denied';
    case 'credentials':
      return 'invalid credentials';
    case 'expired':
      return 'credentials expired';
    case 'sso':
      return 'SSO sign-in needed';
    default:
      return 'check failed';
  }
}

/**
 * How a failed AWS call reaches the main thread: a rejection that CARRIES the FlowLogsError the
 * worker classified (where the SDK error was whole). The main thread unwraps it (errorOf) and never
 * classifies again.
 */
export class AwsCallError extends Error {
  constructor(readonly error: FlowLogsError) {
    super(error.message);
    // The AWS error keeps its name across the thread (RequestLimitExceeded, UnauthorizedOperation...).
    this.name = error.kind === 'aborted' ? 'AbortError' : (error.code ?? 'AwsCallError');
  }
}

/** A call cancelled by the caller (collapse, Refresh, Cancel). */
export function cancelledError(): FlowLogsError {
  return { kind: 'aborted', code: 'AbortError', message: 'Cancelled', detail: 'Cancelled', actions: ['retry'] };
}

/** The calls of an AWS worker that stopped or failed (the next call starts a new one). */
export function workerStoppedError(why: string): FlowLogsError {
  return { kind: 'unknown', code: 'WorkerError', message: `WorkerError: ${why}`, detail: why, actions: ['retry'] };
}

/** A call for a profile the workers were not told about (configure): the config files changed, or a bug. */
export function unknownProfileError(profile: string): FlowLogsError {
  return {
    kind: 'config',
    code: 'UnknownProfile',
    message: `Profile "${profile}" is not in the AWS config files as last read: Refresh, or check the files`,
    actions: ['openConfig', 'retry'],
  };
}

/**
 * The FlowLogsError of a rejection on the main thread: the classified value an AwsCallError carries,
 * an abort, or (for an error of the main thread itself, never an SDK error) its message as it is.
 */
export function errorOf(err: unknown): FlowLogsError {
  if (err instanceof AwsCallError) return err.error;
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return cancelledError();
  const raw = redactSecrets(withoutCommandLine(oneLine(typeof e.message === 'string' ? e.message : safeString(err))));
  return { kind: 'unknown', message: raw || 'Unknown error', detail: raw, actions: ['retry'] };
}
