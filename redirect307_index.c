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
 * The rules of one scope and its prefix index.  Prefix rules sit in an
 * open-addressing hash table keyed by their URL-path (runs of '/' count as
 * one), which a lookup probes at each segment boundary of the request
 * path: one probe for the path up to the end of a segment, one for the
 * path up to the '/' after it.  Its cost grows with the length of the
 * request path, never with the number of rules, and a rule costs one slot
 * of the table.  Regex rules with a literal start are filed under the
 * literal's whole segments and offered to the paths that pass them.
 *
 * The table is written here rather than taken from apr_hash: an apr_hash
 * entry and its key copy cost about 60 bytes a rule, the slot here 16.
 */

#include "apr_hash.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* FNV-1a, 32 bits, fed one byte at a time. */
#define REDIRECT307_HASH_INIT  2166136261u
#define REDIRECT307_HASH(h, c) (((h) ^ (unsigned char)(c)) * 16777619u)

redirect307_scope *redirect307_scope_make(apr_pool_t *p, const char *name)
{
    redirect307_scope *scope = apr_pcalloc(p, sizeof(*scope));

    scope->name = name;
    scope->sequential = apr_array_make(p, 2, sizeof(redirect307_rule *));
    return scope;
}

const char *redirect307_rule_origin(apr_pool_t *p,
                                    const redirect307_rule *rule)
{
    if (!rule->file) {
        return "(unknown file)";
    }
    return apr_psprintf(p, "%s:%u", rule->file, (unsigned)rule->line);
}

/* --------------------------------------------------------------------
 * URL-paths with runs of '/' counted as one
 */

/* The hash of path, a run of '/' counted as one '/'; sets *len to the
 * length of the path so counted. */
static apr_uint32_t redirect307_path_hash(const char *path, apr_size_t *len)
{
    apr_uint32_t h = REDIRECT307_HASH_INIT;
    apr_size_t n = 0;
    const char *s;

    for (s = path; *s; s++) {
        if (*s == '/' && s > path && s[-1] == '/') {
            continue;
        }
        h = REDIRECT307_HASH(h, *s);
        n++;
    }
    *len = n;
    return h;
}

/* Is the URL-path key, runs of '/' counted as one, the first len bytes of
 * path so counted? */
static int redirect307_same_path(const char *key, const char *path,
                                 apr_size_t len)
{
    while (len) {
        if (*key != *path) {
            return 0;
        }
        len--;
        if (*key == '/') {
            while (*++key == '/');
            while (*++path == '/');
        }
        else {
            key++;
            path++;
        }
    }
    return !*key;
}

/* --------------------------------------------------------------------
 * The table of prefix rules
 */

/* The slot of the rule with URL-path key (hash h, len bytes counted as
 * above), or the empty slot where it would go. */
static const redirect307_rule **redirect307_slot(const redirect307_scope
                                                 *scope, apr_uint32_t h,
                                                 const char *path,
                                                 apr_size_t len)
{
    apr_uint32_t i = h & scope->mask;

    while (scope->slots[i]
           && !redirect307_same_path(scope->slots[i]->url_path, path, len)) {
        i = (i + 1) & scope->mask;
    }
    return &scope->slots[i];
}

/* Doubles the table (at least 8 slots) and files its rules again. */
static void redirect307_table_grow(apr_pool_t *p, redirect307_scope *scope)
{
    const redirect307_rule **old = scope->slots;
    apr_uint32_t i, size = old ? scope->mask + 1 : 0;
    apr_uint32_t grown = size ? size * 2 : 8;

    scope->slots = apr_pcalloc(p, grown * sizeof(*scope->slots));
    scope->mask = grown - 1;
    for (i = 0; i < size; i++) {
        if (old[i]) {
            apr_size_t len;
            apr_uint32_t h = redirect307_path_hash(old[i]->url_path, &len);

            *redirect307_slot(scope, h, old[i]->url_path, len) = old[i];
        }
    }
}

/* Makes room for n prefix rules before the first is filed, so that a long
 * list of rules does not leave the smaller tables it outgrew behind in the
 * pool. */
void redirect307_scope_reserve(apr_pool_t *p, redirect307_scope *scope,
                               apr_uint32_t n)
{
    apr_uint32_t size = 8;

    if (scope->slots || n > APR_UINT32_MAX / 4) {
        return;
    }
    while (size < 2 * n) {
        size *= 2;
    }
    scope->slots = apr_pcalloc(p, size * sizeof(*scope->slots));
    scope->mask = size - 1;
}

