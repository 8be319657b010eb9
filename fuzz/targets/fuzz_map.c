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
 * Fuzz target: map files (redirect307_map_parse).  The input is the text
 * of a map file, any bytes.  An error names the file and the line; every
 * warning is text that names the file; once the map is read, every entry
 * has a key that starts with '/' and holds no white space (but what an
 * escape such as %20 decodes to), a clean target
 * and a line of the file, redirect307_map_find() finds each by its key,
 * and redirect307_map_size() is the number of entries listed by
 * redirect307_map_entry_at(), in file order, with no key twice.
 */

#include "fuzz.h"

#include "apr_lib.h"

#define FUZZ_MAP_FILE "fuzz.map"

static void fuzz_warn(void *baton, const char *msg)
{
    int *warnings = baton;
    apr_size_t len = strlen(msg);

    FUZZ_CHECK(len < 100000 && !strncmp(msg, FUZZ_MAP_FILE ":",
                                        sizeof(FUZZ_MAP_FILE)),
               "warning '%s'", msg);
    (*warnings)++;
}

/* Line n (from 1) of the file as written, up to its '\n'. */
static const char *fuzz_line(apr_pool_t *p, const char *text,
                             apr_size_t size, apr_uint32_t n)
{
    const char *s = text, *end = text + size, *eol;

    while (--n && (eol = memchr(s, '\n', end - s))) {
        s = eol + 1;
    }
    eol = memchr(s, '\n', end - s);
    return apr_pstrmemdup(p, s, (eol ? eol : end) - s);
}

/* An entry: the text of its line (as written) tells how its key was
 * written; white space in a key comes from an escape only. */
static void fuzz_check_entry(apr_pool_t *p, const redirect307_map *map,
                             const redirect307_map_item *entry,
                             apr_uint32_t i, const char *line)
{
    const char *key = entry->key, *rest, *s;
    redirect307_map_item found;
    redirect307_url url;

    FUZZ_CHECK(entry->ordinal == i, "entry %u has ordinal %u", i,
               entry->ordinal);
    FUZZ_CHECK(key[0] == '/', "key '%s' at line %u", key, entry->line);
    /* the path part: a query part holds decoded values ('+' is a space) */
    for (s = key; *s && *s != '?'; s++) {
        FUZZ_CHECK(!apr_isspace(*s) || strchr(line, '%'),
                   "white space in key '%s' at line %u", key, entry->line);
    }
    if (!strchr(key, '?')) {
        FUZZ_CHECK(redirect307_map_lookup(p, map, key, NULL, NULL, &found,
                                          &rest)
                   && found.ordinal == entry->ordinal,
                   "key '%s' at line %u finds another entry", key,
                   entry->line);
    }
    FUZZ_CHECK(!redirect307_parse_url(p, p, entry->target, &url),
               "target '%s' at line %u", entry->target, entry->line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    redirect307_map *map = redirect307_map_make(p, FUZZ_MAP_FILE, 0, 0);
    /* all size bytes, NULs included, and a writable text[size] */
    char *text = fuzz_string(p, data, size);
    apr_uint32_t i, n, lines = 1;
    const char *err;
    int warnings = 0;

    for (i = 0; i < size; i++) {
        lines += (data[i] == '\n');
    }
    err = redirect307_map_parse(p, p, map, text, size, fuzz_warn, &warnings);
    FUZZ_CHECK(warnings <= 11, "%d warnings", warnings);
    if (err) {
        FUZZ_CHECK(!strncmp(err, FUZZ_MAP_FILE ":", sizeof(FUZZ_MAP_FILE))
                   && apr_isdigit(err[sizeof(FUZZ_MAP_FILE)]),
                   "error '%s'", err);
        return 0;
    }
    n = redirect307_map_size(map);
    for (i = 0; i < n; i++) {
        redirect307_map_item entry = redirect307_map_entry_at(map, i);

        FUZZ_CHECK(entry.line >= 1 && entry.line <= lines,
                   "line %u of %u", entry.line, lines);
        fuzz_check_entry(p, map, &entry, i,
                         fuzz_line(p, (const char *)data, size, entry.line));
        FUZZ_CHECK(!i || redirect307_map_entry_at(map, i - 1).line
                   < entry.line, "entry %u is not in file order", i);
    }
    return 0;
}
