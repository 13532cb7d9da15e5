// classifyError: SDK-shaped errors (a table) and REAL errors thrown by the AWS SDK against the
// emulator map to the right kind and actions, and nothing it is given makes it throw.
import assert from 'node:assert/strict';
import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PERMISSION, type ErrorAction, type ErrorKind } from '../../src/shared/errors';
import { classifyError } from '../../src/aws/worker/classifyError';
import { defaultAccounts, startEmulator, type Emulator, type FaultKind } from '../emulator/server';

/** An error shaped like the SDK's service exceptions. */
function sdkError(name: string, message: string, status?: number): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status && status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

interface Row {
  what: string;
  err: unknown;
  ctx?: Parameters<typeof classifyError>[1];
  kind: ErrorKind;
  actions: ErrorAction[];
  message?: RegExp;
}

const TABLE: Row[] = [
  {
    what: 'AuthFailure',
    err: sdkError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
    kind: 'credentials',
    actions: ['openConfig', 'retry'],
    message: /Invalid credentials: AWS rejected the access key ID or the secret access key/,
  },
  {
    what: 'InvalidClientTokenId (STS)',
    err: sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    kind: 'credentials',
    actions: ['openConfig', 'retry'],
  },
  {
    what: 'SignatureDoesNotMatch',
    err: sdkError('SignatureDoesNotMatch', 'The request signature we calculated does not match', 403),
    kind: 'credentials',
    actions: ['openConfig', 'retry'],
    message: /AWS rejected the access key ID or the secret access key/,
  },
  {
    what: 'RequestExpired',
    err: sdkError('RequestExpired', 'Request has expired.', 400),
    kind: 'expired',
    actions: ['retry', 'openConfig'],
    message: /have expired/,
  },
  {
    what: 'ExpiredToken',
    err: sdkError('ExpiredToken', 'The security token included in the request is expired', 403),
    kind: 'expired',
    actions: ['retry', 'openConfig'],
  },
  {
    what: 'UnauthorizedOperation',
    err: sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403),
    ctx: { profile: 'dev' },
    kind: 'denied',
    actions: ['retry'],
    message: /^Not authorized for ec2:DescribeFlowLogs \(profile "dev"\): ask for an IAM policy that allows it$/,
  },
  { what: 'AccessDenied (STS)', err: sdkError('AccessDenied', 'User is not authorized', 403), kind: 'denied', actions: ['retry'] },
  {
    what: 'RequestLimitExceeded',
    err: sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503),
    kind: 'throttled',
    actions: ['retry'],
    message: /throttling/,
  },
  { what: 'Throttling (STS)', err: sdkError('Throttling', 'Rate exceeded', 400), kind: 'throttled', actions: ['retry'] },
  {
    what: 'InvalidParameterValue',
    err: sdkError('InvalidParameterValue', "The filter 'bogus' is invalid", 400),
    kind: 'invalidInput',
    actions: ['editFilters', 'retry'],
    message: /AWS rejected the request: The filter 'bogus' is invalid/,
  },
  {
    what: 'InvalidParameterValue mentioning a timeout',
    err: sdkError('InvalidParameterValue', "The filter 'timeout' is invalid", 400),
    kind: 'invalidInput',
    actions: ['editFilters', 'retry'],
  },
  {
    what: 'InvalidPaginationToken',
    err: sdkError('InvalidPaginationToken', 'The specified pagination token is not valid or is expired: the token is malformed', 400),
    kind: 'invalidInput',
    actions: ['editFilters', 'retry'],
  },
  {
    what: 'ECONNRESET',
    err: nodeError('ECONNRESET', 'read ECONNRESET'),
    kind: 'network',
    actions: ['retry'],
    message: /^Network error: read ECONNRESET$/,
  },
  { what: 'ECONNREFUSED', err: nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), kind: 'network', actions: ['retry'] },
  {
    what: 'ENOTFOUND as the cause',
    err: Object.assign(new Error('getaddrinfo failed'), { cause: { code: 'ENOTFOUND' } }),
    kind: 'network',
    actions: ['retry'],
  },
  { what: '"socket hang up"', err: new Error('socket hang up'), kind: 'network', actions: ['retry'] },
  {
    what: 'TimeoutError',
    err: Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout'), { name: 'TimeoutError' }),
    kind: 'timeout',
    actions: ['retry'],
    message: /timed out/,
  },
  { what: 'ETIMEDOUT', err: nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), kind: 'timeout', actions: ['retry'] },
  {
    what: 'AbortError',
    err: Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
    kind: 'aborted',
    actions: ['retry'],
    message: /^Cancelled$/,
  },
  { what: 'ABORT_ERR', err: nodeError('ABORT_ERR', 'The operation was aborted'), kind: 'aborted', actions: ['retry'] },
  {
    what: 'CredentialsProviderError',
    err: Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    ctx: { profile: 'p' },
    kind: 'credentials',
    actions: ['openConfig', 'retry'],
    message: /Credentials could not be loaded for profile "p": Could not load credentials/,
  },
  {
    what: 'CredentialsProviderError of an SSO profile',
    err: Object.assign(new Error('The SSO session associated with this profile has expired'), { name: 'CredentialsProviderError' }),
    ctx: { profile: 'corp-sso', ssoProfile: true },
    kind: 'sso',
    actions: ['signIn', 'retry'],
    message: /aws sso login --profile corp-sso$/,
  },
  {
    what: 'ExpiredToken of an SSO profile',
    err: sdkError('ExpiredTokenException', 'token expired', 401),
    ctx: { profile: 'corp-sso', ssoProfile: true },
    kind: 'sso',
    actions: ['signIn', 'retry'],
    message: /aws sso login --profile corp-sso/,
  },
  {
    what: 'AccessDenied of an SSO profile stays denied',
    err: sdkError('AccessDenied', 'no', 403),
    ctx: { profile: 'corp-sso', ssoProfile: true },
    kind: 'denied',
    actions: ['retry'],
  },
  {
    what: 'OptInRequired',
    err: sdkError('OptInRequired', 'You are not subscribed to this service.', 401),
    ctx: { region: 'me-south-1' },
    kind: 'regionDisabled',
    actions: ['retry'],
    message: /Region me-south-1 is not enabled/,
  },
  {
    what: 'EndpointConfigError (ClientCache: bad endpoint URL)',
    err: Object.assign(new Error('endpoint "http://timeout example" is not a valid URL'), { name: 'EndpointConfigError' }),
    ctx: { profile: 'dev' },
    kind: 'config',
    actions: ['openConfig', 'retry'],
    message: /^Endpoint misconfigured for profile "dev": endpoint "http:\/\/timeout example" is not a valid URL$/,
  },
  {
    what: '500 InternalError',
    err: sdkError('InternalError', 'An internal error has occurred.', 500),
    kind: 'server',
    actions: ['retry'],
    message: /server error \(InternalError\)/,
  },
  { what: '503 with an unknown code', err: sdkError('Unknown', 'Service Unavailable', 503), kind: 'server', actions: ['retry'] },
  {
    what: 'an unknown error code',
    err: sdkError('SomethingNew', 'never seen before', 400),
    kind: 'unknown',
    actions: ['retry'],
    message: /^SomethingNew: never seen before$/,
  },
];

