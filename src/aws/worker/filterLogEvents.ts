// One FilterLogEvents call, parsed into flow log records where it runs (the AWS worker): the
// extension host only receives rows. The residual filter (what the pattern could not express)
// runs here too. Errors come back classified, as a value.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadSdk } from './sdk';
import { recordLayout } from '../../shared/recordsFields';
import { packRecords, parseEvents, parseMessage } from '../../shared/recordsParse';
import { recordPredicate } from '../../shared/recordsFilters';
import { classifyLogsError } from './recordsErrors';
import { droppedStoreError, storeForAppend } from './recordStores';
import { appendMessage } from '../../shared/columns/append';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../../shared/awsWorkerProtocol';

export async function filterLogEventsPage(
  client: CloudWatchLogsClient,
  args: FilterLogEventsArgs,
  ctx: { profile: string; region: string; ssoProfile?: boolean },
  signal?: AbortSignal,
): Promise<FilterLogEventsResult> {
  try {
    const sdk = loadSdk();
    const out = await client.send(
      new sdk.FilterLogEventsCommand({
        logGroupName: args.logGroupName,
        startTime: args.startMs,
        endTime: args.endMs,
        filterPattern: args.pattern || undefined,
        limit: Math.max(1, Math.min(10_000, Math.floor(args.limit))),
        nextToken: args.nextToken,
        logStreamNames: args.logStreamNames?.length ? args.logStreamNames : undefined,
      }),
      { abortSignal: signal },
    );
    const layout = recordLayout(args.format);
    const events = out.events ?? [];
    if (args.store) {
      // The records stay here, in the load's store; only counts cross.
      const entry = storeForAppend(args.store.id, layout.format, args.store.first);
      if (!entry) return { ok: false, error: droppedStoreError() };
      const keep = args.residual.length ? recordPredicate(layout, args.residual) : undefined;
      const room = args.maxRecords !== undefined && args.maxRecords >= 0 ? Math.floor(args.maxRecords) : Infinity;
      const appended = { added: 0, total: 0, duplicates: 0, over: 0 };
      let bytes = 0;
      for (const e of events) {
        const message = typeof e.message === 'string' ? e.message : '';
        bytes += e.message?.length ?? 0;
        const t = typeof e.timestamp === 'number' ? e.timestamp : 0;
        if (keep) {
          const rec = parseMessage(layout, message, t, e.logStreamName, e.eventId);
          if (!keep(rec)) continue;
        }
        if (e.eventId !== undefined) {
          if (entry.seen.has(e.eventId)) {
            appended.duplicates++;
            continue;
          }
          if (appended.added >= room) {
            appended.over++;
            continue;
          }
          entry.seen.add(e.eventId);
        } else if (appended.added >= room) {
          appended.over++;
          continue;
        }
        appendMessage(entry.store, message, t, e.logStreamName);
        appended.added++;
      }
      appended.total = entry.store.size;
      return {
        ok: true,
        packed: packRecords(layout.fields.length, []),
        events: events.length,
        nextToken: out.nextToken || undefined,
        lastTimestamp: events.length ? events[events.length - 1].timestamp : undefined,
        attempts: out.$metadata.attempts ?? 1,
        bytes,
        appended,
      };
    }
    let records = parseEvents(layout, events);
    if (args.residual.length) records = records.filter(recordPredicate(layout, args.residual));
    let bytes = 0;
    for (const e of events) bytes += e.message?.length ?? 0;
    return {
      ok: true,
      packed: packRecords(layout.fields.length, records),
      events: events.length,
      nextToken: out.nextToken || undefined,
      lastTimestamp: events.length ? events[events.length - 1].timestamp : undefined,
      attempts: out.$metadata.attempts ?? 1,
      bytes,
    };
  } catch (err) {
    return { ok: false, error: classifyLogsError(err, { ...ctx, logGroupArn: args.logGroupArn }) };
  }
}
