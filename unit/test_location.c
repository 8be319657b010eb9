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
 * Unit tests of redirect307_location.c: reading targets with captures and
 * expressions, filling them in, and putting the Location together.  The
 * glue's callbacks are replaced by fakes: an expression parser that records
 * the text it is given, expression values from a table, and a fixed origin
 * for this server.
 */

#include "unit.h"

#define UNIT_SELF "https://self.example:8443"

/* What the fake parser makes of an expression: its text. */
typedef struct {
    const char *text;
} unit_expr;

/* The texts the fake parser was given, in order. */
typedef struct {
    apr_array_header_t *seen;
} unit_parser;

static const char *unit_parse_expr(void *baton, const char *text,
                                   apr_size_t len, void **expr)
{
    unit_parser *parser = baton;
    unit_expr *e = apr_palloc(unit_pool, sizeof(*e));

    e->text = apr_pstrmemdup(unit_pool, text, len);
    *(const char **)apr_array_push(parser->seen) = e->text;
    if (!strcmp(e->text, "%{BAD}")) {
        return "the expression does not parse";
    }
    *expr = e;
    return NULL;
}

/* The value of an expression for the fake request. */
static const char *unit_expr_value(void *baton, const void *expr)
{
    static const char *const values[][2] = {
        {"%{REQUEST_URI}", "/a b"},
        {"%{Q}", "x=1&y"},
        {"%{HOST}", "evil.example/x"},
        {"%{EMPTY}", ""},
        {"%{SLASH}", "a%2fb"},
        {"%{a%{b}c}", "nested"},
    };
    const char *text = ((const unit_expr *)expr)->text;
    apr_size_t i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        if (!strcmp(values[i][0], text)) {
            return values[i][1];
        }
    }
    return NULL;
}

static const char *unit_self_origin(void *baton)
{
    return UNIT_SELF;
}

static redirect307_request unit_request(const char *args, int keep_2f)
{
    redirect307_request req;

    req.pool = unit_pool;
    req.args = args;
    req.keep_2f = keep_2f;
    req.self_origin = unit_self_origin;
    req.expr_value = unit_expr_value;
    req.baton = NULL;
    return req;
}

/* Reads text with ncaptures groups (< 0: expressions); fails the test on
 * an error. */
static redirect307_template *unit_template(const char *text, int ncaptures,
                                           unit_parser *parser)
{
    redirect307_template *t = NULL;
    unit_parser none;

    if (!parser) {
        none.seen = apr_array_make(unit_pool, 1, sizeof(const char *));
        parser = &none;
    }
    assert_str(redirect307_parse_template(unit_pool, unit_pool, text,
                                          ncaptures, unit_parse_expr, parser,
                                          &t), NULL);
    assert_non_null(t);
    return t;
}

/* The error reading text gives. */
static const char *unit_template_error(const char *text, int ncaptures)
{
    redirect307_template *t = NULL;
    unit_parser parser;

    parser.seen = apr_array_make(unit_pool, 1, sizeof(const char *));
    return redirect307_parse_template(unit_pool, unit_pool, text, ncaptures,
                                      unit_parse_expr, &parser, &t);
}

/* Checks piece i of t: its part, capture, text, and expression text. */
static void unit_piece(const redirect307_template *t, int i,
                       redirect307_part part, int capture, const char *text,
                       const char *expr)
{
    const redirect307_piece *piece;

    assert_true(i < t->pieces->nelts);
    piece = &APR_ARRAY_IDX(t->pieces, i, redirect307_piece);
    assert_int_equal(piece->part, part);
    assert_int_equal(piece->capture, capture);
    assert_str(piece->text, text);
    if (expr) {
        assert_non_null(piece->expr);
        assert_str(((const unit_expr *)piece->expr)->text, expr);
    }
    else {
        assert_null(piece->expr);
    }
}

/* --------------------------------------------------------------------
 * Reading targets
 */

