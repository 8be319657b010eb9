#!/bin/bash
# Checks the binary package that `make deb` built (run by `make test-deb`).
#
#   debian/check-package.sh DIR     DIR holds the .deb and .changes
#
# Extracts libapache2-mod-redirect307_*.deb with dpkg-deb into a scratch
# directory and checks its control fields and maintainer scripts, the exact
# list of files it installs and their contents, the hardening of the module;
# then loads the extracted module with apache2 through the extracted .load
# file (-t and -M), starts a server on a free 127.0.0.1 port that answers a
# GET and a POST with 307, and stops it again.  Last, lintian on the .changes
# (the .deb, the -dbgsym .deb and the .buildinfo): any error or warning fails
# except the ones listed in LINTIAN_EXPLAINED below, each with its reason.
# Prints one "ok N - ..." / "not ok N - ..." line per check; the exit status
# is 1 when a check failed.
set -uo pipefail

out=${1:?usage: $0 DIR}
out=$(cd "$out" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
httpd=${HTTPD:-/usr/sbin/apache2}
. "$top/tools/lib.sh"

# lintian warnings that remain on purpose (docs/TESTING.txt says why)
LINTIAN_EXPLAINED=(
    # the package is not uploaded to Debian, so there is no ITP bug to close
    initial-upload-closes-no-bugs
)

pkg=libapache2-mod-redirect307
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb=$out/${pkg}_${version}_${arch}.deb
changes=$out/${pkg}_${version}_${arch}.changes
moddir=usr/lib/apache2/modules
mods=etc/apache2/mods-available
docdir=usr/share/doc/$pkg

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {   # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
same() {    # same DESCRIPTION GOT WANTED
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1"
        printf '#   got:    %s\n#   wanted: %s\n' "$2" "$3"
    fi
}

if [ ! -f "$deb" ] || [ ! -f "$changes" ]; then
    echo "check-package: $deb or $changes is missing: run make deb" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/r307-deb.XXXXXX")
httpd_pid=
cleanup() {
    if [ -n "$httpd_pid" ]; then
        HTTPD_STOP_TIMEOUT=5 httpd_stop "$srv/httpd.pid"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
root=$work/root
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$work/DEBIAN"

# --- control fields ---------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
same "Package"      "$(field Package)" "$pkg"
same "Version"      "$(field Version)" "$version"
same "Architecture" "$(field Architecture)" "$arch"
same "Section"      "$(field Section)" httpd
same "Maintainer"   "$(field Maintainer)" \
    "$(sed -n 's/^Maintainer: //p' "$top/debian/control")"
depends=$(field Depends)
echo "# Depends: $depends"
# the module magic number apache2-bin provides (its ABI), set by dh_apache2
api=$(dpkg-query -W -f '${Provides}' apache2-bin | grep -oE 'apache2-api-[0-9]+' |
    head -1)
check "Depends on $api, the ABI of the installed apache2-bin" \
    grep -qE "(^|, )$api(,|$)" <<<"$depends"
check "Depends on libc6 (\${shlibs:Depends})" \
    grep -qE '(^|, )libc6 \(>= [0-9.]+\)' <<<"$depends"
check "no dependency on the apache2 package (Debian's module policy)" \
    bash -c '! grep -qE "(^|, )apache2( |,|$)" <<<"$1"' _ "$depends"

# --- conffiles and maintainer scripts ----------------------------------------
same "conffiles are the .load and .conf" \
    "$(sort "$work/DEBIAN/conffiles" | tr '\n' ' ')" \
    "/$mods/redirect307.conf /$mods/redirect307.load "
check "postinst enables the module with apache2-maintscript-helper" \
    grep -q 'apache2_invoke enmod $conf' "$work/DEBIAN/postinst"
check "postinst names the module redirect307" \
    grep -q 'for conf in redirect307 ' "$work/DEBIAN/postinst"
check "prerm disables it on removal" \
    grep -q 'apache2_invoke dismod $conf' "$work/DEBIAN/prerm"
check "postrm disables it on purge" \
    grep -q 'apache2_invoke dismod $conf' "$work/DEBIAN/postrm"

# --- files -------------------------------------------------------------------
same "the package installs exactly these files" \
    "$(cd "$root" && find . ! -type d | LC_ALL=C sort | tr '\n' ' ')" \
    "./$mods/redirect307.conf ./$mods/redirect307.load ./$moddir/mod_redirect307.so ./$docdir/README.gz ./$docdir/changelog.Debian.gz ./$docdir/copyright ./$docdir/manual.txt.gz "
same "redirect307.load is the LoadModule line only" \
    "$(cat "$root/$mods/redirect307.load")" \
    "LoadModule redirect307_module /$moddir/mod_redirect307.so"
check "redirect307.conf is conf/redirect307.conf" \
    cmp -s "$root/$mods/redirect307.conf" "$top/conf/redirect307.conf"
check "README.gz is the README" \
    bash -c 'gzip -dc "$1" | cmp -s - "$2"' _ "$root/$docdir/README.gz" \
    "$top/README"
check "manual.txt.gz is docs/manual.txt" \
    bash -c 'gzip -dc "$1" | cmp -s - "$2"' _ "$root/$docdir/manual.txt.gz" \
    "$top/docs/manual.txt"
check "copyright is debian/copyright (DEP-5, Apache-2.0)" \
    cmp -s "$root/$docdir/copyright" "$top/debian/copyright"
check "changelog.Debian.gz has version $version" \
    bash -c 'gzip -dc "$1" | head -1 | grep -qF "($2)"' _ \
    "$root/$docdir/changelog.Debian.gz" "$version"
so=$root/$moddir/mod_redirect307.so
same "the module is an ELF shared object" \
    "$(readelf -h "$so" 2>/dev/null | sed -n 's/^ *Type: *//p')" \
    "DYN (Shared object file)"
check "the module exports redirect307_module" \
    bash -c 'readelf --dyn-syms -W "$1" | grep -qE "OBJECT +GLOBAL +DEFAULT +[0-9]+ redirect307_module$"' \
    _ "$so"
check "the module is stripped (debug symbols are in the -dbgsym package)" \
    bash -c '! readelf -S -W "$1" | grep -q "\.debug_info"' _ "$so"
check "hardening: RELRO" bash -c 'readelf -lW "$1" | grep -q GNU_RELRO' _ "$so"
check "hardening: BIND_NOW" \
    bash -c 'readelf -dW "$1" | grep -qE "BIND_NOW|FLAGS_1.*NOW"' _ "$so"
check "hardening: stack protector" \
    bash -c 'readelf --dyn-syms -W "$1" | grep -q __stack_chk_fail' _ "$so"
check "no RPATH or RUNPATH" \
    bash -c '! readelf -dW "$1" | grep -qE "RPATH|RUNPATH"' _ "$so"
check "a -dbgsym package was built next to it" \
    test -f "$out/${pkg}-dbgsym_${version}_${arch}.deb"

# --- the extracted module in apache2 ----------------------------------------
port=$(free_port)
srv=$work/server
mkdir -p "$srv/htdocs/new" "$srv/htdocs/n"
echo new >"$srv/htdocs/new/x"
chmod -R a+rX "$work"
user_group=
if [ "$(id -u)" -eq 0 ]; then
    user_group=$'User nobody\nGroup nogroup'
fi
{
    grep -E '^\s*(LoadModule|TypesConfig)\b' "$top/t/conf/httpd-modules.conf"
    # the packaged .load file, pointed at the extracted module
    sed "s#/$moddir/#$root/$moddir/#" "$root/$mods/redirect307.load"
    cat <<EOF
ServerRoot "$srv"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$srv/httpd.pid"
ErrorLog "$srv/error_log"
LogLevel info redirect307:trace1
DefaultRunTimeDir "$srv"
DocumentRoot "$srv/htdocs"
$user_group
<Directory "$srv/htdocs">
    Require all granted
</Directory>
# the packaged configuration (all of it commented out)
Include "$root/$mods/redirect307.conf"
Redirect307 /old /new
Redirect307Match "^/form/(\d+)$" "http://127.0.0.1:$port/n/\$1"
<Location "/moved">
    Redirect307 "https://elsewhere.example%{REQUEST_URI}"
</Location>
EOF
} >"$srv/httpd.conf"

t_out=$("$httpd" -t -f "$srv/httpd.conf" 2>&1)
if grep -q 'Syntax OK' <<<"$t_out"; then
    pass "apache2 -t accepts the extracted module and its rules"
else
    fail "apache2 -t accepts the extracted module and its rules"
    printf '%s\n' "$t_out" | sed 's/^/#   /'
fi
check "apache2 -M lists redirect307_module (shared)" \
    bash -c '"$1" -M -f "$2" 2>/dev/null | grep -q "redirect307_module (shared)"' \
    _ "$httpd" "$srv/httpd.conf"

httpd_pid=starting
HTTPD_START_TIMEOUT=10 httpd_start "$srv/httpd.pid" "$port" \
    "$httpd" -f "$srv/httpd.conf" 2>&1 | sed 's/^/#   /'
httpd_pid=$(cat "$srv/httpd.pid" 2>/dev/null)
check "apache2 starts with the extracted module" test -n "$httpd_pid"

status_location() {   # status_location CURL-ARGS...
    curl -s -o /dev/null --max-time 10 -w '%{http_code} %{redirect_url}' "$@"
}
same "GET /old/x answers 307 to /new/x" \
    "$(status_location "http://127.0.0.1:$port/old/x?a=1")" \
    "307 http://127.0.0.1:$port/new/x?a=1"
same "POST /form/12 answers 307 to a regex target" \
    "$(status_location -d 'k=v' "http://127.0.0.1:$port/form/12")" \
    "307 http://127.0.0.1:$port/n/12"
same "an expression target in <Location>" \
    "$(status_location "http://127.0.0.1:$port/moved/a%20b")" \
    "307 https://elsewhere.example/moved/a%20b"
same "the client that follows the 307 gets the target" \
    "$(curl -s -L --max-time 10 "http://127.0.0.1:$port/old/x")" new
check "the trace1 line names the rule" \
    grep -q "rule $srv/httpd.conf:[0-9]* redirects /old/x to http://127.0.0.1:$port/new/x" \
    "$srv/error_log"

if [ -n "$httpd_pid" ]; then
    HTTPD_STOP_TIMEOUT=10 httpd_stop "$srv/httpd.pid" \
        "$httpd" -f "$srv/httpd.conf" 2>&1 | sed 's/^/#   /'
    check "apache2 stops" bash -c '! kill -0 "$1" 2>/dev/null' _ "$httpd_pid"
    httpd_pid=
fi
check "no error, crash or sanitizer report in the error log" \
    bash -c '! grep -E ":(error|crit|alert|emerg)\]|exit signal|Sanitizer" "$1"' \
    _ "$srv/error_log"

# --- lintian -------------------------------------------------------------------
lintian_out=$(lintian --display-info --pedantic --show-overrides "$changes" 2>&1 |
    grep -v '^running with root privileges is not recommended!$')
printf '%s\n' "$lintian_out" >"$out/lintian.txt"
echo "# lintian (also in $out/lintian.txt):"
printf '%s\n' "$lintian_out" | sed 's/^/#   /'
unexplained=$(printf '%s\n' "$lintian_out" | grep -E '^[EW]: ' |
    grep -vE ": ($(IFS='|'; echo "${LINTIAN_EXPLAINED[*]}"))( |$)")
if [ -z "$unexplained" ]; then
    pass "lintian: no error or warning besides the explained ones"
else
    fail "lintian: no error or warning besides the explained ones"
fi

echo "1..$n"
if [ "$failed" -ne 0 ]; then
    echo "check-package: $failed of $n checks failed"
    exit 1
fi
echo "check-package: all $n checks passed"
