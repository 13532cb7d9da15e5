// FilterLogEvents answers read from their bytes (aws/worker/filterLogEventsBody.ts): the scan
// agrees with JSON.parse on every valid body and refuses every invalid one; the records it appends
// equal what the SDK's events gave through appendMessage (duplicates, the cap, odd messages and
// fields); the event ID set meets by string and by bytes. Then over HTTP with the real SDK: a
// connection dropped inside the body fails as it did, and the load equals the endpoint's truth.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordLayout } from '../../src/shared/recordsFields';
import { ColumnStore } from '../../src/shared/columns/store';
import { appendMessage } from '../../src/shared/columns/append';
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
} from '../../src/aws/worker/filterLogEventsBody';
import { EventIdSet } from '../../src/aws/worker/eventIds';
import { startEmulator, defaultAccounts, awsConfigFor, type Emulator } from '../emulator/server';
import { AwsWorkerPool } from '../../src/aws/awsWorkerPool';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { MemoryLogger } from '../support/loggers';
import type { FilterLogEventsArgs, FilterLogEventsResult } from '../../src/shared/awsWorkerProtocol';
import type { FlowLog } from '../../src/shared/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { appendScanned, filterLogEventsPage } from '../../src/aws/worker/filterLogEvents';

const WORKER = path.resolve(__dirname, '../../src/aws/worker/awsWorker.js');
const LAYOUT = recordLayout(undefined);

interface Ev {
  logStreamName?: string;
  timestamp?: number;
  message?: string;
  eventId?: string;
  ingestionTime?: number;
}

/** The events as the scan saw them, as objects (strings decoded). */
function eventsOfPage(page: ScannedPage, body: Uint8Array): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < page.count; i++) {
    const f = page.flags[i];
    const e: Ev = {};
    if (f & HAS_STREAM) e.logStreamName = stringAt(body, page.streamAt[i], page.streamEnd[i], (f & PLAIN_STREAM) !== 0);
    if (!Number.isNaN(page.timestamp[i])) e.timestamp = page.timestamp[i];
    if (f & HAS_MESSAGE) e.message = stringAt(body, page.messageAt[i], page.messageEnd[i], (f & PLAIN_MESSAGE) !== 0);
    if (f & HAS_ID) e.eventId = stringAt(body, page.idAt[i], page.idEnd[i], (f & PLAIN_ID) !== 0);
    out.push(e);
  }
  return out;
}

/** What JSON.parse makes of the body, in the same shape (nulls and other members left out). */
function parsedEvents(text: string): { events: Ev[]; nextToken?: string } {
  const o = JSON.parse(text) as { events?: Record<string, unknown>[] | null; nextToken?: string | null };
  const events = (o.events ?? []).map((e) => {
    const x: Ev = {};
    if (typeof e.logStreamName === 'string') x.logStreamName = e.logStreamName;
    if (typeof e.timestamp === 'number') x.timestamp = e.timestamp;
    if (typeof e.message === 'string') x.message = e.message;
    if (typeof e.eventId === 'string') x.eventId = e.eventId;
    return x;
  });
  return { events, ...(typeof o.nextToken === 'string' ? { nextToken: o.nextToken } : {}) };
}

const MESSAGES = [
  '2 123456789012 eni-0a1b2c3d 10.0.0.1 52.94.1.2 443 55000 6 10 8400 1733500000 1733500060 ACCEPT OK',
  '2 123456789012 eni-0a1b2c3d - - - - - - - 1733500000 1733500060 - NODATA',
  '2 123456789012 eni-0a1b2c3d 2001:db8::1 10.0.0.9 0443 -5 17 1 40 1733500000 1733500060 REJECT OK',
  '3 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK', // a version the format contradicts
  '2 123456789012 eni-x 10.0.0.1  10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK', // two spaces
  '2 123 eni-x too few',
  'quote " and backslash \\ and tab \t and newline \n inside',
  'unicode é 你好 \u2028 \uD83D\uDE00 and a lone \uD800 surrogate',
  '',
  'x'.repeat(20_000),
];

function body(events: Ev[], extra = ''): string {
  return JSON.stringify({ events, searchedLogStreams: [{ logStreamName: 's', searchedCompletely: true }], nextToken: 'tok/+=é' }).replace(
    /^\{/,
    `{${extra}`,
  );
}

function sampleEvents(n: number, seed = 1): Ev[] {
  let x = seed;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const e: Ev = {
      logStreamName: rnd() < 0.05 ? 'strëam-ü' : `eni-${i % 3}-all`,
      timestamp: 1733500000000 + i,
      message: MESSAGES[Math.floor(rnd() * MESSAGES.length)],
      ingestionTime: 1733500300000,
      eventId: String(Math.floor(rnd() * n * 0.8)).padStart(56, '0'), // some repeat
    };
    if (rnd() < 0.03) delete e.logStreamName;
    if (rnd() < 0.03) delete e.message;
    if (rnd() < 0.03) delete e.eventId;
    if (rnd() < 0.03) delete e.timestamp;
    out.push(e);
  }
  return out;
}

