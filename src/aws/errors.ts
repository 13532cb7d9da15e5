// Turns whatever the SDK throws into a small set of kinds the UI can act on. Errors travel as
// values from here on: the tree shows them as nodes with an action, never as a crash.
import { redactSecrets } from './redact';
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

const CREDENTIAL_CODES = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const THROTTLE_CODES = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown']);
const INPUT_CODES = new Set([
  'InvalidParameterValue',
  'InvalidParameter',
  'InvalidParameterCombination',
  'InvalidFilter',
  'InvalidNextToken',
  'InvalidPaginationToken',
  'ValidationError',
  'MissingParameter',
  'InvalidFlowLogId.NotFound',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

interface ErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Plain substring tests: no regular expression with open quantifiers runs over server or user text. */
function mentionsCredentialLoading(raw: string): boolean {
  const t = raw.toLowerCase();
  if (t.includes('could not load credentials') || t.includes('credential_process') || t.includes('credential program')) return true;
  const p = t.indexOf('profile ');
  return p >= 0 && (t.includes(' not found', p) || t.includes(' could not', p));
}

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
function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return 'Unknown error';
  }
}

/** Classifies an error thrown by the SDK or by credential resolution. */
export function classifyError(
  err: unknown,
  ctx: { profile?: string; region?: string; ssoProfile?: boolean; regionOptIn?: boolean; permission?: string } = {},
): FlowLogsError {
  const e = (err ?? {}) as ErrorLike;
  const anyCode = e.Code || (e.name && e.name !== 'Error' ? e.name : undefined) || e.code;
  const code = typeof anyCode === 'string' ? anyCode : undefined; // `.startsWith` below needs a string
  const nodeCode = typeof e.code === 'string' ? e.code : (e.cause as ErrorLike | undefined)?.code;
  // Redacted here, once: every FlowLogsError (tree, tooltip, notification, webview, log) is built from it.
  const raw = redactSecrets(withoutCommandLine(oneLine(typeof e.message === 'string' ? e.message : safeString(err))));
  const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const profile = ctx.profile ? ` for profile "${ctx.profile}"` : '';
  const base = { code, httpStatus, detail: raw };

  if (code === 'AbortError' || nodeCode === 'ABORT_ERR' || e.name === 'AbortError') {
    return { ...base, kind: 'aborted', message: 'Cancelled', actions: ['retry'] };
  }
  if (code === 'EndpointConfigError') {
    // Thrown by ClientCache for an unusable endpoint URL: fixing the config is the way out.
    return { ...base, kind: 'config', message: `Endpoint misconfigured${profile}: ${raw}`, actions: ['openConfig', 'retry'] };
  }
  const ssoFailure = e.name === 'CredentialsProviderError' && /\bsso\b/i.test(raw);
  if (ssoFailure || (ctx.ssoProfile && e.name === 'CredentialsProviderError')) {
    return {
      ...base,
      kind: 'sso',
      message: `SSO session missing or expired: run aws sso login --profile ${ctx.profile ?? 'NAME'}`,
      actions: ['signIn', 'retry'],
    };
  }
  // Before the timeout test: a credential provider that timed out is a credentials problem of the
  // profile (one error node), not a slow EC2 request (an error under every region).
  if (e.name === 'CredentialsProviderError') {
    return { ...base, kind: 'credentials', message: `Credentials could not be loaded${profile}: ${raw}`, actions: ['openConfig', 'retry'] };
  }
  if (code === 'TimeoutError' || nodeCode === 'ETIMEDOUT' || (/timed? ?out/i.test(raw) && !code?.startsWith('Invalid'))) {
    return { ...base, kind: 'timeout', message: 'The request timed out (setting flowLogs.requestTimeoutSeconds)', actions: ['retry'] };
  }
  if ((code === 'AccessDenied' || code === 'AccessDeniedException') && /AssumeRole/i.test(raw)) {
    return {
      ...base,
      kind: 'credentials',
      message: `The role of profile "${ctx.profile ?? ''}" cannot be assumed (sts:AssumeRole denied)`.replace(' "" ', ' '),
      actions: ['openConfig', 'retry'],
    };
  }
  if (code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException') {
    // The permission first: tree labels are cut at the end.
    return {
      ...base,
      kind: 'denied',
      message: `Not authorized for ${ctx.permission ?? PERMISSION}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: ask for an IAM policy that allows it`,
      actions: ['retry'],
    };
  }
  if (code === 'OptInRequired' || code === 'InvalidRegion' || (code === 'UnsupportedOperation' && /region/i.test(raw))) {
    return {
      ...base,
      kind: 'regionDisabled',
      message: `Region ${ctx.region ?? ''} is not enabled for this account (opt-in region)`.replace('  ', ' '),
      actions: ['retry'],
    };
  }
  if (ctx.ssoProfile && EXPIRED_CODES.has(code ?? '')) {
    return {
      ...base,
      kind: 'sso',
      message: `SSO session missing or expired: run aws sso login --profile ${ctx.profile ?? 'NAME'}`,
      actions: ['signIn', 'retry'],
    };
  }
  if (code === 'AuthFailure' && ctx.regionOptIn) {
    // EC2 answers AuthFailure in an opt-in region the account has not enabled.
    return {
      ...base,
      kind: 'regionDisabled',
      message: `AuthFailure in ${ctx.region}, an opt-in region: enable it for the account (or check the credentials)`,
      actions: ['retry', 'openConfig'],
    };
  }
  if (EXPIRED_CODES.has(code ?? '')) {
    return {
      ...base,
      kind: 'expired',
      message: `The credentials${profile} have expired; refresh them, then Retry`,
      actions: ['retry', 'openConfig'],
    };
  }
  if (CREDENTIAL_CODES.has(code ?? '')) {
    // One wording for every code: STS says SignatureDoesNotMatch where EC2 says AuthFailure for the
    // same wrong secret, and the tree, Check Permissions and Search must tell one story.
    return {
      ...base,
      kind: 'credentials',
      message: `${INVALID_CREDENTIALS}${profile}: AWS rejected the access key ID or the secret access key`,
      actions: ['openConfig', 'retry'],
    };
  }
  if (/credential/i.test(code ?? '') || mentionsCredentialLoading(raw)) {
    return { ...base, kind: 'credentials', message: `Credentials could not be loaded${profile}: ${raw}`, actions: ['openConfig', 'retry'] };
  }
  if (THROTTLE_CODES.has(code ?? '')) {
    return {
      ...base,
      kind: 'throttled',
      message: 'AWS is throttling requests (RequestLimitExceeded) and the retries ran out',
      actions: ['retry'],
    };
  }
  if (INPUT_CODES.has(code ?? '')) {
    return { ...base, kind: 'invalidInput', message: `AWS rejected the request: ${raw}`, actions: ['editFilters', 'retry'] };
  }
  if (
    NETWORK_CODES.has(nodeCode ?? '') ||
    NETWORK_CODES.has(code ?? '') ||
    /socket hang up|ECONNRESET|ECONNREFUSED|ENOTFOUND|network|aborted/i.test(raw)
  ) {
    return { ...base, kind: 'network', message: `Network error: ${raw}`, actions: ['retry'] };
  }
  if (
    (httpStatus ?? 0) >= 500 ||
    code === 'InternalError' ||
    code === 'InternalFailure' ||
    code === 'ServiceUnavailable' ||
    code === 'Unavailable'
  ) {
    return { ...base, kind: 'server', message: `AWS returned a server error (${code ?? httpStatus})`, actions: ['retry'] };
  }
  return { ...base, kind: 'unknown', message: code ? `${code}: ${raw}` : raw || 'Unknown error', actions: ['retry'] };
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
