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
 * URL text, shared by configuration and request time: which bytes may
 * appear raw, percent-encoding of targets and request data, decoding of
 * URL-paths, and checking and splitting targets without request data.
 */

#include <stdlib.h>

#include "apr_escape.h"
#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_strings.h"
#include "apr_uri.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* --------------------------------------------------------------------
 * Percent-encoding
 */

/* Bytes that never appear raw in a URL sent in a header. */
static int redirect307_is_unsafe(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL;
}

static int redirect307_is_escape(const char *s, apr_size_t i, apr_size_t len)
{
    return i + 2 < len && apr_isxdigit(s[i + 1]) && apr_isxdigit(s[i + 2]);
}

/* Text that is already a URL or part of one (a target as written, the
 * request's query string): percent-encodes the bytes that may not appear
 * raw, and a '%' that starts no escape; keeps everything else, so that
 * nothing is encoded twice.  Returns s itself when there is nothing to do. */
const char *redirect307_clean(apr_pool_t *p, const char *s, apr_size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t i, extra = 0;
    char *out, *o;

    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (redirect307_is_unsafe(c)
            || (c == '%' && !redirect307_is_escape(s, i, len))) {
            extra += 2;
        }
    }
    if (!extra) {
        return s;
    }
    out = o = apr_palloc(p, len + extra + 1);
    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (redirect307_is_unsafe(c)
            || (c == '%' && !redirect307_is_escape(s, i, len))) {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 0x0f];
        }
        else {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

/* Writes every '#' of s as "%23": a fragment holds none (RFC 3986, 3.5),
 * and one in the request's query would start a fragment of the Location.
 * Returns s itself when it has none. */
const char *redirect307_escape_hash(apr_pool_t *p, const char *s)
{
    const char *c;
    apr_size_t n = 0;
    char *out, *o;

    for (c = strchr(s, '#'); c; c = strchr(c + 1, '#')) {
        n++;
    }
    if (!n) {
        return s;
    }
    out = o = apr_palloc(p, strlen(s) + 2 * n + 1);
    for (c = s; *c; c++) {
        if (*c == '#') {
            memcpy(o, "%23", 3);
            o += 3;
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* Is s[0..2] an encoded slash, "%2F" or "%2f"? */
int redirect307_is_2f(const char *s)
{
    return s[0] == '%' && s[1] == '2' && (s[2] == 'F' || s[2] == 'f');
}

/* Writes every encoded slash of s as "%2F", in place. */
void redirect307_upper_2f(char *s)
{
    for (s = strchr(s, '%'); s; s = strchr(s + 1, '%')) {
        if (redirect307_is_2f(s)) {
            s[2] = 'F';
        }
    }
}

/* Decodes a URL-path in place as httpd decodes request paths under
 * AllowEncodedSlashes NoDecode (apr_unescape_url with '/' reserved): every
 * escape but "%2F", which stays and is written in upper case, so that a
 * URL-path compares with the request path whatever case its escapes use.
 * Returns 0, and leaves path as it was, on a bad escape or an encoded NUL. */
int redirect307_decode_path(char *path)
{
    apr_status_t rv;

    if (!strchr(path, '%')) {
        return 1;
    }
    /* checked first, so that a path that cannot be decoded stays as it
     * was written, for the error message */
    rv = apr_unescape_url(NULL, path, APR_ESCAPE_STRING, NULL, "/", 0, NULL);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return 0;
    }
    apr_unescape_url(path, path, APR_ESCAPE_STRING, NULL, "/", 0, NULL);
    redirect307_upper_2f(path);
    return 1;
}

/* Percent-encodes data for a path as httpd's ap_escape_uri() does: every
 * byte but letters, digits and "$-_.+!*'(),:;@&=/~".  Written here because
 * apr_escape_path() encodes ';' as well, which would change the bytes of
 * Locations that carry one. */
static const char *redirect307_escape_path(apr_pool_t *p, const char *data)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s;
    apr_size_t extra = 0;
    char *out, *o;

    for (s = (const unsigned char *)data; *s; s++) {
        if (!apr_isalnum(*s) && !strchr("$-_.+!*'(),:;@&=/~", *s)) {
            extra += 2;
        }
    }
    if (!extra) {
        return data;
    }
    out = o = apr_palloc(p, strlen(data) + extra + 1);
    for (s = (const unsigned char *)data; *s; s++) {
        if (!apr_isalnum(*s) && !strchr("$-_.+!*'(),:;@&=/~", *s)) {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 0x0f];
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Request data, escaped: for the path, above; for the query and fragment
 * apr_pescape_urlencoded(), with the escapes in upper case (APR writes them
 * in lower case; RFC 3986 prefers upper case, and so does every escape in
 * the rest of the Location). */
static const char *redirect307_escape(apr_pool_t *p, const char *data,
                                      redirect307_part part)
{
    const char *out;
    char *c;

    if (part == REDIRECT307_IN_PATH) {
        return redirect307_escape_path(p, data);
    }
    out = apr_pescape_urlencoded(p, data);
    if (out == data) {
        return data;            /* nothing to escape, so no '%' either */
    }
    for (c = strchr((char *)out, '%'); c; c = strchr(c + 1, '%')) {
        c[1] = apr_toupper(c[1]);
        c[2] = apr_toupper(c[2]);
    }
    return out;
}

/* Request data (a capture, a remainder, the value of an expression) for the
 * part of the URL it lands in: path-safe in the path (keeps '/'),
 * component-safe in the query and fragment (encodes '&', '=', '+', '#').
 * With keep_2f (AllowEncodedSlashes NoDecode), httpd left the encoded
 * slashes of the request encoded: each "%2F" stays exactly one escape. */
const char *redirect307_encode(apr_pool_t *p, const char *data,
                               redirect307_part part, int keep_2f)
{
    apr_array_header_t *runs;
    const char *s, *next;

    if (!keep_2f || !strstr(data, "%2")) {
        return redirect307_escape(p, data, part);
    }
    runs = apr_array_make(p, 4, sizeof(const char *));
    for (s = data; *s; s = next) {
        for (next = s; *next && !redirect307_is_2f(next); next++);
        if (next > s) {
            *(const char **)apr_array_push(runs) =
                redirect307_escape(p, apr_pstrmemdup(p, s, next - s), part);
        }
        if (*next) {
            *(const char **)apr_array_push(runs) = "%2F";
            next += 3;
        }
    }
    return apr_array_pstrcat(p, runs, 0);
}

/* --------------------------------------------------------------------
 * Hosts, ports and targets without request data
 */

/* Can name be the host of a URL: a DNS name, an IPv4 address, or an IPv6
 * address, bracketed or not?  httpd checks Host headers itself, but not
 * under HttpProtocolOptions Unsafe, and it accepts an absolute-form request
 * target with an empty host. */
int redirect307_is_host(apr_pool_t *p, const char *name)
{
    apr_size_t len = strlen(name);
    apr_ipsubnet_t *ip;
    const char *s;

    if (name[0] == '[') {
        if (len < 3 || name[len - 1] != ']') {
            return 0;
        }
        name = apr_pstrmemdup(p, name + 1, len - 2);
        if (!strchr(name, ':')) {
            return 0;           /* only an IPv6 address goes in brackets */
        }
    }
    if (strchr(name, ':')) {
        for (s = name; apr_isxdigit(*s) || *s == ':' || *s == '.'; s++);
        return !*s && apr_ipsubnet_create(&ip, name, NULL, p) == APR_SUCCESS;
    }
    for (s = name; apr_isalnum(*s) || *s == '-' || *s == '.' || *s == '_'
         || *s == '~'; s++);
    return s > name && !*s;
}

/* Is the port of a URL (the text after ':') a TCP port, or empty? */
int redirect307_is_port(const char *port)
{
    const char *s;

    for (s = port; apr_isdigit(*s); s++);
    return !*s && (s == port || (s - port <= 5 && atoi(port) > 0
                                 && atoi(port) <= 65535));
}

/* Can the "%{" at s, in a one-argument target whose authority starts at
 * authority, start the path?  Only after a whole host (and port): not
 * right after the ':' of a port or the '@' of userinfo, and not when an '@'
 * follows before the path, which makes the text so far userinfo. */
static int redirect307_expr_starts_path(const char *authority, const char *s)
{
    int depth = 0;

    if (s > authority && (s[-1] == ':' || s[-1] == '@')) {
        return 0;
    }
    for (; *s; s++) {
        if (s[0] == '%' && s[1] == '{') {
            depth++;
            s++;
        }
        else if (depth && *s == '\\' && s[1]) {
            s++;
        }
        else if (depth && *s == '}') {
            depth--;
        }
        else if (!depth && strchr("/?#", *s)) {
            break;
        }
        else if (!depth && *s == '@') {
            return 0;
        }
    }
    return 1;
}

/* Is the host and port written in the authority [authority, end), after
 * its last '@', exactly the host and port apr_uri_parse() read?  It reads
 * stray brackets leniently: "[v]" as the host v, "[[v]6" as "[v]". */
static int redirect307_is_hostport(apr_pool_t *p, const char *authority,
                                   const char *end, const apr_uri_t *uri)
{
    const char *hostport = end, *expected = uri->hostname;

    while (hostport > authority && hostport[-1] != '@') {
        hostport--;
    }
    if (strchr(expected, ':')) {
        expected = apr_pstrcat(p, "[", expected, "]", NULL);
    }
    if (uri->port_str) {
        expected = apr_pstrcat(p, expected, ":", uri->port_str, NULL);
    }
    return strlen(expected) == (apr_size_t)(end - hostport)
        && !memcmp(expected, hostport, end - hostport);
}

/* Checks the start of a target.  Sets *origin_len to the length of its
 * "scheme://authority", or to 0 for a path; returns an error otherwise.
 * With expressions, a "%{" right after the host (and port) ends the
 * authority: its value is a path.  With captures or expressions, the
 * authority must be literal text.  Works in the scratch pool p. */
const char *redirect307_split_origin(apr_pool_t *p, const char *text,
                                     redirect307_syntax syntax,
                                     apr_size_t *origin_len)
{
    const char *s = text, *authority, *host;
    apr_uri_t uri;

    *origin_len = 0;
    if (*s == '/') {
        if (s[1] == '/' || s[1] == '\\') {
            return "a path target must not start with '//': write the "
                "scheme, as in 'https://host/path'";
        }
        return NULL;
    }
    if (!apr_isalpha(*s)) {
        return "the target is neither an absolute URL (scheme://host/...) "
            "nor a path starting with '/'";
    }
    while (apr_isalnum(*s) || *s == '+' || *s == '-' || *s == '.') {
        s++;
    }
    if (strncmp(s, "://", 3) != 0) {
        return "the target is neither an absolute URL (scheme://host/...) "
            "nor a path starting with '/'";
    }
    authority = s += 3;
    while (*s && *s != '/' && *s != '?' && *s != '#') {
        if (syntax == REDIRECT307_EXPRESSIONS && s[0] == '%' && s[1] == '{'
            && redirect307_expr_starts_path(authority, s)) {
            break;
        }
        if (syntax != REDIRECT307_LITERAL && (*s == '$' || *s == '%')) {
            return "the scheme and host of the target must be literal text: "
                "no capture or variable before the path";
        }
        if (!apr_isalnum(*s) && !strchr("-._~:[]@!$&'()*+,;=%", *s)) {
            return apr_psprintf(p, "the host part of the target holds a "
                                "character not allowed there: '%c'", *s);
        }
        s++;
    }
    if (s == authority) {
        return (*s == '%') ? "the scheme and host of the target must be "
            "literal text: no capture or variable before the path"
            : "the target has no host";
    }
    *origin_len = s - text;
    if (apr_uri_parse(p, apr_pstrmemdup(p, text, *origin_len), &uri)
        != APR_SUCCESS || !uri.hostname || !*uri.hostname) {
        return "the scheme, host or port of the target is not valid";
    }
    /* apr_uri_parse() takes the brackets off without looking inside:
     * what is left holds none ("[[::1]]" leaves "[::1]") */
    for (host = s; host > authority && host[-1] != '@'; host--);
    if (*host == '[' && strpbrk(uri.hostname, "[]")) {
        return apr_psprintf(p, "'%s' is not a valid host: an IPv6 address "
                            "is written in one pair of brackets",
                            apr_pstrmemdup(p, host, s - host));
    }
    if (*host == '[' && !strchr(uri.hostname, ':')) {
        return apr_psprintf(p, "'[%s]' is not a valid host: only an IPv6 "
                            "address is written in brackets", uri.hostname);
    }
    if (!redirect307_is_host(p, uri.hostname)) {
        return apr_psprintf(p, "'%s' is not a valid host", uri.hostname);
    }
    if (uri.port_str && !redirect307_is_port(uri.port_str)) {
        return apr_psprintf(p, "'%s' is not a valid port", uri.port_str);
    }
    if (!redirect307_is_hostport(p, authority, s, &uri)) {
        return "the host of the target is not valid: brackets belong around "
            "an IPv6 address only";
    }
    return NULL;
}

/* A target without request data: a Redirect307 URL-path URL or a map entry.
 * The cleaned text is allocated from p when it differs from text. */
const char *redirect307_parse_url(apr_pool_t *p, apr_pool_t *scratch,
                                  const char *text, redirect307_url *url)
{
    apr_size_t origin_len, len, path_end, query_end;
    const char *err, *clean;

    if ((err = redirect307_split_origin(scratch, text, REDIRECT307_LITERAL,
                                        &origin_len))) {
        return err;
    }
    len = strlen(text);
    clean = redirect307_clean(p, text, len);
    if (clean != text && origin_len) {
        /* a '%' of the userinfo that starts no escape grows the origin */
        const char *origin = redirect307_clean(scratch, text, origin_len);

        origin_len = (origin == text) ? origin_len : strlen(origin);
    }
    path_end = origin_len + strcspn(clean + origin_len, "?#");
    query_end = path_end;
    if (clean[path_end] == '?') {
        query_end += strcspn(clean + path_end, "#");
    }
    if (clean[query_end] == '#' && strchr(clean + query_end + 1, '#')) {
        clean = apr_pstrcat(p, apr_pstrmemdup(scratch, clean, query_end + 1),
                            redirect307_escape_hash(scratch,
                                                    clean + query_end + 1),
                            NULL);
    }
    len = strlen(clean);
    if (len > APR_UINT32_MAX / 2) {
        return "the target is too long";
    }
    url->text = clean;
    url->origin_len = (apr_uint32_t)origin_len;
    url->path_end = (apr_uint32_t)path_end;
    url->query_end = (apr_uint32_t)query_end;
    return NULL;
}
