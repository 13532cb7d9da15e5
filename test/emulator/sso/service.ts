// The local IAM Identity Center portal API (service `portal.sso`, REST-JSON, no SigV4): what the AWS
// CLI, boto3 and the SDK's SSO credential provider call with the access token of an SSO sign-in.
//   GET /assignment/accounts?max_result=&next_token=              ListAccounts
//   GET /assignment/roles?account_id=&max_result=&next_token=     ListAccountRoles
//   GET /federation/credentials?role_name=&account_id=            GetRoleCredentials
//   POST /logout                                                  Logout
// The token comes in the `x-amz-sso_bearer_token` header. Errors as AWS documents them for the
// portal API: a REST-JSON error (`x-amzn-errortype` header and a JSON body with `message`):
//   UnauthorizedException 401 (no, unknown or expired token), InvalidRequestException 400 (a
//   missing parameter, max_result outside 1..100, a next_token this server did not issue for this
//   query), ResourceNotFoundException 404 (an account or role not assigned to the user),
//   TooManyRequestsException 429 (the emulator's `throttle` fault).
// Decided here where AWS does not document it: without max_result a page has 20 items; the role
// credentials last one hour and are keys the rest of the emulator knows (they sign EC2, S3, Logs
// calls as the account; the role name is the principal's name).
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultEngine } from '../faults';

export interface SsoAccountSpec {
  accountId: string;
  accountName: string;
  emailAddress: string;
  /** Permission sets (role names) the user may use in this account. */
  roles: string[];
}

export interface SsoTokenSpec {
  accessToken: string;
  /** When the token stops working (ms since the epoch). */
  expiresAt: number;
}

export interface SsoOptions {
  accounts: SsoAccountSpec[];
  tokens: SsoTokenSpec[];
}

/** Role credentials the portal handed out: the emulator signs requests with them as `accountId`. */
export interface MintedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  expiresAt: number;
}

export interface SsoRecord {
  action: string;
  status: number;
  errorCode?: string;
  items?: number;
  faults: string[];
}

export const SSO_DEFAULT_PAGE = 20;
const SSO_MAX_PAGE = 100;
const CREDENTIALS_LIFETIME_MS = 3600_000;

class SsoError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const unauthorized = () => new SsoError(401, 'UnauthorizedException', 'Session token not found or invalid');
const invalid = (message: string) => new SsoError(400, 'InvalidRequestException', message);
const notFound = (message: string) => new SsoError(404, 'ResourceNotFoundException', message);

const ROUTES: Record<string, { method: string; action: string }> = {
  '/assignment/accounts': { method: 'GET', action: 'ListAccounts' },
  '/assignment/roles': { method: 'GET', action: 'ListAccountRoles' },
  '/federation/credentials': { method: 'GET', action: 'GetRoleCredentials' },
  '/logout': { method: 'POST', action: 'Logout' },
};

export class SsoService {
  private readonly tokenKey = randomBytes(16);
  private readonly accounts: Map<string, SsoAccountSpec>;
  private readonly tokens: Map<string, number>;
  private readonly minted = new Map<string, MintedCredentials>();
  /** How many times each token was used (tests check that the token goes nowhere else). */
  readonly calls: { action: string; accountId?: string }[] = [];

  constructor(
    options: SsoOptions,
    private readonly faults: FaultEngine,
    public now: () => number = Date.now,
  ) {
    this.accounts = new Map(options.accounts.map((a) => [a.accountId, a]));
    this.tokens = new Map(options.tokens.map((t) => [t.accessToken, t.expiresAt]));
  }