/* Puts a prefix rule into the table.  Returns the earlier rule with the
 * same URL-path, which hides the new one, or NULL. */
static const redirect307_rule *redirect307_index_add(apr_pool_t *p,
                                                     redirect307_scope *scope,
                                                     redirect307_rule *rule)
{
    const redirect307_rule **slot;
    apr_size_t len;
    apr_uint32_t h = redirect307_path_hash(rule->url_path, &len);

    if (!scope->slots || (scope->prefixes + 1) * 2 > scope->mask + 1) {
        redirect307_table_grow(p, scope);
    }
    slot = redirect307_slot(scope, h, rule->url_path, len);
    if (*slot) {
        return *slot;
    }
    *slot = rule;
    scope->prefixes++;
    return NULL;
}

/* Files a regex rule whose literal start begins with '/' under the
 * literal's whole segments, those a '/' follows, runs of '/' counted as one:
 * "^/blog/(\d+)" under "/blog/", "^/blog(.*)" under "/".  Every path the
 * regex matches starts with the literal, so it passes that point. */
static void redirect307_index_add_regex(apr_pool_t *p,
                                        redirect307_scope *scope,
                                        redirect307_rule *rule)
{
    const char *last = rule->literal + rule->literal_len - 1, *s;
    apr_array_header_t *list;
    char *key, *k;

    while (*last != '/') {
        last--;
    }
    key = k = apr_palloc(p, last - rule->literal + 2);
    for (s = rule->literal; s <= last; s++) {
        if (*s != '/' || k == key || k[-1] != '/') {
            *k++ = *s;
        }
    }
    *k = '\0';
    if (!scope->regexes) {
        scope->regexes = apr_hash_make(p);
    }
    list = apr_hash_get(scope->regexes, key, k - key);
    if (!list) {
        list = apr_array_make(p, 1, sizeof(redirect307_rule *));
        apr_hash_set(scope->regexes, key, k - key, list);
    }
    *(redirect307_rule **)apr_array_push(list) = rule;
    scope->indexed++;
}

/* Gives rule the next position of scope and files it: prefix rules in the
 * index, regex rules whose literal start begins with '/' under its whole
 * segments, the others in order.  Returns the earlier prefix rule with the
 * same URL-path, which hides the new one, or NULL. */
const redirect307_rule *redirect307_scope_add(apr_pool_t *p,
                                              redirect307_scope *scope,
                                              redirect307_rule *rule)
{
    rule->position = scope->count++;
    if (rule->kind == REDIRECT307_PREFIX) {
        return redirect307_index_add(p, scope, rule);
    }
    if (rule->kind == REDIRECT307_REGEX && rule->literal_len
        && rule->literal[0] == '/') {
        redirect307_index_add_regex(p, scope, rule);
        return NULL;
    }
    *(redirect307_rule **)apr_array_push(scope->sequential) = rule;
    return NULL;
}

/* --------------------------------------------------------------------
 * Lookups
 */

/* A walk down a request path: the best prefix rule so far, and the regex
 * lists of the points passed. */
typedef struct {
    const redirect307_scope *scope;
    const char *path;
    const redirect307_rule *best;
    const char *remainder;
    const apr_array_header_t **lists;   /* NULL: not wanted */
    int nlists;
    const char *flat;           /* path with runs of '/' as one */
} redirect307_walk;

/* The prefix rule for the first len bytes of the path (counted as above),
 * hash h; a better one than the best so far becomes the best, with the
 * path from rest on as its remainder. */
static void redirect307_probe(redirect307_walk *w, apr_uint32_t h,
                              apr_size_t len, const char *rest)
{
    const redirect307_rule *rule;

    if (!w->scope->prefixes) {
        return;
    }
    rule = *redirect307_slot(w->scope, h, w->path, len);
    if (rule && (!w->best || rule->position < w->best->position)) {
        w->best = rule;
        w->remainder = rest;
    }
}

/* The regex list filed under the first len bytes of the path (with a
 * trailing '/'), if any, joins the lists. */
static void redirect307_probe_regexes(redirect307_walk *w, apr_size_t len)
{
    const apr_array_header_t *list =
        apr_hash_get(w->scope->regexes, w->flat, len);

    if (list) {
        w->lists[w->nlists++] = list;
    }
}

