#!/bin/bash
# Format C files in httpd's style with GNU indent (`make indent`).
#
#   tools/indent.sh FILE...
#
# Flags from httpd's style guide, plus two that GNU indent 2.2 needs to
# produce what httpd's code looks like: -brs (the `{` of a struct on the
# `struct` line; -br alone no longer does it) and -ncs (no space after a
# cast).  GNU indent does not know which names are types, so `apr_pool_t *p`
# would become `apr_pool_t * p`: the APR/httpd type names used in the files
# and the files' own typedef names are passed with -T.
set -euo pipefail

INDENT=${INDENT:-indent}
FLAGS=(-i4 -npsl -di0 -br -brs -nce -d0 -cli0 -npcs -nfc1 -nut -ncs)

if ! command -v "$INDENT" >/dev/null 2>&1; then
    echo "indent not found: install it with apt-get install indent" >&2
    exit 1
fi

files=()
for f in "$@"; do
    [ -s "$f" ] && files+=("$f")
done
[ "${#files[@]}" -gt 0 ] || exit 0

types=$( {
    grep -ohE '\b(apr|ap)_[A-Za-z0-9_]+_t\b|\b[a-z_]+_rec\b|\bcmd_parms\b|\bmodule\b' \
        "${files[@]}" || true
    # typedef struct { ... } name;   and   typedef ... name;
    sed -nE -e 's/^\}[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*;.*/\1/p' \
        -e 's/^typedef[^;{(]*[[:space:]*]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*;.*/\1/p' \
        "${files[@]}"
} | sort -u)

typeflags=()
for t in $types; do
    typeflags+=(-T "$t")
done

for f in "${files[@]}"; do
    echo "$INDENT ${FLAGS[*]} $f"
    VERSION_CONTROL=none "$INDENT" "${FLAGS[@]}" "${typeflags[@]}" "$f"
done
