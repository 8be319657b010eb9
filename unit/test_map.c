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
 * Unit tests of redirect307_map.c: the fields of a line, parsing a map
 * from text (byte-order mark, CRLF, duplicates, errors, encoded keys),
 * loading map files and looking entries up.
 */

#include "apr_file_io.h"

#include "unit.h"

/* --------------------------------------------------------------------
 * Lines
 */

/* The fields of line: 0 when refused, else 1 with the key and target in
 * *key and *target ("" and "" for a blank or comment line). */
static int unit_fields(const char *line, const char **key,
                       const char **target)
{
    char *copy = apr_pstrdup(unit_pool, line), *k, *t;

    if (!redirect307_map_fields(copy, &k, &t)) {
        return 0;
    }
    if (!k) {
        assert_null(t);
    }
    *key = k ? k : "";
    *target = t ? t : "";
    return 1;
}

/* line is an entry of key and target. */
static void unit_entry_line(const char *line, const char *key,
                            const char *target)
{
    const char *k, *t;

    assert_int_equal(unit_fields(line, &k, &t), 1);
    assert_str(k, key);
    assert_str(t, target);
}

static void fields(void **state)
{
    const char *k, *t;

    /* blank and comment lines */
    unit_entry_line("", "", "");
    unit_entry_line("   \t ", "", "");
    unit_entry_line("\r", "", "");
    unit_entry_line("# /a /b", "", "");
    unit_entry_line("  #comment", "", "");
    /* two fields, white space of any kind around them */
    unit_entry_line("/a http://e.example/b", "/a", "http://e.example/b");
    unit_entry_line(" \t/a\t\t/b  ", "/a", "/b");
    unit_entry_line("/a /b\r", "/a", "/b");
    /* a '#' after white space starts a comment, inside a field it is text */
    unit_entry_line("/a /b # moved in 2019", "/a", "/b");
    unit_entry_line("/a /b\t#", "/a", "/b");
    unit_entry_line("/a /b#frag", "/a", "/b#frag");
    unit_entry_line("/a#x /b", "/a#x", "/b");
    /* one field, three fields, a comment in place of the target */
    assert_int_equal(unit_fields("/a", &k, &t), 0);
    assert_int_equal(unit_fields("/a   ", &k, &t), 0);
    assert_int_equal(unit_fields("/a\r", &k, &t), 0);
    assert_int_equal(unit_fields("/a /b /c", &k, &t), 0);
    assert_int_equal(unit_fields("/a /b c # note", &k, &t), 0);
    assert_int_equal(unit_fields("/a # /b", &k, &t), 0);
    assert_int_equal(unit_fields("/a #/b", &k, &t), 0);
}

/* --------------------------------------------------------------------
 * Parsing text
 */

/* The warnings a parse gave. */
typedef struct {
    apr_array_header_t *messages;
} unit_warnings;

static void unit_warn(void *baton, const char *msg)
{
    unit_warnings *w = baton;

    *(const char **)apr_array_push(w->messages) = apr_pstrdup(unit_pool, msg);
}

static redirect307_map *unit_empty_map(const char *file)
{
    return redirect307_map_make(unit_pool, file, 0, 0);
}

/* The entry of path (no query), or 0. */
static int unit_find(const redirect307_map *map, const char *path,
                     redirect307_map_item *item)
{
    const char *rest;

    return redirect307_map_lookup(unit_pool, map, path, NULL, NULL, item,
                                  &rest);
}

/* Parses size bytes of text as the map "t.map"; its error in *err. */
static redirect307_map *unit_parse(const char *text, apr_size_t size,
                                   unit_warnings *w, const char **err)
{
    redirect307_map *map = unit_empty_map("t.map");
    char *buf = apr_palloc(unit_pool, size + 1);

    memcpy(buf, text, size);
    w->messages = apr_array_make(unit_pool, 4, sizeof(const char *));
    *err = redirect307_map_parse(unit_pool, unit_pool, map, buf, size,
                                 unit_warn, w);
    return map;
}

/* The error parsing text gives. */
static const char *unit_parse_error(const char *text)
{
    unit_warnings w;
    const char *err;

    unit_parse(text, strlen(text), &w, &err);
    return err;
}

/* The entry of path is at line, with the target and ordinal given. */
static void unit_has(const redirect307_map *map, const char *path,
                     apr_uint32_t line, const char *target,
                     apr_uint32_t ordinal)
{
    redirect307_map_item item, at;

    if (!unit_find(map, path, &item)) {
        fail_msg("no entry for '%s'", path);
    }
    assert_str(item.key, path);
    assert_int_equal(item.line, line);
    assert_str(item.target, target);
    assert_int_equal(item.ordinal, ordinal);
    at = redirect307_map_entry_at(map, ordinal);
    assert_str(at.key, item.key);
    assert_str(at.target, item.target);
    assert_int_equal(at.line, item.line);
}