static void template_captures(void **state)
{
    redirect307_template *t =
        unit_template("http://new.example/a/$1?x=$2#f$0", 2, NULL);

    assert_str(t->origin, "http://new.example");
    assert_int_equal(t->has_query, 1);
    assert_int_equal(t->has_fragment, 1);
    assert_int_equal(t->pieces->nelts, 6);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/a/", NULL);
    unit_piece(t, 1, REDIRECT307_IN_PATH, 1, NULL, NULL);
    unit_piece(t, 2, REDIRECT307_IN_QUERY, -1, "x=", NULL);
    unit_piece(t, 3, REDIRECT307_IN_QUERY, 2, NULL, NULL);
    unit_piece(t, 4, REDIRECT307_IN_FRAGMENT, -1, "f", NULL);
    unit_piece(t, 5, REDIRECT307_IN_FRAGMENT, 0, NULL, NULL);

    t = unit_template("/$1$2", 2, NULL);
    assert_null(t->origin);
    assert_int_equal(t->has_query, 0);
    assert_int_equal(t->has_fragment, 0);
    assert_int_equal(t->pieces->nelts, 3);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/", NULL);
    unit_piece(t, 1, REDIRECT307_IN_PATH, 1, NULL, NULL);
    unit_piece(t, 2, REDIRECT307_IN_PATH, 2, NULL, NULL);

    t = unit_template("http://h", 0, NULL);
    assert_str(t->origin, "http://h");
    assert_int_equal(t->pieces->nelts, 0);
}

static void template_literal_text(void **state)
{
    redirect307_template *t;

    /* "\$" is a '$'; a '$' before no digit is one too */
    t = unit_template("/p\\$1/$x$", 1, NULL);
    assert_int_equal(t->pieces->nelts, 1);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/p$1/$x$", NULL);
    /* literal text is cleaned, a backslash before anything else kept */
    t = unit_template("/a b/\\x/%{X}", 0, NULL);
    assert_int_equal(t->pieces->nelts, 1);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/a%20b/%5Cx/%25%7BX%7D",
               NULL);
    /* the first '?' starts the query, the first '#' the fragment; later
     * ones are text */
    t = unit_template("/a?b?c#d#e?f", 0, NULL);
    assert_int_equal(t->has_query, 1);
    assert_int_equal(t->has_fragment, 1);
    assert_int_equal(t->pieces->nelts, 3);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/a", NULL);
    unit_piece(t, 1, REDIRECT307_IN_QUERY, -1, "b?c", NULL);
    unit_piece(t, 2, REDIRECT307_IN_FRAGMENT, -1, "d%23e?f", NULL);
    /* a fragment without a query; an empty query */
    t = unit_template("/a#b?c", 0, NULL);
    assert_int_equal(t->has_query, 0);
    assert_int_equal(t->has_fragment, 1);
    unit_piece(t, 1, REDIRECT307_IN_FRAGMENT, -1, "b?c", NULL);
    t = unit_template("/x?", 1, NULL);
    assert_int_equal(t->has_query, 1);
    assert_int_equal(t->pieces->nelts, 1);
}

static void template_captures_refused(void **state)
{
    assert_str(unit_template_error("$1/x", 1), "the target must not start "
               "with a capture: its scheme and host must be written "
               "literally");
    assert_str(unit_template_error("$x", 1), "the target must not start "
               "with a capture: its scheme and host must be written "
               "literally");
    assert_str(unit_template_error("/a/$3", 2), "the target uses $3, but the "
               "regular expression has 2 groups");
    assert_str(unit_template_error("/a/$2", 1), "the target uses $2, but the "
               "regular expression has 1 group");
    assert_str(unit_template_error("/a?$1", 0), "the target uses $1, but the "
               "regular expression has 0 groups");
    assert_str(unit_template_error("http://h$1/", 1), "the scheme and host "
               "of the target must be literal text: no capture or variable "
               "before the path");
    assert_str(unit_template_error("http://h:$1/", 1), "the scheme and host "
               "of the target must be literal text: no capture or variable "
               "before the path");
    assert_str(unit_template_error("new/$1", 1), "the target is neither an "
               "absolute URL (scheme://host/...) nor a path starting with "
               "'/'");
    /* $0 exists without groups */
    unit_template("/a/$0", 0, NULL);
}