describe('classifyError', () => {
  describe('SDK-shaped errors', () => {
    for (const row of TABLE) {
      it(`${row.what} -> ${row.kind}`, () => {
        const r = classifyError(row.err, row.ctx);
        assert.equal(r.kind, row.kind);
        assert.deepEqual(r.actions, row.actions);
        if (row.message) assert.match(r.message, row.message);
        assert.ok(!/[\r\n]/.test(r.message), 'one line');
      });
    }

    it('keeps the code and the HTTP status', () => {
      const r = classifyError(sdkError('RequestLimitExceeded', 'x', 503));
      assert.equal(r.code, 'RequestLimitExceeded');
      assert.equal(r.httpStatus, 503);
      assert.equal(classifyError({ name: 'X', $response: { statusCode: 502 } }).httpStatus, 502);
    });

    it('makes the message and detail one bounded line', () => {
      const r = classifyError(sdkError('SomethingNew', `line1\nline2\r\n${'x'.repeat(2000)}`, 400));
      assert.ok(!/[\r\n]/.test(r.message) && !/[\r\n]/.test(r.detail!));
      assert.ok(r.detail!.length <= 301);
    });

    it('never throws, whatever it is given', () => {
      for (const v of [
        undefined,
        null,
        0,
        '',
        'plain string',
        42,
        {},
        [],
        Symbol('s'),
        { message: 7 },
        { name: 5, code: {} },
        { name: 5, message: 'timed out' },
        Object.create(null),
        {
          toString() {
            throw new Error('no');
          },
        },
      ]) {
        const r = classifyError(v);
        assert.equal(typeof r.kind, 'string');
        assert.equal(typeof r.message, 'string');
        assert.ok(r.message.length > 0);
        assert.ok(r.actions.includes('retry'));
      }
      assert.equal(classifyError('plain string').message, 'plain string');
    });

    it('names the permission in a denial', () => {
      assert.ok(classifyError(sdkError('UnauthorizedOperation', 'x', 403)).message.includes(PERMISSION));
      assert.equal(PERMISSION, 'ec2:DescribeFlowLogs');
    });
  });

  describe('real SDK errors from the emulator', function () {
    this.timeout(20000);
    let em: Emulator;
    let dir: string;
    const [acct] = defaultAccounts(20);

    before(async () => {
      em = await startEmulator({ accounts: [acct], seed: 7 });
      dir = mkdtempSync(join(tmpdir(), 'flowlogs-errors-'));
    });
    after(async () => {
      await em.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    afterEach(() => em.setFaults([]));

    const ec2 = (requestTimeout = 5000) =>
      new EC2Client({
        endpoint: em.url,
        region: 'us-east-1',
        credentials: { accessKeyId: acct.accessKeyId, secretAccessKey: acct.secretAccessKey! },
        maxAttempts: 1,
        requestHandler: { requestTimeout, throwOnRequestTimeout: true },
      });

    async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
      try {
        await fn();
      } catch (e) {
        return e;
      }
      return assert.fail('expected the call to fail');
    }

    const cases: { fault: FaultKind; kind: ErrorKind; code?: string; status?: number; timeoutMs?: number }[] = [
      { fault: 'throttle', kind: 'throttled', code: 'RequestLimitExceeded', status: 503 },
      { fault: 'internalError', kind: 'server', code: 'InternalError', status: 500 },
      { fault: 'drop', kind: 'network' },
      { fault: 'authFailure', kind: 'credentials', code: 'AuthFailure', status: 401 },
      { fault: 'unauthorized', kind: 'denied', code: 'UnauthorizedOperation', status: 403 },
      { fault: 'expiredToken', kind: 'expired', code: 'RequestExpired', status: 400 },
      { fault: 'hang', kind: 'timeout', code: 'TimeoutError', timeoutMs: 300 },
    ];
    for (const c of cases) {
      it(`EC2 fault ${c.fault} -> ${c.kind}`, async () => {
        em.setFaults([{ fault: c.fault }]);
        const err = await thrown(() => ec2(c.timeoutMs).send(new DescribeFlowLogsCommand({ MaxResults: 5 })));
        const r = classifyError(err, { profile: 'p', region: 'us-east-1' });
        assert.equal(r.kind, c.kind, `${JSON.stringify(r)}`);
        if (c.code) assert.equal(r.code, c.code);
        if (c.status) assert.equal(r.httpStatus, c.status);
        assert.ok(r.actions.includes('retry'));
        assert.equal(em.requests.at(-1)!.faults[0], c.fault, 'the fault did fire');
      });
    }

    it('a wrong secret key -> credentials', async () => {
      const client = new EC2Client({
        endpoint: em.url,
        region: 'us-east-1',
        credentials: { accessKeyId: acct.accessKeyId, secretAccessKey: 'wrong' },
        maxAttempts: 1,
      });
      const r = classifyError(await thrown(() => client.send(new DescribeFlowLogsCommand({}))));
      assert.equal(r.kind, 'credentials');
    });

    it('a bad filter -> invalidInput with editFilters', async () => {
      const err = await thrown(() => ec2().send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'bogus', Values: ['x'] }] })));
      const r = classifyError(err);
      assert.equal(r.kind, 'invalidInput');
      assert.equal(r.code, 'InvalidParameterValue');
      assert.ok(r.actions.includes('editFilters'));
    });

    it('a forged NextToken -> invalidInput (InvalidPaginationToken)', async () => {
      const r = classifyError(await thrown(() => ec2().send(new DescribeFlowLogsCommand({ MaxResults: 5, NextToken: 'forged.token' }))));
      assert.equal(r.kind, 'invalidInput');
      assert.equal(r.code, 'InvalidPaginationToken');
    });

    it('an abort -> aborted', async () => {
      em.setFaults([{ fault: 'hang' }]);
      const ctl = new AbortController();
      const p = thrown(() => ec2().send(new DescribeFlowLogsCommand({ MaxResults: 5 }), { abortSignal: ctl.signal }));
      setTimeout(() => ctl.abort(), 50);
      assert.equal(classifyError(await p).kind, 'aborted');
    });

    it('a refused connection -> network', async () => {
      const other = await startEmulator({ accounts: [acct] });
      const url = other.url;
      await other.stop();
      const client = new EC2Client({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: acct.accessKeyId, secretAccessKey: 's' },
        maxAttempts: 1,
      });
      const r = classifyError(await thrown(() => client.send(new DescribeFlowLogsCommand({}))));
      assert.equal(r.kind, 'network');
    });

    it('STS errors: expired token, throttling, unknown key', async () => {
      const sts = (key = acct.accessKeyId) =>
        new STSClient({
          endpoint: em.url,
          region: 'us-east-1',
          credentials: { accessKeyId: key, secretAccessKey: acct.secretAccessKey! },
          maxAttempts: 1,
        });
      em.setFaults([{ fault: 'expiredToken' }]);
      const expired = classifyError(await thrown(() => sts().send(new GetCallerIdentityCommand({}))));
      assert.deepEqual([expired.kind, expired.code], ['expired', 'ExpiredToken']);
      em.setFaults([{ fault: 'throttle' }]);
      const throttled = classifyError(await thrown(() => sts().send(new GetCallerIdentityCommand({}))));
      assert.deepEqual([throttled.kind, throttled.code], ['throttled', 'Throttling']);
      em.setFaults([]);
      const unknownKey = classifyError(await thrown(() => sts('AKIANOTKNOWN00000000').send(new GetCallerIdentityCommand({}))));
      assert.deepEqual([unknownKey.kind, unknownKey.code], ['credentials', 'InvalidClientTokenId']);
    });

    it('a profile the credential provider cannot find -> credentials, or sso for an SSO profile', async () => {
      const config = join(dir, 'config');
      writeFileSync(config, '[profile other]\nregion = us-east-1\n');
      const provider = fromIni({ profile: 'missing', filepath: join(dir, 'credentials'), configFilepath: config, ignoreCache: true });
      const err = await thrown(() => provider());
      assert.equal((err as Error).name, 'CredentialsProviderError');
      const r = classifyError(err, { profile: 'missing' });
      assert.equal(r.kind, 'credentials');
      assert.deepEqual(r.actions, ['openConfig', 'retry']);
      const sso = classifyError(err, { profile: 'missing', ssoProfile: true });
      assert.equal(sso.kind, 'sso');
      assert.match(sso.message, /aws sso login --profile missing/);
    });
  });
});
