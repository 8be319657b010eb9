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
 * Unit tests of redirect307_stats.c and redirect307_status.c: rule
 * identities, the table of counters, carrying counts over, the state file,
 * choosing rows, escaping, times and the machine formats.
 */

#include "unit.h"

#include <unistd.h>

#include "apr_file_io.h"

/* --- helpers ----------------------------------------------------------- */

static void ignore_warning(void *baton, const char *msg)
{
    (void)baton;
    (void)msg;
}

static redirect307_map *make_map(const char *file, const char *text)
{
    redirect307_map *map = redirect307_map_make(unit_pool, file, 0, 0);
    char *buf = apr_pstrdup(unit_pool, text);

    assert_null(redirect307_map_parse(unit_pool, unit_pool, map, buf,
                                      strlen(buf), ignore_warning, NULL));
    return map;
}

/* A rule of t's configuration, with a place of its own: the main
 * server's, or the section a SECTION rule's match names. */
static redirect307_rule *add_rule(redirect307_stats_table *t,
                                  redirect307_kind kind, const char *file,
                                  apr_uint32_t line, const char *match,
                                  const char *target)
{
    redirect307_stats_rule *row = apr_array_push(t->rules);
    redirect307_stats_place *place = apr_pcalloc(unit_pool, sizeof(*place));
    redirect307_rule *rule = apr_pcalloc(unit_pool, sizeof(*rule));

    rule->kind = kind;
    rule->file = file;
    rule->line = line;
    rule->written = target;
    rule->counter = REDIRECT307_NO_COUNTER;
    place->scope = "main server";
    place->sections = "";
    if (kind == REDIRECT307_PREFIX) {
        rule->url_path = match;
    }
    else if (kind == REDIRECT307_REGEX) {
        rule->pattern = match;
    }
    else if (kind == REDIRECT307_SECTION) {
        place->scope = apr_pstrcat(unit_pool, match, " (", file, ")", NULL);
        place->sections = match;
    }
    place->scope_key = apr_pstrcat(unit_pool, "server ", place->sections,
                                   NULL);
    row->rule = rule;
    row->place = place;
    return rule;
}

/* Three rules and a map of three entries: slots 0, 1, 2-4, 5. */
static redirect307_stats_table *sample_table(void)
{
    redirect307_stats_table *t = redirect307_stats_make(unit_pool, 0);
    redirect307_rule *map;

    add_rule(t, REDIRECT307_PREFIX, "/c/site.conf", 10, "/old",
             "https://n.example/new");
    add_rule(t, REDIRECT307_REGEX, "/c/site.conf", 11, "^/b/(\\d+)$",
             "https://n.example/$1");
    map = add_rule(t, REDIRECT307_MAP, "/c/site.conf", 12, NULL, NULL);
    map->map = make_map("/c/moved.map", "# moved pages\n/a https://x/a\n"
                        "/b,\"q\" /b2\n\n/caf%C3%A9 https://x/cafe\n");
    add_rule(t, REDIRECT307_SECTION, "/c/site.conf", 14, "<Location /s>",
             "https://s.example%{REQUEST_URI}");
    redirect307_stats_layout(t);
    t->counters = apr_pcalloc(unit_pool, sizeof(*t->counters) * t->slots);
    t->since = 1767225600;      /* 2026-01-01T00:00:00Z */
    return t;
}

static void hit(redirect307_stats_table *t, apr_uint32_t slot,
                apr_uint64_t hits, apr_uint64_t last)
{
    t->counters[slot].hits = hits;
    t->counters[slot].last = last;
}

/* What a format writes, collected. */
static void collect(void *baton, const char *text, apr_size_t len)
{
    apr_array_header_t *buf = baton;

    while (len--) {
        *(char *)apr_array_push(buf) = *text++;
    }
}

static redirect307_out *make_out(apr_array_header_t **buf)
{
    redirect307_out *out = apr_pcalloc(unit_pool, sizeof(*out));

    *buf = apr_array_make(unit_pool, 256, 1);
    out->write = collect;
    out->baton = *buf;
    out->pool = unit_pool;
    return out;
}

static const char *text_of(apr_array_header_t *buf)
{
    return apr_pstrmemdup(unit_pool, buf->elts, buf->nelts);
}

