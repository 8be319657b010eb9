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
 * Inputs the fuzz targets of fuzz/targets/ found broken, each kept as a
 * unit test of the behaviour that was fixed (the inputs themselves stay in
 * fuzz/corpus/).
 */

#include "unit.h"

static const char *unit_self(void *baton)
{
    return "https://self.example";
}

/* The Location of a literal target, with a remainder and a query. */
static const char *unit_location(const char *target, const char *args,
                                 const char *remainder,
                                 redirect307_parts *parts)
{
    redirect307_url url;
    redirect307_request req;

    memset(&req, 0, sizeof(req));
    req.pool = unit_pool;
    req.args = args;
    req.self_origin = unit_self;
    assert_null(redirect307_parse_url(unit_pool, unit_pool, target, &url));
    redirect307_url_parts(&url, parts);
    return redirect307_assemble(&req, parts, remainder);
}

/* fuzz/corpus/target/literal-userinfo-percent: the origin ended 2 bytes
 * early once the '%' was cleaned, so the loop guard and the chain check
 * read the wrong host */
static void userinfo_percent_keeps_the_origin(void **state)
{
    redirect307_parts parts;

    assert_str(unit_location("http://u%@e.example/u", NULL, "x", &parts),
               "http://u%25@e.example/u/x");
    assert_int_equal(parts.origin_len, strlen("http://u%25@e.example"));
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
    assert_str(unit_location("http://u%@e.example", "q=1", NULL, &parts),
               "http://u%25@e.example?q=1");
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
}

/* fuzz/corpus/target/literal-userinfo-two-at: the host was read after the
 * first '@', apr_uri_parse() and browsers read it after the last one */
static void host_after_the_last_at(void **state)
{
    redirect307_parts parts;

    assert_str(unit_location("p://u%@u%@e.example/u", NULL, NULL, &parts),
               "p://u%25@u%25@e.example/u");
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
    assert_false(redirect307_origin_has_host(&parts, "u%25"));
    unit_location("http://a@b@[::1]:8080/", NULL, NULL, &parts);
    assert_true(redirect307_origin_has_host(&parts, "::1"));
    unit_location("http://a:b@e.example:80", NULL, NULL, &parts);
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
    assert_false(redirect307_origin_has_host(&parts, "a"));
}

/* fuzz/corpus/target/literal-two-hashes, literal-args-hash: a Location
 * with two '#', the second one from the target's fragment or from the
 * request's query */
static void one_hash_in_a_location(void **state)
{
    redirect307_parts parts;

    assert_str(unit_location("http://e.example/p#a#b", "q=1", "x", &parts),
               "http://e.example/p/x?q=1#a%23b");
    assert_str(unit_location("http://e.example/p?t=1#a#b##", NULL, NULL,
                             &parts), "http://e.example/p?t=1#a%23b%23%23");
    assert_str(unit_location("http://e.example/p#sec", "q=1#x", NULL,
                             &parts), "http://e.example/p?q=1%23x#sec");
    assert_str(unit_location("/p", "#", NULL, &parts),
               "https://self.example/p?%23");
}

static void one_hash_in_a_template(void **state)
{
    redirect307_template *t;
    redirect307_request req;
    redirect307_parts parts;
    redirect307_span spans[REDIRECT307_MAX_CAPTURES] = {
        {0, 4}, {0, 4}
    };

    memset(&req, 0, sizeof(req));
    req.pool = unit_pool;
    req.args = "a#b";
    assert_null(redirect307_parse_template(unit_pool, unit_pool,
                                           "https://n.example/p#a#$1", 1,
                                           NULL, NULL, &t));
    assert_true(redirect307_expand(&req, t, "/x#y", spans, &parts));
    assert_str(redirect307_assemble(&req, &parts, NULL),
               "https://n.example/p?a%23b#a%23%2Fx%23y");
}

static const char *unit_parse_expr(void *baton, const char *text,
                                   apr_size_t len, void **expr)
{
    *expr = apr_pstrmemdup(unit_pool, text, len);
    return NULL;
}

static const char *unit_expr_value(void *baton, const void *expr)
{
    return baton;
}

/* fuzz/corpus/target/expr-escaped-hash: "\#" in a one-argument target
 * put a raw '#' into the path, and "\?" a raw '?', so that the value of an
 * expression after it landed in the query encoded for the path, where '&'
 * and '=' stay raw */
static void escaped_query_and_hash_stay_in_the_path(void **state)
{
    redirect307_template *t;
    redirect307_request req;
    redirect307_parts parts;

    memset(&req, 0, sizeof(req));
    req.pool = unit_pool;
    req.expr_value = unit_expr_value;
    req.baton = "a&b=c#d";
    assert_null(redirect307_parse_template(unit_pool, unit_pool,
                                           "https://n.example/p\\?x=%{X}"
                                           "\\#y?q=\\?%{X}#f\\#", -1,
                                           unit_parse_expr, NULL, &t));
    assert_true(redirect307_expand(&req, t, NULL, NULL, &parts));
    assert_str(redirect307_assemble(&req, &parts, NULL),
               "https://n.example/p%3Fx=a&b=c%23d%23y"
               "?q=%3Fa%26b%3Dc%23d#f%23");
}

/* fuzz/corpus/target/literal-stray-brackets: apr_uri_parse() reads
 * "[[v]6" as the host "[v]" and "[v]" as the host v, and both passed */
static void brackets_around_ipv6_only(void **state)
{
    redirect307_url url;

    assert_non_null(redirect307_parse_url(unit_pool, unit_pool,
                                          "http://[[v]6", &url));
    assert_non_null(redirect307_parse_url(unit_pool, unit_pool,
                                          "http://[v]/", &url));
    assert_non_null(redirect307_parse_url(unit_pool, unit_pool,
                                          "http://u@[e.example]:80/", &url));
    assert_non_null(redirect307_parse_url(unit_pool, unit_pool,
                                          "http://[::1]x/", &url));
    assert_null(redirect307_parse_url(unit_pool, unit_pool,
                                      "http://[::1]/", &url));
    assert_null(redirect307_parse_url(unit_pool, unit_pool,
                                      "http://u:p@[2001:db8::1]:8443/x",
                                      &url));
    assert_null(redirect307_parse_url(unit_pool, unit_pool,
                                      "http://a@b@E.Example:/", &url));
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(userinfo_percent_keeps_the_origin),
    UNIT_TEST(host_after_the_last_at),
    UNIT_TEST(one_hash_in_a_location),
    UNIT_TEST(one_hash_in_a_template),
    UNIT_TEST(escaped_query_and_hash_stay_in_the_path),
    UNIT_TEST(brackets_around_ipv6_only),
};

UNIT_MAIN("fuzzed", tests)
