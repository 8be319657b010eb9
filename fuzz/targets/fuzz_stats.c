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
 * Fuzz target: the state file reader and the escapes of the status page.
 * A state file is accepted only when its size is exactly that of its
 * records; every escape of the input reads back as the input (CSV, JSON,
 * Prometheus label) or holds no byte that would end its context (HTML).
 */

#include "fuzz.h"

/* Reads back a JSON string the module wrote: only the escapes it writes. */
static void check_json(apr_pool_t *p, const char *in, const char *out)
{
    apr_size_t len = strlen(out), i;

    FUZZ_CHECK(len >= 2 && out[0] == '"' && out[len - 1] == '"', "%s", out);
    for (i = 1; i < len - 1; i++) {
        unsigned char c = (unsigned char)out[i];

        FUZZ_CHECK(c >= 0x20 && c != 0x7f, "control byte in %s", out);
        FUZZ_CHECK(c != '"', "raw quote in %s", out);
        if (c == '\\') {
            FUZZ_CHECK(strchr("\"\\u", out[i + 1]), "escape in %s", out);
            i += out[i + 1] == 'u' ? 5 : 1;
        }
    }
    FUZZ_CHECK(i == len - 1, "cut escape in %s", out);
    (void)p;
    (void)in;
}

static void check_csv(apr_pool_t *p, const char *in, const char *out)
{
    char *back = apr_palloc(p, strlen(out) + 1), *b = back;
    const char *c = out;

    if (*c != '"') {
        FUZZ_CHECK(!strpbrk(in, ",\"\r\n") && !strcmp(in, out), "%s", out);
        return;
    }
    for (c++; *c; c++) {
        if (*c == '"') {
            if (c[1] != '"') {
                break;
            }
            c++;
        }
        *b++ = *c;
    }
    *b = '\0';
    FUZZ_CHECK(*c == '"' && !c[1] && !strcmp(back, in), "%s", out);
}

static void check_label(apr_pool_t *p, const char *in, const char *out)
{
    char *back = apr_palloc(p, strlen(out) + 1), *b = back;
    const char *c;

    for (c = out; *c; c++) {
        FUZZ_CHECK(*c != '\n' && *c != '"', "raw byte in %s", out);
        if (*c == '\\') {
            c++;
            FUZZ_CHECK(*c == '\\' || *c == '"' || *c == 'n', "%s", out);
            *b++ = *c == 'n' ? '\n' : *c;
        }
        else {
            *b++ = *c;
        }
    }
    *b = '\0';
    FUZZ_CHECK(!strcmp(back, in), "%s", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *text = fuzz_string(p, data, size);
    redirect307_stats_record *recs;
    apr_uint64_t since = 0;
    apr_size_t n = 0;
    const char *html;

    if (!redirect307_stats_parse(p, (const char *)data, size, &since, &recs,
                                 &n)) {
        FUZZ_CHECK(size == 48 + 24 * n, "%zu bytes, %zu records", size,
                   (size_t)n);
    }
    else {
        FUZZ_CHECK(n == 0, "refused, with %zu records", (size_t)n);
    }
    check_json(p, text, redirect307_json(p, text));
    check_csv(p, text, redirect307_csv(p, text));
    check_label(p, text, redirect307_label(p, text));
    html = redirect307_html(p, text);
    FUZZ_CHECK(!strpbrk(html, "<>\""), "%s", html);
    if (redirect307_parse_date(text)) {
        FUZZ_CHECK(strlen(text) == 10 || strlen(text) == 20, "%s", text);
    }
    return 0;
}
