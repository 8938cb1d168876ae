#!/bin/sh
# Replay throughput: N captures (default 100000) from a HAR file replayed headless by
# `hookbench replay` with an embedded pipeline — through the receiver (loopback HTTP: verify,
# dedup claim, journal, produce acks=all, 200 after the delivery report) and direct to the topic
# (journal + produce, no verification or dedup). Prints each run's report line (captures/s).
# Usage: bench/run-replay-bench.sh [BUILD_DIR] [N] [CONCURRENCY]
set -eu
BUILD=${1:-build/release}
N=${2:-100000}
CONCURRENCY=${3:-32}
HOOKBENCH=$BUILD/app/hookbench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SECRET=whsec_replay_bench
cat > "$WORK/config.json" <<JSON
{"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["$SECRET"]}],
 "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6},
 "consumers": {"count": 0}, "listen": "127.0.0.1:0"}
JSON
python3 "$(dirname "$0")/make-capture-har.py" "$N" "$SECRET" "$WORK/captures.har"
echo "captures: $N in $(du -h "$WORK/captures.har" | cut -f1) of HAR; $(nproc) cores"
for MODE in receiver topic; do
    "$HOOKBENCH" replay "$WORK/captures.har" --config "$WORK/config.json" --data-dir "$WORK/data-$MODE" \
        --mode "$MODE" --concurrency "$CONCURRENCY" --json > "$WORK/report-$MODE.json" || true
    python3 - "$WORK/report-$MODE.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("%-8s sent %d/%d in %.1f s: %.0f captures/s; answers %s; as expected: %s"
      % (r["mode"], r["sent"], r["planned"], r["elapsed_ms"] / 1000, r["captures_per_second"],
         json.dumps(r["statuses"]), r["as_expected"]))
PY
done
