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
 * Unit tests of redirect307_regex.c: the literal text a regex anchored
 * with '^' requires, and every construct that ends it or gives it up.
 */

#include "unit.h"

/* The literal of regex (options_set 0) is expected; its length must be
 * the string's. */
static void unit_literal(const char *regex, const char *expected)
{
    const char *literal = "unset";
    apr_size_t len = redirect307_regex_literal(unit_pool, regex, 0,
                                               &literal);

    if (!literal || strcmp(literal, expected)) {
        fail_msg("%s: literal '%s', expected '%s'", regex,
                 literal ? literal : "(null)", expected);
    }
    assert_int_equal(len, strlen(expected));
}

/* regex gives the literal up: 0 and NULL. */
static void unit_no_literal(const char *regex, int options_set)
{
    const char *literal = "unset";

    if (redirect307_regex_literal(unit_pool, regex, options_set, &literal)
        || literal) {
        fail_msg("%s: literal '%s', expected none", regex,
                 literal ? literal : "(null)");
    }
}

static void literal_plain(void **state)
{
    unit_literal("^/old/(.*)", "/old/");
    unit_literal("^/old/page.html$", "/old/page");
    unit_literal("^/a/b/c", "/a/b/c");
    unit_literal("^/a-b_c~d,e;f=g&h@i!j'k\"l%m",
                 "/a-b_c~d,e;f=g&h@i!j'k\"l%m");
    unit_literal("^/caf\xc3\xa9/", "/caf\xc3\xa9/");
    unit_literal("^/a]b", "/a");
    unit_literal("^/a}b", "/a");
    /* nothing literal: an empty literal (not NULL), which rules nothing
     * out */
    unit_literal("^", "");
    unit_literal("^.*", "");
    unit_literal("^(/a|/b)", "");
    unit_literal("^[/]a", "");
}

static void literal_ends(void **state)
{
    /* the literal ends at anything but plain characters */
    unit_literal("^/a.b", "/a");
    unit_literal("^/a$", "/a");
    unit_literal("^/a^b", "/a");
    unit_literal("^/a(b)", "/a");
    unit_literal("^/a[b]", "/a");
    unit_literal("^/a+", "/a");
    /* a character with a quantifier that may drop it is left out */
    unit_literal("^/ab*", "/a");
    unit_literal("^/ab?", "/a");
    unit_literal("^/ab{0}", "/a");
    unit_literal("^/ab{2}", "/a");
    unit_literal("^/a{0}", "/");
    unit_literal("^/a*", "/");
    unit_literal("^/*", "");
    /* '+' needs one at least: the character stays */
    unit_literal("^/ab+c", "/ab");
}

static void literal_escapes(void **state)
{
    /* escaped punctuation is the character itself */
    unit_literal("^/a\\.b", "/a.b");
    unit_literal("^/a\\/b", "/a/b");
    unit_literal("^/a\\|b", "/a|b");
    unit_literal("^/a\\(b\\)", "/a(b)");
    unit_literal("^/a\\$\\^\\[\\{\\*\\+\\?\\\\", "/a$^[{*+?\\");
    unit_literal("^/a\\.?", "/a");
    unit_literal("^/a\\.*b", "/a");
    /* letter and digit escapes are classes, assertions or references */
    unit_literal("^/a\\d", "/a");
    unit_literal("^/a\\b", "/a");
    unit_literal("^/a\\w+", "/a");
    unit_literal("^/a\\x41", "/a");
    unit_literal("^/(a)\\1", "/");
    unit_literal("^/a\\", "/a");
}

static void literal_given_up(void **state)
{
    /* no anchor, or options beyond httpd's defaults */
    unit_no_literal("/old/(.*)", 0);
    unit_no_literal("", 0);
    unit_no_literal(" ^/a", 0);
    unit_no_literal("^/old/(.*)", 1);
    /* inline options, comments, verbs, quoting, control characters */
    unit_no_literal("^/a(?i)b", 0);
    unit_no_literal("(?i)^/a", 0);
    unit_no_literal("^/a(?#c)?", 0);
    unit_no_literal("^/a(?:b)", 0);
    unit_no_literal("^(*UTF)/a", 0);
    unit_no_literal("^/a\\Q.b\\E", 0);
    unit_no_literal("^/a\\Qx", 0);
    unit_no_literal("^/a\\E", 0);
    unit_no_literal("^/a\\cA", 0);
    unit_no_literal("^/a/x\\cA", 0);
}

static void literal_alternation(void **state)
{
    /* a '|' outside every group makes the start optional */
    unit_no_literal("^/a|/b", 0);
    unit_no_literal("^/a/(x)|/b", 0);
    unit_no_literal("^/a)|(b", 0);
    unit_no_literal("^/a/x|", 0);
    /* inside a group it does not */
    unit_literal("^/a/(x|y)", "/a/");
    unit_literal("^/a/((x|y)|z)", "/a/");
    unit_literal("^/a/(x|(y))z", "/a/");
    /* escaped, it is a character */
    unit_no_literal("^/a/\\|x|\\|", 0);
    unit_literal("^/a\\|x", "/a|x");
}

static void literal_classes(void **state)
{
    /* a '|' or ')' in a class is a member, not syntax */
    unit_literal("^/x[|]y", "/x");
    unit_literal("^/x[a|b]y", "/x");
    unit_literal("^/x[\\]|]y", "/x");
    /* a ']' right after '[' or "[^" is a member, as in PCRE */
    unit_literal("^/x[]|]y", "/x");
    unit_literal("^/x[^]|]y", "/x");
    unit_no_literal("^/x[]a]|y", 0);
    unit_no_literal("^/x[^]a]|y", 0);
    /* a class holding '(', ')' or '[' gives up, so does an open one */
    unit_no_literal("^/x[](]", 0);
    unit_no_literal("^/x[^](]", 0);
    unit_no_literal("^/x[(]", 0);
    unit_no_literal("^/x[)]", 0);
    unit_no_literal("^/x[[:alpha:]]", 0);
    unit_no_literal("^/x[a", 0);
    unit_no_literal("^/x[]", 0);
    unit_no_literal("^/x[\\]", 0);
    unit_no_literal("^/x[\\", 0);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(literal_plain),
    UNIT_TEST(literal_ends),
    UNIT_TEST(literal_escapes),
    UNIT_TEST(literal_given_up),
    UNIT_TEST(literal_alternation),
    UNIT_TEST(literal_classes),
};

UNIT_MAIN("redirect307_regex", tests)
