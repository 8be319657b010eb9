#!/bin/bash
# Run the Apache::Test suite against the freshly built module.
#
#   t/run-suite.sh [t/TEST arguments, e.g. t/smoke.t or -verbose]
#
# Apache::Test refuses to run as root (httpd could not drop privileges for
# its children).  As root this script therefore copies the tree into a
# fresh temporary directory owned by `nobody`, runs itself there as nobody
# and removes the copy; the exit status is the suite's.  As any other user
# it runs in place.  After t/TEST (and the server) has stopped, the error
# log is checked once more, which catches crashes at shutdown too.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"

if [ ! -e .libs/mod_redirect307.so ]; then
    echo "run-suite: .libs/mod_redirect307.so is missing: run make first" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    user=${R307_TEST_USER:-nobody}
    # /tmp is world-traversable; mktemp makes the directory 0700, the
    # chown below hands it to the test user.
    work=$(mktemp -d "${TMPDIR:-/tmp}/r307-suite.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    # copy the tree (without git, test state or tool output) and the
    # built module
    copy_tree "$top" "$work"
    mkdir -p "$work/.libs"
    cp .libs/mod_redirect307.so "$work/.libs/"
    chown -R "$user:" "$work"
    chmod 755 "$work"
    echo "run-suite: running as $user in $work"
    set +e
    # the suite's own settings (APACHE_TEST_*, R307_*) and where a coverage
    # build writes its counts (GCOV_PREFIX*) pass through, the
    # rest of root's environment does not
    passenv=()
    for name in $(compgen -e); do
        case $name in
            APACHE_TEST_*|R307_*|GCOV_PREFIX*) passenv+=("$name=${!name}") ;;
        esac
    done
    # nobody's shell is nologin and its HOME /nonexistent
    env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 ${CI:+CI="$CI"} \
        "${passenv[@]}" \
        runuser -u "$user" -- "$work/t/run-suite.sh" "$@" </dev/null
    rc=$?
    set -e
    # keep the logs and the generated configuration of the run in the
    # tree's t/logs for post-mortems (make clean removes them)
    rm -rf "$top/t/logs"
    cp -r "$work/t/logs" "$top/t/logs" 2>/dev/null || true
    cp "$work"/t/conf/*.conf "$top/t/logs/" 2>/dev/null || true
    exit "$rc"
fi

# --- as an unprivileged user, in place ---------------------------------------
export APACHE_TEST_NO_COLOR=1
perl -MApache::TestMM -e 'Apache::TestMM::generate_script("t/TEST")' \
    >/dev/null
# a fresh log for every run: stale lines would fail the error-log check
rm -f t/logs/error_log t/logs/expected-errors

mkdir -p t/logs
set +e
# bounded: a hung test must not hang CI (R307_SUITE_TIMEOUT seconds)
timeout -k 10 "${R307_SUITE_TIMEOUT:-1200}" perl t/TEST "$@" 2>&1 |
    tee t/logs/suite.out
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -ne 124 ] || echo "run-suite: t/TEST timed out" >&2

# never leave a test server behind (t/TEST killed, or -start-httpd given)
if [ -s t/logs/httpd.pid ] && kill -0 "$(cat t/logs/httpd.pid)" 2>/dev/null; then
    echo "run-suite: stopping leftover httpd $(cat t/logs/httpd.pid)" >&2
    HTTPD_STOP_TIMEOUT=10 httpd_stop t/logs/httpd.pid || true
    [ "$rc" -ne 0 ] || rc=1
fi

# the error-log check once more, now that httpd has stopped; it counts as
# one more test in the summary
problems=$(perl -It/lib -MRedirect307Test=error_log_problems \
    -e 'print for error_log_problems()')
late=0
if [ -n "$problems" ]; then
    echo "run-suite: unexpected lines in t/logs/error_log:" >&2
    echo "$problems" >&2
    [ "$rc" -ne 0 ] || rc=1
    late=1
fi

# one plain summary line ("Tests=N" and "M/N subtests failed" from
# Test::Harness), last, so whoever reads the end of the output sees it
summary=$(LATE=$late perl -ne '$t = $1 if /^Files=\d+, Tests=(\d+)/;
    $f = $1 if m{(\d+)/\d+ subtests failed};
    END { printf "%d passed, %d failed\n", $t - $f, $f + $ENV{LATE}
          if defined $t }' t/logs/suite.out)
[ -z "$summary" ] || echo "suite: $summary"
exit "$rc"
