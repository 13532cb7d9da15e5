// redactSecrets (the one redaction function) over a corpus of secret shapes, each in several
// contexts, and classifyError / failureOf (what crosses from the worker), which apply it for every exit (tree, tooltip,
// notification, webview, output channel). Issue 13, defect 1.
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/shared/redact';
import { classifyError } from '../../src/aws/worker/classifyError';
import { failureOf } from '../../src/aws/worker/awsOperations';
import type { AwsProfile } from '../../src/shared/profiles';

/** What crosses from the worker to the extension host: the failure as the worker classifies it. */
const crossing = (err: unknown) =>
  failureOf(err, 'describeFlowLogsPage', { name: 'proc', kind: 'process', settings: {} } satisfies AwsProfile, 'us-east-1');

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEBAaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKENvalue1234567890abcdef+/==';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const GITHUB = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const HEX40 = '0123456789abcdef0123456789abcdef01234567';

/** Secrets a test may use as a value in `key=value` forms: any short word, by name only. */
const SHORT = ['SECRET', 'hunter2', 's3cr3t!', 'Tr0ub4dor&3'.replace('&', '')];

const shapes: [string, string][] = [
  ['AWS secret key', AWS_SECRET],
  ['session token', SESSION_TOKEN],
  ['JWT', JWT],
  ['GitHub token', GITHUB],
  ['hex token', HEX40],
];

const contexts: [string, (s: string) => string][] = [
  ['bare', (s) => `error: ${s}`],
  ['in quotes', (s) => `the token '${s}' is expired`],
  ['JSON', (s) => `{"SessionToken":"${s}","Version":1}`],
  ['after a newline', (s) => `Command output:\n${s}\nend`],
  ['in parentheses', (s) => `invalid (${s})`],
  ['query string', (s) => `https://ec2.amazonaws.com/?Action=X&X-Amz-Security-Token=${s}&X-Amz-Date=1`],
];

const named: [string, (s: string) => string][] = [
  ['--api-token=', (s) => `Command failed: /bin/false --api-token=${s}`],
  ['--api-token (space)', (s) => `run --api-token ${s} now`],
  ['token …', (s) => `using token ${s}`],
  ['secret_key=', (s) => `secret_key=${s}`],
  ['password=', (s) => `password=${s};host=db`],
  ['password: ', (s) => `password: ${s}`],
  ['Bearer …', (s) => `Authorization: Bearer ${s}`],
  ['aws_secret_access_key = ', (s) => `aws_secret_access_key = ${s}`],
  ['AWS_SESSION_TOKEN=', (s) => `env AWS_SESSION_TOKEN=${s} aws sts`],
  ['client_secret', (s) => `client_secret=${s}`],
  ['api_key:', (s) => `{ api_key: "${s}" }`],
  ['URL user:password', (s) => `fetch https://admin:${s}@db.example.com/path failed`],
  ['URL password only', (s) => `git clone https://${s}@github.com/org/repo`],
];

