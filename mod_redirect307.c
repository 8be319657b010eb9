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
 * mod_redirect307: answers matching requests with "307 Temporary Redirect"
 * and an absolute Location, so that clients repeat the same method and body
 * at the new place.
 *
 * Rules are tried in configuration order and the first match wins, as in
 * mod_alias.  Prefix rules are found through a per-scope index of path
 * segments built at configuration time, so the cost of a lookup does not
 * grow with the number of rules; regex rules, section rules and maps are
 * tried only when they come before the best prefix rule.
 */

#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_strings.h"
#include "apr_uri.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_expr.h"
#include "ap_regex.h"

#include "mod_redirect307.h"
#include "mod_redirect307_stats.h"
#include "redirect307_private.h"

/* --------------------------------------------------------------------
 * Constants and configuration structures
 */

#define REDIRECT307_UNSET          (-1)
#define REDIRECT307_QUERY_DISCARD  0
#define REDIRECT307_QUERY_MERGE    1
#define REDIRECT307_ENV_RULE       "REDIRECT307_RULE"
#define REDIRECT307_CHAIN_OFF      0
#define REDIRECT307_CHAIN_WARN     1
#define REDIRECT307_CHAIN_ERROR    2
/* reports of each kind (chains, loops) before only a count follows */
#define REDIRECT307_CHAIN_REPORTS  10
/* hops written out in one report */
#define REDIRECT307_CHAIN_HOPS     20

/* Scopes in the order they are tried, the innermost first.  Merges link
 * chains; rule lists are never copied. */
typedef struct redirect307_link {
    const redirect307_scope *scope;
    const struct redirect307_link *next;
} redirect307_link;

typedef struct {
    redirect307_scope *own;     /* rules written in this server */
    const redirect307_link *chain;      /* own, then the main server's */
    apr_array_header_t *trusted;        /* apr_ipsubnet_t *, NULL: unset */
    redirect307_ignore_list *ignore;    /* Redirect307IgnoreParams, NULL:
                                         * unset (the default list) */
    int stats;                  /* Redirect307Stats: 1, 0 or UNSET */
    const char *stats_file;     /* Redirect307StatsFile, NULL: unset */
    int chain_check;            /* CHAIN_OFF, _WARN, _ERROR or UNSET */
    const char *chain_check_origin;     /* "file:line", NULL: unset */
} redirect307_server_conf;

typedef struct {
    redirect307_scope *own;     /* rules written in this section */
    const redirect307_link *chain;      /* own, then enclosing sections' */
    int engine;                 /* 1, 0 or REDIRECT307_UNSET */
    int query_mode;             /* MERGE, DISCARD or REDIRECT307_UNSET */
} redirect307_dir_conf;

module AP_MODULE_DECLARE_DATA redirect307_module;

/* --------------------------------------------------------------------
 * Creating and merging configurations
 */

static void *redirect307_create_dir_conf(apr_pool_t *p, char *dir)
{
    redirect307_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = NULL;
    conf->engine = REDIRECT307_UNSET;
    conf->query_mode = REDIRECT307_UNSET;
    return conf;
}

/* The scopes of add, then those of base: add's few links are copied, the
 * scopes themselves and base's links are shared. */
static const redirect307_link *redirect307_join(apr_pool_t *p,
                                                const redirect307_link *add,
                                                const redirect307_link *base)
{
    redirect307_link *head = NULL, **tail = &head;

    if (!add) {
        return base;
    }
    if (!base) {
        return add;
    }
    for (; add; add = add->next) {
        redirect307_link *link = apr_palloc(p, sizeof(*link));

        link->scope = add->scope;
        link->next = NULL;
        *tail = link;
        tail = (redirect307_link **)&link->next;
    }
    *tail = (redirect307_link *)base;
    return head;
}

static void *redirect307_merge_dir_conf(apr_pool_t *p, void *basev,
                                        void *addv)
{
    redirect307_dir_conf *base = basev, *add = addv;
    redirect307_dir_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->own = NULL;           /* a merged configuration gets no rules */
    conf->chain = redirect307_join(p, add->chain, base->chain);
    conf->engine = (add->engine != REDIRECT307_UNSET) ? add->engine
        : base->engine;
    conf->query_mode = (add->query_mode != REDIRECT307_UNSET)
        ? add->query_mode : base->query_mode;
    return conf;
}

static void *redirect307_create_server_conf(apr_pool_t *p, server_rec *s)
{
    redirect307_server_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = NULL;
    conf->trusted = NULL;
    conf->ignore = NULL;
    conf->stats = REDIRECT307_UNSET;
    conf->stats_file = NULL;
    conf->chain_check = REDIRECT307_UNSET;
    conf->chain_check_origin = NULL;
    return conf;
}

static void *redirect307_merge_server_conf(apr_pool_t *p, void *basev,
                                           void *addv)
{
    redirect307_server_conf *base = basev, *add = addv;
    redirect307_server_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = redirect307_join(p, add->chain, base->chain);
    conf->trusted = add->trusted ? add->trusted : base->trusted;
    conf->ignore = add->ignore ? add->ignore : base->ignore;
    /* server config only: virtual hosts have the main server's */
    conf->stats = (add->stats != REDIRECT307_UNSET) ? add->stats
        : base->stats;
    conf->stats_file = add->stats_file ? add->stats_file : base->stats_file;
    conf->chain_check = (add->chain_check != REDIRECT307_UNSET)
        ? add->chain_check : base->chain_check;
    conf->chain_check_origin = add->chain_check_origin
        ? add->chain_check_origin : base->chain_check_origin;
    return conf;
}

/* --------------------------------------------------------------------
 * Rules, scopes and map files (configuration time)
 */

static const char *redirect307_origin_of(cmd_parms *cmd)
{
    if (!cmd->directive || !cmd->directive->filename) {
        return "(unknown file)";        /* added by a module, not a file */
    }
    return apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                        cmd->directive->line_num);
}

static redirect307_rule *redirect307_rule_make(cmd_parms *cmd,
                                               redirect307_kind kind)
{
    redirect307_rule *rule = apr_pcalloc(cmd->pool, sizeof(*rule));

    rule->kind = kind;
    if (cmd->directive && cmd->directive->filename) {
        rule->file = cmd->directive->filename;
        rule->line = (apr_uint32_t)cmd->directive->line_num;
    }
    rule->counter = REDIRECT307_NO_COUNTER;
    return rule;
}

/* A name for the place a directive is written in: "main server", "virtual
 * host www.example.com:443 (file:line)", "<Location /x> (file:line)" or
 * ".htaccess in /dir". */
static const char *redirect307_scope_name(cmd_parms *cmd)
{
    const ap_directive_t *section = cmd->directive ? cmd->directive->parent
        : NULL;

    if (cmd->path == NULL) {
        if (!cmd->server->is_virtual) {
            return "main server";
        }
        return apr_psprintf(cmd->pool, "virtual host %s:%u (%s:%d)",
                            cmd->server->server_hostname,
                            (unsigned)cmd->server->port,
                            cmd->server->defn_name,
                            cmd->server->defn_line_number);
    }
    /* <IfModule>, <IfDefine>, <IfVersion>... only wrap the section */
    while (section && !strncasecmp(section->directive, "<If", 3)
           && section->directive[3]) {
        section = section->parent;
    }
    if (!section) {
        return apr_psprintf(cmd->pool, ".htaccess in %s", cmd->path);
    }
    return apr_psprintf(cmd->pool, "%s %s (%s:%d)", section->directive,
                        section->args, section->filename, section->line_num);
}

