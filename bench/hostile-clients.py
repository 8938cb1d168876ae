#!/usr/bin/env python3
"""Hostile and odd HTTP clients against a running `hookbench --headless`, each case printing what
the client got. Starts its own instance (temporary data dir, embedded Kafka) from BINARY.

    bench/hostile-clients.py build/release/app/hookbench

Cases: a webhook and an admin request from a client that half-closes after sending
(shutdown(SHUT_WR), as `nc -N` does); a new client while max_connections (700) idle keep-alive
connections are open; /metrics series after 300 requests to distinct unknown source names; what
the journal holds for a bad signature; the modes of the data directory and its files; a start-up
error for a mistyped key property (`ssl.key.pemm`) in external mode.
"""

import json
import os
import pathlib
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/release/app/hookbench"
SECRET = "whsec_hostile_secret"


def start(data, config, extra=()):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    p = subprocess.Popen([BINARY, "--headless", "--data-dir", data, "--config", config, "--listen", "127.0.0.1:0",
                          *extra], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "started":
            return p, int(event["listen"].rsplit(":", 1)[1])
    p.kill()
    raise SystemExit("hookbench did not start")


def status_line(data):
    return data.split(b"\r\n", 1)[0].decode(errors="replace") if data else "(no answer)"


def half_closed(port, request):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(10)
    got = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        got += b""
    s.close()
    return status_line(got)


def request(port, raw, timeout=10):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(timeout)
    s.sendall(raw)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        head, _, body = got.partition(b"\r\n\r\n")
        m = re.search(rb"Content-Length: (\d+)", head, re.I)
        while m and len(body) < int(m.group(1)):
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
        got = head + b"\r\n\r\n" + body
    except socket.timeout:
        pass
    s.close()
    return got


def post(target, body, headers=b""):
    return (b"POST " + target + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"Content-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


def main():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="hostile-"))
    data = tmp / "data"
    config = tmp / "config.json"
    config.write_text(json.dumps({
        "sources": [{"name": "test", "provider": "none"},
                    {"name": "stripe", "provider": "stripe", "secrets": [SECRET]}],
        "limits": {"max_connections": 700, "idle_timeout_ms": 30000},
        "consumers": {"count": 0}}))
    old = os.umask(0o022)
    proc, port = start(str(data), str(config))
    os.umask(old)
    try:
        print("half-closed webhook:      ", half_closed(port, post(b"/webhooks/test", b'{"a":1}')))
        token = (data / "admin-token").read_text().strip().encode() if (data / "admin-token").exists() else b""
        print("half-closed admin request:",
              half_closed(port, b"GET /api/events?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                          + b"\r\n\r\n"))
        print("half-closed unknown source:", half_closed(port, post(b"/webhooks/nope", b"{}")))

        idle = []
        for _ in range(700):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(post(b"/webhooks/test", b"{}"))
            s.recv(65536)
            idle.append(s)
        t0 = time.time()
        got = request(port, post(b"/webhooks/test", b'{"new":1}'), timeout=15)
        print(f"new client with 700 idle keep-alive open: {status_line(got)} after {time.time() - t0:.3f} s")
        for s in idle:
            s.close()

        for i in range(300):
            request(port, post(b"/webhooks/probe%d" % i, b"{}"))
        metrics = request(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").decode(errors="replace")
        series = [line for line in metrics.splitlines() if line.startswith("webhook_rejected_total{")]
        print(f"webhook_rejected_total series after 300 unknown names: {len(series)}")

        body = b'{"id":"evt_hostile","type":"x"}'
        t = int(time.time())
        got = request(port, post(b"/webhooks/stripe", body, b"Stripe-Signature: t=%d,v1=%s\r\n" % (t, b"0" * 64)))
        print("bad signature:", status_line(got))
        row = None
        for _ in range(50):  # the journal writer commits in batches
            db = sqlite3.connect(f"file:{data / 'hookbench.db'}?mode=ro", uri=True)
            row = db.execute("SELECT CAST(verification AS TEXT) FROM journal WHERE reason = 'signature_mismatch'"
                             " ORDER BY id DESC LIMIT 1").fetchone()
            db.close()
            if row:
                break
            time.sleep(0.1)
        row = row or ("",)
        v = json.loads(row[0]) if row[0] else {}
        import hmac
        valid = hmac.new(SECRET.encode(), str(t).encode() + b"." + body, "sha256").hexdigest()
        print("journal verification keys:", sorted(v), "| holds the valid signature:", valid in (row[0] or ""))
        modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in [data, *sorted(data.iterdir())]}
        print("modes:", modes)
    finally:
        proc.terminate()
        proc.wait(30)

    config.write_text(json.dumps({"sources": [], "kafka": {"mode": "external", "bootstrap": "127.0.0.1:1",
                                                           "properties": {"ssl.key.pemm": "-----BEGIN PRIVATE KEY-----SECRETKEYBYTES"}}}))
    p = subprocess.run([BINARY, "--headless", "--data-dir", str(tmp / "data2"), "--config", str(config), "--listen",
                        "127.0.0.1:0"], capture_output=True, text=True, timeout=60)
    print("start-up error shows the key:", "SECRETKEYBYTES" in p.stderr, "| exit", p.returncode)


main()
