// The emulator: a local EC2 Query-protocol endpoint serving DescribeFlowLogs (and DescribeRegions,
// STS GetCallerIdentity) so that an unmodified AWS SDK, boto3 or AWS CLI can talk to it with
// endpoint_url. Node built-ins only: it also runs inside VS Code's extension host.
//
// Behaviour, as on AWS where AWS documents it, and decided here where it does not:
// - Auth: no Authorization header -> 401 MissingAuthenticationToken; malformed -> 400 IncompleteSignature;
//   unknown access key -> 401 AuthFailure (STS: 403 InvalidClientTokenId); wrong secret (checked when the
//   account has one) -> 401 AuthFailure (STS: 403 SignatureDoesNotMatch); expired session token ->
//   400 RequestExpired "Request has expired." (STS: 403 ExpiredToken); a disabled (opt-in) region -> 401 AuthFailure.
// - Denied region -> 403 UnauthorizedOperation, DryRun included; allowed DryRun -> 412 DryRunOperation.
//   GetCallerIdentity needs no permission, as on AWS.
// - MaxResults 5..1000, else 400 InvalidParameterValue. Absent: every match in one response (an
//   unpaginated EC2 call). FlowLogIds (<= 1000) may be combined with MaxResults and filters; unknown IDs
//   are simply absent. Unknown filter -> 400 InvalidParameterValue "The filter 'x' is invalid"; unknown
//   parameter -> 400 UnknownParameter.
// - NextToken: opaque and HMAC-signed; a malformed, foreign (account, region, filters) or stale (data
//   replaced) token -> 400 InvalidPaginationToken with the reason in the message.
// - Items come in a fixed order (generation order, or the order given to setFlowLogs).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ec2Filter, FlowLog } from '../../src/shared/types';
import { partitionOf } from './data';
import {
  ApiError,
  authFailure,
  dryRunOperation,
  internalError,
  invalidAction,
  missingAuthenticationToken,
  requestExpired,
  requestLimitExceeded,
  signatureDoesNotMatch,
  stsEquivalent,
  unauthorizedOperation,
} from './errors';
import { FaultEngine, type FaultKind, type FaultRule, type FiredFault } from './faults';
import { TokenCodec, queryHash } from './pagination';
import { compileQuery, parseDescribeFlowLogsParams, type DescribeFlowLogsParams } from './query';
import { MalformedAuthorizationError, parseAuthorization, signatureMatches } from './sigv4';
import { FlowLogStore } from './store';
import { callerIdentityXml, describeFlowLogsXml, describeRegionsXml, ec2ErrorXml, stsErrorXml } from './xml';
import { regionsOfPartition } from '../../src/shared/regions';
import { isNetworkAction, NetworkService, type Network } from './vpcs/service';
import { coverageCaseFlowLogs } from './vpcs/network';
import { S3Service, type S3GroundTruth } from './s3/s3Service';
import type { S3Options } from './s3/catalog';
import { LOGS_TARGET_PREFIX, LogsService, type LogsOptions } from './logs/service';
import { handleWrite, isWriteAction, type WriteAction } from './writes';
import { listRolesXml, rolesOf } from './iam';
import { SsoService, type SsoOptions } from './sso/service';
import { deliverToArchive, logsDestinationAccount, type LogArchiveOptions } from './sso/logArchive';
import { ATHENA_TARGET_PREFIX, AthenaService, type AthenaOptions } from './athena/service';

export { defaultAccounts, awsConfigFor, type ProfileSpec, type AwsConfigFiles } from './fixtures';
export type { FaultRule, FaultKind } from './faults';
export type { SsoOptions, SsoAccountSpec, SsoTokenSpec } from './sso/service';
export type { LogArchiveOptions } from './sso/logArchive';