/* The scope the rules of the directive being read go to: the server's (or
 * virtual host's) outside sections, the section's inside one. */
static redirect307_scope *redirect307_scope_of(cmd_parms *cmd, void *mconfig)
{
    redirect307_scope **own;
    const redirect307_link **chain;

    if (cmd->path == NULL) {
        redirect307_server_conf *sconf =
            ap_get_module_config(cmd->server->module_config,
                                 &redirect307_module);
        own = &sconf->own;
        chain = &sconf->chain;
    }
    else {
        redirect307_dir_conf *dconf = mconfig;
        own = &dconf->own;
        chain = &dconf->chain;
    }
    if (!*own) {
        redirect307_link *link = apr_palloc(cmd->pool, sizeof(*link));

        *own = redirect307_scope_make(cmd->pool, redirect307_scope_name(cmd));
        link->scope = *own;
        link->next = NULL;
        *chain = link;
    }
    return *own;
}

/* How many directives like the one being read follow it in its section
 * (itself included): a hint for the size of the scope's index. */
static apr_uint32_t redirect307_siblings(cmd_parms *cmd)
{
    const ap_directive_t *d;
    apr_uint32_t n = 0;

    for (d = cmd->directive; d; d = d->next) {
        n += !strcasecmp(d->directive, cmd->cmd->name);
    }
    return n;
}

/* Files the rule in the scope of the directive being read. */
static void redirect307_add_rule(cmd_parms *cmd, void *mconfig,
                                 redirect307_rule *rule)
{
    redirect307_scope *scope = redirect307_scope_of(cmd, mconfig);
    const redirect307_rule *earlier;

    if (rule->kind == REDIRECT307_PREFIX && !scope->prefixes
        && cmd->directive) {
        redirect307_scope_reserve(cmd->pool, scope,
                                  redirect307_siblings(cmd));
    }
    earlier = redirect307_scope_add(cmd->pool, scope, rule);

    /* rules in .htaccess are read per request: they have no counter */
    if (!ap_check_cmd_context(cmd, NOT_IN_HTACCESS)) {
        redirect307_stats_note(cmd, rule, scope);
    }

    /* .htaccess files are read for every request: stay quiet there */
    if (earlier && !ap_check_cmd_context(cmd, NOT_IN_HTACCESS)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     "%s at %s never matches: %s has the same URL-path "
                     "'%s'", cmd->cmd->name,
                     redirect307_rule_origin(cmd->temp_pool, rule),
                     redirect307_rule_origin(cmd->temp_pool, earlier),
                     rule->url_path);
    }
}

/* The glue's half of reading a one-argument target: ap_expr parses each
 * %{...}. */
static const char *redirect307_parse_expr(void *baton, const char *text,
                                          apr_size_t len, void **expr)
{
    cmd_parms *cmd = baton;
    const char *err = NULL;

    *expr = ap_expr_parse_cmd(cmd, apr_pstrmemdup(cmd->pool, text, len),
                              AP_EXPR_FLAG_STRING_RESULT, &err, NULL);
    if (err) {
        return apr_psprintf(cmd->pool, "cannot parse the target: %s", err);
    }
    return NULL;
}

static const char *redirect307_parse_target(cmd_parms *cmd, const char *text,
                                            int ncaptures,
                                            redirect307_template **out)
{
    return redirect307_parse_template(cmd->pool, cmd->temp_pool, text,
                                      ncaptures, redirect307_parse_expr, cmd,
                                      out);
}

static void redirect307_map_warn(void *baton, const char *msg)
{
    cmd_parms *cmd = baton;

    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s: %s",
                 cmd->cmd->name, msg);
}

/* --------------------------------------------------------------------
 * Directive handlers
 */

static const char *redirect307_cmd_redirect(cmd_parms *cmd, void *mconfig,
                                            const char *arg1,
                                            const char *arg2)
{
    redirect307_rule *rule = redirect307_rule_make(cmd, arg2
                                                   ? REDIRECT307_PREFIX
                                                   : REDIRECT307_SECTION);
    const char *err;

    if (arg2 == NULL) {
        if (cmd->path == NULL) {
            return apr_psprintf(cmd->pool, "%s: missing URL: write '%s "
                                "URL-path URL' (the one-argument form '%s "
                                "URL' belongs in <Location>, <Directory>, "
                                "<Files>, <If> and .htaccess)",
                                cmd->cmd->name, cmd->cmd->name,
                                cmd->cmd->name);
        }
        rule->written = arg1;
        err = redirect307_parse_target(cmd, arg1, -1, &rule->target);
        if (err) {
            return apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                                arg1, err);
        }
    }
    else {
        /* arg1 is this directive's own copy of the word, in cmd->pool */
        char *url_path = (char *)arg1;
        apr_pool_t *scratch;

        if (url_path[0] != '/') {
            return apr_psprintf(cmd->pool, "%s: URL-path '%s' must start "
                                "with '/'", cmd->cmd->name, arg1);
        }
        if (!redirect307_decode_path(url_path)) {
            return apr_psprintf(cmd->pool, "%s: URL-path '%s' has a bad "
                                "percent-encoding", cmd->cmd->name, arg1);
        }
        rule->url_path = url_path;
        rule->written = arg2;
        /* what checking the target needs, given back at once: a file of
         * many rules would otherwise keep it all until the end */
        apr_pool_create(&scratch, cmd->temp_pool);
        err = redirect307_parse_url(cmd->pool, scratch, arg2, &rule->url);
        if (err) {
            err = apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                               arg2, err);
        }
        apr_pool_destroy(scratch);
        if (err) {
            return err;
        }
    }
    redirect307_add_rule(cmd, mconfig, rule);
    return NULL;
}

static const char *redirect307_cmd_match(cmd_parms *cmd, void *mconfig,
                                         const char *regex,
                                         const char *target)
{
    redirect307_rule *rule = redirect307_rule_make(cmd, REDIRECT307_REGEX);
    apr_size_t literal_len;
    const char *err;

    rule->pattern = regex;
    rule->written = target;
    rule->regex = ap_pregcomp(cmd->pool, regex, 0);
    if (!rule->regex) {
        ap_regex_t probe;
        char why[256];
        int rc = ap_regcomp(&probe, regex, 0);

        ap_regerror(rc, &probe, why, sizeof(why));
        return apr_psprintf(cmd->pool, "%s: the regular expression '%s' "
                            "does not compile: %s", cmd->cmd->name, regex,
                            why);
    }
    /* RegexDefaultOptions, as ap_pregcomp() has just read it */
    literal_len = redirect307_regex_literal(cmd->pool, regex,
                                  (ap_regcomp_get_default_cflags()
                                   & ~(AP_REG_DOTALL | AP_REG_DOLLAR_ENDONLY))
                                  != 0, &rule->literal);
    rule->literal_len = (literal_len <= REDIRECT307_LITERAL_MAX)
        ? (unsigned int)literal_len : 0;
    err = redirect307_parse_target(cmd, target,
                                   (int)((ap_regex_t *)rule->regex)->re_nsub,
                                   &rule->target);
    if (err) {
        return apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                            target, err);
    }
    redirect307_add_rule(cmd, mconfig, rule);
    return NULL;
}

/* An option word of Redirect307Map, or -1. */
static int redirect307_map_option(const char *word)
{
    if (!word) {
        return 0;
    }
    if (!strcasecmp(word, "nocase")) {
        return REDIRECT307_MAP_NOCASE;
    }
    if (!strcasecmp(word, "noslash")) {
        return REDIRECT307_MAP_NOSLASH;
    }
    return -1;
}

