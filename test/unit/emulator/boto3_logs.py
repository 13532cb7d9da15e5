#!/usr/bin/python3
"""boto3 (a client nobody here wrote) against the local CloudWatch Logs endpoint.

    /usr/bin/python3 test/unit/emulator/boto3_logs.py '<json options>'

Options: endpointUrl, region, accessKeyId, secretAccessKey, group, startTime, endTime, pattern,
limit, stream, missingGroup. Prints one JSON object: the event IDs of filter_log_events through
boto3's paginator, the groups and streams described, the messages of get_log_events for one
stream (following nextForwardToken until it repeats), and the error code for a missing group and
for a bad pattern.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

o = json.loads(sys.argv[1])
client = boto3.client(
    "logs",
    endpoint_url=o["endpointUrl"],
    region_name=o["region"],
    aws_access_key_id=o["accessKeyId"],
    aws_secret_access_key=o["secretAccessKey"],
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
out = {}
args = {"logGroupName": o["group"], "startTime": o["startTime"], "endTime": o["endTime"]}
if o.get("pattern"):
    args["filterPattern"] = o["pattern"]
if o.get("limit"):
    args["PaginationConfig"] = {"PageSize": o["limit"]}
ids, pages = [], 0
for page in client.get_paginator("filter_log_events").paginate(**args):
    pages += 1
    ids.extend(e["eventId"] for e in page["events"])
out["filterIds"] = ids
out["filterPages"] = pages
out["groups"] = [g["logGroupName"] for p in client.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 5}) for g in p["logGroups"]]
out["streams"] = [s["logStreamName"] for s in client.describe_log_streams(logGroupName=o["group"])["logStreams"]]
msgs, token = [], None
while True:
    kw = {"logGroupName": o["group"], "logStreamName": o["stream"], "startTime": o["startTime"], "endTime": o["endTime"], "startFromHead": True, "limit": 100}
    if token:
        kw["nextToken"] = token
    r = client.get_log_events(**kw)
    msgs.extend(e["message"] for e in r["events"])
    if r["nextForwardToken"] == token:
        break
    token = r["nextForwardToken"]
out["streamMessages"] = msgs
for key, call in (("missingGroup", lambda: client.filter_log_events(logGroupName=o["missingGroup"])),
                  ("badPattern", lambda: client.filter_log_events(logGroupName=o["group"], filterPattern="[a, b>x]"))):
    try:
        call()
        out[key] = None
    except ClientError as e:
        out[key] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "message": e.response["Error"]["Message"]}
print(json.dumps(out))
