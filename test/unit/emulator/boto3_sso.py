# The emulator's SSO portal API as boto3 sees it (a client nobody here wrote). Input: one JSON
# argument; output: one JSON object with what boto3 got. sso.test.ts compares it with the truth.
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = json.loads(sys.argv[1])
out = {}
sso = boto3.client('sso', endpoint_url=cfg['endpoint'], region_name=cfg['region'],
                   config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return {'code': e.response['Error'].get('Code'), 'status': e.response['ResponseMetadata'].get('HTTPStatusCode')}
    return None


# Every account, through boto3's own paginator (maxResults per page).
accounts = []
pages = 0
for page in sso.get_paginator('list_accounts').paginate(accessToken=cfg['token'], PaginationConfig={'PageSize': 7}):
    pages += 1
    accounts.extend(page['accountList'])
out['accounts'] = accounts
out['pages'] = pages
out['roles'] = sso.list_account_roles(accessToken=cfg['token'], accountId=cfg['accountId'])['roleList']
creds = sso.get_role_credentials(accessToken=cfg['token'], accountId=cfg['accountId'], roleName=cfg['roleName'])['roleCredentials']
out['expiration'] = creds['expiration']
# The role credentials sign EC2 calls as that account.
sts = boto3.client('sts', endpoint_url=cfg['endpoint'], region_name=cfg['region'], aws_access_key_id=creds['accessKeyId'],
                   aws_secret_access_key=creds['secretAccessKey'], aws_session_token=creds['sessionToken'])
out['callerAccount'] = sts.get_caller_identity()['Account']
out['expired'] = error_of(lambda: sso.list_accounts(accessToken=cfg['expiredToken']))
out['unknownAccount'] = error_of(lambda: sso.list_account_roles(accessToken=cfg['token'], accountId='123456789012'))
out['unknownRole'] = error_of(lambda: sso.get_role_credentials(accessToken=cfg['token'], accountId=cfg['accountId'], roleName='NoSuchRole'))
out['badMax'] = error_of(lambda: sso.list_accounts(accessToken=cfg['token'], maxResults=101))
out['badToken'] = error_of(lambda: sso.list_accounts(accessToken=cfg['token'], nextToken='forged'))
print(json.dumps(out))