static const char *redirect307_cmd_map(cmd_parms *cmd, void *mconfig,
                                       const char *file, const char *opt1,
                                       const char *opt2)
{
    const char *opts[2] = { opt1, opt2 };
    redirect307_rule *rule;
    const char *path, *err;
    int flags = 0, i;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT))) {
        return err;
    }
    for (i = 0; i < 2; i++) {
        int flag = redirect307_map_option(opts[i]);

        if (flag < 0) {
            return apr_psprintf(cmd->pool, "%s: unknown option '%s': use "
                                "nocase or noslash", cmd->cmd->name,
                                opts[i]);
        }
        flags |= flag;
    }
    path = ap_server_root_relative(cmd->pool, file);
    if (!path) {
        return apr_psprintf(cmd->pool, "%s: invalid file path '%s'",
                            cmd->cmd->name, file);
    }
    rule = redirect307_rule_make(cmd, REDIRECT307_MAP);
    if ((err = redirect307_map_load(cmd->pool, cmd->temp_pool, path, flags,
                                    redirect307_map_warn, cmd, &rule->map))) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    }
    redirect307_add_rule(cmd, mconfig, rule);
    return NULL;
}

static const char *redirect307_cmd_query_string(cmd_parms *cmd,
                                                void *mconfig,
                                                const char *mode)
{
    redirect307_dir_conf *dconf = mconfig;

    if (!strcasecmp(mode, "Merge")) {
        dconf->query_mode = REDIRECT307_QUERY_MERGE;
    }
    else if (!strcasecmp(mode, "Discard")) {
        dconf->query_mode = REDIRECT307_QUERY_DISCARD;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use Merge "
                            "or Discard", cmd->cmd->name, mode);
    }
    return NULL;
}

/* TAKE1 rather than FLAG: httpd's FLAG ignores extra words silently. */
static const char *redirect307_cmd_engine(cmd_parms *cmd, void *mconfig,
                                          const char *flag)
{
    redirect307_dir_conf *dconf = mconfig;

    if (!strcasecmp(flag, "On")) {
        dconf->engine = 1;
    }
    else if (!strcasecmp(flag, "Off")) {
        dconf->engine = 0;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use On or "
                            "Off", cmd->cmd->name, flag);
    }
    return NULL;
}

static const char *redirect307_cmd_trusted_proxy(cmd_parms *cmd,
                                                 void *mconfig,
                                                 const char *arg)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    char *ip = apr_pstrdup(cmd->temp_pool, arg);
    char *mask = strchr(ip, '/');
    apr_ipsubnet_t **subnet;
    apr_status_t rv;
    const char *err;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT))) {
        return err;
    }
    if (mask) {
        *mask++ = '\0';
    }
    if (!sconf->trusted) {
        sconf->trusted = apr_array_make(cmd->pool, 2, sizeof(*subnet));
    }
    subnet = apr_array_push(sconf->trusted);
    rv = apr_ipsubnet_create(subnet, ip, mask, cmd->pool);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not an IP address or "
                            "CIDR range: %pm", cmd->cmd->name, arg, &rv);
    }
    return NULL;
}

/* Redirect307IgnoreParams name|prefix* ... | None.  The names of one
 * server make its list; they replace the default, they do not extend it. */
static const char *redirect307_cmd_ignore_params(cmd_parms *cmd,
                                                 void *mconfig,
                                                 const char *arg)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    apr_size_t len = strlen(arg);
    const char *err, **names;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT))) {
        return err;
    }
    if (!sconf->ignore) {
        sconf->ignore = apr_pcalloc(cmd->pool, sizeof(*sconf->ignore));
    }
    if (!strcasecmp(arg, "None") || sconf->ignore->count < 0) {
        if (sconf->ignore->count) {
            return apr_psprintf(cmd->pool, "%s: None cannot be combined with "
                                "parameter names", cmd->cmd->name);
        }
        sconf->ignore->count = -1;      /* None, until the last argument */
        return NULL;
    }
    if (!len || arg[0] == '*' || memchr(arg, '*', len - 1)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a parameter name or "
                            "a 'prefix*' pattern", cmd->cmd->name, arg);
    }
    names = apr_palloc(cmd->pool, (sconf->ignore->count + 1) * sizeof(*names));
    if (sconf->ignore->count) {
        memcpy(names, sconf->ignore->names,
               sconf->ignore->count * sizeof(*names));
    }
    names[sconf->ignore->count++] = apr_pstrdup(cmd->pool, arg);
    sconf->ignore->names = names;
    return NULL;
}

/* Redirect307Stats On|Off: TAKE1 for the reason given above. */
static const char *redirect307_cmd_stats(cmd_parms *cmd, void *mconfig,
                                         const char *flag)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    const char *err;

    if ((err = ap_check_cmd_context(cmd, GLOBAL_ONLY))) {
        return err;
    }
    if (!strcasecmp(flag, "On")) {
        sconf->stats = 1;
    }
    else if (!strcasecmp(flag, "Off")) {
        sconf->stats = 0;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use On or "
                            "Off", cmd->cmd->name, flag);
    }
    return NULL;
}

static const char *redirect307_cmd_stats_file(cmd_parms *cmd, void *mconfig,
                                              const char *file)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    const char *err;

    if ((err = ap_check_cmd_context(cmd, GLOBAL_ONLY))) {
        return err;
    }
    sconf->stats_file = ap_server_root_relative(cmd->pool, file);
    if (!sconf->stats_file || !*file) {
        return apr_psprintf(cmd->pool, "%s: invalid file path '%s'",
                            cmd->cmd->name, file);
    }
    return NULL;
}

void redirect307_stats_settings(server_rec *s, int *on, const char **file)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(s->module_config, &redirect307_module);

    *on = sconf->stats;
    *file = sconf->stats_file;
}

static const char *redirect307_cmd_chain_check(cmd_parms *cmd,
                                               void *mconfig,
                                               const char *mode)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    const char *err;

    if ((err = ap_check_cmd_context(cmd, GLOBAL_ONLY))) {
        return err;
    }
    if (!strcasecmp(mode, "Warn")) {
        sconf->chain_check = REDIRECT307_CHAIN_WARN;
    }
    else if (!strcasecmp(mode, "Error")) {
        sconf->chain_check = REDIRECT307_CHAIN_ERROR;
    }
    else if (!strcasecmp(mode, "Off")) {
        sconf->chain_check = REDIRECT307_CHAIN_OFF;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use Warn, "
                            "Error or Off", cmd->cmd->name, mode);
    }
    sconf->chain_check_origin = redirect307_origin_of(cmd);
    return NULL;
}

/* --------------------------------------------------------------------
 * Request time: finding the rule
 */

typedef struct {
    const char *path;           /* the URL-path the rules are matched with */
    const redirect307_rule *rule;
    const char *remainder;      /* PREFIX: the path after the URL-path */
    redirect307_map_item entry; /* MAP */
    const char *rest_query;     /* MAP: what is left to merge */
    redirect307_span spans[REDIRECT307_MAX_CAPTURES];   /* REGEX */
} redirect307_hit;

/* What redirect307_resolve() found besides the Location. */
typedef struct {
    int quiet;                  /* in: no warning (explaining a URL) */
    apr_uint32_t counter;       /* the counter of the rule or map entry */
    const char *kind;           /* of the rule that matched */
    int loop;                   /* the loop guard stopped the rule */
} redirect307_found;

