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
 * Chains and loops, found when the configuration is read: the request for
 * each rule and map entry of a server is followed through the server's
 * unconditional rules for as long as its Location comes back to the same
 * server, composed as the requests would compose it.  Every request (a
 * decoded path and a query) is followed once and remembered, so the cost
 * is linear in the number of rules and entries; a request met again while
 * it is being followed is a loop.
 */

#include <stdlib.h>

#include "apr_fnmatch.h"
#include "apr_strings.h"
#include "apr_uri.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* redirect307_chain_hop.mark */
#define REDIRECT307_CHAIN_FOLLOWING 1
#define REDIRECT307_CHAIN_DONE      2

typedef struct {
    apr_pool_t *pool;           /* hops and the memo, for the whole check */
    apr_pool_t *scratch;        /* the work of the request followed */
    apr_pool_t *scratch1;       /* the two pools scratch alternates */
    apr_pool_t *scratch2;
    const redirect307_chain_input *in;
    apr_hash_t *memo;           /* path NUL query -> redirect307_chain_hop */
    apr_array_header_t *stack;  /* redirect307_chain_hop *, being followed */
    apr_uint32_t chains;
    apr_uint32_t loops;
} redirect307_walker;

/* What one request does. */
typedef struct {
    const char *path;
    const char *query;
    const redirect307_rule *rule;       /* NULL: no rule that is followed */
    redirect307_map_item entry; /* MAP */
    int mapped;                 /* entry is the map entry that answers */
    const char *location;       /* NULL: not needed (it leaves) */
    const char *next_path;      /* the request it makes on this server */
    const char *next_query;
    int too_long;
} redirect307_step;

/* --------------------------------------------------------------------
 * Finding the rule of a request
 */

/* The one place the walker reads a map: the entry for a decoded path and
 * query, as a request finds it, and the part of the query that is
 * carried over. */
static int redirect307_chain_map_find(redirect307_walker *w,
                                      const redirect307_map *map,
                                      const char *path, const char *query,
                                      redirect307_map_item *item,
                                      const char **rest_query)
{
    return redirect307_map_lookup(w->scratch, map, path, query,
                                  w->in->ignore, item, rest_query);
}

/* The parts of a map entry's target (checked when the map was read). */
static int redirect307_chain_entry_parts(apr_pool_t *p,
                                         const redirect307_map_item *item,
                                         redirect307_parts *parts)
{
    redirect307_url url;

    if (redirect307_parse_url(p, p, item->target, &url)) {
        return 0;
    }
    redirect307_url_parts(&url, parts);
    return 1;
}

/* Does a template hold nothing that depends on the request? */
static int redirect307_chain_literal(const redirect307_template *t)
{
    int i;

    for (i = 0; i < t->pieces->nelts; i++) {
        const redirect307_piece *piece =
            &APR_ARRAY_IDX(t->pieces, i, redirect307_piece);

        if (piece->capture >= 0 || piece->expr) {
            return 0;
        }
    }
    return 1;
}

/* The first rule of a scope that matches st->path, as
 * redirect307_scope_find() finds it for a request.  Returns 1 when a rule
 * matches (st->rule stays NULL when it is one the walk does not follow:
 * a regex whose target has captures), 0 when none does.  Sets *parts,
 * *remainder and *args for the Location. */
static int redirect307_chain_scope(redirect307_walker *w,
                                   const redirect307_scope *scope,
                                   redirect307_step *st,
                                   redirect307_parts *parts,
                                   const char **remainder, const char **args)
{
    const redirect307_rule *best;
    redirect307_lookup found;
    int i;

    redirect307_scope_lookup(w->scratch, scope, st->path, &found);
    best = found.prefix;
    *remainder = found.remainder;
    for (i = 0; i < found.ncandidates; i++) {
        const redirect307_rule *rule = found.candidates[i];

        if (rule->kind == REDIRECT307_REGEX
            && !(rule->literal_len && strncmp(st->path, rule->literal,
                                              rule->literal_len))
            && w->in->regex_matches(w->in->baton, rule, st->path)) {
            *remainder = NULL;
            if (redirect307_chain_literal(rule->target)) {
                redirect307_request req;

                memset(&req, 0, sizeof(req));
                req.pool = w->scratch;
                redirect307_expand(&req, rule->target, st->path, NULL,
                                   parts);
                st->rule = rule;
            }
            return 1;
        }
        if (rule->kind == REDIRECT307_MAP
            && redirect307_chain_map_find(w, rule->map, st->path, st->query,
                                          &st->entry, args)
            && redirect307_chain_entry_parts(w->scratch, &st->entry, parts)) {
            *remainder = NULL;
            st->mapped = 1;
            st->rule = rule;
            return 1;
        }
    }
    if (best) {
        redirect307_url_parts(&best->url, parts);
        st->rule = best;
        return 1;
    }
    return 0;
}

