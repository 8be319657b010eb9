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
 * Map files: one "URL-path URL" entry a line, as RewriteMap txt: files are
 * written, read at configuration time into one buffer that keys and
 * targets point into, and kept in a hash table of decoded URL-paths.
 */

#include "apr_file_io.h"
#include "apr_lib.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* Duplicate keys of one map file reported one by one, then as a count. */
#define REDIRECT307_MAP_DUP_REPORTS 10

/* Splits the line s (without its '\n') of a map file into its key and
 * target.  As in RewriteMap txt: files, fields are separated by white space
 * (a '\r' before the line end is white space too), and a line or the text
 * after the target starts a comment with '#'.  RewriteMap ignores any text
 * after the value; a third field here is refused, as it is more likely a
 * mistake than a note.  Sets *key to NULL for a blank or comment line;
 * returns 0 when the line does not hold exactly two fields. */
int redirect307_map_fields(char *s, char **key, char **target)
{
    *key = *target = NULL;
    while (apr_isspace(*s)) {
        s++;
    }
    if (!*s || *s == '#') {
        return 1;
    }
    *key = s;
    while (*s && !apr_isspace(*s)) {
        s++;
    }
    if (*s) {
        *s++ = '\0';
    }
    while (apr_isspace(*s)) {
        s++;
    }
    *target = s;
    while (*s && !apr_isspace(*s)) {
        s++;
    }
    if (*s) {
        *s++ = '\0';
    }
    while (apr_isspace(*s)) {
        s++;
    }
    return **target && **target != '#' && (!*s || *s == '#');
}

/* Reads the whole of a map file (NUL-terminated, from p), or returns NULL
 * and sets *err. */
static char *redirect307_read_map(apr_pool_t *p, apr_pool_t *scratch,
                                  const char *file, apr_size_t *size,
                                  const char **err)
{
    apr_file_t *fd;
    apr_finfo_t finfo;
    apr_size_t nread;
    apr_status_t rv;
    char *buf;

    rv = apr_file_open(&fd, file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, scratch);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&finfo, APR_FINFO_SIZE | APR_FINFO_TYPE, fd);
    }
    if (rv == APR_SUCCESS && finfo.filetype != APR_REG) {
        apr_file_close(fd);
        *err = apr_psprintf(p, "%s is not a regular file", file);
        return NULL;
    }
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(p, "cannot read %s: %pm", file, &rv);
        return NULL;
    }
    *size = (apr_size_t)finfo.size;
    buf = apr_palloc(p, *size + 1);
    rv = apr_file_read_full(fd, buf, *size, &nread);
    apr_file_close(fd);
    if (rv != APR_SUCCESS && !(rv == APR_EOF && nread == 0 && *size == 0)) {
        *err = apr_psprintf(p, "cannot read %s: %pm", file, &rv);
        return NULL;
    }
    buf[*size] = '\0';
    if (memchr(buf, '\0', *size)) {
        *err = apr_psprintf(p, "%s is not a text file", file);
        return NULL;
    }
    return buf;
}

/* One entry of a map: checks and decodes the key, parses the target and
 * files it, unless the key is there already. */
static const char *redirect307_map_entry_add(apr_pool_t *p,
                                             apr_pool_t *scratch,
                                             redirect307_map *map,
                                             apr_uint32_t line, char *key,
                                             const char *target,
                                             const redirect307_map_entry
                                             **first)
{
    redirect307_map_entry *entry;
    const char *err;

    *first = NULL;
    if (key[0] != '/') {
        return apr_psprintf(p, "URL-path '%s' must start with '/'", key);
    }
    if (!redirect307_decode_path(key)) {
        return apr_psprintf(p, "URL-path '%s' has a bad percent-encoding",
                            key);
    }
    entry = apr_palloc(p, sizeof(*entry));
    entry->key = key;
    entry->line = line;
    if ((err = redirect307_parse_url(p, scratch, target, &entry->url))) {
        return apr_psprintf(p, "'%s': %s", target, err);
    }
    *first = apr_hash_get(map->entries, key, APR_HASH_KEY_STRING);
    if (!*first) {
        entry->ordinal = (apr_uint32_t)map->order->nelts;
        *(redirect307_map_entry **)apr_array_push(map->order) = entry;
        apr_hash_set(map->entries, key, APR_HASH_KEY_STRING, entry);
    }
    return NULL;
}