/* The counter of the rule, or of the map entry, that matched. */
static apr_uint32_t redirect307_hit_counter(const redirect307_hit *hit)
{
    if (hit->rule->counter == REDIRECT307_NO_COUNTER) {
        return REDIRECT307_NO_COUNTER;
    }
    if (hit->rule->kind == REDIRECT307_MAP) {
        return hit->rule->counter + hit->entry.ordinal;
    }
    return hit->rule->counter;
}

/* Runs a regex rule, after its literal start has been compared: on a
 * match, fills in the spans of its captures. */
static int redirect307_regex_matches(const redirect307_rule *rule,
                                     redirect307_hit *hit)
{
    ap_regmatch_t match[REDIRECT307_MAX_CAPTURES];
    int i;

    if (ap_regexec(rule->regex, hit->path, REDIRECT307_MAX_CAPTURES, match,
                   0)) {
        return 0;
    }
    for (i = 0; i < REDIRECT307_MAX_CAPTURES; i++) {
        hit->spans[i].so = match[i].rm_so;
        hit->spans[i].eo = match[i].rm_eo;
    }
    return 1;
}

/* The Redirect307IgnoreParams list of the request's server. */
static const redirect307_ignore_list *redirect307_ignore_of(request_rec *r)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);

    if (!sconf->ignore) {
        return &redirect307_ignore_default;
    }
    return sconf->ignore->count < 0 ? NULL : sconf->ignore;
}

/* Has the map an entry for the request?  Says which at trace4. */
static int redirect307_map_matches(request_rec *r,
                                   const redirect307_rule *rule,
                                   redirect307_hit *hit)
{
    int found = redirect307_map_lookup(r->pool, rule->map, hit->path,
                                       r->args, redirect307_ignore_of(r),
                                       &hit->entry, &hit->rest_query);

    if (APLOGrtrace4(r)) {
        if (found) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE4, 0, r,
                          "Redirect307Map %s at %s: entry %u (line %u), key "
                          "'%s', query left to merge '%s'", rule->map->file,
                          redirect307_rule_origin(r->pool, rule),
                          hit->entry.ordinal + 1,
                          hit->entry.line, hit->entry.key,
                          hit->rest_query ? hit->rest_query : "");
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE4, 0, r,
                          "Redirect307Map %s at %s: no entry for the path "
                          "and query", rule->map->file,
                          redirect307_rule_origin(r->pool, rule));
        }
    }
    return found;
}

/* Does a rule other than a prefix rule match?  Says why not at trace4. */
static int redirect307_rule_matches(request_rec *r,
                                    const redirect307_rule *rule,
                                    redirect307_hit *hit)
{
    const char *why;

    switch (rule->kind) {
    case REDIRECT307_SECTION:
        return 1;
    case REDIRECT307_REGEX:
        if (rule->literal_len
            && strncmp(hit->path, rule->literal, rule->literal_len)) {
            why = "the path does not start with the regex's literal text";
        }
        else if (!redirect307_regex_matches(rule, hit)) {
            why = "the regex does not match";
        }
        else {
            return 1;
        }
        if (APLOGrtrace4(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE4, 0, r,
                          "Redirect307Match %s at %s: %s", rule->pattern,
                          redirect307_rule_origin(r->pool, rule), why);
        }
        return 0;
    case REDIRECT307_MAP:
        return redirect307_map_matches(r, rule, hit);
    default:
        return 0;
    }
}

/* The first rule of one scope that matches the request: the rules the
 * index offers before the first prefix rule, in configuration order, then
 * that prefix rule. */
static int redirect307_scope_find(request_rec *r,
                                  const redirect307_scope *scope,
                                  redirect307_hit *hit)
{
    redirect307_lookup found;
    int i;

    redirect307_scope_lookup(r->pool, scope, hit->path, &found);
    if (APLOGrtrace3(r)) {
        if (found.prefix) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r,
                          "%s: first prefix rule for the path is %s "
                          "(URL-path %s, rule %d of %d); %d other rule%s "
                          "before it", scope->name,
                          redirect307_rule_origin(r->pool, found.prefix),
                          found.prefix->url_path, found.prefix->position + 1,
                          scope->count, found.ncandidates,
                          found.ncandidates == 1 ? "" : "s");
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r,
                          "%s: no prefix rule covers the path; %d other "
                          "rule%s to try", scope->name, found.ncandidates,
                          found.ncandidates == 1 ? "" : "s");
        }
    }
    for (i = 0; i < found.ncandidates; i++) {
        const redirect307_rule *rule = found.candidates[i];

        if (redirect307_rule_matches(r, rule, hit)) {
            hit->rule = rule;
            hit->remainder = NULL;
            if (APLOGrtrace2(r)) {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                              "%s: rule %s matches%s", scope->name,
                              redirect307_rule_origin(r->pool, rule),
                              found.prefix
                              ? ", before the prefix rule" : "");
            }
            return 1;
        }
    }
    if (found.prefix) {
        hit->rule = found.prefix;
        hit->remainder = found.remainder;
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "%s: prefix rule %s matches", scope->name,
                          redirect307_rule_origin(r->pool, found.prefix));
        }
        return 1;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "%s: no rule matches",
                      scope->name);
    }
    return 0;
}

/* --------------------------------------------------------------------
 * Request time: building the Location
 */

/* What a request needs while its Location is built; the baton of the
 * core's callbacks. */
typedef struct {
    request_rec *r;
    const redirect307_rule *rule;
    int query_mode;
    const char *proto;          /* the scheme a trusted proxy forwards */
    int proto_checked;
} redirect307_ctx;

static int redirect307_peer_trusted(request_rec *r)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);
    int i;

    if (!sconf->trusted || !r->connection->client_addr) {
        return 0;
    }
    for (i = 0; i < sconf->trusted->nelts; i++) {
        if (apr_ipsubnet_test(APR_ARRAY_IDX(sconf->trusted, i,
                                            apr_ipsubnet_t *),
                              r->connection->client_addr)) {
            return 1;
        }
    }
    return 0;
}

/* The scheme the client used, as a trusted proxy reports it: the proto= of
 * the last element of Forwarded (the one the proxy added), or else the last
 * value of X-Forwarded-Proto.  NULL when the peer is not trusted or says
 * nothing usable. */
static const char *redirect307_trusted_proto(redirect307_ctx *ctx)
{
    request_rec *r = ctx->r;
    const char *header, *proto = NULL;

    if (ctx->proto_checked) {
        return ctx->proto;
    }
    ctx->proto_checked = 1;
    if (!redirect307_peer_trusted(r)) {
        return NULL;
    }
    if ((header = apr_table_get(r->headers_in, "Forwarded"))) {
        proto = redirect307_forwarded_proto(header);
    }
    if (!proto && (header = apr_table_get(r->headers_in,
                                          "X-Forwarded-Proto"))) {
        proto = redirect307_x_forwarded_proto(header);
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trusted proxy %s forwards scheme %s",
                      r->connection->client_ip, proto ? proto : "(none)");
    }
    ctx->proto = proto;
    return proto;
}

/* The request the client sent: sub-requests and internal redirects do not
 * keep the port of its Host header. */
static request_rec *redirect307_initial(request_rec *r)
{
    for (;;) {
        if (r->main) {
            r = r->main;
        }
        else if (r->prev) {
            r = r->prev;
        }
        else {
            return r;
        }
    }
}

/* Does UseCanonicalName (On or DNS) name this server whatever the Host
 * header says? */
static int redirect307_canonical_name(request_rec *r)
{
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);

    return core->use_canonical_name == USE_CANONICAL_NAME_ON
        || core->use_canonical_name == USE_CANONICAL_NAME_DNS;
}

