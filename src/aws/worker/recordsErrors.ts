// CloudWatch Logs (FilterLogEvents) and S3 (ListObjectsV2, GetObject) errors as the records panel
// shows them (RecordsError, src/shared/recordsErrors.ts), naming the permission and the log group, bucket
// or object. Classified here, in the AWS worker, where the SDK error is whole, and sent as values.
import { classifyError } from './classifyError';
import type { RecordsError, RecordsErrorAction, RecordsErrorKind } from '../../shared/recordsErrors';

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
  if (
    code === 'InvalidNextToken' ||
    code === 'InvalidPaginationToken' ||
    (code === 'InvalidParameterException' && /next ?token|pagination token/i.test(raw))
  ) {
    // An expired or invalid nextToken cannot be sent again (restartsRange): Retry reads the range anew.
    return {
      ...out(
        'unknown',
        'CloudWatch Logs rejected the saved page token (it expires, e.g. when a panel stays open for hours): Retry loads the range again from its start',
        ['retry'],
      ),
      restartsRange: true,
    };
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

export interface S3ErrorContext {
  profile?: string;
  region?: string;
  bucket: string;
  key?: string;
  action: 's3:ListBucket' | 's3:GetObject';
  ssoProfile?: boolean;
}

export function classifyS3Error(err: unknown, ctx: S3ErrorContext): RecordsError {
  const base = classifyError(err, { profile: ctx.profile, region: ctx.region, ssoProfile: ctx.ssoProfile });
  const code = base.code;
  const raw = base.detail ?? '';
  const what = ctx.key ? `s3://${ctx.bucket}/${ctx.key}` : `bucket ${ctx.bucket}`;
  const out = (kind: RecordsErrorKind, message: string, actions: RecordsErrorAction[]): RecordsError => ({
    kind,
    code,
    message,
    detail: raw,
    actions,
  });
  if (code === 'NoSuchBucket') {
    return out('notFound', `The bucket ${ctx.bucket} does not exist: the flow log's destination was deleted or renamed`, [
      'showDelivery',
      'retry',
    ]);
  }
  if (code === 'NoSuchKey' || code === 'NotFound') {
    return out('notFound', `The object ${what} is gone (deleted since it was listed, e.g. by a lifecycle rule); Retry lists again`, [
      'retry',
    ]);
  }
  if (code === 'InvalidObjectState') {
    return out('unknown', `${what} is in an archive storage class (Glacier / Deep Archive): restore it to read it`, ['retry']);
  }
  if (/kms:|KMS|Decrypt/.test(raw) && (code === 'AccessDenied' || code?.startsWith('KMS') || base.kind === 'denied')) {
    return out('kms', `${what} is encrypted with a KMS key this identity cannot use (kms:Decrypt)`, ['retry']);
  }
  if (code === 'AccessDenied' || code === 'Forbidden' || base.kind === 'denied' || (base.httpStatus === 403 && !code)) {
    return out(
      'denied',
      `Not authorized for ${ctx.action} on ${what}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: the bucket may be in another account, or a bucket or IAM policy denies it`,
      ['retry'],
    );
  }
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || base.httpStatus === 301) {
    return out(
      'config',
      `The bucket ${ctx.bucket} is in another region than ${ctx.region ?? "the profile's"} and the redirect could not be followed`,
      ['retry'],
    );
  }
  if (code === 'SlowDown' || base.kind === 'throttled') {
    return out('throttled', `S3 is throttling requests to ${ctx.bucket} (SlowDown) and the retries ran out`, ['retry']);
  }
  if (code === 'InvalidAccessKeyId') {
    return out(
      'credentials',
      `Invalid credentials${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: AWS did not recognise the access key`,
      ['openConfig', 'retry'],
    );
  }
  return { kind: base.kind as RecordsErrorKind, code, message: base.message, detail: raw, actions: base.actions as RecordsErrorAction[] };
}
