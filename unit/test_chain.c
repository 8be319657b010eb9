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
 * Unit tests of redirect307_chain.c: chains and loops of a server's rules,
 * on rule sets written here and on generated ones, compared with a
 * brute-force oracle that follows every start request by request.  The
 * "regex" of a rule here is an apr_fnmatch() pattern.
 */

#include <stdlib.h>

#include "apr_fnmatch.h"
#include "apr_hash.h"

#include "unit.h"

/* --------------------------------------------------------------------
 * Building rule sets
 */

typedef struct {
    redirect307_scope *scope;
    apr_array_header_t *rules;  /* redirect307_rule *, in order */
    redirect307_chain_self self;
    int merge;
    apr_size_t max_url;         /* 0: the walker's own */
    int line;
    apr_hash_t *targets;        /* regex rule -> its target as written */
} unit_server;

/* what the walker reported */
typedef struct {
    apr_array_header_t *chains;         /* "start hops final" */
    apr_array_header_t *loops;          /* "first-path hops [grows]" */
} unit_reports;

static void unit_server_init(unit_server *srv)
{
    memset(srv, 0, sizeof(*srv));
    srv->scope = redirect307_scope_make(unit_pool, "main server");
    srv->rules = apr_array_make(unit_pool, 8, sizeof(redirect307_rule *));
    srv->self.scheme = "http";
    srv->self.origin = "http://self.example";
    srv->self.names = apr_array_make(unit_pool, 2, sizeof(const char *));
    *(const char **)apr_array_push(srv->self.names) = "self.example";
    *(const char **)apr_array_push(srv->self.names) = "alias.example";
    srv->self.port = 8080;
    srv->merge = 1;
    srv->targets = apr_hash_make(unit_pool);
}

static redirect307_rule *unit_rule(unit_server *srv, redirect307_kind kind)
{
    redirect307_rule *rule = apr_pcalloc(unit_pool, sizeof(*rule));

    rule->kind = kind;
    rule->file = "t.conf";
    rule->line = (apr_uint32_t)++srv->line;
    return rule;
}

static void unit_add(unit_server *srv, redirect307_rule *rule)
{
    redirect307_scope_add(unit_pool, srv->scope, rule);
    *(redirect307_rule **)apr_array_push(srv->rules) = rule;
}

static void unit_prefix(unit_server *srv, const char *path,
                        const char *target)
{
    redirect307_rule *rule = unit_rule(srv, REDIRECT307_PREFIX);

    rule->url_path = path;
    assert_null(redirect307_parse_url(unit_pool, unit_pool, target,
                                      &rule->url));
    unit_add(srv, rule);
}

/* A "regex" rule: an fnmatch pattern; its literal start is the text
 * before the first '*'. */
static void unit_regex(unit_server *srv, const char *pattern,
                       const char *target)
{
    redirect307_rule *rule = unit_rule(srv, REDIRECT307_REGEX);
    const char *star = strchr(pattern, '*');

    rule->pattern = pattern;
    rule->regex = (void *)pattern;
    rule->literal_len = star ? (apr_size_t)(star - pattern) : strlen(pattern);
    rule->literal = apr_pstrmemdup(unit_pool, pattern, rule->literal_len);
    assert_null(redirect307_parse_template(unit_pool, unit_pool, target,
                                           strchr(target, '$') ? 1 : 0,
                                           NULL, NULL, &rule->target));
    apr_hash_set(srv->targets, redirect307_rule_origin(unit_pool, rule),
                 APR_HASH_KEY_STRING, target);
    unit_add(srv, rule);
}

static void unit_map(unit_server *srv, const char *text)
{
    redirect307_rule *rule = unit_rule(srv, REDIRECT307_MAP);
    redirect307_map *map = redirect307_map_make(unit_pool, "m.map", 0, 0);
    char *buf = apr_pstrdup(unit_pool, text);

    assert_null(redirect307_map_parse(unit_pool, unit_pool, map, buf,
                                      strlen(buf), NULL, NULL));
    rule->map = map;
    unit_add(srv, rule);
}

