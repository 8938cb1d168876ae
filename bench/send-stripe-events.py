#!/usr/bin/env python3
"""Sends N Stripe-signed events (unique ids, entity keys spread over --customers customers) to a
Hookbench receiver over keep-alive connections from --threads threads, and prints a JSON summary:
how many were answered with which status, and the wall time. Standard library only."""
import argparse
import hashlib
import hmac
import http.client
import json
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--secret", required=True)
parser.add_argument("--count", type=int, default=10000)
parser.add_argument("--threads", type=int, default=8)
parser.add_argument("--customers", type=int, default=200)
parser.add_argument("--source", default="stripe")
args = parser.parse_args()

run = int(time.time())
answers = {}
lock = threading.Lock()


def body_for(i):
    event = {"id": f"evt_proc_{run}_{i}", "object": "event", "type": "invoice.paid", "created": run,
             "data": {"object": {"id": f"in_{i}", "object": "invoice",
                                 "customer": f"cus_{i % args.customers:04d}", "amount_paid": 2000,
                                 "currency": "usd", "sequence": i}}}
    return json.dumps(event, separators=(",", ":"))


def worker(first, step):
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    local = {}
    for i in range(first, args.count, step):
        body = body_for(i)
        t = str(int(time.time()))
        mac = hmac.new(args.secret.encode(), (t + "." + body).encode(), hashlib.sha256).hexdigest()
        conn.request("POST", f"/webhooks/{args.source}", body=body,
                     headers={"Content-Type": "application/json", "Stripe-Signature": f"t={t},v1={mac}"})
        response = conn.getresponse()
        status = json.loads(response.read() or b"{}").get("status", str(response.status))
        local[status] = local.get(status, 0) + 1
    conn.close()
    with lock:
        for k, v in local.items():
            answers[k] = answers.get(k, 0) + v


start = time.monotonic()
threads = [threading.Thread(target=worker, args=(n, args.threads)) for n in range(args.threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"sent": args.count, "answers": answers, "seconds": round(time.monotonic() - start, 3)}))
