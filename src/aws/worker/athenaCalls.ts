// The Athena calls, as the AWS workers run them (operations athena* in awsOperations.ts). Errors
// come back classified, as values (athenaErrors.ts); a failed query's reason is classified too.
import type { AthenaClient } from '@aws-sdk/client-athena';
import { loadSdk } from './sdk';
import { classifyAthenaError, classifyAthenaReason, type AthenaErrorContext } from './athenaErrors';
import type {
  AthenaExecution,
  AthenaOutcome,
  AthenaQueryIdArgs,
  AthenaResultsArgs,
  AthenaResultsPage,
  AthenaStartArgs,
  AthenaTableArgs,
  AthenaTableMetadata,
  AthenaWorkGroup,
} from '../../shared/awsWorkerProtocol';
import { oneLine } from '../../shared/text';

type Ctx = Omit<AthenaErrorContext, 'action' | 'resource'>;

const QUERY_ID = /^[0-9a-zA-Z-]{1,128}$/;

function badId(id: unknown): AthenaOutcome<never> {
  return { ok: false, error: { kind: 'invalidInput', message: `"${oneLine(id, 60)}" is not an Athena query execution ID`, actions: [] } };
}

export async function startQueryExecution(
  client: AthenaClient,
  args: AthenaStartArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<{ queryExecutionId: string }>> {
  try {
    const out = await client.send(
      new (loadSdk().StartQueryExecutionCommand)({
        QueryString: args.sql,
        WorkGroup: args.workGroup,
        ClientRequestToken: args.clientRequestToken,
        ...(args.database ? { QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: args.database } } : {}),
        ...(args.outputLocation ? { ResultConfiguration: { OutputLocation: args.outputLocation } } : {}),
      }),
      { abortSignal: signal },
    );
    if (!out.QueryExecutionId)
      return { ok: false, error: { kind: 'server', message: 'StartQueryExecution answered without an ID', actions: ['retry'] } };
    return { ok: true, queryExecutionId: out.QueryExecutionId };
  } catch (err) {
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:StartQueryExecution', resource: `workgroup ${args.workGroup}` }),
    };
  }
}

export async function getQueryExecution(
  client: AthenaClient,
  args: AthenaQueryIdArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<{ execution: AthenaExecution }>> {
  if (!QUERY_ID.test(String(args?.queryExecutionId))) return badId(args?.queryExecutionId);
  try {
    const out = await client.send(new (loadSdk().GetQueryExecutionCommand)({ QueryExecutionId: args.queryExecutionId }), {
      abortSignal: signal,
    });
    const q = out.QueryExecution ?? {};
    const status = q.Status ?? {};
    const stats = q.Statistics ?? {};
    const state = status.State ?? 'UNKNOWN';
    const execution: AthenaExecution = {
      queryExecutionId: q.QueryExecutionId ?? args.queryExecutionId,
      state,
      dataScannedBytes: stats.DataScannedInBytes,
      engineExecutionMs: stats.EngineExecutionTimeInMillis,
      totalExecutionMs: stats.TotalExecutionTimeInMillis,
      queryQueueMs: stats.QueryQueueTimeInMillis,
      outputLocation: q.ResultConfiguration?.OutputLocation,
      submitted: status.SubmissionDateTime?.getTime(),
      completed: status.CompletionDateTime?.getTime(),
    };
    if (state === 'FAILED') {
      const reason = status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'the query failed';
      execution.error = classifyAthenaReason(reason, { ...ctx, action: 'athena:StartQueryExecution' }) ?? {
        kind: 'queryFailed',
        message: `The query failed: ${oneLine(reason, 300)}`,
        detail: oneLine(reason, 1000),
        actions: status.AthenaError?.Retryable ? ['retry'] : ['editQuery'],
      };
    }
    return { ok: true, execution };
  } catch (err) {
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:GetQueryExecution', resource: `query ${args.queryExecutionId}` }),
    };
  }
}

export async function getQueryResults(
  client: AthenaClient,
  args: AthenaResultsArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<AthenaResultsPage>> {
  if (!QUERY_ID.test(String(args?.queryExecutionId))) return badId(args?.queryExecutionId);
  const maxResults = Math.max(1, Math.min(1000, Math.floor(Number(args.maxResults) || 1000)));
  try {
    const out = await client.send(
      new (loadSdk().AthenaGetQueryResultsCommand)({
        QueryExecutionId: args.queryExecutionId,
        MaxResults: maxResults,
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    const columns = (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? 'varchar' }));
    let rows = (out.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue)));
    // A SELECT's first page starts with the column names as a row.
    if (!args.nextToken && rows.length > 0 && columns.length > 0 && rows[0].every((v, i) => v === columns[i]?.name)) rows = rows.slice(1);
    return { ok: true, columns, rows, nextToken: out.NextToken };
  } catch (err) {
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:GetQueryResults', resource: `query ${args.queryExecutionId}` }),
    };
  }
}

export async function stopQueryExecution(
  client: AthenaClient,
  args: AthenaQueryIdArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<object>> {
  if (!QUERY_ID.test(String(args?.queryExecutionId))) return badId(args?.queryExecutionId);
  try {
    await client.send(new (loadSdk().StopQueryExecutionCommand)({ QueryExecutionId: args.queryExecutionId }), { abortSignal: signal });
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:StopQueryExecution', resource: `query ${args.queryExecutionId}` }),
    };
  }
}

export async function getWorkGroup(
  client: AthenaClient,
  args: { workGroup: string },
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<{ workGroup: AthenaWorkGroup }>> {
  try {
    const out = await client.send(new (loadSdk().GetWorkGroupCommand)({ WorkGroup: args.workGroup }), { abortSignal: signal });
    const w = out.WorkGroup;
    const c = w?.Configuration;
    return {
      ok: true,
      workGroup: {
        name: w?.Name ?? args.workGroup,
        state: w?.State,
        outputLocation: c?.ResultConfiguration?.OutputLocation,
        enforced: c?.EnforceWorkGroupConfiguration,
        bytesScannedCutoffPerQuery: c?.BytesScannedCutoffPerQuery,
        engineVersion: c?.EngineVersion?.EffectiveEngineVersion,
      },
    };
  } catch (err) {
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:GetWorkGroup', resource: `workgroup ${args.workGroup}` }),
    };
  }
}

export async function getTableMetadata(
  client: AthenaClient,
  args: AthenaTableArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<{ table?: AthenaTableMetadata }>> {
  try {
    const out = await client.send(
      new (loadSdk().GetTableMetadataCommand)({ CatalogName: args.catalog, DatabaseName: args.database, TableName: args.table }),
      { abortSignal: signal },
    );
    const t = out.TableMetadata;
    if (!t) return { ok: true };
    const cols = (list: { Name?: string; Type?: string }[] | undefined) =>
      (list ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '' }));
    return {
      ok: true,
      table: {
        name: t.Name ?? args.table,
        columns: cols(t.Columns),
        partitionKeys: cols(t.PartitionKeys),
        parameters: { ...(t.Parameters ?? {}) },
      },
    };
  } catch (err) {
    // A table (or database) that does not exist is an answer, not an error: the caller offers to create it.
    const name = (err as { name?: string })?.name;
    const message = String((err as { message?: string })?.message ?? '').toLowerCase();
    if (name === 'MetadataException' && (message.includes('not found') || message.includes('does not exist'))) return { ok: true };
    return {
      ok: false,
      error: classifyAthenaError(err, { ...ctx, action: 'athena:GetTableMetadata', resource: `table ${args.database}.${args.table}` }),
    };
  }
}
