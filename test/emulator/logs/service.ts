// The local CloudWatch Logs endpoint: the JSON 1.1 protocol (X-Amz-Target: Logs_20140328.*,
// SigV4 for service "logs"), FilterLogEvents, DescribeLogGroups, DescribeLogStreams and
// GetLogEvents over the generated flow log records (records.ts), AWS-shaped errors, and the
// emulator's fault injection. server.ts hands it every request with a Logs_20140328 target.
//
// Decided here where AWS does not document it:
// - FilterLogEvents scans at most SCAN_BUDGET events per request: a selective pattern gives pages
//   with fewer (or no) events and a nextToken, as CloudWatch does; paging is by time.
// - Events of all streams come in (timestamp, stream, event ID) order. Ranges are inclusive.
// - A flow log whose delivery FAILED has no log group (ResourceNotFoundException).
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FlowLog } from '../../../src/shared/types';
import { ApiError } from '../errors';
import type { FaultEngine } from '../faults';
import { compilePattern, PatternError, type Matcher } from './pattern';
import { streamName, streamsOf, windowEvents, windowsIn, type FlowLogStreams, type LogEvent } from './records';
import { InsightsApiError, InsightsService } from '../insights/service';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';
/** Events scanned per FilterLogEvents request at most. */
export const SCAN_BUDGET = 10_000;
const MAX_RESPONSE_BYTES = 1_048_576;

/** Options of the local CloudWatch Logs endpoint (EmulatorOptions.logs). */
export interface LogsOptions {
  /**
   * The benchmarks' large group: in every account and region, the first working all-traffic
   * cloud-watch-logs flow log's group (default format first) holds about this many events over its
   * retention (generated lazily per window, as the others). Default: none, every group as before.
   */
  largeGroupRecords?: number;
}

const DEFAULT_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

export interface LogsCaller {
  accountId: string;
  region: string;
  service: string;
  principalArn: string;
}

export interface LogsRecord {
  action: string;
  status: number;
  errorCode?: string;
  items?: number;
  faults: string[];
  /** FilterLogEvents: the filter pattern and whether a nextToken came. */
  logs?: { group?: string; pattern?: string; nextToken: boolean; startTime?: number; endTime?: number };
}

const err = (code: string, message: string, status = 400) => new ApiError(status, code, message);
const invalid = (message: string) => err('InvalidParameterException', message);

