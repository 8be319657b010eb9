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
 * Fuzz target: request data in the Location.  The first byte of an input
 * chooses one of a fixed set of targets ((byte % 24) / 2) and whether
 * AllowEncodedSlashes is NoDecode ((byte % 24) % 2); the rest is request
 * data, up to a '\n', then a request's query.  The data goes through
 * redirect307_encode() for the path and for the query, with and without
 * AllowEncodedSlashes NoDecode, and must decode back to itself (with
 * NoDecode, "%2F" and "%2f" come back as "%2F").  Then it is the remainder
 * of a prefix rule for the target, with the query: the
 * Location passes fuzz_check_location(), its path is the target's, one
 * '/' and the remainder, and its fragment is the target's.
 */

#include "location.h"

static const char *const fuzz_targets[] = {
    "http://e.example/p",
    "http://e.example/p/",
    "http://e.example",
    "http://e.example/p?t=1",
    "http://e.example/p?",
    "http://e.example/p#sec",
    "http://e.example/p/?t=1&u=2#sec",
    "https://u@[2001:db8::1]:8443/v6/",
    "https://e.example/a%20b/%2F",
    "/local",
    "/",
    "/l?x=1#f"
};

#define FUZZ_TARGETS (int)(sizeof(fuzz_targets) / sizeof(fuzz_targets[0]))

static int fuzz_hex(char c)
{
    return apr_isdigit(c) ? c - '0' : apr_tolower(c) - 'a' + 10;
}

/* Decodes len bytes of text: every escape, '+' as a space when plus is
 * set; with keep_2f, an encoded slash stays "%2F". */
static const char *fuzz_decode(apr_pool_t *p, const char *text,
                               apr_size_t len, int plus, int keep_2f)
{
    char *out = apr_palloc(p, len + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (text[i] == '%' && keep_2f && redirect307_is_2f(text + i)) {
            memcpy(o, "%2F", 3);
            o += 3;
            i += 2;
        }
        else if (text[i] == '%') {
            *o++ = (char)(fuzz_hex(text[i + 1]) * 16 + fuzz_hex(text[i + 2]));
            i += 2;
        }
        else {
            *o++ = (plus && text[i] == '+') ? ' ' : text[i];
        }
    }
    *o = '\0';
    return out;
}

/* data with every encoded slash written "%2F" (slash: as a '/'). */
static const char *fuzz_2f(apr_pool_t *p, const char *data, int slash)
{
    char *out = apr_pstrdup(p, data), *o = out;
    const char *s;

    for (s = data; *s; s++) {
        if (redirect307_is_2f(s)) {
            memcpy(o, slash ? "/" : "%2F", slash ? 1 : 3);
            o += slash ? 1 : 3;
            s += 2;
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Request data encoded for the path and for the query: only bytes that may
 * appear raw there, and nothing lost.  With NoDecode an encoded slash of
 * the request stays one in the path, and is a '/' of the query's data. */
static void fuzz_encode(apr_pool_t *p, const char *data, const char *input)
{
    const char *e;
    int keep_2f;

    for (keep_2f = 0; keep_2f <= 1; keep_2f++) {
        e = redirect307_encode(p, data, REDIRECT307_IN_PATH, keep_2f);
        FUZZ_CHECK(!fuzz_check_bytes(e, input) && !strchr(e, '?'),
                   "path '%s' from '%s'", e, input);
        FUZZ_CHECK(!strcmp(fuzz_decode(p, e, strlen(e), 0, keep_2f),
                           keep_2f ? fuzz_2f(p, data, 0) : data),
                   "path '%s' from '%s'", e, input);
        e = redirect307_encode(p, data, REDIRECT307_IN_QUERY, keep_2f);
        FUZZ_CHECK(!fuzz_check_bytes(e, input) && !strpbrk(e, "&=?/"),
                   "query '%s' from '%s'", e, input);
        FUZZ_CHECK(!strcmp(fuzz_decode(p, e, strlen(e), 1, 0),
                           keep_2f ? fuzz_2f(p, data, 1) : data),
                   "query '%s' from '%s'", e, input);
    }
}

/* The Location of target with data as the remainder of a prefix rule. */
static void fuzz_prefix(apr_pool_t *p, const char *target,
                        const char *data, const char *args, int keep_2f,
                        const char *input)
{
    redirect307_url url;
    redirect307_parts parts;
    redirect307_request req;
    const char *location, *path, *rest, *expected;
    apr_size_t origin_len, path_len;

    FUZZ_CHECK(!redirect307_parse_url(p, p, target, &url), "%s", target);
    redirect307_url_parts(&url, &parts);
    memset(&req, 0, sizeof(req));
    req.pool = p;
    req.args = args;
    req.keep_2f = keep_2f;
    req.self_origin = fuzz_self_origin;
    location = redirect307_assemble(&req, &parts, data);
    fuzz_check_location(location, parts.origin, parts.origin_len, input);

    origin_len = parts.origin ? parts.origin_len : strlen(FUZZ_SELF_ORIGIN);
    path = location + origin_len;
    path_len = strcspn(path, "?#");
    FUZZ_CHECK(path_len >= parts.path_len
               && !memcmp(path, parts.path, parts.path_len),
               "'%s' lost the path of '%s'", location, target);
    rest = path + parts.path_len;
    if (*data) {
        /* joined with exactly one '/' */
        if (!parts.path_len || parts.path[parts.path_len - 1] != '/') {
            FUZZ_CHECK(*rest == '/', "no '/' before the remainder in '%s'",
                       location);
            rest++;
        }
        FUZZ_CHECK(*rest != '/', "two '/' before the remainder in '%s'",
                   location);
    }
    while (*data == '/') {
        data++;
    }
    expected = keep_2f ? fuzz_2f(p, data, 0) : data;
    FUZZ_CHECK(!strcmp(fuzz_decode(p, rest, path + path_len - rest, 0,
                                   keep_2f), expected),
               "remainder of '%s' is not '%s'; from '%s'", location, data,
               input);
    FUZZ_CHECK(!parts.fragment || !strcmp(strchr(location, '#') + 1,
                                          parts.fragment),
               "fragment of '%s' from '%s'", location, target);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *input, *args;
    int choice;

    if (!size) {
        return 0;
    }
    choice = data[0] % (2 * FUZZ_TARGETS);
    input = fuzz_string(p, data + 1, size - 1);
    if ((args = strchr(input, '\n'))) {
        *args++ = '\0';
    }
    fuzz_encode(p, input, input);
    fuzz_prefix(p, fuzz_targets[choice / 2], input, args, choice % 2, input);
    return 0;
}
