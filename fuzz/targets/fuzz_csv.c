/* Copyright 2026 The mod_redirect307 authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/*
 * Fuzz target: map files, CSV and txt, with the options the first byte
 * picks.  A map that is read has no more entries than rows, every entry's
 * key starts with '/' and its target with '/' or a scheme, ordinals and
 * lines follow the file, and looking up each key (path and query as a
 * request would send them) finds that very entry.
 */

#include "apr_lib.h"

#include "fuzz.h"

static void fuzz_quiet(void *baton, const char *msg)
{
    (void)baton;
    (void)msg;
}

/* Every entry is found by its own key, as a request: the path before the
 * '?', the canonical query after it. */
static void check_entries(apr_pool_t *p, const redirect307_map *map,
                          apr_size_t size)
{
    apr_uint32_t i, n = redirect307_map_size(map), last = 0;

    FUZZ_CHECK(n <= size + 1, "%u entries from %zu bytes", n, size);
    for (i = 0; i < n; i++) {
        redirect307_map_item item = redirect307_map_entry_at(map, i), found;
        const char *mark = strchr(item.key, '?'), *rest = NULL;
        const char *path = mark ? apr_pstrmemdup(p, item.key, mark - item.key)
            : item.key;

        FUZZ_CHECK(item.key[0] == '/', "key '%s'", item.key);
        FUZZ_CHECK(item.target[0] == '/' || apr_isalpha(item.target[0]),
                   "target '%s'", item.target);
        FUZZ_CHECK(item.ordinal == i && item.line > last, "entry %u line %u",
                   i, item.line);
        last = item.line;
        /* not what a request sends for the key: a path holding "%3F"
         * (how a decoded '?' is written), a path that still ends in '/'
         * under noslash (it had two), a query with '+' (a decoded one) */
        if (strstr(path, "%3F") || (mark && strchr(mark, '+'))
            || ((map->flags & REDIRECT307_MAP_NOSLASH) && path[1]
                && path[strlen(path) - 1] == '/')) {
            continue;
        }
        FUZZ_CHECK(redirect307_map_lookup(p, map, path, mark ? mark + 1
                                          : NULL, NULL, &found, &rest),
                   "key '%s' not found", item.key);
        FUZZ_CHECK(found.ordinal == i || mark, "key '%s': entry %u, not %u",
                   item.key, found.ordinal, i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    redirect307_map *map;
    char *text;
    int flags;

    (void)fuzz_string;          /* the input has NUL bytes of its own */
    if (size < 1) {
        return 0;
    }
    flags = data[0] & (REDIRECT307_MAP_NOCASE | REDIRECT307_MAP_NOSLASH);
    map = redirect307_map_make(p, (data[0] & 0x80) ? "f.map" : "f.csv",
                               flags, !(data[0] & 0x80));
    text = apr_palloc(p, size);
    memcpy(text, data + 1, size - 1);
    if (!redirect307_map_parse(p, p, map, text, size - 1, fuzz_quiet,
                               NULL)) {
        check_entries(p, map, size);
    }
    return 0;
}
