// S3 on the emulator's one endpoint, as AWS serves it to the SDKs and the AWS CLI: path-style
// (http://host/bucket/key) and virtual-hosted (Host: bucket.localhost / bucket.s3.region.amazonaws.com)
// requests, SigV4 for service s3 (the payload hash is whatever x-amz-content-sha256 says:
// UNSIGNED-PAYLOAD, STREAMING-..., or a hex digest), ListObjectsV2, GetObject (Range), HeadObject,
// S3's XML errors, and the emulator's fault rules (action = the S3 operation name).
//
// Decided here where AWS does not document it exactly:
// - A request signed for another region than the bucket's: 301 PermanentRedirect with
//   x-amz-bucket-region (what the SDK's region redirect follows).
// - A bucket of another account: 403 AccessDenied (no cross-account grants in the emulator).
// - max-keys above 1000 is treated as 1000; below 0 or not a number: 400 InvalidArgument.
// - Continuation tokens are opaque (base64url of the position); a malformed one: 400 InvalidArgument.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FlowLog } from '../../../src/shared/types';
import type { FaultEngine, FaultKind } from '../faults';
import { escapeXml } from '../xml';
import { MalformedAuthorizationError, parseAuthorization, signatureMatches } from '../sigv4';
import {
  buildBuckets,
  Bucket,
  deliveredWindows,
  md5Hex,
  objectBody,
  objectRows,
  ObjectEntry,
  S3Options,
  FlowLogSource,
  parseS3Destination,
} from './catalog';
import { formatFields, WINDOW_MS } from './records';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Account {
  accountId: string;
  accessKeyId: string;
  secretAccessKey?: string;
  expiredSessionTokens?: string[];
  userName?: string;
}

export interface S3ServiceDeps {
  seed: number;
  accountByKey: (accessKeyId: string) => S3Account | undefined;
  /** Every flow log of the emulator with its account and region, and a version that changes with them. */
  flowLogs: () => { version: string; sources: FlowLogSource[] };
  faults: FaultEngine;
  signal: AbortSignal;
  options: S3Options;
}

/** What the request log keeps of an S3 request (the emulator's RequestRecord fields). */
export interface S3RequestRecord {
  action: string;
  service?: string;
  accountId?: string;
  region?: string;
  accessKeyId?: string;
  sessionToken: boolean;
  status: number;
  errorCode?: string;
  items?: number;
  faults: FaultKind[];
  bucket?: string;
  key?: string;
  bytes?: number;
}

/** Ground truth for tests: the objects and records the endpoint serves. */
export interface S3GroundTruth {
  /** Objects of a bucket under a prefix, sorted by key. */
  objects(bucket: string, prefix?: string): { key: string; kind: string; flowLogId: string; windowStart: number }[];
  /** The bytes of an object (undefined: no such object). */
  body(bucket: string, key: string): Buffer | undefined;
  /** The records an object holds (before any corruption), as values in its flow log's field order. */
  rows(bucket: string, key: string): string[][] | undefined;
  /**
   * The records of a flow log whose time is in [fromMs, toMs): a record's time is its `start`
   * field (seconds), or when its format has none the end of its object's window. Corrupt objects
   * are left out (a reader skips them); `objects` counts the objects that hold matches.
   */
  records(flowLog: FlowLog, fromMs: number, toMs: number): { fields: string[]; rows: string[][]; objects: string[]; corrupt: string[] };
  configure(options: Partial<S3Options>): void;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const noSuchBucket = (bucket: string) => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
const accessDenied = (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message);
const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

const MAX_BODY_CACHE_BYTES = 64 * 1024 * 1024;

export function s3ErrorXml(code: string, message: string, requestId: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
}

export class S3Service {
  private cache?: { version: string; epoch: number; buckets: Map<string, Bucket> };
  private readonly bodies = new Map<string, Buffer>();
  private bodyBytes = 0;
  private readonly sizes = new Map<string, number>();
  private options: S3Options;
  /** Objects written by the endpoint itself (Athena's query results), by bucket and key. */
  private readonly written = new Map<string, { body: Buffer; contentType: string }>();

  constructor(private readonly deps: S3ServiceDeps) {
    this.options = { ...deps.options };
  }

