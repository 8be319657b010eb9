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
 * The rules of one scope and its prefix index: a tree of path segments
 * built at configuration time, in which every node remembers the first
 * prefix rule, in configuration order, that ends there.  A lookup walks the
 * request path's segments, so its cost does not grow with the number of
 * rules.
 */

#include "apr_strings.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

redirect307_scope *redirect307_scope_make(apr_pool_t *p, const char *name)
{
    redirect307_scope *scope = apr_pcalloc(p, sizeof(*scope));

    scope->name = name;

    scope->root = apr_pcalloc(p, sizeof(*scope->root));
    scope->root->id = scope->nodes++;
    scope->edges = apr_hash_make(p);
    scope->sequential = apr_array_make(p, 2, sizeof(redirect307_rule *));
    return scope;
}

/* The edge from node id through the next segment of a path, for both
 * building and searching the index, so that both split paths alike: runs of
 * '/' count as one.  Writes the edge's key into key, moves *path to the end
 * of the segment and returns the key's length, or 0 at the end of the path. */
static apr_size_t redirect307_next_edge(char *key, apr_uint32_t id,
                                        const char **path)
{
    const char *segment = *path, *end;

    while (*segment == '/') {
        segment++;
    }
    if (!*segment) {
        return 0;
    }
    for (end = segment; *end && *end != '/'; end++);
    memcpy(key, &id, sizeof(id));
    memcpy(key + sizeof(id), segment, end - segment);
    *path = end;
    return sizeof(id) + (end - segment);
}

/* The node for the segments of path[0, len), made when missing. */
static redirect307_node *redirect307_index_node(apr_pool_t *p,
                                                redirect307_scope *scope,
                                                const char *path,
                                                apr_size_t len)
{
    const char *text = apr_pstrmemdup(p, path, len);
    redirect307_node *node = scope->root;
    char *key = apr_palloc(p, sizeof(apr_uint32_t) + len);
    apr_size_t klen;

    while ((klen = redirect307_next_edge(key, node->id, &text))) {
        redirect307_node *child = apr_hash_get(scope->edges, key, klen);

        if (!child) {
            child = apr_pcalloc(p, sizeof(*child));
            child->id = scope->nodes++;
            apr_hash_set(scope->edges, apr_pmemdup(p, key, klen), klen,
                         child);
        }
        node = child;
    }
    return node;
}

/* Puts a prefix rule into the index.  Returns the earlier rule with the
 * same URL-path, which hides the new one, or NULL. */
static const redirect307_rule *redirect307_index_add(apr_pool_t *p,
                                                     redirect307_scope *scope,
                                                     redirect307_rule *rule)
{
    apr_size_t len = strlen(rule->url_path);
    redirect307_node *node = redirect307_index_node(p, scope, rule->url_path,
                                                    len);
    const redirect307_rule **slot = (rule->url_path[len - 1] == '/')
        ? &node->slash : &node->exact;

    if (*slot) {
        return *slot;
    }
    *slot = rule;
    return NULL;
}

/* Puts a regex rule whose literal start begins with '/' at the node of the
 * literal's whole segments (those a '/' follows): "^/blog/(\d+)" under
 * /blog, "^/blog(.*)" at the root.  Every path the regex matches starts
 * with the literal, so its walk down the index passes that node. */
static void redirect307_index_add_regex(apr_pool_t *p,
                                        redirect307_scope *scope,
                                        redirect307_rule *rule)
{
    const char *last = rule->literal + rule->literal_len - 1;
    redirect307_node *node;

    while (*last != '/') {
        last--;
    }
    node = redirect307_index_node(p, scope, rule->literal,
                                  last - rule->literal + 1);
    if (!node->regexes) {
        node->regexes = apr_array_make(p, 1, sizeof(redirect307_rule *));
    }
    *(redirect307_rule **)apr_array_push(node->regexes) = rule;
    scope->indexed++;
}

/* Gives rule the next position of scope and files it: prefix rules in the
 * index, the others in order.  Returns the earlier prefix rule with the
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

/* Walks path's segments down the index: returns the first prefix rule, in
 * configuration order, whose URL-path covers path, and sets *remainder.
 * With lists, also gathers there the regex lists of the nodes passed
 * (*nlists of them; lists has room for one per segment and the root). */
static const redirect307_rule *redirect307_index_walk(apr_pool_t *p,
                                                      const redirect307_scope
                                                      *scope,
                                                      const char *path,
                                                      const char **remainder,
                                                      const apr_array_header_t
                                                      **lists, int *nlists)
{
    const char *walk = path;
    const redirect307_node *node = scope->root;
    const redirect307_rule *best = NULL;
    apr_size_t klen;
    char *key;

    *remainder = NULL;
    if (node->slash) {
        best = node->slash;
        *remainder = path + 1;
    }
    if (lists && node->regexes) {
        lists[(*nlists)++] = node->regexes;
    }
    if (scope->nodes == 1) {
        return best;
    }
    key = apr_palloc(p, sizeof(apr_uint32_t) + strlen(path));
    /* walk is left just after the segment each node stands for */
    while ((klen = redirect307_next_edge(key, node->id, &walk))
           && (node = apr_hash_get(scope->edges, key, klen))) {
        if (node->exact && (!best || node->exact->position < best->position)) {
            best = node->exact;
            *remainder = walk;
        }
        if (*walk == '/' && node->slash
            && (!best || node->slash->position < best->position)) {
            best = node->slash;
            *remainder = walk + 1;
        }
        if (lists && node->regexes && *walk == '/') {
            lists[(*nlists)++] = node->regexes;
        }
    }
    return best;
}

/* The first prefix rule, in configuration order, whose URL-path covers
 * path: walks the path's segments down the index.  Sets *remainder to the
 * path after the URL-path.  Works in the scratch pool p. */
const redirect307_rule *redirect307_index_find(apr_pool_t *p,
                                               const redirect307_scope *scope,
                                               const char *path,
                                               const char **remainder)
{
    return redirect307_index_walk(p, scope, path, remainder, NULL, NULL);
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
    const apr_array_header_t **lists = NULL;
    int nlists = 0;

    if (scope->indexed) {
        lists = apr_palloc(p, (strlen(path) / 2 + 3) * sizeof(*lists));
    }
    out->prefix = redirect307_index_walk(p, scope, path, &out->remainder,
                                         lists, &nlists);
    if (!lists || !nlists) {
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
        lists[nlists++] = scope->sequential;
    }
    redirect307_merge_candidates(p, lists, nlists, out);
}
