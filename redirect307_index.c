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

/* Puts a prefix rule into the index.  Returns the earlier rule with the same
 * URL-path, which hides the new one, or NULL. */
static const redirect307_rule *redirect307_index_add(apr_pool_t *p,
                                                     redirect307_scope *scope,
                                                     redirect307_rule *rule)
{
    const char *path = rule->url_path;
    apr_size_t path_len = strlen(rule->url_path), klen;
    redirect307_node *node = scope->root;
    const redirect307_rule **slot;
    char *key = apr_palloc(p, sizeof(apr_uint32_t) + path_len);

    while ((klen = redirect307_next_edge(key, node->id, &path))) {
        redirect307_node *child = apr_hash_get(scope->edges, key, klen);

        if (!child) {
            child = apr_pcalloc(p, sizeof(*child));
            child->id = scope->nodes++;
            apr_hash_set(scope->edges, apr_pmemdup(p, key, klen), klen,
                         child);
        }
        node = child;
    }
    if (rule->url_path[path_len - 1] == '/') {
        slot = &node->slash;
    }
    else {
        slot = &node->exact;
    }
    if (*slot) {
        return *slot;
    }
    *slot = rule;
    return NULL;
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
    *(redirect307_rule **)apr_array_push(scope->sequential) = rule;
    return NULL;
}

/* The first prefix rule, in configuration order, whose URL-path covers
 * path: walks the path's segments down the index.  Sets *remainder to the
 * path after the URL-path.  Works in the scratch pool p. */
const redirect307_rule *redirect307_index_find(apr_pool_t *p,
                                               const redirect307_scope *scope,
                                               const char *path,
                                               const char **remainder)
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
    }
    return best;
}