/* --- identities and the table ------------------------------------------- */

static void identity_ignores_the_line(void **state)
{
    apr_uint64_t a = redirect307_stats_identity("server ", REDIRECT307_PREFIX,
                                                "/old", "https://n/new");

    assert_true(a == redirect307_stats_identity("server ", REDIRECT307_PREFIX,
                                                "/old", "https://n/new"));
    assert_false(a == redirect307_stats_identity("server ",
                                                 REDIRECT307_PREFIX, "/old",
                                                 "https://n/other"));
    assert_false(a == redirect307_stats_identity("server ", REDIRECT307_REGEX,
                                                 "/old", "https://n/new"));
    assert_false(a == redirect307_stats_identity("vhost a:80 ",
                                                 REDIRECT307_PREFIX, "/old",
                                                 "https://n/new"));
    /* the fields are separated: moving text from one to the next differs */
    assert_false(redirect307_stats_identity("s", REDIRECT307_PREFIX, "/ab",
                                            "c")
                 == redirect307_stats_identity("s", REDIRECT307_PREFIX, "/a",
                                               "bc"));
}

static void layout_gives_every_entry_a_slot(void **state)
{
    redirect307_stats_table *t = sample_table();
    redirect307_stats_item item;

    assert_int_equal(t->slots, 6);
    hit(t, 3, 7, 1767225601);
    redirect307_stats_item_at(t, 3, &item);
    assert_str(item.file, "/c/moved.map");
    assert_int_equal(item.line, 3);
    assert_str(item.match, "/b,\"q\"");
    assert_str(item.target, "/b2");
    assert_int_equal(item.hits, 7);
    assert_int_equal(item.rule->rule->kind, REDIRECT307_MAP);
    redirect307_stats_item_at(t, 4, &item);
    assert_str(item.match, "/caf\xc3\xa9");
    assert_int_equal(item.line, 5);
    redirect307_stats_item_at(t, 5, &item);
    assert_str(item.file, "/c/site.conf");
    assert_int_equal(item.line, 14);
    assert_int_equal(item.rule->rule->kind, REDIRECT307_SECTION);
    redirect307_stats_item_at(t, 0, &item);
    assert_str(item.match, "/old");
    /* entries of one map differ, and differ from the map's */
    assert_false(redirect307_stats_identity_at(t, 2)
                 == redirect307_stats_identity_at(t, 3));
    assert_false(redirect307_stats_identity_at(t, 2)
                 == redirect307_stats_rule_identity(
                        &APR_ARRAY_IDX(t->rules, 2, redirect307_stats_rule)));
    /* the rules got their first counters */
    assert_int_equal(APR_ARRAY_IDX(t->rules, 2, redirect307_stats_rule)
                     .rule->counter, 2);
    assert_int_equal(APR_ARRAY_IDX(t->rules, 3, redirect307_stats_rule)
                     .rule->counter, 5);
}

static void carry_follows_identities(void **state)
{
    redirect307_stats_table *old = sample_table(), *t;
    redirect307_stats_record *recs;
    redirect307_rule *rule;
    apr_size_t n;

    hit(old, 0, 5, 100);
    hit(old, 1, 6, 200);
    hit(old, 4, 9, 300);
    recs = redirect307_stats_records(unit_pool, old, &n);
    assert_int_equal(n, 3);
    /* the slots they were read from, for the counts added later */
    assert_int_equal(recs[0].slot, 0);
    assert_int_equal(recs[1].slot, 1);
    assert_int_equal(recs[2].slot, 4);
    assert_true(recs[2].identity == redirect307_stats_identity_at(old, 4));
    /* the new configuration: lines moved, the regex's target changed, the
     * map's first entry removed */
    t = redirect307_stats_make(unit_pool, 4);
    add_rule(t, REDIRECT307_SECTION, "/c/site.conf", 2, "<Location /s>",
             "https://s.example%{REQUEST_URI}");
    add_rule(t, REDIRECT307_PREFIX, "/c/site.conf", 30, "/old",
             "https://n.example/new");
    add_rule(t, REDIRECT307_REGEX, "/c/site.conf", 31, "^/b/(\\d+)$",
             "https://n.example/x/$1");
    rule = add_rule(t, REDIRECT307_MAP, "/c/site.conf", 32, NULL, NULL);
    rule->map = make_map("/c/moved.map", "/b,\"q\" /b2\n"
                         "/caf%C3%A9 https://x/cafe\n");
    redirect307_stats_layout(t);
    t->counters = apr_pcalloc(unit_pool, sizeof(*t->counters) * t->slots);
    assert_int_equal(redirect307_stats_carry(unit_pool, t, recs, n), 2);
    assert_int_equal(t->counters[0].hits, 0);
    assert_int_equal(t->counters[1].hits, 5);
    assert_int_equal(t->counters[1].last, 100);
    assert_int_equal(t->counters[2].hits, 0);     /* target changed */
    assert_int_equal(t->counters[3].hits, 0);
    assert_int_equal(t->counters[4].hits, 9);     /* entry moved up */
    assert_int_equal(t->counters[4].last, 300);
}

