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
 * The httpd side of mod_redirect307's usage statistics: counters in
 * anonymous shared memory (apr_shm) that the parent creates in post_config
 * and every child inherits, counts carried over to the next generation at a
 * graceful restart and kept in Redirect307StatsFile across stops (written
 * by the parent from the monitor hook and when its pool goes), and the
 * redirect307-status handler with its explain form.
 */

#include "apr_atomic.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_shm.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_vhost.h"
#include "mpm_common.h"
#include "util_script.h"

#include "mod_redirect307_stats.h"
#include "redirect307_private.h"

APLOG_USE_MODULE(redirect307);

/* --------------------------------------------------------------------
 * Constants and state
 */

#define REDIRECT307_STATUS_HANDLER "redirect307-status"
/* the state file is written at least this often (and at shutdown) */
#define REDIRECT307_SAVE_EVERY     apr_time_from_sec(60)
#define REDIRECT307_PAGE_ROWS      100
#define REDIRECT307_PAGE_MAX_ROWS  1000
#define REDIRECT307_GENERATION     "redirect307_stats_generation"

/* A scope whose rules were noted while the configuration is read, and
 * what its place needs that is known only once it is read (the virtual
 * host's name and port). */
typedef struct {
    redirect307_stats_place place;      /* what its rows point to */
    const redirect307_scope *scope;     /* the key of the places */
    server_rec *server;
} redirect307_noted;

/* The counters of one configuration generation.  Its pool is unmanaged:
 * it outlives the configuration pool (and the module's code, which httpd
 * unloads and loads again at a restart), so that the next generation can
 * carry the counts over, and it holds no cleanup of the module's.  The
 * process pool's user data names it across the restart. */
typedef struct {
    apr_pool_t *pool;
    apr_shm_t *shm;
    redirect307_stats_table copy;       /* slots, counters, since; its
                                         * rows only while the
                                         * configuration is in use */
    redirect307_stats_record *carry;    /* the counters hit when the
                                         * configuration went, for the
                                         * next generation */
    apr_size_t ncarry;
    const char *file;
    pid_t parent;
    apr_uint64_t saved_hits;
    apr_time_t saved_at;
} redirect307_generation;

/* the configuration being read (pconf) */
static redirect307_stats_table *redirect307_reading;
static apr_hash_t *redirect307_places_by_scope;        /* of noted */
/* the configuration in use, and its counters */
static redirect307_stats_table *redirect307_table;
static redirect307_generation *redirect307_current;
static redirect307_counter *redirect307_counters;
static apr_uint32_t redirect307_slots;

/* --------------------------------------------------------------------
 * Counting (request time)
 */

void redirect307_stats_count(apr_uint32_t counter, apr_time_t when)
{
    if (counter < redirect307_slots) {
        apr_atomic_inc64(&redirect307_counters[counter].hits);
        apr_atomic_set64(&redirect307_counters[counter].last,
                         (apr_uint64_t)apr_time_sec(when));
    }
}

/* --------------------------------------------------------------------
 * Noting rules (configuration time)
 */

/* The sections around the directive being read, innermost first, without
 * file names and lines: "<Location /x> <VirtualHost ...>"-free, since the
 * virtual host is named by the server. */
static const char *redirect307_sections(cmd_parms *cmd)
{
    const ap_directive_t *d = cmd->directive ? cmd->directive->parent : NULL;
    const char *text = "";

    for (; d; d = d->parent) {
        if (!strncasecmp(d->directive, "<If", 3) && d->directive[3]) {
            continue;           /* <IfModule>, <IfDefine>, ... */
        }
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            continue;
        }
        text = apr_pstrcat(cmd->pool, text, *text ? " " : "", d->directive,
                           " ", d->args, NULL);
    }
    return text;
}

/* The place of the scope of the directive being read, noted the first
 * time one of its rules is. */
static const redirect307_stats_place *
redirect307_place_of(cmd_parms *cmd, const redirect307_scope *scope)
{
    redirect307_noted *noted = apr_hash_get(redirect307_places_by_scope,
                                            &scope, sizeof(scope));

    if (!noted) {
        noted = apr_pcalloc(cmd->pool, sizeof(*noted));
        noted->place.scope = scope->name;
        noted->place.sections = redirect307_sections(cmd);
        noted->scope = scope;
        noted->server = cmd->server;
        apr_hash_set(redirect307_places_by_scope, &noted->scope,
                     sizeof(noted->scope), noted);
    }
    return &noted->place;
}