export interface EmulatorAccount {
  accountId: string;
  accessKeyId: string;
  /** When set, request signatures are verified with it (a wrong secret fails as on AWS). */
  secretAccessKey?: string;
  /** Regions that have generated flow logs; other regions answer with none. */
  regions: string[];
  flowLogsPerRegion: number;
  /** Regions where a policy denies ec2:DescribeFlowLogs, and the network Describe calls (UnauthorizedOperation). */
  deniedRegions?: string[];
  /**
   * Actions a policy denies everywhere, e.g. 'ec2:CreateFlowLogs', 'iam:ListRoles' (write calls and
   * ListRoles only): UnauthorizedOperation (IAM: AccessDenied), DryRun included.
   */
  deniedActions?: string[];
  /** Regions not enabled for the account (opt-in regions): EC2 answers AuthFailure there. */
  disabledRegions?: string[];
  /** Session tokens (X-Amz-Security-Token) that are expired. */
  expiredSessionTokens?: string[];
  /** IAM user name in the identity ARN; default "emulator". */
  userName?: string;
}

export interface EmulatorOptions {
  accounts: EmulatorAccount[];
  /** Seed of the data and of fault decisions; default 1. */
  seed?: number;
  faults?: FaultRule[];
  /** Default 0: an ephemeral port. Always bound to 127.0.0.1. */
  port?: number;
  /** Hostile tags on every 97th generated item; default true. */
  hostile?: boolean;
  /**
   * Five more flow logs per listed region, after the generated ones (a failing delivery, ACCEPT
   * only, subnet level, interface level, REJECT), so the Coverage check meets every verdict.
   */
  coverageCases?: boolean;
  /** S3: the flow logs' objects (test/emulator/s3/), their clock and error cases. */
  s3?: S3Options;
  /** S3 buckets that exist besides those the flow logs deliver to (CreateFlowLogs checks the bucket). */
  buckets?: string[];
  /** The IAM Identity Center portal API (sso/service.ts): the accounts, roles and tokens it knows. */
  sso?: SsoOptions;
  /** A central log-archive account receiving some flow logs of every other account (sso/logArchive.ts). */
  logArchive?: LogArchiveOptions;
  /** Athena (test/emulator/athena/): workgroups, limits. */
  athena?: AthenaOptions;
  /** CloudWatch Logs (test/emulator/logs/): a large group for the benchmarks. */
  logs?: LogsOptions;
}