  /** Stores an object another service of the endpoint wrote (Athena's results); GetObject serves it. */
  putWritten(bucket: string, key: string, body: Buffer, contentType: string): void {
    this.written.set(`${bucket}\u0000${key}`, { body, contentType });
  }

  /** Whether a request is for S3: signed for service s3, or an anonymous GET/HEAD that is not EC2's Query protocol. */
  static claims(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (typeof auth === 'string') return /Credential=[^/]+\/\d{8}\/[^/]+\/s3\//.test(auth);
    const url = req.url ?? '/';
    return (req.method === 'GET' || req.method === 'HEAD') && !/[?&]Action=/.test(url) && url !== '/';
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private buckets(): Map<string, Bucket> {
    const { version, sources } = this.deps.flowLogs();
    const epoch = Math.floor(this.now() / WINDOW_MS);
    if (!this.cache || this.cache.version !== version || this.cache.epoch !== epoch) {
      const buckets = buildBuckets(sources, this.deps.seed, this.now(), this.options.extraParts, this.options);
      for (const [name, owner] of Object.entries(this.options.owners ?? {})) {
        const bucket = buckets.get(name);
        if (bucket) Object.assign(bucket, { ownerAccountId: owner.accountId, region: owner.region });
      }
      this.cache = { version, epoch, buckets };
    }
    return this.cache.buckets;
  }

  private largeRecords(): number {
    return this.options.largeObjectRecords ?? 50_000;
  }

  private cacheKey(bucket: string, entry: ObjectEntry): string {
    return `${bucket}\u0000${entry.key}\u0000${this.largeRecords()}`;
  }

  private body(bucket: string, entry: ObjectEntry): Buffer {
    const key = this.cacheKey(bucket, entry);
    let body = this.bodies.get(key);
    if (body) {
      this.bodies.delete(key);
      this.bodies.set(key, body);
      return body;
    }
    body = objectBody(entry, this.deps.seed, this.largeRecords());
    this.sizes.set(key, body.length);
    this.bodies.set(key, body);
    this.bodyBytes += body.length;
    while (this.bodyBytes > MAX_BODY_CACHE_BYTES && this.bodies.size > 1) {
      const [oldest, old] = this.bodies.entries().next().value as [string, Buffer];
      this.bodies.delete(oldest);
      this.bodyBytes -= old.length;
    }
    return body;
  }

  private size(bucket: string, entry: ObjectEntry): number {
    return this.sizes.get(this.cacheKey(bucket, entry)) ?? this.body(bucket, entry).length;
  }

  private storageClass(bucket: Bucket, entry: ObjectEntry): string {
    return this.options.glacierBuckets?.includes(bucket.name) && entry.windowStart < this.now() - 2 * 24 * 3600_000
      ? 'GLACIER'
      : 'STANDARD';
  }

  groundTruth(): S3GroundTruth {
    return {
      objects: (bucketName, prefix = '') => {
        const bucket = this.buckets().get(bucketName);
        if (!bucket) return [];
        return bucket.objects
          .filter((o) => o.key.startsWith(prefix))
          .map((o) => ({ key: o.key, kind: o.kind, flowLogId: o.flowLog.FlowLogId ?? '', windowStart: o.windowStart }));
      },
      body: (bucketName, key) => {
        const bucket = this.buckets().get(bucketName);
        const entry = bucket?.objects.find((o) => o.key === key);
        return entry && this.body(bucketName, entry);
      },
      rows: (bucketName, key) => {
        const entry = this.buckets()
          .get(bucketName)
          ?.objects.find((o) => o.key === key);
        return entry && objectRows(entry, this.deps.seed, this.largeRecords());
      },
      records: (flowLog, fromMs, toMs) => {
        const fields = formatFields(flowLog.LogFormat);
        const dest = parseS3Destination(flowLog.LogDestination);
        const bucket = dest && this.buckets().get(dest.bucket);
        const startIndex = fields.indexOf('start');
        const rows: string[][] = [];
        const objects: string[] = [];
        const corrupt: string[] = [];
        for (const o of bucket?.objects ?? []) {
          if (o.flowLog.FlowLogId !== flowLog.FlowLogId) continue;
          if (o.windowStart + WINDOW_MS < fromMs || o.windowStart >= toMs) continue; // no record of it can be in range
          const matched = objectRows(o, this.deps.seed, this.largeRecords()).filter((row) => {
            const t = startIndex >= 0 && row[startIndex] !== '-' ? Number(row[startIndex]) * 1000 : o.windowStart + WINDOW_MS;
            return t >= fromMs && t < toMs;
          });
          if (matched.length === 0) continue;
          if (o.kind === 'corrupt') {
            corrupt.push(o.key);
            continue;
          }
          objects.push(o.key);
          rows.push(...matched);
        }
        return { fields, rows, objects, corrupt };
      },
      configure: (options) => {
        this.options = { ...this.options, ...options };
        this.cache = undefined;
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, record: S3RequestRecord, requestId: string): Promise<void> {
    const head = req.method === 'HEAD';
    try {
      await drain(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const { bucketName, key } = this.address(req, url);
      record.bucket = bucketName;
      record.key = key;
      const op = this.operation(req.method ?? 'GET', bucketName, key, url);
      record.action = op;
      const caller = this.authenticate(req, record);
      const fired = this.deps.faults.evaluate({
        action: op,
        accountId: caller?.accountId,
        region: record.region,
        accessKeyId: record.accessKeyId,
      });
      record.faults = fired.map((f) => f.kind);
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0);
      if (delay > 0) await sleep(delay, undefined, { signal: this.deps.signal });
      // On GetObject, a drop or a stalled body cuts the object's own bytes (headers and the first
      // half of the requested range), as a real connection failing mid-body does.
      let bodyFault: 'drop' | 'stallBody' | undefined;
      for (const { kind } of fired) {
        if (kind === 'hang') return await untilClosed(res);
        if ((kind === 'drop' || kind === 'stallBody') && op === 'GetObject') {
          bodyFault ??= kind;
          continue;
        }
        if (kind === 'drop') return dropConnection(res, record);
        if (kind === 'stallBody') return await stallConnection(res, record);
        if (kind === 'throttle') throw new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
        if (kind === 'internalError') throw new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
        if (kind === 'expiredToken') throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
        if (kind === 'authFailure')
          throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
        if (kind === 'unauthorized') throw accessDenied();
      }
      if (!caller) throw accessDenied();
      if (op === 'ListBuckets') return this.listBuckets(res, record, requestId, caller);
      const own = (op === 'GetObject' || op === 'HeadObject') && this.written.get(`${bucketName}\u0000${key}`);
      if (own) {
        record.status = 200;
        res.writeHead(200, { 'content-type': own.contentType, 'content-length': own.body.length, 'x-amz-request-id': requestId });
        res.end(head ? undefined : own.body);
        return;
      }
      const bucket = this.bucket(bucketName!, caller, record.region ?? '', op === 'ListObjectsV2' ? 's3:ListBucket' : 's3:GetObject');
      if (op === 'ListObjectsV2') return this.listObjectsV2(res, record, requestId, bucket, url.searchParams);
      if (op === 'GetObject' || op === 'HeadObject')
        return await this.getObject(req, res, record, requestId, bucket, key!, head, bodyFault);
      throw new S3Error(501, 'NotImplemented', `${op} is not implemented by this endpoint`);
    } catch (e) {
      if (this.deps.signal.aborted) return;
      const err = e instanceof S3Error ? e : new S3Error(500, 'InternalError', `Emulator bug: ${(e as Error)?.message ?? e}`);
      record.errorCode = err.code;
      send(res, record, err.status, head ? '' : s3ErrorXml(err.code, err.message, requestId, err.extra), requestId, err.headers);
    }
  }

  /** Bucket and key from a virtual-hosted Host header or a path-style URL. */
  private address(req: IncomingMessage, url: URL): { bucketName?: string; key?: string } {
    const host = String(req.headers.host ?? '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    const path = url.pathname;
    const virtual = /^(.+)\.localhost$/.exec(host) ?? /^(.+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/.exec(host);
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
      }
    };
    if (virtual) return { bucketName: virtual[1], key: path.length > 1 ? decode(path.slice(1)) : undefined };
    const m = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (!m) return {};
    return { bucketName: decode(m[1]), key: m[2] !== undefined && m[2] !== '' ? decode(m[2]) : undefined };
  }

  private operation(method: string, bucket: string | undefined, key: string | undefined, url: URL): string {
    if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method}Service`;
    if (key === undefined) {
      if (method === 'GET' && url.searchParams.get('list-type') === '2') return 'ListObjectsV2';
      if (method === 'GET' && url.searchParams.has('location')) return 'GetBucketLocation';
      if (method === 'HEAD') return 'HeadBucket';
      return method === 'GET' ? 'ListObjects' : `${method}Bucket`;
    }
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    return `${method}Object`;
  }

  private authenticate(req: IncomingMessage, record: S3RequestRecord): S3Account | undefined {
    const header = req.headers.authorization;
    if (!header) return undefined; // anonymous: AccessDenied after fault rules
    let auth;
    try {
      auth = parseAuthorization(header);
    } catch (e) {
      if (e instanceof MalformedAuthorizationError)
        throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
      throw e;
    }
    record.accessKeyId = auth.accessKeyId;
    record.region = auth.region;
    record.service = auth.service;
    const tokenHeader = req.headers['x-amz-security-token'];
    const sessionToken = typeof tokenHeader === 'string' && tokenHeader !== '' ? tokenHeader : undefined;
    record.sessionToken = sessionToken !== undefined;
    const account = this.deps.accountByKey(auth.accessKeyId);
    if (!account)
      throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
        AWSAccessKeyId: auth.accessKeyId,
      });
    record.accountId = account.accountId;
    if (account.secretAccessKey !== undefined) {
      const signed = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.alloc(0) };
      if (!signatureMatches(signed, auth, account.secretAccessKey)) {
        throw new S3Error(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          { AWSAccessKeyId: auth.accessKeyId },
        );
      }
    }
    if (sessionToken !== undefined && account.expiredSessionTokens?.includes(sessionToken))
      throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    return account;
  }

  private bucket(name: string, caller: S3Account, signedRegion: string, action: 's3:ListBucket' | 's3:GetObject'): Bucket {
    const bucket = this.buckets().get(name);
    if (!bucket || this.options.missingBuckets?.includes(name)) throw noSuchBucket(name);
    if (bucket.region !== signedRegion) {
      throw new S3Error(
        301,
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        { Bucket: name, Endpoint: `${name}.s3.${bucket.region}.amazonaws.com` },
        { 'x-amz-bucket-region': bucket.region },
      );
    }
    const denied = this.options.deny?.some(
      (d) =>
        d.action === action &&
        (d.bucket === undefined || d.bucket === name) &&
        (d.accountId === undefined || d.accountId === caller.accountId),
    );
    if (bucket.ownerAccountId !== caller.accountId || denied) {
      throw accessDenied(
        `User: arn:aws:iam::${caller.accountId}:user/${caller.userName ?? 'emulator'} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${name}${action === 's3:GetObject' ? '/*' : ''}" because no identity-based policy allows the ${action} action`,
      );
    }
    return bucket;
  }