/* A row costs two pointers, and what it shows is read from the rule when
 * the status page asks, so that counting 100k rules costs little more
 * than their rules. */
void redirect307_stats_note(cmd_parms *cmd, redirect307_rule *rule,
                            const redirect307_scope *scope)
{
    redirect307_stats_rule *row;

    if (!redirect307_reading) {
        return;
    }
    row = apr_array_push(redirect307_reading->rules);
    row->rule = rule;
    row->place = redirect307_place_of(cmd, scope);
}

/* The scope of each place without line numbers, for the identities of its
 * rules; the names and ports of virtual hosts are final only now. */
static void redirect307_scope_keys(apr_pool_t *p)
{
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(p, redirect307_places_by_scope); hi;
         hi = apr_hash_next(hi)) {
        redirect307_noted *noted = apr_hash_this_val(hi);
        server_rec *s = noted->server;

        noted->place.scope_key = s->is_virtual
            ? apr_psprintf(p, "vhost %s:%u %s", s->server_hostname,
                           (unsigned)s->port, noted->place.sections)
            : apr_pstrcat(p, "server ", noted->place.sections, NULL);
    }
}

/* How many rule directives the configuration has (those in sections that
 * are not used included): room for the rows of its rules, made once. */
static int redirect307_rule_directives(const ap_directive_t *d)
{
    int n = 0;

    for (; d; d = d->next) {
        if (!strncasecmp(d->directive, "Redirect307", 11)
            && (!d->directive[11] || !strcasecmp(d->directive + 11, "Match")
                || !strcasecmp(d->directive + 11, "Map"))) {
            n++;
        }
        n += redirect307_rule_directives(d->first_child);
    }
    return n;
}

static int redirect307_stats_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                                        apr_pool_t *ptemp)
{
    redirect307_reading =
        redirect307_stats_make(pconf, redirect307_rule_directives(
                                   ap_conftree));
    redirect307_places_by_scope = apr_hash_make(pconf);
    return OK;
}

/* --------------------------------------------------------------------
 * The state file and the generations of counters (the parent)
 */

static apr_uint64_t redirect307_sum(const redirect307_stats_table *t)
{
    apr_uint64_t sum = 0;
    apr_uint32_t i;

    for (i = 0; i < t->slots; i++) {
        sum += apr_atomic_read64(&t->counters[i].hits);
    }
    return sum;
}

/* Writes the state file: the records given, or those of the counters hit
 * now (NULL). */
static void redirect307_save(redirect307_generation *gen, server_rec *s,
                             const redirect307_stats_record *recs,
                             apr_size_t n)
{
    apr_pool_t *p;
    const char *err;

    if (!gen->file || getpid() != gen->parent) {
        return;
    }
    apr_pool_create(&p, gen->pool);
    gen->saved_hits = redirect307_sum(&gen->copy);
    gen->saved_at = apr_time_now();
    if (!recs) {
        recs = redirect307_stats_records(p, &gen->copy, &n);
    }
    err = redirect307_stats_save(p, gen->file, gen->copy.since, recs, n);
    if (err) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "Redirect307StatsFile: %s",
                     err);
    }
    apr_pool_destroy(p);
}

/* When the configuration pool goes, at a restart and at shutdown (before
 * httpd unloads the module, and before the pool's memory, rules and maps
 * included, is given back: cleanups run first, in reverse order).  The
 * identities of the counters hit are made now, from the rules, for the
 * state file and the next generation. */
static apr_status_t redirect307_generation_end(void *data)
{
    redirect307_generation *gen = data;

    if (getpid() != gen->parent) {
        return APR_SUCCESS;
    }
    gen->carry = redirect307_stats_records(gen->pool, &gen->copy,
                                           &gen->ncarry);
    gen->copy.rules = NULL;
    redirect307_save(gen, ap_server_conf, gen->carry, gen->ncarry);
    return APR_SUCCESS;
}

/* The records the previous generation left, with the counts its children
 * added since (to counters hit before it ended: a counter first hit after
 * that is not carried over). */
