#!/bin/bash
# Runs the in-process fuzz targets built by mk/fuzz-targets.mk.
#
#   fuzz/run-targets.sh replay TARGET...     replay fuzz/corpus/TARGET/
#   fuzz/run-targets.sh libfuzzer TARGET...  fuzz each for $FUZZ_TIME s
#                                            (or $FUZZ_RUNS executions)
#
# replay closes with "fuzz-replay: N inputs, M failed"; libfuzzer with
# "fuzz-libfuzzer: T targets, E executions, M failed" and one line per
# target (executions, coverage, corpus).  Exits 1 when an input failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=out/fuzz-targets
mode=$1
shift
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

inputs=0 failed=0 execs=0
for t in "$@"; do
    if [ "$mode" = replay ]; then
        log=$out/replay-$t.log
        if "$out/replay/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
            n=$(sed -n 's/^replay: \([0-9]*\) inputs$/\1/p' "$log")
            echo "fuzz-replay: $t: ${n:-0} inputs"
            inputs=$((inputs + ${n:-0}))
        else
            echo "fuzz-replay: $t FAILED; the input and the report:" >&2
            grep '^replay: fuzz/' "$log" | tail -1 >&2
            grep -v '^replay: ' "$log" | tail -30 >&2
            failed=$((failed + 1))
            inputs=$((inputs + $(grep -c '^replay: fuzz/' "$log")))
        fi
    else
        work=$out/corpus/$t
        mkdir -p "$work" "$out/artifacts"
        log=$out/libfuzzer-$t.log
        limit=(-max_total_time="${FUZZ_TIME:-20}")
        [ "${FUZZ_RUNS:-0}" -gt 0 ] && limit=(-runs="$FUZZ_RUNS")
        if "$out/libfuzzer/$t" "${limit[@]}" -dict=fuzz/dict.core \
            -artifact_prefix="$out/artifacts/$t-" -print_final_stats=1 \
            "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
            status=ok
        else
            status=FAILED
            failed=$((failed + 1))
            tail -40 "$log" >&2
        fi
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        corp=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -1)
        echo "fuzz-libfuzzer: $t: $status, ${n:-0} executions, $cov, $corp"
        execs=$((execs + ${n:-0}))
    fi
done
if [ "$mode" = replay ]; then
    echo "fuzz-replay: $inputs inputs, $failed failed"
else
    echo "fuzz-libfuzzer: $# targets, $execs executions, $failed failed"
fi
[ "$failed" -eq 0 ]