/* --- the state file ------------------------------------------------------ */

static const char *state_path(const char *name)
{
    const char *dir;

    apr_temp_dir_get(&dir, unit_pool);
    return apr_psprintf(unit_pool, "%s/r307-unit-%ld-%s", dir,
                        (long)getpid(), name);
}

static void state_file_round_trip(void **state)
{
    redirect307_stats_record recs[2] = {
        {APR_UINT64_C(0x0123456789abcdef), 42, 1767225600},
        {7, APR_UINT64_C(1) << 40, 0}
    }, *got;
    const char *path = state_path("ok");
    apr_uint64_t since = 0;
    apr_size_t n;
    apr_finfo_t finfo;
    int missing = 1;

    assert_null(redirect307_stats_save(unit_pool, path, 1700000000, recs, 2));
    assert_int_equal(apr_stat(&finfo, apr_pstrcat(unit_pool, path, ".tmp",
                                                  NULL), APR_FINFO_SIZE,
                              unit_pool), APR_ENOENT);
    assert_null(redirect307_stats_load(unit_pool, path, &missing, &since,
                                       &got, &n));
    assert_int_equal(missing, 0);
    assert_int_equal(since, 1700000000);
    assert_int_equal(n, 2);
    assert_true(got[0].identity == recs[0].identity);
    assert_int_equal(got[0].hits, 42);
    assert_int_equal(got[1].hits, APR_UINT64_C(1) << 40);
    assert_int_equal(got[1].slot, REDIRECT307_NO_COUNTER);
    apr_file_remove(path, unit_pool);
    assert_null(redirect307_stats_load(unit_pool, path, &missing, &since,
                                       &got, &n));
    assert_int_equal(missing, 1);
    assert_int_equal(n, 0);
}

/* The bytes of a state file of two records. */
static char *state_bytes(apr_size_t *size)
{
    redirect307_stats_record recs[2] = { {1, 2, 3}, {4, 5, 6} };
    const char *path = state_path("bytes");
    apr_file_t *f;
    apr_finfo_t finfo;
    char *data;

    assert_null(redirect307_stats_save(unit_pool, path, 99, recs, 2));
    assert_int_equal(apr_file_open(&f, path, APR_FOPEN_READ, 0, unit_pool),
                     APR_SUCCESS);
    apr_file_info_get(&finfo, APR_FINFO_SIZE, f);
    *size = (apr_size_t)finfo.size;
    data = apr_palloc(unit_pool, *size);
    apr_file_read_full(f, data, *size, NULL);
    apr_file_close(f);
    apr_file_remove(path, unit_pool);
    return data;
}

