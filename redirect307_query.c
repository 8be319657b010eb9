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
 * Query strings of map keys and of requests, normalised so that one hash
 * lookup finds a key whatever the order of its parameters: the parameters
 * Redirect307IgnoreParams names are set aside, the others are decoded,
 * written canonically and sorted.
 */

#include <stdlib.h>

#include "apr_escape.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* Marketing parameters and click ids, the default list. */
static const char *const redirect307_ignore_names[] = {
    "utm_*", "gclid", "gbraid", "wbraid", "fbclid", "msclkid", "dclid",
    "yclid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "igshid"
};

const redirect307_ignore_list redirect307_ignore_default = {
    redirect307_ignore_names,
    (int)(sizeof(redirect307_ignore_names) / sizeof(const char *))
};

int redirect307_ignored(const redirect307_ignore_list *ignore,
                        const char *name, apr_size_t len)
{
    int i;

    for (i = 0; ignore && i < ignore->count; i++) {
        const char *pattern = ignore->names[i];
        apr_size_t plen = strlen(pattern);

        if (plen && pattern[plen - 1] == '*') {
            if (len >= plen - 1 && !memcmp(name, pattern, plen - 1)) {
                return 1;
            }
        }
        else if (len == plen && !memcmp(name, pattern, len)) {
            return 1;
        }
    }
    return 0;
}

/* Decodes s[0, len) as a query component ('+' is a space) with APR into
 * out (len + 1 bytes); a '%' that starts no escape stays itself.  The
 * byte after s[len - 1] is '&', '=' or NUL, never a hex digit, so APR's
 * look-ahead of an escape cannot take it.  Returns the decoded length
 * (APR counts the NUL it writes). */
static apr_size_t redirect307_query_decode(char *out, const char *s,
                                           apr_size_t len, int *bad)
{
    apr_size_t n = 0;

    if (!len) {
        out[0] = '\0';
        return 0;
    }
    if (apr_unescape_url(out, s, len, NULL, NULL, 1, &n) == APR_EINVAL) {
        *bad = 1;
    }
    return n ? n - 1 : 0;
}

/* Writes s[0, len) canonically at out: '%', '&', '=' and NUL encoded.
 * Returns the end of what it wrote. */
static char *redirect307_query_escape(char *out, const char *s,
                                      apr_size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (c == '%' || c == '&' || c == '=' || c == '\0') {
            *out++ = '%';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0x0f];
        }
        else {
            *out++ = c;
        }
    }
    return out;
}

/* One parameter, name=value, decoded and written canonically: "name" alone
 * for an empty value, so "a", "a=" and "a=" + "" compare equal. */
static const char *redirect307_query_pair(apr_pool_t *p, const char *name,
                                          apr_size_t name_len,
                                          const char *value,
                                          apr_size_t value_len, int *bad)
{
    char *buf = apr_palloc(p, name_len + value_len + 2);
    char *pair = apr_palloc(p, 3 * (name_len + value_len) + 2);
    char *o;
    apr_size_t n;

    n = redirect307_query_decode(buf, name, name_len, bad);
    o = redirect307_query_escape(pair, buf, n);
    n = value ? redirect307_query_decode(buf, value, value_len, bad) : 0;
    if (n) {
        *o++ = '=';
        o = redirect307_query_escape(o, buf, n);
    }
    *o = '\0';
    return pair;
}

static int redirect307_query_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Joins the sorted pairs with '&'. */
static void redirect307_query_join(apr_pool_t *p, apr_array_header_t *pairs,
                                   redirect307_query *out)
{
    const char **pair = (const char **)pairs->elts;
    apr_size_t len = 0;
    char *s;
    int i;

    qsort(pair, pairs->nelts, sizeof(*pair), redirect307_query_cmp);
    for (i = 0; i < pairs->nelts; i++) {
        len += strlen(pair[i]) + 1;
    }
    out->canonical = s = apr_palloc(p, len + 1);
    for (i = 0; i < pairs->nelts; i++) {
        apr_size_t n = strlen(pair[i]);

        if (i) {
            *s++ = '&';
        }
        memcpy(s, pair[i], n);
        s += n;
    }
    *s = '\0';
    out->canonical_len = s - out->canonical;
}

void redirect307_query_normalise(apr_pool_t *p, const char *query,
                                 apr_size_t len,
                                 const redirect307_ignore_list *ignore,
                                 apr_uint32_t limit,
                                 redirect307_query *out)
{
    apr_array_header_t *pairs = apr_array_make(p, 8, sizeof(const char *));
    char *aside = apr_palloc(p, len + 1), *a = aside;
    char *name = apr_palloc(p, len + 1);
    const char *s = query, *end = query + len;
    int bad = 0;

    memset(out, 0, sizeof(*out));
    while (s < end) {
        const char *amp = memchr(s, '&', end - s), *eq;
        apr_size_t plen, nlen;

        plen = (amp ? amp : end) - s;
        eq = memchr(s, '=', plen);
        nlen = eq ? (apr_size_t)(eq - s) : plen;
        if (plen && ignore
            && redirect307_ignored(ignore, name,
                                   redirect307_query_decode(name, s, nlen,
                                                            &bad))) {
            if (a > aside) {
                *a++ = '&';
            }
            memcpy(a, s, plen);
            a += plen;
        }
        else if (plen > 1 || (plen && !eq)) {   /* "=" alone is nothing */
            if (++out->kept <= limit) {
                *(const char **)apr_array_push(pairs) =
                    redirect307_query_pair(p, s, nlen, eq ? eq + 1 : NULL,
                                           eq ? plen - nlen - 1 : 0,
                                           &out->bad_escape);
            }
        }
        s += plen + 1;
    }
    *a = '\0';
    out->bad_escape |= bad;
    out->set_aside = (a > aside) ? aside : NULL;
    if (out->kept <= limit) {
        redirect307_query_join(p, pairs, out);
    }
}
