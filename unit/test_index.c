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
 * Unit tests of redirect307_index.c: scopes, the prefix index and its
 * first match in configuration order, by hand and against a linear
 * first-match oracle on random rules and paths.
 */

#include "unit.h"

/* A rule of kind with url_path (prefix rules). */
static redirect307_rule *unit_rule(redirect307_kind kind,
                                   const char *url_path)
{
    redirect307_rule *rule = apr_pcalloc(unit_pool, sizeof(*rule));

    rule->kind = kind;
    rule->url_path = url_path;
    rule->file = url_path;
    return rule;
}

/* A scope of prefix rules with the URL-paths given, in order; the rules in
 * rules[] (which has room for them all). */
static redirect307_scope *unit_scope(const char *const *url_paths, int n,
                                     redirect307_rule **rules)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "test");
    int i;

    for (i = 0; i < n; i++) {
        rules[i] = unit_rule(REDIRECT307_PREFIX, url_paths[i]);
        redirect307_scope_add(unit_pool, scope, rules[i]);
    }
    return scope;
}

/* index_find finds expected (NULL: nothing) for path, with the remainder
 * starting at path + offset. */
static void unit_find(const redirect307_scope *scope, const char *path,
                      const redirect307_rule *expected, apr_size_t offset)
{
    const char *remainder = "unset";
    const redirect307_rule *found =
        redirect307_index_find(unit_pool, scope, path, &remainder);

    if (found != expected) {
        fail_msg("%s: found %s, expected %s", path,
                 found ? found->url_path : "nothing",
                 expected ? expected->url_path : "nothing");
    }
    if (expected) {
        assert_ptr_equal(remainder, path + offset);
    }
    else {
        assert_null(remainder);
    }
}

static void scope_make(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "vhost a");
    const char *remainder = "unset";

    assert_str(scope->name, "vhost a");
    assert_int_equal(scope->count, 0);
    assert_int_equal(scope->prefixes, 0);
    assert_null(scope->slots);
    assert_null(scope->regexes);
    assert_int_equal(scope->indexed, 0);
    assert_int_equal(scope->sequential->nelts, 0);
    assert_null(redirect307_index_find(unit_pool, scope, "/a", &remainder));
    assert_null(remainder);
}

static void scope_add_positions(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "s");
    redirect307_rule *a = unit_rule(REDIRECT307_PREFIX, "/a");
    redirect307_rule *re = unit_rule(REDIRECT307_REGEX, NULL);
    redirect307_rule *b = unit_rule(REDIRECT307_PREFIX, "/a/b/");
    redirect307_rule *map = unit_rule(REDIRECT307_MAP, NULL);
    redirect307_rule *section = unit_rule(REDIRECT307_SECTION, NULL);

    assert_null(redirect307_scope_add(unit_pool, scope, a));
    assert_null(redirect307_scope_add(unit_pool, scope, re));
    assert_null(redirect307_scope_add(unit_pool, scope, b));
    assert_null(redirect307_scope_add(unit_pool, scope, map));
    assert_null(redirect307_scope_add(unit_pool, scope, section));
    assert_int_equal(a->position, 0);
    assert_int_equal(re->position, 1);
    assert_int_equal(b->position, 2);
    assert_int_equal(map->position, 3);
    assert_int_equal(section->position, 4);
    assert_int_equal(scope->count, 5);
    /* the prefix rules are in the table */
    assert_int_equal(scope->prefixes, 2);
    /* the other rules are kept in order, the prefix rules are not */
    assert_int_equal(scope->sequential->nelts, 3);
    assert_ptr_equal(APR_ARRAY_IDX(scope->sequential, 0, redirect307_rule *),
                     re);
    assert_ptr_equal(APR_ARRAY_IDX(scope->sequential, 1, redirect307_rule *),
                     map);
    assert_ptr_equal(APR_ARRAY_IDX(scope->sequential, 2, redirect307_rule *),
                     section);
}

