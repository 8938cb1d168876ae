#!/usr/bin/env python3
"""Writes the test-event templates (<provider>.json) from the provider fixtures in
tests/data/fixtures (see their PROVENANCE.md). Ids and timestamps become placeholders that
SampleEventFactory fills per call: {{uuid}}, {{hexN}} (N random hex digits), {{now}} (Unix
seconds), {{now_iso}} (RFC 3339), and "{{now:int}}" (the quoted string becomes a JSON number).
Run from the repository root: python3 resources/templates/make-templates.py"""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parents[2]
fixtures = root / "tests/data/fixtures"
out = pathlib.Path(__file__).resolve().parent


def load(rel):
    return json.loads((fixtures / rel).read_text())


def write(provider, fixture, headers, body=None, body_form=None, event_type=""):
    """body: a JSON value; body_form: a form-encoded string."""
    t = {"provider": provider, "fixture": fixture, "event_type": event_type, "headers": headers}
    # The body is kept as text so that the fixture's key order survives (a JSON object would not).
    t["body_text"] = json.dumps(body, indent=2) if body is not None else body_form
    (out / f"{provider}.json").write_text(json.dumps(t, indent=2) + "\n")


b = load("stripe/invoice.paid.json")
b["id"] = "evt_{{hex24}}"
b["created"] = "{{now:int}}"
write("stripe", "stripe/invoice.paid.json",
      [["Content-Type", "application/json; charset=utf-8"], ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"]],
      b, event_type="invoice.paid")

b = load("github/issues.opened.json")
write("github", "github/issues.opened.json",
      [["Content-Type", "application/json"], ["User-Agent", "GitHub-Hookshot/044aadd"],
       ["X-GitHub-Event", "issues"], ["X-GitHub-Delivery", "{{uuid}}"], ["X-GitHub-Hook-ID", "292430182"]],
      b, event_type="issues")

b = load("shopify/orders.create.json")
write("shopify", "shopify/orders.create.json",
      [["Content-Type", "application/json"], ["X-Shopify-Topic", "orders/create"],
       ["X-Shopify-Shop-Domain", "example.myshopify.com"], ["X-Shopify-API-Version", "2024-01"],
       ["X-Shopify-Webhook-Id", "{{uuid}}"], ["X-Shopify-Event-Id", "{{uuid}}"],
       ["X-Shopify-Triggered-At", "{{now_iso}}"]],
      b, event_type="orders/create")

b = load("slack/event_callback.app_mention.json")
b["event_id"] = "Ev{{hex10}}"
b["event_time"] = "{{now:int}}"
write("slack", "slack/event_callback.app_mention.json",
      [["Content-Type", "application/json"], ["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"],
       ["X-Slack-Request-Timestamp", "{{now}}"]],
      b, event_type="event_callback")

form = (fixtures / "twilio/message-status.delivered.txt").read_text().strip()
form = form.replace("MessageSid=SMyyy", "MessageSid=SM{{hex32}}").replace("SmsSid=SMxxx", "SmsSid=SM{{hex32}}")
write("twilio", "twilio/message-status.delivered.txt",
      [["Content-Type", "application/x-www-form-urlencoded"], ["User-Agent", "TwilioProxy/1.1"],
       ["I-Twilio-Idempotency-Token", "{{uuid}}"]],
      body_form=form, event_type="delivered")

b = load("standard-webhooks/contact.created.full.json")
b["timestamp"] = "{{now_iso}}"
write("standard-webhooks", "standard-webhooks/contact.created.full.json",
      [["Content-Type", "application/json"], ["webhook-id", "msg_{{hex24}}"], ["webhook-timestamp", "{{now}}"]],
      b, event_type="contact.created")

generic = {"id": "{{uuid}}", "type": "sample.created", "created_at": "{{now_iso}}",
           "data": {"id": "obj_{{hex8}}", "note": "Test event sent from Hookbench"}}
write("generic-hmac", "", [["Content-Type", "application/json"]], generic, event_type="sample.created")
write("none", "", [["Content-Type", "application/json"]], generic, event_type="sample.created")