/* "scheme://host[:port]" of this server as the client sees it: what
 * ap_construct_url() gives, with the scheme a trusted proxy reports, and
 * the server's own name when the name httpd would use is not a host. */
static const char *redirect307_self_origin(void *baton)
{
    redirect307_ctx *ctx = baton;
    request_rec *r = ctx->r, *top = redirect307_initial(r);
    const char *proto = redirect307_trusted_proto(ctx);
    const char *host = ap_get_server_name_for_url(top);
    apr_port_t port, default_port;

    if (proto && redirect307_canonical_name(top)) {
        /* UseCanonicalName On or DNS: the server's own port, as without a
         * proxy; the Host header decides neither name nor port */
        port = ap_get_server_port(top);
        default_port = apr_uri_port_of_scheme(proto);
    }
    else if (proto) {
        /* behind a proxy the public port is the one the proxy puts in Host */
        port = top->parsed_uri.port_str ? top->parsed_uri.port : 0;
        default_port = apr_uri_port_of_scheme(proto);
    }
    else {
        proto = ap_http_scheme(r);
        port = ap_get_server_port(top);
        default_port = ap_default_port(r);
    }
    if (!redirect307_is_host(r->pool, host)) {
        /* the Host header is not a host: the server's own name and port */
        host = r->server->server_hostname;
        if (ap_strchr_c(host, ':')) {
            host = apr_pstrcat(r->pool, "[", host, "]", NULL);
        }
        port = r->server->port;
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "the request names no usable host; using %s", host);
        }
    }
    if (!port || port == default_port) {
        return apr_pstrcat(r->pool, proto, "://", host, NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", proto, host, (unsigned)port);
}

/* The value of an expression of the rule's target, for the core. */
static const char *redirect307_expr_value(void *baton, const void *expr)
{
    redirect307_ctx *ctx = baton;
    request_rec *r = ctx->r;
    const char *err = NULL, *value;

    value = ap_expr_str_exec(r, expr, &err);
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "Redirect307 at %s: "
                      "cannot evaluate the target: %s",
                      redirect307_rule_origin(r->pool, ctx->rule),
                      err);
        return NULL;
    }
    if (APLOGrtrace5(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE5, 0, r,
                      "rule %s: expression value '%s'",
                      redirect307_rule_origin(r->pool, ctx->rule),
                      value);
    }
    return value;
}

/* A URL-path as httpd compares paths: dot segments resolved, escapes of
 * unreserved characters and then all escapes decoded except encoded
 * slashes, which are written "%2F".  NULL when it cannot be decoded. */
static const char *redirect307_canonical_path(apr_pool_t *p, const char *raw)
{
    char *path = apr_pstrdup(p, (raw && *raw) ? raw : "/");

    if (!ap_normalize_path(path, AP_NORMALIZE_NOT_ABOVE_ROOT
                           | AP_NORMALIZE_DECODE_UNRESERVED)
        || ap_unescape_url_keep2f(path, 0) != OK) {
        return NULL;
    }
    redirect307_upper_2f(path);
    return path;
}

/* The port the client sent the request to, as the Location would name it. */
static apr_port_t redirect307_client_port(redirect307_ctx *ctx,
                                          const char *proto,
                                          const char *scheme)
{
    request_rec *r = ctx->r, *top = redirect307_initial(r);

    if (top->parsed_uri.port_str) {
        return top->parsed_uri.port;
    }
    if (proto || !r->connection->local_addr) {
        return apr_uri_port_of_scheme(scheme);
    }
    return r->connection->local_addr->port;
}

/* Is the URL-path and query of uri the one req was asked for? */
static int redirect307_asked_for(apr_pool_t *p, const request_rec *req,
                                 const apr_uri_t *uri)
{
    const char *asked, *target;
    apr_uri_t request;

    if (!req->unparsed_uri
        || apr_uri_parse(p, req->unparsed_uri, &request) != APR_SUCCESS) {
        return 0;
    }
    asked = redirect307_canonical_path(p, request.path);
    target = redirect307_canonical_path(p, uri->path);
    if (!asked || !target || strcmp(asked, target)) {
        return 0;
    }
    /* the same query as the request's: with Discard, a request with a query
     * is not redirected to itself, it loses its query */
    return !strcmp(uri->query ? uri->query : "",
                   request.query ? request.query : "");
}

/* Would the Location send the client back to the URL it asked for?  That is
 * the URL of the initial request as the client sent it: a sub-request (a
 * DirectoryIndex lookup), an internal redirect or a rewrite of r->uri asks
 * for something else than the client did.  The URL a sub-request or an
 * internal redirect was made for counts too: it is what would be asked
 * next. */
static int redirect307_is_self(redirect307_ctx *ctx,
                               const redirect307_parts *parts,
                               const char *location)
{
    request_rec *r = ctx->r, *top = redirect307_initial(r);
    const char *host = top->hostname ? top->hostname : ap_get_server_name(r);
    const char *proto, *scheme;
    apr_uri_t uri;

    /* the common case, a target on another host, needs no parsing */
    if (parts->origin && !redirect307_origin_has_host(parts, host)) {
        return 0;
    }
    proto = redirect307_trusted_proto(ctx);
    scheme = proto ? proto : ap_http_scheme(r);
    if (apr_uri_parse(r->pool, location, &uri) != APR_SUCCESS
        || !uri.scheme || !uri.hostname || strcasecmp(uri.scheme, scheme)
        || strcasecmp(uri.hostname, host)
        || (uri.port_str ? uri.port : apr_uri_port_of_scheme(uri.scheme))
        != redirect307_client_port(ctx, proto, scheme)) {
        return 0;
    }
    return redirect307_asked_for(r->pool, top, &uri)
        || (r != top && redirect307_asked_for(r->pool, r, &uri));
}

/* The URL-path rules are matched with: r->uri, with the encoded slashes
 * that AllowEncodedSlashes NoDecode leaves in it written "%2F", as rules and
 * map keys write them, whatever case the client used. */
static const char *redirect307_match_path(request_rec *r, int keep_2f)
{
    char *path;

    if (!keep_2f || !ap_strstr_c(r->uri, "%2f")) {
        return r->uri;
    }
    path = apr_pstrdup(r->pool, r->uri);
    redirect307_upper_2f(path);
    return path;
}

/* The parts of a map entry's target, which was checked when the map was
 * read and is parsed again only when the entry is used; the query left to
 * merge (*args, unless Discard made it NULL) and the entry's origin. */
static int redirect307_map_target(request_rec *r, const redirect307_hit *hit,
                                  redirect307_parts *parts, const char **args,
                                  const char **origin)
{
    redirect307_url url;
    const char *err = redirect307_parse_url(r->pool, r->pool,
                                            hit->entry.target, &url);

    if (err) {                  /* cannot happen: checked at load */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "Redirect307Map %s: "
                      "line %u: %s", hit->rule->map->file, hit->entry.line,
                      err);
        return 0;
    }
    redirect307_url_parts(&url, parts);
    if (*args) {
        *args = hit->rest_query;
    }
    *origin = apr_psprintf(r->pool, "%s%u", hit->rule->map->file_colon,
                           hit->entry.line);
    return 1;
}

/* The Location of the rule of hit, unless the loop guard stops it; fills
 * in found (unless NULL). */