/* --------------------------------------------------------------------
 * Where a Location goes
 */

/* Is the scheme, host and port of an absolute Location this server's?
 * The port is the scheme's default or the server's own. */
static int redirect307_chain_is_self(const redirect307_chain_self *self,
                                     const apr_uri_t *uri)
{
    apr_port_t port, default_port;
    int i;

    if (!uri->scheme || !uri->hostname || strcasecmp(uri->scheme,
                                                     self->scheme)) {
        return 0;
    }
    default_port = apr_uri_port_of_scheme(self->scheme);
    port = uri->port_str && *uri->port_str ? uri->port : default_port;
    if (port != default_port && port != self->port) {
        return 0;
    }
    for (i = 0; self->names && i < self->names->nelts; i++) {
        if (!strcasecmp(uri->hostname,
                        APR_ARRAY_IDX(self->names, i, const char *))) {
            return 1;
        }
    }
    for (i = 0; self->wild_names && i < self->wild_names->nelts; i++) {
        if (apr_fnmatch(APR_ARRAY_IDX(self->wild_names, i, const char *),
                        uri->hostname, APR_FNM_CASE_BLIND) == APR_SUCCESS) {
            return 1;
        }
    }
    return 0;
}

/* Can an absolute target be for this server?  A quick look at its host,
 * so that targets on other hosts cost no Location. */
static int redirect307_chain_may_be_self(const redirect307_chain_self *self,
                                         const redirect307_parts *parts)
{
    int i;

    if (!parts->origin || self->wild_names) {
        return 1;
    }
    for (i = 0; self->names && i < self->names->nelts; i++) {
        if (redirect307_origin_has_host(parts,
                                        APR_ARRAY_IDX(self->names, i,
                                                      const char *))) {
            return 1;
        }
    }
    return 0;
}

/* The request a Location makes when it is for this server: its decoded
 * path and its query, as httpd reads them. */
static void redirect307_chain_next(redirect307_walker *w,
                                   redirect307_step *st)
{
    apr_uri_t uri;
    char *path;

    if (apr_uri_parse(w->scratch, st->location, &uri) != APR_SUCCESS
        || !redirect307_chain_is_self(w->in->self, &uri)) {
        return;
    }
    path = apr_pstrdup(w->scratch, uri.path ? uri.path : "/");
    if (!redirect307_decode_path(path)
        || (!w->in->keep_2f && strstr(path, "%2F"))) {
        return;                 /* httpd answers 404 */
    }
    st->next_path = path;
    st->next_query = (uri.query && *uri.query) ? uri.query : NULL;
}

static const char *redirect307_chain_self_origin(void *baton)
{
    return ((const redirect307_chain_self *)baton)->origin;
}

/* What the request for st->path and st->query does.  Returns 0 when no
 * rule the walk follows answers it.  need_location: build the Location
 * even when it is not for this server. */
static int redirect307_chain_step(redirect307_walker *w, redirect307_step *st,
                                  int need_location)
{
    redirect307_request req;
    redirect307_parts parts;
    const char *remainder = NULL;
    int i;

    memset(&req, 0, sizeof(req));
    req.args = st->query;
    st->rule = NULL;
    st->mapped = 0;
    st->location = st->next_path = st->next_query = NULL;
    st->too_long = 0;
    for (i = 0; i < w->in->nscopes; i++) {
        if (redirect307_chain_scope(w, w->in->scopes[i], st, &parts,
                                    &remainder, &req.args)) {
            break;
        }
    }
    if (!st->rule) {
        return 0;
    }
    if (!need_location && !redirect307_chain_may_be_self(w->in->self,
                                                         &parts)) {
        return 1;
    }
    req.pool = w->scratch;
    req.keep_2f = w->in->keep_2f;
    req.self_origin = redirect307_chain_self_origin;
    req.baton = (void *)w->in->self;
    if (!w->in->merge_query) {
        req.args = NULL;
    }
    st->location = redirect307_assemble(&req, &parts, remainder);
    if (strlen(st->location) > (w->in->max_url ? w->in->max_url
                                : REDIRECT307_CHAIN_MAX_URL)) {
        st->too_long = 1;
    }
    else {
        redirect307_chain_next(w, st);
    }
    return 1;
}

