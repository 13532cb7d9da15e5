// Logs Insights errors (InsightsError, src/shared/insightsErrors.ts): classified here, in the AWS
// worker, where the SDK error is whole (its queryCompileError included), and sent as values.
import { classifyError } from './classifyError';
import type { InsightsError, InsightsErrorKind } from '../../shared/insightsErrors';
import { oneLine } from '../../shared/text';

export interface InsightsErrorContext {
  profile?: string;
  region?: string;
  ssoProfile?: boolean;
  /** The operation, for the access-denied message (logs:StartQuery, logs:GetQueryResults...). */
  operation?: string;
}

export function classifyInsightsError(err: unknown, ctx: InsightsErrorContext = {}): InsightsError {
  const base = classifyError(err, { profile: ctx.profile, region: ctx.region, ssoProfile: ctx.ssoProfile });
  const code = base.code;
  const raw = base.detail ?? '';
  const where = `${ctx.profile ? `profile "${ctx.profile}", ` : ''}${ctx.region ?? ''}`.replace(/, $/, '');
  const out = (kind: InsightsErrorKind, message: string, extra: Partial<InsightsError> = {}): InsightsError => ({
    kind,
    code,
    message,
    detail: raw,
    ...extra,
  });
  if (code === 'MalformedQueryException') {
    const compile = (
      err as { queryCompileError?: { message?: unknown; location?: { startCharOffset?: unknown; endCharOffset?: unknown } } }
    )?.queryCompileError;
    const start = compile?.location?.startCharOffset;
    const end = compile?.location?.endCharOffset;
    const position = typeof start === 'number' && typeof end === 'number' && start >= 0 && end >= start ? { start, end } : undefined;
    const message = typeof compile?.message === 'string' && compile.message ? compile.message : raw;
    return out(
      'malformed',
      `Logs Insights could not read the query: ${oneLine(message)}${position ? ` (at character ${position.start + 1})` : ''}`,
      { position },
    );
  }
  if (code === 'LimitExceededException') {
    return out(
      'limitExceeded',
      `Too many Logs Insights queries are running in ${where || 'this account'} (LimitExceededException): wait for some to finish, then run again`,
    );
  }
  if (code === 'InvalidSignatureException')
    return out('credentials', `Invalid credentials${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: the secret access key is wrong`);
  if (base.kind === 'denied') {
    return out(
      'denied',
      `Not authorized for ${ctx.operation ?? 'logs:StartQuery'}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: ask for an IAM policy that allows logs:StartQuery, logs:GetQueryResults and logs:StopQuery`,
    );
  }
  if (code === 'ResourceNotFoundException') return out('notFound', `A log group or the query was not found: ${oneLine(raw)}`);
  if (code === 'InvalidParameterException') return out('invalidInput', `CloudWatch Logs rejected the request: ${oneLine(raw)}`);
  if (base.kind === 'throttled')
    return out('throttled', 'CloudWatch Logs is throttling requests (ThrottlingException) and the retries ran out');
  return out(base.kind as InsightsErrorKind, base.message);
}
