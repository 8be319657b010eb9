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
 * written, or CSV rows from a spreadsheet.  A file is read at configuration
 * time into one buffer that keeps each normalised key and its target, and
 * found through a compact open-addressing table of entry numbers.  APR's
 * hash tables chain an allocated node per entry (with the key and value
 * pointers, about 40 bytes); this table costs 6 bytes a slot, which is
 * what lets ten million entries fit.
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

/* The columns of a CSV row that are read: URL-path and URL. */
#define REDIRECT307_CSV_COLUMNS 2

/* Entries whose slots are fetched while the next ones are read: reading a
 * large map waits on memory, not on parsing, without it. */
#define REDIRECT307_MAP_PENDING 16

#if defined(__GNUC__)
#define REDIRECT307_PREFETCH(addr) __builtin_prefetch(addr, 1)
#else
#define REDIRECT307_PREFETCH(addr) ((void)(addr))
#endif

/* An entry read but not yet in the table. */
typedef struct {
    char *key;
    apr_size_t len;
    apr_uint64_t hash;
    apr_uint32_t line;
} redirect307_map_pending;

/* What reading one map file needs besides the map. */
typedef struct {
    apr_pool_t *p;
    apr_pool_t *checks;         /* for checking targets, cleared often */
    redirect307_map *map;
    apr_array_header_t *run_first;      /* apr_uint32_t, in scratch */
    apr_array_header_t *run_line;
    apr_uint32_t last_line;
    apr_uint32_t duplicates;
    redirect307_map_warning_fn *warn;
    void *baton;
    apr_pool_t *scratch;
    redirect307_map_pending pending[REDIRECT307_MAP_PENDING];
    int npending;
    char origin[256];           /* the scheme and host last checked */
    apr_size_t origin_len;      /* 0: none */
} redirect307_map_reader;

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

/* Reads the whole of a map file (NUL-terminated, from p) and sets *size;
 * or returns NULL and sets *err. */
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
    if (finfo.size >= APR_UINT32_MAX) {
        apr_file_close(fd);
        *err = apr_psprintf(p, "%s is larger than 4 GB", file);
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


/* --------------------------------------------------------------------
 * Keys: the same normalisation for the file and for requests
 */

/* A 64-bit hash of s[0, len): eight bytes at a time multiplied in, then
 * the finaliser of MurmurHash3, so that the low bits (the slot) and the
 * high bits (the tag) are both well mixed.  Byte order does not matter:
 * the table lives in one process and its children. */
static apr_uint64_t redirect307_map_hash(const char *s, apr_size_t len)
{
    apr_uint64_t h = APR_UINT64_C(0xcbf29ce484222325) ^ len;
    apr_uint64_t w;
    apr_size_t i;

    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * APR_UINT64_C(0x9e3779b97f4a7c15);
        h ^= h >> 29;
    }
    if (i < len) {
        w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ w) * APR_UINT64_C(0x9e3779b97f4a7c15);
    }
    h ^= h >> 33;
    h *= APR_UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= APR_UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

/* A decoded URL-path (len bytes) as keys are written: ASCII letters folded
 * under nocase (an encoded slash stays "%2F"), one trailing '/' dropped
 * under noslash ("/" stays), and a '?' (decoded from "%3F") written "%3F"
 * so that it cannot pass for the start of a query.  Returns path itself
 * when nothing changes; sets *out_len. */
