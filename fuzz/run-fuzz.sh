#!/bin/bash
# Fuzz mod_redirect307 (built with ASan+UBSan) through httpd on 127.0.0.1.
#
#   fuzz/run-fuzz.sh [N=200000] [SEED=n] [T=600] [W=2] [DEPTH=8] [ONLY=i]
#                    [ASAN=1] [KEEP=0] [MAXFAIL=10] [SO=path]
#
#   N       requests to send (bounded by T seconds as well)
#   SEED    seed of the request generator (default: from the clock); the
#           seed is printed, and SEED=s ONLY=i sends request i of that run
#           again, alone, and prints it with its response
#   W       client processes, DEPTH requests pipelined per connection
#   ASAN=0  fuzz the tree's own .libs/mod_redirect307.so instead
#   KEEP=1  keep the run directory (configuration, logs) in /tmp
#   MAXFAIL stop after this many failed checks (default 10)
#   SO=path another sanitizer build of the module to fuzz (sanitize/build-asan.sh
#           DIR makes one), e.g. a copy with a bug put in on purpose
#
# Starts httpd with fuzz/httpd.conf.in (every kind of rule and a map; five
# ports: UseCanonicalName On, Off, Off with HttpProtocolOptions Unsafe, a
# trusted proxy, an https ServerName) on free loopback ports, runs
# out/fuzz/fuzz307 against it, then checks that the server is still alive
# and answers, stops it and scans the error log for crashes and sanitizer
# reports.  The error log and
# configuration of the last run are kept in out/fuzz/last/.  Exit status 0
# only when every response passed every check and the log is clean.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"

N=200000 SEED= T=600 W=2 DEPTH=8 ONLY= ASAN=1 KEEP=0 MAXFAIL=10 SO=
for arg in "$@"; do
    case $arg in
        N=*|SEED=*|T=*|W=*|DEPTH=*|ONLY=*|ASAN=*|KEEP=*|MAXFAIL=*|SO=*) eval "${arg%%=*}=\${arg#*=}" ;;
        *) echo "run-fuzz: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done
for v in N T W DEPTH MAXFAIL; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "run-fuzz: $v must be a number" >&2; exit 2; }
done
[[ -z $SEED || $SEED =~ ^[0-9]+$ ]] || { echo "run-fuzz: SEED must be a number" >&2; exit 2; }
[[ -z $ONLY || $ONLY =~ ^[0-9]+$ ]] || { echo "run-fuzz: ONLY must be a number" >&2; exit 2; }

HTTPD=${HTTPD:-/usr/sbin/apache2}
out=$top/out/fuzz
# the sanitizer build is the one of make asan (out/sanitize/asan)
asan=$top/out/sanitize/asan
mkdir -p "$out"

# the client
if [ ! -x "$out/fuzz307" ] || [ fuzz/fuzz307.c -nt "$out/fuzz307" ]; then
    gcc -O2 -g -Wall -Wextra -o "$out/fuzz307" fuzz/fuzz307.c
fi

# the module and the httpd to run it
if [ "$ASAN" = 1 ]; then
    if [ ! -e "$asan/mod_redirect307.so" ] ||
       [ -n "$(find . -maxdepth 1 -name '*.[ch]' -newer "$asan/mod_redirect307.so")" ] ||
       [ sanitize/pool-debug.h -nt "$asan/mod_redirect307.so" ]; then
        sanitize/build-asan.sh "$asan"
    fi
    module=${SO:-$asan/mod_redirect307.so}
    httpd=$asan/httpd-asan
    [ -x "$httpd" ] || install -m 755 sanitize/httpd-asan.sh "$httpd"
else
    [ -e .libs/mod_redirect307.so ] || { echo "run-fuzz: run make first" >&2; exit 1; }
    module=$top/.libs/mod_redirect307.so
    httpd=$HTTPD
fi