/** EC2-style authentication errors (from server.ts) as CloudWatch Logs reports them. */
export function logsAuthError(e: ApiError): ApiError {
  switch (e.code) {
    case 'AuthFailure':
      return e.stsForm?.code === 'SignatureDoesNotMatch'
        ? err(
            'InvalidSignatureException',
            'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
          )
        : err('UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'RequestExpired':
      return err('ExpiredTokenException', 'The security token included in the request is expired');
    case 'MissingAuthenticationToken':
      return err('MissingAuthenticationTokenException', 'Missing Authentication Token');
    case 'IncompleteSignature':
      return err('IncompleteSignatureException', e.message);
    case 'RequestLimitExceeded':
      return err('ThrottlingException', 'Rate exceeded');
    case 'InternalError':
      return err('ServiceUnavailableException', 'The service cannot complete the request.', 500);
    default:
      return e;
  }
}

export class LogsService {
  private readonly byLogs = new WeakMap<readonly FlowLog[], Map<string, FlowLogStreams>>();
  private readonly windowCache = new Map<string, LogEvent[]>();
  private cachedEvents = 0;
  private readonly tokenKey = randomBytes(16);
  /** Logs Insights (StartQuery, GetQueryResults, StopQuery, DescribeQueries) over these groups' events. */
  readonly insights = new InsightsService(
    { hasGroup: (a, r, g) => this.groups(a, r).has(g), events: (a, r, g, startMs, endMs) => this.events(a, r, g, startMs, endMs) },
    () => this.now(),
  );

  constructor(
    private readonly seed: number,
    private readonly flowLogsOf: (accountId: string, region: string) => readonly FlowLog[],
    /** The clock; tests may pin it. */
    public now: () => number = Date.now,
    private readonly options: LogsOptions = {},
  ) {}

  /** Log groups made by CreateLogGroup (or by CreateFlowLogs for a group that did not exist), per account/region. */
  private readonly created = new Map<string, Map<string, { creationTime: number; retentionInDays?: number }>>();
  /** Retention set by PutRetentionPolicy on the flow logs' own groups. */
  private readonly retention = new Map<string, number>();

  private createdIn(accountId: string, region: string): Map<string, { creationTime: number; retentionInDays?: number }> {
    const key = `${accountId}/${region}`;
    let map = this.created.get(key);
    if (!map) this.created.set(key, (map = new Map()));
    return map;
  }

  /** Whether the group exists: a flow log delivers to it, or it was created. */
  hasGroup(accountId: string, region: string, name: string): boolean {
    return this.groups(accountId, region).has(name) || this.createdIn(accountId, region).has(name);
  }

  /** CreateLogGroup; `strict`: an existing group is ResourceAlreadyExistsException (else left as it is). */
  createGroup(accountId: string, region: string, name: string, strict = true): void {
    if (this.hasGroup(accountId, region, name)) {
      if (strict) throw err('ResourceAlreadyExistsException', 'The specified log group already exists');
      return;
    }
    this.createdIn(accountId, region).set(name, { creationTime: this.now() });
  }

  /** The log groups of (account, region): one per cloud-watch-logs flow log whose delivery works. */
  groups(accountId: string, region: string): Map<string, FlowLogStreams> {
    const logs = this.flowLogsOf(accountId, region);
    let map = this.byLogs.get(logs);
    if (!map) {
      map = new Map();
      const usable = logs.filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.LogGroupName && f.DeliverLogsStatus !== 'FAILED');
      const large = this.options.largeGroupRecords ? largeCandidate(usable) : undefined;
      for (const f of usable) {
        const name = f.LogGroupName ?? '';
        if (map.has(name)) continue;
        map.set(name, streamsOf(this.seed, accountId, region, f, f === large ? this.options.largeGroupRecords : undefined));
      }
      this.byLogs.set(logs, map);
    }
    return map;
  }

  private window(s: FlowLogStreams, w: number): LogEvent[] {
    const key = `${s.accountId}|${s.region}|${s.groupName}|${s.flowLog.FlowLogId}|${s.fields.join(' ')}|${w}`;
    let events = this.windowCache.get(key);
    if (!events) {
      events = windowEvents(s, w);
      if (this.cachedEvents > 2_000_000) {
        this.windowCache.clear();
        this.cachedEvents = 0;
      }
      this.windowCache.set(key, events);
      this.cachedEvents += events.length;
    }
    return events;
  }

  /** The group of (account, region) that `largeGroupRecords` made large, if any. */
  largeGroup(accountId: string, region: string): string | undefined {
    for (const [name, s] of this.groups(accountId, region)) if (s.eventsPerWindow) return name;
    return undefined;
  }

  /** Ground truth for tests: every event of the group in [startMs, endMs] matching the pattern. */
  events(accountId: string, region: string, group: string, startMs: number, endMs: number, pattern = '', streams?: string[]): LogEvent[] {
    const s = this.groups(accountId, region).get(group);
    if (!s) return [];
    const match = compilePattern(pattern);
    const out: LogEvent[] = [];
    const { from, to } = windowsIn(s, startMs, endMs, this.now());
    for (let w = from; w <= to; w++) {
      for (const e of this.window(s, w)) {
        if (e.timestamp >= startMs && e.timestamp <= endMs && (!streams || streams.includes(e.logStreamName)) && match(e.message))
          out.push(e);
      }
    }
    return out;
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    record: LogsRecord,
    requestId: string,
    authenticate: () => LogsCaller,
    faults: FaultEngine,
    stopping: AbortSignal,
  ): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.slice(LOGS_TARGET_PREFIX.length);
    record.action = action;
    try {
      let caller: LogsCaller;
      try {
        caller = authenticate();
      } catch (e) {
        throw e instanceof ApiError ? logsAuthError(e) : e;
      }
      if (caller.service !== 'logs') throw err('InvalidSignatureException', `Credential should be scoped to correct service: 'logs'.`);
      const fired = faults.evaluate({ action, accountId: caller.accountId, region: caller.region });
      record.faults = fired.map((f) => f.kind);
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0);
      if (delay > 0) await sleep(delay, undefined, { signal: stopping });
      for (const { kind } of fired) {
        if (kind === 'hang') return await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
        if (kind === 'drop') {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': 4000 });
          res.write('{"events":[{"logStreamName":"', () => res.socket?.destroy());
          record.errorCode = 'ConnectionDropped';
          return;
        }
        if (kind === 'throttle') throw err('ThrottlingException', 'Rate exceeded');
        if (kind === 'internalError') throw err('ServiceUnavailableException', 'The service cannot complete the request.', 500);
        if (kind === 'expiredToken') throw err('ExpiredTokenException', 'The security token included in the request is expired');
        if (kind === 'authFailure') throw err('UnrecognizedClientException', 'The security token included in the request is invalid.');
        if (kind === 'unauthorized') {
          throw err(
            'AccessDeniedException',
            `User: ${caller.principalArn} is not authorized to perform: logs:${action} on resource: arn:aws:logs:${caller.region}:${caller.accountId}:log-group:* because no identity-based policy allows the logs:${action} action`,
          );
        }
      }
      const ct = String(req.headers['content-type'] ?? '');
      if (!ct.startsWith('application/x-amz-json-1.1')) throw err('SerializationException', `Unsupported content type: ${ct || '(none)'}`);
      let input: Record<string, unknown>;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        throw err('SerializationException', 'The request body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw err('SerializationException', 'The request body must be a JSON object');
      const kinds = new Set(fired.map((f) => f.kind));
      let out: unknown;
      switch (action) {
        case 'FilterLogEvents':
          out = emptyIfNew(() => this.filterLogEvents(caller, input, record, kinds), { events: [], searchedLogStreams: [] });
          break;
        case 'DescribeLogGroups':
          out = this.describeLogGroups(caller, input);
          break;
        case 'CreateLogGroup':
          out = this.createLogGroup(caller, input);
          break;
        case 'PutRetentionPolicy':
          out = this.putRetentionPolicy(caller, input);
          break;
        case 'DescribeLogStreams':
          out = emptyIfNew(() => this.describeLogStreams(caller, input), { logStreams: [] });
          break;
        case 'GetLogEvents':
          out = emptyIfNew(() => this.getLogEvents(caller, input), { events: [], nextForwardToken: 'f/0', nextBackwardToken: 'b/0' });
          break;
        case 'StartQuery':
        case 'GetQueryResults':
        case 'StopQuery':
        case 'DescribeQueries':
          out = this.insights.handle(action, caller, input);
          break;
        default:
          throw err('UnknownOperationException', `Operation ${action || '(none)'} is not supported by this endpoint`);
      }
      send(res, record, 200, out, requestId);
    } catch (e) {
      if (stopping.aborted) return;
      const error =
        e instanceof ApiError ? e : new ApiError(500, 'ServiceUnavailableException', `Emulator bug: ${(e as Error)?.message ?? e}`);
      record.errorCode = error.code;
      send(
        res,
        record,
        error.status,
        { __type: error.code, message: error.message, ...(error instanceof InsightsApiError ? error.extra : {}) },
        requestId,
        error.code,
      );
    }
  }

  private group(caller: LogsCaller, input: Record<string, unknown>): FlowLogStreams {
    const name = input.logGroupName;
    const ident = input.logGroupIdentifier;
    if (name !== undefined && ident !== undefined) throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    let groupName: string;
    if (typeof ident === 'string') {
      const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(:\*)?$/.exec(ident);
      if (m) {
        if (m[2] !== caller.accountId)
          throw err(
            'AccessDeniedException',
            `User: ${caller.principalArn} is not authorized to perform: logs:FilterLogEvents on resource: ${ident} because no resource-based policy allows the logs:FilterLogEvents action`,
          );
        if (m[1] !== caller.region) throw err('ResourceNotFoundException', 'The specified log group does not exist.');
        groupName = m[3];
      } else groupName = ident;
    } else if (typeof name === 'string') groupName = name;
    else throw invalid("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
    if (groupName.length < 1 || groupName.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(groupName)) {
      throw invalid(
        `1 validation error detected: Value '${groupName.slice(0, 600)}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      );
    }
    const s = this.groups(caller.accountId, caller.region).get(groupName);
    if (!s) {
      // A group with no flow log delivering to it yet: it exists and holds nothing.
      if (this.createdIn(caller.accountId, caller.region).has(groupName)) throw new EmptyGroup();
      throw err('ResourceNotFoundException', 'The specified log group does not exist.');
    }
    return s;
  }

  private groupName(input: Record<string, unknown>): string {
    const name = input.logGroupName;
    if (typeof name !== 'string')
      throw invalid("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
    if (name.length < 1 || name.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(name)) {
      throw invalid(
        `1 validation error detected: Value '${name.slice(0, 600)}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      );
    }
    return name;
  }

  private createLogGroup(caller: LogsCaller, input: Record<string, unknown>) {
    const name = this.groupName(input);
    for (const k of Object.keys(input)) {
      if (!['logGroupName', 'kmsKeyId', 'tags', 'logGroupClass'].includes(k)) throw invalid(`Unknown parameter: ${k}`);
    }
    if (input.logGroupClass !== undefined && !['STANDARD', 'INFREQUENT_ACCESS'].includes(String(input.logGroupClass)))
      throw invalid(
        `1 validation error detected: Value '${String(input.logGroupClass)}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS]`,
      );
    this.createGroup(caller.accountId, caller.region, name);
    return {};
  }

  private putRetentionPolicy(caller: LogsCaller, input: Record<string, unknown>) {
    const name = this.groupName(input);
    const days = input.retentionInDays;
    if (typeof days !== 'number' || !RETENTION_DAYS.includes(days))
      throw invalid(
        `1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    if (!this.hasGroup(caller.accountId, caller.region, name))
      throw err('ResourceNotFoundException', 'The specified log group does not exist.');
    const made = this.createdIn(caller.accountId, caller.region).get(name);
    if (made) made.retentionInDays = days;
    else this.retention.set(`${caller.accountId}/${caller.region}/${name}`, days);
    return {};
  }

  /** The retention of a group in days, undefined: never expire. */
  retentionOf(accountId: string, region: string, name: string): number | undefined {
    return (
      this.createdIn(accountId, region).get(name)?.retentionInDays ??
      this.retention.get(`${accountId}/${region}/${name}`) ??
      (this.groups(accountId, region).has(name) ? 7 : undefined)
    );
  }

  private sign(payload: string): string {
    return `${Buffer.from(payload).toString('base64url')}.${createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22)}`;
  }

  private unsign(token: unknown): Record<string, unknown> {
    if (typeof token !== 'string' || !token.includes('.')) throw invalid('The specified nextToken is invalid.');
    const [data, mac] = token.split('.');
    const payload = Buffer.from(data, 'base64url').toString('utf8');
    if (this.sign(payload).split('.')[1] !== mac) throw invalid('The specified nextToken is invalid.');
    return JSON.parse(payload) as Record<string, unknown>;
  }

  private filterLogEvents(caller: LogsCaller, input: Record<string, unknown>, record: LogsRecord, kinds: Set<string>) {
    const s = this.group(caller, input);
    const limit = optInt(input.limit, 'limit', 1, 10_000) ?? 10_000;
    const startTime = optInt(input.startTime, 'startTime', 0, Number.MAX_SAFE_INTEGER);
    const endTime = optInt(input.endTime, 'endTime', 0, Number.MAX_SAFE_INTEGER);
    if (startTime !== undefined && endTime !== undefined && endTime < startTime)
      throw invalid('endTime must be greater than or equal to startTime');
    const pattern = input.filterPattern === undefined ? '' : input.filterPattern;
    if (typeof pattern !== 'string' || pattern.length > 1024)
      throw invalid(
        "1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024",
      );
    let match: Matcher;
    try {
      match = compilePattern(pattern);
    } catch (e) {
      if (e instanceof PatternError) throw invalid(`Invalid filter pattern: ${e.message}`);
      throw e;
    }
    const names = input.logStreamNames;
    const prefix = input.logStreamNamePrefix;
    if (names !== undefined && prefix !== undefined) throw invalid('You cannot specify both logStreamNames and logStreamNamePrefix.');
    if (
      names !== undefined &&
      (!Array.isArray(names) || names.length < 1 || names.length > 100 || names.some((n) => typeof n !== 'string'))
    )
      throw invalid('logStreamNames must be a list of 1 to 100 names');
    if (prefix !== undefined && typeof prefix !== 'string') throw invalid('logStreamNamePrefix must be a string');
    const streams = new Set(
      s.enis.map(streamName).filter((n) => (names ? (names as string[]).includes(n) : prefix ? n.startsWith(prefix as string) : true)),
    );
    if (names && streams.size === 0) throw err('ResourceNotFoundException', 'The specified log stream does not exist.');
    const startMs = startTime ?? 0;
    const endMs = endTime ?? this.now();
    const query = JSON.stringify([caller.accountId, caller.region, s.groupName, startMs, endMs, pattern, [...streams]]);
    let w: number;
    let offset: number;
    const { from, to } = windowsIn(s, startMs, endMs, this.now());
    if (input.nextToken !== undefined) {
      const t = this.unsign(input.nextToken);
      if (t.q !== query) throw invalid('The specified nextToken is invalid: it belongs to another query.');
      w = Number(t.w);
      offset = Number(t.o);
      // Retention may have moved on since the token was issued.
      if (w < from) [w, offset] = [from, 0];
    } else [w, offset] = [from, 0];
    record.logs = { group: s.groupName, pattern, nextToken: input.nextToken !== undefined, startTime, endTime };

    const events: LogEvent[] = [];
    let scanned = 0;
    let bytes = 0;
    let done = true;
    scan: for (; w <= to; w++, offset = 0) {
      const all = this.window(s, w);
      for (; offset < all.length; offset++) {
        if (events.length >= limit || scanned >= SCAN_BUDGET || bytes >= MAX_RESPONSE_BYTES) {
          done = false;
          break scan;
        }
        const e = all[offset];
        scanned++;
        if (e.timestamp < startMs || e.timestamp > endMs || !streams.has(e.logStreamName) || !match(e.message)) continue;
        events.push(e);
        bytes += e.message.length + 150;
      }
    }
    let page = events;
    let nextToken = done ? undefined : this.sign(JSON.stringify({ q: query, w, o: offset }));
    if (kinds.has('emptyPageWithToken')) {
      page = [];
      nextToken = (input.nextToken as string) ?? this.sign(JSON.stringify({ q: query, w: from, o: 0 }));
    }
    if (kinds.has('duplicateItem') && page.length) page = [...page, page[page.length - 1]];
    if (kinds.has('repeatToken') && input.nextToken !== undefined) nextToken = input.nextToken as string;
    if (kinds.has('badNextToken')) nextToken = `not-a-valid-token-${Date.now()}`;
    record.items = page.length;
    return {
      events: page.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: [],
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private describeLogGroups(caller: LogsCaller, input: Record<string, unknown>) {
    const limit = optInt(input.limit, 'limit', 1, 50) ?? 50;
    const prefix = input.logGroupNamePrefix;
    const pattern = input.logGroupNamePattern;
    if (prefix !== undefined && pattern !== undefined)
      throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const fromFlowLogs = [...this.groups(caller.accountId, caller.region).values()].map((g) => ({
      groupName: g.groupName,
      creationTime: g.flowLog.CreationTime?.getTime() ?? 0,
    }));
    const made = [...this.createdIn(caller.accountId, caller.region).entries()]
      .filter(([name]) => !this.groups(caller.accountId, caller.region).has(name))
      .map(([groupName, g]) => ({ groupName, creationTime: g.creationTime }));
    const all = [...fromFlowLogs, ...made]
      .filter((g) =>
        typeof prefix === 'string'
          ? g.groupName.startsWith(prefix)
          : typeof pattern === 'string'
            ? g.groupName.toLowerCase().includes(pattern.toLowerCase())
            : true,
      )
      .sort((a, b) => (a.groupName < b.groupName ? -1 : 1));
    const offset = input.nextToken === undefined ? 0 : Number(this.unsign(input.nextToken).o);
    const page = all.slice(offset, offset + limit);
    const arn = (n: string) => `arn:aws:logs:${caller.region}:${caller.accountId}:log-group:${n}`;
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.groupName,
        creationTime: g.creationTime,
        ...(this.retentionOf(caller.accountId, caller.region, g.groupName) !== undefined
          ? { retentionInDays: this.retentionOf(caller.accountId, caller.region, g.groupName) }
          : {}),
        metricFilterCount: 0,
        arn: `${arn(g.groupName)}:*`,
        logGroupArn: arn(g.groupName),
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      })),
      ...(offset + limit < all.length ? { nextToken: this.sign(JSON.stringify({ o: offset + limit })) } : {}),
    };
  }

  private describeLogStreams(caller: LogsCaller, input: Record<string, unknown>) {
    const s = this.group(caller, input);
    const limit = optInt(input.limit, 'limit', 1, 50) ?? 50;
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
      throw invalid(
        `1 validation error detected: Value '${String(orderBy)}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
      );
    const prefix = input.logStreamNamePrefix;
    if (prefix !== undefined && orderBy === 'LastEventTime') throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const now = this.now();
    const { from, to } = windowsIn(s, 0, now, now);
    let names = s.enis
      .map(streamName)
      .filter((n) => typeof prefix !== 'string' || n.startsWith(prefix))
      .sort();
    if (input.descending === true) names = names.reverse();
    const offset = input.nextToken === undefined ? 0 : Number(this.unsign(input.nextToken).o);
    const page = names.slice(offset, offset + limit);
    const w = s.windowSec * 1000;
    return {
      logStreams: page.map((n) => ({
        logStreamName: n,
        creationTime: from * w,
        firstEventTimestamp: from * w,
        lastEventTimestamp: to * w + w - 1000,
        lastIngestionTime: (to + 1) * w + 300_000,
        uploadSequenceToken: '1',
        arn: `arn:aws:logs:${caller.region}:${caller.accountId}:log-group:${s.groupName}:log-stream:${n}`,
        storedBytes: 0,
      })),
      ...(offset + limit < names.length ? { nextToken: this.sign(JSON.stringify({ o: offset + limit })) } : {}),
    };
  }

  private getLogEvents(caller: LogsCaller, input: Record<string, unknown>) {
    const s = this.group(caller, input);
    const stream = input.logStreamName;
    if (typeof stream !== 'string')
      throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
    if (!s.enis.map(streamName).includes(stream)) throw err('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = optInt(input.limit, 'limit', 1, 10_000) ?? 10_000;
    const startMs = optInt(input.startTime, 'startTime', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    // GetLogEvents' endTime is exclusive.
    const endMs = (optInt(input.endTime, 'endTime', 0, Number.MAX_SAFE_INTEGER) ?? this.now() + 1) - 1;
    const all = this.events(caller.accountId, caller.region, s.groupName, startMs, endMs, '', [stream]);
    const query = JSON.stringify([s.groupName, stream, startMs, endMs]);
    let from: number;
    let to: number;
    if (input.nextToken !== undefined) {
      const raw = String(input.nextToken);
      const dir = raw.slice(0, 2);
      const t = this.unsign(raw.slice(2));
      if (t.q !== query || (dir !== 'f/' && dir !== 'b/')) throw invalid('The specified nextToken is invalid.');
      const at = Number(t.i);
      [from, to] = dir === 'f/' ? [at, Math.min(all.length, at + limit)] : [Math.max(0, at - limit), at];
    } else if (input.startFromHead === true) [from, to] = [0, Math.min(all.length, limit)];
    else [from, to] = [Math.max(0, all.length - limit), all.length];
    const tok = (dir: string, i: number) => `${dir}${this.sign(JSON.stringify({ q: query, i }))}`;
    return {
      events: all.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: tok('f/', to),
      nextBackwardToken: tok('b/', from),
    };
  }
}

/** CloudWatch Logs' retention values (PutRetentionPolicy). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The large group's flow log: the first all-traffic one in the default format, else the first all-traffic one. */
function largeCandidate(logs: FlowLog[]): FlowLog | undefined {
  const all = logs.filter((f) => f.TrafficType === 'ALL');
  return all.find((f) => !f.LogFormat?.trim() || f.LogFormat.trim().split(/\s+/).join(' ') === DEFAULT_LOG_FORMAT) ?? all[0];
}

/** Thrown by group() for a created group no flow log delivers to yet: the calls answer with nothing. */
class EmptyGroup extends Error {}

function emptyIfNew<T>(run: () => T, empty: T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof EmptyGroup) return empty;
    throw e;
  }
}

function optInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(
      `1 validation error detected: Value '${String(v)}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return v;
}

function send(res: ServerResponse, record: LogsRecord, status: number, json: unknown, requestId: string, errorType?: string): void {
  record.status = status;
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}
