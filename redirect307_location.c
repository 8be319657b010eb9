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
 * Targets that carry request data (Redirect307Match's $0-$9, the %{...} of
 * a one-argument Redirect307) and putting the Location together: the
 * target's parts, the remainder of a prefix rule, the request's query and
 * the fragment, each encoded for where it lands.
 */

#include "apr_lib.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#define APR_WANT_IOVEC
#include "apr_want.h"

#include "redirect307_private.h"

/* --------------------------------------------------------------------
 * Reading a target with request data (configuration time)
 */

/* A target being read: the literal text gathered in buf[0, len) becomes a
 * piece of the part it lands in when something else starts. */
typedef struct {
    apr_pool_t *p;
    redirect307_template *t;
    redirect307_part part;
    char *buf;
    apr_size_t len;
} redirect307_reader;

static void redirect307_add_piece(redirect307_reader *rd, int capture,
                                  void *expr, const char *text)
{
    redirect307_piece *piece = apr_array_push(rd->t->pieces);

    piece->part = rd->part;
    piece->capture = capture;
    piece->expr = expr;
    piece->text = text;
}

static void redirect307_flush_literal(redirect307_reader *rd)
{
    const char *text;

    if (rd->len) {
        rd->buf[rd->len] = '\0';
        text = redirect307_clean(rd->p, rd->buf, rd->len);
        if (rd->part == REDIRECT307_IN_FRAGMENT) {
            text = redirect307_escape_hash(rd->p, text);
        }
        redirect307_add_piece(rd, -1, NULL, apr_pstrdup(rd->p, text));
        rd->len = 0;
    }
}

/* The %{...} at s: its length with the braces, or 0 when it is not closed.
 * Braces nest, and a backslash escapes the next character. */
static apr_size_t redirect307_expr_len(const char *s)
{
    const char *end = s + 2;
    int depth = 1;

    while (*end && depth) {
        if (end[0] == '%' && end[1] == '{') {
            depth++;
            end++;
        }
        else if (end[0] == '}') {
            depth--;
        }
        else if (end[0] == '\\' && end[1]) {
            end++;
        }
        end++;
    }
    return depth ? 0 : (apr_size_t)(end - s);
}

/* Where a target must not start, and how its scheme and host are read. */
static const char *redirect307_template_origin(apr_pool_t *scratch,
                                               const char *text,
                                               int expressions,
                                               apr_size_t *origin_len)
{
    *origin_len = 0;
    if (expressions && text[0] == '%' && text[1] == '{') {
        return NULL;            /* a path on this server */
    }
    if (!expressions && text[0] == '$') {
        return "the target must not start with a capture: its scheme and "
            "host must be written literally";
    }
    return redirect307_split_origin(scratch, text, expressions
                                    ? REDIRECT307_EXPRESSIONS
                                    : REDIRECT307_CAPTURES, origin_len);
}

/* Reads the special text at *s, if any: a capture, an expression or an
 * escape, or the '?' or '#' that starts another part.  Moves *s to its
 * last byte and returns 1, or returns 0 for a plain byte; sets *err. */
static int redirect307_template_special(redirect307_reader *rd,
                                        const char **s, int ncaptures,
                                        redirect307_expr_parser_fn *parse_expr,
                                        void *baton, const char **err)
{
    const char *c = *s;
    int expressions = (ncaptures < 0);

    if (!expressions && c[0] == '\\' && c[1] == '$') {
        rd->buf[rd->len++] = '$';
        *s = c + 1;
    }
    else if (c[0] == '$' && apr_isdigit(c[1])) {
        int n = c[1] - '0';

        if (expressions) {
            *err = "'$N' has no meaning in a one-argument Redirect307; "
                "use Redirect307Match for captures";
            return 1;
        }
        if (n > ncaptures) {
            *err = apr_psprintf(rd->p, "the target uses $%d, but the regular "
                                "expression has %d group%s", n, ncaptures,
                                ncaptures == 1 ? "" : "s");
            return 1;
        }
        redirect307_flush_literal(rd);
        redirect307_add_piece(rd, n, NULL, NULL);
        *s = c + 1;
    }
    else if (expressions && c[0] == '%' && c[1] == '{') {
        apr_size_t len = redirect307_expr_len(c);
        void *expr = NULL;

        if (!len) {
            *err = "unterminated '%{' in the target";
            return 1;
        }
        redirect307_flush_literal(rd);
        if ((*err = parse_expr(baton, c, len, &expr))) {
            return 1;
        }
        redirect307_add_piece(rd, -1, expr, NULL);
        *s = c + len - 1;
    }
    else if (expressions && c[0] == '\\' && (c[1] == '?' || c[1] == '#')) {
        /* a literal '?' or '#' stays in its part: encoded */
        redirect307_flush_literal(rd);
        redirect307_add_piece(rd, -1, NULL, c[1] == '?' ? "%3F" : "%23");
        *s = c + 1;
    }
    else if (expressions && c[0] == '\\' && c[1]) {
        rd->buf[rd->len++] = c[1];
        *s = c + 1;
    }
    else if (*c == '?' && rd->part == REDIRECT307_IN_PATH) {
        redirect307_flush_literal(rd);
        rd->part = REDIRECT307_IN_QUERY;
        rd->t->has_query = 1;
    }
    else if (*c == '#' && rd->part != REDIRECT307_IN_FRAGMENT) {
        redirect307_flush_literal(rd);
        rd->part = REDIRECT307_IN_FRAGMENT;
        rd->t->has_fragment = 1;
    }
    else {
        return 0;
    }
    return 1;
}