static int unit_regex_matches(void *baton, const redirect307_rule *rule,
                              const char *path)
{
    return apr_fnmatch(rule->pattern, path, 0) == APR_SUCCESS;
}

static void unit_report(void *baton, const redirect307_chain_report *r)
{
    unit_reports *out = baton;

    if (r->loop) {
        *(const char **)apr_array_push(out->loops) =
            apr_psprintf(unit_pool, "%s %u%s", r->first->path,
                         (unsigned)r->hops, r->grows ? " grows" : "");
    }
    else {
        const redirect307_chain_hop *hop = r->first;
        apr_uint32_t i;

        /* the hops are linked as many as counted (in short chains: the
         * long test has as many chains as hops) */
        for (i = 1; i < r->hops && r->hops < 1000; i++) {
            hop = hop->next;
            assert_non_null(hop);
        }
        if (r->hops < 1000) {
            assert_null(hop->next);
        }
        *(const char **)apr_array_push(out->chains) =
            apr_psprintf(unit_pool, "%s %u %s", r->first->path,
                         (unsigned)r->hops, r->final);
    }
}

static void unit_check(unit_server *srv, unit_reports *out)
{
    const redirect307_scope *scopes[1];
    redirect307_chain_input in;
    apr_uint32_t chains = 0, loops = 0;

    out->chains = apr_array_make(unit_pool, 4, sizeof(char *));
    out->loops = apr_array_make(unit_pool, 4, sizeof(char *));
    scopes[0] = srv->scope;
    memset(&in, 0, sizeof(in));
    in.scopes = scopes;
    in.nscopes = 1;
    in.self = &srv->self;
    in.merge_query = srv->merge;
    in.max_url = srv->max_url;
    in.regex_matches = unit_regex_matches;
    in.report = unit_report;
    in.baton = out;
    redirect307_chain_check(unit_pool, &in, &chains, &loops);
    assert_int_equal(chains, out->chains->nelts);
    assert_int_equal(loops, out->loops->nelts);
}

static const char *unit_join(apr_array_header_t *a)
{
    return apr_array_pstrcat(unit_pool, a, '|');
}

/* --------------------------------------------------------------------
 * Rule sets written out
 */

static void chain_across_kinds(void **state)
{
    unit_server srv;
    unit_reports out;

    unit_server_init(&srv);
    unit_prefix(&srv, "/a", "/b?x=1");
    unit_map(&srv, "/b/c http://alias.example:8080/r#top\n"
             "/m http://other.example/m\n");
    unit_regex(&srv, "/r", "/d");
    unit_prefix(&srv, "/b", "/c");
    unit_check(&srv, &out);
    /* /a: /b?x=1 (prefix: /b -> /c?x=1), ends: 2 hops */
    assert_str(unit_join(out.chains),
               "/a 2 http://self.example/c?x=1|"
               "/b/c 2 http://self.example/d#top");
    assert_str(unit_join(out.loops), "");
}

static void chain_remainder_and_query(void **state)
{
    unit_server srv;
    unit_reports out;

    unit_server_init(&srv);
    unit_prefix(&srv, "/old", "/mid/x?a=1");
    unit_prefix(&srv, "/mid", "http://self.example/new?b=2#f");
    unit_prefix(&srv, "/new", "https://other.example/end");
    unit_check(&srv, &out);
    /* the request's query after the target's; the fragment carried on */
    assert_str(unit_join(out.chains),
               "/old 3 https://other.example/end/x?b=2&a=1#f|"
               "/mid 2 https://other.example/end?b=2#f");
    srv.merge = 0;
    unit_check(&srv, &out);
    assert_str(unit_join(out.chains),
               "/old 3 https://other.example/end/x#f|"
               "/mid 2 https://other.example/end#f");
}

