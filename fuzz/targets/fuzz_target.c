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
 * Fuzz target: reading targets (redirect307_split_origin,
 * redirect307_parse_url, redirect307_parse_template) and the Locations
 * made from every target accepted.
 *
 * The first byte of an input chooses the syntax (byte % 3: literal,
 * captures, expressions), the number of groups of the regex
 * ((byte / 3) % 10) and AllowEncodedSlashes NoDecode ((byte / 30) & 1).
 * The rest is up to five fields separated by '\n': the target; the subject
 * of the regex, or the values of the expressions separated by '\t'; the
 * request's query; the remainder of a prefix rule; two bytes a capture
 * giving where it starts and ends in the subject (0xff: not in the match).
 * Every Location must pass fuzz_check_location(), and a literal target
 * without request data must come out as it was cleaned.
 */

#include "location.h"

#define FUZZ_TARGET 0
#define FUZZ_DATA 1
#define FUZZ_ARGS 2
#define FUZZ_REMAINDER 3
#define FUZZ_SPANS 4
#define FUZZ_FIELDS 5

typedef struct {
    apr_pool_t *p;
    const char *input;          /* for messages */
    int ncaptures;              /* -1: expressions */
    int keep_2f;
    const char *field[FUZZ_FIELDS];
    apr_size_t len[FUZZ_FIELDS];
    apr_array_header_t *exprs;  /* const char *: each %{...} parsed */
    apr_array_header_t *values; /* const char *: their values */
} fuzz_input;

static void fuzz_split(fuzz_input *in, const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size, *nl;
    int i;

    for (i = 0; i < FUZZ_FIELDS; i++) {
        nl = (i < FUZZ_FIELDS - 1) ? memchr(data, '\n', end - data) : NULL;
        if (!nl) {
            nl = end;
        }
        in->field[i] = fuzz_string(in->p, data, nl - data);
        in->len[i] = nl - data;
        data = (nl < end) ? nl + 1 : end;
    }
}

/* --------------------------------------------------------------------
 * Fake expressions: the parser records the text, the values come from the
 * input
 */

static const char *fuzz_parse_expr(void *baton, const char *text,
                                   apr_size_t len, void **expr)
{
    fuzz_input *in = baton;
    int *n;

    FUZZ_CHECK(len >= 3 && text[0] == '%' && text[1] == '{'
               && text[len - 1] == '}' && !memchr(text, '\0', len),
               "expression '%.*s' from '%s'", (int)len, text, in->input);
    if (len > 5 && !strncmp(text + 2, "bad", 3)) {
        return "the fake parser refuses it";
    }
    n = apr_palloc(in->p, sizeof(*n));
    *n = in->exprs->nelts;
    *(const char **)apr_array_push(in->exprs) =
        apr_pstrmemdup(in->p, text, len);
    *expr = n;
    return NULL;
}

static const char *fuzz_expr_value(void *baton, const void *expr)
{
    fuzz_input *in = baton;
    int n = *(const int *)expr;

    FUZZ_CHECK(n >= 0 && n < in->exprs->nelts, "expression %d", n);
    return (n < in->values->nelts)
        ? APR_ARRAY_IDX(in->values, n, const char *) : NULL;
}

/* The fake match: capture n from bytes 2n and 2n+1 of the spans field. */
static void fuzz_spans(const fuzz_input *in, redirect307_span *spans)
{
    const unsigned char *b = (const unsigned char *)in->field[FUZZ_SPANS];
    int len = (int)strlen(in->field[FUZZ_DATA]), n;

    for (n = 0; n < REDIRECT307_MAX_CAPTURES; n++) {
        if ((apr_size_t)(2 * n + 1) >= in->len[FUZZ_SPANS]) {
            spans[n].so = n ? -1 : 0;
            spans[n].eo = n ? -1 : len;
        }
        else if (b[2 * n] == 0xff) {
            spans[n].so = spans[n].eo = -1;
        }
        else {
            spans[n].so = b[2 * n] % (len + 1);
            spans[n].eo = spans[n].so + b[2 * n + 1] % (len - spans[n].so
                                                        + 1);
        }
    }
}

static void fuzz_request(const fuzz_input *in, redirect307_request *req)
{
    memset(req, 0, sizeof(*req));
    req->pool = in->p;
    req->args = *in->field[FUZZ_ARGS] ? in->field[FUZZ_ARGS] : NULL;
    req->keep_2f = in->keep_2f;
    req->self_origin = fuzz_self_origin;
    req->expr_value = fuzz_expr_value;
    req->baton = (void *)in;
}

