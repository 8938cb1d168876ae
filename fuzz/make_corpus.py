#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets into OUT/<target>/, from the provider vectors and
fixtures in tests/data (copies of ../shared/vectors and ../shared/fixtures) and from the
handwritten seeds in fuzz/corpus/<target>/. Run by run-fuzzers.sh; usage: make_corpus.py OUT."""

import hashlib
import json
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = pathlib.Path(sys.argv[1])

PROVIDERS = {  # vector name -> fuzz target suffix
    "stripe": "stripe",
    "github": "github",
    "shopify": "shopify",
    "slack": "slack",
    "twilio": "twilio",
    "standardwebhooks": "standard_webhooks",
    "svix": "standard_webhooks",
}


def write(target, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def fixtures(provider_dir):
    folder = DATA / "fixtures" / provider_dir
    return [p.read_bytes() for p in sorted(folder.glob("*")) if p.suffix in (".json", ".txt")] if folder.is_dir() else []


def request(target, headers, body):
    head = b"".join(f"{k}: {v}\n".encode() for k, v in headers.items())
    return target.encode() + b"\n" + head + b"\n" + body


def http_wire(target, headers, body):
    head = b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
    return (b"POST " + target.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + head
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def main():
    common = (DATA / "vectors" / "common-body.json").read_bytes()
    vectors = json.loads((DATA / "vectors" / "signatures.json").read_text())
    fixture_dirs = {"standardwebhooks": "standard-webhooks", "svix": "standard-webhooks"}

    for vector in vectors["providers"]:
        name = vector["provider"]
        suffix = PROVIDERS.get(name)
        if suffix is None:
            continue
        target = "fuzz_signature_" + suffix
        if name == "twilio":
            for variant in ("json", "form"):
                v = vector[variant]
                url = v["url"]
                path = url[url.index("/", len("https://")):]
                headers = dict(v["headers"], Host="example.com")
                if variant == "form":
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    body = v["body"].encode()
                else:
                    headers["Content-Type"] = "application/json"
                    body = common
                write(target, request(path, headers, body))
                write("fuzz_http_framing", b"\x05" + http_wire(path, headers, body))
            for body in fixtures("twilio"):
                write(target, request("/webhooks/twilio?source=hookbench", vector["form"]["headers"], body))
            continue
        headers = vector["headers"]
        write(target, request("/webhooks/fuzz", headers, common))
        if "rotationHeader" in vector:
            write(target, request("/webhooks/fuzz", {"Stripe-Signature": vector["rotationHeader"]}, common))
        if "rotationSignature" in vector:
            brand = "svix" if name == "svix" else "webhook"
            write(target, request("/webhooks/fuzz", dict(headers, **{brand + "-signature": vector["rotationSignature"]}),
                                  common))
        for body in fixtures(fixture_dirs.get(name, name))[:4]:
            write(target, request("/webhooks/fuzz", headers, body))
        write("fuzz_http_framing", b"\x00" + http_wire("/webhooks/" + name, headers, common))
        write("fuzz_http_framing", b"\x07" + http_wire("/webhooks/" + name, headers, common))

    # generic-hmac: the header configured in the fuzz target (X-Signature, "sha256=" prefix).
    import hmac
    sig = hmac.new(b"generic-secret", common, "sha256").hexdigest()
    write("fuzz_signature_generic_hmac", request("/webhooks/fuzz", {"X-Signature": "sha256=" + sig}, common))
    write("fuzz_signature_generic_hmac", request("/webhooks/fuzz", {"X-Signature": sig}, common))

    # HTTP framing: keep-alive, pipelining, chunked bodies, Expect, HTTP/1.0, malformed input.
    chunked = (b"POST /webhooks/plain HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n")
    write("fuzz_http_framing", b"\x03" + chunked)
    write("fuzz_http_framing", b"\x00" + http_wire("/a", {}, b"1") + http_wire("/b?x=1", {"Connection": "close"}, b"22"))
    write("fuzz_http_framing", b"\x02" + http_wire("/e", {"Expect": "100-continue"}, b"{}"))
    write("fuzz_http_framing", b"\x01POST /ten HTTP/1.0\r\nContent-Length: 1\r\n\r\nb")
    write("fuzz_http_framing", b"\x00GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    write("fuzz_http_framing", b"\x00BLAH\x01 / HTTP/9\r\n\r\n")

    # JSON Pointer: "pointer\njson".
    pointers = [b"/data/object/customer", b"/repository/full_name", b"/id", b"/a~1b/~0c", b"", b"/0", b"/items/-"]
    bodies = [common] + fixtures("stripe")[:2] + fixtures("github")[:2] + fixtures("shopify")[:1]
    for i, body in enumerate(bodies):
        write("fuzz_json_pointer", pointers[i % len(pointers)] + b"\n" + body)
    write("fuzz_json_pointer", b"/1/x\n[0,{\"x\":12345678901234567}]")
    write("fuzz_json_pointer", b"/a\n{\"a\":1.5e300}")

    # HAR files recorded from browsers (tests/data/har, with the capture importers).
    har = DATA / "har"
    if har.is_dir():
        for path in sorted(har.glob("*.har")):
            write("fuzz_capture_har", path.read_bytes())

    # Handwritten seeds kept in the repository (config files and the like).
    handwritten = ROOT / "fuzz" / "corpus"
    if handwritten.is_dir():
        for folder in handwritten.iterdir():
            for seed in folder.iterdir():
                write(folder.name, seed.read_bytes())


main()
