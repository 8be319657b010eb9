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
 * The machine formats of the status page: CSV, JSON and the Prometheus
 * text exposition format, with every value escaped for where it lands,
 * and the times they write.  The HTML page is in redirect307_page.c.
 */

#include "apr_atomic.h"
#include "apr_escape.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_time.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* Rows written between two clears of the output's scratch pool. */
#define REDIRECT307_ROWS_PER_CLEAR 256

/* --------------------------------------------------------------------
 * Escaping
 */

/* HTML text and attribute values: APR's entity escape (& < > ").  APR 1.7
 * leaves "'" as it is, so every attribute of the page is double-quoted. */
const char *redirect307_html(apr_pool_t *p, const char *s)
{
    return apr_pescape_entity(p, s ? s : "", 0);
}

/* The length of the UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and values above U+10FFFF included). */
static int redirect307_utf8_len(const unsigned char *s)
{
    int len, i;
    apr_uint32_t cp;

    if (s[0] < 0xc2 || s[0] > 0xf4) {
        return 0;
    }
    len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
    cp = s[0] & (0x7f >> len);
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
        || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
        return 0;
    }
    return len;
}

/* A JSON string, quotes included: '"' and '\' escaped, control bytes as
 * \u00XX, valid UTF-8 as it is, any other byte as U+FFFD. */