static redirect307_stats_record *
redirect307_from_old(const redirect307_generation *old, apr_size_t *n)
{
    apr_size_t i;

    for (i = 0; i < old->ncarry; i++) {
        redirect307_stats_record *rec = &old->carry[i];

        if (rec->slot < old->copy.slots) {
            rec->hits = apr_atomic_read64(&old->copy.counters[rec->slot].hits);
            rec->last = apr_atomic_read64(&old->copy.counters[rec->slot].last);
        }
    }
    *n = old->ncarry;
    return old->carry;
}

/* Counts from the state file, for the first generation.  A file that is
 * not a state file of this module is never written over. */
static apr_size_t redirect307_from_file(apr_pool_t *ptemp, server_rec *s,
                                        redirect307_generation *gen,
                                        redirect307_stats_record **recs)
{
    apr_uint64_t since = 0;
    apr_size_t n = 0;
    int missing = 0;
    const char *err;

    err = redirect307_stats_load(ptemp, gen->file, &missing, &since, recs,
                                 &n);
    if (err) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "Redirect307StatsFile "
                     "%s: %s; the counts start from zero%s", gen->file, err,
                     strncmp(err, "not a mod_redirect307", 21) ? ""
                     : ", and the file is left alone (not written)");
        if (!strncmp(err, "not a mod_redirect307", 21)) {
            gen->file = NULL;
        }
        return 0;
    }
    if (!missing && since) {
        gen->copy.since = since;
    }
    return n;
}

/* The new generation's counters, with the counts of the previous
 * generation or of the state file.  The time logged is what carrying the
 * counts over costs the parent: identities, shared memory, lookups. */
static apr_status_t redirect307_generation_start(apr_pool_t *ptemp,
                                                 server_rec *s,
                                                 redirect307_generation *gen,
                                                 redirect307_generation *old)
{
    redirect307_stats_table *t = redirect307_reading;
    redirect307_stats_record *recs = NULL;
    apr_time_t start = apr_time_now();
    apr_size_t n = 0, bytes;
    apr_uint32_t carried = 0;
    apr_status_t rv = APR_SUCCESS;

    redirect307_stats_layout(t);
    bytes = sizeof(redirect307_counter) * t->slots;
    if (bytes) {
        rv = apr_shm_create(&gen->shm, bytes, NULL, gen->pool);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, "Redirect307Stats: "
                         "cannot create %" APR_SIZE_T_FMT " bytes of shared "
                         "memory; redirects are not counted", bytes);
            return rv;
        }
        /* anonymous shared memory starts zeroed: pages of counters that
         * are never hit are never touched */
        t->counters = apr_shm_baseaddr_get(gen->shm);
    }
    t->since = (apr_uint64_t)apr_time_sec(start);
    gen->copy = *t;
    if (old) {
        gen->copy.since = old->copy.since;
        recs = redirect307_from_old(old, &n);
    }
    else if (gen->file) {
        n = redirect307_from_file(ptemp, s, gen, &recs);
    }
    t->since = gen->copy.since;
    carried = redirect307_stats_carry(ptemp, t, recs, n);
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "Redirect307Stats: %u "
                 "counters in %" APR_SIZE_T_FMT " bytes of shared memory; "
                 "%u of %" APR_SIZE_T_FMT " counts carried over from the %s "
                 "in %.1f ms", (unsigned)t->slots, bytes, (unsigned)carried,
                 n, old ? "previous generation" : "state file",
                 (double)(apr_time_now() - start) / 1000.0);
    return APR_SUCCESS;
}

