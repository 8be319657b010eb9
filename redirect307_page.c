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
 * The HTML status page: self-contained (its style inline, no script, no
 * external asset), with totals per scope and map, the explain form, and a
 * table of rules and map entries that links and forms sort, filter and
 * page.  Every value is escaped for HTML, and for a URL inside an HTML
 * attribute where it lands in a link.
 */

#include "apr_atomic.h"
#include "apr_escape.h"
#include "apr_hash.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include "redirect307_private.h"

#define REDIRECT307_PAGE_STYLE \
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#1a1a1a;" \
    "background:#fff}" \
    "h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;" \
    "margin:1.4em 0 .4em;border-bottom:2px solid #c8d3e0}" \
    "table{border-collapse:collapse;margin:.3em 0}" \
    "th,td{border:1px solid #c8d3e0;padding:.25em .6em;text-align:left;" \
    "vertical-align:top}" \
    "th{background:#e8eef5}td.n{text-align:right;font-variant-numeric:" \
    "tabular-nums}tr:nth-child(even) td{background:#f6f8fb}" \
    "code,td.u{font-family:ui-monospace,monospace;font-size:.92em;" \
    "word-break:break-all}" \
    "form{margin:.4em 0;padding:.5em .7em;background:#f3f6fa;" \
    "border:1px solid #c8d3e0}label{margin-right:1em}" \
    "input{font:inherit;padding:.1em .3em}" \
    "a{color:#0645ad}.never{color:#8a4b00}.bad{color:#a00000}" \
    ".ok{color:#006400}.pager a,.pager b{margin-right:.8em}"

/* --------------------------------------------------------------------
 * Pieces
 */

static void redirect307_page_puts(redirect307_out *out, const char *s)
{
    out->write(out->baton, s, strlen(s));
}

static const char *redirect307_page_num(apr_pool_t *p, apr_uint64_t n)
{
    return apr_psprintf(p, "%" APR_UINT64_T_FMT, n);
}

static const char *redirect307_page_when(apr_pool_t *p, apr_uint64_t last)
{
    return last ? redirect307_iso8601(p, last)
        : "<span class=\"never\">never</span>";
}

/* A link to this page with the filters kept and sort, order and offset
 * given: "?q=..&amp;before=..", for an href. */
static const char *redirect307_page_link(apr_pool_t *p,
                                         const redirect307_stats_page *pg,
                                         const char *sort, int desc,
                                         apr_uint32_t offset)
{
    const char *link = apr_psprintf(p, "?sort=%s&order=%s&offset=%u&n=%u",
                                    sort, desc ? "desc" : "asc",
                                    (unsigned)offset,
                                    (unsigned)pg->view->limit);

    if (pg->q_text && *pg->q_text) {
        link = apr_pstrcat(p, link, "&q=",
                           apr_pescape_urlencoded(p, pg->q_text), NULL);
    }
    if (pg->before_text && *pg->before_text) {
        link = apr_pstrcat(p, link, "&before=",
                           apr_pescape_urlencoded(p, pg->before_text), NULL);
    }
    return redirect307_html(p, link);
}

static const char *redirect307_sort_name(redirect307_sort sort)
{
    return sort == REDIRECT307_BY_HITS ? "hits"
        : sort == REDIRECT307_BY_LAST ? "last" : "origin";
}

/* --------------------------------------------------------------------
 * Sections of the page
 */

static void redirect307_page_head(redirect307_out *out, apr_pool_t *p,
                                  const redirect307_stats_table *t,
                                  const redirect307_stats_page *pg)
{
    redirect307_page_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                          "<meta charset=\"utf-8\">\n<meta name=\"viewport\""
                          " content=\"width=device-width\">\n"
                          "<title>mod_redirect307 status</title>\n<style>"
                          REDIRECT307_PAGE_STYLE "</style></head>\n<body>\n"
                          "<h1>mod_redirect307 status</h1>\n");
    redirect307_page_puts(out, apr_pstrcat(p, "<p>",
        redirect307_html(p, pg->server), " &middot; now ",
        redirect307_iso8601(p, pg->now), "</p>\n", NULL));
    if (!pg->enabled || !t) {
        redirect307_page_puts(out, "<p id=\"stats\" class=\"bad\">"
                              "Redirect307Stats is Off: redirects are not "
                              "counted.</p>\n");
        return;
    }
    redirect307_page_puts(out, apr_pstrcat(p, "<p id=\"stats\">Counting "
        "since <b>", redirect307_iso8601(p, t->since), "</b>: ",
        redirect307_page_num(p, t->slots), " rules and map entries "
        "(rules in .htaccess files are not counted).</p>\n", NULL));
}

