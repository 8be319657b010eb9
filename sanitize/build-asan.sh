#!/bin/bash
# Build mod_redirect307 with AddressSanitizer and UndefinedBehaviorSanitizer
# into its own directory, from a copy of the sources (the tree's .libs is
# never touched).
#
#   sanitize/build-asan.sh [OUTDIR]        (default out/sanitize/asan)
#
# Result: OUTDIR/mod_redirect307.so, plus OUTDIR/httpd-asan, a wrapper that
# starts httpd with the sanitizer runtimes preloaded into httpd only (see
# sanitize/httpd-asan.sh).  R307_POOL_DEBUG=0 builds without sanitize/pool-debug.h
# (per-allocation pool memory, which lets ASan see overflows of single pool
# allocations); R307_SANITIZE=0 builds without the sanitizers but with
# pool-debug.h, for valgrind (sanitize/valgrind.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/out/sanitize/asan}
mkdir -p "$out"
out=$(cd "$out" && pwd)
APXS=${APXS:-apxs}

src=$out/src
rm -rf "$src"
mkdir -p "$src"
# every top-level C file and header of the tree (the glue file first);
# R307_SRC: another mod_redirect307.c to build in its place (e.g. one with a
# bug put in on purpose, to see that the fuzzer and the sanitizers catch it)
cp "$top"/*.c "$src/"
for h in "$top"/*.h; do [ ! -e "$h" ] || cp "$h" "$src/"; done
[ -z "${R307_SRC:-}" ] || cp "$R307_SRC" "$src/mod_redirect307.c"
sources=(mod_redirect307.c)
for c in "$src"/*.c; do
    [ "${c##*/}" = mod_redirect307.c ] || sources+=("${c##*/}")
done

flags=(-Wc,-fno-omit-frame-pointer -Wc,-g -Wc,-O1
       -Wc,-Wall -Wc,-Wextra -Wc,-Wno-unused-parameter
       -Wc,-Wno-unused-function)
# R307_SANITIZE=0: no sanitizers (a build for valgrind)
if [ "${R307_SANITIZE:-1}" != 0 ]; then
    flags+=(-Wc,-fsanitize=address,undefined
            -Wc,-fno-sanitize-recover=undefined
            -Wl,-fsanitize=address,undefined)
fi
if [ "${R307_POOL_DEBUG:-1}" != 0 ]; then
    cp "$top/sanitize/pool-debug.h" "$src/"
    flags+=("-Wc,-include" "-Wc,$src/pool-debug.h")
fi

echo "build-asan: $APXS -c ${flags[*]} ${sources[*]} (in $src)"
(cd "$src" && "$APXS" -c "${flags[@]}" "${sources[@]}") >"$out/build.log" 2>&1 || {
    cat "$out/build.log" >&2
    echo "build-asan: build failed" >&2
    exit 1
}
grep -i 'warning' "$out/build.log" >&2 || true
cp "$src/.libs/mod_redirect307.so" "$out/mod_redirect307.so.new"
mv -f "$out/mod_redirect307.so.new" "$out/mod_redirect307.so"
install -m 755 "$top/sanitize/httpd-asan.sh" "$out/httpd-asan"
echo "build-asan: $out/mod_redirect307.so"