  /** A portal API path (the SDK sends no SigV4 to it). */
  static claims(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0];
    return path in ROUTES && !req.headers.authorization;
  }

  /** Credentials handed out by GetRoleCredentials, by access key ID. */
  credentials(accessKeyId: string): MintedCredentials | undefined {
    return this.minted.get(accessKeyId);
  }

  /** Adds or replaces a token (tests: a sign-in). */
  setToken(accessToken: string, expiresAt: number): void {
    this.tokens.set(accessToken, expiresAt);
  }

  async handle(req: IncomingMessage, res: ServerResponse, record: SsoRecord, requestId: string, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = ROUTES[url.pathname];
    record.action = route?.action ?? '';
    try {
      if (!route || req.method !== route.method) throw new SsoError(404, 'UnknownOperationException', 'Unknown operation');
      const fired = this.faults.evaluate({ action: route.action, accountId: url.searchParams.get('account_id') ?? undefined, region: '' });
      record.faults = fired.map((f) => f.kind);
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0);
      if (delay > 0) await sleep(delay, undefined, { signal });
      if (fired.some((f) => f.kind === 'throttle')) throw new SsoError(429, 'TooManyRequestsException', 'Too many requests');
      if (fired.some((f) => f.kind === 'internalError')) throw new SsoError(500, 'InternalServerException', 'Internal error');
      const token = this.token(req);
      this.calls.push({ action: route.action, accountId: url.searchParams.get('account_id') ?? undefined });
      const q = url.searchParams;
      let body: unknown;
      if (route.action === 'ListAccounts') {
        const all = [...this.accounts.values()].sort(
          (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
        );
        const page = this.page(all, q, token, 'accounts');
        record.items = page.items.length;
        body = {
          accountList: page.items.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      } else if (route.action === 'ListAccountRoles') {
        const account = this.account(q.get('account_id'));
        const page = this.page([...account.roles].sort(), q, token, `roles/${account.accountId}`);
        record.items = page.items.length;
        body = {
          roleList: page.items.map((roleName) => ({ accountId: account.accountId, roleName })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      } else if (route.action === 'GetRoleCredentials') {
        const roleName = q.get('role_name');
        if (!roleName) throw invalid('role_name is required');
        const account = this.account(q.get('account_id'));
        if (!account.roles.includes(roleName)) throw notFound('No access');
        const creds: MintedCredentials = {
          accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
          secretAccessKey: randomBytes(30).toString('base64'),
          sessionToken: randomBytes(48).toString('base64'),
          accountId: account.accountId,
          roleName,
          expiresAt: this.now() + CREDENTIALS_LIFETIME_MS,
        };
        this.minted.set(creds.accessKeyId, creds);
        body = {
          roleCredentials: {
            accessKeyId: creds.accessKeyId,
            secretAccessKey: creds.secretAccessKey,
            sessionToken: creds.sessionToken,
            expiration: creds.expiresAt,
          },
        };
      } else {
        this.tokens.delete(token);
        body = {};
      }
      this.send(res, record, 200, body, requestId);
    } catch (e) {
      if (signal.aborted) return;
      const error = e instanceof SsoError ? e : new SsoError(500, 'InternalServerException', `Emulator bug: ${(e as Error)?.message ?? e}`);
      record.errorCode = error.code;
      this.send(res, record, error.status, { message: error.message }, requestId, error.code);
    }
  }

  private token(req: IncomingMessage): string {
    const header = req.headers['x-amz-sso_bearer_token'];
    const token = typeof header === 'string' ? header : undefined;
    if (!token) throw unauthorized();
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= this.now()) throw unauthorized();
    return token;
  }

  private account(id: string | null): SsoAccountSpec {
    if (!id) throw invalid('account_id is required');
    const account = this.accounts.get(id);
    if (!account) throw notFound('The specified resource does not exist');
    return account;
  }

  private page<T>(all: T[], q: URLSearchParams, token: string, what: string): { items: T[]; nextToken?: string } {
    const max = q.get('max_result');
    let size = SSO_DEFAULT_PAGE;
    if (max !== null) {
      size = Number(max);
      if (!Number.isInteger(size) || size < 1 || size > SSO_MAX_PAGE) throw invalid(`max_result must be between 1 and ${SSO_MAX_PAGE}`);
    }
    const scope = `${createHmac('sha256', this.tokenKey).update(token).digest('hex').slice(0, 16)}|${what}`;
    let offset = 0;
    const next = q.get('next_token');
    if (next !== null) offset = this.verify(next, scope, all.length);
    const end = Math.min(offset + size, all.length);
    return { items: all.slice(offset, end), nextToken: end < all.length ? this.sign(`${scope}|${end}`) : undefined };
  }

  private sign(payload: string): string {
    const mac = createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22);
    return `${Buffer.from(payload).toString('base64url')}.${mac}`;
  }

  private verify(token: string, scope: string, length: number): number {
    const [data, mac] = token.split('.');
    if (!data || !mac) throw invalid('Invalid next token');
    const payload = Buffer.from(data, 'base64url').toString();
    if (this.sign(payload) !== token) throw invalid('Invalid next token');
    const at = payload.lastIndexOf('|');
    const offset = Number(payload.slice(at + 1));
    if (payload.slice(0, at) !== scope || !Number.isInteger(offset) || offset < 0 || offset > length) throw invalid('Invalid next token');
    return offset;
  }

  private send(res: ServerResponse, record: SsoRecord, status: number, body: unknown, requestId: string, errorType?: string): void {
    record.status = status;
    if (res.destroyed || res.writableEnded) return;
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': bytes.length,
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(bytes);
  }
}
