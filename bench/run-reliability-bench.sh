#!/usr/bin/env bash
# Reliability figures from tests/pipeline/test_reliability (real pipeline, embedded cluster,
# loopback HTTP): the largest bodies carried end to end (3 MB, 9 MB and max_body_bytes, each
# posted, produced, forwarded to a subscribed target) with their times, and the outbox relay
# draining 10,000 pending entries while live webhooks are sent one after another, with the live
# latencies (p50/p99/max). The tests assert what must hold; this prints what they measured.
#
#   bench/run-reliability-bench.sh [BUILD_DIR]
#
# RUNS=N repeats the relay drain N times (default 3): one drain serves a few dozen live
# webhooks, so a single run's p99 is close to its maximum.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
test=$build/tests/pipeline/test_reliability
[ -x "$test" ] || { echo "build the test first: cmake --build $build --target test_reliability" >&2; exit 1; }

runs=${RUNS:-3}
cases=(largeBodiesReachTargetAndTopicByteForByte)
for _ in $(seq "$runs"); do cases+=(relayDrainsWhileLiveTrafficIsServed); done
"$test" "${cases[@]}" 2>&1 | grep -E "large body:|relay drain:|^FAIL|^   (Actual|Expected|Loc)|^Totals" \
    | sed 's/^QINFO *: *TestReliability::[A-Za-z]*() //'
