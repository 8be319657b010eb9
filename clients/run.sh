#!/bin/bash
# Real clients against a real httpd running the freshly built module
# (`make test-clients`).
#
#   clients/run.sh [CLIENT...]     CLIENT: curl requests php chromium
#                                  (default: all of them)
#
# Makes a throw-away CA and a certificate for 127.0.0.1, writes
# out/clients/httpd.conf from clients/httpd.conf.in, starts httpd with the
# tree's .libs/mod_redirect307.so on free 127.0.0.1 ports (cleartext:
# HTTP/1.1 and h2c; TLS: HTTP/1.1 and h2; a second cleartext port for h2c),
# runs each client driver against it, stops httpd again (always), and lets
# clients/check.py judge what the echo endpoint received and what httpd
# logged.  The exit status is 0 only when every request passed.  Everything
# generated goes to out/clients/ (logs/ has each driver's output).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib.sh"
dir=$top/clients
out=$top/out/clients
httpd=${HTTPD:-/usr/sbin/apache2}
py=/usr/bin/python3     # the python3 that Debian's python3-requests is for
clients=("$@")
[ "${#clients[@]}" -gt 0 ] || clients=(curl requests php chromium)
for client in "${clients[@]}"; do
    case $client in
    curl | requests | php | chromium) ;;
    *) echo "clients: unknown client $client (curl requests php chromium)" >&2
       exit 2 ;;
    esac
done

if [ ! -e "$top/.libs/mod_redirect307.so" ]; then
    echo "clients: .libs/mod_redirect307.so is missing: run make first" >&2
    exit 1
fi

rm -rf "$out"
mkdir -p "$out/tls" "$out/results" "$out/work" "$out/logs"

# --- certificate -------------------------------------------------------------
# A throw-away CA and a server certificate for 127.0.0.1 signed by it; the
# clients trust the CA (curl --cacert, requests verify=, CURLOPT_CAINFO).
tls=$out/tls
{
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -days 2 -subj "/CN=mod_redirect307 client test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.pem"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=127.0.0.1" -keyout "$tls/key.pem" -out "$tls/cert.csr"
    printf '%s\n' "subjectAltName=IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=digitalSignature" "extendedKeyUsage=serverAuth" >"$tls/cert.ext"
    openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
        -CAcreateserial -days 2 -extfile "$tls/cert.ext" -out "$tls/cert.pem"
} >"$out/logs/openssl.log" 2>&1 || {
    cat "$out/logs/openssl.log" >&2
    echo "clients: could not make the test certificate" >&2
    exit 1
}

# --- server ------------------------------------------------------------------
# As root httpd's children run as nobody: give them a directory they can
# reach whatever the permissions of the tree are.
stage=$out/stage
user_group="# (not root: httpd keeps the current user)"
if [ "$(id -u)" -eq 0 ]; then
    stage=$(mktemp -d /tmp/r307-clients.XXXXXX)
    chmod 755 "$stage"
    user_group=$'User nobody\nGroup nogroup'
fi
mkdir -p "$stage/htdocs/clients"
install -m 755 "$dir/echo.cgi" "$stage/echo.cgi"
install -m 644 "$dir/page.html" "$stage/htdocs/clients/page.html"

pid=
stop_server() {
    if [ -n "$pid" ]; then
        HTTPD_STOP_TIMEOUT=10 httpd_stop "$out/httpd.pid" \
            "$httpd" -f "$out/httpd.conf" || true
    fi
    pid=
    if [ "$stage" != "$out/stage" ]; then
        rm -rf "$stage"
    fi
}
driver=
cleanup() {
    if [ -n "$driver" ]; then
        kill -TERM "$driver" 2>/dev/null || true
        wait "$driver" 2>/dev/null || true
    fi
    stop_server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tries=0
while :; do
    read -r http_port tls_port h2c_port < <(free_ports 3)
    fill_template "$dir/httpd.conf.in" "$out/httpd.conf" \
        TOP="$top" OUT="$out" STAGE="$stage" HTTP_PORT="$http_port" \
        TLS_PORT="$tls_port" H2C_PORT="$h2c_port" USER_GROUP="$user_group"
    pid=starting
    if httpd_start "$out/httpd.pid" "$http_port" "$httpd" -f "$out/httpd.conf"; then
        pid=$HTTPD_PID
        break
    fi
    httpd_stop "$out/httpd.pid" "$httpd" -f "$out/httpd.conf" || true
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then
        echo "clients: httpd did not start; see $out/error_log" >&2
        exit 1
    fi
done
ready=
for _ in $(seq 50); do
    if curl -s -o /dev/null "http://127.0.0.1:$http_port/clients/page.html" &&
        curl -s -o /dev/null --cacert "$tls/ca.pem" \
            "https://127.0.0.1:$tls_port/clients/page.html"; then
        ready=1
        break
    fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "clients: httpd (pid $pid) does not answer; see $out/error_log" >&2
    exit 1
fi
echo "clients: httpd pid $pid, http://127.0.0.1:$http_port/ (HTTP/1.1, h2c)," \
    "https://127.0.0.1:$tls_port/ (HTTP/1.1, h2)," \
    "http://127.0.0.1:$h2c_port/ (HTTP/1.1, h2c)"

export PYTHONDONTWRITEBYTECODE=1
export CLIENTS_OUT=$out CLIENTS_HTTP_PORT=$http_port CLIENTS_TLS_PORT=$tls_port
export CLIENTS_H2C_PORT=$h2c_port
export CLIENTS_CA=$tls/ca.pem

# --- clients -----------------------------------------------------------------
# Each driver is bounded in time; its own output goes to out/clients/logs.
# It runs in the background so that a signal stops the run at once.
for client in "${clients[@]}"; do
    case $client in
    curl) cmd=("$py" "$dir/curl_client.py"); limit=120 ;;
    requests) cmd=("$py" "$dir/requests_client.py"); limit=120 ;;
    php) cmd=("$py" "$dir/php_client.py"); limit=120 ;;
    chromium) cmd=("$py" "$dir/chromium_client.py"); limit=180 ;;
    esac
    echo "clients: running $client"
    timeout -k 5 "$limit" "${cmd[@]}" >"$out/logs/$client.log" 2>&1 &
    driver=$!
    rc=0
    wait "$driver" || rc=$?
    driver=
    echo "$rc" >"$out/results/$client.rc"
    if [ "$rc" -ne 0 ]; then
        echo "clients: $client driver exited with $rc; see $out/logs/$client.log" >&2
    fi
done

stop_server

# --- verdict -----------------------------------------------------------------
"$py" "$dir/check.py" "${clients[@]}"
