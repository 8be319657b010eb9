#!/bin/bash
# Load and graceful restarts: mod_redirect307 under keep-alive load.
#
#   soak/run-soak.sh [REQUESTS=1000000] [CONNS=256] [THREADS=2] [WARMUP=15]
#                    [RESTARTS=5] [EVERY=6] [MAXGROWTH=5] [MAXTIME=900]
#                    [LOAD_MPM=event] [GRACEFUL_MPM=worker] [PACE=40]
#
# 1. Starts httpd (LOAD_MPM; 4 children of 128 threads) with
#    soak/httpd.conf.in on a free 127.0.0.1 port, with the tree's
#    .libs/mod_redirect307.so and rules of generation 1 (prefix, regex, map,
#    one-argument <Location>, 2000 more prefix rules, a 10000-entry map).
# 2. Warm-up: wrk with soak/soak.lua (which checks every response), CONNS
#    keep-alive connections, WARMUP seconds.
# 3. Load: wrk again, as long as REQUESTS take at the warm-up rate, VmRSS of
#    every child read from /proc every 2 s.  Passes with at least REQUESTS
#    responses, 0 socket errors and timeouts, only the expected answers, and
#    child RSS growth within the run (10 s in -> end) of at most MAXGROWTH %.
# 4. Graceful restarts: a new httpd (GRACEFUL_MPM) under wrk load (CONNS
#    connections, PACE ms between requests on each, see below); RESTARTS
#    times, EVERY seconds apart, the rules and the map are rewritten
#    (generation 2, 3, ...) and `httpd -k graceful` is sent; after each, a
#    probe of /soak/probe and /soak/map/probe must show the new generation's
#    target.  Passes with 0 socket errors and timeouts, only expected
#    answers, and answers of every generation under load.
# 5. Neither error log may have a crash or a line at level error or above.
#
# Results: a summary on stdout and in out/soak/summary.txt, with the
# wrk outputs, the RSS samples and the error logs next to it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tools/lib.sh"

REQUESTS=1000000 CONNS=256 THREADS=2 WARMUP=15 RESTARTS=5 EVERY=6 MAXGROWTH=5 MAXTIME=900
LOAD_MPM=event GRACEFUL_MPM=worker PACE=40
for arg in "$@"; do
    case $arg in
        REQUESTS=*|CONNS=*|THREADS=*|WARMUP=*|RESTARTS=*|EVERY=*|MAXGROWTH=*|MAXTIME=*|LOAD_MPM=*|GRACEFUL_MPM=*|PACE=*)
            eval "${arg%%=*}=\${arg#*=}" ;;
        *) echo "run-soak: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done
for v in REQUESTS CONNS THREADS WARMUP RESTARTS EVERY MAXGROWTH MAXTIME PACE; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "run-soak: $v must be a number" >&2; exit 2; }
done
for v in LOAD_MPM GRACEFUL_MPM; do
    [[ ${!v} =~ ^(event|worker|prefork)$ ]] || { echo "run-soak: $v is event, worker or prefork" >&2; exit 2; }
done