static const char *redirect307_checked(redirect307_ctx *ctx,
                                       const redirect307_hit *hit,
                                       const redirect307_parts *parts,
                                       const char *location,
                                       const char *origin,
                                       redirect307_found *found)
{
    request_rec *r = ctx->r;

    if (found) {
        found->counter = redirect307_hit_counter(hit);
        found->kind = redirect307_kind_name(hit->rule->kind);
    }
    if (redirect307_is_self(ctx, parts, location)) {
        if (found) {
            found->loop = 1;
        }
        if (!found || !found->quiet) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          "Redirect307 at %s would redirect %s to itself; "
                          "not redirecting", origin, location);
        }
        return NULL;
    }
    if (APLOGrtrace1(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "rule %s redirects %s to %s", origin, r->uri,
                      location);
    }
    return location;
}

/* The Location for the first rule of chain that matches r, or NULL.  Sets
 * *origin to the rule's "file:line", and found (unless NULL). */
static const char *redirect307_resolve(request_rec *r,
                                       const redirect307_link *chain,
                                       const char **origin,
                                       redirect307_found *found)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    /* the server's AllowEncodedSlashes, which decoded r->uri (merged
     * sections do not carry it) */
    core_dir_config *core =
        ap_get_core_module_config(r->server->lookup_defaults);
    redirect307_ctx ctx;
    redirect307_request req;
    redirect307_hit hit;
    redirect307_parts parts;
    const char *location, *remainder = NULL, *path;

    memset(&ctx, 0, sizeof(ctx));
    ctx.r = r;
    req.pool = r->pool;
    req.keep_2f = core->allow_encoded_slashes && !core->decode_encoded_slashes;
    req.self_origin = redirect307_self_origin;
    req.expr_value = redirect307_expr_value;
    req.baton = &ctx;
    path = redirect307_match_path(r, req.keep_2f);
    for (; chain; chain = chain->next) {
        memset(&hit, 0, sizeof(hit));
        hit.path = path;
        if (redirect307_scope_find(r, chain->scope, &hit)) {
            break;
        }
    }
    if (!chain) {
        return NULL;
    }
    ctx.rule = hit.rule;
    ctx.query_mode = (dconf->query_mode == REDIRECT307_UNSET)
        ? REDIRECT307_QUERY_MERGE : dconf->query_mode;
    req.args = (ctx.query_mode == REDIRECT307_QUERY_MERGE) ? r->args : NULL;

    switch (hit.rule->kind) {
    case REDIRECT307_PREFIX:
        redirect307_url_parts(&hit.rule->url, &parts);
        remainder = hit.remainder;
        *origin = redirect307_rule_origin(r->pool, hit.rule);
        break;
    case REDIRECT307_MAP:
        if (!redirect307_map_target(r, &hit, &parts, &req.args, origin)) {
            return NULL;
        }
        break;
    default:
        if (!redirect307_expand(&req, hit.rule->target, hit.path, hit.spans,
                                &parts)) {
            return NULL;
        }
        *origin = redirect307_rule_origin(r->pool, hit.rule);
        break;
    }
    location = redirect307_assemble(&req, &parts, remainder);
    if (APLOGrtrace5(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE5, 0, r,
                      "rule %s: target origin %s, remainder '%s', request "
                      "query %s", *origin,
                      parts.origin ? "as written" : "of this server",
                      remainder ? remainder : "",
                      ctx.query_mode == REDIRECT307_QUERY_MERGE ? "merged"
                      : "discarded");
    }

    return redirect307_checked(&ctx, &hit, &parts, location, *origin, found);
}

/* --------------------------------------------------------------------
 * Request time: hooks and the optional function
 */

static int redirect307_applies(request_rec *r)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);

    request_rec *top = redirect307_initial(r);

    /* forward-proxy requests (absolute URLs for other hosts, CONNECT) are
     * never redirected, nor are their sub-requests (a DirectoryIndex
     * lookup); reverse-proxied ones (ProxyPass) are */
    if (top->proxyreq == PROXYREQ_PROXY || top->method_number == M_CONNECT
        || !r->uri || r->uri[0] != '/') {
        return 0;
    }
    if (dconf->engine == 0) {
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "Redirect307Engine Off for %s", r->uri);
        }
        return 0;
    }
    return 1;
}

static int redirect307_send(request_rec *r, const redirect307_link *chain)
{
    const char *origin = NULL, *location;
    redirect307_found found;

    memset(&found, 0, sizeof(found));
    location = redirect307_resolve(r, chain, &origin, &found);
    if (!location) {
        return DECLINED;
    }
    redirect307_stats_count(found.counter, r->request_time);
    apr_table_setn(r->subprocess_env, REDIRECT307_ENV_RULE, origin);
    /* a module that passes a sub-request's redirect on (mod_dir,
     * mod_negotiation) copies its notes, not its environment */
    apr_table_setn(r->notes, REDIRECT307_ENV_RULE, origin);
    apr_table_setn(r->headers_out, "Location", location);
    return HTTP_TEMPORARY_REDIRECT;
}

/* While the status page explains a URL: finds the rule as for a redirect,
 * records it and what the request would be told, and redirects nothing. */
static void redirect307_explain_step(request_rec *r,
                                     redirect307_explaining *x,
                                     const redirect307_link *chain)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    const char *origin = NULL;
    redirect307_found found;

    if (x->done || !chain) {
        return;
    }
    if (!redirect307_applies(r)) {
        if (dconf->engine == 0) {
            x->reason = "Redirect307Engine Off covers the request";
            x->done = 1;
        }
        return;
    }
    memset(&found, 0, sizeof(found));
    found.quiet = 1;
    x->location = redirect307_resolve(r, chain, &origin, &found);
    if (x->location || found.loop) {
        x->rule = origin;
        x->kind = found.kind;
        x->done = 1;
    }
    if (found.loop) {
        x->reason = apr_psprintf(r->pool, "the %s rule at %s would redirect "
                                 "to the request's own URL, and the loop "
                                 "guard stops it", found.kind, origin);
    }
}

/* Rules of the server and virtual host. */
static int redirect307_translate_name(request_rec *r)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);
    redirect307_explaining *x = redirect307_stats_explaining(r);

    if (x) {
        x->translated = 1;
        redirect307_explain_step(r, x, sconf->chain);
        return DECLINED;
    }
    if (!sconf->chain || !redirect307_applies(r)) {
        return DECLINED;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trying server rules of %s for %s",
                      r->server->server_hostname, r->uri);
    }
    return redirect307_send(r, sconf->chain);
}

/* Rules of <Location>, <Directory>, <Files>, <If> and .htaccess. */
static int redirect307_fixups(request_rec *r)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    redirect307_explaining *x = redirect307_stats_explaining(r);

    if (x) {
        redirect307_explain_step(r, x, dconf->chain);
        return DECLINED;
    }
    if (!dconf->chain || !redirect307_applies(r)) {
        return DECLINED;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trying directory rules for %s", r->uri);
    }
    return redirect307_send(r, dconf->chain);
}

/* REDIRECT307_RULE for the access log, which reads the final request.
 * With a local "ErrorDocument 307", the 307 is sent by an internal redirect
 * to the document, where httpd renamed the variable
 * REDIRECT_REDIRECT307_RULE; when mod_dir or mod_negotiation pass on the
 * 307 of a sub-request, only its notes come with it.  Carry it over under
 * its own name to the request and the final one. */
static int redirect307_log_transaction(request_rec *r)
{
    const char *origin;
    request_rec *last;

    origin = apr_table_get(r->subprocess_env, REDIRECT307_ENV_RULE);
    if (!origin) {
        origin = apr_table_get(r->notes, REDIRECT307_ENV_RULE);
        if (!origin) {
            return DECLINED;
        }
        apr_table_setn(r->subprocess_env, REDIRECT307_ENV_RULE, origin);
    }
    for (last = r; last->next; last = last->next);
    if (!apr_table_get(last->subprocess_env, REDIRECT307_ENV_RULE)) {
        apr_table_setn(last->subprocess_env, REDIRECT307_ENV_RULE, origin);
    }
    return DECLINED;
}