describe('redactSecrets (issue 13, defect 1): one function, a corpus of secret shapes', () => {
  for (const [shape, secret] of shapes) {
    for (const [where, wrap] of contexts) {
      it(`removes a ${shape} (${where})`, () => {
        const out = redactSecrets(wrap(secret));
        assert.ok(!out.includes(secret), out);
        assert.ok(!out.includes(secret.slice(4, 20)), `a fragment remains: ${out}`);
        assert.match(out, /\[redacted\]/);
      });
    }
  }
  for (const [form, wrap] of named) {
    for (const secret of [...SHORT, AWS_SECRET]) {
      it(`removes the value of ${form} (${secret.length} chars)`, () => {
        const out = redactSecrets(wrap(secret));
        assert.ok(!out.includes(secret), out);
        assert.match(out, /\[redacted\]/);
      });
    }
  }

  it('keeps the text around a secret, and ordinary error messages whole', () => {
    assert.equal(redactSecrets(`password=hunter2;host=db`), 'password=[redacted];host=db');
    assert.equal(redactSecrets(`fetch https://admin:pw@db.example.com/x`), 'fetch https://[redacted]@db.example.com/x');
    const ordinary = [
      'The security token included in the request is invalid.',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      'The flow log ID fl-0123456789abcdef0 does not exist (InvalidFlowLogId.NotFound)',
      'arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-0123456789abcdef0',
      'RequestId: 5e7f1c2a-8d3b-4f6e-9a0b-1c2d3e4f5a6b',
      'connect ECONNREFUSED 127.0.0.1:4566',
      'SSO session missing or expired: run aws sso login --profile corp',
      'AuthFailure: AWS was not able to validate the provided access credentials',
    ];
    for (const text of ordinary) assert.equal(redactSecrets(text), text);
  });

  it('is linear on hostile input: 200,000 separators, a 200,000-character word, many secret names', () => {
    // No timing assertion: a quadratic pass over these would make the test time out.
    const inputs = [
      ' '.repeat(200_000),
      'a'.repeat(200_000),
      'token '.repeat(40_000),
      'AKIA'.repeat(50_000),
      `https://${'a:'.repeat(50_000)}`,
      '='.repeat(200_000),
    ];
    for (const text of inputs) assert.equal(typeof redactSecrets(text), 'string');
  });

  it('never throws on strange input', () => {
    for (const v of ['', '\u0000\uD800', '[redacted]', 'token', 'token =', '://@', 'a=b=c:d'] as string[])
      assert.equal(typeof redactSecrets(v), 'string');
    assert.equal(redactSecrets(undefined as unknown as string), '');
  });

  it('classifyError: no secret of the corpus in the message or detail of any kind of error', () => {
    const errors: unknown[] = [];
    for (const [, secret] of shapes) {
      for (const [, wrap] of [...contexts, ...named]) {
        const text = wrap(secret);
        errors.push(
          Object.assign(new Error(text), { name: 'CredentialsProviderError' }),
          Object.assign(new Error(text), { name: 'ExpiredToken', $metadata: { httpStatusCode: 400 } }),
          Object.assign(new Error(text), { name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }),
          Object.assign(new Error(text), { name: 'SomethingNew', $metadata: { httpStatusCode: 400 } }),
          Object.assign(new Error(text), { code: 'ECONNRESET' }),
          text,
        );
      }
    }
    for (const err of errors) {
      const e = classifyError(err, { profile: 'p' });
      for (const [, secret] of shapes) {
        assert.ok(!e.message.includes(secret) && !(e.detail ?? '').includes(secret), `${e.kind}: ${e.message} / ${e.detail}`);
      }
    }
  });

  it('a credential program failure: neither its command line nor its stderr is shown', () => {
    const err = Object.assign(new Error('Command failed: /bin/false --api-token=SECRET\nerror: login as alice with passphrase swordfish'), {
      name: 'CredentialsProviderError',
    });
    const e = classifyError(err, { profile: 'proc' });
    assert.equal(e.kind, 'credentials');
    assert.equal(
      e.message,
      'Credentials could not be loaded for profile "proc": the credential program (credential_process) failed; run it in a terminal to see why',
    );
    for (const word of ['/bin/false', 'api-token', 'SECRET', 'alice', 'swordfish']) {
      assert.ok(!e.message.includes(word) && !(e.detail ?? '').includes(word), word);
    }
    // The same on the worker side, before the error crosses to the extension host.
    const s = crossing(err);
    for (const word of ['/bin/false', 'SECRET', 'swordfish'])
      assert.ok(!s.message.includes(word) && !(s.detail ?? '').includes(word), word);
  });

  it('the error that crosses from the worker redacts a server message that echoes the session token', () => {
    const s = crossing(Object.assign(new Error(`The security token ${SESSION_TOKEN} is expired`), { name: 'ExpiredToken' }));
    assert.ok(!s.message.includes(SESSION_TOKEN) && !(s.detail ?? '').includes(SESSION_TOKEN));
    assert.equal(s.code, 'ExpiredToken');
  });
});

describe('redactSecrets keeps file paths (they name the config file with a problem)', () => {
  it('a temporary directory path with mixed case and digits is kept, a secret inside one is not', () => {
    for (const p of [
      '/tmp/flowlogs-it-Ab12Cd/config-is-a-dir: The config file is not a file',
      'C:\\Users\\Me\\.aws\\config:4: not a line',
      '/home/user/.aws/credentials:12: [x] appears more than once',
    ]) {
      assert.equal(redactSecrets(p), p);
    }
    assert.ok(!redactSecrets(`/tmp/x-1/${AWS_SECRET.replace(/\//g, '')}x`).includes(AWS_SECRET.replace(/\//g, '')));
  });
});