const char *redirect307_json(apr_pool_t *p, const char *s)
{
    const unsigned char *c = (const unsigned char *)(s ? s : "");
    char *out = apr_palloc(p, strlen((const char *)c) * 6 + 3), *o = out;

    *o++ = '"';
    while (*c) {
        int len;

        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
            *o++ = (char)*c++;
        }
        else if (*c < 0x20 || *c == 0x7f) {
            o += apr_snprintf(o, 7, "\\u%04x", *c++);
        }
        else if (*c < 0x80) {
            *o++ = (char)*c++;
        }
        else if ((len = redirect307_utf8_len(c))) {
            memcpy(o, c, len);
            o += len;
            c += len;
        }
        else {
            memcpy(o, "\\ufffd", 6);
            o += 6;
            c++;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled.  APR has no CSV writer. */
const char *redirect307_csv(apr_pool_t *p, const char *s)
{
    const char *c;
    char *out, *o;

    s = s ? s : "";
    if (!s[strcspn(s, ",\"\r\n")]) {
        return s;
    }
    out = o = apr_palloc(p, strlen(s) * 2 + 3);
    *o++ = '"';
    for (c = s; *c; c++) {
        if (*c == '"') {
            *o++ = '"';
        }
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* A label value of the Prometheus text format: backslash, double quote and
 * line feed escaped, as the format defines; APR has no such escape. */
const char *redirect307_label(apr_pool_t *p, const char *s)
{
    const char *c;
    char *out, *o;

    s = s ? s : "";
    out = o = apr_palloc(p, strlen(s) * 2 + 1);
    for (c = s; *c; c++) {
        if (*c == '\\' || *c == '"') {
            *o++ = '\\';
            *o++ = *c;
        }
        else if (*c == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* --------------------------------------------------------------------
 * Times
 */

const char *redirect307_iso8601(apr_pool_t *p, apr_uint64_t sec)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, apr_time_from_sec((apr_time_t)sec));
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Reads n digits of s into *v. */
static int redirect307_digits(const char *s, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* "YYYY-MM-DD", or "YYYY-MM-DDThh:mm:ssZ" as the formats write it. */
apr_uint64_t redirect307_parse_date(const char *text)
{
    apr_time_exp_t tm;
    apr_time_t t;
    int year, mon, day;

    memset(&tm, 0, sizeof(tm));
    if (!text || !redirect307_digits(text, 4, &year) || text[4] != '-'
        || !redirect307_digits(text + 5, 2, &mon) || text[7] != '-'
        || !redirect307_digits(text + 8, 2, &day)) {
        return 0;
    }
    if (text[10] == 'T') {
        if (!redirect307_digits(text + 11, 2, &tm.tm_hour)
            || text[13] != ':' || !redirect307_digits(text + 14, 2,
                                                      &tm.tm_min)
            || text[16] != ':' || !redirect307_digits(text + 17, 2,
                                                      &tm.tm_sec)
            || text[19] != 'Z' || text[20] || tm.tm_hour > 23
            || tm.tm_min > 59 || tm.tm_sec > 60) {
            return 0;
        }
    }
    else if (text[10]) {
        return 0;
    }
    if (year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31) {
        return 0;
    }
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    if (apr_time_exp_gmt_get(&t, &tm) != APR_SUCCESS || t <= 0) {
        return 0;
    }
    return (apr_uint64_t)apr_time_sec(t);
}

/* --------------------------------------------------------------------
 * Writing
 */

static void redirect307_puts(redirect307_out *out, const char *s)
{
    out->write(out->baton, s, strlen(s));
}

/* Calls row() for each row the filters of view keep, in configuration
 * order, with a pool cleared every few rows. */
typedef void redirect307_row_fn(redirect307_out *out, apr_pool_t *p,
                                const redirect307_stats_item *item,
                                int first);

static void redirect307_each_row(redirect307_out *out,
                                 const redirect307_stats_table *t,
                                 const redirect307_stats_view *view,
                                 redirect307_row_fn *row)
{
    apr_pool_t *p;
    apr_uint32_t slot, written = 0;

    if (!t) {
        return;
    }
    apr_pool_create(&p, out->pool);
    for (slot = 0; slot < t->slots; slot++) {
        redirect307_stats_item item;

        redirect307_stats_item_at(t, slot, &item);
        if (view && !redirect307_stats_keep(view, &item)) {
            continue;
        }
        row(out, p, &item, written == 0);
        if (++written % REDIRECT307_ROWS_PER_CLEAR == 0) {
            apr_pool_clear(p);
        }
    }
    apr_pool_destroy(p);
}

static void redirect307_csv_row(redirect307_out *out, apr_pool_t *p,
                                const redirect307_stats_item *i, int first)
{
    redirect307_puts(out, apr_pstrcat(p,
        redirect307_csv(p, redirect307_stats_item_origin(p, i)), ",",
        redirect307_kind_name(i->rule->rule->kind), ",",
        redirect307_csv(p, i->match), ",", redirect307_csv(p, i->target), ",",
        apr_psprintf(p, "%" APR_UINT64_T_FMT, i->hits), ",",
        i->last ? redirect307_iso8601(p, i->last) : "", "\r\n", NULL));
}

void redirect307_stats_csv(redirect307_out *out,
                           const redirect307_stats_table *t,
                           const redirect307_stats_view *view)
{
    redirect307_puts(out, "origin,kind,match,target,hits,last_hit\r\n");
    redirect307_each_row(out, t, view, redirect307_csv_row);
}

static void redirect307_json_row(redirect307_out *out, apr_pool_t *p,
                                 const redirect307_stats_item *i, int first)
{
    redirect307_puts(out, apr_pstrcat(p, first ? "\n" : ",\n",
        "{\"origin\":", redirect307_json(p,
            redirect307_stats_item_origin(p, i)),
        ",\"kind\":\"", redirect307_kind_name(i->rule->rule->kind), "\"",
        ",\"match\":", redirect307_json(p, i->match),
        ",\"target\":", redirect307_json(p, i->target),
        ",\"hits\":", apr_psprintf(p, "%" APR_UINT64_T_FMT, i->hits),
        ",\"last_hit\":", i->last ? redirect307_json(p,
            redirect307_iso8601(p, i->last)) : "null", "}", NULL));
}

/* t is NULL with Redirect307Stats Off. */
void redirect307_stats_json(redirect307_out *out,
                            const redirect307_stats_table *t,
                            const redirect307_stats_view *view)
{
    redirect307_puts(out, apr_pstrcat(out->pool, "{\"since\":",
        t ? redirect307_json(out->pool, redirect307_iso8601(out->pool,
                                                            t->since))
        : "null", ",\"stats\":", t ? "true" : "false", ",\"rules\":[",
        NULL));
    redirect307_each_row(out, t, view, redirect307_json_row);
    redirect307_puts(out, "\n]}\n");
}

void redirect307_explain_json(redirect307_out *out,
                              const redirect307_explanation *e)
{
    apr_pool_t *p = out->pool;

    redirect307_puts(out, apr_pstrcat(p,
        "{\"url\":", redirect307_json(p, e->url),
        ",\"method\":", redirect307_json(p, e->method),
        ",\"rule\":", e->rule ? redirect307_json(p, e->rule) : "null",
        ",\"location\":", e->location ? redirect307_json(p, e->location)
        : "null", ",\"reason\":", redirect307_json(p, e->reason), "}\n",
        NULL));
}

/* --------------------------------------------------------------------
 * Prometheus: one series per directive rule, one per map file (its
 * entries summed; a file named by several Redirect307Map is one series)
 */

typedef struct {
    const char *file;
    apr_uint64_t hits;
    apr_uint64_t entries;
} redirect307_map_total;

static void redirect307_prom_rules(redirect307_out *out, apr_pool_t *p,
                                   const redirect307_stats_table *t)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_array_header_t *order = apr_array_make(p, 16, sizeof(char *));
    int r;

    /* rules that share a "file:line" (a macro used twice) are one series */
    for (r = 0; r < t->rules->nelts; r++) {
        const redirect307_rule *rule =
            APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule).rule;
        const char *labels;
        apr_uint64_t *sum;

        if (rule->kind == REDIRECT307_MAP) {
            continue;
        }
        labels = apr_psprintf(p, "origin=\"%s\",kind=\"%s\"",
                              redirect307_label(p,
                                  redirect307_rule_origin(p, rule)),
                              redirect307_kind_name(rule->kind));
        if (!(sum = apr_hash_get(seen, labels, APR_HASH_KEY_STRING))) {
            sum = apr_pcalloc(p, sizeof(*sum));
            apr_hash_set(seen, labels, APR_HASH_KEY_STRING, sum);
            *(const char **)apr_array_push(order) = labels;
        }
        *sum += apr_atomic_read64(&t->counters[rule->counter].hits);
    }
    redirect307_puts(out, "# HELP redirect307_redirects_total Redirects "
                     "answered by a Redirect307 or Redirect307Match rule.\n"
                     "# TYPE redirect307_redirects_total counter\n");
    for (r = 0; r < order->nelts; r++) {
        const char *labels = APR_ARRAY_IDX(order, r, const char *);
        apr_uint64_t *sum = apr_hash_get(seen, labels, APR_HASH_KEY_STRING);

        redirect307_puts(out, apr_psprintf(p, "redirect307_redirects_total{%s}"
                                           " %" APR_UINT64_T_FMT "\n",
                                           labels, *sum));
    }
}

static apr_array_header_t *redirect307_map_totals(apr_pool_t *p,
                                    const redirect307_stats_table *t)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_array_header_t *maps = apr_array_make(p, 4,
                                              sizeof(redirect307_map_total));
    apr_uint32_t i;
    int r;

    for (r = 0; r < t->rules->nelts; r++) {
        const redirect307_stats_rule *row =
            &APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule);
        const redirect307_map *map = redirect307_stats_map(row);
        apr_uint32_t base = row->rule->counter, count;
        redirect307_map_total *total;

        if (!map) {
            continue;
        }
        total = apr_hash_get(seen, map->file, APR_HASH_KEY_STRING);
        if (!total) {
            total = apr_array_push(maps);
            memset(total, 0, sizeof(*total));
            total->file = map->file;
            apr_hash_set(seen, total->file, APR_HASH_KEY_STRING, total);
        }
        count = redirect307_stats_count_of(row);
        total->entries += count;
        for (i = 0; i < count; i++) {
            total->hits += apr_atomic_read64(&t->counters[base + i].hits);
        }
    }
    return maps;
}

void redirect307_stats_prometheus(redirect307_out *out,
                                  const redirect307_stats_table *t)
{
    apr_pool_t *p = out->pool;
    apr_array_header_t *maps;
    int m;

    if (!t) {
        redirect307_puts(out, "# mod_redirect307: Redirect307Stats Off\n");
        return;
    }
    redirect307_prom_rules(out, p, t);
    maps = redirect307_map_totals(p, t);
    redirect307_puts(out, "# HELP redirect307_map_redirects_total Redirects "
                     "answered by the entries of a Redirect307Map file.\n"
                     "# TYPE redirect307_map_redirects_total counter\n");
    for (m = 0; m < maps->nelts; m++) {
        redirect307_map_total *map =
            &APR_ARRAY_IDX(maps, m, redirect307_map_total);

        redirect307_puts(out, apr_psprintf(p,
            "redirect307_map_redirects_total{map=\"%s\"} %" APR_UINT64_T_FMT
            "\n", redirect307_label(p, map->file), map->hits));
    }
    redirect307_puts(out, "# HELP redirect307_map_entries Entries of a "
                     "Redirect307Map file.\n"
                     "# TYPE redirect307_map_entries gauge\n");
    for (m = 0; m < maps->nelts; m++) {
        redirect307_map_total *map =
            &APR_ARRAY_IDX(maps, m, redirect307_map_total);

        redirect307_puts(out, apr_psprintf(p,
            "redirect307_map_entries{map=\"%s\"} %" APR_UINT64_T_FMT "\n",
            redirect307_label(p, map->file), map->entries));
    }
}
