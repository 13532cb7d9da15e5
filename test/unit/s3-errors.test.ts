// S3 errors as the records panel shows them: each names the permission and the bucket or object,
// and carries the action that helps. Pure; the same errors are produced over real HTTP in
// s3-records.test.ts.
import assert from 'node:assert/strict';
import { classifyS3Error } from '../../src/aws/worker/recordsErrors';

const err = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const ctx = { profile: 'prod', region: 'us-east-1', bucket: 'logs-bucket', action: 's3:GetObject' as const, key: 'AWSLogs/1/x.log.gz' };

describe('S3 error classification', () => {
  it('names the action and the object for AccessDenied, and KMS separately', () => {
    const denied = classifyS3Error(err('AccessDenied', 'Access Denied', 403), ctx);
    assert.equal(denied.kind, 'denied');
    assert.match(denied.message, /^Not authorized for s3:GetObject on s3:\/\/logs-bucket\/AWSLogs\/1\/x\.log\.gz \(profile "prod"\)/);
    const list = classifyS3Error(err('AccessDenied', 'Access Denied', 403), { ...ctx, key: undefined, action: 's3:ListBucket' });
    assert.match(list.message, /s3:ListBucket on bucket logs-bucket/);
    const kms = classifyS3Error(
      err('AccessDenied', 'User: x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:...', 403),
      ctx,
    );
    assert.equal(kms.kind, 'kms');
    assert.match(kms.message, /kms:Decrypt/);
  });

  it('NoSuchBucket points at the delivery; NoSuchKey, archive, redirect, SlowDown, unknown key', () => {
    const nb = classifyS3Error(err('NoSuchBucket', 'The specified bucket does not exist', 404), {
      ...ctx,
      key: undefined,
      action: 's3:ListBucket',
    });
    assert.deepEqual([nb.kind, nb.actions], ['notFound', ['showDelivery', 'retry']]);
    assert.equal(classifyS3Error(err('NoSuchKey', 'gone', 404), ctx).kind, 'notFound');
    assert.match(classifyS3Error(err('InvalidObjectState', 'storage class', 403), ctx).message, /archive storage class/);
    assert.equal(classifyS3Error(err('PermanentRedirect', 'other endpoint', 301), ctx).kind, 'config');
    assert.equal(classifyS3Error(err('SlowDown', 'Please reduce your request rate.', 503), ctx).kind, 'throttled');
    assert.equal(classifyS3Error(err('InvalidAccessKeyId', 'no such key', 403), ctx).kind, 'credentials');
    assert.equal(classifyS3Error(Object.assign(new Error('aborted'), { name: 'AbortError' }), ctx).kind, 'aborted');
  });

  it('never throws on odd values', () => {
    for (const v of [undefined, null, 42, 'text', {}, Object.create(null)]) assert.ok(classifyS3Error(v, ctx).message);
  });
});
