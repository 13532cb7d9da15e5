// One FilterLogEvents call, parsed into flow log records where it runs (the AWS worker): the
// extension host only receives rows. The residual filter (what the pattern could not express)
// runs here too. Errors come back classified, as a value.
import type { CloudWatchLogsClient, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { loadSdk } from './sdk';
import { recordLayout } from '../../shared/recordsFields';
import { packRecords, parseEvents, parseMessage } from '../../shared/recordsParse';
import { recordPredicate } from '../../shared/recordsFilters';
import { classifyLogsError } from './recordsErrors';
import { droppedStoreError, storeForAppend } from './recordStores';
import { appendMessage } from '../../shared/columns/append';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../../shared/awsWorkerProtocol';
import { regularLine, type ColumnStore } from '../../shared/columns/store';
import {
  HAS_ID,
  HAS_MESSAGE,
  HAS_STREAM,
  PLAIN_ID,
  PLAIN_MESSAGE,
  PLAIN_STREAM,
  scanFilterLogEvents,
  stringAt,
  type ScannedPage,
} from './filterLogEventsBody';
import { Readable } from 'node:stream';
import type { EventIdSet } from './eventIds';

export async function filterLogEventsPage(
  client: CloudWatchLogsClient,
  args: FilterLogEventsArgs,
  ctx: { profile: string; region: string; ssoProfile?: boolean },
  signal?: AbortSignal,
): Promise<FilterLogEventsResult> {
  try {
    // The page asked for while the previous one was appended, when it is this request; else asked now.
    const prefetched = args.store ? takePrefetch(args.store.id, client, args) : undefined;
    const fetched = (prefetched && (await untilAborted(prefetched, signal))) || (await fetchPage(client, args, signal));
    const { out, raw } = fetched;
    const layout = recordLayout(args.format);
    if (args.store && raw.page && raw.body && !args.residual.length) {
      // Read from the body's bytes (the SDK was handed an empty answer: nothing else to read).
      const entry = storeForAppend(args.store.id, layout.format, args.store.first);
      if (!entry) return { ok: false, error: droppedStoreError() };
      const room = args.maxRecords !== undefined && args.maxRecords >= 0 ? Math.floor(args.maxRecords) : Infinity;
      // A page that cannot reach the cap: the next one is asked for before this one is appended.
      const early = raw.page.count < room;
      if (early) prefetchNext(client, args, raw.page.nextToken, { added: 0, over: 0 }, room, signal);
      const { appended, bytes, lastTimestamp } = appendScanned(entry, raw.page, raw.body, room);
      if (!early) prefetchNext(client, args, raw.page.nextToken, appended, room, signal);
      return {
        ok: true,
        packed: packRecords(layout.fields.length, []),
        events: raw.page.count,
        nextToken: raw.page.nextToken || undefined,
        lastTimestamp,
        attempts: out.$metadata.attempts ?? 1,
        bytes,
        appended,
      };
    }
    const events = raw.page && raw.body ? eventsOf(raw.page, raw.body) : (out.events ?? []);
    const nextToken = raw.page ? raw.page.nextToken : out.nextToken;
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
      prefetchNext(client, args, nextToken, appended, room, signal);
      return {
        ok: true,
        packed: packRecords(layout.fields.length, []),
        events: events.length,
        nextToken: nextToken || undefined,
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

/** One FilterLogEvents answer: the SDK's output and, with a store, what the middleware read. */
interface Fetched {
  out: FilterLogEventsCommandOutput;
  raw: RawPage;
}

async function fetchPage(client: CloudWatchLogsClient, args: FilterLogEventsArgs, signal?: AbortSignal): Promise<Fetched> {
  const sdk = loadSdk();
  const command = new sdk.FilterLogEventsCommand({
    logGroupName: args.logGroupName,
    startTime: args.startMs,
    endTime: args.endMs,
    filterPattern: args.pattern || undefined,
    limit: Math.max(1, Math.min(10_000, Math.floor(args.limit))),
    nextToken: args.nextToken,
    logStreamNames: args.logStreamNames?.length ? args.logStreamNames : undefined,
  });
  const raw: RawPage = {};
  if (args.store)
    command.middlewareStack.add(rawEventsMiddleware(raw) as unknown as Parameters<typeof command.middlewareStack.add>[0], RAW_EVENTS_STEP);
  const out = await client.send(command, { abortSignal: signal });
  return { out, raw };
}

/**
 * The next page of a load, asked for as soon as this page's nextToken is known, so the endpoint
 * answers it while this worker appends (issue 22). At most one per store and MAX_PREFETCHES in
 * all; the next call takes it only when it is the same request (same client, every argument and
 * the token), else it is aborted and the call asks itself. A failed prefetch is never reported:
 * the call asks again, so Retry and the errors are as without it. Only for full batches (a load
 * reading on, as Load all does), never for a screenful. Bounded in time by the client's
 * request timeout; the answers are the same pages sequential paging reads, in the same order.
 */
interface Prefetch {
  key: string;
  client: CloudWatchLogsClient;
  promise: Promise<Fetched | undefined>;
  abort: AbortController;
}

const MAX_PREFETCHES = 8;
/** FilterLogEvents' largest limit: the batch a load asks for while it has more to read (records/source.ts MAX_BATCH). */
const MAX_LIMIT = 10_000;
const prefetches = new Map<string, Prefetch>();

/** Every argument that shapes the request and its page (the store, its room and `first` do not). */
function requestKey(args: FilterLogEventsArgs): string {
  return JSON.stringify([
    args.logGroupName,
    args.logGroupArn,
    args.format,
    args.startMs,
    args.endMs,
    args.pattern,
    args.residual,
    Math.max(1, Math.min(10_000, Math.floor(args.limit))),
    args.nextToken,
    args.logStreamNames ?? [],
  ]);
}

function takePrefetch(storeId: string, client: CloudWatchLogsClient, args: FilterLogEventsArgs): Prefetch | undefined {
  const p = prefetches.get(storeId);
  if (!p) return undefined;
  prefetches.delete(storeId);
  if (p.client === client && p.key === requestKey(args)) return p;
  p.abort.abort();
  return undefined;
}

function prefetchNext(
  client: CloudWatchLogsClient,
  args: FilterLogEventsArgs,
  nextToken: string | undefined,
  appended: { added: number; over: number },
  room: number,
  signal?: AbortSignal,
): void {
  // No next page, or the load stops here (the cap reached, cancelled): nothing to ask for. A batch
  // smaller than the largest is a screenful (or a load's last batch): the next call, if any, asks
  // for another limit, so a prefetch would only cost a request.
  if (!args.store || !nextToken || nextToken === args.nextToken || appended.over > 0 || appended.added >= room || signal?.aborted) return;
  if (Math.floor(args.limit) < MAX_LIMIT) return;
  const next: FilterLogEventsArgs = { ...args, nextToken };
  const abort = new AbortController();
  const promise = fetchPage(client, next, abort.signal).catch(() => undefined);
  prefetches.get(args.store.id)?.abort.abort();
  prefetches.delete(args.store.id);
  prefetches.set(args.store.id, { key: requestKey(next), client, promise, abort });
  while (prefetches.size > MAX_PREFETCHES) {
    const [id, oldest] = prefetches.entries().next().value as [string, Prefetch];
    oldest.abort.abort();
    prefetches.delete(id);
  }
}

/** The prefetched answer (undefined: it failed), or an AbortError when `signal` fires first. */
function untilAborted(p: Prefetch, signal?: AbortSignal): Promise<Fetched | undefined> {
  if (!signal) return p.promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      p.abort.abort();
      reject(new DOMException('The operation was aborted', 'AbortError'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void p.promise.then((f) => {
      signal.removeEventListener('abort', onAbort);
      resolve(f);
    });
  });
}

/** What the middleware read of one answer: its body and the events in it. */
interface RawPage {
  body?: Buffer;
  page?: ScannedPage;
}

/** Just inside the SDK's deserializer: it sees the HTTP response before the SDK reads it. */
const RAW_EVENTS_STEP = { step: 'deserialize', priority: 'low', name: 'flowLogsRawEvents' } as const;
const EMPTY_ANSWER = new Uint8Array([123, 125]); // {}

type Next = (args: unknown) => Promise<{ response: unknown; output?: unknown }>;

/**
 * Reads a successful answer's body and scans it (filterLogEventsBody.ts). When the scan takes it,
 * the SDK gets `{}` to deserialize (no object per event, no copy); otherwise it gets the same
 * bytes and reads them as always. Errors (a status other than 2xx) are left to the SDK untouched;
 * a body that fails while read is handed on failing the same way, so the SDK reports it as before.
 */
function rawEventsMiddleware(raw: RawPage) {
  return (next: Next) =>
    async (args: unknown): Promise<{ response: unknown; output?: unknown }> => {
      const result = await next(args);
      const res = result.response as { statusCode?: number; body?: unknown };
      const status = res?.statusCode ?? 0;
      const body = res?.body as AsyncIterable<Uint8Array> | undefined;
      if (status < 200 || status > 299 || !body || typeof body[Symbol.asyncIterator] !== 'function') return result;
      const chunks: Buffer[] = [];
      try {
        for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
      } catch (err) {
        res.body = failingBody(err);
        return result;
      }
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const page = scanFilterLogEvents(bytes);
      raw.body = page ? bytes : undefined;
      raw.page = page;
      res.body = page ? EMPTY_ANSWER : bytes;
      return result;
    };
}

function failingBody(err: unknown): Readable {
  return new Readable({
    read() {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  });
}

/** The scanned events as the SDK's objects (for the residual filter, which parses records). */
function eventsOf(page: ScannedPage, body: Buffer) {
  const out: { logStreamName?: string; timestamp?: number; message?: string; eventId?: string }[] = [];
  for (let i = 0; i < page.count; i++) {
    const f = page.flags[i];
    const t = page.timestamp[i];
    out.push({
      ...(f & HAS_STREAM ? { logStreamName: stringAt(body, page.streamAt[i], page.streamEnd[i], (f & PLAIN_STREAM) !== 0) } : {}),
      ...(Number.isNaN(t) ? {} : { timestamp: t }),
      ...(f & HAS_MESSAGE ? { message: stringAt(body, page.messageAt[i], page.messageEnd[i], (f & PLAIN_MESSAGE) !== 0) } : {}),
      ...(f & HAS_ID ? { eventId: stringAt(body, page.idAt[i], page.idEnd[i], (f & PLAIN_ID) !== 0) } : {}),
    });
  }
  return out;
}

/**
 * The scanned events into the store, as the loop over the SDK's events does (dedupe by event ID,
 * `room` under the cap), a regular message from the bytes (regularLine, appendBytes), anything
 * else decoded and appended as a string (appendMessage).
 */
export function appendScanned(entry: { store: ColumnStore; seen: EventIdSet }, page: ScannedPage, body: Buffer, room: number) {
  const { store, seen } = entry;
  const layout = store.layout;
  const width = layout.fields.length;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const versionAt = layout.index.version ?? -1;
  const version = layout.version === undefined ? undefined : String(layout.version);
  const appended = { added: 0, total: 0, duplicates: 0, over: 0 };
  let bytes = 0;
  let lastTimestamp: number | undefined;
  for (let i = 0; i < page.count; i++) {
    const f = page.flags[i];
    const ts = page.timestamp[i];
    const t = Number.isNaN(ts) ? 0 : ts;
    lastTimestamp = Number.isNaN(ts) ? undefined : ts;
    const ma = page.messageAt[i];
    const mb = page.messageEnd[i];
    const plainMessage = (f & PLAIN_MESSAGE) !== 0;
    let message: string | undefined;
    if (f & HAS_MESSAGE) {
      if (plainMessage) bytes += mb - ma;
      else bytes += (message = stringAt(body, ma, mb, false)).length;
    }
    if (f & HAS_ID) {
      // A plain ID is looked up by its bytes (no string); an escaped one decoded first.
      const ia = page.idAt[i];
      const ib = page.idEnd[i];
      const id = f & PLAIN_ID ? undefined : stringAt(body, ia, ib, false);
      if (appended.added < room) {
        if (!(id === undefined ? seen.addBytes(body, ia, ib) : seen.add(id))) {
          appended.duplicates++;
          continue;
        }
      } else {
        if (id === undefined ? seen.hasBytes(body, ia, ib) : seen.has(id)) appended.duplicates++;
        else appended.over++;
        continue;
      }
    } else if (appended.added >= room) {
      appended.over++;
      continue;
    }
    const hasStream = (f & HAS_STREAM) !== 0;
    if (plainMessage && (!hasStream || f & PLAIN_STREAM) && regularLine(body, ma, mb, width, starts, ends, versionAt, version)) {
      const stream = hasStream ? store.streams.codeOfBytes(body, page.streamAt[i], page.streamEnd[i]) : 0;
      store.appendBytes(body, starts, ends, t, stream);
    } else {
      if (message === undefined) message = f & HAS_MESSAGE ? stringAt(body, ma, mb, plainMessage) : '';
      const stream = hasStream ? stringAt(body, page.streamAt[i], page.streamEnd[i], (f & PLAIN_STREAM) !== 0) : undefined;
      appendMessage(store, message, t, stream);
    }
    appended.added++;
  }
  appended.total = store.size;
  return { appended, bytes, lastTimestamp };
}