static void not_this_server(void **state)
{
    unit_server srv;
    unit_reports out;

    unit_server_init(&srv);
    unit_prefix(&srv, "/1", "https://self.example/z");  /* other scheme */
    unit_prefix(&srv, "/2", "http://self.example:81/z");        /* port */
    unit_prefix(&srv, "/3", "http://elsewhere.example/z");
    unit_prefix(&srv, "/4", "http://self.example:80/z");        /* default */
    unit_prefix(&srv, "/5", "http://ALIAS.example:8080/z");     /* own */
    unit_regex(&srv, "/z*", "/y$0");    /* a capture: not followed */
    unit_prefix(&srv, "/z", "/end");
    unit_check(&srv, &out);
    assert_str(unit_join(out.chains), "");
    srv.self.wild_names = apr_array_make(unit_pool, 1, sizeof(char *));
    *(const char **)apr_array_push(srv.self.wild_names) = "*.example";
    unit_check(&srv, &out);
    assert_str(unit_join(out.chains), "");
}

static void loops(void **state)
{
    unit_server srv;
    unit_reports out;
    int i;

    unit_server_init(&srv);
    unit_prefix(&srv, "/self", "/self");
    unit_prefix(&srv, "/x", "/y");
    unit_map(&srv, "/y /x\n/in /x\n");
    for (i = 0; i < 50; i++) {
        unit_prefix(&srv, apr_psprintf(unit_pool, "/r%d", i),
                    apr_psprintf(unit_pool, "/r%d", (i + 1) % 50));
    }
    unit_prefix(&srv, "/grow", "/grow/more");
    unit_check(&srv, &out);
    assert_str(unit_join(out.chains), "");
    assert_str(unit_join(out.loops), "/self 1|/x 2|/r0 50|/grow 1634 grows");
}

/* A chain of any length ends, each request followed once. */
static void long_chain(void **state)
{
    unit_server srv;
    unit_reports out;
    apr_array_header_t *text = apr_array_make(unit_pool, 1, sizeof(char *));
    int i, n = 100000;

    unit_server_init(&srv);
    for (i = 0; i < n; i++) {
        *(const char **)apr_array_push(text) =
            apr_psprintf(unit_pool, "/p%d /p%d\n", i, i + 1);
    }
    unit_map(&srv, apr_array_pstrcat(unit_pool, text, 0));
    unit_check(&srv, &out);
    assert_int_equal(out.chains->nelts, n - 1);
    assert_str(APR_ARRAY_IDX(out.chains, 0, const char *),
               apr_psprintf(unit_pool, "/p0 %d http://self.example/p%d", n,
                            n));
}

/* --------------------------------------------------------------------
 * Generated rule sets against a brute-force oracle
 */

static unsigned long unit_seed;

static int unit_rand(int n)
{
    unit_seed = unit_seed * 6364136223846793005UL + 1442695040888963407UL;
    return (int)((unit_seed >> 33) % (unsigned long)n);
}

static const char *unit_gen_path(void)
{
    static const char *const seg[] = { "a", "b", "c" };
    const char *path = apr_pstrcat(unit_pool, "/", seg[unit_rand(3)], NULL);

    if (unit_rand(2)) {
        path = apr_pstrcat(unit_pool, path, "/", seg[unit_rand(3)], NULL);
    }
    if (!unit_rand(6)) {
        path = apr_pstrcat(unit_pool, path, "/", NULL);
    }
    return unit_rand(20) ? path : "/";
}

static const char *unit_gen_target(void)
{
    static const char *const origin[] = {
        "http://self.example", "http://alias.example:8080",
        "http://self.example:80", "http://other.example",
        "https://self.example", "http://self.example:81"
    };
    const char *t = unit_gen_path();

    if (!unit_rand(5)) {
        t = apr_psprintf(unit_pool, "%s?q=%d", t, unit_rand(3));
    }
    if (!unit_rand(8)) {
        t = apr_psprintf(unit_pool, "%s#f%d", t, unit_rand(3));
    }
    if (!unit_rand(3)) {
        t = apr_pstrcat(unit_pool, origin[unit_rand(6)], t, NULL);
    }
    return t;
}