static int redirect307_stats_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                         apr_pool_t *ptemp, server_rec *s)
{
    redirect307_generation *old = NULL, *gen;
    redirect307_stats_table *t = redirect307_reading;
    apr_pool_t *pool;
    const char *file;
    void *data = NULL;
    int on;

    /* the first read of the configuration at start-up only checks it */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    apr_pool_userdata_get(&data, REDIRECT307_GENERATION, s->process->pool);
    old = data;
    apr_pool_userdata_set(NULL, REDIRECT307_GENERATION, NULL,
                          s->process->pool);
    redirect307_stats_settings(s, &on, &file);
    redirect307_table = NULL;
    redirect307_current = NULL;
    redirect307_counters = NULL;
    redirect307_slots = 0;
    if (on == 0 || !t) {
        if (old) {
            apr_pool_destroy(old->pool);
        }
        return OK;
    }
    redirect307_scope_keys(pconf);
    apr_pool_create_unmanaged_ex(&pool, NULL, NULL);
    apr_pool_tag(pool, "redirect307_stats");
    gen = apr_pcalloc(pool, sizeof(*gen));
    gen->pool = pool;
    gen->parent = getpid();
    gen->file = file ? apr_pstrdup(gen->pool, file) : NULL;
    if (redirect307_generation_start(ptemp, s, gen, old) != APR_SUCCESS) {
        apr_pool_destroy(gen->pool);
        gen = NULL;
    }
    if (old) {
        apr_pool_destroy(old->pool);
    }
    if (!gen) {
        return OK;
    }
    /* reading a page of shared memory gives the parent a copy of it: the
     * counters are read here only for a state file (which reads them all
     * anyway) */
    gen->saved_hits = gen->file ? redirect307_sum(&gen->copy) : 0;
    gen->saved_at = apr_time_now();
    apr_pool_cleanup_register(pconf, gen, redirect307_generation_end,
                              apr_pool_cleanup_null);
    apr_pool_userdata_set(gen, REDIRECT307_GENERATION, NULL,
                          s->process->pool);
    redirect307_table = t;
    redirect307_current = gen;
    redirect307_counters = t->counters;
    redirect307_slots = t->counters ? t->slots : 0;
    return OK;
}

/* In the parent, about once a second: writes the state file when a minute
 * has passed and something was counted. */
static int redirect307_stats_monitor(apr_pool_t *p, server_rec *s)
{
    redirect307_generation *gen = redirect307_current;

    if (gen && gen->file && apr_time_now() - gen->saved_at
        >= REDIRECT307_SAVE_EVERY) {
        if (redirect307_sum(&gen->copy) != gen->saved_hits) {
            redirect307_save(gen, s, NULL, 0);
        }
        else {
            gen->saved_at = apr_time_now();
        }
    }
    return DECLINED;
}

/* --------------------------------------------------------------------
 * The explain form: a sub-request for the URL, in which the rule hooks
 * record what they find instead of redirecting
 */

redirect307_explaining *redirect307_stats_explaining(request_rec *r)
{
    for (r = r->main; r; r = r->main) {
        redirect307_explaining *x =
            ap_get_module_config(r->request_config, &redirect307_module);

        if (x) {
            return x;
        }
    }
    return NULL;
}

/* Is method a token (RFC 9110)? */
static int redirect307_is_method(const char *method)
{
    const char *c;

    for (c = method; *c; c++) {
        if (!apr_isalnum(*c) && !strchr("!#$%&'*+-.^_`|~", *c)) {
            return 0;
        }
    }
    return c != method;
}

/* The host the form names ("name", "name:port", "[v6]:port"), checked;
 * sets *port (0: none). */
static const char *redirect307_explain_host(request_rec *r, const char *text,
                                            apr_port_t *port)
{
    char *host = NULL, *scope = NULL;

    *port = 0;
    if (apr_parse_addr_port(&host, &scope, port, text, r->pool)
        != APR_SUCCESS || !host || scope
        || !redirect307_is_host(r->pool, ap_strchr_c(host, ':')
                                ? apr_pstrcat(r->pool, "[", host, "]", NULL)
                                : host)) {
        return NULL;
    }
    ap_str_tolower(host);
    return host;
}

/* Why nothing was recorded: what the sub-request ran into. */
static const char *redirect307_explain_why_not(request_rec *r,
                                               const redirect307_explaining
                                               *x, int status)
{
    if (!x->translated) {
        return apr_psprintf(r->pool, "not redirected by mod_redirect307: "
                            "another module answered first, with status %d",
                            status);
    }
    if (status != HTTP_OK && status != 0) {
        return apr_psprintf(r->pool, "no server or virtual-host rule "
                            "matches, and httpd answers with status %d before "
                            "the rules of sections are tried", status);
    }
    return "no rule matches";
}

/* Runs the sub-request for the URL the form names, as the server chosen
 * for its host would see it, and restores the request afterwards. */
