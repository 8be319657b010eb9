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
 * Fuzz target: the prefix index of a scope against a naive oracle.  The
 * input is lines: "=PATH" looks PATH up in the rules so far, "~..." adds a
 * rule that is not a prefix rule (a regex: it takes a position only), and
 * any other line adds a prefix rule with that URL-path ('/' put in front
 * when it does not start with one; decoded as the directive decodes it).
 * Every answer of redirect307_index_find() must be the oracle's: the
 * first prefix rule, in configuration order, whose URL-path covers the
 * path on whole segments, runs of '/' counting as one and a URL-path that
 * ends in '/' covering only what is below it, with the same remainder.
 * redirect307_scope_add() must name the earlier rule with the same
 * URL-path, runs of '/' counting as one.
 */

#include "fuzz.h"

#define FUZZ_MAX_LINES 64

/* The oracle's reading of a URL-path: runs of '/' as one. */
static const char *fuzz_collapse(apr_pool_t *p, const char *path)
{
    char *out = apr_palloc(p, strlen(path) + 1), *o = out;
    const char *s;

    for (s = path; *s; s++) {
        if (*s != '/' || o == out || o[-1] != '/') {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Does the URL-path (collapsed) cover path?  The remainder starts after
 * the shortest start of path that reads as the URL-path; without a
 * trailing '/', that start must end a segment. */
static int fuzz_covers(const char *url_path, const char *path,
                       const char **remainder)
{
    apr_size_t i, j = 0, len = strlen(url_path);

    for (i = 0; path[i] && j < len; i++) {
        if (path[i] == '/' && i && path[i - 1] == '/') {
            continue;
        }
        if (path[i] != url_path[j++]) {
            return 0;
        }
    }
    if (j < len) {
        return 0;
    }
    if (url_path[len - 1] != '/' && path[i] && path[i] != '/') {
        return 0;
    }
    *remainder = path + i;
    return 1;
}

typedef struct {
    apr_pool_t *p;
    redirect307_scope *scope;
    apr_array_header_t *rules; /* redirect307_rule *, prefix rules */
    apr_array_header_t *collapsed;     /* their URL-paths, collapsed */
    int count;                  /* rules of every kind */
} fuzz_rules;

static const char *fuzz_origin(fuzz_rules *fr, const redirect307_rule *rule)
{
    return rule ? redirect307_rule_origin(fr->p, rule) : "nothing";
}

static void fuzz_add(fuzz_rules *fr, const char *line, int prefix)
{
    redirect307_rule *rule = apr_pcalloc(fr->p, sizeof(*rule));
    const redirect307_rule *earlier, *expected = NULL;
    const char *collapsed;
    char *url_path;
    int i;

    rule->kind = prefix ? REDIRECT307_PREFIX : REDIRECT307_REGEX;
    rule->file = "line";
    rule->line = (apr_uint32_t)fr->count + 1;
    if (prefix) {
        url_path = apr_pstrcat(fr->p, *line == '/' ? "" : "/", line, NULL);
        if (!redirect307_decode_path(url_path)) {
            return;             /* httpd -t refuses it */
        }
        rule->url_path = url_path;
        collapsed = fuzz_collapse(fr->p, url_path);
        for (i = 0; i < fr->rules->nelts && !expected; i++) {
            if (!strcmp(APR_ARRAY_IDX(fr->collapsed, i, const char *),
                        collapsed)) {
                expected = APR_ARRAY_IDX(fr->rules, i, redirect307_rule *);
            }
        }
        *(redirect307_rule **)apr_array_push(fr->rules) = rule;
        *(const char **)apr_array_push(fr->collapsed) = collapsed;
    }
    earlier = redirect307_scope_add(fr->p, fr->scope, rule);
    FUZZ_CHECK(rule->position == fr->count, "position %d of rule %d",
               rule->position, fr->count);
    FUZZ_CHECK(earlier == expected, "URL-path '%s' is hidden by %s, not %s",
               line, fuzz_origin(fr, earlier), fuzz_origin(fr, expected));
    fr->count++;
}

static void fuzz_find(fuzz_rules *fr, const char *line)
{
    const char *path = apr_pstrcat(fr->p, *line == '/' ? "" : "/", line,
                                   NULL);
    const char *remainder, *expected_remainder = NULL;
    const redirect307_rule *rule, *expected = NULL;
    int i;

    for (i = 0; i < fr->rules->nelts && !expected; i++) {
        if (fuzz_covers(APR_ARRAY_IDX(fr->collapsed, i, const char *),
                        path, &expected_remainder)) {
            expected = APR_ARRAY_IDX(fr->rules, i, redirect307_rule *);
        }
    }
    rule = redirect307_index_find(fr->p, fr->scope, path, &remainder);
    FUZZ_CHECK(rule == expected, "'%s' found %s (%s), not %s (%s)", path,
               fuzz_origin(fr, rule),
               rule ? rule->url_path : "",
               fuzz_origin(fr, expected),
               expected ? expected->url_path : "");
    FUZZ_CHECK(!rule || remainder == expected_remainder,
               "'%s' with '%s': remainder '%s', not '%s'", path,
               rule->url_path, remainder, expected_remainder);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_rules fr;
    char *text, *line, *next;
    int lines = 0;

    fr.p = fuzz_pool();
    fr.scope = redirect307_scope_make(fr.p, "fuzz");
    fr.rules = apr_array_make(fr.p, 8, sizeof(redirect307_rule *));
    fr.collapsed = apr_array_make(fr.p, 8, sizeof(const char *));
    fr.count = 0;
    text = fuzz_string(fr.p, data, size);
    for (line = text; line && lines++ < FUZZ_MAX_LINES; line = next) {
        if ((next = strchr(line, '\n'))) {
            *next++ = '\0';
        }
        if (*line == '=') {
            fuzz_find(&fr, line + 1);
        }
        else {
            fuzz_add(&fr, *line == '~' ? line + 1 : line, *line != '~');
        }
    }
    return 0;
}
