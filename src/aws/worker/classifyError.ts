// Turns whatever the SDK throws into a small set of kinds the UI can act on (FlowLogsError,
// ../errors.ts). Runs only in the AWS worker (and InProcessAws in tests), where the SDK error is
// whole: the main thread cannot import this file (rule main-thread-not-worker), so it cannot
// classify an SDK error a second time. The value that leaves here is already redacted.
import { INVALID_CREDENTIALS, oneLine, PERMISSION, safeString, withoutCommandLine, type FlowLogsError } from '../../shared/errors';
import { redactSecrets } from '../../shared/redact';

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

/** Plain substring tests: no regular expression with open quantifiers runs over server or user text. */
function mentionsCredentialLoading(raw: string): boolean {
  const t = raw.toLowerCase();
  if (t.includes('could not load credentials') || t.includes('credential_process') || t.includes('credential program')) return true;
  const p = t.indexOf('profile ');
  return p >= 0 && (t.includes(' not found', p) || t.includes(' could not', p));
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
