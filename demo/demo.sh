#!/bin/bash
# Start or stop the example server of `make run` / `make stop`.
#
#   demo/demo.sh start   write out/demo/httpd.conf, start httpd on a free
#                        127.0.0.1 port and show two requests with curl
#   demo/demo.sh stop    stop it (pid file), wait, remove out/demo
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
run=$top/out/demo
httpd=${HTTPD:-/usr/sbin/apache2}
. "$top/tools/lib.sh"

# the pid in the pid file, if that process is alive
running_pid() {
    local pid
    [ -f "$run/httpd.pid" ] || return 1
    pid=$(cat "$run/httpd.pid")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
    if pid=$(running_pid); then
        echo "demo server already running (pid $pid); run 'make stop' first" >&2
        exit 1
    fi
    rm -rf "$run"
    mkdir -p "$run"

    # As root httpd's children run as nobody: give them a directory they
    # can reach whatever the permissions of the tree are.
    local TOP=$top RUN=$run STAGE=$run
    local USER_GROUP="# (not root: httpd keeps the current user)"
    if [ "$(id -u)" -eq 0 ]; then
        STAGE=$(mktemp -d /tmp/r307-demo.XXXXXX)
        chmod 755 "$STAGE"
        echo "$STAGE" >"$run/stage"
        USER_GROUP=$'User nobody\nGroup nogroup'
    fi
    local stage=$STAGE
    mkdir -p "$stage/htdocs"
    echo "mod_redirect307 demo: try /old/... and /legacy/api/..." \
        >"$stage/htdocs/index.html"
    install -m 755 "$top/t/cgi-bin/echo.cgi" "$stage/echo.cgi"

    local PORT tries=0
    while :; do
        PORT=$(free_port)
        fill_template "$top/demo/httpd.conf.in" "$run/httpd.conf" \
            TOP RUN STAGE PORT USER_GROUP
        if httpd_start "$run/httpd.pid" "$PORT" "$httpd" -f "$run/httpd.conf"; then
            break
        fi
        httpd_stop "$run/httpd.pid" "$httpd" -f "$run/httpd.conf" || true
        tries=$((tries + 1))
        if [ "$tries" -ge 3 ]; then
            echo "httpd did not start; see $run/error_log" >&2
            exit 1
        fi
    done
    local port=$PORT

    echo
    echo "demo server: pid $(cat "$run/httpd.pid"), http://127.0.0.1:$port/"
    echo "configuration: $run/httpd.conf (from demo/httpd.conf.in)"
    echo
    echo "==> curl -i http://127.0.0.1:$port/old/page?x=1"
    curl -sS -i "http://127.0.0.1:$port/old/page?x=1"
    echo
    echo "==> curl -i -L --data 'hello=world' http://127.0.0.1:$port/old/form"
    echo "    (curl repeats the POST and its body at the Location of a 307)"
    curl -sS -i -L --data 'hello=world' "http://127.0.0.1:$port/old/form"
    echo
    echo "logs: $run/error_log, $run/access_log"
    echo "stop it with: make stop"
}

stop() {
    local pid
    if pid=$(running_pid); then
        HTTPD_STOP_TIMEOUT=10 httpd_stop "$run/httpd.pid" \
            "$httpd" -f "$run/httpd.conf" || true
        echo "demo server (pid $pid) stopped"
    else
        echo "demo server not running"
    fi
    if [ -f "$run/stage" ]; then
        rm -rf "$(cat "$run/stage")"
    fi
    rm -rf "$run"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