static void unit_generate(unit_server *srv)
{
    int i, n = 3 + unit_rand(10);

    unit_server_init(srv);
    srv->merge = unit_rand(4) != 0;
    srv->max_url = 100 + unit_rand(100);   /* growing loops end soon */
    for (i = 0; i < n; i++) {
        int kind = unit_rand(10);

        if (kind < 6) {
            unit_prefix(srv, unit_gen_path(), unit_gen_target());
        }
        else if (kind < 8) {
            const char *pattern = unit_gen_path();

            if (unit_rand(2) && strcmp(pattern, "/")) {
                pattern = apr_pstrcat(unit_pool, pattern, "*", NULL);
            }
            unit_regex(srv, pattern, unit_rand(6) ? unit_gen_target()
                       : "/cap$0");
        }
        else {
            apr_hash_t *keys = apr_hash_make(unit_pool);
            apr_array_header_t *text = apr_array_make(unit_pool, 4,
                                                      sizeof(char *));
            int j, m = unit_rand(6);

            for (j = 0; j < m; j++) {
                const char *key = unit_gen_path();

                if (!apr_hash_get(keys, key, APR_HASH_KEY_STRING)) {
                    apr_hash_set(keys, key, APR_HASH_KEY_STRING, key);
                    *(const char **)apr_array_push(text) =
                        apr_psprintf(unit_pool, "%s %s\n", key,
                                     unit_gen_target());
                }
            }
            unit_map(srv, apr_array_pstrcat(unit_pool, text, 0));
        }
    }
}

/* The target of the first rule, in order, that matches path, prefix rules
 * compared as strings; NULL when none does.  *rest: the remainder. */
static const char *unit_oracle_rule(unit_server *srv, const char *path,
                                    const char **rest, int *followed)
{
    int i;

    *rest = NULL;
    *followed = 1;
    for (i = 0; i < srv->rules->nelts; i++) {
        redirect307_rule *rule = APR_ARRAY_IDX(srv->rules, i,
                                               redirect307_rule *);
        redirect307_map_item e;
        const char *rest_query;
        apr_size_t len;

        switch (rule->kind) {
        case REDIRECT307_PREFIX:
            len = strlen(rule->url_path);
            if (!strncmp(path, rule->url_path, len)
                && (rule->url_path[len - 1] == '/' || path[len] == '\0'
                    || path[len] == '/')) {
                *rest = path + len;
                return rule->url.text;
            }
            break;
        case REDIRECT307_REGEX:
            if (apr_fnmatch(rule->pattern, path, 0) == APR_SUCCESS) {
                const char *t = apr_hash_get(srv->targets,
                                    redirect307_rule_origin(unit_pool, rule),
                                    APR_HASH_KEY_STRING);

                *followed = !strchr(t, '$');
                return *followed ? t : NULL;
            }
            break;
        default:
            if (redirect307_map_lookup(unit_pool, rule->map, path, NULL, NULL,
                                       &e, &rest_query)) {
                return e.target;
            }
            break;
        }
    }
    return NULL;
}

/* The Location of the request, composed by hand. */
static const char *unit_oracle_location(unit_server *srv, const char *path,
                                        const char *query)
{
    const char *rest, *text, *q, *frag, *out;
    int followed;

    if (!(text = unit_oracle_rule(srv, path, &rest, &followed))) {
        return NULL;
    }
    frag = strchr(text, '#');
    q = strchr(text, '?');
    out = apr_pstrndup(unit_pool, text, q ? (apr_size_t)(q - text)
                       : frag ? (apr_size_t)(frag - text) : strlen(text));
    if (out[0] == '/') {
        out = apr_pstrcat(unit_pool, srv->self.origin, out, NULL);
    }
    if (rest && *rest) {
        while (*rest == '/') {
            rest++;
        }
        out = apr_pstrcat(unit_pool, out,
                          out[strlen(out) - 1] == '/' ? "" : "/", rest, NULL);
    }
    if (!srv->merge) {
        query = NULL;
    }
    if (q || query) {
        const char *tq = q ? apr_pstrndup(unit_pool, q + 1, frag
                                          ? (apr_size_t)(frag - q - 1)
                                          : strlen(q + 1)) : "";

        out = apr_pstrcat(unit_pool, out, "?", tq, *tq && query ? "&" : "",
                          query ? query : "", NULL);
    }
    return apr_pstrcat(unit_pool, out, frag ? frag : "", NULL);
}