static void scope_add_duplicates(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "s");
    redirect307_rule *a = unit_rule(REDIRECT307_PREFIX, "/a/b");
    redirect307_rule *a2 = unit_rule(REDIRECT307_PREFIX, "/a/b");
    redirect307_rule *a3 = unit_rule(REDIRECT307_PREFIX, "//a///b");
    redirect307_rule *slash = unit_rule(REDIRECT307_PREFIX, "/a/b/");
    redirect307_rule *slash2 = unit_rule(REDIRECT307_PREFIX, "/a/b//");
    redirect307_rule *root = unit_rule(REDIRECT307_PREFIX, "/");
    redirect307_rule *root2 = unit_rule(REDIRECT307_PREFIX, "///");

    /* the same URL-path twice: the earlier hides the later */
    assert_null(redirect307_scope_add(unit_pool, scope, a));
    assert_ptr_equal(redirect307_scope_add(unit_pool, scope, a2), a);
    /* runs of '/' count as one */
    assert_ptr_equal(redirect307_scope_add(unit_pool, scope, a3), a);
    /* "/a/b/" is another URL-path than "/a/b" */
    assert_null(redirect307_scope_add(unit_pool, scope, slash));
    assert_ptr_equal(redirect307_scope_add(unit_pool, scope, slash2), slash);
    assert_null(redirect307_scope_add(unit_pool, scope, root));
    assert_ptr_equal(redirect307_scope_add(unit_pool, scope, root2), root);
    /* hidden rules still take their position */
    assert_int_equal(root2->position, 6);
    /* "/a/b", "/a/b/" and "/" */
    assert_int_equal(scope->prefixes, 3);
    unit_find(scope, "/a/b", a, 4);
    unit_find(scope, "/a/b/x", a, 4);
    unit_find(scope, "/x", root, 1);
}

static void find_exact_and_slash(void **state)
{
    static const char *const paths[] = { "/old", "/dir/", "/a/b/c" };
    redirect307_rule *r[3];
    redirect307_scope *scope = unit_scope(paths, 3, r);

    /* "/old" covers "/old", "/old/" and "/old/...", never "/oldx" */
    unit_find(scope, "/old", r[0], 4);
    unit_find(scope, "/old/", r[0], 4);
    unit_find(scope, "/old/x/y", r[0], 4);
    unit_find(scope, "/old//x", r[0], 4);
    unit_find(scope, "//old", r[0], 5);
    unit_find(scope, "/oldx", NULL, 0);
    unit_find(scope, "/ol", NULL, 0);
    unit_find(scope, "/", NULL, 0);
    unit_find(scope, "", NULL, 0);
    /* "/dir/" covers only paths that go on after "/dir/" */
    unit_find(scope, "/dir", NULL, 0);
    unit_find(scope, "/dir/", r[1], 5);
    unit_find(scope, "/dir/x", r[1], 5);
    unit_find(scope, "/dir//x", r[1], 5);
    unit_find(scope, "/dirx/", NULL, 0);
    /* deeper rules: the walk stops where the index ends */
    unit_find(scope, "/a/b/c", r[2], 6);
    unit_find(scope, "/a//b//c//d", r[2], 8);
    unit_find(scope, "/a/b", NULL, 0);
    unit_find(scope, "/a/b/cd", NULL, 0);
    unit_find(scope, "/a/x/c", NULL, 0);
}

static void find_root(void **state)
{
    static const char *const paths[] = { "/", "/a" };
    static const char *const later[] = { "/a", "/" };
    redirect307_rule *r[2];
    redirect307_scope *scope = unit_scope(paths, 1, r);

    /* "/" alone: every path, the remainder after the first '/' */
    assert_int_equal(scope->prefixes, 1);
    unit_find(scope, "/", r[0], 1);
    unit_find(scope, "/x/y", r[0], 1);
    unit_find(scope, "//x", r[0], 1);
    /* "/" first hides every later rule */
    scope = unit_scope(paths, 2, r);
    unit_find(scope, "/a", r[0], 1);
    unit_find(scope, "/a/b", r[0], 1);
    /* "/" last still answers what the others do not */
    scope = unit_scope(later, 2, r);
    unit_find(scope, "/a/b", r[0], 2);
    unit_find(scope, "/b", r[1], 1);
    unit_find(scope, "/ab", r[1], 1);
}

