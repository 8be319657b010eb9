#!/bin/bash
# The usage statistics against real clients, for `make test-stats` (about
# 1.5 minutes): a test httpd on a free 127.0.0.1 port answers a known set of
# redirects, then
#   1. promtool check metrics passes on ?format=prometheus
#   2. a real Prometheus server (127.0.0.1, a free port, its data in
#      out/stats/prometheus/) scrapes the handler; a counter is read back
#      through its query API
#   3. headless Chromium loads the page, checks the rows, sorts, filters,
#      explains a URL and saves out/screenshots/status.png
#      (tools/stats-browser.py)
#   4. the parent writes Redirect307StatsFile within a minute, without a
#      stop (the monitor hook)
# Every server it starts is stopped again.  Closes with
# "test-stats: N passed, M failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib.sh"
HTTPD=${HTTPD:-/usr/sbin/apache2}
# the server's files live in a directory of their own under /tmp, which
# httpd's children (nobody, when started as root) can reach wherever the
# tree is; they are copied to out/stats/ at the end
out=$(mktemp -d "${TMPDIR:-/tmp}/r307-stats.XXXXXX")
chmod 755 "$out"
mkdir -p "$out/prometheus" "$top/out/screenshots"
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
notok() { echo "not ok - $*"; failed=$((failed + 1)); }

read -r hport pport < <(free_ports 2)
prom_pid=
cleanup() {
    if [ -n "$prom_pid" ]; then
        kill "$prom_pid" 2>/dev/null
        wait "$prom_pid" 2>/dev/null
    fi
    HTTPD_STOP_TIMEOUT=20 httpd_stop "$out/httpd.pid" \
        "$HTTPD" -f "$out/httpd.conf"
    rm -rf "$top/out/stats"
    cp -r "$out" "$top/out/stats" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT

printf '/shop/%s https://shop.example/%s\n' a a b b c c >"$out/shop.map"
user=
[ "$(id -u)" -ne 0 ] || user="User nobody
Group $(id -gn nobody 2>/dev/null || echo nogroup)"
chmod 755 "$out"
{
    perl -I"$top/t/lib" -MRedirect307Test=load_module_lines \
        -e 'print load_module_lines()'
    cat <<CONF
$user
ServerRoot "$out"
ServerName 127.0.0.1
Listen 127.0.0.1:$hport
PidFile "$out/httpd.pid"
ErrorLog "$out/error_log"
LogLevel info redirect307:info
DefaultRuntimeDir "$out"
DocumentRoot "$out"
Redirect307StatsFile "$out/counts/stats.dat"
Redirect307 /old https://new.example/new
Redirect307Match "^/blog/(\d+)$" "https://blog.example/\$1"
Redirect307Map "$out/shop.map"
<Location "/legacy">
    Redirect307 "https://legacy.example%{REQUEST_URI}"
</Location>
Redirect307 /retired https://new.example/gone
<Location "/redirect307-status">
    SetHandler redirect307-status
    Require ip 127.0.0.1
</Location>
CONF
} >"$out/httpd.conf"
# the parent writes the state file; as root it stays root's
mkdir -p "$out/counts"
if ! httpd_start "$out/httpd.pid" "$hport" "$HTTPD" -f "$out/httpd.conf"; then
    cat "$out/error_log" >&2
    echo "test-stats: 0 passed, 1 failed"
    exit 1
fi
base=http://127.0.0.1:$hport
started=$(date +%s)
hit() {     # path count
    local i
    for ((i = 0; i < $2; i++)); do
        curl -s -o /dev/null "$base$1"
    done
}
hit /old/x 5; hit /blog/12 2; hit /shop/a 7; hit /legacy/page 1
old_line=$(grep -n '^Redirect307 /old ' "$out/httpd.conf" | cut -d: -f1)

# --- 1. promtool ------------------------------------------------------------
curl -s "$base/redirect307-status?format=prometheus" >"$out/metrics.txt"
if promtool check metrics <"$out/metrics.txt" >"$out/promtool.log" 2>&1; then
    ok "promtool check metrics"
else
    notok "promtool check metrics: $(cat "$out/promtool.log")"
fi

# --- 2. a real Prometheus server --------------------------------------------
cat >"$out/prometheus/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: redirect307
    metrics_path: /redirect307-status
    params:
      format: [prometheus]
    static_configs:
      - targets: ['127.0.0.1:$hport']
YML
prometheus --config.file="$out/prometheus/prometheus.yml" \
    --storage.tsdb.path="$out/prometheus/data" \
    --web.listen-address="127.0.0.1:$pport" >"$out/prometheus/log" 2>&1 &
prom_pid=$!
origin="$out/httpd.conf:$old_line"
query="redirect307_redirects_total{kind=\"prefix\",origin=\"$origin\"}"
value=
for i in $(seq 60); do
    value=$(curl -s -G --data-urlencode "query=$query" \
        "http://127.0.0.1:$pport/api/v1/query" 2>/dev/null |
        python3 -c 'import json, sys
d = json.load(sys.stdin)["data"]["result"]
print(d[0]["value"][1] if d else "")' 2>/dev/null)
    [ -z "$value" ] || break
    sleep 1
done
if [ "$value" = 5 ]; then
    ok "Prometheus scraped the handler: $query = 5"
else
    notok "Prometheus: $query = '$value', want 5 (see $out/prometheus/log)"
fi
map_value=$(curl -s -G \
    --data-urlencode "query=redirect307_map_redirects_total" \
    "http://127.0.0.1:$pport/api/v1/query" | python3 -c 'import json, sys
d = json.load(sys.stdin)["data"]["result"]
print(" ".join(r["value"][1] for r in d))' 2>/dev/null)
[ "$map_value" = 7 ] && ok "Prometheus: the map total is 7" ||
    notok "Prometheus: the map total is '$map_value', want 7"
kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; prom_pid=

# --- 3. Chromium ------------------------------------------------------------
if timeout -k 10 180 python3 "$top/tools/stats-browser.py" \
    "$base/redirect307-status" "$top/out/screenshots/status.png" \
    >"$out/browser.log" 2>&1; then
    ok "Chromium: $(grep -c '^ok' "$out/browser.log") checks of the page;" \
        "screenshot out/screenshots/status.png"
else
    notok "Chromium: $(grep -v '^ok' "$out/browser.log" | tail -5)"
fi
cat "$out/browser.log"

# --- 4. the state file, written by the monitor hook -------------------------
for i in $(seq 90); do
    [ -s "$out/counts/stats.dat" ] && break
    sleep 1
done
if [ -s "$out/counts/stats.dat" ] &&
   [ "$(head -c 8 "$out/counts/stats.dat")" = R307STAT ]; then
    ok "the parent wrote the state file $(( $(date +%s) - started )) s" \
        "after the first redirect, without a stop"
else
    notok "no state file after $(( $(date +%s) - started )) s"
fi
if grep -E '\[(error|crit|alert|emerg)\]|Segmentation|exit signal' \
    "$out/error_log" |
   grep -v 'AH02155' >"$out/problems.log"; then
    notok "error log: $(cat "$out/problems.log")"
else
    ok "no error in the error log"
fi
echo "test-stats: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