static void redirect307_explain_run(request_rec *r, const char *method,
                                    const char *uri, const char *host,
                                    apr_port_t port, redirect307_explaining *x,
                                    int *status)
{
    server_rec *server = r->server;
    const char *hostname = r->hostname;
    char *port_str = r->parsed_uri.port_str;
    apr_port_t parsed_port = r->parsed_uri.port;
    request_rec *rr;

    r->hostname = host;
    if (port) {
        r->parsed_uri.port_str = apr_itoa(r->pool, port);
        r->parsed_uri.port = port;
    }
    ap_update_vhost_from_headers(r);
    ap_set_module_config(r->request_config, &redirect307_module, x);
    rr = ap_sub_req_method_uri(method, uri, r, NULL);
    *status = rr->status;
    if (x->rule) {
        x->rule = apr_pstrdup(r->pool, x->rule);
    }
    if (x->location) {
        x->location = apr_pstrdup(r->pool, x->location);
    }
    if (x->reason) {
        x->reason = apr_pstrdup(r->pool, x->reason);
    }
    ap_destroy_sub_req(rr);
    ap_set_module_config(r->request_config, &redirect307_module, NULL);
    r->server = server;
    r->hostname = hostname;
    r->parsed_uri.port_str = port_str;
    r->parsed_uri.port = parsed_port;
}

static void redirect307_explain(request_rec *r, const char *path,
                                const char *method, const char *host_text,
                                redirect307_explanation *e)
{
    redirect307_explaining x;
    const char *uri, *host;
    apr_port_t port = 0;
    int status = 0, own_host;

    memset(&x, 0, sizeof(x));
    memset(e, 0, sizeof(*e));
    e->method = method = (method && *method) ? method : "GET";
    uri = redirect307_clean(r->pool, path, strlen(path));
    own_host = !host_text || !*host_text;
    host = !own_host ? redirect307_explain_host(r, host_text, &port)
        : (r->hostname ? r->hostname : r->server->server_hostname);
    e->url = apr_pstrcat(r->pool, ap_http_scheme(r), "://",
                         !host ? host_text : ap_strchr_c(host, ':')
                         ? apr_pstrcat(r->pool, "[", host, "]", NULL) : host,
                         NULL);
    if (port || (own_host && ap_get_server_port(r) != ap_default_port(r))) {
        e->url = apr_psprintf(r->pool, "%s:%u", e->url, (unsigned)(port
                              ? port : ap_get_server_port(r)));
    }
    e->url = apr_pstrcat(r->pool, e->url, uri, NULL);
    if (!redirect307_is_method(method)) {
        e->reason = "the method is not an HTTP method name";
    }
    else if (!host) {
        e->reason = "the host is not a host name or IP address";
    }
    else if (uri[0] != '/') {
        e->reason = "the URL-path must start with '/'";
    }
    if (e->reason) {
        return;
    }
    redirect307_explain_run(r, method, uri, host, port, &x, &status);
    e->rule = x.rule;
    e->location = x.location;
    if (x.location) {
        e->reason = apr_psprintf(r->pool, "the %s rule at %s answers with "
                                 "307", x.kind, x.rule);
    }
    else {
        e->reason = x.reason ? x.reason
            : redirect307_explain_why_not(r, &x, status);
    }
}

/* --------------------------------------------------------------------
 * The redirect307-status handler
 */

static void redirect307_rwrite(void *baton, const char *text, apr_size_t len)
{
    ap_rwrite(text, (int)len, baton);
}

typedef struct {
    const char *format;
    const char *explain;
    const char *method;
    const char *host;
    const char *q;
    const char *before;
    redirect307_stats_view view;
    const char *error;
} redirect307_status_args;

