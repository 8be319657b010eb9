#!/bin/bash
# Line and branch coverage of mod_redirect307 over the unit tests and the
# Apache::Test suite (gcov, reported by gcovr).
#
#   tools/coverage.sh
#
# The module is built with --coverage into out/coverage/module/ (straight
# from the tree's sources, so that both builds report the same files), the
# suite runs against it in a staged copy of the tree (as t/run-suite.sh
# runs it: as nobody when started as root, which is why the counts are
# written under GCOV_PREFIX and copied back; the counters are updated
# atomically, as httpd runs many threads), the unit tests run from
# out/coverage/unit/, and gcovr adds both up per source file.  Prints
#   coverage: lines N% (covered/total), branches M% (covered/total)
# and writes out/coverage/index.html (per-file, per-line detail).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"
APXS=${APXS:-apxs}
HTTPD=${HTTPD:-/usr/sbin/apache2}
out=$top/out/coverage
rm -rf "$out"
mkdir -p "$out/module"

# --- the module, instrumented ----------------------------------------------
cflags=($("$APXS" -q CFLAGS) $("$APXS" -q EXTRA_CPPFLAGS)
        -I"$("$APXS" -q INCLUDEDIR)" $(apr-1-config --cppflags --includes)
        -fPIC -DPIC -O0 -g --coverage -fprofile-update=atomic)
objects=()
# every top-level C file of the module, the glue file first
for c in mod_redirect307.c $(ls ./*.c | sed 's|^\./||' | grep -vx mod_redirect307.c); do
    gcc "${cflags[@]}" -c "$top/$c" -o "$out/module/${c%.c}.o"
    objects+=("$out/module/${c%.c}.o")
done
gcc -shared --coverage -o "$out/module/mod_redirect307.so" "${objects[@]}"

# --- the suite against it ---------------------------------------------------
stage=$(mktemp -d "${TMPDIR:-/tmp}/r307-cov.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir "$stage/tree" "$stage/gcov"
chmod 777 "$stage/gcov"
copy_tree "$top" "$stage/tree"
mkdir "$stage/tree/.libs"
cp "$out/module/mod_redirect307.so" "$stage/tree/.libs/"
chmod -R a+rX "$stage"
set +e
GCOV_PREFIX="$stage/gcov" GCOV_PREFIX_STRIP=0 \
APACHE_TEST_HTTPD="$HTTPD" APACHE_TEST_APXS="$(command -v "$APXS")" \
    "$stage/tree/t/run-suite.sh" >"$out/suite.log" 2>&1
rc=$?
set -e
tail -3 "$out/suite.log"
if [ "$rc" -ne 0 ]; then
    echo "coverage: the suite failed (out/coverage/suite.log)" >&2
    exit 1
fi
# the counts of the processes that ran as nobody, back beside the objects
(cd "$stage/gcov$out/module" && cp ./*.gcda "$out/module/")

# --- the unit tests ---------------------------------------------------------
make --no-print-directory unit UNIT_OUT="$out/unit" \
    UNIT_CFLAGS=--coverage >"$out/unit.log" 2>&1 || {
    cat "$out/unit.log" >&2
    exit 1
}
grep '^unit:' "$out/unit.log"

# --- the report ----------------------------------------------------------------
gcovr --root "$top" --filter "$top/mod_redirect307.*\\.c" \
    --filter "$top/redirect307_.*\\.c" \
    --html-details "$out/index.html" --txt "$out/summary.txt" \
    --print-summary "$out/module" "$out/unit" >"$out/gcovr.log" 2>&1 || {
    cat "$out/gcovr.log" >&2
    exit 1
}
cat "$out/summary.txt"
lines=$(sed -n 's/^lines: \(.*\)$/\1/p' "$out/gcovr.log")
branches=$(sed -n 's/^branches: \(.*\)$/\1/p' "$out/gcovr.log")
echo "coverage: lines $lines, branches $branches"
echo "coverage: details in out/coverage/index.html"
