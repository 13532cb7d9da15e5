// Opaque, tamper-evident NextTokens: the position plus what the token was issued for, signed
// with a per-emulator key, so a malformed or foreign token gets a clear error.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ec2Filter } from '../../src/shared/types';
import { invalidPaginationToken } from './errors';

export interface TokenPosition {
  accountId: string;
  region: string;
  /** Hash of the filters and IDs the token was issued for. */
  queryHash: string;
  /** Data generation: replacing a region's data invalidates its tokens. */
  generation: number;
  offset: number;
}

interface TokenPayload {
  a: string;
  r: string;
  q: string;
  g: number;
  o: number;
  /** Issue counter, so two tokens for the same offset can differ (emptyPageWithToken). */
  n: number;
}

/** Order-independent hash of a query: the same filters in another order are the same query. */
export function queryHash(filters: readonly Ec2Filter[], flowLogIds?: readonly string[]): string {
  const normal = {
    f: filters.map((f) => [f.Name, [...f.Values].sort()] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    i: flowLogIds ? [...flowLogIds].sort() : null,
  };
  return createHash('sha256').update(JSON.stringify(normal)).digest('base64url').slice(0, 22);
}

export class TokenCodec {
  private readonly key: Buffer;
  private issued = 0;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** `fixedNonce` gives the same token for the same position every time (repeatToken needs that). */
  issue(position: TokenPosition, fixedNonce?: number): string {
    const payload: TokenPayload = {
      a: position.accountId,
      r: position.region,
      q: position.queryHash,
      g: position.generation,
      o: position.offset,
      n: fixedNonce ?? ++this.issued,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** Checks a token against the request it came with; throws InvalidPaginationToken. */
  verify(token: string, expected: Omit<TokenPosition, 'offset'>, itemCount: number): number {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 2048) throw invalidPaginationToken('the token is malformed');
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const wanted = Buffer.from(this.mac(body));
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw invalidPaginationToken('the token was not issued by this endpoint or was altered');
    }
    let payload: TokenPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      throw invalidPaginationToken('the token is malformed');
    }
    if (payload.a !== expected.accountId || payload.r !== expected.region) {
      throw invalidPaginationToken('the token was issued for another account or region');
    }
    if (payload.q !== expected.queryHash) {
      throw invalidPaginationToken('the token was issued for a request with other filters or flow log IDs');
    }
    if (payload.g !== expected.generation) throw invalidPaginationToken('the flow logs changed since the token was issued');
    if (!Number.isInteger(payload.o) || payload.o < 0 || payload.o > itemCount) {
      throw invalidPaginationToken('the token points outside the results');
    }
    return payload.o;
  }
}