/* A target with request data in it.  With ncaptures >= 0 it is the URL of
 * Redirect307Match ($0-$9, \$); with ncaptures < 0 it is the ap_expr string
 * of a one-argument Redirect307 (%{...}).  The scheme and host must be
 * literal, so that a request can never choose them. */
const char *redirect307_parse_template(apr_pool_t *p, apr_pool_t *scratch,
                                       const char *text, int ncaptures,
                                       redirect307_expr_parser_fn *parse_expr,
                                       void *baton,
                                       redirect307_template **out)
{
    redirect307_reader rd;
    apr_size_t origin_len;
    const char *s, *err = NULL;

    if ((err = redirect307_template_origin(scratch, text, ncaptures < 0,
                                           &origin_len))) {
        return err;
    }
    rd.p = p;
    rd.t = apr_pcalloc(p, sizeof(*rd.t));
    rd.part = REDIRECT307_IN_PATH;
    rd.buf = apr_palloc(scratch, strlen(text) + 1);
    rd.len = 0;
    if (origin_len) {
        rd.t->origin = apr_pstrmemdup(p, text, origin_len);
    }
    rd.t->pieces = apr_array_make(p, 4, sizeof(redirect307_piece));
    for (s = text + origin_len; *s; s++) {
        if (!redirect307_template_special(&rd, &s, ncaptures, parse_expr,
                                          baton, &err)) {
            rd.buf[rd.len++] = *s;
        }
        else if (err) {
            return err;
        }
    }
    redirect307_flush_literal(&rd);
    *out = rd.t;
    return NULL;
}

/* --------------------------------------------------------------------
 * Putting the Location together (request time)
 */

/* Fills in the captures or expression values of a template. */
int redirect307_expand(const redirect307_request *req,
                       const redirect307_template *t, const char *subject,
                       const redirect307_span *spans,
                       redirect307_parts *parts)
{
    apr_pool_t *p = req->pool;
    apr_array_header_t *text[3];
    int i;

    for (i = 0; i < 3; i++) {
        text[i] = apr_array_make(p, t->pieces->nelts, sizeof(const char *));
    }
    for (i = 0; i < t->pieces->nelts; i++) {
        const redirect307_piece *piece =
            &APR_ARRAY_IDX(t->pieces, i, redirect307_piece);
        const char *value = piece->text;

        if (piece->capture >= 0) {
            const redirect307_span *m = &spans[piece->capture];

            value = (m->so < 0) ? ""
                : redirect307_encode(p, apr_pstrmemdup(p, subject + m->so,
                                                       m->eo - m->so),
                                     piece->part, req->keep_2f);
        }
        else if (piece->expr) {
            if (!(value = req->expr_value(req->baton, piece->expr))) {
                return 0;
            }
            value = redirect307_encode(p, value, piece->part, req->keep_2f);
        }
        *(const char **)apr_array_push(text[piece->part]) = value;
    }
    parts->origin = t->origin;
    parts->origin_len = t->origin ? strlen(t->origin) : 0;
    parts->path = apr_array_pstrcat(p, text[REDIRECT307_IN_PATH], 0);
    if (parts->path[0] != '/' && (parts->path[0] || !t->origin)) {
        /* an expression value right after the host, or at the start of a
         * target, is a path: it can never extend the host */
        parts->path = apr_pstrcat(p, "/", parts->path, NULL);
    }
    parts->path_len = strlen(parts->path);
    parts->query = t->has_query
        ? apr_array_pstrcat(p, text[REDIRECT307_IN_QUERY], 0) : NULL;
    parts->query_len = parts->query ? strlen(parts->query) : 0;
    parts->fragment = t->has_fragment
        ? apr_array_pstrcat(p, text[REDIRECT307_IN_FRAGMENT], 0) : NULL;
    parts->fragment_len = parts->fragment ? strlen(parts->fragment) : 0;
    return 1;
}

