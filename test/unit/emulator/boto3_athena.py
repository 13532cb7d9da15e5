# The emulator's Athena as boto3 sees it (a client nobody here wrote). Input: one JSON argument;
# output: one JSON object with what boto3 got. The mocha test (athena.test.ts beside it) checks it
# against the endpoint's own answers and ground truth.
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = json.loads(sys.argv[1])
out = {}


def client(service):
    return boto3.client(
        service,
        endpoint_url=cfg['endpoint'],
        region_name=cfg['region'],
        aws_access_key_id=cfg['accessKeyId'],
        aws_secret_access_key=cfg['secretAccessKey'],
        config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, s3={'addressing_style': 'path'}),
    )


athena = client('athena')
s3 = client('s3')


def wait(qid):
    for _ in range(600):
        q = athena.get_query_execution(QueryExecutionId=qid)['QueryExecution']
        if q['Status']['State'] in ('SUCCEEDED', 'FAILED', 'CANCELLED'):
            return q
        time.sleep(0.05)
    raise Exception('query did not finish')


# The extension's DDL, then a count over the range, paged with a small page size.
for sql in ['CREATE DATABASE IF NOT EXISTS flowlogs', cfg['ddl']]:
    q = wait(athena.start_query_execution(QueryString=sql, WorkGroup='results')['QueryExecutionId'])
    out.setdefault('ddlStates', []).append(q['Status']['State'])

qid = athena.start_query_execution(QueryString=cfg['sql'], WorkGroup='results')['QueryExecutionId']
q = wait(qid)
out['state'] = q['Status']['State']
out['scanned'] = q['Statistics']['DataScannedInBytes']
out['outputLocation'] = q['ResultConfiguration']['OutputLocation']
rows = []
pages = 0
for page in athena.get_paginator('get_query_results').paginate(QueryExecutionId=qid, PaginationConfig={'PageSize': 3}):
    pages += 1
    if pages == 1:
        out['columns'] = [c['Name'] for c in page['ResultSet']['ResultSetMetadata']['ColumnInfo']]
    rows.extend([d.get('VarCharValue') for d in r['Data']] for r in page['ResultSet']['Rows'])
out['rows'] = rows
out['pages'] = pages

# The CSV Athena wrote to the output location.
bucket, key = out['outputLocation'][len('s3://'):].split('/', 1)
out['csv'] = s3.get_object(Bucket=bucket, Key=key)['Body'].read().decode('utf-8')

# Errors as boto3 reads them.
try:
    athena.start_query_execution(QueryString='SELECT 1', WorkGroup='primary')
except ClientError as e:
    out['noOutput'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
try:
    athena.get_query_execution(QueryExecutionId='00000000-0000-0000-0000-000000000000')
except ClientError as e:
    out['unknownId'] = e.response['Error']['Code']
out['workGroup'] = athena.get_work_group(WorkGroup='results')['WorkGroup']['Configuration']['ResultConfiguration']['OutputLocation']
t = athena.get_table_metadata(CatalogName='AwsDataCatalog', DatabaseName='flowlogs', TableName=cfg['table'])['TableMetadata']
out['tableColumns'] = [c['Name'] for c in t['Columns']]
out['partitionKeys'] = [c['Name'] for c in t['PartitionKeys']]
print(json.dumps(out))
