# The emulator's S3 as boto3 sees it (a client nobody here wrote). Input: one JSON argument;
# output: one JSON object with what boto3 got. The mocha test (s3.test.ts beside it) compares it
# with the emulator's ground truth.
import gzip
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = json.loads(sys.argv[1])
out = {}


def client(region=None, addressing='path', attempts=1, endpoint=None):
    return boto3.client(
        's3',
        endpoint_url=endpoint or cfg['endpoint'],
        region_name=region or cfg['region'],
        aws_access_key_id=cfg['accessKeyId'],
        aws_secret_access_key=cfg['secretAccessKey'],
        config=Config(s3={'addressing_style': addressing}, retries={'max_attempts': attempts, 'mode': 'standard'}),
    )


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return {'code': e.response['Error'].get('Code'), 'status': e.response['ResponseMetadata'].get('HTTPStatusCode'),
                'message': e.response['Error'].get('Message'), 'region': e.response['ResponseMetadata'].get('HTTPHeaders', {}).get('x-amz-bucket-region')}
    return None


s3 = client()
bucket = cfg['bucket']

# Paging through a day with a small max-keys (boto3 sends encoding-type=url and decodes).
keys = []
pages = 0
for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=cfg['dayPrefix'], PaginationConfig={'PageSize': 7}):
    pages += 1
    keys.extend(o['Key'] for o in page.get('Contents', []))
out['dayKeys'] = keys
out['dayPages'] = pages

# Delimiter: the folders under the account's layout root.
res = s3.list_objects_v2(Bucket=bucket, Prefix=cfg['rootPrefix'], Delimiter='/')
out['commonPrefixes'] = [p['Prefix'] for p in res.get('CommonPrefixes', [])]
out['delimiterKeyCount'] = res['KeyCount']

# Delimiter with paging: every common prefix once.
prefixes = []
for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=cfg['rootPrefix'], Delimiter='/', PaginationConfig={'PageSize': 2}):
    prefixes.extend(p['Prefix'] for p in page.get('CommonPrefixes', []))
out['pagedCommonPrefixes'] = prefixes

res = s3.list_objects_v2(Bucket=bucket, Prefix=cfg['dayPrefix'], StartAfter=cfg['startAfter'], MaxKeys=3)
out['startAfterKeys'] = [o['Key'] for o in res.get('Contents', [])]
out['startAfterTruncated'] = res['IsTruncated']
out['sizes'] = {o['Key']: o['Size'] for o in res.get('Contents', [])}

key = cfg['key']
head = s3.head_object(Bucket=bucket, Key=key)
out['headLength'] = head['ContentLength']
whole = s3.get_object(Bucket=bucket, Key=key)['Body'].read()
out['wholeLength'] = len(whole)
out['headerLine'] = gzip.decompress(whole).decode().split('\n')[0] if key.endswith('.gz') else None
part = s3.get_object(Bucket=bucket, Key=key, Range='bytes=2-11')
out['rangeHex'] = part['Body'].read().hex()
out['contentRange'] = part['ContentRange']
out['suffixHex'] = s3.get_object(Bucket=bucket, Key=key, Range='bytes=-4')['Body'].read().hex()

out['invalidRange'] = error_of(lambda: s3.get_object(Bucket=bucket, Key=key, Range='bytes=%d-' % (len(whole) + 5)))
out['noSuchKey'] = error_of(lambda: s3.get_object(Bucket=bucket, Key=key + '.missing'))
out['noSuchBucket'] = error_of(lambda: s3.list_objects_v2(Bucket='no-such-bucket-' + cfg['accountId']))
out['otherAccount'] = error_of(lambda: s3.list_objects_v2(Bucket=cfg['otherBucket'], MaxKeys=1))
# Signed for another region: botocore follows the 301 PermanentRedirect (x-amz-bucket-region) itself.
out['wrongRegionKeys'] = client(region=cfg['wrongRegion']).list_objects_v2(Bucket=bucket, Prefix=cfg['dayPrefix'], MaxKeys=2)['KeyCount']
out['badToken'] = error_of(lambda: s3.list_objects_v2(Bucket=bucket, ContinuationToken='not-a-token'))
out['slowDown'] = error_of(lambda: client(region=cfg['slowDownRegion']).list_objects_v2(Bucket=bucket, MaxKeys=1))

# Virtual-hosted: the request goes to 127.0.0.1 with Host: bucket.localhost:PORT (signed as such).
vh = client(addressing='virtual', endpoint=cfg['localhostEndpoint'])


def to_loopback(request, **kwargs):
    host = request.url.split('/')[2]
    request.headers['Host'] = host
    request.url = request.url.replace('//' + host, '//127.0.0.1:' + host.split(':')[1], 1)


vh.meta.events.register('before-send.s3', to_loopback)
res = vh.list_objects_v2(Bucket=bucket, Prefix=cfg['dayPrefix'], MaxKeys=5)
out['virtualKeys'] = [o['Key'] for o in res.get('Contents', [])]
out['virtualBody'] = len(vh.get_object(Bucket=bucket, Key=key)['Body'].read())

print(json.dumps(out))