/* Walks the path: at the end of each segment, and at the '/' after it. */
static void redirect307_index_walk(redirect307_walk *w)
{
    apr_uint32_t h = REDIRECT307_HASH_INIT;
    apr_size_t len = 0;
    const char *s;

    if (!w->scope->prefixes && !w->lists) {
        return;
    }
    for (s = w->path; *s; s++) {
        if (*s == '/') {
            if (len && w->flat[len - 1] == '/') {
                continue;       /* a run of '/' counts as one */
            }
            if (len) {
                redirect307_probe(w, h, len, s);
            }
        }
        h = REDIRECT307_HASH(h, *s);
        len++;
        if (*s == '/') {
            redirect307_probe(w, h, len, s + 1);
            if (w->lists) {
                redirect307_probe_regexes(w, len);
            }
        }
    }
    if (len && w->flat[len - 1] != '/') {
        redirect307_probe(w, h, len, s);
    }
}

/* path with runs of '/' written as one; path itself when it has none. */
static const char *redirect307_flatten(apr_pool_t *p, const char *path)
{
    char *flat, *f;
    const char *s;

    if (!strstr(path, "//")) {
        return path;
    }
    flat = f = apr_palloc(p, strlen(path) + 1);
    for (s = path; *s; s++) {
        if (*s != '/' || f == flat || f[-1] != '/') {
            *f++ = *s;
        }
    }
    *f = '\0';
    return flat;
}

static void redirect307_walk_init(apr_pool_t *p, redirect307_walk *w,
                                  const redirect307_scope *scope,
                                  const char *path)
{
    w->scope = scope;
    w->path = path;
    w->best = NULL;
    w->remainder = NULL;
    w->lists = NULL;
    w->nlists = 0;
    w->flat = redirect307_flatten(p, path);
}

/* The first prefix rule, in configuration order, whose URL-path covers
 * path.  Sets *remainder to the path after the URL-path.  Works in the
 * scratch pool p. */
const redirect307_rule *redirect307_index_find(apr_pool_t *p,
                                               const redirect307_scope *scope,
                                               const char *path,
                                               const char **remainder)
{
    redirect307_walk w;

    redirect307_walk_init(p, &w, scope, path);
    redirect307_index_walk(&w);
    *remainder = w.remainder;
    return w.best;
}

/* Merges the lists (each in configuration order) into out->candidates,
 * in configuration order, up to the position of out->prefix. */
static void redirect307_merge_candidates(apr_pool_t *p,
                                         const apr_array_header_t **lists,
                                         int nlists, redirect307_lookup *out)
{
    int *next = apr_pcalloc(p, nlists * sizeof(int));
    int limit = out->prefix ? out->prefix->position : -1;
    int i, total = 0;

    for (i = 0; i < nlists; i++) {
        total += lists[i]->nelts;
    }
    out->candidates = apr_palloc(p, (total + 1) * sizeof(*out->candidates));
    out->ncandidates = 0;
    for (;;) {
        const redirect307_rule *first = NULL;
        int from = -1;

        for (i = 0; i < nlists; i++) {
            const redirect307_rule *rule = (next[i] < lists[i]->nelts)
                ? APR_ARRAY_IDX(lists[i], next[i], const redirect307_rule *)
                : NULL;

            if (rule && (!first || rule->position < first->position)) {
                first = rule;
                from = i;
            }
        }
        if (!first || (limit >= 0 && first->position > limit)) {
            return;
        }
        next[from]++;
        out->candidates[out->ncandidates++] = first;
    }
}

/* The prefix rule for path and the rules to try before it.  Without
 * regexes in the index the candidates are the scope's sequential rules
 * themselves, up to the prefix rule's position: nothing is allocated. */
void redirect307_scope_lookup(apr_pool_t *p, const redirect307_scope *scope,
                              const char *path, redirect307_lookup *out)
{
    redirect307_walk w;

    redirect307_walk_init(p, &w, scope, path);
    if (scope->indexed) {
        w.lists = apr_palloc(p, (strlen(path) / 2 + 3) * sizeof(*w.lists));
    }
    redirect307_index_walk(&w);
    out->prefix = w.best;
    out->remainder = w.remainder;
    if (!w.nlists) {
        int n = 0, limit = out->prefix ? out->prefix->position : -1;

        out->candidates = (const redirect307_rule **)scope->sequential->elts;
        while (n < scope->sequential->nelts
               && (limit < 0 || out->candidates[n]->position < limit)) {
            n++;
        }
        out->ncandidates = n;
        return;
    }
    if (scope->sequential->nelts) {
        w.lists[w.nlists++] = scope->sequential;
    }
    redirect307_merge_candidates(p, w.lists, w.nlists, out);
}