static const char *redirect307_location(request_rec *r, const char **rule)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    const char *origin = NULL, *location = NULL;

    if (redirect307_applies(r)) {
        location = redirect307_resolve(r, sconf->chain, &origin, NULL);
        if (!location) {
            location = redirect307_resolve(r, dconf->chain, &origin, NULL);
        }
    }
    if (rule) {
        *rule = location ? origin : NULL;
    }
    return location;
}

/* --------------------------------------------------------------------
 * Configuration time: chains and loops (Redirect307ChainCheck)
 */

/* What the reports of one check share. */
typedef struct {
    server_rec *s;              /* the server being checked */
    const char *scope;          /* its name */
    apr_pool_t *p;
    int keep_2f;
    int error;                  /* Redirect307ChainCheck Error */
    const redirect307_link *main_chain; /* the main server's scopes */
    apr_uint32_t chains;
    apr_uint32_t loops;
    apr_uint32_t chains_shown;
    apr_uint32_t loops_shown;
} redirect307_chain_log;

static int redirect307_chain_regex(void *baton, const redirect307_rule *rule,
                                   const char *path)
{
    return ap_regexec(rule->regex, path, 0, NULL, 0) == 0;
}

/* "/a (file:line) -> /b (file:line) -> ", the hops of a report. */
static const char *redirect307_chain_hops(redirect307_chain_log *log,
                                          const redirect307_chain_report *r)
{
    apr_array_header_t *text = apr_array_make(log->p, 8, sizeof(char *));
    const redirect307_chain_hop *hop = r->first;
    /* a growing loop is the same hops again and again */
    apr_uint32_t i, shown = r->grows ? 3 : REDIRECT307_CHAIN_HOPS;

    for (i = 0; hop && i < r->hops && i < shown; i++) {
        *(const char **)apr_array_push(text) =
            apr_psprintf(log->p, "%s%s%s (%s) -> ",
                         redirect307_encode(log->p, hop->path,
                                            REDIRECT307_IN_PATH,
                                            log->keep_2f),
                         hop->query ? "?" : "", hop->query ? hop->query : "",
                         redirect307_chain_origin(log->p, hop));
        hop = hop->next;
    }
    if (r->hops > shown) {
        *(const char **)apr_array_push(text) =
            apr_psprintf(log->p, "... (%u hops more) -> ",
                         (unsigned)(r->hops - shown));
    }
    return apr_array_pstrcat(log->p, text, 0);
}

static void redirect307_chain_report_one(void *baton,
                                         const redirect307_chain_report *r)
{
    redirect307_chain_log *log = baton;
    const char *start, *hops;

    if (r->loop ? log->loops_shown++ >= REDIRECT307_CHAIN_REPORTS
        : log->chains_shown++ >= REDIRECT307_CHAIN_REPORTS) {
        return;
    }
    hops = redirect307_chain_hops(log, r);
    start = apr_pstrcat(log->p, redirect307_encode(log->p, r->first->path,
                                                   REDIRECT307_IN_PATH,
                                                   log->keep_2f),
                        r->first->query ? "?" : "",
                        r->first->query ? r->first->query : "", NULL);
    if (!r->loop) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, log->s,
                     "Redirect307ChainCheck: chain of %u redirects in %s: "
                     "%s%s: redirect %s straight to %s", (unsigned)r->hops,
                     log->scope, hops, r->final, start, r->final);
    }
    else if (r->grows) {
        ap_log_error(APLOG_MARK, log->error ? APLOG_ERR : APLOG_WARNING, 0,
                     log->s, "Redirect307ChainCheck: loop in %s: %s...: the "
                     "URL grows with every pass, past %d bytes", log->scope,
                     hops, REDIRECT307_CHAIN_MAX_URL);
    }
    else {
        ap_log_error(APLOG_MARK, log->error ? APLOG_ERR : APLOG_WARNING, 0,
                     log->s, "Redirect307ChainCheck: loop of %u redirect%s "
                     "in %s: %s%s", (unsigned)r->hops, r->hops == 1 ? ""
                     : "s", log->scope, hops, start);
    }
}

/* The scheme, names and port a server answers to. */
static const redirect307_chain_self *redirect307_chain_self_of(apr_pool_t *p,
                                                               server_rec *s)
{
    redirect307_chain_self *self = apr_pcalloc(p, sizeof(*self));
    const char *host = s->server_hostname ? s->server_hostname : "localhost";
    apr_port_t port = s->port;

    if (!port && s->is_virtual && s->addrs) {
        port = s->addrs->host_port;
    }
    /* "ServerName https://..." names the scheme; without it, only port 443
     * says https at configuration time */
    self->scheme = s->server_scheme ? s->server_scheme
        : (port == 443) ? "https" : "http";
    self->port = port;
    self->names = apr_array_make(p, 2, sizeof(const char *));
    *(const char **)apr_array_push(self->names) = host;
    if (s->names) {
        apr_array_cat(self->names, s->names);
    }
    self->wild_names = (s->wild_names && s->wild_names->nelts)
        ? s->wild_names : NULL;
    if (ap_strchr_c(host, ':')) {
        host = apr_pstrcat(p, "[", host, "]", NULL);
    }
    if (port && port != apr_uri_port_of_scheme(self->scheme)) {
        self->origin = apr_psprintf(p, "%s://%s:%u", self->scheme, host,
                                    (unsigned)port);
    }
    else {
        self->origin = apr_pstrcat(p, self->scheme, "://", host, NULL);
    }
    return self;
}

/* Checks the rules of one server: its own scope's starts, through its own
 * rules and then the main server's, as its requests see them. */
static void redirect307_chain_server(apr_pool_t *p, server_rec *s,
                                     redirect307_chain_log *log)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(s->module_config, &redirect307_module);
    redirect307_dir_conf *dconf =
        ap_get_module_config(s->lookup_defaults, &redirect307_module);
    core_dir_config *core = ap_get_core_module_config(s->lookup_defaults);
    apr_array_header_t *scopes;
    const redirect307_link *link;
    redirect307_chain_input in;
    const redirect307_scope *own = sconf->own;

    /* a virtual host's own rules are the first scope of its chain, unless
     * the merge gave it the main server's chain alone */
    if (s->is_virtual && sconf->chain && sconf->chain != log->main_chain) {
        own = sconf->chain->scope;
    }
    if (!own || dconf->engine == 0) {
        return;
    }
    scopes = apr_array_make(p, 2, sizeof(const redirect307_scope *));
    for (link = sconf->chain; link; link = link->next) {
        *(const redirect307_scope **)apr_array_push(scopes) = link->scope;
    }
    memset(&in, 0, sizeof(in));
    in.scopes = (const redirect307_scope *const *)scopes->elts;
    in.nscopes = scopes->nelts;
    in.self = redirect307_chain_self_of(p, s);
    in.merge_query = (dconf->query_mode != REDIRECT307_QUERY_DISCARD);
    in.keep_2f = core->allow_encoded_slashes && !core->decode_encoded_slashes;
    in.ignore = !sconf->ignore ? &redirect307_ignore_default
        : sconf->ignore->count < 0 ? NULL : sconf->ignore;
    in.regex_matches = redirect307_chain_regex;
    in.report = redirect307_chain_report_one;
    in.baton = log;
    log->s = s;
    log->scope = own->name;
    log->p = p;
    log->keep_2f = in.keep_2f;
    redirect307_chain_check(p, &in, &log->chains, &log->loops);
}

