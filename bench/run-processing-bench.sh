#!/usr/bin/env bash
# Consumer-side run: N Stripe-signed events (default 10,000) through the whole pipeline into a
# consumer group of two, whose simulate handler fails 5% of attempts transiently; blocking retries
# with full-jitter backoff (compressed by time_scale). Halfway through, a third consumer joins
# and leaves again (two real rebalances). Reports events/s processed, retries, dead letters, and
# events lost or handled twice, counted from the database after the run.
#
#   bench/run-processing-bench.sh [BUILD_DIR] [EVENTS] [STRATEGY blocking|topics]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
events=${2:-10000}
strategy=${3:-blocking}
work=$(mktemp -d /tmp/hookbench-proc.XXXXXX)
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

secret="whsec_proc_$(date +%s)"
port=18090
cat >"$work/config.json" <<JSON
{"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["$secret"],
              "simulate": {"latency_ms": 0, "failure_rate": 0.05, "failure": "transient"}}],
 "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6},
 "consumers": {"group": "hookbench-processors", "count": 2},
 "retry": {"strategy": "$strategy", "base_ms": 1000, "cap_ms": 60000, "max_attempts": 8, "time_scale": 20}}
JSON

"$build/app/hookbench" --headless --listen "127.0.0.1:$port" --data-dir "$work/data" \
    --config "$work/config.json" 2>"$work/hookbench.log" &
pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1 # polling a port during start-up; bounded to 10 s
done
token=$(cat "$work/data/admin-token")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }

metric() { # sum of a counter over all its series
    curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d\n", s}'
}

start=$(date +%s.%N)
python3 "$here/send-stripe-events.py" --port "$port" --secret "$secret" --count "$events" --threads 8 \
    >"$work/send.json" &
sender=$!
# A consumer joins and leaves while events flow: two rebalances under load.
sleep 2 # let the first events flow before the rebalance; the figures do not depend on it
api -X PUT -d '{"count": 3}' "http://127.0.0.1:$port/api/consumers" >/dev/null
sleep 4
api -X PUT -d '{"count": 2}' "http://127.0.0.1:$port/api/consumers" >/dev/null
wait "$sender"
cat "$work/send.json"

# Wait (bounded, 10 minutes) until every event is processed or dead-lettered.
for _ in $(seq 1 6000); do
    done_count=$(( $(metric events_processed_total) + $(metric dlq_events_total) ))
    [ "$done_count" -ge "$events" ] && break
    sleep 0.1
done
end=$(date +%s.%N)

processed=$(metric events_processed_total)
retried=$(metric events_retried_total)
redelivered=$(metric events_redelivered_total)
dlq=$(metric dlq_events_total)
produced=$(metric webhook_produced_total)
rebalances=$(api "http://127.0.0.1:$port/api/consumers" | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("rebalances", [])))')
kill "$pid"; wait "$pid" || true; pid=""

python3 - "$work/data/hookbench.db" "$events" "$start" "$end" "$processed" "$retried" "$redelivered" "$dlq" "$produced" "$rebalances" <<'PY'
import sqlite3, sys
db, events, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
processed, retried, redelivered, dlq, produced, rebalances = map(int, sys.argv[5:11])
c = sqlite3.connect(db)
accepted = c.execute("SELECT COUNT(*) FROM journal WHERE source='stripe' AND verdict IN ('accepted','queued')").fetchone()[0]
done_keys = c.execute("SELECT COUNT(*) FROM processed").fetchone()[0]
dead_keys = c.execute("SELECT COUNT(DISTINCT journal_id) FROM dlq").fetchone()[0]
twice = c.execute("""SELECT COUNT(*) FROM (SELECT source, idempotency_key FROM attempts WHERE outcome='success'
                     GROUP BY source, idempotency_key HAVING COUNT(*) > 1)""").fetchone()[0]
attempts = c.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
lost = accepted - done_keys - dead_keys
secs = end - start
print(f"events sent {events}, accepted {accepted}, produced {produced}")
print(f"processed {done_keys} in {secs:.1f} s from the first request: {done_keys / secs:.0f} events/s")
print(f"attempts {attempts}, retries {retried}, redeliveries skipped {redelivered}, dead-lettered {dlq}, rebalances {rebalances}")
print(f"lost {lost}, handled twice {twice}")
PY
