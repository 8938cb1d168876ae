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
# build/fuzz/artifacts/ and the log in build/fuzz/logs/<target>.<time>.log (<target>.log is the
# latest); the exit status is non-zero if any target crashed. Reproduce one with: build/fuzz/fuzz/<target> <artifact>.
#
# Every run of a target appends a line to build/fuzz/executions.tsv (time, commit, target,
# executions, seconds, result), and the table's last column sums that ledger: a long campaign
# can be spread over several runs on the same growing corpus, and what was run stays on record.
# Ctrl-C (SIGINT) stops libFuzzer with its final statistics; such a run is logged "interrupted".
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
commit=$(git -C "$root" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
# ASan records a stack for every allocation and free; in these targets that bookkeeping took about
# a quarter of the time (and a growing share of memory). Without it the targets run 1.7 times as
# fast; a crash still reports where the bad access happened, and running its artifact again
# (see above) with the default options prints the allocation and free stacks too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}
# Ctrl-C reaches the running fuzzers, which print their statistics and stop; no further target
# starts, and the table still follows.
stop=""
trap 'stop=1' INT

run_one() {
    local target=$1 work="$build/corpus-work/$1"
    mkdir -p "$work"
    local limit=(-runs="$runs")
    [ -z "$seconds" ] || limit=(-max_total_time="$seconds")
    local seeds=()
    [ -d "$build/corpus-seeds/$target" ] && seeds=("$build/corpus-seeds/$target")
    local start end status=0 log
    start=$(date +%s)
    # Each run keeps its own log (the ledger's evidence); <target>.log points at the latest.
    log="$build/logs/$target.$(date -u +%Y%m%dT%H%M%SZ).log"
    ln -sfn "$(basename "$log")" "$build/logs/$target.log"
    nice "$build/fuzz/$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" "$work" "${seeds[@]}" >"$log" 2>&1 || status=$?
    end=$(date +%s)
    echo "$status $((end - start))" >"$build/logs/$target.status"
    local execs result=done
    execs=$(executions "$log")
    [ "$status" -eq 0 ] || result=crash
    [ "$status" -ne 72 ] || result=interrupted # libFuzzer's exit code after SIGINT
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$commit" "$target" "${execs:-0}" \
        "$((end - start))" "$result" >>"$build/executions.tsv"
}

# Executions from the final statistics, or from the last status line if there are none.
executions() {
    local n
    n=$(grep 'stat::number_of_executed_units:' "$1" | tail -1 | awk '{print $2}')
    [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$1" | tail -1 | tr -d '#')
    echo "${n:-0}"
}

interrupted() { # a fuzzer that ended on SIGINT (exit 72) means Ctrl-C, also if the trap missed it
    local t
    for t in "${ran[@]}"; do
        [ ! -f "$build/logs/$t.status" ] || [ "$(cut -d' ' -f1 "$build/logs/$t.status")" != 72 ] || return 0
    done
    [ -n "$stop" ]
}

ran=()
for target in "${targets[@]}"; do
    ! interrupted || break
    rm -f "$build/logs/$target.status"
    run_one "$target" &
    ran+=("$target")
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n || true
    done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
    wait || true
done

failed=0
printf '%-36s %14s %10s %8s %8s %14s\n' target executions exec/s seconds crashes 'all runs' 
for target in "${ran[@]}"; do
    log="$build/logs/$target.log"
    read -r status secs <"$build/logs/$target.status"
    execs=$(executions "$log")
    rate=$(grep 'stat::average_exec_per_sec:' "$log" | tail -1 | awk '{print $2}')
    total=$(awk -F'\t' -v t="$target" '$3 == t { n += $4 } END { print n + 0 }' "$build/executions.tsv")
    crashes=0
    if [ "$status" -ne 0 ] && [ "$status" -ne 72 ]; then
        crashes=1 # libFuzzer stops at the first crash; its input is in build/fuzz/artifacts/
        failed=1
    fi
    printf '%-36s %14s %10s %8s %8s %14s\n' "$target" "${execs:-?}" "${rate:-?}" "$secs" "$crashes" "$total"
done
exit "$failed"