describe('FilterLogEvents bodies read from their bytes', () => {
  it('the scan agrees with JSON.parse on valid bodies (escapes, UTF-8, nulls, other members, spacing, repeats)', () => {
    const events = sampleEvents(400);
    const bodies = [
      body(events),
      body([]),
      '{}',
      '{"events":null,"nextToken":null}',
      ' \n{ "nextToken" : "a" , "events" : [ { "message" : "m" , "timestamp" : -0 , "x" : [1,{"y":[true,false,null,-1.5e3]}] } ] }\t',
      '{"events":[{"message":"first"}],"events":[{"message":"second","message":"last wins","eventId":null}]}',
      '{"events":[{"timestamp":1.5},{"timestamp":1e3},{"timestamp":12345678901234567890},{"timestamp":null}]}',
      '{"\\u0065vents":[{"m\\u0065ssage":"escaped keys","eventId":"\\u0031"}]}',
      '{"events":[{"message":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}]}',
      body(events.slice(0, 50), '"ignored":{"deep":[[[["x"]]]]},'),
    ];
    for (const text of bodies) {
      const bytes = Buffer.from(text, 'utf8');
      const page = scanFilterLogEvents(bytes);
      assert.ok(page, `scanned: ${text.slice(0, 80)}`);
      const want = parsedEvents(text);
      assert.deepEqual(eventsOfPage(page, bytes), want.events, text.slice(0, 80));
      assert.equal(page.nextToken, want.nextToken);
    }
  });

  it('the scan refuses what JSON.parse refuses, and shapes it does not expect (the SDK reads those)', () => {
    const invalid = [
      '',
      '{',
      '{"events":[}',
      '{"events":[{"message":"x"},]}',
      '{"events":[{"message":"tab\tinside"}]}',
      '{"events":[{"message":"bad escape \\x"}]}',
      '{"events":[{"message":"short \\u12"}]}',
      '{"events":[{"timestamp":01}]}',
      '{"events":[{"timestamp":1.}]}',
      '{"events":[]} x',
      '{"events":[]}{}',
      "{'events':[]}",
      '{"events":[{"message":"unterminated}]}',
      '\uFEFF{"events":[]}',
    ];
    for (const text of invalid) {
      assert.throws(() => JSON.parse(text), SyntaxError, text);
      assert.equal(scanFilterLogEvents(Buffer.from(text, 'utf8')), undefined, text);
    }
    const unexpected = [
      '[]',
      '{"events":{}}',
      '{"events":[null]}',
      '{"events":[{"message":5}]}',
      '{"events":[{"timestamp":"5"}]}',
      '{"nextToken":7}',
      `{"x":${'['.repeat(100)}${']'.repeat(100)}}`,
    ];
    for (const text of unexpected) {
      JSON.parse(text);
      assert.equal(scanFilterLogEvents(Buffer.from(text, 'utf8')), undefined, text);
    }
  });

  it('appended records equal the SDK events through appendMessage: duplicates, the cap, odd messages, missing fields', () => {
    for (const room of [Infinity, 250, 0]) {
      const fast = { store: new ColumnStore(LAYOUT), seen: new EventIdSet() };
      const slow = new ColumnStore(LAYOUT);
      const slowSeen = new Set<string>();
      for (let p = 0; p < 3; p++) {
        const events = sampleEvents(300, p % 2 ? 7 : 3); // pages 0 and 2 are the same page: all duplicates
        const bytes = Buffer.from(body(events), 'utf8');
        const page = scanFilterLogEvents(bytes);
        assert.ok(page);
        const left = room === Infinity ? Infinity : Math.max(0, room - fast.store.size);
        const got = appendScanned(fast, page, bytes, left);
        // The loop filterLogEvents runs over the SDK's events, written out.
        const want = { added: 0, total: 0, duplicates: 0, over: 0 };
        let bytesWant = 0;
        for (const e of JSON.parse(bytes.toString('utf8')).events as Ev[]) {
          bytesWant += e.message?.length ?? 0;
          if (e.eventId !== undefined) {
            if (slowSeen.has(e.eventId)) {
              want.duplicates++;
              continue;
            }
            if (want.added >= left) {
              want.over++;
              continue;
            }
            slowSeen.add(e.eventId);
          } else if (want.added >= left) {
            want.over++;
            continue;
          }
          appendMessage(slow, e.message ?? '', e.timestamp ?? 0, e.logStreamName);
          want.added++;
        }
        want.total = slow.size;
        assert.deepEqual(got.appended, want, `page ${p}, room ${room}`);
        assert.equal(got.bytes, bytesWant);
        assert.equal(got.lastTimestamp, events[events.length - 1].timestamp);
      }
      assert.equal(fast.store.size, slow.size);
      for (let i = 0; i < slow.size; i++) assert.deepEqual(fast.store.record(i), slow.record(i), `record ${i}`);
    }
  });

  it('event IDs meet by string and by bytes; many IDs, none confused', () => {
    const ids = new EventIdSet();
    const enc = new TextEncoder();
    for (let i = 0; i < 50_000; i++) {
      const id = String(i * 7919).padStart(56, '0');
      if (i % 2) assert.equal(ids.add(id), true);
      else {
        const b = enc.encode(`"${id}"`);
        assert.equal(ids.addBytes(b, 1, b.length - 1), true);
      }
    }
    assert.equal(ids.size, 50_000);
    for (let i = 0; i < 50_000; i++) {
      const id = String(i * 7919).padStart(56, '0');
      assert.equal(ids.has(id), true);
      const b = enc.encode(id);
      assert.equal(ids.addBytes(b, 0, b.length), false);
      assert.equal(ids.has(String(i * 7919 + 1).padStart(56, '0')), (i * 7919 + 1) % 7919 === 0);
    }
    assert.equal(ids.add('é'), true);
    assert.equal(ids.has('é'), true);
    assert.equal(ids.has(''), false);
    assert.equal(ids.add(''), true);
    assert.equal(ids.add(''), false);
  });
});

