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
 * Unit tests of the map options, query keys and CSV maps
 * (redirect307_map.c, redirect307_query.c): the query normaliser, the CSV
 * record reader, and maps parsed from text and looked up as requests are.
 */

#include "unit.h"

static int unit_warnings;

static void unit_warn(void *baton, const char *msg)
{
    unit_warnings++;
    if (baton) {
        *(const char **)baton = msg;
    }
}

/* A map parsed from text, which must be good. */
static redirect307_map *unit_map(const char *file, int flags,
                                 const char *text)
{
    redirect307_map *map;
    apr_size_t len = strlen(text);
    const char *err;

    map = redirect307_map_make(unit_pool, file, flags,
                               strstr(file, ".csv") != NULL);
    err = redirect307_map_parse(unit_pool, unit_pool, map,
                                apr_pstrmemdup(unit_pool, text, len), len,
                                unit_warn, NULL);
    assert_str(err, NULL);
    return map;
}

/* The target for path and query, or NULL; *rest gets what is merged. */
static const char *unit_find(const redirect307_map *map, const char *path,
                             const char *query, const char **rest)
{
    redirect307_map_item item;
    const char *left = "(unset)";

    if (!redirect307_map_lookup(unit_pool, map, path, query,
                                &redirect307_ignore_default, &item, &left)) {
        return NULL;
    }
    if (rest) {
        *rest = left;
    }
    return item.target;
}

static void query_sorted_and_decoded(void **state)
{
    redirect307_query q;

    redirect307_query_normalise(unit_pool, "b=2&a=%31&c+d=x+y", 17, NULL,
                                100, &q);
    assert_str(q.canonical, "a=1&b=2&c d=x y");
    assert_int_equal(q.kept, 3);
    assert_str(q.set_aside, NULL);
    redirect307_query_normalise(unit_pool, "v=%26%3D%25&e=&f", 16, NULL, 100,
                                &q);
    assert_str(q.canonical, "e&f&v=%26%3D%25");
    assert_int_equal(q.bad_escape, 0);
    redirect307_query_normalise(unit_pool, "x=%zz", 5, NULL, 100, &q);
    assert_int_equal(q.bad_escape, 1);
}

static void query_set_aside_in_order(void **state)
{
    redirect307_query q;
    const char *s = "utm_b=2&id=1&gclid=g&&utm_a=1";

    redirect307_query_normalise(unit_pool, s, strlen(s),
                                &redirect307_ignore_default, 100, &q);
    assert_str(q.canonical, "id=1");
    assert_str(q.set_aside, "utm_b=2&gclid=g&utm_a=1");
    /* more kept parameters than any key has: no canonical form */
    s = "a=1&b=2&c=3&utm_x=1";
    redirect307_query_normalise(unit_pool, s, strlen(s),
                                &redirect307_ignore_default, 2, &q);
    assert_null(q.canonical);
    assert_int_equal(q.kept, 3);
    assert_str(q.set_aside, "utm_x=1");
}

static void query_ignore_patterns(void **state)
{
    static const char *const names[] = { "ref", "src_*" };
    redirect307_ignore_list list = { names, 2 };

    assert_true(redirect307_ignored(&list, "ref", 3));
    assert_false(redirect307_ignored(&list, "refx", 4));
    assert_false(redirect307_ignored(&list, "re", 2));
    assert_true(redirect307_ignored(&list, "src_", 4));
    assert_true(redirect307_ignored(&list, "src_a", 5));
    assert_false(redirect307_ignored(&list, "src", 3));
    assert_false(redirect307_ignored(NULL, "ref", 3));
    assert_true(redirect307_ignored(&redirect307_ignore_default,
                                    "utm_source", 10));
    assert_true(redirect307_ignored(&redirect307_ignore_default, "igshid",
                                    6));
    assert_false(redirect307_ignored(&redirect307_ignore_default, "utm", 3));
}

static void csv_records(void **state)
{
    char *text = apr_pstrdup(unit_pool, "a, \"b,\"\"c\"\" \" ,d\r\n"
                             "\"x\ny\",z\n\"open");
    char *pos = text, *end = text + strlen(text), *f[2];
    int n;

    assert_str(redirect307_csv_record(&pos, end, f, 2, &n), NULL);
    assert_int_equal(n, 3);
    assert_str(f[0], "a");
    assert_str(f[1], "b,\"c\" ");
    assert_str(redirect307_csv_record(&pos, end, f, 2, &n), NULL);
    assert_int_equal(n, 2);
    assert_str(f[0], "x\ny");
    assert_str(f[1], "z");
    assert_str(redirect307_csv_record(&pos, end, f, 2, &n),
               "a quoted field is not closed");
}

static void options_fold_and_slash(void **state)
{
    redirect307_map *map = unit_map("m.map", REDIRECT307_MAP_NOCASE
                                    | REDIRECT307_MAP_NOSLASH,
                                    "/About/ https://e.example/a\n"
                                    "/ https://e.example/root\n"
                                    "/%C3%A9T%C3%89 https://e.example/e\n");

    assert_str(unit_find(map, "/about", NULL, NULL), "https://e.example/a");
    assert_str(unit_find(map, "/ABOUT/", NULL, NULL), "https://e.example/a");
    assert_null(unit_find(map, "/about//", NULL, NULL));
    assert_str(unit_find(map, "/", NULL, NULL), "https://e.example/root");
    assert_str(unit_find(map, "/\xC3\xA9t\xC3\x89", NULL, NULL),
               "https://e.example/e");
    assert_null(unit_find(map, "/\xC3\x89t\xC3\x89", NULL, NULL));
    assert_str(redirect307_map_entry_at(map, 0).key, "/about");
}