/* --------------------------------------------------------------------
 * Following requests
 */

/* The memo's key of a request: path NUL query.  Sets *klen. */
static char *redirect307_chain_key(apr_pool_t *p, const char *path,
                                   const char *query, apr_size_t *klen)
{
    apr_size_t plen = strlen(path), qlen = query ? strlen(query) : 0;
    char *key = apr_palloc(p, plen + qlen + 2);

    memcpy(key, path, plen + 1);
    memcpy(key + plen + 1, query ? query : "", qlen + 1);
    *klen = plen + 1 + qlen;
    return key;
}

static redirect307_chain_hop *redirect307_chain_get(redirect307_walker *w,
                                                    const char *path,
                                                    const char *query)
{
    apr_size_t klen;
    char *key = redirect307_chain_key(w->scratch, path, query, &klen);

    return apr_hash_get(w->memo, key, klen);
}

/* Remembers the request of st and puts it on the stack of the requests
 * being followed. */
static void redirect307_chain_push(redirect307_walker *w,
                                   const redirect307_step *st)
{
    redirect307_chain_hop *hop = apr_pcalloc(w->pool, sizeof(*hop));
    const char *fragment = strchr(st->location, '#');
    apr_size_t klen;
    char *key = redirect307_chain_key(w->pool, st->path, st->query, &klen);

    hop->path = key;
    hop->query = st->query ? key + strlen(key) + 1 : NULL;
    hop->rule = st->rule;
    hop->mapped = st->mapped;
    if (st->mapped) {
        hop->entry = st->entry;
    }
    hop->fragment = fragment ? apr_pstrdup(w->pool, fragment) : NULL;
    hop->mark = REDIRECT307_CHAIN_FOLLOWING;
    apr_hash_set(w->memo, key, klen, hop);
    *(redirect307_chain_hop **)apr_array_push(w->stack) = hop;
}

/* Where a request ends up when its Location leads to the request next:
 * where next ends up, with the fragment of its own Location when that has
 * none (RFC 9110 10.2.2). */
static const char *redirect307_chain_final(redirect307_walker *w,
                                           const redirect307_chain_hop *hop)
{
    if (!hop->fragment || strchr(hop->next->final, '#')) {
        return hop->next->final;
    }
    return apr_pstrcat(w->pool, hop->next->final, hop->fragment, NULL);
}

static void redirect307_chain_loop(redirect307_walker *w,
                                   const redirect307_chain_hop *first,
                                   apr_uint32_t hops, int grows)
{
    redirect307_chain_report report;

    w->loops++;
    report.loop = 1;
    report.grows = grows;
    report.first = first;
    report.hops = hops;
    report.final = NULL;
    w->in->report(w->in->baton, &report);
}

/* The requests on the stack are followed to their end: the stack's top
 * sends location, which leads to end (a remembered request, or NULL: it
 * ends there), or which has grown too long.  Links them, counts their
 * hops, reports a loop. */
static void redirect307_chain_unwind(redirect307_walker *w,
                                     redirect307_chain_hop *end, int grows,
                                     const char *location)
{
    int top = w->stack->nelts - 1, i, cycle = -1, loop;

    if (end && end->mark == REDIRECT307_CHAIN_FOLLOWING) {
        for (cycle = top; APR_ARRAY_IDX(w->stack, cycle,
                                        redirect307_chain_hop *) != end;
             cycle--);
    }
    loop = grows || cycle >= 0 || (end && end->loop);
    for (i = top; i >= 0; i--) {
        redirect307_chain_hop *hop =
            APR_ARRAY_IDX(w->stack, i, redirect307_chain_hop *);

        hop->next = (i == top) ? end
            : APR_ARRAY_IDX(w->stack, i + 1, redirect307_chain_hop *);
        hop->mark = REDIRECT307_CHAIN_DONE;
        hop->loop = loop;
        if (loop) {
            continue;
        }
        if (hop->next) {
            hop->hops = hop->next->hops + 1;
            hop->final = redirect307_chain_final(w, hop);
        }
        else {
            hop->hops = 1;
            hop->final = apr_pstrdup(w->pool, location);
        }
    }
    if (cycle >= 0) {
        redirect307_chain_loop(w, end, (apr_uint32_t)(top - cycle + 1), 0);
    }
    else if (grows) {
        redirect307_chain_loop(w, APR_ARRAY_IDX(w->stack, 0,
                                                redirect307_chain_hop *),
                               (apr_uint32_t)(top + 1), 1);
    }
}