describe('FilterLogEvents read from bytes, over HTTP (real SDK, local endpoint)', function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  let profile: AwsProfile;
  let pool: AwsWorkerPool;
  let log: FlowLog;
  /** The endpoint's large group (many pages of 10,000). */
  let large: FlowLog;
  const [acct] = defaultAccounts(40);
  const REGION = 'us-east-1';
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  const end = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;

  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 5, logs: { largeGroupRecords: 60_000 } });
    log = em
      .flowLogs(acct.accountId, REGION)
      .find((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED' && f.TrafficType === 'ALL')!;
    const largeName = em.logs.largeGroup(acct.accountId, REGION);
    large = em.flowLogs(acct.accountId, REGION).find((f) => f.LogGroupName === largeName)!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-cwbody-'));
    const files = awsConfigFor(em, [{ name: 'cw', account: acct, region: REGION }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    profile = listProfiles(process.env).profiles.find((p) => p.name === 'cw')!;
    pool = new AwsWorkerPool(WORKER, { logger: new MemoryLogger(), poolSize: 1 });
    pool.configure({ maxAttempts: 1, requestTimeoutMs: 20_000, userAgent: 'test' }, [profile]);
  });
  after(async () => {
    pool?.dispose();
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.creds],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const args = (store?: string, group = log): FilterLogEventsArgs => ({
    logGroupName: group.LogGroupName!,
    format: group.LogFormat ?? '',
    startMs: end - 72 * 3_600_000,
    endMs: end,
    pattern: '',
    residual: [],
    limit: 10_000,
    ...(store ? { store: { id: store, first: true } } : {}),
  });

  it('a connection dropped inside the body fails as the SDK reports it, with or without the store', async () => {
    em.setFaults([{ fault: 'drop', action: 'FilterLogEvents' }]);
    try {
      const plain = await pool.call('filterLogEvents', profile.name, REGION, args());
      const stored = await pool.call('filterLogEvents', profile.name, REGION, args('dropped-body'));
      assert.equal(plain.ok, false);
      assert.equal(stored.ok, false);
      if (!plain.ok && !stored.ok) {
        assert.equal(stored.error.kind, plain.error.kind);
        assert.equal(stored.error.kind, 'network');
      }
    } finally {
      em.setFaults([]);
    }
  });

  it('pages read from bytes hold exactly the endpoint’s events (ground truth), nextToken followed', async () => {
    const a = args('truth');
    const truth = em.logs.events(acct.accountId, REGION, a.logGroupName, a.startMs, a.endMs);
    assert.ok(truth.length > 3000, `${truth.length} events`);
    let token: string | undefined;
    let first = true;
    let pages = 0;
    let total = 0;
    do {
      const out = await pool.call('filterLogEvents', profile.name, REGION, {
        ...a,
        limit: 997,
        nextToken: token,
        store: { id: 'truth', first },
      });
      assert.ok(out.ok && out.appended, JSON.stringify(out).slice(0, 300));
      first = false;
      pages++;
      total = out.appended.total;
      token = out.nextToken;
    } while (token);
    assert.ok(pages > 2);
    assert.equal(total, truth.length);
    const layout = recordLayout(a.format);
    const store = new ColumnStore(layout);
    for (const e of truth) appendMessage(store, e.message, e.timestamp, e.logStreamName);
    const got = await pool.call('recordsExport', profile.name, REGION, { store: 'truth', format: 'ndjson', from: 0, count: truth.length });
    assert.ok(got.ok);
    assert.equal(got.value.total, truth.length);
    assert.equal(got.value.text, store.exportText('ndjson', 0, truth.length));
  });

  const logsRequests = () => em.requests.filter((r) => r.action === 'FilterLogEvents');

  it('the next page is asked for while this one is appended: a load asks for each page once, none lost, exact', async () => {
    const a = { ...args('prefetch', large), startMs: end - 160 * 3_600_000 };
    const truth = em.logs.events(acct.accountId, REGION, a.logGroupName, a.startMs, a.endMs);
    const before = logsRequests().length;
    const first = await pool.call('filterLogEvents', profile.name, REGION, a);
    assert.ok(first.ok && first.nextToken);
    // No second call yet: the worker has already asked for the next page.
    for (let i = 0; i < 100 && logsRequests().length < before + 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(logsRequests().length, before + 2, 'the next page was asked for before the next call');
    let token: string | undefined = first.nextToken;
    let pages = 1;
    let total = 0;
    while (token) {
      const out: FilterLogEventsResult = await pool.call('filterLogEvents', profile.name, REGION, {
        ...a,
        nextToken: token,
        store: { id: 'prefetch', first: false },
      });
      assert.ok(out.ok && out.appended);
      total = out.appended.total;
      token = out.nextToken;
      pages++;
    }
    assert.equal(total, truth.length);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(logsRequests().length - before, pages, 'one request per page: every prefetched page was used');
  });

  it('a call that is not the prefetched request asks itself; a cancel while the prefetched page is late ends at once', async () => {
    // The worker's function in this thread (real SDK, real HTTP), so its own cancel is what is timed.
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 20_000, userAgent: 'test' }),
      config: () => loadSharedConfig(process.env),
      logger: new MemoryLogger(),
    });
    const client = clients.logsClient(profile, REGION);
    const ctx = { profile: profile.name, region: REGION };
    const a = { ...args('prefetch-cancel', large), startMs: end - 160 * 3_600_000 };
    const at = (nextToken: string | undefined, limit: number) => ({
      ...a,
      limit,
      nextToken,
      store: { id: 'prefetch-cancel', first: false },
    });
    try {
      const first = await filterLogEventsPage(client, a, ctx);
      assert.ok(first.ok && first.nextToken);
      // Another limit: not the request prefetched; it is asked again and reads on exactly. A
      // screenful (a limit under 10,000) prefetches nothing.
      const n0 = logsRequests().length;
      const other = await filterLogEventsPage(client, at(first.nextToken, 700), ctx);
      assert.ok(other.ok && other.appended);
      assert.equal(other.appended.added, 700);
      assert.equal(other.appended.duplicates, 0);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(logsRequests().length, n0 + 1, 'a screenful asked for its page only');
      const third = await filterLogEventsPage(client, at(other.nextToken, 10_000), ctx);
      assert.ok(third.ok && third.nextToken);
      await new Promise((r) => setTimeout(r, 300));
      em.setFaults([{ fault: 'latency', action: 'FilterLogEvents', latencyMs: 5_000 }]);
      // The page prefetched after `third` was asked before the latency: taken at once.
      const t1 = Date.now();
      const fourth = await filterLogEventsPage(client, at(third.nextToken, 10_000), ctx);
      assert.ok(fourth.ok && fourth.appended && fourth.appended.added > 0 && fourth.nextToken);
      assert.ok(Date.now() - t1 < 2_500, `the prefetched page took ${Date.now() - t1} ms`);
      // The next one is late (5 s); cancelled after 200 ms, the call ends then, as 'aborted'.
      const controller = new AbortController();
      const t0 = Date.now();
      setTimeout(() => controller.abort(), 200);
      const cancelled = await filterLogEventsPage(client, at(fourth.nextToken, 10_000), ctx, controller.signal);
      const took = Date.now() - t0;
      assert.ok(took < 2_000, `ended after ${took} ms`);
      assert.ok(!cancelled.ok);
      if (!cancelled.ok) assert.equal(cancelled.error.kind, 'aborted');
    } finally {
      em.setFaults([]);
      clients.dispose();
    }
  });
});