static void parse_entries(void **state)
{
    static const char text[] = "/a /x\n\n# comment\n"
        "  /b   http://e.example/y?q#f  # note\n"
        "/c /z%zz\n";
    unit_warnings w;
    const char *err;
    redirect307_map *map = unit_parse(text, sizeof(text) - 1, &w, &err);
    redirect307_map_item b;
    redirect307_url url;

    assert_str(err, NULL);
    assert_int_equal(w.messages->nelts, 0);
    assert_int_equal(redirect307_map_size(map), 3);
    unit_has(map, "/a", 1, "/x", 0);
    unit_has(map, "/b", 4, "http://e.example/y?q#f", 1);
    /* targets are kept as written, and cleaned and split when used, as
     * literal targets are */
    unit_has(map, "/c", 5, "/z%zz", 2);
    assert_true(unit_find(map, "/b", &b));
    assert_str(redirect307_parse_url(unit_pool, unit_pool, b.target, &url),
               NULL);
    assert_int_equal(url.origin_len, 16);
    assert_int_equal(url.path_end, 18);
    assert_int_equal(url.query_end, 20);
    /* exact paths only */
    assert_false(unit_find(map, "/a/", &b));
    assert_false(unit_find(map, "/a/b", &b));
    assert_false(unit_find(map, "/A", &b));
    assert_false(unit_find(map, "/x", &b));
}

static void parse_bom_and_crlf(void **state)
{
    static const char text[] = "\xEF\xBB\xBF/a /x\r\n\r\n# c\r\n/b /y";
    static const char bom_only[] = "\xEF\xBB\xBF";
    unit_warnings w;
    const char *err;
    redirect307_map *map = unit_parse(text, sizeof(text) - 1, &w, &err);

    assert_str(err, NULL);
    assert_int_equal(redirect307_map_size(map), 2);
    unit_has(map, "/a", 1, "/x", 0);
    unit_has(map, "/b", 4, "/y", 1);
    /* a byte-order mark is skipped at the start only */
    assert_str(unit_parse_error("/a /x\n\xEF\xBB\xBF/b /y\n"),
               "t.map:2: URL-path '\xEF\xBB\xBF/b' must start with '/'");
    map = unit_parse(bom_only, 3, &w, &err);
    assert_str(err, NULL);
    assert_int_equal(redirect307_map_size(map), 0);
    map = unit_parse("", 0, &w, &err);
    assert_str(err, NULL);
    assert_int_equal(redirect307_map_size(map), 0);
    /* the text ends at size, whatever follows */
    map = unit_parse("/a /x\n/b /y\n", 6, &w, &err);
    assert_str(err, NULL);
    assert_int_equal(redirect307_map_size(map), 1);
}

static void parse_encoded_keys(void **state)
{
    static const char text[] = "/caf%C3%A9 /x\n/a%2fb /y\n/c%2Fd /z\n"
        "/%7euser /u\n";
    unit_warnings w;
    const char *err;
    redirect307_map *map = unit_parse(text, sizeof(text) - 1, &w, &err);
    redirect307_map_item b;

    assert_str(err, NULL);
    assert_int_equal(w.messages->nelts, 0);
    /* keys are matched decoded; "%2F" stays, in upper case */
    unit_has(map, "/caf\xc3\xa9", 1, "/x", 0);
    unit_has(map, "/a%2Fb", 2, "/y", 1);
    unit_has(map, "/c%2Fd", 3, "/z", 2);
    unit_has(map, "/~user", 4, "/u", 3);
    assert_false(unit_find(map, "/a%2fb", &b));
    assert_false(unit_find(map, "/a/b", &b));
    assert_false(unit_find(map, "/caf%C3%A9", &b));
}

static void parse_duplicates(void **state)
{
    static const char text[] = "/a /x\n/b /y\n/a /z\n/%61 /w\n"
        "/b%2fc /1\n/b%2Fc /2\n";
    unit_warnings w;
    const char *err;
    redirect307_map *map = unit_parse(text, sizeof(text) - 1, &w, &err);

    assert_str(err, NULL);
    /* the first entry wins; duplicates are found after decoding */
    assert_int_equal(redirect307_map_size(map), 3);
    unit_has(map, "/a", 1, "/x", 0);
    unit_has(map, "/b", 2, "/y", 1);
    unit_has(map, "/b%2Fc", 5, "/1", 2);
    assert_int_equal(w.messages->nelts, 3);
    assert_str(APR_ARRAY_IDX(w.messages, 0, const char *),
               "t.map:3: '/a' is already mapped at line 1; the first entry "
               "wins");
    assert_str(APR_ARRAY_IDX(w.messages, 1, const char *),
               "t.map:4: '/a' is already mapped at line 1; the first entry "
               "wins");
    assert_str(APR_ARRAY_IDX(w.messages, 2, const char *),
               "t.map:6: '/b%2Fc' is already mapped at line 5; the first "
               "entry wins");
}

