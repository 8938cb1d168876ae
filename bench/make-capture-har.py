#!/usr/bin/env python3
"""Writes a HAR 1.2 file of N Stripe webhook POSTs (unique event ids, 50 customers, signed with
SECRET) for the replay benchmark: python3 bench/make-capture-har.py N SECRET OUT.har"""
import hashlib
import hmac
import json
import sys
import time

count, secret, out = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
now = int(time.time())
entries = []
for i in range(count):
    body = json.dumps({"id": "evt_bench_%08d" % i, "object": "event", "type": "invoice.paid", "created": now,
                       "data": {"object": {"id": "in_%08d" % i, "object": "invoice",
                                           "customer": "cus_bench_%02d" % (i % 50), "amount_paid": 2000}}},
                      separators=(",", ":"))
    signature = hmac.new(secret, b"%d.%s" % (now, body.encode()), hashlib.sha256).hexdigest()
    started = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (i % 1000)
    entries.append({"startedDateTime": started, "time": 0,
                    "request": {"method": "POST", "url": "http://127.0.0.1:8088/webhooks/stripe",
                                "httpVersion": "HTTP/1.1", "cookies": [], "queryString": [],
                                "headers": [{"name": "Content-Type", "value": "application/json; charset=utf-8"},
                                            {"name": "User-Agent", "value": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
                                            {"name": "Stripe-Signature", "value": "t=%d,v1=%s" % (now, signature)}],
                                "postData": {"mimeType": "application/json", "text": body},
                                "headersSize": -1, "bodySize": len(body)},
                    "response": {"status": 0, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                                 "headers": [], "content": {"size": 0, "mimeType": ""}, "redirectURL": "",
                                 "headersSize": -1, "bodySize": -1},
                    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}})
with open(out, "w") as f:
    json.dump({"log": {"version": "1.2", "creator": {"name": "make-capture-har.py", "version": "1"},
                       "entries": entries}}, f)