HTTPD=${HTTPD:-/usr/sbin/apache2}
command -v wrk >/dev/null || { echo "run-soak: wrk is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "run-soak: curl is not installed" >&2; exit 1; }
[ -e .libs/mod_redirect307.so ] || { echo "run-soak: run make first" >&2; exit 1; }

out=$top/out/soak
rm -rf "$out"
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
say() { echo "soak: $*" | tee -a "$summary"; }
failed=0
fail() { say "FAIL: $*"; failed=1; }

run=$(mktemp -d "${TMPDIR:-/tmp}/r307-soak.XXXXXX")
chmod 755 "$run"
pid=
sampler=
cleanup() {
    [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
    if [ -n "$pid" ]; then
        HTTPD_STOP_TIMEOUT=20 httpd_stop "$run/httpd.pid" || true
    fi
    rm -rf "$run"
}
trap cleanup EXIT

port=$(free_port)
mkdir -p "$run/htdocs/soak"
echo "<p>static</p>" >"$run/htdocs/soak/static.html"
chmod -R a+rX "$run"
user=
if [ "$(id -u)" -eq 0 ]; then
    user="User nobody
Group $(id -gn nobody 2>/dev/null || echo nogroup)"
fi
# the configuration, with the project's list of modules and MPM $1
write_config() {
    sed "s/mpm_event/mpm_$1/g" t/conf/httpd-modules.conf >"$run/modules.conf"
    fill_template soak/httpd.conf.in "$run/httpd.conf" \
        MODULES="$run/modules.conf" MODULE="$top/.libs/mod_redirect307.so" \
        RUN="$run" USER="$user" PORT="$port"
}

# the rules and the map of generation $1 (written aside, then moved in)
write_generation() {
    local g=$1
    {
        echo "# generation $g"
        echo "Redirect307 /soak/pre https://pre.example/g$g"
        echo "Redirect307Match \"^/soak/re/(w\\d+)/(\\d+)\$\" \"https://re.example/g$g/\$2/\$1?x=\$1\""
        echo "Redirect307Map \"$run/soak.map\""
        echo "Redirect307 /soak/probe https://probe-g$g.example/p"
        echo "<Location /soak/loc>"
        echo "    Redirect307 \"https://loc.example/g$g%{REQUEST_URI}\""
        echo "</Location>"
        seq 1 2000 | awk -v g="$g" '{ print "Redirect307 /soak/fill/" $1 "/x https://fill.example/g" g "/" $1 }'
    } >"$run/rules.conf.new"
    {
        echo "/soak/map/probe https://map-probe-g$g.example/m"
        seq 1 10000 | awk -v g="$g" '{ print "/soak/map/" $1 " https://map.example/g" g "/" $1 }'
    } >"$run/soak.map.new"
    chmod a+r "$run/rules.conf.new" "$run/soak.map.new"
    mv -f "$run/rules.conf.new" "$run/rules.conf"
    mv -f "$run/soak.map.new" "$run/soak.map"
}

location_of() {
    curl -s -o /dev/null -m 10 -w '%{redirect_url}' "http://127.0.0.1:$port$1" || true
}

# "pid:kB" for each child that serves requests (threads > 1; the cgid
# daemon has one)
rss_sample() {
    local p threads rss
    for p in $(ps -o pid= --ppid "$pid"); do
        threads=$(awk '/^Threads:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        if [ -n "$threads" ] && [ "$threads" -gt 1 ] && [ -n "$rss" ]; then
            echo -n "$p:$rss "
        fi
    done
    echo
}
rss_total() { local t=0 x; for x in $1; do t=$((t + ${x#*:})); done; echo "$t"; }
pids_of() { local x; for x in $1; do echo -n "${x%%:*} "; done | tr ' ' '\n' | sort | tr '\n' ' '; }

# wrk for $1 seconds; output in $out/$2.txt
run_wrk() {
    wrk -t"$THREADS" -c"$CONNS" -d"$1"s --timeout 10s --latency \
        -s soak/soak.lua "http://127.0.0.1:$port/" >"$out/$2.txt" 2>&1 || {
        cat "$out/$2.txt" >&2
        fail "wrk ($2) exited with an error"
    }
}
lua_field() { grep "^soak-lua: $2" "$out/$1.txt" | head -1 | sed "s/^soak-lua: $2 *//"; }
kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# checks the Lua results of a wrk run; prints its figures
check_wrk() {
    local name=$1 errors completed sent got unexpected badloc k s g total_sent=0 total_got=0
    completed=$(lua_field "$name" completed | awk '{ print $1 }')
    errors=$(lua_field "$name" errors)
    sent=$(lua_field "$name" sent)
    got=$(lua_field "$name" got)
    unexpected=$(lua_field "$name" unexpected)
    badloc=$(lua_field "$name" badloc | awk '{ print $1 }')
    if [ -z "$completed" ]; then
        fail "$name: no results from soak/soak.lua"
        return
    fi
    for k in connect read write timeout; do
        [ "$(kv "$errors" "$k")" = 0 ] || fail "$name: $k errors: $(kv "$errors" "$k")"
    done
    [ -z "$unexpected" ] || fail "$name: unexpected statuses: $unexpected"
    [ "$badloc" = 0 ] || fail "$name: Locations that fit no pattern: $(lua_field "$name" badloc)"
    for k in pre re map loc none; do
        s=$(kv "$sent" "$k")
        g=$(kv "$got" "$k")
        total_sent=$((total_sent + s))
        total_got=$((total_got + g))
        # requests still in flight when wrk stops have no answer
        if [ "$g" -gt "$s" ] || [ $((s - g)) -gt "$CONNS" ]; then
            fail "$name: $k: $s requests sent, $g expected answers"
        fi
    done
    say "$name: $completed responses ($total_got checked: $got)," \
        "$(grep -m1 'Requests/sec' "$out/$name.txt" | awk '{ printf "%.0f req/s", $2 }')," \
        "latency $(lua_field "$name" latency_us), errors: $errors"
}

# starts httpd with MPM $1 and the rules of generation 1
start_server() {
    write_config "$1"
    write_generation 1
    rm -f "$run/error_log"
    "$HTTPD" -t -f "$run/httpd.conf" >"$out/httpd-t.txt" 2>&1 || {
        cat "$out/httpd-t.txt" >&2
        echo "run-soak: the soak configuration does not pass httpd -t" >&2
        exit 1
    }
    pid=starting
    HTTPD_START_TIMEOUT=30 httpd_start "$run/httpd.pid" "$port" "$HTTPD" -f "$run/httpd.conf" || {
        cat "$run/error_log" >&2; echo "run-soak: httpd did not start" >&2; exit 1; }
    pid=$HTTPD_PID
    for _ in $(seq 50); do
        [ "$(location_of /soak/probe)" = "https://probe-g1.example/p" ] && break
        sleep 0.2
    done
    [ "$(location_of /soak/probe)" = "https://probe-g1.example/p" ] || {
        cat "$run/error_log" >&2; echo "run-soak: the server does not answer" >&2; exit 1; }
    say "httpd $pid on 127.0.0.1:$port, $1 MPM"
}

# stops it; checks and keeps its error log as $out/error_log.$1
stop_server() {
    local bad
    kill -0 "$pid" 2>/dev/null || fail "httpd $pid is gone"
    HTTPD_STOP_TIMEOUT=20 httpd_stop "$run/httpd.pid" || fail "httpd $pid did not stop"
    pid=
    rm -f "$run/httpd.pid"
    cp "$run/error_log" "$out/error_log.$1"
    cp "$run/httpd.conf" "$out/httpd.conf.$1"
    bad=$(grep -E 'exit signal|Segmentation fault|AddressSanitizer|runtime error:|\[[a-z_0-9]*:(error|crit|alert|emerg)\]' \
          "$out/error_log.$1" || true)
    if [ -n "$bad" ]; then
        fail "error log ($1): $(echo "$bad" | wc -l) lines at level error or above, or crashes:"
        echo "$bad" | head -20 | tee -a "$summary"
    fi
    say "error log ($1): $(wc -l <"$out/error_log.$1") lines ($(grep -c ':warn\]' "$out/error_log.$1" || true) warnings)"
}

say "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -r)," \
    "$("$HTTPD" -v | sed -n 's/^Server version: //p'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
say "wrk: $THREADS threads, $CONNS keep-alive connections, soak/soak.lua" \
    "(prefix, regex, map, one-argument <Location>, no rule)"

# --- warm-up ------------------------------------------------------------------
start_server "$LOAD_MPM"
run_wrk "$WARMUP" warmup
check_wrk warmup
warm_rate=$(grep -m1 'Requests/sec' "$out/warmup.txt" | awk '{ printf "%d", $2 }')
[ "${warm_rate:-0}" -gt 0 ] || warm_rate=1000
say "children after the warm-up run (pid:VmRSS kB): $(rss_sample)"

# --- load ---------------------------------------------------------------------
# One wrk run long enough for REQUESTS at the warm-up rate (and a second one
# if it falls short).  VmRSS is sampled every 2 s; the growth is measured
# within the first run, from its sample BASE seconds in (the connections
# are up and every child has served them for a while) to its last sample:
# a new wrk run spreads its connections over the children anew.
BASE=10
(
    while sleep 2; do echo "$(date +%s) $(rss_sample)"; done
) >"$out/rss.txt" &
sampler=$!
done_requests=0
chunk=0
start=$(date +%s)
while [ "$done_requests" -lt "$REQUESTS" ] && [ "$chunk" -lt 2 ]; do
    left=$((REQUESTS - done_requests))
    elapsed=$(( $(date +%s) - start ))
    secs=$(( left * 125 / 100 / warm_rate + BASE ))
    [ "$secs" -le $((MAXTIME - elapsed)) ] || secs=$((MAXTIME - elapsed))
    [ "$secs" -ge 5 ] || break
    chunk=$((chunk + 1))
    t_begin=$(date +%s)
    run_wrk "$secs" "load$chunk"
    t_end=$(date +%s)
    [ "$chunk" -gt 1 ] || { first_begin=$t_begin; first_end=$t_end; }
    check_wrk "load$chunk"
    n=$(lua_field "load$chunk" completed | awk '{ print $1 }')
    done_requests=$((done_requests + ${n:-0}))
    rate=$(grep -m1 'Requests/sec' "$out/load$chunk.txt" | awk '{ printf "%d", $2 }')
    [ "${rate:-0}" -le 0 ] || warm_rate=$rate
done
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=
say "load: $done_requests responses in $chunk wrk run(s), $(( $(date +%s) - start )) s"
[ "$done_requests" -ge "$REQUESTS" ] || fail "load: $done_requests responses, fewer than $REQUESTS"
rss_base=$(awk -v t="$((first_begin + BASE))" -v e="$first_end" '$1 >= t && $1 < e { $1 = ""; print; exit }' "$out/rss.txt")
rss_end=$(awk -v e="$first_end" '$1 < e { $1 = ""; last = $0 } END { print last }' "$out/rss.txt")
if [ -z "$rss_base" ] || [ -z "$rss_end" ]; then
    fail "no VmRSS samples in the load run"
elif [ "$(pids_of "$rss_base")" != "$(pids_of "$rss_end")" ]; then
    fail "the children changed during the load run: $(pids_of "$rss_base")-> $(pids_of "$rss_end")"
else
    w=$(rss_total "$rss_base")
    e=$(rss_total "$rss_end")
    max=$(awk -v t="$((first_begin + BASE))" -v e="$first_end" '$1 >= t && $1 < e {
              t2 = 0; for (i = 2; i <= NF; i++) { split($i, a, ":"); t2 += a[2] }
              if (t2 > m) m = t2 } END { print m }' "$out/rss.txt")
    growth=$(awk -v w="$w" -v e="$e" 'BEGIN { printf "%.2f", (e - w) * 100 / w }')
    say "children ${BASE} s into the load run (pid:VmRSS kB):$rss_base"
    say "children at its end (pid:VmRSS kB):$rss_end"
    say "child RSS: $w kB ${BASE} s in, $e kB at the end, $max kB at most: growth $growth %"
    awk -v g="$growth" -v m="$MAXGROWTH" 'BEGIN { exit !(g <= m) }' ||
        fail "child RSS grew by $growth %, more than $MAXGROWTH %"
fi
stop_server load

# --- graceful restarts under load ----------------------------------------------
# At a graceful restart the old children close keep-alive connections: the
# event MPM those that wait for their next request, at once; the worker MPM
# those whose last response was already under way (promised keep-alive)
# when the restart came, once it is sent.  A client whose next request
# crosses that close must send it again (RFC 9112, 9.3.1), which wrk does
# not: it counts a read error.  So this phase runs on the worker MPM, with
# PACE ms between a response and the next request on each connection
# (256 connections at 40 ms: at most 6400 requests/s), so that the server is
# not saturated and no response is in flight for long; saturated, the
# worker MPM too closes some connections (up to about a hundred per restart
# on 2 busy cores).
start_server "$GRACEFUL_MPM"
# wrk runs until EVERY seconds after the last restart, then gets SIGINT
# (it stops and prints its results as at the end of -d)
wrk -t"$THREADS" -c"$CONNS" -d"$MAXTIME"s --timeout 10s --latency \
    -s soak/soak.lua "http://127.0.0.1:$port/" -- "$PACE" >"$out/graceful.txt" 2>&1 &
wrk_pid=$!
for g in $(seq 2 $((RESTARTS + 1))); do
    sleep "$EVERY"
    write_generation "$g"
    t0=$(date +%s%N)
    "$HTTPD" -f "$run/httpd.conf" -k graceful
    ok=0
    for _ in $(seq 300); do
        if [ "$(location_of /soak/probe)" = "https://probe-g$g.example/p" ] &&
           [ "$(location_of /soak/map/probe)" = "https://map-probe-g$g.example/m" ]; then
            ok=1
            break
        fi
        sleep 0.1
    done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ "$ok" = 1 ]; then
        say "graceful restart $((g - 1)): generation $g answers after $ms ms" \
            "(/soak/probe -> $(location_of /soak/probe), /soak/map/probe -> $(location_of /soak/map/probe))"
    else
        fail "graceful restart $((g - 1)): generation $g does not answer after $ms ms" \
             "(/soak/probe -> $(location_of /soak/probe))"
    fi
    [ "$(cat "$run/httpd.pid")" = "$pid" ] || fail "the parent process changed"
    kill -0 "$pid" 2>/dev/null || fail "httpd $pid is gone"
done
sleep "$EVERY"
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || fail "wrk (graceful) exited with an error"
check_wrk graceful
gens=$(lua_field graceful generations)
say "graceful: responses per generation: $gens"
for g in $(seq 1 $((RESTARTS + 1))); do
    [ -n "$(kv "$gens" "$g")" ] || fail "graceful: no response of generation $g under load"
done

stop_server graceful

if [ "$failed" = 0 ]; then
    say "passed"
else
    say "FAILED"
fi
echo "soak: figures and logs in $out/"
exit "$failed"
