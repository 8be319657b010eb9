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

/* A rule noted while the configuration is read: what the table needs that
 * is known only once it is read (the virtual host's name and port). */
typedef struct {
    redirect307_rule *rule;
    server_rec *server;
    const char *sections;       /* the enclosing sections, without lines */
} redirect307_noted;

/* The counters of one configuration generation.  Its pool is unmanaged:
 * it outlives the configuration pool (and the module's code, which httpd
 * unloads and loads again at a restart), so that the next generation can
 * carry the counts over, and it holds no cleanup of the module's.  The
 * process pool's user data names it across the restart. */
typedef struct {
    apr_pool_t *pool;
    apr_shm_t *shm;
    redirect307_stats_table copy;       /* slots, identities, counters,
                                         * since: what the next generation
                                         * and the state file need */
    const char *file;
    pid_t parent;
    apr_uint64_t saved_hits;
    apr_time_t saved_at;
} redirect307_generation;

/* the configuration being read (pconf) */
static redirect307_stats_table *redirect307_reading;
static apr_array_header_t *redirect307_reading_notes;
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

void redirect307_stats_note(cmd_parms *cmd, redirect307_rule *rule,
                            const redirect307_scope *scope)
{
    redirect307_stats_rule *row;
    redirect307_noted *noted;

    if (!redirect307_reading) {
        return;
    }
    row = apr_array_push(redirect307_reading->rules);
    memset(row, 0, sizeof(*row));
    row->kind = rule->kind;
    row->scope = scope->name;
    row->file = (cmd->directive && cmd->directive->filename)
        ? cmd->directive->filename : "(unknown file)";
    row->line = cmd->directive ? (apr_uint32_t)cmd->directive->line_num : 0;
    row->target = rule->written;
    row->map = (rule->kind == REDIRECT307_MAP) ? rule->map : NULL;
    noted = apr_array_push(redirect307_reading_notes);
    noted->rule = rule;
    noted->server = cmd->server;
    noted->sections = redirect307_sections(cmd);
    switch (rule->kind) {
    case REDIRECT307_PREFIX:
        row->match = rule->url_path;
        break;
    case REDIRECT307_REGEX:
        row->match = rule->pattern;
        break;
    case REDIRECT307_SECTION:
        row->match = *noted->sections ? noted->sections : "(server)";
        break;
    default:
        row->match = rule->map->file;
        row->target = NULL;
        break;
    }
}

/* The scope of each rule without line numbers, for its identity; the names
 * and ports of virtual hosts are final only now. */
static void redirect307_scope_keys(apr_pool_t *p)
{
    int i;

    for (i = 0; i < redirect307_reading_notes->nelts; i++) {
        redirect307_noted *noted =
            &APR_ARRAY_IDX(redirect307_reading_notes, i, redirect307_noted);
        redirect307_stats_rule *row =
            &APR_ARRAY_IDX(redirect307_reading->rules, i,
                           redirect307_stats_rule);
        server_rec *s = noted->server;

        row->scope_key = s->is_virtual
            ? apr_psprintf(p, "vhost %s:%u %s", s->server_hostname,
                           (unsigned)s->port, noted->sections)
            : apr_pstrcat(p, "server ", noted->sections, NULL);
    }
}

static int redirect307_stats_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                                        apr_pool_t *ptemp)
{
    redirect307_reading = redirect307_stats_make(pconf);
    redirect307_reading_notes = apr_array_make(pconf, 16,
                                               sizeof(redirect307_noted));
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

static void redirect307_save(redirect307_generation *gen, server_rec *s)
{
    apr_pool_t *p;
    redirect307_stats_record *recs;
    apr_size_t n;
    const char *err;

    if (!gen->file || getpid() != gen->parent) {
        return;
    }
    apr_pool_create(&p, gen->pool);
    gen->saved_hits = redirect307_sum(&gen->copy);
    gen->saved_at = apr_time_now();
    recs = redirect307_stats_records(p, &gen->copy, &n);
    err = redirect307_stats_save(p, gen->file, gen->copy.since, recs, n);
    if (err) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "Redirect307StatsFile: %s",
                     err);
    }
    apr_pool_destroy(p);
}

/* When the configuration pool goes, at a restart and at shutdown (before
 * httpd unloads the module: cleanups run in reverse order). */
static apr_status_t redirect307_generation_end(void *data)
{
    redirect307_save(data, ap_server_conf);
    return APR_SUCCESS;
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

    redirect307_stats_layout(gen->pool, t);
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
        recs = redirect307_stats_records(ptemp, &old->copy, &n);
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
    int on, i;

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
    gen->saved_hits = redirect307_sum(&gen->copy);
    gen->saved_at = apr_time_now();
    apr_pool_cleanup_register(pconf, gen, redirect307_generation_end,
                              apr_pool_cleanup_null);
    apr_pool_userdata_set(gen, REDIRECT307_GENERATION, NULL,
                          s->process->pool);
    for (i = 0; i < redirect307_reading_notes->nelts; i++) {
        redirect307_noted *noted =
            &APR_ARRAY_IDX(redirect307_reading_notes, i, redirect307_noted);

        noted->rule->counter =
            APR_ARRAY_IDX(t->rules, i, redirect307_stats_rule).base;
    }
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
            redirect307_save(gen, s);
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
