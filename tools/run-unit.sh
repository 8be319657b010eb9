#!/bin/bash
# Runs the unit-test programs named on the command line (cmocka) and adds
# up their counts: prints each program's output, then the closing line
#   unit: N passed, M failed
# and exits 1 when a test failed or a program did not finish.
set -uo pipefail

passed=0 failed=0 broken=0
for prog in "$@"; do
    out=$("$prog" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        echo "run-unit: $prog exited with $rc" >&2
        broken=$((broken + 1))
    fi
done
echo "unit: $passed passed, $((failed + broken)) failed"
[ "$failed" -eq 0 ] && [ "$broken" -eq 0 ]