static void redirect307_page_explain(redirect307_out *out, apr_pool_t *p,
                                     const redirect307_stats_page *pg)
{
    const redirect307_explanation *e = pg->explained;

    redirect307_page_puts(out, apr_pstrcat(p, "<h2 id=\"explain\">Explain a "
        "URL</h2>\n<form id=\"explain-form\" method=\"get\" action=\"\">"
        "<label>Method <input name=\"method\" size=\"7\" value=\"",
        redirect307_html(p, pg->explain_method ? pg->explain_method : "GET"),
        "\"></label><label>Host <input name=\"host\" size=\"22\" value=\"",
        redirect307_html(p, pg->explain_host), "\"></label>"
        "<label>Path and query <input name=\"explain\" size=\"48\" "
        "value=\"", redirect307_html(p, pg->explain_path), "\" "
        "placeholder=\"/old/page?x=1\"></label>"
        "<button type=\"submit\">Explain</button></form>\n", NULL));
    if (!e) {
        return;
    }
    redirect307_page_puts(out, apr_pstrcat(p, "<table id=\"explained\">"
        "<tr><th>Request</th><td class=\"u\">", redirect307_html(p, e->method),
        " ", redirect307_html(p, e->url), "</td></tr>\n<tr><th>Rule</th><td>",
        e->rule ? redirect307_html(p, e->rule) : "none", "</td></tr>\n"
        "<tr><th>Location</th><td class=\"u\">", e->location
        ? apr_pstrcat(p, "307 ", redirect307_html(p, e->location), NULL)
        : "not redirected", "</td></tr>\n<tr><th>Why</th><td class=\"",
        e->location ? "ok" : "bad", "\">", redirect307_html(p, e->reason),
        "</td></tr></table>\n", NULL));
}

typedef struct {
    const char *scope;
    apr_uint64_t rules;
    apr_uint64_t hits;
    apr_uint64_t last;
    apr_uint64_t never;
} redirect307_page_total;

/* Adds the counters of one rule to a total. */
static void redirect307_page_add(const redirect307_stats_table *t,
                                 const redirect307_stats_rule *row,
                                 redirect307_page_total *total)
{
    apr_uint32_t i, base = row->rule->counter;
    apr_uint32_t count = redirect307_stats_count_of(row);

    for (i = 0; i < count; i++) {
        apr_uint64_t hits = apr_atomic_read64(&t->counters[base + i].hits);
        apr_uint64_t last = apr_atomic_read64(&t->counters[base + i].last);

        total->hits += hits;
        total->never += hits == 0;
        if (last > total->last) {
            total->last = last;
        }
    }
}

static void redirect307_page_scopes(redirect307_out *out, apr_pool_t *p,
                                    const redirect307_stats_table *t)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_array_header_t *order = apr_array_make(p, 8, sizeof(void *));
    int r;

    for (r = 0; r < t->rules->nelts; r++) {
        const redirect307_stats_rule *row =
            &APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule);
        const char *scope = row->place->scope;
        redirect307_page_total *total =
            apr_hash_get(seen, scope, APR_HASH_KEY_STRING);

        if (!total) {
            total = apr_pcalloc(p, sizeof(*total));
            total->scope = scope;
            apr_hash_set(seen, scope, APR_HASH_KEY_STRING, total);
            *(redirect307_page_total **)apr_array_push(order) = total;
        }
        total->rules += redirect307_stats_count_of(row);
        redirect307_page_add(t, row, total);
    }
    redirect307_page_puts(out, "<h2>Totals per scope</h2>\n<table id=\""
                          "scopes\"><tr><th>Scope</th><th>Rules and "
                          "entries</th><th>Never hit</th><th>Hits</th>"
                          "<th>Last hit</th></tr>\n");
    for (r = 0; r < order->nelts; r++) {
        redirect307_page_total *total =
            APR_ARRAY_IDX(order, r, redirect307_page_total *);

        redirect307_page_puts(out, apr_pstrcat(p, "<tr><td>",
            redirect307_html(p, total->scope), "</td><td class=\"n\">",
            redirect307_page_num(p, total->rules), "</td><td class=\"n\">",
            redirect307_page_num(p, total->never), "</td><td class=\"n\">",
            redirect307_page_num(p, total->hits), "</td><td>",
            redirect307_page_when(p, total->last), "</td></tr>\n", NULL));
    }
    redirect307_page_puts(out, "</table>\n");
}