static const char *redirect307_map_path(apr_pool_t *p, int flags,
                                        const char *path, apr_size_t len,
                                        apr_size_t *out_len)
{
    int fold = 0, marks = 0;
    const char *s;
    apr_size_t i;
    char *out, *o;

    if ((flags & REDIRECT307_MAP_NOSLASH) && len > 1 && path[len - 1] == '/') {
        len--;
    }
    for (s = path; (s = memchr(s, '?', path + len - s)); s++) {
        marks++;
    }
    for (i = 0; (flags & REDIRECT307_MAP_NOCASE) && !fold && i < len; i++) {
        fold = (path[i] >= 'A' && path[i] <= 'Z');
    }
    *out_len = len + 2 * marks;
    if (!fold && !marks) {
        return path;
    }
    out = o = apr_palloc(p, *out_len + 1);
    for (i = 0; i < len; i++) {
        char c = path[i];

        if (c == '?') {
            memcpy(o, "%3F", 3);
            o += 3;
            continue;
        }
        if (fold && c == '%' && i + 2 < len && redirect307_is_2f(path + i)) {
            memcpy(o, path + i, 3);
            o += 3;
            i += 2;
            continue;
        }
        *o++ = (fold && c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
    }
    *o = '\0';
    return out;
}

/* The ordinal + 1 of the entry whose key is s[0, len), of hash h (0:
 * none); sets
 * *slot to where it is, or to the free slot where it would go. */
static apr_uint32_t redirect307_map_probe(const redirect307_map *map,
                                          const char *s, apr_size_t len,
                                          apr_uint64_t h, apr_uint32_t *slot)
{
    apr_uint16_t tag = (apr_uint16_t)(h >> 48);
    apr_uint32_t i = (apr_uint32_t)h & map->mask;

    for (;; i = (i + 1) & map->mask) {
        const apr_uint16_t *s3 = map->slots + 3 * (apr_size_t)i;
        apr_uint32_t found = s3[0] | (apr_uint32_t)s3[1] << 16;

        if (!found) {
            *slot = i;
            return 0;
        }
        if (s3[2] == tag) {
            const char *key = map->text + map->offsets[found - 1];

            if (!memcmp(key, s, len) && key[len] == '\0') {
                *slot = i;
                return found;
            }
        }
    }
}

/* The line (the row in CSV) of the entry with ordinal i: entries on
 * consecutive lines share a run. */
static apr_uint32_t redirect307_map_line(const redirect307_map *map,
                                         apr_uint32_t i)
{
    apr_uint32_t lo = 0, hi = map->runs;

    while (hi - lo > 1) {
        apr_uint32_t mid = lo + (hi - lo) / 2;

        if (map->run_first[mid] <= i) {
            lo = mid;
        }
        else {
            hi = mid;
        }
    }
    return map->run_line[lo] + (i - map->run_first[lo]);
}

/* --------------------------------------------------------------------
 * Reading a map file
 */

/* Normalises the key of an entry (NUL-terminated at key) in place: the
 * path decoded and written as redirect307_map_path() writes requests', a
 * query normalised.  The result is never longer than the key as written.
 * Sets *len. */
static const char *redirect307_map_key(redirect307_map_reader *rd, char *key,
                                       apr_size_t *len)
{
    char *mark = strchr(key, '?');
    const char *path, *written = key;
    apr_size_t path_len, room = strlen(key);
    redirect307_query q;

    if (key[0] != '/') {
        return apr_psprintf(rd->p, "URL-path '%s' must start with '/'", key);
    }
    if (strchr(key, '%')) {
        written = apr_pstrdup(rd->checks, key);     /* for messages */
    }
    if (mark) {
        *mark = '\0';
    }
    if (!redirect307_decode_path(key)) {
        return apr_psprintf(rd->p, "URL-path '%s' has a bad "
                            "percent-encoding", written);
    }
    path = redirect307_map_path(rd->checks, rd->map->flags, key, strlen(key),
                                &path_len);
    memset(&q, 0, sizeof(q));
    if (mark) {
        redirect307_query_normalise(rd->checks, mark + 1, strlen(mark + 1),
                                    NULL, APR_UINT32_MAX, &q);
        if (q.bad_escape) {
            return apr_psprintf(rd->p, "URL-path '%s' has a bad "
                                "percent-encoding in its query", written);
        }
    }
    *len = path_len + (q.kept ? q.canonical_len + 1 : 0);
    if (*len > room) {
        return apr_psprintf(rd->p, "URL-path '%s' cannot be read", written);
    }
    memmove(key, path, path_len);
    if (q.kept) {
        key[path_len] = '?';
        memcpy(key + path_len + 1, q.canonical, q.canonical_len);
        if (q.kept > rd->map->max_params) {
            rd->map->max_params = q.kept;
        }
    }
    key[*len] = '\0';
    return NULL;
}

/* Files the new entry (its key at key, len bytes) under its line. */
static void redirect307_map_file(redirect307_map_reader *rd, char *key,
                                 apr_uint64_t hash, apr_uint32_t slot,
                                 apr_uint32_t line)
{
    redirect307_map *map = rd->map;

    if (!map->count || line != rd->last_line + 1) {
        *(apr_uint32_t *)apr_array_push(rd->run_first) = map->count;
        *(apr_uint32_t *)apr_array_push(rd->run_line) = line;
        map->run_first = (apr_uint32_t *)rd->run_first->elts;
        map->run_line = (apr_uint32_t *)rd->run_line->elts;
        map->runs = (apr_uint32_t)rd->run_first->nelts;
    }
    rd->last_line = line;
    map->offsets[map->count] = (apr_uint32_t)(key - map->text);
    ++map->count;
    map->slots[3 * (apr_size_t)slot] = (apr_uint16_t)map->count;
    map->slots[3 * (apr_size_t)slot + 1] = (apr_uint16_t)(map->count >> 16);
    map->slots[3 * (apr_size_t)slot + 2] = (apr_uint16_t)(hash >> 48);
}

/* Puts the oldest pending entry into the table, unless its key is there
 * already. */
static void redirect307_map_insert(redirect307_map_reader *rd)
{
    redirect307_map_pending *e = &rd->pending[0];
    redirect307_map *map = rd->map;
    apr_uint32_t first, slot;

    first = redirect307_map_probe(map, e->key, e->len, e->hash, &slot);
    if (!first) {
        redirect307_map_file(rd, e->key, e->hash, slot, e->line);
    }
    else if (++rd->duplicates <= REDIRECT307_MAP_DUP_REPORTS) {
        rd->warn(rd->baton, apr_psprintf(rd->scratch, "%s:%u: '%s' is "
                                         "already mapped at line %u; the "
                                         "first entry wins", map->file,
                                         e->line, e->key,
                                         redirect307_map_line(map,
                                                              first - 1)));
    }
    memmove(rd->pending, rd->pending + 1, --rd->npending * sizeof(*e));
}

/* Checks a target as redirect307_parse_url() does.  Most targets of a map
 * share their scheme and host, and nothing after those can be wrong: a
 * target that starts with the scheme and host last found good is good. */
static const char *redirect307_map_target(redirect307_map_reader *rd,
                                          const char *target,
                                          apr_size_t len)
{
    apr_size_t n = rd->origin_len;
    redirect307_url url;
    const char *err;

    if (n && len > n && !memcmp(target, rd->origin, n)
        && (target[n] == '/' || target[n] == '?' || target[n] == '#')) {
        return NULL;
    }
    if ((err = redirect307_parse_url(rd->checks, rd->checks, target, &url))) {
        return err;
    }
    if (url.origin_len && url.origin_len < sizeof(rd->origin)) {
        memcpy(rd->origin, target, url.origin_len);
        rd->origin_len = url.origin_len;
    }
    return NULL;
}

/* One entry of a map: key and target NUL-terminated in the map's text, the
 * target after the key.  Normalises the key, checks the target and moves
 * it right after the key, then queues the entry for the table. */
static const char *redirect307_map_add(redirect307_map_reader *rd,
                                       apr_uint32_t line, char *key,
                                       char *target)
{
    redirect307_map_pending *e;
    apr_size_t len = 0, tlen = strlen(target);
    const char *err;

    if ((err = redirect307_map_key(rd, key, &len))) {
        return err;
    }
    if ((err = redirect307_map_target(rd, target, tlen))) {
        return apr_psprintf(rd->p, "'%s': %s", target, err);
    }
    memmove(key + len + 1, target, tlen + 1);
    if (rd->npending == REDIRECT307_MAP_PENDING) {
        redirect307_map_insert(rd);
    }
    e = &rd->pending[rd->npending++];
    e->key = key;
    e->len = len;
    e->line = line;
    e->hash = redirect307_map_hash(key, len);
    REDIRECT307_PREFETCH(rd->map->slots
                         + 3 * (apr_size_t)((apr_uint32_t)e->hash
                                            & rd->map->mask));
    return NULL;
}

/* Lines of a txt map: "URL-path URL [# comment]", '#' comment lines. */
static const char *redirect307_map_read_txt(redirect307_map_reader *rd,
                                            char *text, char *end)
{
    apr_uint32_t line = 0;
    char *next;

    for (next = text; next < end;) {
        char *s = next, *key, *target, *eol;
        const char *err;

        if ((++line & 0xfff) == 0) {
            apr_pool_clear(rd->checks);
        }
        eol = memchr(s, '\n', end - s);
        if (!eol) {
            eol = end;
        }
        next = eol + 1;
        *eol = '\0';
        if (!redirect307_map_fields(s, &key, &target)) {
            return apr_psprintf(rd->p, "%s:%u: expected two fields, "
                                "'URL-path URL'", rd->map->file, line);
        }
        if (key && (err = redirect307_map_add(rd, line, key, target))) {
            return apr_psprintf(rd->p, "%s:%u: %s", rd->map->file, line,
                                err);
        }
    }
    return NULL;
}

/* One field of a CSV record at *pos, unquoted in place: sets *field
 * (NUL-terminated) and *term, the ',' or '\n' that ends it ('\n' at end),
 * and moves *pos past the terminator. */
static const char *redirect307_csv_field(char **pos, char *end, char **field,
                                         char *term)
{
    char *s = *pos, *w, *start;

    /* blanks before a field, and around an unquoted one, and the CR of
     * CRLF are not part of it */
    for (; s < end && (*s == ' ' || *s == '\t'); s++);
    start = w = s;
    if (s < end && *s == '"') {
        for (s++;; s++) {
            if (s >= end) {
                return "a quoted field is not closed";
            }
            if (*s == '"' && (s + 1 >= end || s[1] != '"')) {
                break;
            }
            s += (*s == '"');       /* "" is one '"' */
            *w++ = *s;
        }
        for (s++; s < end && (*s == ' ' || *s == '\t' || *s == '\r'); s++);
        if (s < end && *s != ',' && *s != '\n') {
            return "text after the closing quote of a field";
        }
    }
    else {
        for (; s < end && *s != ',' && *s != '\n'; s++);
        for (w = s; w > start && (w[-1] == ' ' || w[-1] == '\t'
                                  || w[-1] == '\r'); w--);
    }
    *term = (s < end) ? *s : '\n';
    *field = start;
    *pos = (s < end) ? s + 1 : s;
    *w = '\0';         /* may be where the terminator was */
    return NULL;
}

const char *redirect307_csv_record(char **pos, char *end, char **fields,
                                   int max, int *nfields)
{
    const char *err;
    char term = ',';

    *nfields = 0;
    while (term != '\n') {
        char *field;

        if ((err = redirect307_csv_field(pos, end, &field, &term))) {
            return err;
        }
        if (*nfields < max) {
            fields[*nfields] = field;
        }
        if (*nfields <= max) {
            ++*nfields;         /* max + 1: there were more */
        }
    }
    return NULL;
}

/* The URL of a CSV row without a "# comment" after it (white space, then
 * '#'), as a txt line can have. */
static void redirect307_csv_uncomment(char *url)
{
    char *s;

    for (s = url; *s; s++) {
        if ((*s == ' ' || *s == '\t') && s[1] == '#') {
            while (s > url && (s[-1] == ' ' || s[-1] == '\t')) {
                s--;
            }
            *s = '\0';
            return;
        }
    }
}

/* Rows of a CSV map: "URL-path,URL[,notes...]"; empty rows and rows whose
 * first field starts with '#' are skipped, and so is a first row whose
 * first field does not start with '/' (a header). */
static const char *redirect307_map_read_csv(redirect307_map_reader *rd,
                                            char *text, char *end)
{
    apr_uint32_t row = 0;
    int content = 0;
    char *pos = text;

    while (pos < end) {
        char *f[REDIRECT307_CSV_COLUMNS];
        const char *err;
        int n;

        if ((++row & 0xfff) == 0) {
            apr_pool_clear(rd->checks);
        }
        if ((err = redirect307_csv_record(&pos, end, f,
                                          REDIRECT307_CSV_COLUMNS, &n))) {
            return apr_psprintf(rd->p, "%s:%u: %s", rd->map->file, row, err);
        }
        if ((n == 1 && !*f[0]) || *f[0] == '#') {
            continue;
        }
        if (!content++ && *f[0] != '/') {
            continue;
        }
        if (n > 1) {
            redirect307_csv_uncomment(f[1]);
        }
        if (n < 2 || !*f[0] || !*f[1]) {
            return apr_psprintf(rd->p, "%s:%u: expected two fields, "
                                "'URL-path,URL'", rd->map->file, row);
        }
        if ((err = redirect307_map_add(rd, row, f[0], f[1]))) {
            return apr_psprintf(rd->p, "%s:%u: %s", rd->map->file, row, err);
        }
    }
    return NULL;
}

redirect307_map *redirect307_map_make(apr_pool_t *p, const char *file,
                                      int flags, int csv)
{
    redirect307_map *map = apr_pcalloc(p, sizeof(*map));

    map->file = file;
    map->file_colon = apr_pstrcat(p, file, ":", NULL);
    map->flags = flags;
    map->csv = csv;
    return map;
}

/* Room for as many entries as text has lines: offsets, and a table at
 * most two thirds full. */
static const char *redirect307_map_alloc(apr_pool_t *p, redirect307_map *map,
                                         const char *text, apr_size_t size)
{
    apr_size_t lines = 1, slots = 16;
    const char *s = text, *end = text + size;

    while ((s = memchr(s, '\n', end - s))) {
        lines++;
        s++;
    }
    while (slots < lines + lines / 2) {
        slots *= 2;
    }
    if (slots > APR_UINT32_MAX) {
        return apr_psprintf(p, "%s has too many lines", map->file);
    }
    map->text = (char *)text;
    map->offsets = apr_palloc(p, lines * sizeof(apr_uint32_t));
    map->slots = apr_pcalloc(p, 3 * slots * sizeof(apr_uint16_t));
    map->mask = (apr_uint32_t)(slots - 1);
    return NULL;
}

/* Keeps the line runs in p, exactly as many as there are. */
static void redirect307_map_keep_runs(apr_pool_t *p, redirect307_map *map)
{
    apr_size_t bytes = map->runs * sizeof(apr_uint32_t);

    map->run_first = bytes ? apr_pmemdup(p, map->run_first, bytes) : NULL;
    map->run_line = bytes ? apr_pmemdup(p, map->run_line, bytes) : NULL;
}

/* Parses a map from text (size bytes, changed in place and kept by the
 * map; text[size] must be writable): txt or CSV as the map says, LF or
 * CRLF, an optional byte-order mark.  Errors start with "file:line: ". */
const char *redirect307_map_parse(apr_pool_t *p, apr_pool_t *scratch,
                                  redirect307_map *map, char *text,
                                  apr_size_t size,
                                  redirect307_map_warning_fn *warn, void *baton)
{
    redirect307_map_reader rd;
    const char *err;

    text[size] = '\0';
    /* as editors on Windows write UTF-8 */
    if (size >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        memset(text, '\0', 3);
        text += 3;
        size -= 3;
    }
    memset(&rd, 0, sizeof(rd));
    rd.p = p;
    rd.scratch = scratch;
    rd.map = map;
    rd.warn = warn;
    rd.baton = baton;
    rd.run_first = apr_array_make(scratch, 16, sizeof(apr_uint32_t));
    rd.run_line = apr_array_make(scratch, 16, sizeof(apr_uint32_t));
    if ((err = redirect307_map_alloc(p, map, text, size))) {
        return err;
    }
    apr_pool_create(&rd.checks, scratch);
    err = map->csv ? redirect307_map_read_csv(&rd, text, text + size)
        : redirect307_map_read_txt(&rd, text, text + size);
    apr_pool_destroy(rd.checks);
    if (err) {
        return err;
    }
    while (rd.npending) {
        redirect307_map_insert(&rd);
    }
    if (rd.duplicates > REDIRECT307_MAP_DUP_REPORTS) {
        warn(baton, apr_psprintf(scratch, "%s: %u duplicate URL-paths in "
                                 "all; the first entry of each wins",
                                 map->file, rd.duplicates));
    }
    redirect307_map_keep_runs(p, map);
    return NULL;
}

/* Reads a map file into a new map. */
const char *redirect307_map_load(apr_pool_t *p, apr_pool_t *scratch,
                                 const char *file, int flags,
                                 redirect307_map_warning_fn *warn, void *baton,
                                 redirect307_map **out)
{
    apr_size_t size = 0, len = strlen(file);
    redirect307_map *map;
    const char *err;
    char *text = NULL;

    map = redirect307_map_make(p, file, flags, len >= 4
                               && !strcasecmp(file + len - 4, ".csv"));
    if (!(text = redirect307_read_map(p, scratch, file, &size, &err))
        || (err = redirect307_map_parse(p, scratch, map, text, size, warn,
                                        baton))) {
        return err;
    }
    *out = map;
    return NULL;
}

/* --------------------------------------------------------------------
 * Looking entries up
 */

redirect307_map_item redirect307_map_entry_at(const redirect307_map *map,
                                              apr_uint32_t i)
{
    redirect307_map_item item;

    item.key = map->text + map->offsets[i];
    item.target = item.key + strlen(item.key) + 1;
    item.line = redirect307_map_line(map, i);
    item.ordinal = i;
    return item;
}

apr_uint32_t redirect307_map_size(const redirect307_map *map)
{
    return map->count;
}

/* The entry with the key s[0, len), or 0. */
static int redirect307_map_get(const redirect307_map *map, const char *s,
                               apr_size_t len, redirect307_map_item *item)
{
    apr_uint32_t slot, found;

    if (!map->count) {
        return 0;
    }
    found = redirect307_map_probe(map, s, len, redirect307_map_hash(s, len),
                                  &slot);
    if (found) {
        *item = redirect307_map_entry_at(map, found - 1);
    }
    return found != 0;
}

int redirect307_map_lookup(apr_pool_t *p, const redirect307_map *map,
                           const char *path, const char *query,
                           const redirect307_ignore_list *ignore,
                           redirect307_map_item *item,
                           const char **rest_query)
{
    apr_size_t len;
    const char *key = redirect307_map_path(p, map->flags, path, strlen(path),
                                           &len);

    if (map->max_params && query && *query) {
        redirect307_query q;

        redirect307_query_normalise(p, query, strlen(query), ignore,
                                    map->max_params, &q);
        if (q.canonical && q.kept) {
            char *full = apr_palloc(p, len + q.canonical_len + 2);

            memcpy(full, key, len);
            full[len] = '?';
            memcpy(full + len + 1, q.canonical, q.canonical_len + 1);
            if (redirect307_map_get(map, full, len + 1 + q.canonical_len,
                                    item)) {
                *rest_query = q.set_aside;
                return 1;
            }
        }
    }
    if (redirect307_map_get(map, key, len, item)) {
        *rest_query = query;
        return 1;
    }
    return 0;
}