static void query_keys_and_fallback(void **state)
{
    redirect307_map *map = unit_map("m.map", 0,
                                    "/p?b=2&a=1 https://e.example/ab\n"
                                    "/p https://e.example/plain\n"
                                    "/q%3Fx https://e.example/mark\n");
    const char *rest;

    assert_str(unit_find(map, "/p", "a=1&utm_s=x&b=2", &rest),
               "https://e.example/ab");
    assert_str(rest, "utm_s=x");
    assert_str(unit_find(map, "/p", "a=1&b=2", &rest), "https://e.example/ab");
    assert_null(rest);
    assert_str(unit_find(map, "/p", "a=1&b=3", &rest),
               "https://e.example/plain");
    assert_str(rest, "a=1&b=3");
    assert_str(unit_find(map, "/p", NULL, &rest), "https://e.example/plain");
    assert_null(rest);
    /* a decoded '?' in the path is no query */
    assert_str(unit_find(map, "/q?x", NULL, NULL), "https://e.example/mark");
    assert_null(unit_find(map, "/q", "x", NULL));
    assert_str(redirect307_map_entry_at(map, 0).key, "/p?a=1&b=2");
    assert_int_equal(map->max_params, 2);
}

static void items_lines_and_duplicates(void **state)
{
    const char *warning = NULL;
    const char *text = "# head\n/a https://e.example/a\n\n"
        "/b https://e.example/b\n/c https://e.example/c\n"
        "/A https://e.example/dup\n/d https://e.example/d # note\n";
    redirect307_map *map = redirect307_map_make(unit_pool, "m.map",
                                                REDIRECT307_MAP_NOCASE, 0);
    redirect307_map_item item;
    const char *rest;
    apr_uint32_t i;

    assert_str(redirect307_map_parse(unit_pool, unit_pool, map,
                                     apr_pstrdup(unit_pool, text),
                                     strlen(text), unit_warn, &warning),
               NULL);
    assert_str(warning, "m.map:6: '/a' is already mapped at line 2; the "
               "first entry wins");
    assert_int_equal(redirect307_map_size(map), 4);
    for (i = 0; i < 4; i++) {
        static const apr_uint32_t lines[] = { 2, 4, 5, 7 };

        item = redirect307_map_entry_at(map, i);
        assert_int_equal(item.line, lines[i]);
        assert_int_equal(item.ordinal, i);
        assert_true(redirect307_map_lookup(unit_pool, map, item.key, NULL,
                                           NULL, &item, &rest));
        assert_int_equal(item.ordinal, i);
    }
    assert_str(redirect307_map_entry_at(map, 3).target,
               "https://e.example/d");
}

static void csv_map_rows(void **state)
{
    redirect307_map *map = unit_map("m.csv", 0,
                                    "\xEF\xBB\xBFold,new,note\r\n"
                                    "/a,https://e.example/a,\"x\r\ny\"\r\n"
                                    "\r\n/b,\"https://e.example/b?x="
                                    "\"\"1\"\"\""
                                    "\r\n#,comment\r\n/c, https://e.example/c"
                                    " # moved\r\n");

    assert_int_equal(redirect307_map_size(map), 3);
    assert_int_equal(redirect307_map_entry_at(map, 0).line, 2);
    assert_int_equal(redirect307_map_entry_at(map, 1).line, 4);
    assert_int_equal(redirect307_map_entry_at(map, 2).line, 6);
    assert_str(redirect307_map_entry_at(map, 1).target,
               "https://e.example/b?x=\"1\"");
    assert_str(redirect307_map_entry_at(map, 2).target,
               "https://e.example/c");
}

static void bad_maps(void **state)
{
    static const char *const cases[][3] = {
        { "m.csv", "/a\n", "m.csv:1: expected two fields, 'URL-path,URL'" },
        { "m.csv", "h,h\n/a,\"x\n", "m.csv:2: a quoted field is not closed" },
        { "m.map", "/a?x=%g https://e.example/\n", "m.map:1: URL-path "
          "'/a?x=%g' has a bad percent-encoding in its query" },
        { "m.map", "/a https://e.example/ x\n", "m.map:1: expected two "
          "fields, 'URL-path URL'" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        redirect307_map *map = redirect307_map_make(unit_pool, cases[i][0],
                                                    0, i < 2);
        char *text = apr_pstrdup(unit_pool, cases[i][1]);

        assert_str(redirect307_map_parse(unit_pool, unit_pool, map, text,
                                         strlen(text), unit_warn, NULL),
                   cases[i][2]);
    }
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(query_sorted_and_decoded),
    UNIT_TEST(query_set_aside_in_order),
    UNIT_TEST(query_ignore_patterns),
    UNIT_TEST(csv_records),
    UNIT_TEST(options_fold_and_slash),
    UNIT_TEST(query_keys_and_fallback),
    UNIT_TEST(items_lines_and_duplicates),
    UNIT_TEST(csv_map_rows),
    UNIT_TEST(bad_maps),
};

UNIT_MAIN("mapopts", tests)