/* A map of "/a /x" and then n duplicates of it. */
static const char *unit_duplicates(int n)
{
    const char *text = "/a /x\n";
    int i;

    for (i = 0; i < n; i++) {
        text = apr_pstrcat(unit_pool, text, "/a /y\n", NULL);
    }
    return text;
}

static void parse_duplicate_summary(void **state)
{
    unit_warnings w;
    const char *err, *text = unit_duplicates(10);

    /* ten duplicates are reported one by one */
    unit_parse(text, strlen(text), &w, &err);
    assert_str(err, NULL);
    assert_int_equal(w.messages->nelts, 10);
    assert_str(APR_ARRAY_IDX(w.messages, 9, const char *),
               "t.map:11: '/a' is already mapped at line 1; the first entry "
               "wins");
    /* past the tenth, one line counts them all */
    text = unit_duplicates(12);
    unit_parse(text, strlen(text), &w, &err);
    assert_str(err, NULL);
    assert_int_equal(w.messages->nelts, 11);
    assert_str(APR_ARRAY_IDX(w.messages, 9, const char *),
               "t.map:11: '/a' is already mapped at line 1; the first entry "
               "wins");
    assert_str(APR_ARRAY_IDX(w.messages, 10, const char *),
               "t.map: 12 duplicate URL-paths in all; the first entry of "
               "each wins");
}

static void parse_errors(void **state)
{
    assert_str(unit_parse_error("/a /x\n/b\n"),
               "t.map:2: expected two fields, 'URL-path URL'");
    assert_str(unit_parse_error("/a /x /y\n"),
               "t.map:1: expected two fields, 'URL-path URL'");
    assert_str(unit_parse_error("/a # /x\n"),
               "t.map:1: expected two fields, 'URL-path URL'");
    assert_str(unit_parse_error("\n\n\n/a\r\n"),
               "t.map:4: expected two fields, 'URL-path URL'");
    assert_str(unit_parse_error("a /x\n"),
               "t.map:1: URL-path 'a' must start with '/'");
    assert_str(unit_parse_error("/a%zz /x\n"),
               "t.map:1: URL-path '/a%zz' has a bad percent-encoding");
    assert_str(unit_parse_error("/ok /x\n/a%00 /x\n"),
               "t.map:2: URL-path '/a%00' has a bad percent-encoding");
    assert_str(unit_parse_error("/a old/path\n"),
               "t.map:1: 'old/path': the target is neither an absolute URL "
               "(scheme://host/...) nor a path starting with '/'");
    assert_str(unit_parse_error("/a http://h:0/\n"),
               "t.map:1: 'http://h:0/': '0' is not a valid port");
    assert_str(unit_parse_error("/a //h/x\n"),
               "t.map:1: '//h/x': a path target must not start with '//': "
               "write the scheme, as in 'https://host/path'");
}

static void parse_many_lines(void **state)
{
    /* more lines than the scratch pool is cleared after (4096) */
    apr_array_header_t *lines = apr_array_make(unit_pool, 5000,
                                               sizeof(const char *));
    unit_warnings w;
    const char *err, *text;
    redirect307_map *map;
    int i;

    for (i = 0; i < 5000; i++) {
        *(const char **)apr_array_push(lines) =
            apr_psprintf(unit_pool, "/p%d http://e.example/n%d\xc3\xa9\n", i,
                         i);
    }
    text = apr_array_pstrcat(unit_pool, lines, 0);
    map = unit_parse(text, strlen(text), &w, &err);
    assert_str(err, NULL);
    assert_int_equal(redirect307_map_size(map), 5000);
    /* targets as written (they are cleaned when used) */
    unit_has(map, "/p0", 1, "http://e.example/n0\xc3\xa9", 0);
    unit_has(map, "/p4095", 4096, "http://e.example/n4095\xc3\xa9", 4095);
    unit_has(map, "/p4999", 5000, "http://e.example/n4999\xc3\xa9", 4999);
}

/* --------------------------------------------------------------------
 * Files
 */

/* A file and the temporary directory it is in, removed with the pool. */
typedef struct {
    const char *dir;
    const char *file;
} unit_tmp;

static apr_status_t unit_remove(void *data)
{
    unit_tmp *tmp = data;

    apr_file_remove(tmp->file, unit_pool);
    apr_dir_remove(tmp->dir, unit_pool);
    return APR_SUCCESS;
}

/* A new file in a new temporary directory with size bytes of text (NULL:
 * the directory itself). */