static void state_file_refused(void **state)
{
    apr_size_t size, n;
    char *data = state_bytes(&size), *copy;
    redirect307_stats_record *recs;
    apr_uint64_t since;

    assert_int_equal(size, 32 + 2 * 24 + 16);
    assert_null(redirect307_stats_parse(unit_pool, data, size, &since, &recs,
                                        &n));
    assert_int_equal(n, 2);
    assert_int_equal(recs[1].last, 6);
    /* foreign, truncated, extended, damaged, another version */
    assert_str(redirect307_stats_parse(unit_pool, "<?xml version", 13, &since,
                                       &recs, &n),
               "not a mod_redirect307 state file");
    assert_int_equal(n, 0);
    assert_str(redirect307_stats_parse(unit_pool, data, 20, &since, &recs,
                                       &n),
               "truncated: too short for its header");
    assert_str(redirect307_stats_parse(unit_pool, data, size - 1, &since,
                                       &recs, &n),
               "truncated or extended: 95 bytes for 2 counters");
    copy = apr_pmemdup(unit_pool, data, size + 24);
    assert_non_null(strstr(redirect307_stats_parse(unit_pool, copy, size + 24,
                                                   &since, &recs, &n),
                           "truncated or extended"));
    copy = apr_pmemdup(unit_pool, data, size);
    copy[40] ^= 1;
    assert_str(redirect307_stats_parse(unit_pool, copy, size, &since, &recs,
                                       &n),
               "damaged: the checksum does not match");
    copy = apr_pmemdup(unit_pool, data, size);
    copy[8] = 2;
    assert_str(redirect307_stats_parse(unit_pool, copy, size, &since, &recs,
                                       &n),
               "format version 2, this module reads version 1");
    /* a count so large that the size check would overflow */
    copy = apr_pmemdup(unit_pool, data, size);
    memset(copy + 24, 0xff, 8);
    assert_non_null(strstr(redirect307_stats_parse(unit_pool, copy, size,
                                                   &since, &recs, &n),
                           "truncated or extended"));
    assert_int_equal(n, 0);
}

/* --- choosing rows ------------------------------------------------------ */

static void select_filters_sorts_pages(void **state)
{
    redirect307_stats_table *t = sample_table();
    redirect307_stats_view view;
    apr_uint32_t *rows, total, count;

    hit(t, 0, 5, 1767225600 + 86400 * 10);    /* 2026-01-11 */
    hit(t, 2, 50, 1767225600 + 86400);        /* 2026-01-02 */
    hit(t, 5, 5, 1767225600 + 86400 * 20);
    memset(&view, 0, sizeof(view));
    view.limit = 4;
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(total, 6);
    assert_int_equal(count, 4);
    assert_int_equal(rows[0], 0);
    assert_int_equal(rows[3], 3);
    view.offset = 4;
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(count, 2);
    assert_int_equal(rows[1], 5);
    /* by hits, most first; ties in configuration order */
    view.offset = 0;
    view.sort = REDIRECT307_BY_HITS;
    view.desc = 1;
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(rows[0], 2);
    assert_int_equal(rows[1], 0);
    assert_int_equal(rows[2], 5);
    assert_int_equal(rows[3], 1);
    /* by last hit, oldest first: never hit first */
    view.sort = REDIRECT307_BY_LAST;
    view.desc = 0;
    view.limit = 6;
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(rows[0], 1);
    assert_int_equal(rows[3], 2);
    assert_int_equal(rows[5], 5);
    /* not hit since 2026-01-11: the ones never hit and 2026-01-02 */
    view.before = redirect307_parse_date("2026-01-11");
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(total, 4);
    view.before = 0;
    view.q = "/b";
    rows = redirect307_stats_select(unit_pool, t, &view, &total, &count);
    assert_int_equal(total, 2);             /* ^/b/(\d+)$ and /b,"q" */
}

/* --- escaping and times -------------------------------------------------- */

