#!/usr/bin/env python3
"""Writes Stripe-signed webhook requests for wrk: one file per wrk thread, one request per line
as "<Stripe-Signature>\t<body>". Bodies are ~1 KiB, each with a unique event id, so every request
goes the whole way (verify, dedup claim, journal, produce) instead of the duplicate short cut."""
import argparse
import hashlib
import hmac
import json
import time

parser = argparse.ArgumentParser()
parser.add_argument("--secret", required=True)
parser.add_argument("--count", type=int, default=200000, help="requests per file")
parser.add_argument("--files", type=int, default=2, help="one per wrk thread")
parser.add_argument("--prefix", default="requests")
parser.add_argument("--size", type=int, default=1024, help="approximate body size in bytes")
args = parser.parse_args()

run = int(time.time())
t = str(run)
for f in range(args.files):
    with open(f"{args.prefix}.{f + 1}.txt", "w") as out:
        for i in range(args.count):
            event = {
                "id": f"evt_bench_{run}_{f}_{i}",
                "object": "event",
                "type": "invoice.paid",
                "created": run,
                "data": {"object": {"id": f"in_{f}_{i}", "object": "invoice",
                                    "customer": f"cus_{(i * 7 + f) % 1000:04d}",
                                    "amount_paid": 2000, "currency": "usd", "lines": {"data": []},
                                    "description": ""}},
            }
            body = json.dumps(event, separators=(",", ":"))
            pad = max(0, args.size - len(body))
            event["data"]["object"]["description"] = "x" * pad
            body = json.dumps(event, separators=(",", ":"))
            mac = hmac.new(args.secret.encode(), (t + "." + body).encode(), hashlib.sha256).hexdigest()
            out.write(f"t={t},v1={mac}\t{body}\n")
