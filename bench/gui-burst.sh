#!/usr/bin/env bash
# GUI burst: starts the hookbench window under a virtual X display (xvfb-run) with its own config
# and data directory, sends a burst of Stripe-signed webhooks with wrk while the live feed follows
# them, then reports the worst event-loop stall of the GUI thread (HOOKBENCH_STALL_PROBE=1: a 10 ms
# timer measuring its own lateness), the peak RSS (VmHWM) and saves a screenshot of the screen.
#
#   bench/gui-burst.sh [BUILD_DIR] [DURATION_SECONDS] [CONNECTIONS] [OUT_DIR]
#
# Needs xvfb (xvfb-run), imagemagick (import), wrk and python3. Loopback only; bounded in time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
duration=${2:-10}
connections=${3:-16}
out=${4:-$PWD}
threads=2
port=18090
work=$(mktemp -d /tmp/hookbench-gui-burst.XXXXXX)
xvfb_pid=""
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

secret="whsec_gui_burst_$(date +%s)"
cat >"$work/config.json" <<JSON
{"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["$secret"]},
             {"name": "github", "provider": "github", "secrets": ["gh_secret"]}],
 "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6}}
JSON

per_thread=$(( duration * 20000 / threads ))
echo "generating $((per_thread * threads)) signed requests..."
(cd "$work" && python3 "$here/make-stripe-requests.py" --secret "$secret" --count "$per_thread" --files "$threads")

# xvfb-run owns the X server; the window writes its JSON log lines (with the stall probe's) to
# hookbench.log. HOME is private so that saved window layouts do not leak between runs.
mkdir -p "$work/home"
HOME="$work/home" HOOKBENCH_STALL_PROBE=1 xvfb-run -n 107 -f "$work/xauth" -s "-screen 0 1600x1000x24" \
    "$build/app/hookbench" --listen "127.0.0.1:$port" --data-dir "$work/data" --config "$work/config.json" \
    2>"$work/hookbench.log" &
xvfb_pid=$!

for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1 # polling a port during start-up; bounded to 15 s
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null
hookbench_pid=$(pgrep -n -f -- "--listen 127.0.0.1:$port" || true)
[ -n "$hookbench_pid" ] || { echo "hookbench did not start" >&2; cat "$work/hookbench.log" >&2; exit 1; }

# CPU seconds (user + system) of one thread: the GUI thread is the process's main thread, whose
# task id is the process id.
clock_ticks=$(getconf CLK_TCK)
thread_cpu() { awk -v hz="$clock_ticks" '{ print ($14 + $15) / hz }' "/proc/$1/task/$2/stat"; }
process_cpu() { awk -v hz="$clock_ticks" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
xvfb_server=$(pgrep -n -x Xvfb || true)
gui_before=$(thread_cpu "$hookbench_pid" "$hookbench_pid")
all_before=$(process_cpu "$hookbench_pid")
x_before=$([ -n "$xvfb_server" ] && process_cpu "$xvfb_server" || echo 0)

echo "== burst: ${duration}s, $connections connections, $threads threads"
WRK_REQUESTS="$work/requests" WRK_PATH=/webhooks/stripe wrk -t"$threads" -c"$connections" -d"${duration}s" \
    -s "$here/stripe.lua" "http://127.0.0.1:$port" | tee "$work/wrk.txt"
gui_cpu=$(awk -v a="$gui_before" -v b="$(thread_cpu "$hookbench_pid" "$hookbench_pid")" 'BEGIN { print b - a }')
all_cpu=$(awk -v a="$all_before" -v b="$(process_cpu "$hookbench_pid")" 'BEGIN { print b - a }')
x_cpu=$(awk -v a="$x_before" -v b="$([ -n "$xvfb_server" ] && process_cpu "$xvfb_server" || echo 0)" \
    'BEGIN { print b - a }')

sleep 2 # let the feed catch up before the picture (the burst is over; nothing is synchronised on this)
mkdir -p "$out"
XAUTHORITY="$work/xauth" DISPLAY=:107 import -window root "$out/gui-burst.png" && echo "saved $out/gui-burst.png"
rss_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$hookbench_pid/status")

kill -TERM "$hookbench_pid"
for _ in $(seq 1 100); do
    kill -0 "$hookbench_pid" 2>/dev/null || break
    sleep 0.1 # waiting for a clean exit (the probe logs on exit); bounded to 10 s
done

stall=$(grep -o '"max_stall_ms":[0-9]*' "$work/hookbench.log" | tail -1 | cut -d: -f2)
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
echo
echo "== result"
printf '{"requests":%s,"requests_per_s":%s,"max_event_loop_stall_ms":%s,"peak_rss_mib":%s}\n' \
    "${requests:-0}" "${rate:-0}" "${stall:-null}" "$(( ${rss_kib:-0} / 1024 ))"
# What the window costs per event, and what that would be at 10,000 events/s: the GUI thread's
# share of one core (it must stay well under 1 to stay responsive) and the X server's.
python3 - "${requests:-0}" "$duration" "$gui_cpu" "$all_cpu" "$x_cpu" <<'PY'
import sys
requests, duration, gui, total, x = int(sys.argv[1]), float(sys.argv[2]), *map(float, sys.argv[3:])
if requests:
    print(f"GUI thread {gui / duration:.0%} of a core, {1e6 * gui / requests:.1f} us per event "
          f"(at 10,000 events/s: {1e4 * gui / requests:.0%} of a core); whole process {1e6 * total / requests:.0f} us "
          f"per event; X server {1e6 * x / requests:.1f} us per event")
PY