# a private run directory the server user can read (the tree may not be)
run=$(mktemp -d "${TMPDIR:-/tmp}/r307-fuzz.XXXXXX")
chmod 755 "$run"
pid=
cleanup() {
    if [ -n "$pid" ]; then
        HTTPD_STOP_TIMEOUT=10 httpd_stop "$run/httpd.pid" || true
    fi
    if [ "$KEEP" = 1 ]; then
        echo "run-fuzz: kept $run"
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT

cp -r fuzz/htdocs "$run/htdocs"
cp fuzz/fuzz.map "$run/fuzz.map"
cp fuzz/vhost.map "$run/vhost.map"
# a few thousand more map entries, so that lookups go through a real table
for i in $(seq 1 3000); do
    echo "/fz/map/gen/$i https://gen.example/$i"
done >>"$run/fuzz.map"
chmod -R a+rX "$run"

read -r p_main p_off p_proxy p_tls p_unsafe < <(free_ports 5)
user=
if [ "$(id -u)" -eq 0 ]; then
    user="User nobody
Group $(id -gn nobody 2>/dev/null || echo nogroup)"
fi
fill_template fuzz/httpd.conf.in "$run/httpd.conf" \
    TOP="$top" MODULE="$module" RUN="$run" USER="$user" \
    PORT_MAIN="$p_main" PORT_OFF="$p_off" PORT_PROXY="$p_proxy" \
    PORT_TLS="$p_tls" PORT_UNSAFE="$p_unsafe"

# absolute targets the configuration names: the only other origins a
# Location may have
{
    grep -E '^\s*Redirect307(Match)?\s' "$run/httpd.conf" "$run"/htdocs/fz/dir/.htaccess \
        "$run"/htdocs/fz/dir/sub/.htaccess | grep -Eo '[a-z]+://[^/?#"% ]+' || true
    grep -hEv '^\s*(#|$)' "$run/fuzz.map" "$run/vhost.map" |
        awk '{print $2}' | grep -Eo '^[a-z]+://[^/?#"% ]+' || true
} | sort -u >"$run/origins.txt"

"$httpd" -t -f "$run/httpd.conf" >"$run/httpd-t.out" 2>&1 || {
    cat "$run/httpd-t.out" >&2
    echo "run-fuzz: the fuzz configuration does not pass httpd -t" >&2
    exit 1
}
pid=starting
HTTPD_START_TIMEOUT=30 httpd_start "$run/httpd.pid" "$p_main" "$httpd" -f "$run/httpd.conf" || {
    cat "$run/error_log" >&2; echo "run-fuzz: httpd did not start" >&2; exit 1; }
pid=$HTTPD_PID

# one request answered right before anything else
probe() {
    local want="https://pre.example/new/probe" got
    for _ in $(seq 50); do
        got=$(perl -MIO::Socket::INET -e '
            my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
                PeerPort => $ARGV[0], Timeout => 10) or exit 1;
            print $s "GET /fz/pre/probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            local $/; my $r = <$s> // ""; print $1 if $r =~ /^Location: (\S+)\r$/m
        ' "$p_main" 2>/dev/null) && [ "$got" = "$want" ] && return 0
        sleep 0.2
    done
    echo "run-fuzz: probe: expected Location $want, got '${got:-nothing}'" >&2
    return 1
}
probe

echo "run-fuzz: httpd $pid ($(basename "$httpd"), $module) on 127.0.0.1 ports" \
     "main=$p_main off=$p_off proxy=$p_proxy tls=$p_tls unsafe=$p_unsafe"
echo "run-fuzz: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r)"

args=(-p "main=$p_main:canon:http://127.0.0.1:$p_main"
      -p "off=$p_off:host:http://off.example"
      -p "proxy=$p_proxy:proxy:http://proxy.example"
      -p "tls=$p_tls:canon:https://tls.example:8443"
      -p "unsafe=$p_unsafe:host:http://unsafe.example"
      -a "$run/origins.txt" -D fuzz/dict.txt -w "$W" -d "$DEPTH" -F "$MAXFAIL")
[ -z "$SEED" ] || args+=(-s "$SEED")
rc=0
if [ -n "$ONLY" ]; then
    [ -n "$SEED" ] || { echo "run-fuzz: ONLY needs SEED" >&2; exit 2; }
    "$out/fuzz307" "${args[@]}" -o "$ONLY" -v || rc=1
else
    "$out/fuzz307" "${args[@]}" -n "$N" -T "$T" || rc=1
fi

# still alive, still answering
alive=1
if ! kill -0 "$pid" 2>/dev/null; then
    echo "run-fuzz: httpd $pid is gone" >&2
    alive=0
elif ! probe; then
    alive=0
fi
[ "$alive" = 1 ] || rc=1

if ! HTTPD_STOP_TIMEOUT=20 httpd_stop "$run/httpd.pid"; then
    echo "run-fuzz: httpd $pid did not stop" >&2
    rc=1
fi
pid=

rm -rf "$out/last"
mkdir -p "$out/last"
cp "$run/httpd.conf" "$run/origins.txt" "$run/error_log" "$out/last/" 2>/dev/null || true

crash='AddressSanitizer|LeakSanitizer|runtime error:|exit signal|Segmentation fault|double free|stack smashing|ERROR: [A-Za-z]*Sanitizer'
if grep -Eq "$crash" "$run/error_log"; then
    echo "run-fuzz: crash or sanitizer report in the error log:" >&2
    grep -E -m 20 -A 30 "$crash" "$run/error_log" >&2
    rc=1
fi
lines=$(wc -l <"$run/error_log")
echo "run-fuzz: error log: $lines lines; by level and message id:"
perl -ne '
    next unless /^\[[^\]]*\] \[[\w-]*:(\w+)\] \[pid [^\]]*\] (?:\[client [^\]]*\] )?(.*)/;
    my ($level, $msg) = ($1, $2);
    $msg =~ s/^\(\d+\)[^:]*: (\[client [^\]]*\] )?//;
    $msg = $1 if $msg =~ /^(AH\d+)/;
    $msg =~ s/ at \S+:\d+ / at FILE:LINE /;
    $msg =~ s/would redirect .*/would redirect URL to itself/;
    $msg = substr($msg, 0, 66);
    $n{"$level $msg"}++;
    END { my $i = 0; for (sort { $n{$b} <=> $n{$a} } keys %n) {
              printf "  %8d  %s\n", $n{$_}, $_ if $i++ < 15 } }' "$run/error_log"
echo "run-fuzz: error log and configuration in $out/last/"
if [ "$rc" -eq 0 ]; then
    echo "run-fuzz: passed"
else
    echo "run-fuzz: FAILED" >&2
fi
exit "$rc"