/* Moves the walk's work to the other scratch pool, taking along the
 * request to follow and the one waiting to be remembered, so that a long
 * walk keeps only the work of its last two requests. */
static void redirect307_chain_flip(redirect307_walker *w, const char **path,
                                   const char **query,
                                   redirect307_step *pending)
{
    apr_pool_t *p = (w->scratch == w->scratch2) ? w->scratch1 : w->scratch2;

    apr_pool_clear(p);
    *path = apr_pstrdup(p, *path);
    *query = *query ? apr_pstrdup(p, *query) : NULL;
    if (pending) {
        pending->path = apr_pstrdup(p, pending->path);
        pending->query = pending->query ? apr_pstrdup(p, pending->query)
            : NULL;
        pending->location = apr_pstrdup(p, pending->location);
    }
    w->scratch = p;
}

/* Follows the request for path and query.  Returns what is remembered of
 * it, or NULL when it takes one redirect or none.  A request is
 * remembered once the request its Location makes is answered too, so that
 * the many rules whose target goes elsewhere cost no memory. */
static const redirect307_chain_hop *redirect307_chain_follow(
    redirect307_walker *w, const char *path, const char *query)
{
    redirect307_step st, pending;
    redirect307_chain_hop *end = NULL;
    int have_pending = 0, grows = 0;

    memset(&pending, 0, sizeof(pending));
    w->stack->nelts = 0;
    for (;;) {
        if (have_pending && !strcmp(path, pending.path)
            && !strcmp(query ? query : "", pending.query ? pending.query
                       : "")) {
            redirect307_chain_push(w, &pending);        /* to itself */
            have_pending = 0;
        }
        if ((end = redirect307_chain_get(w, path, query))) {
            break;
        }
        redirect307_chain_flip(w, &path, &query,
                               have_pending ? &pending : NULL);
        st.path = path;
        st.query = query;
        if (!redirect307_chain_step(w, &st, have_pending
                                    || w->stack->nelts)) {
            break;
        }
        if (have_pending) {
            redirect307_chain_push(w, &pending);
        }
        pending = st;
        have_pending = 1;
        if (st.too_long || !st.next_path) {
            grows = st.too_long;
            break;
        }
        path = st.next_path;
        query = st.next_query;
    }
    if (have_pending && (w->stack->nelts || end || grows)) {
        redirect307_chain_push(w, &pending);
    }
    if (!w->stack->nelts) {
        return end;
    }
    /* the top of the stack is the request that was waiting */
    redirect307_chain_unwind(w, end, grows, pending.location);
    return APR_ARRAY_IDX(w->stack, 0, redirect307_chain_hop *);
}

/* --------------------------------------------------------------------
 * The starts: every rule and map entry of the server's own scope
 */

static int redirect307_chain_by_position(const void *a, const void *b)
{
    const redirect307_rule *ra = *(const redirect307_rule *const *)a;
    const redirect307_rule *rb = *(const redirect307_rule *const *)b;

    return (ra->position > rb->position) - (ra->position < rb->position);
}

/* The rules of a scope in configuration order: the prefix rules from the
 * table, the regexes from the index, the others from their list. */