static const char *unit_file(const char *name, const char *text,
                             apr_size_t size)
{
    const char *tmp, *dir, *file;
    char *template;
    apr_file_t *fd;
    apr_size_t written;
    unit_tmp *remove = apr_palloc(unit_pool, sizeof(*remove));

    assert_int_equal(apr_temp_dir_get(&tmp, unit_pool), APR_SUCCESS);
    template = apr_pstrcat(unit_pool, tmp, "/unit-map-XXXXXX", NULL);
    assert_int_equal(apr_file_mktemp(&fd, template, 0, unit_pool),
                     APR_SUCCESS);
    /* the unique name becomes a directory, removed with the pool */
    apr_file_close(fd);
    apr_file_remove(template, unit_pool);
    dir = template;
    assert_int_equal(apr_dir_make(dir, APR_OS_DEFAULT, unit_pool),
                     APR_SUCCESS);
    file = apr_pstrcat(unit_pool, dir, "/", name, NULL);
    remove->dir = dir;
    remove->file = file;
    apr_pool_cleanup_register(unit_pool, remove, unit_remove,
                              apr_pool_cleanup_null);
    if (!text) {
        return dir;
    }
    assert_int_equal(apr_file_open(&fd, file, APR_FOPEN_WRITE
                                   | APR_FOPEN_CREATE | APR_FOPEN_BINARY,
                                   APR_OS_DEFAULT, unit_pool), APR_SUCCESS);
    assert_int_equal(apr_file_write_full(fd, text, size, &written),
                     APR_SUCCESS);
    apr_file_close(fd);
    return file;
}

static void load_file(void **state)
{
    static const char text[] = "\xEF\xBB\xBF# moved pages\r\n"
        "/old http://e.example/new\r\n/a%20b /c\r\n";
    const char *file = unit_file("moved.map", text, sizeof(text) - 1);
    unit_warnings w;
    redirect307_map *map = NULL;

    w.messages = apr_array_make(unit_pool, 1, sizeof(const char *));
    assert_str(redirect307_map_load(unit_pool, unit_pool, file, 0, unit_warn, &w,
                                    &map), NULL);
    assert_non_null(map);
    assert_str(map->file, file);
    assert_str(map->file_colon, apr_pstrcat(unit_pool, file, ":", NULL));
    assert_int_equal(redirect307_map_size(map), 2);
    unit_has(map, "/old", 2, "http://e.example/new", 0);
    unit_has(map, "/a b", 3, "/c", 1);
    assert_int_equal(w.messages->nelts, 0);
}

static void load_empty_file(void **state)
{
    const char *file = unit_file("empty.map", "", 0);
    redirect307_map *map = NULL;

    assert_str(redirect307_map_load(unit_pool, unit_pool, file, 0, unit_warn,
                                    NULL, &map), NULL);
    assert_int_equal(redirect307_map_size(map), 0);
}

static void load_refused(void **state)
{
    static const char nul[] = "/a /x\n/b\0 /y\n";
    const char *dir = unit_file("none.map", NULL, 0);
    const char *missing = apr_pstrcat(unit_pool, dir, "/none.map", NULL);
    const char *file = unit_file("nul.map", nul, sizeof(nul) - 1);
    const char *bad = unit_file("bad.map", "/a /x\n\n/b http://\n", 18);
    redirect307_map *map = NULL;

    assert_str(redirect307_map_load(unit_pool, unit_pool, missing, 0, unit_warn,
                                    NULL, &map),
               apr_pstrcat(unit_pool, "cannot read ", missing,
                           ": No such file or directory", NULL));
    assert_str(redirect307_map_load(unit_pool, unit_pool, dir, 0, unit_warn,
                                    NULL, &map),
               apr_pstrcat(unit_pool, dir, " is not a regular file", NULL));
    assert_str(redirect307_map_load(unit_pool, unit_pool, file, 0, unit_warn,
                                    NULL, &map),
               apr_pstrcat(unit_pool, file, " is not a text file", NULL));
    assert_str(redirect307_map_load(unit_pool, unit_pool, bad, 0, unit_warn,
                                    NULL, &map),
               apr_pstrcat(unit_pool, bad, ":3: 'http://': the target has "
                           "no host", NULL));
    /* *out is set on success only */
    assert_null(map);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(fields),
    UNIT_TEST(parse_entries),
    UNIT_TEST(parse_bom_and_crlf),
    UNIT_TEST(parse_encoded_keys),
    UNIT_TEST(parse_duplicates),
    UNIT_TEST(parse_duplicate_summary),
    UNIT_TEST(parse_errors),
    UNIT_TEST(parse_many_lines),
    UNIT_TEST(load_file),
    UNIT_TEST(load_empty_file),
    UNIT_TEST(load_refused),
};

UNIT_MAIN("redirect307_map", tests)