static void template_expressions(void **state)
{
    unit_parser parser;
    redirect307_template *t;

    parser.seen = apr_array_make(unit_pool, 4, sizeof(const char *));
    t = unit_template("%{REQUEST_URI}", -1, &parser);
    assert_null(t->origin);
    assert_int_equal(t->pieces->nelts, 1);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, NULL, "%{REQUEST_URI}");
    assert_int_equal(parser.seen->nelts, 1);

    parser.seen->nelts = 0;
    t = unit_template("https://new.example%{REQUEST_URI}?from=%{Q}#%{a%{b}c}",
                      -1, &parser);
    assert_str(t->origin, "https://new.example");
    assert_int_equal(t->has_query, 1);
    assert_int_equal(t->has_fragment, 1);
    assert_int_equal(t->pieces->nelts, 4);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, NULL, "%{REQUEST_URI}");
    unit_piece(t, 1, REDIRECT307_IN_QUERY, -1, "from=", NULL);
    unit_piece(t, 2, REDIRECT307_IN_QUERY, -1, NULL, "%{Q}");
    unit_piece(t, 3, REDIRECT307_IN_FRAGMENT, -1, NULL, "%{a%{b}c}");
    assert_int_equal(parser.seen->nelts, 3);
    assert_str(APR_ARRAY_IDX(parser.seen, 0, const char *), "%{REQUEST_URI}");
    assert_str(APR_ARRAY_IDX(parser.seen, 1, const char *), "%{Q}");
    assert_str(APR_ARRAY_IDX(parser.seen, 2, const char *), "%{a%{b}c}");

    /* a backslash escapes the next byte, inside braces too */
    parser.seen->nelts = 0;
    t = unit_template("/p/\\%{X}\\$%{x\\}y}", -1, &parser);
    assert_int_equal(t->pieces->nelts, 2);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/p/%25%7BX%7D$", NULL);
    unit_piece(t, 1, REDIRECT307_IN_PATH, -1, NULL, "%{x\\}y}");
    assert_int_equal(parser.seen->nelts, 1);

    /* a '%' before anything but '{' is text, in braces too; so is a
     * backslash at the end */
    parser.seen->nelts = 0;
    t = unit_template("/a%41%{a%b}/\\", -1, &parser);
    assert_int_equal(t->pieces->nelts, 3);
    unit_piece(t, 0, REDIRECT307_IN_PATH, -1, "/a%41", NULL);
    unit_piece(t, 1, REDIRECT307_IN_PATH, -1, NULL, "%{a%b}");
    unit_piece(t, 2, REDIRECT307_IN_PATH, -1, "/%5C", NULL);
}

static void template_expressions_refused(void **state)
{
    assert_str(unit_template_error("/a/$1", -1), "'$N' has no meaning in a "
               "one-argument Redirect307; use Redirect307Match for captures");
    assert_str(unit_template_error("/a%{X", -1),
               "unterminated '%{' in the target");
    assert_str(unit_template_error("/a%{X%{Y}", -1),
               "unterminated '%{' in the target");
    assert_str(unit_template_error("/a%{X\\}", -1),
               "unterminated '%{' in the target");
    assert_str(unit_template_error("/a%{X\\", -1),
               "unterminated '%{' in the target");
    assert_str(unit_template_error("/a/%{BAD}", -1),
               "the expression does not parse");
    assert_str(unit_template_error("http://h:%{X}", -1), "the scheme and "
               "host of the target must be literal text: no capture or "
               "variable before the path");
    assert_str(unit_template_error("http://%{X}/", -1), "the scheme and host "
               "of the target must be literal text: no capture or variable "
               "before the path");
    assert_str(unit_template_error("x%{X}", -1), "the target is neither an "
               "absolute URL (scheme://host/...) nor a path starting with "
               "'/'");
    assert_str(unit_template_error("%x", -1), "the target is neither an "
               "absolute URL (scheme://host/...) nor a path starting with "
               "'/'");
}

/* --------------------------------------------------------------------
 * Filling in templates
 */

/* The Location of t for the subject and spans, or NULL when it has none. */
static const char *unit_expand(const char *text, int ncaptures,
                               const char *subject,
                               const redirect307_span *spans,
                               const char *args, int keep_2f)
{
    redirect307_request req = unit_request(args, keep_2f);
    redirect307_parts parts;

    if (!redirect307_expand(&req, unit_template(text, ncaptures, NULL),
                            subject, spans, &parts)) {
        return NULL;
    }
    return redirect307_assemble(&req, &parts, NULL);
}