/* --------------------------------------------------------------------
 * Literal targets: Redirect307 URL-path URL and map entries
 */

/* A literal target as it is sent: cleaned, with every '#' after the
 * first written "%23". */
static const char *fuzz_cleaned(apr_pool_t *p, const char *target)
{
    const char *clean = redirect307_clean(p, target, strlen(target));
    const char *hash = strchr(clean, '#');

    if (!hash) {
        return clean;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, clean, hash + 1 - clean),
                       redirect307_escape_hash(p, hash + 1), NULL);
}

/* The fields of a parsed target, and its origin: the origin as written,
 * cleaned.  Returns the origin's length. */
static apr_size_t fuzz_check_url(const fuzz_input *in,
                                 const redirect307_url *url,
                                 apr_size_t written_len)
{
    const char *target = in->field[FUZZ_TARGET], *text = url->text;
    apr_size_t len = strlen(text);
    const char *origin = redirect307_clean(in->p, apr_pstrmemdup(in->p,
                                                                 target,
                                                                 written_len),
                                           written_len);

    FUZZ_CHECK(!strcmp(text, fuzz_cleaned(in->p, target)),
               "'%s' is not the cleaned '%s'", text, target);
    FUZZ_CHECK(redirect307_clean(in->p, text, len) == text,
               "'%s' is not clean", text);
    FUZZ_CHECK(url->origin_len <= url->path_end
               && url->path_end <= url->query_end && url->query_end <= len,
               "%u %u %u in '%s'", url->origin_len, url->path_end,
               url->query_end, text);
    FUZZ_CHECK(strlen(origin) == url->origin_len
               && !memcmp(text, origin, url->origin_len),
               "origin of '%s' is %u bytes, not '%s'; from '%s'", text,
               url->origin_len, origin, in->input);
    FUZZ_CHECK(!memchr(text + url->origin_len, '?',
                       url->path_end - url->origin_len)
               && !memchr(text + url->origin_len, '#', url->query_end
                          - url->origin_len)
               && strchr("?#", text[url->path_end])
               && strchr("#", text[url->query_end]),
               "parts of '%s': %u %u %u", text, url->origin_len,
               url->path_end, url->query_end);
    return url->origin_len;
}

/* An absolute target's host, as apr_uri_parse() reads it, is the one the
 * loop guard and the chain check compare with. */
static void fuzz_check_host(const fuzz_input *in,
                            const redirect307_parts *parts)
{
    apr_uri_t uri;
    const char *origin;

    if (!parts->origin) {
        return;
    }
    origin = apr_pstrmemdup(in->p, parts->origin, parts->origin_len);
    FUZZ_CHECK(apr_uri_parse(in->p, origin, &uri) == APR_SUCCESS
               && uri.hostname, "origin '%s' from '%s'", origin, in->input);
    FUZZ_CHECK(redirect307_origin_has_host(parts, uri.hostname),
               "origin '%s' does not have its host '%s'; from '%s'", origin,
               uri.hostname, in->input);
}

static void fuzz_literal(fuzz_input *in)
{
    const char *target = in->field[FUZZ_TARGET], *err, *location;
    const char *remainder = *in->field[FUZZ_REMAINDER]
        ? in->field[FUZZ_REMAINDER] : NULL;
    apr_size_t written_len, origin_len;
    redirect307_url url;
    redirect307_parts parts;
    redirect307_request req;

    err = redirect307_split_origin(in->p, target, REDIRECT307_LITERAL,
                                   &written_len);
    FUZZ_CHECK(!err == !redirect307_parse_url(in->p, in->p, target, &url),
               "split_origin and parse_url disagree on '%s'", target);
    if (err) {
        FUZZ_CHECK(*err, "empty error for '%s'", target);
        return;
    }
    origin_len = fuzz_check_url(in, &url, written_len);
    redirect307_url_parts(&url, &parts);
    FUZZ_CHECK(!parts.origin == !origin_len, "origin of '%s'", url.text);
    fuzz_check_host(in, &parts);
    fuzz_request(in, &req);
    location = redirect307_assemble(&req, &parts, remainder);
    fuzz_check_location(location, parts.origin, origin_len, in->input);

    /* nothing from the request: the target as it was cleaned */
    req.args = NULL;
    location = redirect307_assemble(&req, &parts, NULL);
    FUZZ_CHECK(!strcmp(location, origin_len ? url.text
                       : apr_pstrcat(in->p, FUZZ_SELF_ORIGIN, url.text,
                                     NULL)),
               "'%s' from '%s'", location, url.text);
}

