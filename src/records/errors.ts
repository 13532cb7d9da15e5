// CloudWatch Logs errors as the records panel shows them: a kind, one line, and actions.
// Classified in the AWS worker (operation filterLogEvents) and sent as a value. Pure.
import { classifyError } from '../aws/errors';

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

export interface RecordsErrorContext {
  profile?: string;
  region?: string;
  logGroupArn?: string;
  ssoProfile?: boolean;
}

export function classifyLogsError(err: unknown, ctx: RecordsErrorContext = {}): RecordsError {
  const base = classifyError(err, { profile: ctx.profile, region: ctx.region, ssoProfile: ctx.ssoProfile });
  const code = base.code;
  const raw = base.detail ?? '';
  const group = ctx.logGroupArn ?? 'the log group';
  const out = (kind: RecordsErrorKind, message: string, actions: RecordsErrorAction[]): RecordsError => ({
    kind,
    code,
    message,
    detail: raw,
    actions,
  });
  if (code === 'InvalidSignatureException') {
    return out('credentials', `Invalid credentials${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: the secret access key is wrong`, [
      'openConfig',
      'retry',
    ]);
  }
  if (code === 'ResourceNotFoundException') {
    return out('notFound', `The log group does not exist (${group}): the flow log may not have delivered yet, or its delivery failed`, [
      'showDelivery',
      'retry',
    ]);
  }
  if (
    /\bKMS\b|kms:|KMSKey|Decrypt/i.test(raw) &&
    (code === 'AccessDeniedException' ||
      code === 'InvalidParameterException' ||
      code === 'KMSInvalidStateException' ||
      base.kind === 'denied')
  ) {
    return out('kms', `The log group is encrypted with a KMS key this identity cannot use (kms:Decrypt) on ${group}`, ['retry']);
  }
  if (base.kind === 'denied') {
    return out(
      'denied',
      `Not authorized for logs:FilterLogEvents on ${group}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: ask for an IAM policy that allows it`,
      ['retry'],
    );
  }
  if (code === 'InvalidParameterException' && /pattern/i.test(raw)) {
    return out('invalidPattern', `CloudWatch Logs rejected the filter pattern: ${raw}`, ['editFilters']);
  }
  if (base.kind === 'throttled')
    return out('throttled', 'CloudWatch Logs is throttling requests (ThrottlingException) and the retries ran out', ['retry']);
  if (base.kind === 'invalidInput') return out('unknown', base.message, ['editFilters', 'retry']);
  if (base.kind === 'regionDisabled') return out('config', base.message, ['retry']);
  return { kind: base.kind as RecordsErrorKind, code, message: base.message, detail: raw, actions: base.actions as RecordsErrorAction[] };
}
