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
 * What the two glue files share: mod_redirect307.c (directives, rules,
 * hooks) and mod_redirect307_stats.c (the counters in shared memory, the
 * state file, the redirect307-status handler and its explain form).
 * Glue only: it includes httpd headers.
 */

#ifndef MOD_REDIRECT307_STATS_H
#define MOD_REDIRECT307_STATS_H

#include "httpd.h"
#include "http_config.h"

#include "redirect307_private.h"

extern module AP_MODULE_DECLARE_DATA redirect307_module;

/* What the rule hooks record while the status page explains a URL: they
 * find the rule as for a redirect, write it here and decline. */
typedef struct {
    int translated;             /* translate_name reached the module */
    int done;                   /* the answer is known */
    const char *rule;           /* "file:line" */
    const char *kind;           /* "prefix", "regex", "section", "map" */
    const char *location;
    const char *reason;         /* why not, when it is known */
} redirect307_explaining;

/* --- mod_redirect307.c, for the statistics ------------------------------- */

/* Redirect307Stats (1, 0 or -1: unset) and Redirect307StatsFile (NULL:
 * none) of the main server. */
void redirect307_stats_settings(server_rec *s, int *on, const char **file);

/* --- mod_redirect307_stats.c, for the rules ------------------------------ */

/* Notes a rule read from the configuration (not from .htaccess) so that it
 * gets a counter once the configuration is read. */
void redirect307_stats_note(cmd_parms *cmd, redirect307_rule *rule,
                            const redirect307_scope *scope);

/* Counts a redirect by the rule or map entry of counter (a rule's counter,
 * plus the entry's ordinal for a map): an atomic add and a store. */
void redirect307_stats_count(apr_uint32_t counter, apr_time_t when);

/* The record of the explain form the request is a sub-request of, or
 * NULL. */
redirect307_explaining *redirect307_stats_explaining(request_rec *r);

void redirect307_stats_register_hooks(apr_pool_t *p);

#endif /* MOD_REDIRECT307_STATS_H */
