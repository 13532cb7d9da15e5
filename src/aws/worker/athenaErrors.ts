// Athena errors (AthenaError, src/shared/athenaErrors.ts): classified here, in the AWS worker, from the
// SDK error (a failed call) or from a failed query's state reason (GetQueryExecution), and sent as
// values with the actions that fit.
import { classifyError } from './classifyError';
import type { AthenaError, AthenaErrorAction, AthenaErrorKind } from '../../shared/athenaErrors';
import { oneLine } from '../../shared/text';
import { redactSecrets } from '../../shared/redact';

export interface AthenaErrorContext {
  profile?: string;
  region?: string;
  ssoProfile?: boolean;
  /** The IAM action of the call (athena:StartQueryExecution...). */
  action: string;
  /** What the call was about: a workgroup, a table, a query. */
  resource?: string;
}

const ACTIONS: Partial<Record<AthenaErrorKind, AthenaErrorAction[]>> = {
  noOutputLocation: ['openSettings'],
  denied: ['retry'],
  tableMissing: ['createTable'],
  syntax: ['editQuery'],
  workgroupLimit: ['openSettings'],
  throttled: ['retry'],
  invalidInput: ['editQuery'],
  queryFailed: ['retry', 'editQuery'],
  expired: ['signIn', 'retry'],
  sso: ['signIn', 'retry'],
  credentials: ['retry'],
  network: ['retry'],
  timeout: ['retry'],
  server: ['retry'],
  unknown: ['retry'],
};

function make(kind: AthenaErrorKind, message: string, extra: Partial<AthenaError> = {}): AthenaError {
  return { kind, message: oneLine(message, 400), actions: ACTIONS[kind] ?? [], ...extra };
}

/** A reason text (a failed query's StateChangeReason, an error message) read for what went wrong. */
export function classifyAthenaReason(reason: string, ctx: AthenaErrorContext, code?: string): AthenaError | undefined {
  const raw = redactSecrets(reason);
  const text = raw.toLowerCase();
  const detail = oneLine(raw, 1000);
  if (text.includes('no output location provided') || text.includes('output location')) {
    return make(
      'noOutputLocation',
      `Athena has no place for the query results: the workgroup${ctx.resource ? ` "${ctx.resource}"` : ''} has no output location; set flowLogs.athena.outputLocation (an s3:// folder) or give the workgroup one`,
      { code, detail },
    );
  }
  const position = /line (\d{1,6}):(\d{1,6})/.exec(raw);
  if (text.includes('table_not_found') || (text.includes('table') && text.includes('does not exist')) || text.includes('table not found')) {
    return make('tableMissing', `The table${ctx.resource ? ` ${ctx.resource}` : ''} does not exist: create it with Analyze with Athena…`, {
      code,
      detail,
    });
  }
  if (
    text.includes('syntax_error') ||
    text.includes('mismatched input') ||
    text.includes('extraneous input') ||
    text.includes('cannot be resolved') ||
    (code === 'InvalidRequestException' && position)
  ) {
    return make('syntax', `Athena could not read the query${position ? ` (line ${position[1]}, column ${position[2]})` : ''}: ${detail}`, {
      code,
      detail,
      ...(position ? { position: { line: Number(position[1]), column: Number(position[2]) } } : {}),
    });
  }
  if (
    text.includes('bytes scanned limit') ||
    text.includes('query exhausted resources') ||
    text.includes('exceeded the limit') ||
    text.includes('query timeout') ||
    text.includes('workgroup is disabled') ||
    text.includes('is not enabled')
  ) {
    return make('workgroupLimit', `The workgroup${ctx.resource ? ` "${ctx.resource}"` : ''} stopped the query: ${detail}`, {
      code,
      detail,
    });
  }
  if (text.includes('access denied') || text.includes('not authorized') || text.includes('accessdenied')) {
    return make(
      'denied',
      `Access denied for ${ctx.action}${ctx.resource ? ` on ${ctx.resource}` : ''}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: ${detail}`,
      { code, detail },
    );
  }
  return undefined;
}

export function classifyAthenaError(err: unknown, ctx: AthenaErrorContext): AthenaError {
  const base = classifyError(err, { profile: ctx.profile, region: ctx.region, ssoProfile: ctx.ssoProfile });
  const code = base.code;
  const raw = base.detail ?? base.message ?? '';
  if (base.kind === 'aborted') return make('aborted', 'Cancelled', { code });
  if (code === 'TooManyRequestsException' || base.kind === 'throttled') {
    return make(
      'throttled',
      `Athena is refusing requests for now (${code ?? 'throttled'}): too many queries or calls at once; wait and run again`,
      {
        code,
        detail: raw,
      },
    );
  }
  if (code === 'AccessDeniedException' || base.kind === 'denied') {
    return make(
      'denied',
      `Access denied for ${ctx.action}${ctx.resource ? ` on ${ctx.resource}` : ''}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}: ask for an IAM policy that allows it`,
      { code, detail: raw },
    );
  }
  if (code === 'InvalidRequestException' || code === 'MetadataException' || code === 'ResourceNotFoundException') {
    const known = classifyAthenaReason(raw, ctx, code);
    if (known) return known;
    return make('invalidInput', `Athena rejected the request: ${raw}`, { code, detail: raw });
  }
  const kind =
    (['expired', 'sso', 'credentials', 'network', 'timeout', 'server', 'config'] as const).find((k) => k === base.kind) ?? 'unknown';
  return make(kind, base.message, { code, detail: base.detail });
}
