#!/bin/bash
# The Apache::Test suite against mod_redirect307 built with AddressSanitizer
# and UndefinedBehaviorSanitizer (sanitize/build-asan.sh).
#
#   sanitize/test-asan.sh [t/TEST arguments, e.g. t/smoke.t]
#
# The tree's own .libs is never touched.  The tree is copied into a staging
# directory under /tmp (readable by the suite's user, as t/run-suite.sh
# needs when run as root); in the copy .libs/mod_redirect307.so is the
# sanitizer build, and APACHE_TEST_HTTPD points at a copy of
# sanitize/httpd-asan.sh, which starts httpd with libasan and libubsan preloaded
# into httpd only (not into perl).  t/run-suite.sh of the copy then runs as
# usual; its error-log check fails on "AddressSanitizer" and "runtime
# error:" lines, and this script fails on any sanitizer line in the error
# log or in the suite's output (reports of "httpd -t" runs land there).
# The logs of the last run are kept in out/sanitize/asan-suite/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"
HTTPD=${HTTPD:-/usr/sbin/apache2}
APXS=${APXS:-apxs}
asan=$top/out/sanitize/asan

# rebuilt when a top-level C file or header is newer than the build
if [ ! -e "$asan/mod_redirect307.so" ] ||
   [ -n "$(find . -maxdepth 1 -name '*.[ch]' -newer "$asan/mod_redirect307.so")" ]; then
    APXS=$APXS sanitize/build-asan.sh "$asan"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/r307-asan.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir "$stage/tree"
copy_tree "$top" "$stage/tree"
mkdir "$stage/tree/.libs"
cp "$asan/mod_redirect307.so" "$stage/tree/.libs/mod_redirect307.so"
# the wrapper, with the real httpd written in (t/run-suite.sh passes only a
# few variables through to the suite)
sed "s|^httpd=.*|httpd=\${R307_HTTPD:-$HTTPD}|" sanitize/httpd-asan.sh >"$stage/httpd-asan"
chmod 755 "$stage/httpd-asan"
chmod -R a+rX "$stage"

echo "test-asan: suite in $stage/tree with $asan/mod_redirect307.so," \
     "httpd started by $stage/httpd-asan"
set +e
APACHE_TEST_HTTPD="$stage/httpd-asan" \
APACHE_TEST_APXS="$(command -v "$APXS")" \
    "$stage/tree/t/run-suite.sh" "$@"
rc=$?
set -e

rm -rf "$top/out/sanitize/asan-suite"
mkdir -p "$top/out/sanitize/asan-suite"
cp -r "$stage/tree/t/logs" "$top/out/sanitize/asan-suite/logs" 2>/dev/null || true

report='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|ERROR: [A-Za-z]*Sanitizer'
for f in "$stage"/tree/t/logs/error_log "$stage"/tree/t/logs/suite.out; do
    if [ -f "$f" ] && grep -Eq "$report" "$f"; then
        echo "test-asan: sanitizer report in ${f#"$stage"/tree/}:" >&2
        grep -E -m 5 -A 25 "$report" "$f" >&2
        rc=1
    fi
done
if [ -f "$stage/tree/t/logs/suite.out" ] &&
   ! grep -q "httpd-asan" "$stage/tree/t/logs/suite.out"; then
    echo "test-asan: the suite did not start httpd through httpd-asan" >&2
    rc=1
fi
echo "test-asan: logs in out/sanitize/asan-suite/logs"
if [ "$rc" -eq 0 ]; then
    echo "test-asan: passed"
else
    echo "test-asan: FAILED" >&2
fi
exit "$rc"