/* Parses a map from text (size bytes, changed in place; text[size] must be
 * writable): "URL-path URL" a line, '#' comments, blank lines, LF or CRLF,
 * an optional byte-order mark.  Errors start with "file:line: ". */
const char *redirect307_map_parse(apr_pool_t *p, apr_pool_t *scratch,
                                  redirect307_map *map, char *text,
                                  apr_size_t size,
                                  redirect307_map_warning_fn *warn, void *baton)
{
    apr_uint32_t line = 0, duplicates = 0;
    apr_pool_t *lines;
    char *next, *end;

    text[size] = '\0';
    /* as editors on Windows write UTF-8 */
    if (size >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        size -= 3;
    }
    apr_pool_create(&lines, scratch);
    for (next = text, end = text + size; next < end;) {
        char *s = next, *key, *target, *eol;
        const redirect307_map_entry *first;
        const char *err;

        if ((++line & 0xfff) == 0) {
            apr_pool_clear(lines);      /* what checking the targets used */
        }
        eol = memchr(s, '\n', end - s);
        if (!eol) {
            eol = end;
        }
        next = eol + 1;
        *eol = '\0';
        if (!redirect307_map_fields(s, &key, &target)) {
            return apr_psprintf(p, "%s:%u: expected two fields, "
                                "'URL-path URL'", map->file, line);
        }
        if (!key) {
            continue;
        }
        if ((err = redirect307_map_entry_add(p, lines, map, line, key,
                                             target, &first))) {
            return apr_psprintf(p, "%s:%u: %s", map->file, line, err);
        }
        if (first && ++duplicates <= REDIRECT307_MAP_DUP_REPORTS) {
            warn(baton, apr_psprintf(scratch, "%s:%u: '%s' is already "
                                     "mapped at line %u; the first entry "
                                     "wins", map->file, line, key,
                                     first->line));
        }
    }
    if (duplicates > REDIRECT307_MAP_DUP_REPORTS) {
        warn(baton, apr_psprintf(scratch, "%s: %u duplicate URL-paths in "
                                 "all; the first entry of each wins",
                                 map->file, duplicates));
    }
    apr_pool_destroy(lines);
    return NULL;
}

/* Reads a map file into a new map. */
const char *redirect307_map_load(apr_pool_t *p, apr_pool_t *scratch,
                                 const char *file,
                                 redirect307_map_warning_fn *warn, void *baton,
                                 redirect307_map **out)
{
    redirect307_map *map = apr_pcalloc(p, sizeof(*map));
    apr_size_t size = 0;
    const char *err = NULL;
    char *text;

    map->file = file;
    map->file_colon = apr_pstrcat(p, file, ":", NULL);
    map->entries = apr_hash_make(p);
    map->order = apr_array_make(p, 16, sizeof(redirect307_map_entry *));
    if (!(text = redirect307_read_map(p, scratch, file, &size, &err))
        || (err = redirect307_map_parse(p, scratch, map, text, size, warn,
                                        baton))) {
        return err;
    }
    *out = map;
    return NULL;
}

/* The entry of a decoded request path, or NULL. */
const redirect307_map_entry *redirect307_map_find(const redirect307_map *map,
                                                  const char *path)
{
    return apr_hash_get(map->entries, path, APR_HASH_KEY_STRING);
}

apr_uint32_t redirect307_map_size(const redirect307_map *map)
{
    return (apr_uint32_t)map->order->nelts;
}

const redirect307_map_entry *redirect307_map_entry_at(const redirect307_map
                                                      *map, apr_uint32_t i)
{
    return APR_ARRAY_IDX(map->order, i, const redirect307_map_entry *);
}