/** What the emulator saw of one request. Never holds secret keys or session tokens. */
export interface RequestRecord {
  seq: number;
  action: string;
  /** Service of the SigV4 credential scope (ec2, sts). */
  service?: string;
  accountId?: string;
  region?: string;
  accessKeyId?: string;
  /** Whether a session token came with the request (its value is never kept). */
  sessionToken: boolean;
  params?: {
    filters: Ec2Filter[];
    flowLogIds?: number;
    maxResults?: number;
    nextToken: boolean;
    dryRun: boolean;
  };
  /** Write calls (CreateFlowLogs, DeleteFlowLogs, CreateTags, DeleteTags): whether DryRun was set. */
  dryRun?: boolean;
  /** Write calls: the request's form fields (no secrets travel in them), for tests to check what was sent. */
  form?: Record<string, string>;
  /** HTTP status sent; 0 while pending, for hung requests, or when the connection was dropped. */
  status: number;
  errorCode?: string;
  /** Flow logs in the response. */
  items?: number;
  faults: FaultKind[];
  /** S3 requests: the bucket, key and body bytes sent. */
  bucket?: string;
  key?: string;
  bytes?: number;
  /** CloudWatch Logs FilterLogEvents: what was asked (logs/service.ts). */
  logs?: { group?: string; pattern?: string; nextToken: boolean; startTime?: number; endTime?: number };
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  setFaults(rules: FaultRule[]): void;
  /** Ground truth: the flow logs DescribeFlowLogs serves for (account, region), in order. */
  flowLogs(accountId: string, region: string): FlowLog[];
  /** Ground truth: the VPCs, subnets and interfaces DescribeVpcs/Subnets/NetworkInterfaces serve. */
  network(accountId: string, region: string): Network;
  /** Replaces the flow logs of (account, region); tokens issued before become invalid. */
  setFlowLogs(accountId: string, region: string, logs: FlowLog[]): void;
  /** The request log, oldest first. */
  readonly requests: readonly RequestRecord[];
  resetRequests(): void;
  /** S3 ground truth (objects, records) and its options. */
  readonly s3: S3GroundTruth;
  /** CloudWatch Logs: the log groups and their records (ground truth for tests). */
  readonly logs: LogsService;
  /** The SSO portal API (tokens, the calls it answered); undefined without the `sso` option. */
  readonly sso?: SsoService;
  /** Athena over the S3 objects (DuckDB): its catalog, executions and options. */
  readonly athena: AthenaService;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The request log keeps the newest records only, so long benchmarks do not grow it forever. */
const MAX_REQUEST_RECORDS = 100_000;

interface Caller {
  account: EmulatorAccount;
  region: string;
  service: string;
  sessionToken?: string;
}

function principalArn(caller: Caller): string {
  const partition = partitionOf(caller.region);
  return caller.sessionToken
    ? `arn:${partition}:sts::${caller.account.accountId}:assumed-role/EmulatorRole/emulator-session`
    : `arn:${partition}:iam::${caller.account.accountId}:user/${caller.account.userName ?? 'emulator'}`;
}

function validateAccounts(accounts: EmulatorAccount[]): void {
  if (!Array.isArray(accounts) || accounts.length === 0) throw new Error('startEmulator: at least one account is required');
  const keys = new Set<string>();
  for (const a of accounts) {
    if (!/^\d{12}$/.test(a.accountId)) throw new Error(`startEmulator: accountId must be 12 digits, got '${a.accountId}'`);
    if (!a.accessKeyId) throw new Error(`startEmulator: account ${a.accountId} has no accessKeyId`);
    if (keys.has(a.accessKeyId)) throw new Error(`startEmulator: access key ${a.accessKeyId} is used twice`);
    keys.add(a.accessKeyId);
    if (!Number.isInteger(a.flowLogsPerRegion) || a.flowLogsPerRegion < 0) {
      throw new Error(`startEmulator: flowLogsPerRegion of ${a.accountId} must be a non-negative integer`);
    }
  }
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  validateAccounts(opts.accounts);
  const seed = opts.seed ?? 1;
  const staticKeys = new Map(opts.accounts.map((a) => [a.accessKeyId, a]));
  const accountsById = new Map(opts.accounts.map((a) => [a.accountId, a]));
  const archive = opts.logArchive;
  if (archive && !accountsById.has(archive.accountId))
    throw new Error(`startEmulator: logArchive account ${archive.accountId} is not an account`);
  let sso: SsoService | undefined;
  /** The static keys, then the role credentials the SSO portal handed out (signing as their account). */
  const accountsByKey = {
    get(key: string): EmulatorAccount | undefined {
      const own = staticKeys.get(key);
      if (own) return own;
      const minted = sso?.credentials(key);
      const base = minted && accountsById.get(minted.accountId);
      if (!minted || !base) return undefined;
      return {
        ...base,
        accessKeyId: minted.accessKeyId,
        secretAccessKey: minted.secretAccessKey,
        userName: minted.roleName,
        expiredSessionTokens: minted.expiresAt <= Date.now() ? [minted.sessionToken] : [],
      };
    },
  };
  const store = new FlowLogStore(
    seed,
    opts.hostile ?? true,
    (accountId, region) => {
      const account = accountsById.get(accountId);
      return account && account.regions.includes(region) ? account.flowLogsPerRegion : 0;
    },
    opts.coverageCases
      ? (accountId, region) => (accountsById.get(accountId)?.regions.includes(region) ? coverageCaseFlowLogs(seed, accountId, region) : [])
      : undefined,
    archive ? (accountId, region, logs) => deliverToArchive(archive, accountId, region, logs) : undefined,
  );
  const faults = new FaultEngine(opts.faults ?? [], seed);
  if (opts.sso) sso = new SsoService(opts.sso, faults);
  const tokens = new TokenCodec();
  const network = new NetworkService(
    seed,
    (a, r) => {
      const data = store.get(a, r);
      return { logs: data.base, generation: data.baseGeneration };
    },
    (a, r) => !!accountsById.get(a)?.regions.includes(r),
    tokens,
  );
  const bucketExists = (bucket: string) =>
    opts.accounts.some((a) =>
      [...a.regions, ...touchedRegions(a.accountId)].some((r) =>
        store
          .get(a.accountId, r)
          .logs.some((l) => l.LogDestinationType === 's3' && (l.LogDestination ?? '').split(':::')[1]?.split('/')[0] === bucket),
      ),
    ) || (opts.buckets ?? []).includes(bucket);
  /** Regions outside an account's list where a write call created flow logs. */
  const written = new Map<string, Set<string>>();
  const touchedRegions = (accountId: string) => [...(written.get(accountId) ?? [])];
  // The log groups of an account: its flow logs' groups that are its own, and with a log archive the
  // groups other accounts' flow logs deliver to it (the same array while the data stays the same).
  const groupViews = new Map<string, { version: string; logs: FlowLog[] }>();
  const logsFlowLogsOf = (accountId: string, region: string): readonly FlowLog[] => {
    if (!archive) return store.get(accountId, region).logs;
    const sources = accountId === archive.accountId ? opts.accounts.map((a) => a.accountId) : [accountId];
    const datas = sources.map((id) => ({ id, data: store.get(id, region) }));
    const version = datas.map((d) => d.data.generation).join(',');
    const key = `${accountId}/${region}`;
    const cached = groupViews.get(key);
    if (cached?.version === version) return cached.logs;
    const logs = datas.flatMap(({ id, data }) => data.logs.filter((f) => logsDestinationAccount(f, id) === accountId));
    groupViews.set(key, { version, logs });
    return logs;
  };
  const logs = new LogsService(seed, logsFlowLogsOf, Date.now, opts.logs);
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  const stopping = new AbortController();
  let seq = 0;
  const s3 = new S3Service({
    seed,
    faults,
    signal: stopping.signal,
    options: archive
      ? { ...opts.s3, owners: { ...opts.s3?.owners, [archive.bucket]: { accountId: archive.accountId, region: archive.region } } }
      : (opts.s3 ?? {}),
    accountByKey: (key) => accountsByKey.get(key),
    flowLogs: () => {
      const sources = opts.accounts.flatMap((a) =>
        a.regions.flatMap((region) => store.get(a.accountId, region).logs.map((flowLog) => ({ accountId: a.accountId, region, flowLog }))),
      );
      return { version: opts.accounts.map((a) => a.regions.map((r) => store.get(a.accountId, r).generation).join(',')).join(';'), sources };
    },
  });

  const s3Truth = s3.groundTruth();
  const athena = new AthenaService(
    {
      objects: (bucket, prefix) => s3Truth.objects(bucket, prefix).map((o) => o.key),
      body: (bucket, key) => s3Truth.body(bucket, key),
      put: (bucket, key, body, contentType) => s3.putWritten(bucket, key, body, contentType),
      now: () => Date.now(),
    },
    opts.athena ?? {},
  );

  function authenticate(req: IncomingMessage, body: Buffer, record: RequestRecord): Caller {
    const header = req.headers.authorization;
    if (!header) throw missingAuthenticationToken();
    let auth;
    try {
      auth = parseAuthorization(header);
    } catch (e) {
      if (e instanceof MalformedAuthorizationError) throw new ApiError(400, 'IncompleteSignature', e.message);
      throw e;
    }
    record.accessKeyId = auth.accessKeyId;
    record.region = auth.region;
    record.service = auth.service;
    const tokenHeader = req.headers['x-amz-security-token'];
    const sessionToken = typeof tokenHeader === 'string' && tokenHeader !== '' ? tokenHeader : undefined;
    record.sessionToken = sessionToken !== undefined;
    const account = accountsByKey.get(auth.accessKeyId);
    if (!account) throw authFailure();
    record.accountId = account.accountId;
    if (account.secretAccessKey !== undefined) {
      const signed = { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body };
      if (!signatureMatches(signed, auth, account.secretAccessKey)) throw signatureDoesNotMatch();
    }
    if (sessionToken !== undefined && account.expiredSessionTokens?.includes(sessionToken)) throw requestExpired();
    if (account.disabledRegions?.includes(auth.region)) throw authFailure();
    return { account, region: auth.region, service: auth.service, sessionToken };
  }

  function describeFlowLogs(
    caller: Caller,
    params: DescribeFlowLogsParams,
    fired: FiredFault[],
    record: RequestRecord,
    requestId: string,
  ): string {
    if (caller.service !== 'ec2') {
      throw new ApiError(401, 'AuthFailure', `Credential should be scoped to correct service: 'ec2', not '${caller.service}'`);
    }
    const { accountId } = caller.account;
    if (caller.account.deniedRegions?.includes(caller.region)) {
      throw unauthorizedOperation(principalArn(caller), 'ec2:DescribeFlowLogs');
    }
    if (params.dryRun && !fired.some((f) => f.kind === 'ignoreDryRun')) throw dryRunOperation();
    const data = store.get(accountId, caller.region);
    const hash = queryHash(params.filters, params.flowLogIds);
    const matches = store.matching(data, hash, () => compileQuery(params.filters, params.flowLogIds));
    const scope = { accountId, region: caller.region, queryHash: hash, generation: data.generation };
    const offset = params.nextToken === undefined ? 0 : tokens.verify(params.nextToken, scope, matches.length);
    const end = params.maxResults === undefined ? matches.length : Math.min(offset + params.maxResults, matches.length);
    let page = matches.slice(offset, end);
    let nextToken = end < matches.length ? tokens.issue({ ...scope, offset: end }) : undefined;

    for (const { kind } of fired) {
      if (kind === 'duplicateItem') {
        if (offset > 0) page = [matches[offset - 1], ...page];
        else if (page.length > 0) page = [...page, page[0]];
      } else if (kind === 'emptyPageWithToken') {
        page = [];
        nextToken = tokens.issue({ ...scope, offset });
      } else if (kind === 'repeatToken') {
        nextToken = params.nextToken ?? tokens.issue({ ...scope, offset: end }, 0);
      } else if (kind === 'badNextToken') {
        nextToken = `not-a-valid-token-${record.seq}`;
      }
    }
    record.items = page.length;
    return describeFlowLogsXml(
      page.map((i) => store.itemXml(data, i)),
      nextToken,
      requestId,
    );
  }

  /**
   * DescribeRegions: the regions of the caller's partition. Opt-in regions listed in the account's
   * disabledRegions are `not-opted-in` (returned only with AllRegions=true, as on AWS).
   */
  function describeRegions(caller: Caller, form: URLSearchParams, requestId: string): string {
    const all = form.get('AllRegions') === 'true';
    const disabled = new Set(caller.account.disabledRegions ?? []);
    const regions = regionsOfPartition(partitionOf(caller.region) as Parameters<typeof regionsOfPartition>[0])
      .map((r) => ({ name: r.id, optInStatus: !r.optIn ? 'opt-in-not-required' : disabled.has(r.id) ? 'not-opted-in' : 'opted-in' }))
      .filter((r) => all || r.optInStatus !== 'not-opted-in');
    return describeRegionsXml(regions, requestId);
  }

  function getCallerIdentity(caller: Caller, requestId: string): string {
    const { accountId } = caller.account;
    const userId = caller.sessionToken ? `AROAEMULATOR${accountId.slice(0, 9)}:emulator-session` : `AIDAEMULATOR${accountId}`;
    return callerIdentityXml({ arn: principalArn(caller), userId, account: accountId }, requestId);
  }

  function send(res: ServerResponse, record: RequestRecord, status: number, xml: string, requestId: string): void {
    record.status = status;
    if (res.destroyed || res.writableEnded) return;
    const body = Buffer.from(xml, 'utf8');
    res.writeHead(status, {
      'content-type': 'text/xml;charset=UTF-8',
      'content-length': body.length,
      'x-amzn-requestid': requestId,
    });
    res.end(body);
  }

  /** Sends a truncated 200 response and kills the connection mid-body. */
  function drop(res: ServerResponse, record: RequestRecord, requestId: string): void {
    const partial = Buffer.from(describeFlowLogsXml([], undefined, requestId).slice(0, 80), 'utf8');
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': partial.length * 20 });
    res.write(partial, () => res.socket?.destroy());
    record.status = 0;
    record.errorCode = 'ConnectionDropped';
  }

  /** Sends the headers and the start of a 200 body, then stalls until the client closes the connection. */
  async function stallBody(res: ServerResponse, record: RequestRecord, requestId: string): Promise<void> {
    const partial = Buffer.from(describeFlowLogsXml([], undefined, requestId).slice(0, 80), 'utf8');
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': partial.length * 20 });
    res.write(partial);
    record.status = 0;
    record.errorCode = 'BodyStalled';
    await untilClosed(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const record: RequestRecord = { seq: ++seq, action: '', sessionToken: false, status: 0, faults: [] };
    requests.push(record);
    if (requests.length > MAX_REQUEST_RECORDS) requests.splice(0, requests.length - MAX_REQUEST_RECORDS);
    let isSts = false;
    if (sso && SsoService.claims(req)) return await sso.handle(req, res, record, requestId, stopping.signal);
    if (S3Service.claims(req)) return await s3.handle(req, res, record, requestId);
    try {
      const body = await readBody(req);
      if (String(req.headers['x-amz-target'] ?? '').startsWith(LOGS_TARGET_PREFIX)) {
        const auth = () => {
          const c = authenticate(req, body, record);
          return { accountId: c.account.accountId, region: c.region, service: c.service, principalArn: principalArn(c) };
        };
        return await logs.handle(req, res, body, record, requestId, auth, faults, stopping.signal);
      }
      if (String(req.headers['x-amz-target'] ?? '').startsWith(ATHENA_TARGET_PREFIX)) {
        const auth = () => {
          const c = authenticate(req, body, record);
          return { accountId: c.account.accountId, region: c.region, service: c.service, principalArn: principalArn(c) };
        };
        return await athena.handle(req, res, body, record, requestId, auth, faults, stopping.signal);
      }
      const form = new URLSearchParams(body.toString('utf8'));
      if (req.method === 'GET') for (const [k, v] of new URL(req.url ?? '/', 'http://x').searchParams) form.append(k, v);
      const action = form.get('Action') ?? '';
      record.action = action;
      isSts = action === 'GetCallerIdentity' || action === 'ListRoles';
      const caller = authenticate(req, body, record);
      // IAM speaks the same awsQuery error format as STS (ErrorResponse, AccessDenied for a denied action).
      isSts ||= caller.service === 'sts' || caller.service === 'iam';

      const fired = faults.evaluate({
        action,
        accountId: caller.account.accountId,
        region: caller.region,
        accessKeyId: record.accessKeyId,
      });
      record.faults = fired.map((f) => f.kind);
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0);
      if (delay > 0) await sleep(delay, undefined, { signal: stopping.signal });
      for (const { kind } of fired) {
        if (kind === 'hang') return await untilClosed(res);
        if (kind === 'drop') return drop(res, record, requestId);
        if (kind === 'stallBody') return await stallBody(res, record, requestId);
        if (kind === 'throttle') throw requestLimitExceeded();
        if (kind === 'internalError') throw internalError();
        if (kind === 'expiredToken') throw requestExpired();
        if (kind === 'authFailure') throw authFailure();
        if (kind === 'unauthorized') throw unauthorizedOperation(principalArn(caller), `${isSts ? caller.service : 'ec2'}:${action}`);
      }

      if (action === 'DescribeFlowLogs') {
        const params = parseDescribeFlowLogsParams(form);
        record.params = {
          filters: params.filters,
          flowLogIds: params.flowLogIds?.length,
          maxResults: params.maxResults,
          nextToken: params.nextToken !== undefined,
          dryRun: params.dryRun,
        };
        send(res, record, 200, describeFlowLogs(caller, params, fired, record, requestId), requestId);
      } else if (isWriteAction(action)) {
        if (caller.service !== 'ec2') {
          throw new ApiError(401, 'AuthFailure', `Credential should be scoped to correct service: 'ec2', not '${caller.service}'`);
        }
        record.form = Object.fromEntries(form);
        record.dryRun = form.get('DryRun') === 'true';
        const { accountId } = caller.account;
        const region = caller.region;
        const answer = handleWrite(
          action,
          form,
          {
            accountId,
            region,
            partition: partitionOf(region),
            authorize: (a: WriteAction) => {
              if (caller.account.deniedRegions?.includes(region) || caller.account.deniedActions?.includes(`ec2:${a}`))
                throw unauthorizedOperation(principalArn(caller), `ec2:${a}`);
            },
            flowLogs: () => store.get(accountId, region).logs,
            setFlowLogs: (next) => {
              if (!caller.account.regions.includes(region)) written.set(accountId, new Set([...touchedRegions(accountId), region]));
              store.mutate(accountId, region, next);
            },
            network: () => network.network(accountId, region),
            bucketExists,
            ensureLogGroup: (name) => logs.createGroup(accountId, region, name, false),
            roleExists: (arn) => rolesOf(accountId, partitionOf(region)).some((r) => r.Arn === arn),
            now: () => new Date(logs.now()),
            ignoreDryRun: fired.some((f) => f.kind === 'ignoreDryRun'),
          },
          requestId,
        );
        record.items = answer.items;
        send(res, record, 200, answer.xml, requestId);
      } else if (action === 'ListRoles') {
        if (caller.service !== 'iam') {
          throw new ApiError(401, 'AuthFailure', `Credential should be scoped to correct service: 'iam', not '${caller.service}'`);
        }
        if (caller.account.deniedActions?.includes('iam:ListRoles')) {
          const denied = unauthorizedOperation(principalArn(caller), 'iam:ListRoles');
          throw new ApiError(403, 'AccessDenied', denied.message.replace('You are not authorized to perform this operation. ', ''));
        }
        const answer = listRolesXml(rolesOf(caller.account.accountId, partitionOf(caller.region)), form, requestId);
        record.items = answer.items;
        send(res, record, 200, answer.xml, requestId);
      } else if (action === 'GetCallerIdentity') {
        send(res, record, 200, getCallerIdentity(caller, requestId), requestId);
      } else if (action === 'DescribeRegions') {
        send(res, record, 200, describeRegions(caller, form, requestId), requestId);
      } else if (isNetworkAction(action)) {
        const denied = !!caller.account.deniedRegions?.includes(caller.region);
        const answer = network.handle(
          {
            accountId: caller.account.accountId,
            region: caller.region,
            service: caller.service,
            principalArn: principalArn(caller),
            denied,
          },
          action,
          form,
          requestId,
          fired.map((f) => f.kind),
        );
        record.items = answer.items;
        send(res, record, 200, answer.xml, requestId);
      } else {
        throw invalidAction(action || '(none)');
      }
    } catch (e) {
      if (stopping.signal.aborted) return;
      const error = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Emulator bug: ${(e as Error)?.message ?? e}`);
      if (isSts) {
        const sts = stsEquivalent(error);
        record.errorCode = sts.code;
        send(res, record, sts.status, stsErrorXml(sts.code, sts.message, requestId, sts.status >= 500 ? 'Receiver' : 'Sender'), requestId);
      } else {
        record.errorCode = error.code;
        send(res, record, error.status, ec2ErrorXml(error.code, error.message, requestId), requestId);
      }
    }
  }

  function untilClosed(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      if (res.destroyed) return resolve();
      res.once('close', () => resolve());
    });
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      stopping.abort();
      athena.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    setFaults(rules) {
      faults.setRules(rules);
    },
    flowLogs(accountId, region) {
      return [...store.get(accountId, region).logs];
    },
    network(accountId, region) {
      return network.network(accountId, region);
    },
    setFlowLogs(accountId, region, logs) {
      validateFlowLogs(logs);
      store.set(accountId, region, logs);
    },
    get requests() {
      return requests;
    },
    resetRequests() {
      requests.length = 0;
    },
    s3: s3Truth,
    logs,
    sso,
    athena,
  };
}

/** Catches test data the XML writer could not serialise, with a message naming the item. */
function validateFlowLogs(logs: FlowLog[]): void {
  if (!Array.isArray(logs)) throw new Error('setFlowLogs: logs must be an array');
  logs.forEach((log, i) => {
    const where = `setFlowLogs: item ${i}`;
    if (typeof log !== 'object' || log === null) throw new Error(`${where} is not an object`);
    if (log.CreationTime !== undefined && !(log.CreationTime instanceof Date && !Number.isNaN(log.CreationTime.getTime()))) {
      throw new Error(`${where}: CreationTime must be a valid Date`);
    }
    if (log.Tags !== undefined && !Array.isArray(log.Tags)) throw new Error(`${where}: Tags must be an array`);
    if (log.MaxAggregationInterval !== undefined && !Number.isInteger(log.MaxAggregationInterval)) {
      throw new Error(`${where}: MaxAggregationInterval must be an integer`);
    }
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'RequestEntityTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