static void expand_captures(void **state)
{
    const char *subject = "/old/b c/d&e=f";
    const redirect307_span spans[3] = { {0, 14}, {5, 10}, {10, 14} };
    const redirect307_span unmatched[2] = { {0, 4}, {-1, -1} };
    const redirect307_span slash[2] = { {0, 5}, {0, 5} };

    assert_str(unit_expand("http://new.example/a/$1?x=$2#f$0", 2, subject,
                           spans, NULL, 0),
               "http://new.example/a/b%20c/d?x=%26e%3Df"
               "#f%2Fold%2Fb+c%2Fd%26e%3Df");
    assert_str(unit_expand("http://new.example/a/$1?x=$2", 2, subject, spans,
                           "utm=1", 0),
               "http://new.example/a/b%20c/d?x=%26e%3Df&utm=1");
    assert_str(unit_expand("/n/$1$2", 2, subject, spans, NULL, 0),
               UNIT_SELF "/n/b%20c/d&e=f");
    /* a group that took no part is empty */
    assert_str(unit_expand("/n/$1/x", 1, "/old", unmatched, NULL, 0),
               UNIT_SELF "/n//x");
    /* "%2F" stays one escape under keep_2f */
    assert_str(unit_expand("/n/$1?q=$1", 1, "a%2fb", slash, NULL, 1),
               UNIT_SELF "/n/a%2Fb?q=a%2Fb");
    assert_str(unit_expand("/n/$1?q=$1", 1, "a%2fb", slash, NULL, 0),
               UNIT_SELF "/n/a%252fb?q=a%252fb");
}

static void expand_expressions(void **state)
{
    assert_str(unit_expand("%{REQUEST_URI}", -1, NULL, NULL, NULL, 0),
               UNIT_SELF "/a%20b");
    assert_str(unit_expand("https://new.example%{REQUEST_URI}?from=%{Q}",
                           -1, NULL, NULL, "k=v", 0),
               "https://new.example/a%20b?from=x%3D1%26y&k=v");
    /* a value right after the host is a path: it never extends the host */
    assert_str(unit_expand("https://new.example%{HOST}", -1, NULL, NULL,
                           NULL, 0), "https://new.example/evil.example/x");
    assert_str(unit_expand("https://new.example:8080%{HOST}", -1, NULL, NULL,
                           NULL, 0),
               "https://new.example:8080/evil.example/x");
    /* and so is a value at the start of the target */
    assert_str(unit_expand("%{HOST}", -1, NULL, NULL, NULL, 0),
               UNIT_SELF "/evil.example/x");
    /* an empty value: nothing after a host, "/" for this server */
    assert_str(unit_expand("https://new.example%{EMPTY}", -1, NULL, NULL,
                           NULL, 0), "https://new.example");
    assert_str(unit_expand("%{EMPTY}", -1, NULL, NULL, NULL, 0),
               UNIT_SELF "/");
    assert_str(unit_expand("/p%{EMPTY}#%{a%{b}c}", -1, NULL, NULL, NULL, 0),
               UNIT_SELF "/p#nested");
    assert_str(unit_expand("/p/%{SLASH}", -1, NULL, NULL, NULL, 1),
               UNIT_SELF "/p/a%2Fb");
    /* no value: no Location */
    assert_str(unit_expand("/p/%{NONE}", -1, NULL, NULL, NULL, 0), NULL);
    assert_str(unit_expand("/p?%{NONE}", -1, NULL, NULL, NULL, 0), NULL);
}