/* --------------------------------------------------------------------
 * Targets with request data: Redirect307Match and one-argument Redirect307
 */

static void fuzz_check_pieces(const fuzz_input *in,
                              const redirect307_template *t)
{
    redirect307_part last = REDIRECT307_IN_PATH;
    int i;

    for (i = 0; i < t->pieces->nelts; i++) {
        const redirect307_piece *piece =
            &APR_ARRAY_IDX(t->pieces, i, redirect307_piece);

        FUZZ_CHECK(piece->part >= last, "piece %d goes back; '%s'", i,
                   in->input);
        last = piece->part;
        FUZZ_CHECK(piece->part != REDIRECT307_IN_QUERY || t->has_query,
                   "query piece without a query; '%s'", in->input);
        FUZZ_CHECK(piece->part != REDIRECT307_IN_FRAGMENT
                   || t->has_fragment, "fragment piece without a "
                   "fragment; '%s'", in->input);
        if (piece->capture >= 0) {
            FUZZ_CHECK(piece->capture <= in->ncaptures && !piece->expr
                       && !piece->text, "capture %d of %d; '%s'",
                       piece->capture, in->ncaptures, in->input);
        }
        else if (piece->expr) {
            FUZZ_CHECK(in->ncaptures < 0 && !piece->text,
                       "expression in '%s'", in->input);
        }
        else {
            FUZZ_CHECK(piece->text && *piece->text
                       && redirect307_clean(in->p, piece->text,
                                            strlen(piece->text))
                       == piece->text, "literal '%s' of '%s'",
                       piece->text, in->input);
        }
    }
}

static void fuzz_values(fuzz_input *in)
{
    char *values = apr_pstrdup(in->p, in->field[FUZZ_DATA]), *tab;

    in->values = apr_array_make(in->p, 4, sizeof(const char *));
    while (*values || !in->values->nelts) {
        if ((tab = strchr(values, '\t'))) {
            *tab = '\0';
        }
        *(const char **)apr_array_push(in->values) = values;
        if (!tab) {
            break;
        }
        values = tab + 1;
    }
}

static void fuzz_template(fuzz_input *in)
{
    const char *target = in->field[FUZZ_TARGET], *err, *location;
    redirect307_template *t;
    redirect307_span spans[REDIRECT307_MAX_CAPTURES];
    redirect307_parts parts;
    redirect307_request req;
    apr_size_t origin_len;

    err = redirect307_parse_template(in->p, in->p, target, in->ncaptures,
                                     fuzz_parse_expr, in, &t);
    if (err) {
        FUZZ_CHECK(*err, "empty error for '%s'", target);
        return;
    }
    origin_len = t->origin ? strlen(t->origin) : 0;
    FUZZ_CHECK(!strncmp(target, t->origin ? t->origin : "", origin_len)
               && strchr("/?#%", target[origin_len]),
               "origin '%s' of '%s'", t->origin, target);
    fuzz_check_pieces(in, t);
    fuzz_values(in);
    fuzz_spans(in, spans);
    fuzz_request(in, &req);
    if (!redirect307_expand(&req, t, in->field[FUZZ_DATA], spans, &parts)) {
        FUZZ_CHECK(in->values->nelts < in->exprs->nelts,
                   "no Location though every expression has a value; '%s'",
                   in->input);
        return;
    }
    FUZZ_CHECK(parts.origin == t->origin && parts.origin_len == origin_len,
               "origin of '%s'", target);
    fuzz_check_host(in, &parts);
    location = redirect307_assemble(&req, &parts, NULL);
    fuzz_check_location(location, t->origin, origin_len, in->input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;

    if (!size) {
        return 0;
    }
    memset(&in, 0, sizeof(in));
    in.p = fuzz_pool();
    in.input = fuzz_string(in.p, data + 1, size - 1);
    in.keep_2f = (data[0] / 30) & 1;
    in.exprs = apr_array_make(in.p, 4, sizeof(const char *));
    fuzz_split(&in, data + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        fuzz_literal(&in);
        break;
    case 1:
        in.ncaptures = (data[0] / 3) % 10;
        fuzz_template(&in);
        break;
    default:
        in.ncaptures = -1;
        fuzz_template(&in);
        break;
    }
    return 0;
}
