// redact(): secret-looking values never reach the log, the rest of the text is kept.
import assert from 'node:assert/strict';
import { redact } from '../../src/shared/logger';
import { MemoryLogger, silentLogger } from '../support/loggers';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEBAaCXVzLWVhc3QtMSJHMEUCIQD/abc+def==';

describe('logger', () => {
  describe('redact', () => {
    const cases: [string, string, string][] = [
      ['ini line', `aws_secret_access_key = ${SECRET}`, 'aws_secret_access_key = [redacted]'],
      ['env variable', `AWS_SECRET_ACCESS_KEY=${SECRET} next`, 'AWS_SECRET_ACCESS_KEY=[redacted] next'],
      ['session token', `aws_session_token=${TOKEN}`, 'aws_session_token=[redacted]'],
      ['JSON', `{"SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}`, '{"SecretAccessKey":"[redacted]","SessionToken":"[redacted]"}'],
      ['JS object', `{ secretAccessKey: '${SECRET}', region: 'us-east-1' }`, "{ secretAccessKey: '[redacted]', region: 'us-east-1' }"],
      ['header', `X-Amz-Security-Token: ${TOKEN}\nHost: ec2`, 'X-Amz-Security-Token: [redacted]\nHost: ec2'],
      [
        'query string',
        `Action=DescribeFlowLogs&X-Amz-Signature=abcdef0123&X-Amz-Date=20240101`,
        'Action=DescribeFlowLogs&X-Amz-Signature=[redacted]&X-Amz-Date=20240101',
      ],
      [
        'authorization header',
        'Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
        'Credential=AKIA…MPLE/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=[redacted]',
      ],
      ['access key id', 'key AKIAIOSFODNN7EXAMPLE and temp ASIAY34FZKBOKMUTVV7A', 'key AKIA…MPLE and temp ASIA…VV7A'],
    ];
    for (const [what, input, want] of cases) {
      it(`redacts: ${what}`, () => {
        const out = redact(input);
        assert.equal(out, want);
        assert.ok(!out.includes(SECRET) && !out.includes(TOKEN));
      });
    }

    it('leaves ordinary text alone', () => {
      const text = 'DescribeFlowLogs profile=dev region=us-east-1 pageSize=50 -> 50 items, more in 120 ms; AKIA is a prefix';
      assert.equal(redact(text), text);
      assert.equal(redact(''), '');
    });

    it('redacts every occurrence, and is stable when applied twice', () => {
      const text = `aws_secret_access_key=${SECRET} aws_secret_access_key=${SECRET}`;
      const once = redact(text);
      assert.equal(once, 'aws_secret_access_key=[redacted] aws_secret_access_key=[redacted]');
      assert.equal(redact(once), once);
    });
  });

  describe('MemoryLogger', () => {
    it('keeps lines in order with their level', () => {
      const l = new MemoryLogger();
      l.info('a');
      l.warn('b');
      l.error('c');
      assert.deepEqual(l.lines, ['INFO a', 'WARN b', 'ERROR c']);
    });

    it('silentLogger accepts anything', () => {
      assert.doesNotThrow(() => {
        silentLogger.info('x');
        silentLogger.warn('y');
        silentLogger.error('z');
      });
    });
  });
});
