#!/usr/bin/python3
"""The reference client: boto3's describe_flow_logs paginator against the same emulator.

    /usr/bin/python3 scripts/bench/boto3_walk.py '<json options>'

Options: endpointUrl, profiles [names], regions [names], pageSize (null = boto3's default: no
MaxResults sent), reps. Profiles come from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE. Walks
every (profile, region) one after another, as a script would, and prints one JSON line: per run the
wall time, the wire time (botocore's URLLib3Session.send, which returns with the body read), the
requests, the process CPU time; and per profile/region the count and SHA-256 of the sorted flow log IDs.
Timing starts after `import boto3` (the Node side likewise loads the SDK before timing) and
includes creating the sessions and clients.
"""
import hashlib
import json
import sys
import time

import boto3
import botocore
from botocore.httpsession import URLLib3Session

wire = {"s": 0.0, "requests": 0}
_send = URLLib3Session.send


def timed_send(self, request):
    t0 = time.perf_counter()
    try:
        return _send(self, request)
    finally:
        wire["s"] += time.perf_counter() - t0
        wire["requests"] += 1


URLLib3Session.send = timed_send


def walk(opts):
    sets = {}
    config = {"PageSize": opts["pageSize"]} if opts.get("pageSize") else {}
    for profile in opts["profiles"]:
        session = boto3.Session(profile_name=profile)
        for region in opts["regions"]:
            client = session.client("ec2", region_name=region, endpoint_url=opts["endpointUrl"])
            ids = []
            for page in client.get_paginator("describe_flow_logs").paginate(PaginationConfig=config):
                ids.extend(f["FlowLogId"] for f in page.get("FlowLogs", []))
            sets[f"{profile}/{region}"] = {
                "count": len(ids),
                "sha256": hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest(),
            }
    return sets


def main():
    opts = json.loads(sys.argv[1])
    runs = []
    sets = None
    for i in range(opts.get("warmup", 0) + opts["reps"]):
        w0, r0 = wire["s"], wire["requests"]
        c0 = time.process_time()
        t0 = time.perf_counter()
        sets = walk(opts)
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        if i >= opts.get("warmup", 0):
            runs.append({
                "total": total * 1000,
                "wire": (wire["s"] - w0) * 1000,
                "cpu": cpu * 1000,
                "requests": wire["requests"] - r0,
                "items": sum(s["count"] for s in sets.values()),
            })
    print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__, "python": sys.version.split()[0], "runs": runs, "sets": sets}))


if __name__ == "__main__":
    main()
