#!/usr/bin/env bash
# Ingest benchmark: Stripe-signed ~1 KiB webhooks with unique ids over 32 keep-alive connections
# through the whole pipeline (verify, dedup claim, journal, produce with acks=all to the embedded
# cluster, 200 after the delivery report), next to nginx answering a static 200 to the same
# requests on the same machine in the same run. Loopback only; bounded in time.
#
#   bench/run-ingest-bench.sh [BUILD_DIR] [DURATION_SECONDS]
#
# CONSUMERS=N sets the consumer group's size (default: Hookbench's default, 2). The consumers
# process every produced event on the same two cores; CONSUMERS=0 measures the ingest path alone.
#
# Needs wrk, nginx-light and python3 (installer/install-deps-debian.sh installs them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
duration=${2:-15}
connections=32
threads=2
work=$(mktemp -d /tmp/hookbench-bench.XXXXXX)
hookbench_pid=""
nginx_pid=""
cleanup() {
    [ -n "$hookbench_pid" ] && kill "$hookbench_pid" 2>/dev/null && wait "$hookbench_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

secret="whsec_bench_$(date +%s)"
hb_port=18088
ng_port=18089

consumers=""
[ -n "${CONSUMERS:-}" ] && consumers=", \"consumers\": {\"count\": $CONSUMERS}"
cat >"$work/config.json" <<JSON
{"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["$secret"]}],
 "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6}$consumers}
JSON

# Enough unique events for the run at a generous rate, plus the same for the nginx run.
per_thread=$(( duration * 40000 / threads ))
echo "generating $((per_thread * threads)) signed requests..."
(cd "$work" && python3 "$here/make-stripe-requests.py" --secret "$secret" --count "$per_thread" --files "$threads")

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    server {
        listen 127.0.0.1:$ng_port;
        location / { default_type application/json; return 200 '{"status":"ok"}\n'; }
    }
}
NGINX

nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!

"$build/app/hookbench" --headless --listen "127.0.0.1:$hb_port" --data-dir "$work/data" \
    --config "$work/config.json" 2>"$work/hookbench.log" &
hookbench_pid=$!

for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$hb_port/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$ng_port/" >/dev/null 2>&1 && break
    sleep 0.1 # polling a port during start-up; bounded to 10 s
done
curl -sf "http://127.0.0.1:$hb_port/healthz"

export WRK_REQUESTS="$work/requests"
echo
echo "== nginx static 200 (same requests, ${duration}s, $connections connections, $threads threads)"
WRK_PATH=/webhooks/stripe wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$here/stripe.lua" \
    "http://127.0.0.1:$ng_port" | tee "$work/nginx.txt"

echo
echo "== hookbench full pipeline (${duration}s, $connections connections, $threads threads)"
WRK_PATH=/webhooks/stripe wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$here/stripe.lua" \
    "http://127.0.0.1:$hb_port" | tee "$work/hookbench.txt"

echo
curl -s "http://127.0.0.1:$hb_port/metrics" | grep -E '^webhook_(received|duplicates|rejected|produce_errors)_total|^webhook_produce_latency_ms_(count|sum)' || true
ng=$(awk '/Requests\/sec/ {print $2}' "$work/nginx.txt")
hb=$(awk '/Requests\/sec/ {print $2}' "$work/hookbench.txt")
python3 - "$ng" "$hb" <<'PY'
import sys
ng, hb = float(sys.argv[1]), float(sys.argv[2])
print(f"nginx {ng:.0f} req/s, hookbench {hb:.0f} req/s: {100 * hb / ng:.1f}% of nginx (target >= 40%)")
PY
kill "$hookbench_pid"; wait "$hookbench_pid" || true; hookbench_pid=""
tail -n 2 "$work/hookbench.log"