/* The parts of a target without request data. */
void redirect307_url_parts(const redirect307_url *url,
                           redirect307_parts *parts)
{
    const char *text = url->text;
    apr_size_t len = strlen(text);

    parts->origin = url->origin_len ? text : NULL;
    parts->origin_len = url->origin_len;
    parts->path = text + url->origin_len;
    parts->path_len = url->path_end - url->origin_len;
    parts->query = (url->query_end > url->path_end)
        ? text + url->path_end + 1 : NULL;
    parts->query_len = parts->query ? url->query_end - url->path_end - 1 : 0;
    parts->fragment = (len > url->query_end) ? text + url->query_end + 1
        : NULL;
    parts->fragment_len = parts->fragment ? len - url->query_end - 1 : 0;
}

/* Joins origin, path, remainder, query and fragment into the Location.
 * The request's query (req->args) is cleaned, never encoded again; only a
 * '#' in it, which would start a fragment, is written "%23". */
const char *redirect307_assemble(const redirect307_request *req,
                                 const redirect307_parts *parts,
                                 const char *remainder)
{
    apr_pool_t *p = req->pool;
    struct iovec vec[10];
    int n = 0;
    const char *args = NULL;

#define REDIRECT307_ADD(s, l) \
    (vec[n].iov_base = (void *)(s), vec[n].iov_len = (l), n++)

    if (parts->origin) {
        REDIRECT307_ADD(parts->origin, parts->origin_len);
    }
    else {
        const char *self = req->self_origin(req->baton);

        REDIRECT307_ADD(self, strlen(self));
    }
    REDIRECT307_ADD(parts->path, parts->path_len);
    if (remainder && *remainder) {
        /* the remainder is joined with exactly one '/' */
        if (!parts->path_len || parts->path[parts->path_len - 1] != '/') {
            REDIRECT307_ADD("/", 1);
        }
        while (*remainder == '/') {
            remainder++;
        }
        if (*remainder) {
            const char *escaped = redirect307_encode(p, remainder,
                                                     REDIRECT307_IN_PATH,
                                                     req->keep_2f);

            REDIRECT307_ADD(escaped, strlen(escaped));
        }
    }
    if (req->args && *req->args) {
        args = redirect307_clean(p, req->args, strlen(req->args));
        args = redirect307_escape_hash(p, args);
    }
    if (parts->query || args) {
        REDIRECT307_ADD("?", 1);
    }
    if (parts->query) {
        REDIRECT307_ADD(parts->query, parts->query_len);
    }
    if (args) {
        if (parts->query_len) {
            REDIRECT307_ADD("&", 1);
        }
        REDIRECT307_ADD(args, strlen(args));
    }
    if (parts->fragment) {
        REDIRECT307_ADD("#", 1);
        REDIRECT307_ADD(parts->fragment, parts->fragment_len);
    }
#undef REDIRECT307_ADD
    return apr_pstrcatv(p, vec, n, NULL);
}

/* Is host the host of an absolute target's "scheme://[user@]host[:port]"? */
int redirect307_origin_has_host(const redirect307_parts *parts,
                                const char *host)
{
    const char *s = parts->origin, *end = s + parts->origin_len, *at;
    apr_size_t len = strlen(host);

    s = (const char *)memchr(s, ':', end - s) + 3;      /* after "://" */
    /* the host follows the last '@', as apr_uri_parse() and browsers read
     * "http://a@b@host/" */
    for (at = end; at > s && at[-1] != '@'; at--);
    s = at;
    if (*s == '[') {            /* an IPv6 literal; host comes unbracketed */
        s++;
        end = memchr(s, ']', end - s);
        return end && (apr_size_t)(end - s) == len
            && !strncasecmp(s, host, len);
    }
    return (apr_size_t)(end - s) >= len && !strncasecmp(s, host, len)
        && (s + len == end || s[len] == ':');
}