static void redirect307_page_maps(redirect307_out *out, apr_pool_t *p,
                                  const redirect307_stats_table *t)
{
    int r, maps = 0;

    for (r = 0; r < t->rules->nelts; r++) {
        const redirect307_stats_rule *row =
            &APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule);
        const redirect307_map *map = redirect307_stats_map(row);
        redirect307_page_total total;

        if (!map) {
            continue;
        }
        if (!maps++) {
            redirect307_page_puts(out, "<h2>Totals per map</h2>\n<table id="
                                  "\"maps\"><tr><th>Map file</th><th>"
                                  "Redirect307Map at</th><th>Entries</th>"
                                  "<th>Never hit</th><th>Hits</th>"
                                  "<th>Last hit</th></tr>\n");
        }
        memset(&total, 0, sizeof(total));
        redirect307_page_add(t, row, &total);
        redirect307_page_puts(out, apr_pstrcat(p, "<tr><td class=\"u\">",
            redirect307_html(p, map->file), "</td><td>",
            redirect307_html(p, redirect307_rule_origin(p, row->rule)),
            "</td><td class=\"n\">",
            redirect307_page_num(p, redirect307_stats_count_of(row)),
            "</td><td class=\"n\">", redirect307_page_num(p, total.never),
            "</td><td class=\"n\">", redirect307_page_num(p, total.hits),
            "</td><td>", redirect307_page_when(p, total.last),
            "</td></tr>\n", NULL));
    }
    if (maps) {
        redirect307_page_puts(out, "</table>\n");
    }
}

static void redirect307_page_filters(redirect307_out *out, apr_pool_t *p,
                                     const redirect307_stats_page *pg)
{
    const redirect307_stats_view *v = pg->view;

    redirect307_page_puts(out, apr_pstrcat(p, "<h2 id=\"rows\">Rules and map "
        "entries</h2>\n<form id=\"filter-form\" method=\"get\" action=\"\">"
        "<input type=\"hidden\" name=\"sort\" value=\"",
        redirect307_sort_name(v->sort), "\"><input type=\"hidden\" "
        "name=\"order\" value=\"", v->desc ? "desc" : "asc", "\">"
        "<input type=\"hidden\" name=\"n\" value=\"",
        redirect307_page_num(p, v->limit), "\">"
        "<label>Path contains <input name=\"q\" size=\"28\" value=\"",
        redirect307_html(p, pg->q_text), "\"></label>"
        "<label>Not hit since <input name=\"before\" size=\"12\" "
        "placeholder=\"YYYY-MM-DD\" value=\"",
        redirect307_html(p, pg->before_text), "\"></label>"
        "<button type=\"submit\">Filter</button></form>\n", NULL));
    if (pg->error) {
        redirect307_page_puts(out, apr_pstrcat(p, "<p class=\"bad\">",
            redirect307_html(p, pg->error), "</p>\n", NULL));
    }
}

static void redirect307_page_pager(redirect307_out *out, apr_pool_t *p,
                                   const redirect307_stats_page *pg,
                                   apr_uint32_t total, apr_uint32_t shown)
{
    const redirect307_stats_view *v = pg->view;
    const char *sort = redirect307_sort_name(v->sort);
    const char *text = apr_psprintf(p, "<p class=\"pager\" id=\"pager\">"
                                    "Rows %u&ndash;%u of %u. ",
                                    (unsigned)(shown ? v->offset + 1 : 0),
                                    (unsigned)(v->offset + shown),
                                    (unsigned)total);

    if (v->offset) {
        text = apr_pstrcat(p, text, "<a rel=\"prev\" href=\"",
            redirect307_page_link(p, pg, sort, v->desc, v->offset > v->limit
                                  ? v->offset - v->limit : 0),
            "\">&larr; previous</a>", NULL);
    }
    if (v->offset + shown < total) {
        text = apr_pstrcat(p, text, "<a rel=\"next\" href=\"",
            redirect307_page_link(p, pg, sort, v->desc, v->offset + shown),
            "\">next &rarr;</a>", NULL);
    }
    redirect307_page_puts(out, apr_pstrcat(p, text, "</p>\n", NULL));
}

