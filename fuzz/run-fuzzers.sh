#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan+UBSan) and runs each for a bounded
# number of executions or time, then prints executions, exec/s and crashes per target.
#
#   fuzz/run-fuzzers.sh [--runs N | --time SECONDS] [--jobs J] [target ...]
#
# --runs N      executions per target (libFuzzer -runs), default 10000000
# --time S      instead of --runs: seconds per target (-max_total_time)
# --jobs J      targets run side by side (default 1); each is one process, nice'd
# target ...    a subset (default: all), e.g. fuzz_http_framing fuzz_signature_stripe
#
# Seeds: fuzz/make_corpus.py writes them from tests/data (provider vectors and fixtures) and
# fuzz/corpus/; each target's growing corpus is kept in build/fuzz/corpus-work/<target>, so a
# second run continues from what the first found. A crash leaves its input in
# build/fuzz/artifacts/ and the log in build/fuzz/logs/<target>.log; the exit status is non-zero
# if any target crashed. Reproduce one with: build/fuzz/fuzz/<target> <artifact>.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz"
runs=10000000
seconds=""
jobs=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --time) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
    esac
done
all=(fuzz_http_framing fuzz_json_pointer fuzz_config_loader
     fuzz_signature_stripe fuzz_signature_github fuzz_signature_shopify fuzz_signature_slack
     fuzz_signature_twilio fuzz_signature_standard_webhooks fuzz_signature_generic_hmac)
# The capture importers once core/capture/ is in the tree (see fuzz/CMakeLists.txt).
if [ -f "$root/core/capture/har_importer.cpp" ]; then
    all+=(fuzz_capture_har fuzz_capture_curl)
fi
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

cd "$root"
if command -v ccache >/dev/null 2>&1; then
    export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi
[ -f "$build/CMakeCache.txt" ] || cmake --preset fuzz >/dev/null
nice cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

python3 "$root/fuzz/make_corpus.py" "$build/corpus-seeds"
mkdir -p "$build/artifacts" "$build/logs"

run_one() {
    local target=$1 work="$build/corpus-work/$1"
    mkdir -p "$work"
    local limit=(-runs="$runs")
    [ -z "$seconds" ] || limit=(-max_total_time="$seconds")
    local seeds=()
    [ -d "$build/corpus-seeds/$target" ] && seeds=("$build/corpus-seeds/$target")
    local start end status=0
    start=$(date +%s)
    nice "$build/fuzz/$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" "$work" "${seeds[@]}" >"$build/logs/$target.log" 2>&1 || status=$?
    end=$(date +%s)
    echo "$status $((end - start))" >"$build/logs/$target.status"
}

running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
printf '%-36s %14s %10s %8s %8s\n' target executions exec/s seconds crashes
for target in "${targets[@]}"; do
    log="$build/logs/$target.log"
    read -r status secs <"$build/logs/$target.status"
    execs=$(grep 'stat::number_of_executed_units:' "$log" | tail -1 | awk '{print $2}')
    rate=$(grep 'stat::average_exec_per_sec:' "$log" | tail -1 | awk '{print $2}')
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes=1 # libFuzzer stops at the first crash; its input is in build/fuzz/artifacts/
        failed=1
    fi
    printf '%-36s %14s %10s %8s %8s\n' "$target" "${execs:-?}" "${rate:-?}" "$secs" "$crashes"
done
exit "$failed"