static void find_overlapping(void **state)
{
    static const char *const short_first[] = { "/a", "/a/b", "/a/" };
    static const char *const long_first[] = { "/a/b/", "/a/b", "/a" };
    redirect307_rule *r[3];
    redirect307_scope *scope = unit_scope(short_first, 3, r);

    /* the first rule in configuration order wins, not the longest */
    unit_find(scope, "/a/b/c", r[0], 2);
    unit_find(scope, "/a/", r[0], 2);
    unit_find(scope, "/a", r[0], 2);
    scope = unit_scope(long_first, 3, r);
    unit_find(scope, "/a/b/c", r[0], 5);
    unit_find(scope, "/a/b/", r[0], 5);
    unit_find(scope, "/a/b", r[1], 4);
    unit_find(scope, "/a/bc", r[2], 2);
    unit_find(scope, "/a", r[2], 2);
    unit_find(scope, "/a//b//c", r[0], 6);
}

static void find_slash_before_exact(void **state)
{
    static const char *const paths[] = { "/a/", "/a" };
    redirect307_rule *r[2];
    redirect307_scope *scope = unit_scope(paths, 2, r);

    unit_find(scope, "/a/x", r[0], 3);
    unit_find(scope, "/a/", r[0], 3);
    unit_find(scope, "/a", r[1], 2);
}

/* --------------------------------------------------------------------
 * Random rules against a linear first-match oracle
 */

/* xorshift32: the same sequence on every machine */
static apr_uint32_t unit_seed;

static apr_uint32_t unit_random(apr_uint32_t n)
{
    unit_seed ^= unit_seed << 13;
    unit_seed ^= unit_seed >> 17;
    unit_seed ^= unit_seed << 5;
    return unit_seed % n;
}

/* A path: up to depth segments from a small alphabet, each after a run of
 * one to three '/', sometimes a trailing run; only slashes when it has no
 * segment. */
static const char *unit_random_path(int depth)
{
    static const char *const segments[] = { "a", "b", "ab", "a.b", "c" };
    const char *path = "";
    int i, n = (int)unit_random(depth + 1);

    for (i = 0; i < n; i++) {
        path = apr_pstrcat(unit_pool, path, unit_random(4) ? "/"
                           : unit_random(2) ? "//" : "///",
                           segments[unit_random(5)], NULL);
    }
    if (!n || !unit_random(3)) {
        path = apr_pstrcat(unit_pool, path, unit_random(3) ? "/" : "//",
                           NULL);
    }
    return path;
}

/* A URL-path for a rule: rarely only slashes, as those cover every path. */
static const char *unit_random_url_path(void)
{
    const char *url_path;

    do {
        url_path = unit_random_path(3);
    } while (strspn(url_path, "/") == strlen(url_path) && unit_random(8));
    return url_path;
}

/* The oracle's reading of rule on path: the rule's segments must be the
 * path's first segments ('/' runs count as one).  A URL-path without a
 * trailing '/' then needs the end of the path or a '/'; one with it needs
 * a '/' and the remainder starts after it.  Returns the remainder's offset
 * in path, or -1. */