static void expand_parts(void **state)
{
    redirect307_request req = unit_request(NULL, 0);
    redirect307_parts parts;

    assert_int_equal(redirect307_expand(&req, unit_template("http://h/p?", 0,
                                                            NULL),
                                        "", NULL, &parts), 1);
    assert_str(parts.origin, "http://h");
    assert_int_equal(parts.origin_len, 8);
    assert_str(parts.path, "/p");
    assert_int_equal(parts.path_len, 2);
    assert_str(parts.query, "");
    assert_int_equal(parts.query_len, 0);
    assert_null(parts.fragment);
    assert_int_equal(parts.fragment_len, 0);

    assert_int_equal(redirect307_expand(&req, unit_template("/#f", 0, NULL),
                                        "", NULL, &parts), 1);
    assert_null(parts.origin);
    assert_int_equal(parts.origin_len, 0);
    assert_str(parts.path, "/");
    assert_null(parts.query);
    assert_str(parts.fragment, "f");
    assert_int_equal(parts.fragment_len, 1);
}

/* --------------------------------------------------------------------
 * Targets without request data and the Location
 */

/* The parts of a literal target. */
static redirect307_parts unit_url_parts(const char *text)
{
    redirect307_url url;
    redirect307_parts parts;

    assert_str(redirect307_parse_url(unit_pool, unit_pool, text, &url), NULL);
    redirect307_url_parts(&url, &parts);
    return parts;
}

/* The Location of a literal target with a remainder and a query. */
static const char *unit_location(const char *target, const char *remainder,
                                 const char *args, int keep_2f)
{
    redirect307_request req = unit_request(args, keep_2f);
    redirect307_parts parts = unit_url_parts(target);

    return redirect307_assemble(&req, &parts, remainder);
}

static void url_parts(void **state)
{
    redirect307_parts parts = unit_url_parts("http://e.example/p?a=1#f");

    assert_int_equal(parts.origin_len, 16);
    assert_memory_equal(parts.origin, "http://e.example", 16);
    assert_int_equal(parts.path_len, 2);
    assert_memory_equal(parts.path, "/p", 2);
    assert_int_equal(parts.query_len, 3);
    assert_memory_equal(parts.query, "a=1", 3);
    assert_int_equal(parts.fragment_len, 1);
    assert_str(parts.fragment, "f");

    parts = unit_url_parts("/p");
    assert_null(parts.origin);
    assert_int_equal(parts.origin_len, 0);
    assert_str(parts.path, "/p");
    assert_null(parts.query);
    assert_int_equal(parts.query_len, 0);
    assert_null(parts.fragment);
    assert_int_equal(parts.fragment_len, 0);

    parts = unit_url_parts("/p?#");
    assert_int_equal(parts.path_len, 2);
    assert_non_null(parts.query);
    assert_int_equal(parts.query_len, 0);
    assert_str(parts.fragment, "");

    parts = unit_url_parts("http://h");
    assert_int_equal(parts.origin_len, 8);
    assert_int_equal(parts.path_len, 0);
    assert_null(parts.query);
    assert_null(parts.fragment);
}

static void assemble_remainder(void **state)
{
    /* joined with exactly one '/' */
    assert_str(unit_location("/new", "x", NULL, 0), UNIT_SELF "/new/x");
    assert_str(unit_location("/new/", "x", NULL, 0), UNIT_SELF "/new/x");
    assert_str(unit_location("/new/", "/x", NULL, 0), UNIT_SELF "/new/x");
    assert_str(unit_location("/new", "//x", NULL, 0), UNIT_SELF "/new/x");
    assert_str(unit_location("/new//", "x/", NULL, 0), UNIT_SELF "/new//x/");
    assert_str(unit_location("/new", "/", NULL, 0), UNIT_SELF "/new/");
    assert_str(unit_location("/new/", "///", NULL, 0), UNIT_SELF "/new/");
    assert_str(unit_location("/new", "", NULL, 0), UNIT_SELF "/new");
    assert_str(unit_location("/new", NULL, NULL, 0), UNIT_SELF "/new");
    assert_str(unit_location("http://h", "x", NULL, 0), "http://h/x");
    assert_str(unit_location("http://h", NULL, NULL, 0), "http://h");
    assert_str(unit_location("http://h", "/", NULL, 0), "http://h/");
    /* encoded for the path */
    assert_str(unit_location("/new", "a b?c#d%e/\r\n", NULL, 0),
               UNIT_SELF "/new/a%20b%3Fc%23d%25e/%0D%0A");
    assert_str(unit_location("/new", "a%2fb", NULL, 1),
               UNIT_SELF "/new/a%2Fb");
    assert_str(unit_location("/new", "a%2fb", NULL, 0),
               UNIT_SELF "/new/a%252fb");
}

