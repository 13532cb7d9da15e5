// The emulator's S3 over real HTTP, checked with clients nobody here wrote: boto3 (listing with
// paging, delimiter, start-after, ranged GetObject, HeadObject, errors, virtual-hosted requests),
// the AWS SDK for JavaScript (SigV4 for s3 with its payload hashes, region redirect), the AWS CLI,
// and hyparquet reading the Parquet objects it serves.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { FlowLog } from '../../../src/shared/types';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';
import { formatFields } from '../../emulator/s3/records';
import { parseS3Destination } from '../../emulator/s3/catalog';

const [acct1, acct2] = defaultAccounts(40);
const REGION = 'us-east-1';

function s3Logs(em: Emulator, accountId = acct1.accountId, region = REGION): FlowLog[] {
  return em.flowLogs(accountId, region).filter((l) => l.LogDestinationType === 's3');
}

/** Runs a program without blocking this process (the emulator answers it from here). */
async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: Buffer; stderr: string }> {
  try {
    const r = await promisify(execFile)(cmd, args, {
      encoding: 'buffer',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout: r.stdout, stderr: r.stderr.toString() };
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    assert.fail(`${cmd} failed: ${err.stderr?.toString() || err.message}`);
  }
}

describe('emulator S3', function () {
  this.timeout(120_000);
  let em: Emulator;
  const sdk = (region = REGION, extra: Record<string, unknown> = {}) =>
    new S3Client({
      endpoint: em.url,
      region,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: acct1.secretAccessKey! },
      ...extra,
    });

  before(async () => {
    em = await startEmulator({
      accounts: [acct1, acct2],
      seed: 7,
      faults: [{ fault: 'throttle', action: 'ListObjectsV2', region: 'ap-southeast-2' }],
      s3: { largeObjectRecords: 2000 },
    });
  });
  after(() => em.stop());

  it('gives every s3 flow log objects in its own layout, over all four layouts and both formats', () => {
    const logs = [...s3Logs(em), ...s3Logs(em, acct1.accountId, 'eu-west-1')];
    const combos = new Set(logs.map((l) => JSON.stringify(l.DestinationOptions)));
    assert.equal(combos.size, 8, `combinations seen: ${[...combos].join(' ')}`);
    for (const log of logs.slice(0, 6)) {
      const dest = parseS3Destination(log.LogDestination)!;
      const o = log.DestinationOptions!;
      const objects = em.s3.objects(dest.bucket, dest.prefix).filter((x) => x.flowLogId === log.FlowLogId);
      // 7 days of 5-minute windows (some windows have two files): at least 2000 objects.
      assert.ok(objects.length >= 2000 && objects.length < 2400, `${objects.length} objects`);
      const pattern = o.HiveCompatiblePartitions
        ? new RegExp(
            `^${dest.prefix}AWSLogs/aws-account-id=${acct1.accountId}/aws-service=vpcflowlogs/aws-region=[a-z0-9-]+/year=\\d{4}/month=\\d\\d/day=\\d\\d/${o.PerHourPartition ? 'hour=\\d\\d/' : ''}\\d{12}_vpcflowlogs_[a-z0-9-]+_${log.FlowLogId}_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.${o.FileFormat === 'parquet' ? 'parquet' : 'log\\.gz'}$`,
          )
        : new RegExp(
            `^${dest.prefix}AWSLogs/${acct1.accountId}/vpcflowlogs/[a-z0-9-]+/\\d{4}/\\d\\d/\\d\\d/${o.PerHourPartition ? '\\d\\d/' : ''}\\d{12}_vpcflowlogs_[a-z0-9-]+_${log.FlowLogId}_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.${o.FileFormat === 'parquet' ? 'parquet' : 'log\\.gz'}$`,
          );
      for (const x of objects.slice(0, 50)) assert.match(x.key, pattern);
    }
  });

  it('serves listing, ranges, heads and S3 errors as boto3 expects', async () => {
    const log = s3Logs(em).find(
      (l) =>
        l.DestinationOptions?.FileFormat === 'plain-text' &&
        !l.DestinationOptions.PerHourPartition &&
        !l.DestinationOptions.HiveCompatiblePartitions,
    )!;
    const dest = parseS3Destination(log.LogDestination)!;
    const all = em.s3.objects(dest.bucket, dest.prefix);
    const mine = all.filter((o) => o.flowLogId === log.FlowLogId && o.kind === 'normal');
    const sample = mine[300];
    const dayPrefix = sample.key.slice(0, sample.key.lastIndexOf('/') + 1);
    const rootPrefix = `${dest.prefix}AWSLogs/${acct1.accountId}/vpcflowlogs/${REGION}/`;
    const dayTruth = all.filter((o) => o.key.startsWith(dayPrefix)).map((o) => o.key);
    const other = s3Logs(em, acct2.accountId)[0];
    const out = JSON.parse(
      (
        await run('/usr/bin/python3', [
          join(__dirname, '../../../../test/unit/emulator/boto3_s3.py'),
          JSON.stringify({
            endpoint: em.url,
            localhostEndpoint: em.url.replace('127.0.0.1', 'localhost'),
            region: REGION,
            accountId: acct1.accountId,
            accessKeyId: acct1.accessKeyId,
            secretAccessKey: acct1.secretAccessKey,
            bucket: dest.bucket,
            dayPrefix,
            rootPrefix,
            startAfter: dayTruth[4],
            key: sample.key,
            otherBucket: parseS3Destination(other.LogDestination)!.bucket,
            wrongRegion: 'eu-west-1',
            slowDownRegion: 'ap-southeast-2',
          }),
        ])
      ).stdout.toString('utf8'),
    ) as Record<string, any>;

    assert.deepEqual(out.dayKeys, dayTruth);
    assert.equal(out.dayPages, Math.ceil(dayTruth.length / 7));
    const years = [...new Set(all.filter((o) => o.key.startsWith(rootPrefix)).map((o) => `${o.key.slice(0, rootPrefix.length + 5)}`))];
    assert.deepEqual(out.commonPrefixes, years);
    assert.equal(out.delimiterKeyCount, years.length);
    assert.deepEqual(out.pagedCommonPrefixes, years);
    assert.deepEqual(out.startAfterKeys, dayTruth.slice(5, 8));
    assert.equal(out.startAfterTruncated, dayTruth.length > 8);
    const body = em.s3.body(dest.bucket, sample.key)!;
    assert.equal(out.sizes[dayTruth[5]], em.s3.body(dest.bucket, dayTruth[5])!.length);
    assert.equal(out.headLength, body.length);
    assert.equal(out.wholeLength, body.length);
    assert.equal(out.headerLine, formatFields(log.LogFormat).join(' '));
    assert.equal(out.rangeHex, body.subarray(2, 12).toString('hex'));
    assert.equal(out.contentRange, `bytes 2-11/${body.length}`);
    assert.equal(out.suffixHex, body.subarray(body.length - 4).toString('hex'));
    assert.deepEqual([out.invalidRange.code, out.invalidRange.status], ['InvalidRange', 416]);
    assert.deepEqual([out.noSuchKey.code, out.noSuchKey.status], ['NoSuchKey', 404]);
    assert.deepEqual([out.noSuchBucket.code, out.noSuchBucket.status], ['NoSuchBucket', 404]);
    assert.deepEqual([out.otherAccount.code, out.otherAccount.status], ['AccessDenied', 403]);
    assert.match(out.otherAccount.message, /s3:ListBucket/);
    assert.equal(out.wrongRegionKeys, 2);
    assert.ok(
      em.requests.some(
        (r) => r.region === 'eu-west-1' && r.bucket === dest.bucket && r.status === 301 && r.errorCode === 'PermanentRedirect',
      ),
    );
    assert.deepEqual([out.badToken.code, out.badToken.status], ['InvalidArgument', 400]);
    assert.deepEqual([out.slowDown.code, out.slowDown.status], ['SlowDown', 503]);
    assert.deepEqual(out.virtualKeys, dayTruth.slice(0, 5));
    assert.equal(out.virtualBody, body.length);
    const virtual = em.requests.filter((r) => r.service === 's3' && r.bucket === dest.bucket && r.action === 'GetObject').length;
    assert.ok(virtual >= 1);
  });

  it('signs and redirects as the AWS SDK for JavaScript expects, and its Parquet objects read with hyparquet', async () => {
    const log = s3Logs(em).find((l) => l.DestinationOptions?.FileFormat === 'parquet')!;
    const dest = parseS3Destination(log.LogDestination)!;
    const mine = em.s3.objects(dest.bucket, dest.prefix).filter((o) => o.flowLogId === log.FlowLogId && o.kind === 'normal');
    const sample = mine[100];
    // Signed in the wrong region: the SDK follows the redirect (x-amz-bucket-region) by itself.
    const client = sdk('eu-west-1', { followRegionRedirects: true });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: dest.bucket, Prefix: sample.key }));
    assert.deepEqual(
      listed.Contents?.map((c) => c.Key),
      [sample.key],
    );
    const got = await sdk().send(new GetObjectCommand({ Bucket: dest.bucket, Key: sample.key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.deepEqual(bytes, em.s3.body(dest.bucket, sample.key));
    const { parquetReadObjects, parquetMetadata } = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    const meta = parquetMetadata(buffer);
    const fields = formatFields(log.LogFormat);
    assert.deepEqual(
      meta.schema.slice(1).map((s) => s.name),
      fields.map((f) => f.replace(/-/g, '_')),
    );
    assert.ok(meta.row_groups.every((g) => g.columns.every((c) => c.meta_data?.codec === 'GZIP')));
    const rows = await parquetReadObjects({ file: buffer, compressors });
    const truth = em.s3.rows(dest.bucket, sample.key)!;
    assert.ok(truth.length > 0);
    const asText = rows.map((r) =>
      fields.map((f) => {
        const v = r[f.replace(/-/g, '_')];
        return v === null ? '-' : String(v);
      }),
    );
    assert.deepEqual(asText, truth);
    if (fields.includes('start')) for (const r of rows) assert.equal(typeof r.start, 'bigint');
  });

  it('checks SigV4 for s3 whatever payload hash the client signs (UNSIGNED-PAYLOAD, STREAMING-...), and refuses a wrong secret', async () => {
    const log = s3Logs(em)[0];
    const dest = parseS3Destination(log.LogDestination)!;
    const key = em.s3.objects(dest.bucket, dest.prefix).find((o) => o.flowLogId === log.FlowLogId)!.key;
    const withHash = (hash: string, secret = acct1.secretAccessKey!) => {
      const client = sdk(REGION, { credentials: { accessKeyId: acct1.accessKeyId, secretAccessKey: secret } });
      // Set before signing: the signer then signs this value as the payload hash, as S3 clients do.
      client.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = hash;
          return next(args);
        },
        { step: 'build', name: 'payloadHash' },
      );
      return client;
    };
    for (const hash of ['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER']) {
      const got = await withHash(hash).send(new GetObjectCommand({ Bucket: dest.bucket, Key: key }));
      assert.equal(Buffer.from(await got.Body!.transformToByteArray()).length, em.s3.body(dest.bucket, key)!.length, hash);
    }
    await assert.rejects(
      withHash('UNSIGNED-PAYLOAD', 'wrong-secret').send(new GetObjectCommand({ Bucket: dest.bucket, Key: key })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'SignatureDoesNotMatch' && e.$metadata?.httpStatusCode === 403,
    );
    // A hash other than the one signed: the signature no longer matches.
    const tampered = sdk();
    tampered.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        return next(args);
      },
      { step: 'finalizeRequest', name: 'tamper', priority: 'low' },
    );
    await assert.rejects(
      tampered.send(new GetObjectCommand({ Bucket: dest.bucket, Key: key })),
      (e: Error) => e.name === 'SignatureDoesNotMatch',
    );
  });

  it('answers the AWS CLI (aws s3 ls, aws s3 cp)', async function () {
    const log = s3Logs(em).find((l) => l.DestinationOptions?.FileFormat === 'plain-text')!;
    const dest = parseS3Destination(log.LogDestination)!;
    const sample = em.s3.objects(dest.bucket, dest.prefix).filter((o) => o.flowLogId === log.FlowLogId && o.kind === 'normal')[50];
    const dir = sample.key.slice(0, sample.key.lastIndexOf('/') + 1);
    const env = { AWS_ACCESS_KEY_ID: acct1.accessKeyId, AWS_SECRET_ACCESS_KEY: acct1.secretAccessKey!, AWS_DEFAULT_REGION: REGION };
    const buckets = (await run('/usr/bin/aws', ['--endpoint-url', em.url, 's3', 'ls'], env)).stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).pop());
    const own = [
      ...new Set(
        [...s3Logs(em), ...s3Logs(em, acct1.accountId, 'eu-west-1'), ...s3Logs(em, acct1.accountId, 'ap-southeast-2')].map(
          (l) => parseS3Destination(l.LogDestination)!.bucket,
        ),
      ),
    ].sort();
    assert.deepEqual(buckets, own);
    const ls = await run('/usr/bin/aws', ['--endpoint-url', em.url, 's3', 'ls', `s3://${dest.bucket}/${dir}`], env);
    const names = ls.stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).pop());
    assert.deepEqual(
      names,
      em.s3.objects(dest.bucket, dir).map((o) => o.key.slice(dir.length)),
    );
    const cp = await run('/usr/bin/aws', ['--endpoint-url', em.url, 's3', 'cp', `s3://${dest.bucket}/${sample.key}`, '-'], env);
    assert.equal(gunzipSync(cp.stdout).toString('utf8'), gunzipSync(em.s3.body(dest.bucket, sample.key)!).toString('utf8'));
  });

  it('keeps records deterministic, and marks one corrupt and one very large object per flow log and week', async () => {
    const log = s3Logs(em)[0];
    const dest = parseS3Destination(log.LogDestination)!;
    const objects = em.s3.objects(dest.bucket, dest.prefix).filter((o) => o.flowLogId === log.FlowLogId);
    const large = objects.filter((o) => o.kind === 'large');
    assert.ok(large.length <= 1);
    const em2 = await startEmulator({ accounts: [acct1], seed: 7, s3: { largeObjectRecords: 2000 } });
    try {
      const sample = objects[10];
      assert.deepEqual(em2.s3.body(dest.bucket, sample.key), em.s3.body(dest.bucket, sample.key));
    } finally {
      await em2.stop();
    }
    const corrupt = em.s3.objects(dest.bucket).filter((o) => o.kind === 'corrupt');
    assert.ok(corrupt.length > 0);
    const c = corrupt[0];
    const bytes = em.s3.body(dest.bucket, c.key)!;
    if (c.key.endsWith('.gz')) assert.throws(() => gunzipSync(bytes));
    else assert.notEqual(bytes.subarray(bytes.length - 4).toString(), 'PAR1');
  });
});
