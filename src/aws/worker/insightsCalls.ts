// The Logs Insights calls, as the AWS workers run them (operations startQuery, getQueryResults,
// stopQuery in src/aws/worker/awsOperations.ts). Errors come back classified, as values.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadSdk } from './sdk';
import { classifyInsightsError, type InsightsErrorContext } from './insightsErrors';
import type { StartQueryArgs, QueryIdArgs, StartQueryResult, GetQueryResultsResult, StopQueryResult } from '../../shared/awsWorkerProtocol';

type Ctx = Omit<InsightsErrorContext, 'operation'>;

export async function startQuery(
  client: CloudWatchLogsClient,
  args: StartQueryArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<StartQueryResult> {
  try {
    const out = await client.send(
      new (loadSdk().StartQueryCommand)({
        logGroupNames: args.logGroupNames,
        queryString: args.queryString,
        startTime: args.startTime,
        endTime: args.endTime,
        limit: args.limit,
      }),
      { abortSignal: signal },
    );
    if (!out.queryId) return { ok: false, error: { kind: 'server', message: 'StartQuery answered without a query ID' } };
    return { ok: true, queryId: out.queryId };
  } catch (err) {
    return { ok: false, error: classifyInsightsError(err, { ...ctx, operation: 'logs:StartQuery' }) };
  }
}

export async function getQueryResults(
  client: CloudWatchLogsClient,
  args: QueryIdArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<GetQueryResultsResult> {
  try {
    const out = await client.send(new (loadSdk().GetQueryResultsCommand)({ queryId: args.queryId }), { abortSignal: signal });
    const results = (out.results ?? []).map((row) => (row ?? []).map((f) => ({ field: f.field, value: f.value })));
    const s = out.statistics ?? {};
    return {
      ok: true,
      status: out.status ?? 'Unknown',
      results,
      statistics: { recordsMatched: s.recordsMatched, recordsScanned: s.recordsScanned, bytesScanned: s.bytesScanned },
    };
  } catch (err) {
    return { ok: false, error: classifyInsightsError(err, { ...ctx, operation: 'logs:GetQueryResults' }) };
  }
}

export async function stopQuery(client: CloudWatchLogsClient, args: QueryIdArgs, ctx: Ctx, signal?: AbortSignal): Promise<StopQueryResult> {
  try {
    const out = await client.send(new (loadSdk().StopQueryCommand)({ queryId: args.queryId }), { abortSignal: signal });
    return { ok: true, success: out.success === true };
  } catch (err) {
    return { ok: false, error: classifyInsightsError(err, { ...ctx, operation: 'logs:StopQuery' }) };
  }
}