static void escaping(void **state)
{
    assert_str(redirect307_html(unit_pool, "<script>\"a\"&'b'"),
               "&lt;script&gt;&quot;a&quot;&amp;'b'");
    assert_str(redirect307_json(unit_pool, "a\"b\\c\r\n\x01\x7f"),
               "\"a\\\"b\\\\c\\u000d\\u000a\\u0001\\u007f\"");
    assert_str(redirect307_json(unit_pool, "caf\xc3\xa9 \xe2\x82\xac"),
               "\"caf\xc3\xa9 \xe2\x82\xac\"");
    /* invalid UTF-8: a lone byte, an overlong form, a surrogate */
    assert_str(redirect307_json(unit_pool, "\xff\xc0\xaf\xed\xa0\x80"),
               "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
    assert_str(redirect307_json(unit_pool, NULL), "\"\"");
    assert_str(redirect307_csv(unit_pool, "/plain"), "/plain");
    assert_str(redirect307_csv(unit_pool, "/a,b"), "\"/a,b\"");
    assert_str(redirect307_csv(unit_pool, "say \"hi\""),
               "\"say \"\"hi\"\"\"");
    assert_str(redirect307_csv(unit_pool, "a\r\nb"), "\"a\r\nb\"");
    assert_str(redirect307_label(unit_pool, "C:\\x\"y\"\nz"),
               "C:\\\\x\\\"y\\\"\\nz");
}

static void times(void **state)
{
    assert_str(redirect307_iso8601(unit_pool, 0), "1970-01-01T00:00:00Z");
    assert_str(redirect307_iso8601(unit_pool, 1767225600 + 3661),
               "2026-01-01T01:01:01Z");
    assert_int_equal(redirect307_parse_date("2026-01-01"), 1767225600);
    assert_int_equal(redirect307_parse_date("2026-01-01T01:01:01Z"),
                     1767225600 + 3661);
    assert_int_equal(redirect307_parse_date("2026-1-01"), 0);
    assert_int_equal(redirect307_parse_date("2026-13-01"), 0);
    assert_int_equal(redirect307_parse_date("2026-01-01 "), 0);
    assert_int_equal(redirect307_parse_date("2026-01-01T25:00:00Z"), 0);
    assert_int_equal(redirect307_parse_date(""), 0);
    assert_int_equal(redirect307_parse_date(NULL), 0);
}

/* --- the formats --------------------------------------------------------- */

static void csv_format(void **state)
{
    redirect307_stats_table *t = sample_table();
    apr_array_header_t *buf;
    redirect307_out *out = make_out(&buf);
    redirect307_stats_view view;

    hit(t, 3, 2, 1767225600);
    redirect307_stats_csv(out, t, NULL);
    assert_str(text_of(buf),
               "origin,kind,match,target,hits,last_hit\r\n"
               "/c/site.conf:10,prefix,/old,https://n.example/new,0,\r\n"
               "/c/site.conf:11,regex,^/b/(\\d+)$,https://n.example/$1,0,\r\n"
               "/c/moved.map:2,map,/a,https://x/a,0,\r\n"
               "/c/moved.map:3,map,\"/b,\"\"q\"\"\",/b2,2,"
               "2026-01-01T00:00:00Z\r\n"
               "/c/moved.map:5,map,/caf\xc3\xa9,https://x/cafe,0,\r\n"
               "/c/site.conf:14,section,<Location /s>,"
               "https://s.example%{REQUEST_URI},0,\r\n");
    memset(&view, 0, sizeof(view));
    view.q = "caf";
    out = make_out(&buf);
    redirect307_stats_csv(out, t, &view);
    assert_str(text_of(buf), "origin,kind,match,target,hits,last_hit\r\n"
               "/c/moved.map:5,map,/caf\xc3\xa9,https://x/cafe,0,\r\n");
}

static void json_format(void **state)
{
    redirect307_stats_table *t = sample_table();
    apr_array_header_t *buf;
    redirect307_out *out = make_out(&buf);
    redirect307_stats_view view;
    redirect307_explanation e = {
        "http://h/x?\"<\r\n", "GET", NULL, NULL, "no rule matches"
    };

    memset(&view, 0, sizeof(view));
    view.q = "/old";
    hit(t, 0, 3, 1767225601);
    redirect307_stats_json(out, t, &view);
    assert_str(text_of(buf), "{\"since\":\"2026-01-01T00:00:00Z\","
               "\"stats\":true,\"rules\":[\n{\"origin\":\"/c/site.conf:10\","
               "\"kind\":\"prefix\",\"match\":\"/old\",\"target\":"
               "\"https://n.example/new\",\"hits\":3,\"last_hit\":"
               "\"2026-01-01T00:00:01Z\"}\n]}\n");
    out = make_out(&buf);
    redirect307_stats_json(out, NULL, NULL);
    assert_str(text_of(buf), "{\"since\":null,\"stats\":false,\"rules\":["
               "\n]}\n");
    out = make_out(&buf);
    redirect307_explain_json(out, &e);
    assert_str(text_of(buf), "{\"url\":\"http://h/x?\\\"<\\u000d\\u000a\","
               "\"method\":\"GET\",\"rule\":null,\"location\":null,"
               "\"reason\":\"no rule matches\"}\n");
}

static void prometheus_format(void **state)
{
    redirect307_stats_table *t = sample_table();
    apr_array_header_t *buf;
    redirect307_out *out = make_out(&buf);

    hit(t, 1, 4, 1);
    hit(t, 2, 1, 1);
    hit(t, 4, 2, 1);
    redirect307_stats_prometheus(out, t);
    assert_str(text_of(buf),
        "# HELP redirect307_redirects_total Redirects answered by a "
        "Redirect307 or Redirect307Match rule.\n"
        "# TYPE redirect307_redirects_total counter\n"
        "redirect307_redirects_total{origin=\"/c/site.conf:10\","
        "kind=\"prefix\"} 0\n"
        "redirect307_redirects_total{origin=\"/c/site.conf:11\","
        "kind=\"regex\"} 4\n"
        "redirect307_redirects_total{origin=\"/c/site.conf:14\","
        "kind=\"section\"} 0\n"
        "# HELP redirect307_map_redirects_total Redirects answered by the "
        "entries of a Redirect307Map file.\n"
        "# TYPE redirect307_map_redirects_total counter\n"
        "redirect307_map_redirects_total{map=\"/c/moved.map\"} 3\n"
        "# HELP redirect307_map_entries Entries of a Redirect307Map file.\n"
        "# TYPE redirect307_map_entries gauge\n"
        "redirect307_map_entries{map=\"/c/moved.map\"} 3\n");
}

static void html_page_escapes(void **state)
{
    redirect307_stats_table *t = sample_table();
    apr_array_header_t *buf;
    redirect307_out *out = make_out(&buf);
    redirect307_stats_view view;
    redirect307_stats_page page;
    redirect307_explanation e = {
        "http://h/%3Cscript%3E", "GET", NULL, NULL, "no rule matches"
    };
    const char *html;

    memset(&view, 0, sizeof(view));
    memset(&page, 0, sizeof(page));
    view.limit = 2;
    page.server = "test<server>";
    page.enabled = 1;
    page.view = &view;
    page.q_text = view.q = "\"><script>";
    page.explained = &e;
    page.explain_path = "/<script>alert(1)</script>\"'";
    redirect307_stats_html(out, t, &page);
    html = text_of(buf);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<server>"));
    assert_non_null(strstr(html, "value=\"/&lt;script&gt;alert(1)&lt;/script"
                           "&gt;&quot;'\""));
    assert_non_null(strstr(html, "value=\"&quot;&gt;&lt;script&gt;\""));
    /* links keep the filter, URL-encoded, inside an escaped attribute */
    assert_non_null(strstr(html, "href=\"?sort=hits&amp;order=desc&amp;"
                           "offset=0&amp;n=2&amp;q=%22%3e%3cscript%3e\""));
    assert_non_null(strstr(html, "Rows 0&ndash;0 of 0."));
    view.q = NULL;
    page.q_text = NULL;
    out = make_out(&buf);
    redirect307_stats_html(out, t, &page);
    html = text_of(buf);
    assert_non_null(strstr(html, "Rows 1&ndash;2 of 6."));
    assert_non_null(strstr(html, "<td class=\"u\">^/b/(\\d+)$</td>"));
    assert_null(strstr(html, "/c/moved.map:2"));    /* the next page */
    page.enabled = 0;
    out = make_out(&buf);
    redirect307_stats_html(out, NULL, &page);
    assert_non_null(strstr(text_of(buf), "Redirect307Stats is Off"));
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(identity_ignores_the_line),
    UNIT_TEST(layout_gives_every_entry_a_slot),
    UNIT_TEST(carry_follows_identities),
    UNIT_TEST(state_file_round_trip),
    UNIT_TEST(state_file_refused),
    UNIT_TEST(select_filters_sorts_pages),
    UNIT_TEST(escaping),
    UNIT_TEST(times),
    UNIT_TEST(csv_format),
    UNIT_TEST(json_format),
    UNIT_TEST(prometheus_format),
    UNIT_TEST(html_page_escapes),
};

UNIT_MAIN("redirect307_stats", tests)
