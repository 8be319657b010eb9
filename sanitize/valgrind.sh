#!/bin/bash
# One valgrind (memcheck) pass of the Apache::Test suite: the test server
# runs as a single process (t/TEST -one-process, i.e. httpd -D ONE_PROCESS)
# under valgrind, with mod_redirect307 built with sanitize/pool-debug.h (see
# below) or, with R307_POOL_DEBUG=0, the tree's own .libs/mod_redirect307.so.
#
#   sanitize/valgrind.sh [t/TEST arguments, e.g. t/smoke.t]
#
# As sanitize/test-asan.sh does, the tree is copied into a staging directory
# under /tmp and APACHE_TEST_HTTPD points at a wrapper, which runs httpd
# under valgrind only when it is started as the test server (-X or
# -D ONE_PROCESS); "httpd -V", "httpd -t" and the like run directly.  Each
# process valgrind sees writes t/logs/valgrind.PID.log.  The summary counts
# errors and "definitely lost" bytes, in all and in stacks that go through
# mod_redirect307; the logs are kept in out/sanitize/valgrind/.  Exit status 1
# when valgrind reports an error or a definite leak in mod_redirect307, or
# when the suite fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"
HTTPD=${HTTPD:-/usr/sbin/apache2}
APXS=${APXS:-apxs}

command -v valgrind >/dev/null || {
    echo "valgrind: valgrind is not installed (tools/ensure-packages.sh valgrind)" >&2
    exit 1
}
# The module: by default a copy built with sanitize/pool-debug.h (every pool
# allocation of the module is its own malloc()ed block, freed when its pool
# is cleared), so that valgrind sees reads and writes past one allocation,
# uses after the pool is gone and reads of memory never written; with
# R307_POOL_DEBUG=0 the tree's own .libs/mod_redirect307.so.
if [ "${R307_POOL_DEBUG:-1}" != 0 ]; then
    R307_SANITIZE=0 APXS=$APXS sanitize/build-asan.sh "$top/out/sanitize/valgrind-build" >/dev/null
    module=$top/out/sanitize/valgrind-build/mod_redirect307.so
else
    [ -e .libs/mod_redirect307.so ] || make all
    module=$top/.libs/mod_redirect307.so
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/r307-valgrind.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir "$stage/tree"
copy_tree "$top" "$stage/tree"
mkdir "$stage/tree/.libs"
cp "$module" "$stage/tree/.libs/mod_redirect307.so"

cat >"$stage/httpd-valgrind" <<EOF
#!/bin/sh
# httpd under valgrind when started as the one-process test server
httpd=$HTTPD
case " \$* " in
    *" -X "*|*" ONE_PROCESS "*) ;;
    *) exec "\$httpd" "\$@" ;;
esac
root=. prev=
for arg in "\$@"; do
    [ "\$prev" = -d ] && root=\$arg
    prev=\$arg
done
mkdir -p "\$root/logs"
exec valgrind --tool=memcheck --leak-check=full \\
    --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite \\
    --num-callers=40 --track-fds=no --error-limit=no \\
    --log-file="\$root/logs/valgrind.%p.log" "\$httpd" "\$@"
EOF
chmod 755 "$stage/httpd-valgrind"
chmod -R a+rX "$stage"

echo "valgrind: suite in $stage/tree with $module, httpd started by $stage/httpd-valgrind"
set +e
APACHE_TEST_HTTPD="$stage/httpd-valgrind" \
APACHE_TEST_APXS="$(command -v "$APXS")" \
APACHE_TEST_STARTUP_TIMEOUT=300 \
R307_SUITE_TIMEOUT=${R307_SUITE_TIMEOUT:-5400} \
    "$stage/tree/t/run-suite.sh" -one-process "$@"
suite_rc=$?
set -e

out=$top/out/sanitize/valgrind
rm -rf "$out"
mkdir -p "$out"
cp -r "$stage/tree/t/logs" "$out/logs" 2>/dev/null || true

rc=0
[ "$suite_rc" -eq 0 ] || rc=1
shopt -s nullglob
logs=("$out"/logs/valgrind.*.log)
if [ "${#logs[@]}" -eq 0 ]; then
    echo "valgrind: no valgrind log: the server did not run under valgrind" >&2
    exit 1
fi
# per log: errors, definitely lost bytes/blocks, and the same counted only
# where a stack goes through mod_redirect307
perl -e '
    my ($err, $def, $blocks, $ours_err, $ours_def, $n, $exited) = (0) x 7;
    for my $f (@ARGV) {
        open my $fh, "<", $f or die "$f: $!";
        my $text = do { local $/; <$fh> };
        $n++;
        # records are separated by lines with only "==PID=="
        for my $p (split /^==\d+==\s*\n/m, $text) {
            $exited++ if $p =~ /HEAP SUMMARY/;
            $err += $1 if $p =~ /ERROR SUMMARY: (\d+) errors/;
            if ($p =~ /definitely lost: ([\d,]+) bytes in ([\d,]+) blocks/) {
                (my $b = $1) =~ tr/,//d; (my $k = $2) =~ tr/,//d;
                $def += $b; $blocks += $k;
            }
            next unless $p =~ /redirect307/;
            if ($p =~ /^==\d+== ([\d,]+) bytes in [\d,]+ blocks are definitely lost/m) {
                (my $b = $1) =~ tr/,//d; $ours_def += $b;
            }
            elsif ($p =~ /^==\d+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination)/m) {
                $ours_err++;
            }
        }
    }
    printf "valgrind: %d process logs (%d with a leak summary): %d errors, " .
           "%d bytes definitely lost in %d blocks\n", $n, $exited, $err, $def, $blocks;
    printf "valgrind: through mod_redirect307: %d errors, %d bytes definitely lost\n",
           $ours_err, $ours_def;
    exit(($ours_err || $ours_def) ? 1 : 0);
' "${logs[@]}" || rc=1
echo "valgrind: logs in $out/logs (valgrind.PID.log)"
echo "valgrind: suite exit status $suite_rc"
exit "$rc"