/* A column heading that sorts: descending first, then the other way. */
static const char *redirect307_page_sorter(apr_pool_t *p,
                                           const redirect307_stats_page *pg,
                                           redirect307_sort sort,
                                           const char *label)
{
    const redirect307_stats_view *v = pg->view;
    int current = v->sort == sort;
    int desc = current ? !v->desc : sort != REDIRECT307_BY_ORIGIN;

    return apr_pstrcat(p, "<a id=\"sort-", redirect307_sort_name(sort),
        "\" href=\"", redirect307_page_link(p, pg, redirect307_sort_name(sort),
                                            desc, 0), "\">", label,
        current ? (v->desc ? " &#9660;" : " &#9650;") : "", "</a>", NULL);
}

static void redirect307_page_rows(redirect307_out *out, apr_pool_t *p,
                                  const redirect307_stats_table *t,
                                  const redirect307_stats_page *pg)
{
    apr_uint32_t total, shown, i;
    apr_uint32_t *slots = redirect307_stats_select(p, t, pg->view, &total,
                                                   &shown);
    apr_pool_t *rp;

    redirect307_page_pager(out, p, pg, total, shown);
    redirect307_page_puts(out, apr_pstrcat(p, "<table id=\"rules\"><tr><th>",
        redirect307_page_sorter(p, pg, REDIRECT307_BY_ORIGIN, "Origin"),
        "</th><th>Kind</th><th>Match</th><th>Target</th><th>",
        redirect307_page_sorter(p, pg, REDIRECT307_BY_HITS, "Hits"),
        "</th><th>", redirect307_page_sorter(p, pg, REDIRECT307_BY_LAST,
                                             "Last hit"),
        "</th></tr>\n", NULL));
    apr_pool_create(&rp, p);
    for (i = 0; i < shown; i++) {
        redirect307_stats_item item;

        redirect307_stats_item_at(t, slots[i], &item);
        redirect307_page_puts(out, apr_pstrcat(rp, "<tr><td>",
            redirect307_html(rp, redirect307_stats_item_origin(rp, &item)),
            "</td><td>", redirect307_kind_name(item.rule->rule->kind),
            "</td><td class=\"u\">", redirect307_html(rp, item.match),
            "</td><td class=\"u\">", redirect307_html(rp, item.target),
            "</td><td class=\"n\">", redirect307_page_num(rp, item.hits),
            "</td><td>", redirect307_page_when(rp, item.last),
            "</td></tr>\n", NULL));
        apr_pool_clear(rp);
    }
    apr_pool_destroy(rp);
    redirect307_page_puts(out, "</table>\n");
    redirect307_page_pager(out, p, pg, total, shown);
}

/* --------------------------------------------------------------------
 * The page
 */

void redirect307_stats_html(redirect307_out *out,
                            const redirect307_stats_table *t,
                            const redirect307_stats_page *pg)
{
    apr_pool_t *p = out->pool;
    int counted = pg->enabled && t;

    redirect307_page_head(out, p, counted ? t : NULL, pg);
    redirect307_page_explain(out, p, pg);
    if (counted) {
        redirect307_page_scopes(out, p, t);
        redirect307_page_maps(out, p, t);
        redirect307_page_filters(out, p, pg);
        redirect307_page_rows(out, p, t, pg);
    }
    redirect307_page_puts(out, "<p>The same as <a href=\"?format=csv\">CSV"
                          "</a>, <a href=\"?format=json\">JSON</a> and <a "
                          "href=\"?format=prometheus\">Prometheus metrics"
                          "</a>.</p>\n</body></html>\n");
}