/* The page's arguments; a bad value is an error on the page. */
static void redirect307_status_read(request_rec *r,
                                    redirect307_status_args *a)
{
    apr_table_t *args;
    const char *sort, *order, *n, *offset;

    ap_args_to_table(r, &args);
    memset(a, 0, sizeof(*a));
    a->format = apr_table_get(args, "format");
    a->explain = apr_table_get(args, "explain");
    a->method = apr_table_get(args, "method");
    a->host = apr_table_get(args, "host");
    a->q = apr_table_get(args, "q");
    a->before = apr_table_get(args, "before");
    sort = apr_table_get(args, "sort");
    order = apr_table_get(args, "order");
    n = apr_table_get(args, "n");
    offset = apr_table_get(args, "offset");
    a->view.q = a->q;
    a->view.sort = !sort ? REDIRECT307_BY_ORIGIN
        : !strcmp(sort, "hits") ? REDIRECT307_BY_HITS
        : !strcmp(sort, "last") ? REDIRECT307_BY_LAST : REDIRECT307_BY_ORIGIN;
    a->view.desc = order && !strcmp(order, "desc");
    a->view.limit = n ? (apr_uint32_t)apr_atoi64(n) : REDIRECT307_PAGE_ROWS;
    if (a->view.limit < 1 || a->view.limit > REDIRECT307_PAGE_MAX_ROWS) {
        a->view.limit = REDIRECT307_PAGE_ROWS;
    }
    a->view.offset = offset ? (apr_uint32_t)apr_atoi64(offset) : 0;
    if (a->before && *a->before) {
        a->view.before = redirect307_parse_date(a->before);
        if (!a->view.before) {
            a->error = apr_psprintf(r->pool, "'%s' is not a date: write "
                                    "YYYY-MM-DD (UTC)", a->before);
        }
    }
}

static void redirect307_status_page(request_rec *r, redirect307_out *out,
                                    redirect307_status_args *a)
{
    redirect307_stats_page page;
    redirect307_explanation e;

    memset(&page, 0, sizeof(page));
    page.server = apr_psprintf(r->pool, "%s on %s",
                               ap_get_server_description(),
                               r->server->server_hostname);
    page.enabled = redirect307_table != NULL;
    page.error = a->error;
    page.view = &a->view;
    page.q_text = a->q;
    page.before_text = a->before;
    page.explain_path = a->explain;
    page.explain_method = a->method;
    page.explain_host = a->host;
    page.now = (apr_uint64_t)apr_time_sec(r->request_time);
    if (a->explain) {
        redirect307_explain(r, a->explain, a->method, a->host, &e);
        page.explained = &e;
    }
    ap_set_content_type(r, "text/html; charset=utf-8");
    if (!r->header_only) {
        redirect307_stats_html(out, redirect307_table, &page);
    }
}

static int redirect307_stats_handler(request_rec *r)
{
    redirect307_status_args a;
    redirect307_out out;
    redirect307_explanation e;

    if (!r->handler || strcmp(r->handler, REDIRECT307_STATUS_HANDLER)) {
        return DECLINED;
    }
    r->allowed = AP_METHOD_BIT << M_GET;
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    redirect307_status_read(r, &a);
    out.write = redirect307_rwrite;
    out.baton = r;
    out.pool = r->pool;
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (a.format && strcmp(a.format, "html")) {
        if (a.error) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s", a.error);
            return HTTP_BAD_REQUEST;
        }
        if (!strcmp(a.format, "json")) {
            ap_set_content_type(r, "application/json");
            if (a.explain) {
                redirect307_explain(r, a.explain, a.method, a.host, &e);
            }
            if (!r->header_only) {
                if (a.explain) {
                    redirect307_explain_json(&out, &e);
                }
                else {
                    redirect307_stats_json(&out, redirect307_table, &a.view);
                }
            }
        }
        else if (!strcmp(a.format, "csv")) {
            ap_set_content_type(r, "text/csv; charset=utf-8");
            if (!r->header_only) {
                redirect307_stats_csv(&out, redirect307_table, &a.view);
            }
        }
        else if (!strcmp(a.format, "prometheus")) {
            ap_set_content_type(r, "text/plain; version=0.0.4; "
                                "charset=utf-8");
            if (!r->header_only) {
                redirect307_stats_prometheus(&out, redirect307_table);
            }
        }
        else {
            return HTTP_BAD_REQUEST;
        }
        return OK;
    }
    redirect307_status_page(r, &out, &a);
    return OK;
}

/* --------------------------------------------------------------------
 * Hooks
 */

void redirect307_stats_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(redirect307_stats_pre_config, NULL, NULL,
                       APR_HOOK_MIDDLE);
    ap_hook_post_config(redirect307_stats_post_config, NULL, NULL,
                        APR_HOOK_MIDDLE);
    ap_hook_monitor(redirect307_stats_monitor, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(redirect307_stats_handler, NULL, NULL, APR_HOOK_MIDDLE);
}