static void assemble_query(void **state)
{
    /* Merge: target-query&request-query */
    assert_str(unit_location("/p?a=1", NULL, "b=2", 0),
               UNIT_SELF "/p?a=1&b=2");
    assert_str(unit_location("/p", NULL, "b=2", 0), UNIT_SELF "/p?b=2");
    assert_str(unit_location("/p?", NULL, "b=2", 0), UNIT_SELF "/p?b=2");
    /* Discard (no args) keeps the target's query, even an empty one */
    assert_str(unit_location("/p?a=1", NULL, NULL, 0), UNIT_SELF "/p?a=1");
    assert_str(unit_location("/p?", NULL, NULL, 0), UNIT_SELF "/p?");
    /* an empty request query adds nothing */
    assert_str(unit_location("/p", NULL, "", 0), UNIT_SELF "/p");
    assert_str(unit_location("/p?a=1", NULL, "", 0), UNIT_SELF "/p?a=1");
    /* the request's query is cleaned, never encoded again */
    assert_str(unit_location("/p", NULL, "a b&c=%zz&d=%41&e=%2f", 0),
               UNIT_SELF "/p?a%20b&c=%25zz&d=%41&e=%2f");
    assert_str(unit_location("/p", NULL, "x\r\n", 0), UNIT_SELF "/p?x%0D%0A");
}

static void assemble_fragment(void **state)
{
    /* the fragment stays last */
    assert_str(unit_location("http://e.example/p#sec", "/x", "q=1", 0),
               "http://e.example/p/x?q=1#sec");
    assert_str(unit_location("http://e.example/p?a#sec", "x", "q=1", 0),
               "http://e.example/p/x?a&q=1#sec");
    assert_str(unit_location("/p#", NULL, "q", 0), UNIT_SELF "/p?q#");
    assert_str(unit_location("/p?#", "x", NULL, 0), UNIT_SELF "/p/x?#");
    /* a second '#' in the fragment is sent as %23: one '#' a Location */
    assert_str(unit_location("/p#a#b?c", "x", NULL, 0),
               UNIT_SELF "/p/x#a%23b?c");
}

static void origin_has_host(void **state)
{
    redirect307_parts parts = unit_url_parts("http://Example.COM:80/p");

    assert_int_equal(redirect307_origin_has_host(&parts, "example.com"), 1);
    assert_int_equal(redirect307_origin_has_host(&parts, "example.co"), 0);
    assert_int_equal(redirect307_origin_has_host(&parts, "example.com.x"), 0);
    parts = unit_url_parts("http://user:pw@example.com");
    assert_int_equal(redirect307_origin_has_host(&parts, "example.com"), 1);
    assert_int_equal(redirect307_origin_has_host(&parts, "user"), 0);
    parts = unit_url_parts("http://example.com.evil/");
    assert_int_equal(redirect307_origin_has_host(&parts, "example.com"), 0);
    parts = unit_url_parts("http://[::1]:8080/");
    assert_int_equal(redirect307_origin_has_host(&parts, "::1"), 1);
    assert_int_equal(redirect307_origin_has_host(&parts, "::2"), 0);
    assert_int_equal(redirect307_origin_has_host(&parts, "::"), 0);
    parts = unit_url_parts("https://[2001:DB8::1]");
    assert_int_equal(redirect307_origin_has_host(&parts, "2001:db8::1"), 1);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(template_captures),
    UNIT_TEST(template_literal_text),
    UNIT_TEST(template_captures_refused),
    UNIT_TEST(template_expressions),
    UNIT_TEST(template_expressions_refused),
    UNIT_TEST(expand_captures),
    UNIT_TEST(expand_expressions),
    UNIT_TEST(expand_parts),
    UNIT_TEST(url_parts),
    UNIT_TEST(assemble_remainder),
    UNIT_TEST(assemble_query),
    UNIT_TEST(assemble_fragment),
    UNIT_TEST(origin_has_host),
};

UNIT_MAIN("redirect307_location", tests)