static int unit_oracle_covers(const char *url_path, const char *path)
{
    const char *r = url_path, *s = path;
    int trailing = url_path[strlen(url_path) - 1] == '/';

    for (;;) {
        apr_size_t rlen, slen;

        while (*r == '/') {
            r++;
        }
        if (!*r) {
            break;
        }
        while (*s == '/') {
            s++;
        }
        rlen = strcspn(r, "/");
        slen = strcspn(s, "/");
        if (rlen != slen || memcmp(r, s, rlen)) {
            return -1;
        }
        r += rlen;
        s += slen;
    }
    if (!trailing) {
        return (*s == '\0' || *s == '/') ? (int)(s - path) : -1;
    }
    if (s == path) {
        return 1;               /* "/" covers every path */
    }
    return *s == '/' ? (int)(s - path) + 1 : -1;
}

static void find_against_oracle(void **state)
{
    int scopes, cases = 0, hits = 0, later = 0;

    unit_seed = 20260101;
    for (scopes = 0; scopes < 400; scopes++) {
        redirect307_rule *rules[12];
        const char *url_paths[12];
        redirect307_scope *scope;
        int i, n = 1 + (int)unit_random(12), q;

        for (i = 0; i < n; i++) {
            url_paths[i] = unit_random_url_path();
        }
        scope = unit_scope(url_paths, n, rules);
        for (q = 0; q < 12; q++, cases++) {
            const char *path = unit_random_path(4);
            int offset = -1;

            for (i = 0; i < n && offset < 0; i++) {
                offset = unit_oracle_covers(url_paths[i], path);
            }
            unit_find(scope, path, offset < 0 ? NULL : rules[i - 1],
                      offset < 0 ? 0 : (apr_size_t)offset);
            hits += (offset >= 0);
            later += (offset >= 0 && i > 1);
        }
    }
    /* the cases reach every outcome: no rule, the first, a later one */
    assert_int_equal(cases, 4800);
    assert_in_range(hits, 1500, 3300);
    assert_in_range(hits - later, 300, 4800);
    assert_in_range(later, 1000, 4800);
}

/* A regex rule whose literal start is literal ("" for none). */
static redirect307_rule *unit_regex(const char *literal)
{
    redirect307_rule *rule = unit_rule(REDIRECT307_REGEX, NULL);

    rule->literal = literal;
    rule->literal_len = strlen(literal);
    rule->file = *literal ? literal : "(no literal)";
    return rule;
}

/* scope_lookup gives prefix and the candidates (n of them) for path. */
static void unit_lookup(const redirect307_scope *scope, const char *path,
                        const redirect307_rule *prefix,
                        const redirect307_rule *const *want, int n)
{
    redirect307_lookup found;
    int i;

    redirect307_scope_lookup(unit_pool, scope, path, &found);
    assert_ptr_equal(found.prefix, prefix);
    if (found.ncandidates != n) {
        fail_msg("%s: %d candidates, expected %d", path, found.ncandidates,
                 n);
    }
    for (i = 0; i < n; i++) {
        assert_ptr_equal(found.candidates[i], want[i]);
    }
}

/* Regexes with a literal start are offered to the paths that pass their
 * whole segments, merged in configuration order with the rules tried for
 * every path, up to the first prefix rule. */