/* Is the Location for self.example or alias.example, http, port 80 or
 * 8080?  Sets the request it makes. */
static int unit_oracle_self(const char *location, const char **path,
                            const char **query)
{
    const char *s = location, *host, *end;
    int port = 80;

    if (strncmp(s, "http://", 7)) {
        return 0;
    }
    host = s + 7;
    end = host + strcspn(host, ":/");
    if (*end == ':') {
        port = atoi(end + 1);
    }
    if (!((end - host == 12 && !strncasecmp(host, "self.example", 12))
          || (end - host == 13 && !strncasecmp(host, "alias.example", 13)))
        || (port != 80 && port != 8080)) {
        return 0;
    }
    s = strchr(host, '/');
    *path = apr_pstrndup(unit_pool, s, strcspn(s, "?#"));
    s += strcspn(s, "?#");
    *query = NULL;
    if (*s == '?' && s[1] && s[1] != '#') {
        *query = apr_pstrndup(unit_pool, s + 1, strcspn(s + 1, "#"));
    }
    return 1;
}

typedef struct {
    int loop;
    int grows;
    int hops;
    const char *final;
    const char *cycle;          /* the smallest request of the loop */
    int cycle_len;
} unit_verdict;

/* Follows a start request by request, remembering every request. */
static void unit_oracle_follow(unit_server *srv, const char *start,
                               unit_verdict *v)
{
    apr_hash_t *seen = apr_hash_make(unit_pool);
    apr_array_header_t *keys = apr_array_make(unit_pool, 8, sizeof(char *));
    const char *path = start, *query = NULL, *last = NULL, *frag = NULL;
    int i;

    memset(v, 0, sizeof(*v));
    for (;;) {
        const char *key = apr_pstrcat(unit_pool, path, "\n",
                                      query ? query : "", NULL);
        const char *loc;
        int *at = apr_hash_get(seen, key, APR_HASH_KEY_STRING);

        if (at) {
            v->loop = 1;
            v->cycle_len = keys->nelts - *at;
            v->cycle = key;
            for (i = *at; i < keys->nelts; i++) {
                const char *k = APR_ARRAY_IDX(keys, i, const char *);

                v->cycle = strcmp(k, v->cycle) < 0 ? k : v->cycle;
            }
            return;
        }
        at = apr_palloc(unit_pool, sizeof(*at));
        *at = keys->nelts;
        apr_hash_set(seen, key, APR_HASH_KEY_STRING, at);
        *(const char **)apr_array_push(keys) = key;
        if (!(loc = unit_oracle_location(srv, path, query))) {
            break;
        }
        v->hops++;
        if (strlen(loc) > srv->max_url) {
            v->loop = v->grows = 1;
            return;
        }
        last = loc;
        frag = strchr(loc, '#') ? strchr(loc, '#') : frag;
        if (!unit_oracle_self(loc, &path, &query)) {
            break;
        }
    }
    v->final = (last && frag && !strchr(last, '#'))
        ? apr_pstrcat(unit_pool, last, frag, NULL) : last;
}

/* The starts, in order: URL-paths, map keys, literal starts of regexes. */
static apr_array_header_t *unit_starts(unit_server *srv)
{
    apr_array_header_t *starts = apr_array_make(unit_pool, 8, sizeof(char *));
    int i;
    apr_uint32_t j;

    for (i = 0; i < srv->rules->nelts; i++) {
        redirect307_rule *rule = APR_ARRAY_IDX(srv->rules, i,
                                               redirect307_rule *);

        if (rule->kind == REDIRECT307_PREFIX) {
            *(const char **)apr_array_push(starts) = rule->url_path;
        }
        else if (rule->kind == REDIRECT307_MAP) {
            for (j = 0; j < redirect307_map_size(rule->map); j++) {
                *(const char **)apr_array_push(starts) =
                    redirect307_map_entry_at(rule->map, j).key;
            }
        }
        else if (!strchr(apr_hash_get(srv->targets,
                                      redirect307_rule_origin(unit_pool,
                                                              rule),
                                      APR_HASH_KEY_STRING), '$')
                 && apr_fnmatch(rule->pattern, rule->literal, 0)
                 == APR_SUCCESS) {
            *(const char **)apr_array_push(starts) = rule->literal;
        }
    }
    return starts;
}