/* Checks every server; with Redirect307ChainCheck Error a loop fails the
 * configuration. */
static int redirect307_chain_servers(apr_pool_t *ptemp, server_rec *main_s)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(main_s->module_config, &redirect307_module);
    int mode = (sconf->chain_check == REDIRECT307_UNSET)
        ? REDIRECT307_CHAIN_WARN : sconf->chain_check;
    redirect307_chain_log log;
    server_rec *s;

    if (mode == REDIRECT307_CHAIN_OFF) {
        return OK;
    }
    memset(&log, 0, sizeof(log));
    log.error = (mode == REDIRECT307_CHAIN_ERROR);
    log.main_chain = sconf->chain;
    for (s = main_s; s; s = s->next) {
        apr_allocator_t *allocator;
        apr_pool_t *p;

        /* the walk of a large map uses much memory for a moment: with an
         * allocator of its own it goes back to the C library afterwards,
         * instead of staying on the free list of the configuration's
         * allocator in the parent (and in every child) */
        if (apr_allocator_create(&allocator) != APR_SUCCESS) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        apr_pool_create_ex(&p, ptemp, NULL, allocator);
        apr_allocator_owner_set(allocator, p);
        redirect307_chain_server(p, s, &log);
        apr_pool_destroy(p);
    }
    if (log.chains > REDIRECT307_CHAIN_REPORTS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, main_s,
                     "Redirect307ChainCheck: %u chains in all, the first %d "
                     "shown", (unsigned)log.chains, REDIRECT307_CHAIN_REPORTS);
    }
    if (log.loops > REDIRECT307_CHAIN_REPORTS) {
        ap_log_error(APLOG_MARK, log.error ? APLOG_ERR : APLOG_WARNING, 0,
                     main_s, "Redirect307ChainCheck: %u loops in all, the "
                     "first %d shown", (unsigned)log.loops,
                     REDIRECT307_CHAIN_REPORTS);
    }
    if (log.error && log.loops) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, main_s,
                     "Redirect307ChainCheck Error at %s: %u redirect "
                     "loop%s; the configuration is refused",
                     sconf->chain_check_origin, (unsigned)log.loops,
                     log.loops == 1 ? "" : "s");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

/* httpd -t: check_config is the last hook that can fail it (post_config
 * does not run), and it runs before the logs are opened, so the reports
 * go to the console. */
static int redirect307_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                                    apr_pool_t *ptemp, server_rec *s)
{
    if (ap_state_query(AP_SQ_RUN_MODE) != AP_SQ_RM_CONFIG_TEST) {
        return OK;
    }
    return redirect307_chain_servers(ptemp, s);
}

/* Starts and restarts.  At start httpd reads its configuration twice, as
 * generation 0 before it detaches from the console and as generation 1:
 * the check runs in the first, where an error still reaches the console
 * and the exit status, and again at every restart (generation 2 on). */
static int redirect307_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                   apr_pool_t *ptemp, server_rec *s)
{
    if (ap_state_query(AP_SQ_RUN_MODE) != AP_SQ_RM_NORMAL
        || ap_state_query(AP_SQ_CONFIG_GEN) == 1) {
        return OK;
    }
    return redirect307_chain_servers(ptemp, s);
}

/* --------------------------------------------------------------------
 * Directives, hooks and the module record
 */

static const command_rec redirect307_cmds[] = {
    AP_INIT_TAKE12("Redirect307", redirect307_cmd_redirect, NULL,
                   RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                   "a URL-path, then the URL to redirect to; or, in a "
                   "directory context, only the URL (an expression string)"),
    AP_INIT_TAKE2("Redirect307Match", redirect307_cmd_match, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "a regular expression matched against the URL-path, then "
                  "the URL to redirect to ($0-$9 are captures)"),
    AP_INIT_TAKE123("Redirect307Map", redirect307_cmd_map, NULL, RSRC_CONF,
                    "the path of a file of 'URL-path URL' lines (or of a "
                    ".csv file), then the options nocase and noslash"),
    AP_INIT_TAKE1("Redirect307QueryString", redirect307_cmd_query_string,
                  NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "Merge (keep the request's query string) or Discard"),
    AP_INIT_TAKE1("Redirect307Engine", redirect307_cmd_engine, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "On or Off: Off exempts the requests covered from every "
                  "Redirect307 rule"),
    AP_INIT_ITERATE("Redirect307TrustedProxy", redirect307_cmd_trusted_proxy,
                    NULL, RSRC_CONF,
                    "one or more IP addresses or CIDR ranges of proxies "
                    "whose Forwarded / X-Forwarded-Proto headers are "
                    "believed"),
    AP_INIT_ITERATE("Redirect307IgnoreParams", redirect307_cmd_ignore_params,
                    NULL, RSRC_CONF,
                    "names or 'prefix*' patterns of query parameters that "
                    "never decide a match of a map key with a query, or "
                    "None"),
    AP_INIT_TAKE1("Redirect307Stats", redirect307_cmd_stats, NULL, RSRC_CONF,
                  "On or Off: count the hits of every rule and map entry in "
                  "shared memory"),
    AP_INIT_TAKE1("Redirect307StatsFile", redirect307_cmd_stats_file, NULL,
                  RSRC_CONF, "the path of the file that keeps the counts "
                  "across stops and starts"),
    AP_INIT_TAKE1("Redirect307ChainCheck", redirect307_cmd_chain_check, NULL,
                  RSRC_CONF,
                  "Warn (the default), Error (loops fail the configuration) "
                  "or Off: chains and loops of redirects found when the "
                  "configuration is read"),
    {NULL}
};

static void redirect307_register_hooks(apr_pool_t *p)
{
    /* Before mod_alias, so that a Redirect307 wins over an Alias or Redirect
     * of the same path, and before mod_userdir and mod_vhost_alias, which
     * map what is left.  mod_rewrite and mod_proxy run first (HOOK_FIRST). */
    static const char *const translate_succ[] = {
        "mod_alias.c", "mod_userdir.c", "mod_vhost_alias.c", NULL
    };
    /* Before mod_alias's directory-context Redirect, and long before
     * mod_dir's trailing-slash redirect (HOOK_LAST). */
    static const char *const fixups_succ[] = { "mod_alias.c", NULL };
    /* before mod_log_config writes the access log */
    static const char *const log_succ[] = { "mod_log_config.c", NULL };

    ap_hook_translate_name(redirect307_translate_name, NULL, translate_succ,
                           APR_HOOK_MIDDLE);
    ap_hook_fixups(redirect307_fixups, NULL, fixups_succ, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(redirect307_log_transaction, NULL, log_succ,
                            APR_HOOK_MIDDLE);
    APR_REGISTER_OPTIONAL_FN(redirect307_location);
    redirect307_stats_register_hooks(p);
    ap_hook_check_config(redirect307_check_config, NULL, NULL,
                         APR_HOOK_MIDDLE);
    ap_hook_post_config(redirect307_post_config, NULL, NULL,
                        APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(redirect307) = {
    STANDARD20_MODULE_STUFF,
    redirect307_create_dir_conf,        /* create per-directory config */
    redirect307_merge_dir_conf, /* merge per-directory config */
    redirect307_create_server_conf,     /* create per-server config */
    redirect307_merge_server_conf,      /* merge per-server config */
    redirect307_cmds,           /* directives */
    redirect307_register_hooks, /* hooks */
    AP_MODULE_FLAG_NONE         /* merge only sections that use the module */
};