static void lookup_regex_candidates(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "s");
    redirect307_rule *r0 = unit_regex("/blog/");
    redirect307_rule *p1 = unit_rule(REDIRECT307_PREFIX, "/blog");
    redirect307_rule *r2 = unit_regex("");
    redirect307_rule *r3 = unit_regex("/x");
    redirect307_rule *r4 = unit_regex("/blog//2");
    redirect307_rule *p5 = unit_rule(REDIRECT307_PREFIX, "/");
    const redirect307_rule *blog[] = { r0, r4 }, *root[] = { r2, r3 };
    const redirect307_rule *all[] = { r0, r2, r3, r4 };

    redirect307_scope_add(unit_pool, scope, r0);
    redirect307_scope_add(unit_pool, scope, p1);
    redirect307_scope_add(unit_pool, scope, r2);
    redirect307_scope_add(unit_pool, scope, r3);
    redirect307_scope_add(unit_pool, scope, r4);
    redirect307_scope_add(unit_pool, scope, p5);
    /* r0, r3 and r4 in the index, r2 tried for every path */
    assert_int_equal(scope->indexed, 3);
    assert_int_equal(scope->sequential->nelts, 1);
    /* before the prefix rule /blog (position 1): only r0 */
    unit_lookup(scope, "/blog/1", p1, blog, 1);
    unit_lookup(scope, "//blog//1", p1, blog, 1);
    /* /blog without a '/' after it passes no literal "/blog/" */
    unit_lookup(scope, "/blog", p1, NULL, 0);
    /* "/" (position 5) lets every candidate of the path in, in order */
    unit_lookup(scope, "/z", p5, root, 2);
    unit_lookup(scope, "/blogs/2", p5, root, 2);
    /* a scope without the prefix rules: no limit */
    scope = redirect307_scope_make(unit_pool, "t");
    redirect307_scope_add(unit_pool, scope, r0);
    redirect307_scope_add(unit_pool, scope, r2);
    redirect307_scope_add(unit_pool, scope, r3);
    redirect307_scope_add(unit_pool, scope, r4);
    unit_lookup(scope, "/blog/2", NULL, all, 4);
    unit_lookup(scope, "/a", NULL, root, 2);
}

/* Without regexes in the index, the candidates are the sequential rules
 * up to the prefix rule, without a copy. */
static void lookup_sequential(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "s");
    redirect307_rule *r0 = unit_regex("");
    redirect307_rule *p1 = unit_rule(REDIRECT307_PREFIX, "/a");
    redirect307_rule *m2 = unit_rule(REDIRECT307_MAP, NULL);
    const redirect307_rule *both[] = { r0, m2 };
    redirect307_lookup found;

    redirect307_scope_add(unit_pool, scope, r0);
    redirect307_scope_add(unit_pool, scope, p1);
    redirect307_scope_add(unit_pool, scope, m2);
    unit_lookup(scope, "/a/x", p1, both, 1);
    unit_lookup(scope, "/b", NULL, both, 2);
    redirect307_scope_lookup(unit_pool, scope, "/b", &found);
    assert_ptr_equal(found.candidates, scope->sequential->elts);
}

/* A reserved table holds what it was reserved for without growing, and
 * grows past it as usual. */
static void scope_reserve(void **state)
{
    redirect307_scope *scope = redirect307_scope_make(unit_pool, "s");
    const redirect307_rule **slots;
    redirect307_rule *rules[40];
    int i;

    redirect307_scope_reserve(unit_pool, scope, 20);
    assert_int_equal(scope->mask + 1, 64);
    slots = scope->slots;
    for (i = 0; i < 40; i++) {
        rules[i] = unit_rule(REDIRECT307_PREFIX,
                             apr_psprintf(unit_pool, "/r%d", i));
        assert_null(redirect307_scope_add(unit_pool, scope, rules[i]));
        if (i < 32) {
            assert_ptr_equal(scope->slots, slots);
        }
    }
    assert_int_equal(scope->mask + 1, 128);
    for (i = 0; i < 40; i++) {
        unit_find(scope, apr_psprintf(unit_pool, "/r%d/x", i), rules[i],
                  strlen(rules[i]->url_path));
    }
    /* a table that exists already is left alone */
    redirect307_scope_reserve(unit_pool, scope, 1000);
    assert_int_equal(scope->mask + 1, 128);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(scope_make),
    UNIT_TEST(scope_add_positions),
    UNIT_TEST(scope_add_duplicates),
    UNIT_TEST(find_exact_and_slash),
    UNIT_TEST(find_root),
    UNIT_TEST(find_overlapping),
    UNIT_TEST(find_slash_before_exact),
    UNIT_TEST(find_against_oracle),
    UNIT_TEST(lookup_regex_candidates),
    UNIT_TEST(lookup_sequential),
    UNIT_TEST(scope_reserve),
};

UNIT_MAIN("redirect307_index", tests)