  private listObjectsV2(res: ServerResponse, record: S3RequestRecord, requestId: string, bucket: Bucket, q: URLSearchParams): void {
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const startAfter = q.get('start-after') ?? '';
    const token = q.get('continuation-token');
    const encodingType = q.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url')
      throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    const maxKeysText = q.get('max-keys');
    let maxKeys = 1000;
    if (maxKeysText !== null) {
      if (!/^\d+$/.test(maxKeysText))
        throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeysText);
      maxKeys = Math.min(1000, Number(maxKeysText));
    }
    let after = startAfter;
    let afterPrefix = false;
    if (token !== null) {
      const pos = decodeToken(token, bucket.name);
      if (!pos) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
      after = pos.after;
      afterPrefix = pos.prefix;
    }
    const objects = bucket.objects;
    // First index whose key is > after (or past every key under `after` when it was a common prefix).
    let i = lowerBound(objects, prefix);
    if (after) {
      const j = afterPrefix ? lowerBound(objects, `${after}\uffff`) : upperBound(objects, after);
      i = Math.max(i, j);
    }
    const contents: ObjectEntry[] = [];
    const prefixes: string[] = [];
    let last = '';
    let lastIsPrefix = false;
    let truncated = false;
    while (i < objects.length && objects[i].key.startsWith(prefix)) {
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = maxKeys > 0;
        break;
      }
      const k = objects[i].key;
      const d = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (d >= 0) {
        const cp = k.slice(0, d + delimiter.length);
        prefixes.push(cp);
        last = cp;
        lastIsPrefix = true;
        i = lowerBound(objects, `${cp}\uffff`);
      } else {
        contents.push(objects[i]);
        last = k;
        lastIsPrefix = false;
        i++;
      }
    }
    const enc = (s: string) => (encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    const el = (name: string, value: string | number | undefined) =>
      value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
    const parts = [
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NAMESPACE}">`,
      el('Name', bucket.name),
      el('Prefix', enc(prefix)),
      delimiter ? el('Delimiter', enc(delimiter)) : '',
      el('MaxKeys', maxKeys),
      el('KeyCount', contents.length + prefixes.length),
      el('IsTruncated', String(truncated)),
      token !== null ? el('ContinuationToken', token) : '',
      truncated ? el('NextContinuationToken', encodeToken(bucket.name, last, lastIsPrefix)) : '',
      startAfter ? el('StartAfter', enc(startAfter)) : '',
      encodingType ? el('EncodingType', encodingType) : '',
    ];
    for (const o of contents) {
      const body = this.size(bucket.name, o);
      const etag = this.etag(bucket.name, o);
      parts.push(
        `<Contents>${el('Key', enc(o.key))}${el('LastModified', new Date(o.lastModified).toISOString())}${el('ETag', `"${etag}"`)}${el('Size', body)}${el('StorageClass', this.storageClass(bucket, o))}</Contents>`,
      );
    }
    for (const p of prefixes) parts.push(`<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`);
    parts.push('</ListBucketResult>');
    record.items = contents.length + prefixes.length;
    send(res, record, 200, parts.join(''), requestId, { 'x-amz-bucket-region': bucket.region });
  }

  /** ListBuckets: the caller's own buckets (every region), as `aws s3 ls` shows them. */
  private listBuckets(res: ServerResponse, record: S3RequestRecord, requestId: string, caller: S3Account): void {
    const mine = [...this.buckets().values()]
      .filter((b) => b.ownerAccountId === caller.accountId && !this.options.missingBuckets?.includes(b.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const created = new Date(Date.UTC(2024, 0, 1)).toISOString();
    const buckets = mine
      .map(
        (b) =>
          `<Bucket><Name>${escapeXml(b.name)}</Name><CreationDate>${created}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`,
      )
      .join('');
    record.items = mine.length;
    send(
      res,
      record,
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${S3_NAMESPACE}"><Owner><ID>${caller.accountId}</ID></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
      requestId,
    );
  }

  private readonly etags = new Map<string, string>();
  private etag(bucket: string, entry: ObjectEntry): string {
    const key = this.cacheKey(bucket, entry);
    let etag = this.etags.get(key);
    if (!etag) {
      etag = md5Hex(this.body(bucket, entry));
      this.etags.set(key, etag);
    }
    return etag;
  }

  private async getObject(
    req: IncomingMessage,
    res: ServerResponse,
    record: S3RequestRecord,
    requestId: string,
    bucket: Bucket,
    key: string,
    head: boolean,
    bodyFault?: 'drop' | 'stallBody',
  ): Promise<void> {
    const i = lowerBound(bucket.objects, key);
    const entry = bucket.objects[i]?.key === key ? bucket.objects[i] : undefined;
    if (!entry)
      throw head
        ? new S3Error(404, 'NotFound', 'Not Found')
        : new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    const storageClass = this.storageClass(bucket, entry);
    const kms = this.options.kmsBuckets?.includes(bucket.name);
    const kmsKey = `arn:aws:kms:${bucket.region}:${bucket.ownerAccountId}:key/0c6ee3a4-5c3f-4d8e-9e38-flowlogs0001`;
    if (!head && storageClass === 'GLACIER') {
      throw new S3Error(403, 'InvalidObjectState', "The operation is not valid for the object's storage class", {
        StorageClass: 'GLACIER',
      });
    }
    if (!head && kms) {
      throw accessDenied(
        `User: arn:aws:iam::${record.accountId}:user/emulator is not authorized to perform: kms:Decrypt on resource: ${kmsKey} because no identity-based policy allows the kms:Decrypt action`,
      );
    }
    const body = this.body(bucket.name, entry);
    const headers: Record<string, string> = {
      'last-modified': new Date(entry.lastModified).toUTCString(),
      etag: `"${this.etag(bucket.name, entry)}"`,
      'accept-ranges': 'bytes',
      'content-type': entry.key.endsWith('.parquet') ? 'application/octet-stream' : 'application/x-gzip',
      'x-amz-server-side-encryption': kms ? 'aws:kms' : 'AES256',
      ...(kms ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKey } : {}),
      ...(storageClass !== 'STANDARD' ? { 'x-amz-storage-class': storageClass } : {}),
    };
    const range = parseRange(req.headers.range, body.length);
    if (range === 'unsatisfiable') {
      throw new S3Error(
        416,
        'InvalidRange',
        'The requested range is not satisfiable',
        { RangeRequested: String(req.headers.range), ActualObjectSize: String(body.length) },
        { 'content-range': `bytes */${body.length}` },
      );
    }
    record.status = range ? 206 : 200;
    const slice = range ? body.subarray(range.start, range.end + 1) : body;
    record.bytes = head ? 0 : slice.length;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(record.status, {
      ...headers,
      'content-length': slice.length,
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${body.length}` } : {}),
      'x-amz-request-id': requestId,
      'x-amz-id-2': Buffer.from(requestId).toString('base64'),
    });
    if (bodyFault && !head) {
      record.status = 0;
      record.errorCode = bodyFault === 'drop' ? 'ConnectionDropped' : 'BodyStalled';
      const part = slice.subarray(0, Math.floor(slice.length / 2));
      if (bodyFault === 'drop') {
        res.write(part, () => res.socket?.destroy());
        return;
      }
      res.write(part);
      return await untilClosed(res);
    }
    res.end(head ? undefined : slice);
  }
}

/** RFC 9110 single byte range; undefined: no (usable) Range header, serve the whole object. */
export function parseRange(
  header: string | string[] | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // syntax S3 ignores (multiple ranges too)
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function lowerBound(objects: ObjectEntry[], key: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (objects[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(objects: ObjectEntry[], key: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (objects[mid].key <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const TOKEN_SALT = randomBytes(4).toString('hex');

function encodeToken(bucket: string, after: string, prefix: boolean): string {
  return Buffer.from(JSON.stringify({ b: bucket, a: after, p: prefix, s: TOKEN_SALT })).toString('base64url');
}

function decodeToken(token: string, bucket: string): { after: string; prefix: boolean } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { b?: unknown; a?: unknown; p?: unknown };
    if (v.b !== bucket || typeof v.a !== 'string' || typeof v.p !== 'boolean') return undefined;
    return { after: v.a, prefix: v.p };
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  record: S3RequestRecord,
  status: number,
  xml: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    ...headers,
    ...(body.length ? { 'content-type': 'application/xml' } : {}),
    'content-length': body.length,
    'x-amz-request-id': requestId,
    'x-amz-id-2': Buffer.from(requestId).toString('base64'),
  });
  res.end(body);
}

function dropConnection(res: ServerResponse, record: S3RequestRecord): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 4096 });
  res.write(Buffer.alloc(64), () => res.socket?.destroy());
  record.status = 0;
  record.errorCode = 'ConnectionDropped';
}

/** Headers and the start of an XML body, then nothing until the client closes the connection. */
async function stallConnection(res: ServerResponse, record: S3RequestRecord): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': 4096 });
  res.write('<?xml version="1.0" encoding="UTF-8"?>\n<');
  record.status = 0;
  record.errorCode = 'BodyStalled';
  await untilClosed(res);
}

function untilClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', () => resolve());
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1024 * 1024) {
        reject(new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.'));
        req.resume();
      }
    });
    req.on('end', () => resolve());
    req.on('error', reject);
  });
}

export { deliveredWindows };
