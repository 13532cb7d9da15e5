// The Athena path of the records panel (issue 25.4), in the AWS worker: the answer of the records
// SELECT is paged with GetQueryResults and appended into the load's column store, as s3Read
// appends what it reads; only counts cross to the extension host. Filters the SQL could not say
// exactly are applied here (recordPredicate, the same rule as the S3 reader).
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { AthenaErrorContext } from './athenaErrors';
import { getQueryResults } from './athenaCalls';
import { droppedStoreError, storeForAppend } from './recordStores';
import { appendAthenaRows } from '../../shared/columns/append';
import { recordPredicate } from '../../shared/recordsFilters';
import type { AthenaOutcome, AthenaRecordsRead, AthenaRecordsReadArgs } from '../../shared/awsWorkerProtocol';

type Ctx = Omit<AthenaErrorContext, 'action' | 'resource'>;

const MAX_PAGES = 50;

export async function readAthenaRecords(
  client: AthenaClient,
  args: AthenaRecordsReadArgs,
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<AthenaOutcome<AthenaRecordsRead>> {
  if (!args || !Array.isArray(args.fields) || !args.store || typeof args.store.id !== 'string')
    return { ok: false, error: { kind: 'invalidInput', message: 'The records read has no store or columns', actions: [] } };
  const entry = storeForAppend(args.store.id, String(args.format ?? ''), !!args.store.first);
  if (!entry) {
    const e = droppedStoreError();
    return { ok: false, error: { kind: 'unknown', message: e.message, actions: ['retry'] } };
  }
  const store = entry.store;
  const at = args.fields.map((f) => store.layout.index[f] ?? -1);
  let keep: (r: { v: string[]; t: number }) => boolean;
  try {
    keep = recordPredicate(store.layout, Array.isArray(args.filters) ? args.filters : []);
  } catch (e) {
    return { ok: false, error: { kind: 'invalidInput', message: (e as Error).message, actions: [] } };
  }
  const pages = Math.max(1, Math.min(MAX_PAGES, Math.floor(Number(args.maxPages) || 10)));
  let room = Math.max(0, Math.floor(Number(args.maxRecords) || 0));
  let token = args.nextToken;
  const out: AthenaRecordsRead = { appended: { added: 0, total: store.size, duplicates: 0, over: 0 }, rows: 0, filtered: 0 };
  for (let page = 0; page < pages; page++) {
    const got = await getQueryResults(client, { queryExecutionId: args.queryExecutionId, maxResults: 1000, nextToken: token }, ctx, signal);
    if (!got.ok) return got;
    const a = appendAthenaRows(store, at, got.rows, keep, room);
    room -= a.added;
    out.rows += got.rows.length;
    out.filtered += a.filtered;
    out.appended.added += a.added;
    out.appended.over += a.over;
    token = got.nextToken;
    // A full store ends the read: the answer's further rows are not needed.
    if (!token || room <= 0) break;
  }
  out.appended.total = store.size;
  if (token) out.nextToken = token;
  return { ok: true, ...out };
}
