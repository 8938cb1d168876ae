#!/usr/bin/env python3
"""Records tests/data/har/chromium-webhooks.har with headless Chromium.

A local HTTP server serves a page whose script POSTs three webhook-shaped requests (a Stripe
event as JSON, a Twilio status callback as a form body, a GitHub ping with binary-safe JSON) and
loads a stylesheet and an image (GETs, assets). Chromium runs headless and is driven over the
DevTools protocol (--remote-debugging-pipe); the HAR is written from the Network domain's events
(requestWillBeSent, requestWillBeSentExtraInfo, responseReceived, loadingFinished) by the HAR 1.2
rules, the way DevTools' own "Save all as HAR" builds it from the same events.

Run: python3 tests/data/har/make-har.py  (needs Debian's chromium package)
"""
import datetime
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chromium-webhooks.har")

STRIPE_BODY = json.dumps({"id": "evt_har_0001", "object": "event", "type": "invoice.paid",
                          "data": {"object": {"id": "in_har_1", "object": "invoice", "customer": "cus_har_1"}}})
PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head>
<body><img src="/pixel.gif"><script>
async function run() {
  await fetch('/webhooks/stripe', {method: 'POST', headers: {'Content-Type': 'application/json',
      'Stripe-Signature': 't=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'},
      body: %s});
  await fetch('/webhooks/twilio?bodySHA256=none', {method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'c2lnbmF0dXJl'},
      body: 'MessageSid=SMhar1&MessageStatus=delivered&To=%%2B15558675310'});
  await fetch('/webhooks/github', {method: 'POST', headers: {'Content-Type': 'application/json',
      'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': '0b8e7a40-0000-4000-8000-000000000001'},
      body: JSON.stringify({zen: 'Keep it logically awesome \u2603', hook_id: 1})});
  document.title = 'done';
}
run();
</script></body></html>""" % json.dumps(STRIPE_BODY)
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body, kind = {"/": (PAGE.encode(), "text/html; charset=utf-8"), "/style.css": (b"body{}", "text/css"),
                      "/pixel.gif": (GIF, "image/gif")}.get(self.path, (b"", "text/plain"))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        answer = b'{"status":"accepted"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]

    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    profile = tempfile.mkdtemp()

    # Chromium's --remote-debugging-pipe reads commands on fd 3 and writes answers on fd 4.
    def pipe_fds():
        high_r, high_w = os.dup(to_chrome_r), os.dup(from_chrome_w)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)

    chrome = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
         "--remote-debugging-pipe", "about:blank"],
        close_fds=False, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pipe_fds)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    reader = os.fdopen(from_chrome_r, "rb")
    buffer = b""
    next_id = [0]

    def send(method, params=None, session=None):
        next_id[0] += 1
        message = {"id": next_id[0], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
        return next_id[0]

    def read():
        nonlocal buffer
        while b"\0" not in buffer:
            chunk = reader.read1(65536)
            if not chunk:
                raise SystemExit("chromium closed the pipe")
            buffer += chunk
        message, buffer = buffer.split(b"\0", 1)
        return json.loads(message)

    def call(method, params=None, session=None):
        wanted = send(method, params, session)
        while True:
            message = read()
            if message.get("id") == wanted:
                return message.get("result", {})
            events.append(message)

    events = []
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Network.enable", {}, session)
    call("Page.enable", {}, session)
    call("Page.navigate", {"url": base + "/"}, session)
    finished = set()
    requests = {}
    done = False
    while not done:
        events.append(read())
        # Events that arrived while a command was answered are in `events` too.
        for message in events:
            method = message.get("method")
            params = message.get("params", {})
            if method == "Network.requestWillBeSent":
                requests[params["requestId"]] = params
            if method == "Network.loadingFinished":
                finished.add(params["requestId"])
        if True:
            posts = [r for r in requests.values() if r["request"]["method"] == "POST"]
            if len(posts) == 3 and all(r["requestId"] in finished for r in posts) and len(finished) >= 6:
                done = True
    call("Browser.close")
    chrome.wait(timeout=30)

    extra = {}
    responses = {}
    for message in events:
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSentExtraInfo":
            extra[params["requestId"]] = params
        if message.get("method") == "Network.responseReceived":
            responses[params["requestId"]] = params["response"]

    entries = []
    for request_id, sent in requests.items():
        request = sent["request"]
        # The headers as sent on the wire (ExtraInfo) when Chromium reported them, in their order.
        wire = extra.get(request_id, {}).get("headers") or request["headers"]
        headers = [{"name": k, "value": v} for k, v in wire.items()]
        entry_request = {"method": request["method"], "url": request["url"], "httpVersion": "HTTP/1.1",
                         "cookies": [], "headers": headers, "queryString": [], "headersSize": -1,
                         "bodySize": 0}
        if "?" in request["url"]:
            for pair in request["url"].split("?", 1)[1].split("&"):
                name, _, value = pair.partition("=")
                entry_request["queryString"].append({"name": name, "value": value})
        if request.get("hasPostData"):
            text = request.get("postData")
            if text is None and request.get("postDataEntries"):
                import base64
                text = b"".join(base64.b64decode(e.get("bytes", "")) for e in request["postDataEntries"]).decode()
            mime = next((v for k, v in wire.items() if k.lower() == "content-type"), "")
            entry_request["postData"] = {"mimeType": mime, "text": text}
            entry_request["bodySize"] = len(text.encode())
        response = responses.get(request_id, {})
        started = datetime.datetime.fromtimestamp(sent["wallTime"], datetime.timezone.utc)
        entries.append({
            "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "time": 0, "request": entry_request,
            "response": {"status": response.get("status", 0), "statusText": response.get("statusText", ""),
                         "httpVersion": "HTTP/1.1", "cookies": [],
                         "headers": [{"name": k, "value": v} for k, v in response.get("headers", {}).items()],
                         "content": {"size": 0, "mimeType": response.get("mimeType", "")},
                         "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}})
    entries.sort(key=lambda e: e["startedDateTime"])
    version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    har = {"log": {"version": "1.2", "creator": {"name": "make-har.py over the DevTools protocol", "version": "1"},
                   "browser": {"name": "Chromium", "version": version}, "pages": [], "entries": entries}}
    with open(OUT, "w") as f:
        json.dump(har, f, indent=2)
    print("wrote %s: %d entries (%s)" % (OUT, len(entries), version))
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