static apr_array_header_t *redirect307_chain_rules(apr_pool_t *p,
                                                   const redirect307_scope
                                                   *scope)
{
    apr_array_header_t *rules =
        apr_array_make(p, scope->count + 1, sizeof(const redirect307_rule *));
    apr_hash_index_t *hi;
    apr_uint32_t i;

    for (i = 0; scope->slots && i <= scope->mask; i++) {
        if (scope->slots[i]) {
            *(const redirect307_rule **)apr_array_push(rules) =
                scope->slots[i];
        }
    }
    for (hi = scope->regexes ? apr_hash_first(p, scope->regexes) : NULL; hi;
         hi = apr_hash_next(hi)) {
        apr_array_cat(rules, apr_hash_this_val(hi));
    }
    apr_array_cat(rules, scope->sequential);
    qsort(rules->elts, rules->nelts, sizeof(const redirect307_rule *),
          redirect307_chain_by_position);
    return rules;
}

/* Follows the request for path, a start; reports it when it is a chain. */
static void redirect307_chain_start(redirect307_walker *w, const char *path,
                                    const char *query)
{
    const redirect307_chain_hop *hop;

    hop = redirect307_chain_follow(w, path, query);
    if (hop && !hop->loop && hop->hops >= 2 && !hop->reported) {
        redirect307_chain_report report;

        ((redirect307_chain_hop *)hop)->reported = 1;
        w->chains++;
        report.loop = 0;
        report.grows = 0;
        report.first = hop;
        report.hops = hop->hops;
        report.final = hop->final;
        w->in->report(w->in->baton, &report);
    }
}

/* The starts of one rule: a prefix rule's URL-path, a map's keys, the
 * literal start of a capture-free regex when the regex matches it.
 * first: the rule is the first of its scope, so each map entry answers
 * its own key, and an entry whose target is on another host is one
 * redirect, which needs no following (most entries of a large map). */
static void redirect307_chain_rule_starts(redirect307_walker *w,
                                          const redirect307_rule *rule,
                                          int first)
{
    redirect307_map_item entry;
    redirect307_parts parts;
    apr_uint32_t i, n;
    char *key, *query;

    switch (rule->kind) {
    case REDIRECT307_PREFIX:
        redirect307_chain_start(w, rule->url_path, NULL);
        break;
    case REDIRECT307_MAP:
        for (i = 0, n = redirect307_map_size(rule->map); i < n; i++) {
            entry = redirect307_map_entry_at(rule->map, i);
            if (first && entry.target[0] != '/') {
                if (redirect307_chain_entry_parts(w->scratch, &entry, &parts)
                    && !redirect307_chain_may_be_self(w->in->self, &parts)) {
                    continue;
                }
            }
            /* a key with a query asks for its path with that query */
            key = apr_pstrdup(w->scratch, entry.key);
            if ((query = strchr(key, '?'))) {
                *query++ = '\0';
            }
            redirect307_chain_start(w, key, query);
        }
        break;
    case REDIRECT307_REGEX:
        if (rule->literal_len && rule->literal[0] == '/'
            && redirect307_chain_literal(rule->target)
            && w->in->regex_matches(w->in->baton, rule, rule->literal)) {
            redirect307_chain_start(w, rule->literal, NULL);
        }
        break;
    default:
        break;
    }
}

void redirect307_chain_check(apr_pool_t *p, const redirect307_chain_input *in,
                             apr_uint32_t *chains, apr_uint32_t *loops)
{
    redirect307_walker w;
    apr_array_header_t *rules;
    int i;

    if (!in->nscopes || !in->scopes[0]) {
        return;
    }
    memset(&w, 0, sizeof(w));
    w.pool = p;
    w.in = in;
    w.memo = apr_hash_make(p);
    w.stack = apr_array_make(p, 16, sizeof(redirect307_chain_hop *));
    apr_pool_create(&w.scratch1, p);
    apr_pool_create(&w.scratch2, p);
    w.scratch = w.scratch1;
    rules = redirect307_chain_rules(p, in->scopes[0]);
    for (i = 0; i < rules->nelts; i++) {
        redirect307_chain_rule_starts(&w, APR_ARRAY_IDX(rules, i,
                                                        const redirect307_rule
                                                        *), i == 0);
    }
    apr_pool_destroy(w.scratch1);
    apr_pool_destroy(w.scratch2);
    *chains += w.chains;
    *loops += w.loops;
}

const char *redirect307_chain_origin(apr_pool_t *p,
                                     const redirect307_chain_hop *hop)
{
    if (hop->mapped) {
        return apr_psprintf(p, "%s%u", hop->rule->map->file_colon,
                            (unsigned)hop->entry.line);
    }
    return redirect307_rule_origin(p, hop->rule);
}
