#!/bin/sh
# httpd with the AddressSanitizer and UndefinedBehaviorSanitizer runtimes
# preloaded, for a mod_redirect307.so built by sanitize/build-asan.sh.  Use it
# wherever an httpd binary is expected (APACHE_TEST_HTTPD, -httpd): only
# httpd gets LD_PRELOAD, never the perl or curl that start it.
#
# A report goes to httpd's stderr, which is its error log; the process
# then aborts, so the parent logs "exit signal Aborted" too.
#
#   R307_HTTPD         the real httpd (default /usr/sbin/apache2)
#   R307_ASAN_EXTRA    more ASAN_OPTIONS, appended
set -e
httpd=${R307_HTTPD:-/usr/sbin/apache2}
libasan=$(readlink -f "$(gcc -print-file-name=libasan.so)")
libubsan=$(readlink -f "$(gcc -print-file-name=libubsan.so)")
for lib in "$libasan" "$libubsan"; do
    if [ ! -e "$lib" ]; then
        echo "httpd-asan: $lib is missing (libasan8/libubsan1)" >&2
        exit 1
    fi
done
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:disable_coredump=1:print_summary=1${R307_ASAN_EXTRA:+:$R307_ASAN_EXTRA}"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1"
LD_PRELOAD="$libasan:$libubsan${LD_PRELOAD:+:$LD_PRELOAD}"
export ASAN_OPTIONS UBSAN_OPTIONS LD_PRELOAD
exec "$httpd" "$@"
