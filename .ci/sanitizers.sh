#!/usr/bin/env bash
# Builds and runs the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (preset
# dev) and ThreadSanitizer (preset tsan), one after the other, and prints each ctest summary.
#
#   .ci/sanitizers.sh [asan|tsan ...] [-- ctest arguments]
#
# e.g. `.ci/sanitizers.sh asan -- -R 'http|config'`. Both builds are full Debug/RelWithDebInfo
# builds with instrumentation: on a 2-core machine each takes a long time (tens of minutes), so
# the script runs at low priority and uses ccache when it is installed. Logs and the summary are
# in build/<preset>/sanitizers.log; the exit status is non-zero if any test failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
kinds=()
ctest_args=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; ctest_args=("$@"); break; fi
    kinds+=("$1"); shift
done
[ ${#kinds[@]} -gt 0 ] || kinds=(asan tsan)
if command -v ccache >/dev/null 2>&1; then
    export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi
# A leak report names the allocation; stack traces need the symbolizer (llvm).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:check_initialization_order=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# history_size=7 (the most) keeps enough of each thread's past accesses to show both stacks of a
# report. With the default, long tests (test_reliability's relay drain) got reports whose earlier
# access "failed to restore the stack": without that stack the suppressions below, which name the
# Qt frame a queued call runs under, cannot match either.
export TSAN_OPTIONS=${TSAN_OPTIONS:-second_deadlock_stack=1:history_size=7:halt_on_error=0:suppressions=$root/.ci/tsan.supp}
export QT_QPA_PLATFORM=offscreen

status=0
for kind in "${kinds[@]}"; do
    case "$kind" in
    asan) preset=dev ;;
    tsan) preset=tsan ;;
    *) echo "unknown sanitizer build: $kind (asan or tsan)" >&2; exit 2 ;;
    esac
    log="build/$preset/sanitizers.log"
    mkdir -p "build/$preset"
    {
        echo "== $kind (preset $preset) $(date -u +%FT%TZ)"
        nice cmake --preset "$preset" >/dev/null &&
            nice cmake --build --preset "$preset" -j"$(nproc)" &&
            nice ctest --preset "$preset" --timeout 900 "${ctest_args[@]}"
    } >"$log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || status=1
    echo "== $kind: exit $rc (log $log)"
    grep -E '^[0-9]+% tests passed|The following tests FAILED|^\s+[0-9]+ - .*\((Failed|Timeout|SEGFAULT|Subprocess aborted)\)' "$log" || tail -5 "$log"
done
exit $status
