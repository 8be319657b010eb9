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
 * Fuzz target: the query normaliser.  The canonical form does not depend
 * on the order of the parameters (the input's reversed gives the same),
 * is sorted, holds no raw '%' that starts no escape and counts what it
 * kept; the set-aside parameters are the ignored ones of the input, in
 * its order, as they were written.
 */

#include "fuzz.h"

/* The parameters of s, in reverse order. */
static char *reversed(apr_pool_t *p, const char *s, apr_size_t len)
{
    char *out = apr_palloc(p, len + 1), *o = out;
    const char *end = s + len;

    while (end > s) {
        const char *amp = end;

        while (amp > s && amp[-1] != '&') {
            amp--;
        }
        if (o > out) {
            *o++ = '&';
        }
        memcpy(o, amp, end - amp);
        o += end - amp;
        end = (amp > s) ? amp - 1 : s;
    }
    *o = '\0';
    return out;
}

static void check_sorted(const redirect307_query *q)
{
    const char *s = q->canonical, *prev = NULL;
    apr_uint32_t n = 0;

    while (q->kept && s) {
        const char *amp = strchr(s, '&');
        apr_size_t len = amp ? (apr_size_t)(amp - s) : strlen(s);

        if (prev) {
            FUZZ_CHECK(strncmp(prev, s, len + 1) <= 0 || memchr(prev, '&',
                       len + 1), "'%s' is not sorted", q->canonical);
        }
        prev = s;
        n++;
        s = amp ? amp + 1 : NULL;
    }
    FUZZ_CHECK(n == q->kept, "%u parameters in '%s', %u kept", n,
               q->canonical, q->kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *query = fuzz_string(p, data, size);
    apr_size_t len = strlen(query);
    char *back = reversed(p, query, len);
    redirect307_query q, r;

    redirect307_query_normalise(p, query, len, &redirect307_ignore_default,
                                APR_UINT32_MAX, &q);
    redirect307_query_normalise(p, back, strlen(back),
                                &redirect307_ignore_default, APR_UINT32_MAX,
                                &r);
    FUZZ_CHECK(q.kept == r.kept && !strcmp(q.canonical, r.canonical),
               "'%s' and '%s' differ", q.canonical, r.canonical);
    check_sorted(&q);
    FUZZ_CHECK(!q.set_aside || strlen(q.set_aside) <= len, "set aside '%s'",
               q.set_aside);
    if (q.set_aside) {
        FUZZ_CHECK(!strcmp(reversed(p, q.set_aside, strlen(q.set_aside)),
                           r.set_aside ? r.set_aside : ""),
                   "set aside '%s' and '%s'", q.set_aside, r.set_aside);
    }
    redirect307_query_normalise(p, query, len, &redirect307_ignore_default,
                                q.kept ? q.kept - 1 : 0, &r);
    FUZZ_CHECK(!q.kept || !r.canonical, "over the limit, yet '%s'",
               r.canonical);
    return 0;
}