static int unit_by_number(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* what the generated rule sets held, so that the comparison means something */
static int unit_seen_chains, unit_seen_cycles, unit_seen_grows;

/* One generated rule set: the walker's reports against the oracle's. */
static void unit_compare(unit_server *srv)
{
    apr_array_header_t *starts = unit_starts(srv);
    apr_array_header_t *chains = apr_array_make(unit_pool, 4, sizeof(char *));
    apr_array_header_t *cycles = apr_array_make(unit_pool, 4, sizeof(int));
    apr_array_header_t *got = apr_array_make(unit_pool, 4, sizeof(int));
    apr_hash_t *done = apr_hash_make(unit_pool);
    unit_reports out;
    int i, grows = 0, got_grows = 0;

    for (i = 0; i < starts->nelts; i++) {
        const char *start = APR_ARRAY_IDX(starts, i, const char *);
        unit_verdict v;

        if (apr_hash_get(done, start, APR_HASH_KEY_STRING)) {
            continue;
        }
        apr_hash_set(done, start, APR_HASH_KEY_STRING, start);
        unit_oracle_follow(srv, start, &v);
        if (v.grows) {
            grows = 1;
        }
        else if (v.loop && !apr_hash_get(done, v.cycle, APR_HASH_KEY_STRING)) {
            apr_hash_set(done, v.cycle, APR_HASH_KEY_STRING, v.cycle);
            *(int *)apr_array_push(cycles) = v.cycle_len;
        }
        else if (!v.loop && v.hops >= 2) {
            *(const char **)apr_array_push(chains) =
                apr_psprintf(unit_pool, "%s %d %s", start, v.hops, v.final);
        }
    }
    unit_check(srv, &out);
    assert_str(unit_join(out.chains), unit_join(chains));
    unit_seen_chains += chains->nelts;
    unit_seen_cycles += cycles->nelts;
    unit_seen_grows += grows;
    for (i = 0; i < out.loops->nelts; i++) {
        const char *loop = APR_ARRAY_IDX(out.loops, i, const char *);

        if (strstr(loop, " grows")) {
            got_grows = 1;
        }
        else {
            *(int *)apr_array_push(got) = atoi(strchr(loop, ' ') + 1);
        }
    }
    assert_int_equal(got_grows, grows);
    if (!grows) {
        qsort(cycles->elts, cycles->nelts, sizeof(int), unit_by_number);
        qsort(got->elts, got->nelts, sizeof(int), unit_by_number);
        assert_int_equal(got->nelts, cycles->nelts);
        for (i = 0; i < got->nelts; i++) {
            assert_int_equal(APR_ARRAY_IDX(got, i, int),
                             APR_ARRAY_IDX(cycles, i, int));
        }
    }
}

static void generated_against_oracle(void **state)
{
    int round;

    for (round = 0; round < 3000; round++) {
        unit_server srv;
        apr_pool_t *saved = unit_pool, *p;

        apr_pool_create(&p, saved);
        unit_pool = p;
        unit_seed = (unsigned long)round * 2654435761UL + 1;
        unit_generate(&srv);
        unit_compare(&srv);
        unit_pool = saved;
        apr_pool_destroy(p);
    }
    fprintf(stderr, "generated: %d chains, %d loops, %d growing\n",
            unit_seen_chains, unit_seen_cycles, unit_seen_grows);
    assert_true(unit_seen_chains > 500 && unit_seen_cycles > 100
                && unit_seen_grows > 50);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(chain_across_kinds),
    UNIT_TEST(chain_remainder_and_query),
    UNIT_TEST(not_this_server),
    UNIT_TEST(loops),
    UNIT_TEST(long_chain),
    UNIT_TEST(generated_against_oracle),
};

UNIT_MAIN("redirect307_chain", tests)
