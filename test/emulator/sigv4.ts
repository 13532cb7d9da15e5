// Reading and checking AWS Signature Version 4 on incoming requests, so that a client with a
// wrong secret key fails here as it would against AWS.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SigV4Authorization {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Thrown for an Authorization header that is not a well-formed SigV4 header. */
export class MalformedAuthorizationError extends Error {}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

export function parseAuthorization(header: string): SigV4Authorization {
  const match = AUTH_PATTERN.exec(header.trim());
  if (!match) throw new MalformedAuthorizationError('Authorization header is not a valid AWS4-HMAC-SHA256 header');
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 encoding, as SigV4 wants it. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  const params = [...new URLSearchParams(search)].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return value.trim().replace(/\s+/g, ' ');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface SignedRequest {
  method: string;
  /** Path and query, as received (e.g. "/" or "/?a=b"). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Recomputes the signature with `secretAccessKey` and compares it in constant time. */
export function signatureMatches(request: SignedRequest, auth: SigV4Authorization, secretAccessKey: string): boolean {
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (!amzDate) return false;
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256') || sha256Hex(request.body);
  const canonicalRequest = [
    request.method,
    path || '/',
    canonicalQuery(search),
    auth.signedHeaders.map((name) => `${name}:${headerValue(request.headers, name)}\n`).join(''),
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
