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
 * mod_redirect307: answers matching requests with "307 Temporary Redirect"
 * and an absolute Location, so that clients repeat the same method and body
 * at the new place.
 *
 * Rules are tried in configuration order and the first match wins, as in
 * mod_alias.  Prefix rules are found through a per-scope index of path
 * segments built at configuration time, so the cost of a lookup does not
 * grow with the number of rules; regex rules, section rules and maps are
 * tried only when they come before the best prefix rule.
 */

#include "apr_file_io.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_strings.h"
#include "apr_uri.h"

#define APR_WANT_STRFUNC
#define APR_WANT_IOVEC
#include "apr_want.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_expr.h"
#include "ap_regex.h"

#include "mod_redirect307.h"

/* --------------------------------------------------------------------
 * Constants and configuration structures
 */

#define REDIRECT307_UNSET          (-1)
#define REDIRECT307_QUERY_DISCARD  0
#define REDIRECT307_QUERY_MERGE    1
#define REDIRECT307_ENV_RULE       "REDIRECT307_RULE"
/* Duplicate keys of one map file reported one by one, then as a count. */
#define REDIRECT307_MAP_DUP_REPORTS 10

typedef enum {
    REDIRECT307_PREFIX,         /* Redirect307 URL-path URL */
    REDIRECT307_SECTION,        /* Redirect307 URL, in a directory context */
    REDIRECT307_REGEX,          /* Redirect307Match regex URL */
    REDIRECT307_MAP             /* Redirect307Map file-path */
} redirect307_kind;

/* The part of the URL a piece of a target lands in; it decides how request
 * data is percent-encoded there. */
typedef enum {
    REDIRECT307_IN_PATH,
    REDIRECT307_IN_QUERY,
    REDIRECT307_IN_FRAGMENT
} redirect307_part;

/* A target without request data, checked and cleaned at configuration time.
 * text[0, origin_len) is "scheme://authority" (empty: this server),
 * [origin_len, path_end) the path, [path_end, query_end) "?query" or nothing,
 * and [query_end, end) "#fragment" or nothing. */
typedef struct {
    const char *text;
    apr_uint32_t origin_len;
    apr_uint32_t path_end;
    apr_uint32_t query_end;
} redirect307_url;

/* One piece of a target that carries request data: literal text, a regex
 * capture or an expression, each tagged with the part it lands in. */
typedef struct {
    redirect307_part part;
    int capture;                /* 0-9, or -1 */
    ap_expr_info_t *expr;       /* %{...} of a one-argument target */
    const char *text;           /* literal text, already cleaned */
} redirect307_piece;

typedef struct {
    const char *origin;         /* "scheme://authority", NULL: this server */
    apr_array_header_t *pieces; /* redirect307_piece */
    int has_query;
    int has_fragment;
} redirect307_template;

typedef struct {
    redirect307_url url;
    apr_uint32_t line;
} redirect307_map_entry;

typedef struct {
    const char *file;
    const char *file_colon;     /* "file:", the start of an entry's origin */
    apr_hash_t *entries;        /* decoded URL-path -> redirect307_map_entry */
} redirect307_map;

typedef struct {
    redirect307_kind kind;
    int position;               /* configuration order within its scope */
    const char *origin;         /* "file:line" of the directive */
    const char *url_path;       /* PREFIX: the decoded URL-path */
    redirect307_url url;        /* PREFIX */
    ap_regex_t *regex;          /* REGEX */
    const char *pattern;        /* REGEX: the regex as written, for logs */
    const char *literal;        /* REGEX: text every match starts with */
    apr_size_t literal_len;
    redirect307_template *target;       /* REGEX and SECTION */
    redirect307_map *map;       /* MAP */
} redirect307_rule;

/* A node of a prefix index stands for the path made of the segments that
 * lead to it from the root ("/"). */
typedef struct {
    apr_uint32_t id;
    const redirect307_rule *exact;      /* URL-path ends here */
    const redirect307_rule *slash;      /* URL-path ends here with a '/' */
} redirect307_node;

/* The rules written in one place: the main server, a virtual host or one
 * directory section. */
typedef struct {
    const char *name;           /* where the rules are written, for logs */
    int count;                  /* rules so far: the next position */
    apr_uint32_t nodes;         /* index nodes so far: the next id */
    redirect307_node *root;
    apr_hash_t *edges;          /* parent id + segment -> redirect307_node */
    apr_array_header_t *sequential;     /* the other rules, in order */
} redirect307_scope;

/* Scopes in the order they are tried, the innermost first.  Merges link
 * chains; rule lists are never copied. */
typedef struct redirect307_link {
    const redirect307_scope *scope;
    const struct redirect307_link *next;
} redirect307_link;

typedef struct {
    redirect307_scope *own;     /* rules written in this server */
    const redirect307_link *chain;      /* own, then the main server's */
    apr_array_header_t *trusted;        /* apr_ipsubnet_t *, NULL: unset */
} redirect307_server_conf;

typedef struct {
    redirect307_scope *own;     /* rules written in this section */
    const redirect307_link *chain;      /* own, then enclosing sections' */
    int engine;                 /* 1, 0 or REDIRECT307_UNSET */
    int query_mode;             /* MERGE, DISCARD or REDIRECT307_UNSET */
} redirect307_dir_conf;

module AP_MODULE_DECLARE_DATA redirect307_module;

/* --------------------------------------------------------------------
 * Creating and merging configurations
 */

static void *redirect307_create_dir_conf(apr_pool_t *p, char *dir)
{
    redirect307_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = NULL;
    conf->engine = REDIRECT307_UNSET;
    conf->query_mode = REDIRECT307_UNSET;
    return conf;
}

/* The scopes of add, then those of base: add's few links are copied, the
 * scopes themselves and base's links are shared. */
static const redirect307_link *redirect307_join(apr_pool_t *p,
                                                const redirect307_link *add,
                                                const redirect307_link *base)
{
    redirect307_link *head = NULL, **tail = &head;

    if (!add) {
        return base;
    }
    if (!base) {
        return add;
    }
    for (; add; add = add->next) {
        redirect307_link *link = apr_palloc(p, sizeof(*link));

        link->scope = add->scope;
        link->next = NULL;
        *tail = link;
        tail = (redirect307_link **)&link->next;
    }
    *tail = (redirect307_link *)base;
    return head;
}

static void *redirect307_merge_dir_conf(apr_pool_t *p, void *basev,
                                        void *addv)
{
    redirect307_dir_conf *base = basev, *add = addv;
    redirect307_dir_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->own = NULL;           /* a merged configuration gets no rules */
    conf->chain = redirect307_join(p, add->chain, base->chain);
    conf->engine = (add->engine != REDIRECT307_UNSET) ? add->engine
        : base->engine;
    conf->query_mode = (add->query_mode != REDIRECT307_UNSET)
        ? add->query_mode : base->query_mode;
    return conf;
}

static void *redirect307_create_server_conf(apr_pool_t *p, server_rec *s)
{
    redirect307_server_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = NULL;
    conf->trusted = NULL;
    return conf;
}

static void *redirect307_merge_server_conf(apr_pool_t *p, void *basev,
                                           void *addv)
{
    redirect307_server_conf *base = basev, *add = addv;
    redirect307_server_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->own = NULL;
    conf->chain = redirect307_join(p, add->chain, base->chain);
    conf->trusted = add->trusted ? add->trusted : base->trusted;
    return conf;
}

/* --------------------------------------------------------------------
 * URL text shared by configuration and request time
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
static const char *redirect307_clean(apr_pool_t *p, const char *s,
                                     apr_size_t len)
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

/* Is s[0..2] an encoded slash, "%2F" or "%2f"? */
static int redirect307_is_2f(const char *s)
{
    return s[0] == '%' && s[1] == '2' && (s[2] == 'F' || s[2] == 'f');
}

/* Writes every encoded slash of s as "%2F", in place. */
static void redirect307_upper_2f(char *s)
{
    for (s = strchr(s, '%'); s; s = strchr(s + 1, '%')) {
        if (redirect307_is_2f(s)) {
            s[2] = 'F';
        }
    }
}

/* Request data (a capture, a remainder, the value of an expression) for the
 * part of the URL it lands in: path-safe in the path (keeps '/'),
 * component-safe in the query and fragment (encodes '&', '=', '+', '#').
 * With keep_2f (AllowEncodedSlashes NoDecode), httpd left the encoded
 * slashes of the request encoded: each "%2F" stays exactly one escape. */
static const char *redirect307_encode(apr_pool_t *p, const char *data,
                                      redirect307_part part, int keep_2f)
{
    apr_array_header_t *runs;
    const char *s, *next;
    char *out, *c;

    if (!keep_2f || !ap_strstr_c(data, "%2")) {
        out = (part == REDIRECT307_IN_PATH) ? ap_escape_uri(p, data)
            : ap_escape_urlencoded(p, data);
    }
    else {
        runs = apr_array_make(p, 4, sizeof(char *));
        for (s = data; *s; s = next) {
            for (next = s; *next && !redirect307_is_2f(next); next++);
            if (next > s) {
                const char *run = apr_pstrmemdup(p, s, next - s);

                *(char **)apr_array_push(runs) = (part == REDIRECT307_IN_PATH)
                    ? ap_escape_uri(p, run) : ap_escape_urlencoded(p, run);
            }
            if (*next) {
                *(const char **)apr_array_push(runs) = "%2F";
                next += 3;
            }
        }
        out = apr_array_pstrcat(p, runs, 0);
    }
    /* httpd writes escapes in lower case; RFC 3986 prefers upper case, and
     * so does every escape in the rest of the Location */
    for (c = strchr(out, '%'); c; c = strchr(c + 1, '%')) {
        c[1] = apr_toupper(c[1]);
        c[2] = apr_toupper(c[2]);
    }
    return out;
}

/* Can name be the host of a URL: a DNS name, an IPv4 address, or an IPv6
 * address, bracketed or not?  httpd checks Host headers itself, but not
 * under HttpProtocolOptions Unsafe, and it accepts an absolute-form request
 * target with an empty host. */
static int redirect307_is_host(apr_pool_t *p, const char *name)
{
    apr_size_t len = strlen(name);
    apr_ipsubnet_t *ip;
    const char *s;

    if (name[0] == '[') {
        if (len < 3 || name[len - 1] != ']') {
            return 0;
        }
        name = apr_pstrmemdup(p, name + 1, len - 2);
    }
    if (ap_strchr_c(name, ':')) {
        for (s = name; apr_isxdigit(*s) || *s == ':' || *s == '.'; s++);
        return !*s && apr_ipsubnet_create(&ip, name, NULL, p) == APR_SUCCESS;
    }
    for (s = name; apr_isalnum(*s) || *s == '-' || *s == '.' || *s == '_'
         || *s == '~'; s++);
    return s > name && !*s;
}

/* Is the port of a URL (the text after ':') a TCP port, or empty? */
static int redirect307_is_port(const char *port)
{
    const char *s;

    for (s = port; apr_isdigit(*s); s++);
    return !*s && (s == port || (s - port <= 5 && atoi(port) > 0
                                 && atoi(port) <= 65535));
}

/* --------------------------------------------------------------------
 * Reading targets, the prefix index and map files (configuration time)
 */

/* How the text of a target is read. */
typedef enum {
    REDIRECT307_LITERAL,        /* Redirect307 URL-path URL, map entries */
    REDIRECT307_CAPTURES,       /* Redirect307Match: $0-$9 */
    REDIRECT307_EXPRESSIONS     /* one-argument Redirect307: %{...} */
} redirect307_syntax;

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

/* Checks the start of a target.  Sets *origin_len to the length of its
 * "scheme://authority", or to 0 for a path; returns an error otherwise.
 * With expressions, a "%{" right after the host (and port) ends the
 * authority: its value is a path.  With captures or expressions, the
 * authority must be literal text.  Works in the scratch pool p. */
static const char *redirect307_split_origin(apr_pool_t *p, const char *text,
                                            redirect307_syntax syntax,
                                            apr_size_t *origin_len)
{
    const char *s = text, *authority;
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
    if (!redirect307_is_host(p, uri.hostname)) {
        return apr_psprintf(p, "'%s' is not a valid host", uri.hostname);
    }
    if (uri.port_str && !redirect307_is_port(uri.port_str)) {
        return apr_psprintf(p, "'%s' is not a valid port", uri.port_str);
    }
    return NULL;
}

/* A target without request data: a Redirect307 URL-path URL or a map entry.
 * The cleaned text is allocated from p when it differs from text. */
static const char *redirect307_parse_url(apr_pool_t *p, apr_pool_t *scratch,
                                         const char *text,
                                         redirect307_url *url)
{
    apr_size_t origin_len, len, path_end, query_end;
    const char *err, *clean;

    if ((err = redirect307_split_origin(scratch, text, REDIRECT307_LITERAL,
                                        &origin_len))) {
        return err;
    }
    len = strlen(text);
    clean = redirect307_clean(p, text, len);
    len = strlen(clean);
    if (len > APR_UINT32_MAX / 2) {
        return "the target is too long";
    }
    path_end = origin_len + strcspn(clean + origin_len, "?#");
    query_end = path_end;
    if (clean[path_end] == '?') {
        query_end += strcspn(clean + path_end, "#");
    }
    url->text = clean;
    url->origin_len = (apr_uint32_t)origin_len;
    url->path_end = (apr_uint32_t)path_end;
    url->query_end = (apr_uint32_t)query_end;
    return NULL;
}

static void redirect307_add_piece(apr_array_header_t *pieces,
                                  redirect307_part part, int capture,
                                  ap_expr_info_t *expr, const char *text)
{
    redirect307_piece *piece = apr_array_push(pieces);

    piece->part = part;
    piece->capture = capture;
    piece->expr = expr;
    piece->text = text;
}

/* Literal text gathered in buf[0, *len) becomes a piece. */
static void redirect307_flush_literal(apr_pool_t *p,
                                      apr_array_header_t *pieces,
                                      redirect307_part part, char *buf,
                                      apr_size_t *len)
{
    if (*len) {
        buf[*len] = '\0';
        redirect307_add_piece(pieces, part, -1, NULL,
                              apr_pstrdup(p,
                                          redirect307_clean(p, buf, *len)));
        *len = 0;
    }
}

/* A target with request data in it.  With ncaptures >= 0 it is the URL of
 * Redirect307Match ($0-$9, \$); with ncaptures < 0 it is the ap_expr string
 * of a one-argument Redirect307 (%{...}).  The scheme and host must be
 * literal, so that a request can never choose them. */
static const char *redirect307_parse_template(cmd_parms *cmd,
                                              const char *text,
                                              int ncaptures,
                                              redirect307_template **out)
{
    apr_pool_t *p = cmd->pool;
    int expressions = (ncaptures < 0);
    redirect307_template *t = apr_pcalloc(p, sizeof(*t));
    redirect307_part part = REDIRECT307_IN_PATH;
    apr_size_t origin_len = 0, len = 0;
    const char *s, *err;
    char *buf;

    if (expressions && text[0] == '%' && text[1] == '{') {
        origin_len = 0;         /* a path on this server */
    }
    else if (!expressions && text[0] == '$') {
        return "the target must not start with a capture: its scheme and "
            "host must be written literally";
    }
    else if ((err = redirect307_split_origin(cmd->temp_pool, text,
                                             expressions
                                             ? REDIRECT307_EXPRESSIONS
                                             : REDIRECT307_CAPTURES,
                                             &origin_len))) {
        return err;
    }
    if (origin_len) {
        t->origin = apr_pstrmemdup(p, text, origin_len);
    }
    t->pieces = apr_array_make(p, 4, sizeof(redirect307_piece));
    buf = apr_palloc(cmd->temp_pool, strlen(text) + 1);

    for (s = text + origin_len; *s; s++) {
        if (!expressions && s[0] == '\\' && s[1] == '$') {
            buf[len++] = '$';
            s++;
        }
        else if (s[0] == '$' && apr_isdigit(s[1])) {
            int n = s[1] - '0';

            if (expressions) {
                return "'$N' has no meaning in a one-argument Redirect307; "
                    "use Redirect307Match for captures";
            }
            if (n > ncaptures) {
                return apr_psprintf(p, "the target uses $%d, but the regular "
                                    "expression has %d group%s", n,
                                    ncaptures, ncaptures == 1 ? "" : "s");
            }
            redirect307_flush_literal(p, t->pieces, part, buf, &len);
            redirect307_add_piece(t->pieces, part, n, NULL, NULL);
            s++;
        }
        else if (expressions && s[0] == '%' && s[1] == '{') {
            const char *end = s + 2, *perr = NULL;
            ap_expr_info_t *expr;
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
            if (depth) {
                return "unterminated '%{' in the target";
            }
            redirect307_flush_literal(p, t->pieces, part, buf, &len);
            expr = ap_expr_parse_cmd(cmd, apr_pstrmemdup(p, s, end - s),
                                     AP_EXPR_FLAG_STRING_RESULT, &perr, NULL);
            if (perr) {
                return apr_psprintf(p, "cannot parse the target: %s", perr);
            }
            redirect307_add_piece(t->pieces, part, -1, expr, NULL);
            s = end - 1;
        }
        else if (expressions && s[0] == '\\' && s[1]) {
            buf[len++] = *++s;
        }
        else if (*s == '?' && part == REDIRECT307_IN_PATH) {
            redirect307_flush_literal(p, t->pieces, part, buf, &len);
            part = REDIRECT307_IN_QUERY;
            t->has_query = 1;
        }
        else if (*s == '#' && part != REDIRECT307_IN_FRAGMENT) {
            redirect307_flush_literal(p, t->pieces, part, buf, &len);
            part = REDIRECT307_IN_FRAGMENT;
            t->has_fragment = 1;
        }
        else {
            buf[len++] = *s;
        }
    }
    redirect307_flush_literal(p, t->pieces, part, buf, &len);
    *out = t;
    return NULL;
}

/* Might the regex have a '|' outside every group, which makes its start
 * optional?  Also true when a character class holds '[', '(' or ')': the
 * group depth is then not worth working out.  A ']' right after '[' or
 * "[^" is a member of the class, as in PCRE. */
static int redirect307_regex_has_top_alternation(const char *regex)
{
    const char *s;
    int depth = 0;

    for (s = regex; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
        }
        else if (*s == '[') {
            s += (s[1] == '^') ? 2 : 1;
            for (s += (*s == ']'); *s && *s != ']'; s++) {
                if (*s == '[' || *s == '(' || *s == ')') {
                    return 1;
                }
                if (*s == '\\' && s[1]) {
                    s++;
                }
            }
            if (!*s) {
                return 1;
            }
        }
        else if (*s == '(') {
            depth++;
        }
        else if (*s == ')') {
            depth--;
        }
        else if (*s == '|' && depth <= 0) {
            return 1;
        }
    }
    return 0;
}

/* The literal text a regex anchored with '^' requires at the start of the
 * subject ("^/old/(.*)" requires "/old/"), so that a cheap, case-sensitive
 * comparison can rule most regexes out before they run.  It must never
 * rule out a path the regex matches, so it gives up (returns 0) rather
 * than imitate the regex engine:
 *  - when httpd's default flags (RegexDefaultOptions, read now, as
 *    ap_pregcomp() has just done) hold anything but DOTALL and
 *    DOLLAR_ENDONLY: ICASE folds case, which the comparison would have to
 *    copy exactly; a regex that gives up is still run, only never skipped;
 *  - when the pattern holds "(?" or "(*" anywhere (inline options such as
 *    (?i) or (?x), comments, verbs), "\Q", "\E" or "\c" (they change how
 *    the characters after them read), or a '|' anywhere (an alternation
 *    may make the start optional; nested ones are not told apart).
 * Otherwise only plain characters and escaped punctuation count; the text
 * ends at anything else (a group, a class, ".", "\d", "\b"...), and a
 * character followed by a quantifier is left out. */
static apr_size_t redirect307_regex_literal(apr_pool_t *p, const char *regex,
                                            const char **literal)
{
    static const char *const unknown[] = {
        "(?", "(*", "\\Q", "\\E", "\\c", NULL
    };
    const char *const *u;
    const char *s;
    char *buf;
    apr_size_t len = 0;

    *literal = NULL;
    if (regex[0] != '^' || (ap_regcomp_get_default_cflags()
                            & ~(AP_REG_DOTALL | AP_REG_DOLLAR_ENDONLY))) {
        return 0;
    }
    for (u = unknown; *u; u++) {
        if (strstr(regex, *u)) {
            return 0;
        }
    }
    if (redirect307_regex_has_top_alternation(regex)) {
        return 0;
    }
    buf = apr_palloc(p, strlen(regex));
    for (s = regex + 1; *s; s++) {
        char c = *s;

        if (c == '\\') {
            if (!s[1] || apr_isalnum(s[1])) {
                break;          /* \d, \b, \1, \x41...: not plain text */
            }
            c = *++s;
        }
        else if (strchr(".^$|?*+()[]{}", c)) {
            break;
        }
        /* a quantifier after this character makes it optional */
        if (s[1] && strchr("?*{", s[1])) {
            break;
        }
        buf[len++] = c;
    }
    buf[len] = '\0';
    *literal = buf;
    return len;
}

static redirect307_scope *redirect307_scope_make(apr_pool_t *p,
                                                 const char *name)
{
    redirect307_scope *scope = apr_pcalloc(p, sizeof(*scope));

    scope->name = name;

    scope->root = apr_pcalloc(p, sizeof(*scope->root));
    scope->root->id = scope->nodes++;
    scope->edges = apr_hash_make(p);
    scope->sequential = apr_array_make(p, 2, sizeof(redirect307_rule *));
    return scope;
}

/* The edge from node id through the next segment of a path, for both
 * building and searching the index, so that both split paths alike: runs of
 * '/' count as one.  Writes the edge's key into key, moves *path to the end
 * of the segment and returns the key's length, or 0 at the end of the path. */
static apr_size_t redirect307_next_edge(char *key, apr_uint32_t id,
                                        const char **path)
{
    const char *segment = *path, *end;

    while (*segment == '/') {
        segment++;
    }
    if (!*segment) {
        return 0;
    }
    for (end = segment; *end && *end != '/'; end++);
    memcpy(key, &id, sizeof(id));
    memcpy(key + sizeof(id), segment, end - segment);
    *path = end;
    return sizeof(id) + (end - segment);
}

/* Puts a prefix rule into the index.  Returns the earlier rule with the same
 * URL-path, which hides the new one, or NULL. */
static const redirect307_rule *redirect307_index_add(apr_pool_t *p,
                                                     redirect307_scope *scope,
                                                     redirect307_rule *rule)
{
    const char *path = rule->url_path;
    apr_size_t path_len = strlen(rule->url_path), klen;
    redirect307_node *node = scope->root;
    const redirect307_rule **slot;
    char *key = apr_palloc(p, sizeof(apr_uint32_t) + path_len);

    while ((klen = redirect307_next_edge(key, node->id, &path))) {
        redirect307_node *child = apr_hash_get(scope->edges, key, klen);

        if (!child) {
            child = apr_pcalloc(p, sizeof(*child));
            child->id = scope->nodes++;
            apr_hash_set(scope->edges, apr_pmemdup(p, key, klen), klen,
                         child);
        }
        node = child;
    }
    if (rule->url_path[path_len - 1] == '/') {
        slot = &node->slash;
    }
    else {
        slot = &node->exact;
    }
    if (*slot) {
        return *slot;
    }
    *slot = rule;
    return NULL;
}

static const char *redirect307_origin_of(cmd_parms *cmd)
{
    if (!cmd->directive || !cmd->directive->filename) {
        return "(unknown file)";        /* added by a module, not a file */
    }
    return apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                        cmd->directive->line_num);
}

static redirect307_rule *redirect307_rule_make(cmd_parms *cmd,
                                               redirect307_kind kind)
{
    redirect307_rule *rule = apr_pcalloc(cmd->pool, sizeof(*rule));

    rule->kind = kind;
    rule->origin = redirect307_origin_of(cmd);
    return rule;
}

/* A name for the place a directive is written in: "main server", "virtual
 * host www.example.com:443 (file:line)", "<Location /x> (file:line)" or
 * ".htaccess in /dir". */
static const char *redirect307_scope_name(cmd_parms *cmd)
{
    const ap_directive_t *section = cmd->directive ? cmd->directive->parent
        : NULL;

    if (cmd->path == NULL) {
        if (!cmd->server->is_virtual) {
            return "main server";
        }
        return apr_psprintf(cmd->pool, "virtual host %s:%u (%s:%d)",
                            cmd->server->server_hostname,
                            (unsigned)cmd->server->port,
                            cmd->server->defn_name,
                            cmd->server->defn_line_number);
    }
    /* <IfModule>, <IfDefine>, <IfVersion>... only wrap the section */
    while (section && !strncasecmp(section->directive, "<If", 3)
           && section->directive[3]) {
        section = section->parent;
    }
    if (!section) {
        return apr_psprintf(cmd->pool, ".htaccess in %s", cmd->path);
    }
    return apr_psprintf(cmd->pool, "%s %s (%s:%d)", section->directive,
                        section->args, section->filename, section->line_num);
}

/* The scope the rules of the directive being read go to: the server's (or
 * virtual host's) outside sections, the section's inside one. */
static redirect307_scope *redirect307_scope_of(cmd_parms *cmd, void *mconfig)
{
    redirect307_scope **own;
    const redirect307_link **chain;

    if (cmd->path == NULL) {
        redirect307_server_conf *sconf =
            ap_get_module_config(cmd->server->module_config,
                                 &redirect307_module);
        own = &sconf->own;
        chain = &sconf->chain;
    }
    else {
        redirect307_dir_conf *dconf = mconfig;
        own = &dconf->own;
        chain = &dconf->chain;
    }
    if (!*own) {
        redirect307_link *link = apr_palloc(cmd->pool, sizeof(*link));

        *own = redirect307_scope_make(cmd->pool, redirect307_scope_name(cmd));
        link->scope = *own;
        link->next = NULL;
        *chain = link;
    }
    return *own;
}

static void redirect307_scope_add(cmd_parms *cmd, redirect307_scope *scope,
                                  redirect307_rule *rule)
{
    rule->position = scope->count++;
    if (rule->kind == REDIRECT307_PREFIX) {
        const redirect307_rule *earlier =
            redirect307_index_add(cmd->pool, scope, rule);

        /* .htaccess files are read for every request: stay quiet there */
        if (earlier && !ap_check_cmd_context(cmd, NOT_IN_HTACCESS)) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                         "%s at %s never matches: %s has the same URL-path "
                         "'%s'", cmd->cmd->name, rule->origin,
                         earlier->origin, rule->url_path);
        }
    }
    else {
        *(redirect307_rule **)apr_array_push(scope->sequential) = rule;
    }
}

/* Splits the line s (without its '\n') of a map file into its key and
 * target.  As in RewriteMap txt: files, fields are separated by white space
 * (a '\r' before the line end is white space too), and a line or the text
 * after the target starts a comment with '#'.  RewriteMap ignores any text
 * after the value; a third field here is refused, as it is more likely a
 * mistake than a note.  Sets *key to NULL for a blank or comment line;
 * returns 0 when the line does not hold exactly two fields. */
static int redirect307_map_fields(char *s, char **key, char **target)
{
    *key = *target = NULL;
    while (apr_isspace(*s)) {
        s++;
    }
    if (!*s || *s == '#') {
        return 1;
    }
    *key = s;
    while (*s && !apr_isspace(*s)) {
        s++;
    }
    if (*s) {
        *s++ = '\0';
    }
    while (apr_isspace(*s)) {
        s++;
    }
    *target = s;
    while (*s && !apr_isspace(*s)) {
        s++;
    }
    if (*s) {
        *s++ = '\0';
    }
    while (apr_isspace(*s)) {
        s++;
    }
    return **target && **target != '#' && (!*s || *s == '#');
}

/* Reads the whole of a map file into *text (NUL-terminated, from cmd->pool)
 * and *size, skipping a UTF-8 byte-order mark at its start. */
static const char *redirect307_read_map(cmd_parms *cmd, const char *file,
                                        char **text, apr_size_t *size)
{
    apr_pool_t *p = cmd->pool;
    const char *name = cmd->cmd->name;
    apr_file_t *fd;
    apr_finfo_t finfo;
    apr_size_t nread;
    apr_status_t rv;
    char *buf;

    rv = apr_file_open(&fd, file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, cmd->temp_pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&finfo, APR_FINFO_SIZE | APR_FINFO_TYPE, fd);
    }
    if (rv == APR_SUCCESS && finfo.filetype != APR_REG) {
        apr_file_close(fd);
        return apr_psprintf(p, "%s: %s is not a regular file", name, file);
    }
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "%s: cannot read %s: %pm", name, file, &rv);
    }
    *size = (apr_size_t)finfo.size;
    buf = apr_palloc(p, *size + 1);
    rv = apr_file_read_full(fd, buf, *size, &nread);
    apr_file_close(fd);
    if (rv != APR_SUCCESS && !(rv == APR_EOF && nread == 0 && *size == 0)) {
        return apr_psprintf(p, "%s: cannot read %s: %pm", name, file, &rv);
    }
    buf[*size] = '\0';
    if (memchr(buf, '\0', *size)) {
        return apr_psprintf(p, "%s: %s is not a text file", name, file);
    }
    /* as editors on Windows write UTF-8 */
    if (*size >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        buf += 3;
        *size -= 3;
    }
    *text = buf;
    return NULL;
}

/* Reads a map file: "URL-path URL" a line, '#' comments, blank lines, an
 * optional byte-order mark.  The whole file is read into one buffer that
 * keys and targets point into. */
static const char *redirect307_load_map(cmd_parms *cmd, const char *file,
                                        redirect307_map **out)
{
    apr_pool_t *p = cmd->pool;
    const char *name = cmd->cmd->name;
    redirect307_map *map = apr_pcalloc(p, sizeof(*map));
    apr_size_t size = 0;
    apr_uint32_t line = 0, duplicates = 0;
    apr_pool_t *scratch;
    const char *err;
    char *buf = NULL, *next, *end;

    map->file = file;
    map->file_colon = apr_pstrcat(p, file, ":", NULL);
    if ((err = redirect307_read_map(cmd, file, &buf, &size))) {
        return err;
    }
    map->entries = apr_hash_make(p);
    apr_pool_create(&scratch, cmd->temp_pool);

    for (next = buf, end = buf + size; next < end;) {
        char *s = next, *key, *target, *eol;
        redirect307_map_entry *entry, *first;

        if ((++line & 0xfff) == 0) {
            apr_pool_clear(scratch);    /* what checking the targets used */
        }
        eol = memchr(s, '\n', end - s);
        if (!eol) {
            eol = end;
        }
        next = eol + 1;
        *eol = '\0';
        if (!redirect307_map_fields(s, &key, &target)) {
            return apr_psprintf(p, "%s: %s:%u: expected two fields, "
                                "'URL-path URL'", name, file, line);
        }
        if (!key) {
            continue;
        }
        if (key[0] != '/') {
            return apr_psprintf(p, "%s: %s:%u: URL-path '%s' must start "
                                "with '/'", name, file, line, key);
        }
        if (strchr(key, '%')) {
            const char *written = apr_pstrdup(scratch, key);

            if (ap_unescape_url_keep2f(key, 0) != OK) {
                return apr_psprintf(p, "%s: %s:%u: URL-path '%s' has a bad "
                                    "percent-encoding", name, file, line,
                                    written);
            }
            redirect307_upper_2f(key);
        }
        entry = apr_palloc(p, sizeof(*entry));
        entry->line = line;
        if ((err = redirect307_parse_url(p, scratch, target, &entry->url))) {
            return apr_psprintf(p, "%s: %s:%u: '%s': %s", name, file, line,
                                target, err);
        }
        first = apr_hash_get(map->entries, key, APR_HASH_KEY_STRING);
        if (first) {
            if (++duplicates <= REDIRECT307_MAP_DUP_REPORTS) {
                ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                             "%s: %s:%u: '%s' is already mapped at line %u; "
                             "the first entry wins", name, file, line, key,
                             first->line);
            }
            continue;
        }
        apr_hash_set(map->entries, key, APR_HASH_KEY_STRING, entry);
    }
    if (duplicates > REDIRECT307_MAP_DUP_REPORTS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     "%s: %s: %u duplicate URL-paths in all; the first entry "
                     "of each wins", name, file, duplicates);
    }
    *out = map;
    return NULL;
}

/* --------------------------------------------------------------------
 * Directive handlers
 */

static const char *redirect307_cmd_redirect(cmd_parms *cmd, void *mconfig,
                                            const char *arg1,
                                            const char *arg2)
{
    redirect307_rule *rule = redirect307_rule_make(cmd, arg2
                                                   ? REDIRECT307_PREFIX
                                                   : REDIRECT307_SECTION);
    const char *err;

    if (arg2 == NULL) {
        if (cmd->path == NULL) {
            return apr_psprintf(cmd->pool, "%s: missing URL: write '%s "
                                "URL-path URL' (the one-argument form '%s "
                                "URL' belongs in <Location>, <Directory>, "
                                "<Files>, <If> and .htaccess)",
                                cmd->cmd->name, cmd->cmd->name,
                                cmd->cmd->name);
        }
        err = redirect307_parse_template(cmd, arg1, -1, &rule->target);
        if (err) {
            return apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                                arg1, err);
        }
    }
    else {
        char *url_path = apr_pstrdup(cmd->pool, arg1);

        if (url_path[0] != '/') {
            return apr_psprintf(cmd->pool, "%s: URL-path '%s' must start "
                                "with '/'", cmd->cmd->name, arg1);
        }
        if (ap_unescape_url_keep2f(url_path, 0) != OK) {
            return apr_psprintf(cmd->pool, "%s: URL-path '%s' has a bad "
                                "percent-encoding", cmd->cmd->name, arg1);
        }
        redirect307_upper_2f(url_path);
        rule->url_path = url_path;
        if ((err = redirect307_parse_url(cmd->pool, cmd->temp_pool, arg2,
                                         &rule->url))) {
            return apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                                arg2, err);
        }
    }
    redirect307_scope_add(cmd, redirect307_scope_of(cmd, mconfig), rule);
    return NULL;
}

static const char *redirect307_cmd_match(cmd_parms *cmd, void *mconfig,
                                         const char *regex,
                                         const char *target)
{
    redirect307_rule *rule = redirect307_rule_make(cmd, REDIRECT307_REGEX);
    const char *err;

    rule->pattern = regex;
    rule->regex = ap_pregcomp(cmd->pool, regex, 0);
    if (!rule->regex) {
        ap_regex_t probe;
        char why[256];
        int rc = ap_regcomp(&probe, regex, 0);

        ap_regerror(rc, &probe, why, sizeof(why));
        return apr_psprintf(cmd->pool, "%s: the regular expression '%s' "
                            "does not compile: %s", cmd->cmd->name, regex,
                            why);
    }
    rule->literal_len = redirect307_regex_literal(cmd->pool, regex,
                                                  &rule->literal);
    err = redirect307_parse_template(cmd, target, (int)rule->regex->re_nsub,
                                     &rule->target);
    if (err) {
        return apr_psprintf(cmd->pool, "%s: '%s': %s", cmd->cmd->name,
                            target, err);
    }
    redirect307_scope_add(cmd, redirect307_scope_of(cmd, mconfig), rule);
    return NULL;
}

static const char *redirect307_cmd_map(cmd_parms *cmd, void *mconfig,
                                       const char *file)
{
    redirect307_rule *rule;
    const char *path, *err;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT))) {
        return err;
    }
    path = ap_server_root_relative(cmd->pool, file);
    if (!path) {
        return apr_psprintf(cmd->pool, "%s: invalid file path '%s'",
                            cmd->cmd->name, file);
    }
    rule = redirect307_rule_make(cmd, REDIRECT307_MAP);
    if ((err = redirect307_load_map(cmd, path, &rule->map))) {
        return err;
    }
    redirect307_scope_add(cmd, redirect307_scope_of(cmd, mconfig), rule);
    return NULL;
}

static const char *redirect307_cmd_query_string(cmd_parms *cmd,
                                                void *mconfig,
                                                const char *mode)
{
    redirect307_dir_conf *dconf = mconfig;

    if (!strcasecmp(mode, "Merge")) {
        dconf->query_mode = REDIRECT307_QUERY_MERGE;
    }
    else if (!strcasecmp(mode, "Discard")) {
        dconf->query_mode = REDIRECT307_QUERY_DISCARD;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use Merge "
                            "or Discard", cmd->cmd->name, mode);
    }
    return NULL;
}

/* TAKE1 rather than FLAG: httpd's FLAG ignores extra words silently. */
static const char *redirect307_cmd_engine(cmd_parms *cmd, void *mconfig,
                                          const char *flag)
{
    redirect307_dir_conf *dconf = mconfig;

    if (!strcasecmp(flag, "On")) {
        dconf->engine = 1;
    }
    else if (!strcasecmp(flag, "Off")) {
        dconf->engine = 0;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: unknown keyword '%s': use On or "
                            "Off", cmd->cmd->name, flag);
    }
    return NULL;
}

static const char *redirect307_cmd_trusted_proxy(cmd_parms *cmd,
                                                 void *mconfig,
                                                 const char *arg)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(cmd->server->module_config, &redirect307_module);
    char *ip = apr_pstrdup(cmd->temp_pool, arg);
    char *mask = strchr(ip, '/');
    apr_ipsubnet_t **subnet;
    apr_status_t rv;
    const char *err;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT))) {
        return err;
    }
    if (mask) {
        *mask++ = '\0';
    }
    if (!sconf->trusted) {
        sconf->trusted = apr_array_make(cmd->pool, 2, sizeof(*subnet));
    }
    subnet = apr_array_push(sconf->trusted);
    rv = apr_ipsubnet_create(subnet, ip, mask, cmd->pool);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not an IP address or "
                            "CIDR range: %pm", cmd->cmd->name, arg, &rv);
    }
    return NULL;
}

/* --------------------------------------------------------------------
 * Request time: finding the rule
 */

typedef struct {
    const char *path;           /* the URL-path the rules are matched with */
    const redirect307_rule *rule;
    const char *remainder;      /* PREFIX: the path after the URL-path */
    const redirect307_map_entry *entry; /* MAP */
    ap_regmatch_t match[AP_MAX_REG_MATCH];      /* REGEX */
} redirect307_hit;

/* The first prefix rule, in configuration order, whose URL-path covers the
 * request: walks the request path's segments down the index.  Sets
 * hit->rule and hit->remainder; returns whether there is one. */
static int redirect307_index_find(request_rec *r,
                                  const redirect307_scope *scope,
                                  redirect307_hit *hit)
{
    const char *path = hit->path;
    const redirect307_node *node = scope->root;
    const redirect307_rule *best = NULL;
    apr_size_t klen;
    char *key = NULL;

    if (node->slash) {
        best = node->slash;
        hit->remainder = hit->path + 1;
    }
    if (scope->nodes == 1) {
        hit->rule = best;
        return best != NULL;
    }
    key = apr_palloc(r->pool, sizeof(apr_uint32_t) + strlen(hit->path));
    /* path is left just after the segment each node stands for */
    while ((klen = redirect307_next_edge(key, node->id, &path))
           && (node = apr_hash_get(scope->edges, key, klen))) {
        if (node->exact && (!best || node->exact->position < best->position)) {
            best = node->exact;
            hit->remainder = path;
        }
        if (*path == '/' && node->slash
            && (!best || node->slash->position < best->position)) {
            best = node->slash;
            hit->remainder = path + 1;
        }
    }
    hit->rule = best;
    return best != NULL;
}

/* Does a rule other than a prefix rule match?  Says why not at trace4. */
static int redirect307_rule_matches(request_rec *r,
                                    const redirect307_rule *rule,
                                    redirect307_hit *hit)
{
    const char *why;

    switch (rule->kind) {
    case REDIRECT307_SECTION:
        return 1;
    case REDIRECT307_REGEX:
        if (rule->literal_len
            && strncmp(hit->path, rule->literal, rule->literal_len)) {
            why = "the path does not start with the regex's literal text";
        }
        else if (ap_regexec(rule->regex, hit->path, AP_MAX_REG_MATCH,
                            hit->match, 0)) {
            why = "the regex does not match";
        }
        else {
            return 1;
        }
        if (APLOGrtrace4(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE4, 0, r,
                          "Redirect307Match %s at %s: %s", rule->pattern,
                          rule->origin, why);
        }
        return 0;
    case REDIRECT307_MAP:
        hit->entry = apr_hash_get(rule->map->entries, hit->path,
                                  APR_HASH_KEY_STRING);
        if (!hit->entry && APLOGrtrace4(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE4, 0, r,
                          "Redirect307Map %s at %s: no entry for the path",
                          rule->map->file, rule->origin);
        }
        return hit->entry != NULL;
    default:
        return 0;
    }
}

/* The first rule of one scope that matches the request. */
static int redirect307_scope_find(request_rec *r,
                                  const redirect307_scope *scope,
                                  redirect307_hit *hit)
{
    const redirect307_rule *best;
    int i;

    redirect307_index_find(r, scope, hit);
    best = hit->rule;
    if (APLOGrtrace3(r)) {
        if (best) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r,
                          "%s: first prefix rule for the path is %s "
                          "(URL-path %s, rule %d of %d)", scope->name,
                          best->origin, best->url_path, best->position + 1,
                          scope->count);
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r,
                          "%s: no prefix rule covers the path; %d other "
                          "rule%s to try", scope->name,
                          scope->sequential->nelts,
                          scope->sequential->nelts == 1 ? "" : "s");
        }
    }
    for (i = 0; i < scope->sequential->nelts; i++) {
        const redirect307_rule *rule =
            APR_ARRAY_IDX(scope->sequential, i, const redirect307_rule *);

        if (best && rule->position > best->position) {
            break;
        }
        if (redirect307_rule_matches(r, rule, hit)) {
            hit->rule = rule;
            hit->remainder = NULL;
            if (APLOGrtrace2(r)) {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                              "%s: rule %s matches%s", scope->name,
                              rule->origin, best ? ", before the prefix rule"
                              : "");
            }
            return 1;
        }
    }
    if (best) {
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "%s: prefix rule %s matches", scope->name,
                          best->origin);
        }
        return 1;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "%s: no rule matches",
                      scope->name);
    }
    return 0;
}

/* --------------------------------------------------------------------
 * Request time: building the Location
 */

/* What a request needs while its Location is built. */
typedef struct {
    request_rec *r;
    int query_mode;
    int keep_2f;                /* AllowEncodedSlashes NoDecode: a "%2F" in
                                 * request data is an escape, kept as one */
    const char *proto;          /* the scheme a trusted proxy forwards */
    int proto_checked;
} redirect307_ctx;

/* The parts of a target once its request data is in. */
typedef struct {
    const char *origin;         /* NULL: this server */
    apr_size_t origin_len;
    const char *path;
    apr_size_t path_len;
    const char *query;          /* NULL: no '?' */
    apr_size_t query_len;
    const char *fragment;       /* NULL: no '#' */
    apr_size_t fragment_len;
} redirect307_parts;

static int redirect307_peer_trusted(request_rec *r)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);
    int i;

    if (!sconf->trusted || !r->connection->client_addr) {
        return 0;
    }
    for (i = 0; i < sconf->trusted->nelts; i++) {
        if (apr_ipsubnet_test(APR_ARRAY_IDX(sconf->trusted, i,
                                            apr_ipsubnet_t *),
                              r->connection->client_addr)) {
            return 1;
        }
    }
    return 0;
}

/* "http" or "https" for a forwarded value, NULL for anything else. */
static const char *redirect307_proto_value(const char *value, apr_size_t len)
{
    while (len && apr_isspace(*value)) {
        value++;
        len--;
    }
    while (len && apr_isspace(value[len - 1])) {
        len--;
    }
    if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
        value++;
        len -= 2;
    }
    if (len == 4 && !strncasecmp(value, "http", 4)) {
        return "http";
    }
    if (len == 5 && !strncasecmp(value, "https", 5)) {
        return "https";
    }
    return NULL;
}

/* The end of a list item of a Forwarded header (RFC 7239): the first of
 * the bytes in stops outside a quoted-string, or the end of the text. */
static const char *redirect307_forwarded_end(const char *s, const char *stops)
{
    int quoted = 0;

    for (; *s; s++) {
        if (quoted && *s == '\\' && s[1]) {
            s++;
        }
        else if (*s == '"') {
            quoted = !quoted;
        }
        else if (!quoted && strchr(stops, *s)) {
            break;
        }
    }
    return s;
}

/* The proto= of the last element of a Forwarded header (the one the proxy
 * next to us added), or NULL.  Elements are separated by ',' and pairs by
 * ';', outside quoted-strings. */
static const char *redirect307_forwarded_value(const char *header)
{
    const char *element = header, *end, *pair;

    while (*(end = redirect307_forwarded_end(element, ","))) {
        element = end + 1;
    }
    for (pair = element; pair < end; pair++) {
        const char *stop = redirect307_forwarded_end(pair, ";,");

        while (apr_isspace(*pair)) {
            pair++;
        }
        if (!strncasecmp(pair, "proto=", 6)) {
            return redirect307_proto_value(pair + 6, stop - (pair + 6));
        }
        pair = stop;
    }
    return NULL;
}

/* The scheme the client used, as a trusted proxy reports it: the proto= of
 * the last element of Forwarded (the one the proxy added), or else the last
 * value of X-Forwarded-Proto.  NULL when the peer is not trusted or says
 * nothing usable. */
static const char *redirect307_forwarded_proto(redirect307_ctx *ctx)
{
    request_rec *r = ctx->r;
    const char *header, *element, *proto = NULL;

    if (ctx->proto_checked) {
        return ctx->proto;
    }
    ctx->proto_checked = 1;
    if (!redirect307_peer_trusted(r)) {
        return NULL;
    }
    if ((header = apr_table_get(r->headers_in, "Forwarded"))) {
        proto = redirect307_forwarded_value(header);
    }
    if (!proto && (header = apr_table_get(r->headers_in,
                                          "X-Forwarded-Proto"))) {
        element = strrchr(header, ',');
        element = element ? element + 1 : header;
        proto = redirect307_proto_value(element, strlen(element));
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trusted proxy %s forwards scheme %s",
                      r->connection->client_ip, proto ? proto : "(none)");
    }
    ctx->proto = proto;
    return proto;
}

/* The request the client sent: sub-requests and internal redirects do not
 * keep the port of its Host header. */
static request_rec *redirect307_initial(request_rec *r)
{
    for (;;) {
        if (r->main) {
            r = r->main;
        }
        else if (r->prev) {
            r = r->prev;
        }
        else {
            return r;
        }
    }
}

/* Does UseCanonicalName (On or DNS) name this server whatever the Host
 * header says? */
static int redirect307_canonical_name(request_rec *r)
{
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);

    return core->use_canonical_name == USE_CANONICAL_NAME_ON
        || core->use_canonical_name == USE_CANONICAL_NAME_DNS;
}

/* "scheme://host[:port]" of this server as the client sees it: what
 * ap_construct_url() gives, with the scheme a trusted proxy reports, and
 * the server's own name when the name httpd would use is not a host. */
static const char *redirect307_self_origin(redirect307_ctx *ctx)
{
    request_rec *r = ctx->r, *top = redirect307_initial(r);
    const char *proto = redirect307_forwarded_proto(ctx);
    const char *host = ap_get_server_name_for_url(top);
    apr_port_t port, default_port;

    if (proto && redirect307_canonical_name(top)) {
        /* UseCanonicalName On or DNS: the server's own port, as without a
         * proxy; the Host header decides neither name nor port */
        port = ap_get_server_port(top);
        default_port = apr_uri_port_of_scheme(proto);
    }
    else if (proto) {
        /* behind a proxy the public port is the one the proxy puts in Host */
        port = top->parsed_uri.port_str ? top->parsed_uri.port : 0;
        default_port = apr_uri_port_of_scheme(proto);
    }
    else {
        proto = ap_http_scheme(r);
        port = ap_get_server_port(top);
        default_port = ap_default_port(r);
    }
    if (!redirect307_is_host(r->pool, host)) {
        /* the Host header is not a host: the server's own name and port */
        host = r->server->server_hostname;
        if (ap_strchr_c(host, ':')) {
            host = apr_pstrcat(r->pool, "[", host, "]", NULL);
        }
        port = r->server->port;
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "the request names no usable host; using %s", host);
        }
    }
    if (!port || port == default_port) {
        return apr_pstrcat(r->pool, proto, "://", host, NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", proto, host, (unsigned)port);
}

/* Fills in the captures or expression values of a template. */
static int redirect307_expand(redirect307_ctx *ctx,
                              const redirect307_template *t,
                              const redirect307_hit *hit,
                              redirect307_parts *parts)
{
    request_rec *r = ctx->r;
    apr_array_header_t *text[3];
    int i;

    for (i = 0; i < 3; i++) {
        text[i] = apr_array_make(r->pool, t->pieces->nelts,
                                 sizeof(const char *));
    }
    for (i = 0; i < t->pieces->nelts; i++) {
        const redirect307_piece *piece =
            &APR_ARRAY_IDX(t->pieces, i, redirect307_piece);
        const char *value = piece->text;

        if (piece->capture >= 0) {
            const ap_regmatch_t *m = &hit->match[piece->capture];

            value = (m->rm_so < 0) ? ""
                : redirect307_encode(r->pool,
                                     apr_pstrmemdup(r->pool,
                                                    hit->path + m->rm_so,
                                                    m->rm_eo - m->rm_so),
                                     piece->part, ctx->keep_2f);
        }
        else if (piece->expr) {
            const char *err = NULL;

            value = ap_expr_str_exec(r, piece->expr, &err);
            if (err) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                              "Redirect307 at %s: cannot evaluate the "
                              "target: %s", hit->rule->origin, err);
                return 0;
            }
            if (APLOGrtrace5(r)) {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE5, 0, r,
                              "rule %s: expression value '%s'",
                              hit->rule->origin, value);
            }
            value = redirect307_encode(r->pool, value, piece->part,
                                       ctx->keep_2f);
        }
        *(const char **)apr_array_push(text[piece->part]) = value;
    }
    parts->origin = t->origin;
    parts->origin_len = t->origin ? strlen(t->origin) : 0;
    parts->path = apr_array_pstrcat(r->pool, text[REDIRECT307_IN_PATH], 0);
    if (parts->path[0] != '/' && (parts->path[0] || !t->origin)) {
        /* an expression value right after the host, or at the start of a
         * target, is a path: it can never extend the host */
        parts->path = apr_pstrcat(r->pool, "/", parts->path, NULL);
    }
    parts->path_len = strlen(parts->path);
    parts->query = t->has_query
        ? apr_array_pstrcat(r->pool, text[REDIRECT307_IN_QUERY], 0) : NULL;
    parts->query_len = parts->query ? strlen(parts->query) : 0;
    parts->fragment = t->has_fragment
        ? apr_array_pstrcat(r->pool, text[REDIRECT307_IN_FRAGMENT], 0) : NULL;
    parts->fragment_len = parts->fragment ? strlen(parts->fragment) : 0;
    return 1;
}

static void redirect307_url_parts(const redirect307_url *url,
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

/* Joins origin, path, remainder, query and fragment into the Location. */
static const char *redirect307_assemble(redirect307_ctx *ctx,
                                        const redirect307_parts *parts,
                                        const char *remainder)
{
    request_rec *r = ctx->r;
    struct iovec vec[10];
    int n = 0;
    const char *args = NULL;

#define REDIRECT307_ADD(s, l) \
    (vec[n].iov_base = (void *)(s), vec[n].iov_len = (l), n++)

    if (parts->origin) {
        REDIRECT307_ADD(parts->origin, parts->origin_len);
    }
    else {
        const char *self = redirect307_self_origin(ctx);

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
            const char *escaped = redirect307_encode(r->pool, remainder,
                                                     REDIRECT307_IN_PATH,
                                                     ctx->keep_2f);

            REDIRECT307_ADD(escaped, strlen(escaped));
        }
    }
    if (ctx->query_mode == REDIRECT307_QUERY_MERGE && r->args && *r->args) {
        args = redirect307_clean(r->pool, r->args, strlen(r->args));
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
    return apr_pstrcatv(r->pool, vec, n, NULL);
}

/* Is host the host of an absolute target's "scheme://[user@]host[:port]"? */
static int redirect307_origin_has_host(const redirect307_parts *parts,
                                       const char *host)
{
    const char *s = parts->origin, *end = s + parts->origin_len, *at;
    apr_size_t len = strlen(host);

    s = (const char *)memchr(s, ':', end - s) + 3;      /* after "://" */
    if ((at = memchr(s, '@', end - s))) {
        s = at + 1;
    }
    if (*s == '[') {            /* an IPv6 literal; host comes unbracketed */
        s++;
        end = memchr(s, ']', end - s);
        return end && (apr_size_t)(end - s) == len
            && !strncasecmp(s, host, len);
    }
    return (apr_size_t)(end - s) >= len && !strncasecmp(s, host, len)
        && (s + len == end || s[len] == ':');
}

/* A URL-path as httpd compares paths: dot segments resolved, escapes of
 * unreserved characters and then all escapes decoded except encoded
 * slashes, which are written "%2F".  NULL when it cannot be decoded. */
static const char *redirect307_canonical_path(apr_pool_t *p, const char *raw)
{
    char *path = apr_pstrdup(p, (raw && *raw) ? raw : "/");

    if (!ap_normalize_path(path, AP_NORMALIZE_NOT_ABOVE_ROOT
                           | AP_NORMALIZE_DECODE_UNRESERVED)
        || ap_unescape_url_keep2f(path, 0) != OK) {
        return NULL;
    }
    redirect307_upper_2f(path);
    return path;
}

/* The port the client sent the request to, as the Location would name it. */
static apr_port_t redirect307_client_port(redirect307_ctx *ctx,
                                          const char *proto,
                                          const char *scheme)
{
    request_rec *r = ctx->r, *top = redirect307_initial(r);

    if (top->parsed_uri.port_str) {
        return top->parsed_uri.port;
    }
    if (proto || !r->connection->local_addr) {
        return apr_uri_port_of_scheme(scheme);
    }
    return r->connection->local_addr->port;
}

/* Is the URL-path and query of uri the one req was asked for? */
static int redirect307_asked_for(apr_pool_t *p, const request_rec *req,
                                 const apr_uri_t *uri)
{
    const char *asked, *target;
    apr_uri_t request;

    if (!req->unparsed_uri
        || apr_uri_parse(p, req->unparsed_uri, &request) != APR_SUCCESS) {
        return 0;
    }
    asked = redirect307_canonical_path(p, request.path);
    target = redirect307_canonical_path(p, uri->path);
    if (!asked || !target || strcmp(asked, target)) {
        return 0;
    }
    /* the same query as the request's: with Discard, a request with a query
     * is not redirected to itself, it loses its query */
    return !strcmp(uri->query ? uri->query : "",
                   request.query ? request.query : "");
}

/* Would the Location send the client back to the URL it asked for?  That is
 * the URL of the initial request as the client sent it: a sub-request (a
 * DirectoryIndex lookup), an internal redirect or a rewrite of r->uri asks
 * for something else than the client did.  The URL a sub-request or an
 * internal redirect was made for counts too: it is what would be asked
 * next. */
static int redirect307_is_self(redirect307_ctx *ctx,
                               const redirect307_parts *parts,
                               const char *location)
{
    request_rec *r = ctx->r, *top = redirect307_initial(r);
    const char *host = top->hostname ? top->hostname : ap_get_server_name(r);
    const char *proto, *scheme;
    apr_uri_t uri;

    /* the common case, a target on another host, needs no parsing */
    if (parts->origin && !redirect307_origin_has_host(parts, host)) {
        return 0;
    }
    proto = redirect307_forwarded_proto(ctx);
    scheme = proto ? proto : ap_http_scheme(r);
    if (apr_uri_parse(r->pool, location, &uri) != APR_SUCCESS
        || !uri.scheme || !uri.hostname || strcasecmp(uri.scheme, scheme)
        || strcasecmp(uri.hostname, host)
        || (uri.port_str ? uri.port : apr_uri_port_of_scheme(uri.scheme))
        != redirect307_client_port(ctx, proto, scheme)) {
        return 0;
    }
    return redirect307_asked_for(r->pool, top, &uri)
        || (r != top && redirect307_asked_for(r->pool, r, &uri));
}

/* The URL-path rules are matched with: r->uri, with the encoded slashes
 * that AllowEncodedSlashes NoDecode leaves in it written "%2F", as rules and
 * map keys write them, whatever case the client used. */
static const char *redirect307_match_path(request_rec *r, int keep_2f)
{
    char *path;

    if (!keep_2f || !ap_strstr_c(r->uri, "%2f")) {
        return r->uri;
    }
    path = apr_pstrdup(r->pool, r->uri);
    redirect307_upper_2f(path);
    return path;
}

/* The Location for the first rule of chain that matches r, or NULL.  Sets
 * *origin to the rule's "file:line". */
static const char *redirect307_resolve(request_rec *r,
                                       const redirect307_link *chain,
                                       const char **origin)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    /* the server's AllowEncodedSlashes, which decoded r->uri (merged
     * sections do not carry it) */
    core_dir_config *core =
        ap_get_core_module_config(r->server->lookup_defaults);
    redirect307_ctx ctx;
    redirect307_hit hit;
    redirect307_parts parts;
    const char *location, *remainder = NULL, *path;

    memset(&ctx, 0, sizeof(ctx));
    ctx.r = r;
    ctx.keep_2f = core->allow_encoded_slashes && !core->decode_encoded_slashes;
    path = redirect307_match_path(r, ctx.keep_2f);
    for (; chain; chain = chain->next) {
        memset(&hit, 0, sizeof(hit));
        hit.path = path;
        if (redirect307_scope_find(r, chain->scope, &hit)) {
            break;
        }
    }
    if (!chain) {
        return NULL;
    }
    ctx.query_mode = (dconf->query_mode == REDIRECT307_UNSET)
        ? REDIRECT307_QUERY_MERGE : dconf->query_mode;

    switch (hit.rule->kind) {
    case REDIRECT307_PREFIX:
        redirect307_url_parts(&hit.rule->url, &parts);
        remainder = hit.remainder;
        *origin = hit.rule->origin;
        break;
    case REDIRECT307_MAP:
        redirect307_url_parts(&hit.entry->url, &parts);
        *origin = apr_pstrcat(r->pool, hit.rule->map->file_colon,
                              apr_itoa(r->pool, (int)hit.entry->line), NULL);
        break;
    default:
        if (!redirect307_expand(&ctx, hit.rule->target, &hit, &parts)) {
            return NULL;
        }
        *origin = hit.rule->origin;
        break;
    }
    location = redirect307_assemble(&ctx, &parts, remainder);
    if (APLOGrtrace5(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE5, 0, r,
                      "rule %s: target origin %s, remainder '%s', request "
                      "query %s", *origin,
                      parts.origin ? "as written" : "of this server",
                      remainder ? remainder : "",
                      ctx.query_mode == REDIRECT307_QUERY_MERGE ? "merged"
                      : "discarded");
    }

    if (redirect307_is_self(&ctx, &parts, location)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "Redirect307 at %s would redirect %s to itself; "
                      "not redirecting", *origin, location);
        return NULL;
    }
    if (APLOGrtrace1(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "rule %s redirects %s to %s", *origin, r->uri,
                      location);
    }
    return location;
}

/* --------------------------------------------------------------------
 * Request time: hooks and the optional function
 */

static int redirect307_applies(request_rec *r)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);

    request_rec *top = redirect307_initial(r);

    /* forward-proxy requests (absolute URLs for other hosts, CONNECT) are
     * never redirected, nor are their sub-requests (a DirectoryIndex
     * lookup); reverse-proxied ones (ProxyPass) are */
    if (top->proxyreq == PROXYREQ_PROXY || top->method_number == M_CONNECT
        || !r->uri || r->uri[0] != '/') {
        return 0;
    }
    if (dconf->engine == 0) {
        if (APLOGrtrace2(r)) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                          "Redirect307Engine Off for %s", r->uri);
        }
        return 0;
    }
    return 1;
}

static int redirect307_send(request_rec *r, const redirect307_link *chain)
{
    const char *origin = NULL;
    const char *location = redirect307_resolve(r, chain, &origin);

    if (!location) {
        return DECLINED;
    }
    apr_table_setn(r->subprocess_env, REDIRECT307_ENV_RULE, origin);
    /* a module that passes a sub-request's redirect on (mod_dir,
     * mod_negotiation) copies its notes, not its environment */
    apr_table_setn(r->notes, REDIRECT307_ENV_RULE, origin);
    apr_table_setn(r->headers_out, "Location", location);
    return HTTP_TEMPORARY_REDIRECT;
}

/* Rules of the server and virtual host. */
static int redirect307_translate_name(request_rec *r)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);

    if (!sconf->chain || !redirect307_applies(r)) {
        return DECLINED;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trying server rules of %s for %s",
                      r->server->server_hostname, r->uri);
    }
    return redirect307_send(r, sconf->chain);
}

/* Rules of <Location>, <Directory>, <Files>, <If> and .htaccess. */
static int redirect307_fixups(request_rec *r)
{
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);

    if (!dconf->chain || !redirect307_applies(r)) {
        return DECLINED;
    }
    if (APLOGrtrace2(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r,
                      "trying directory rules for %s", r->uri);
    }
    return redirect307_send(r, dconf->chain);
}

/* REDIRECT307_RULE for the access log, which reads the final request.
 * With a local "ErrorDocument 307", the 307 is sent by an internal redirect
 * to the document, where httpd renamed the variable
 * REDIRECT_REDIRECT307_RULE; when mod_dir or mod_negotiation pass on the
 * 307 of a sub-request, only its notes come with it.  Carry it over under
 * its own name to the request and the final one. */
static int redirect307_log_transaction(request_rec *r)
{
    const char *origin;
    request_rec *last;

    origin = apr_table_get(r->subprocess_env, REDIRECT307_ENV_RULE);
    if (!origin) {
        origin = apr_table_get(r->notes, REDIRECT307_ENV_RULE);
        if (!origin) {
            return DECLINED;
        }
        apr_table_setn(r->subprocess_env, REDIRECT307_ENV_RULE, origin);
    }
    for (last = r; last->next; last = last->next);
    if (!apr_table_get(last->subprocess_env, REDIRECT307_ENV_RULE)) {
        apr_table_setn(last->subprocess_env, REDIRECT307_ENV_RULE, origin);
    }
    return DECLINED;
}

static const char *redirect307_location(request_rec *r, const char **rule)
{
    redirect307_server_conf *sconf =
        ap_get_module_config(r->server->module_config, &redirect307_module);
    redirect307_dir_conf *dconf =
        ap_get_module_config(r->per_dir_config, &redirect307_module);
    const char *origin = NULL, *location = NULL;

    if (redirect307_applies(r)) {
        location = redirect307_resolve(r, sconf->chain, &origin);
        if (!location) {
            location = redirect307_resolve(r, dconf->chain, &origin);
        }
    }
    if (rule) {
        *rule = location ? origin : NULL;
    }
    return location;
}

/* --------------------------------------------------------------------
 * Directives, hooks and the module record
 */

static const command_rec redirect307_cmds[] = {
    AP_INIT_TAKE12("Redirect307", redirect307_cmd_redirect, NULL,
                   RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                   "a URL-path, then the URL to redirect to; or, in a "
                   "directory context, only the URL (an expression string)"),
    AP_INIT_TAKE2("Redirect307Match", redirect307_cmd_match, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "a regular expression matched against the URL-path, then "
                  "the URL to redirect to ($0-$9 are captures)"),
    AP_INIT_TAKE1("Redirect307Map", redirect307_cmd_map, NULL, RSRC_CONF,
                  "the path of a file of 'URL-path URL' lines"),
    AP_INIT_TAKE1("Redirect307QueryString", redirect307_cmd_query_string,
                  NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "Merge (keep the request's query string) or Discard"),
    AP_INIT_TAKE1("Redirect307Engine", redirect307_cmd_engine, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "On or Off: Off exempts the requests covered from every "
                  "Redirect307 rule"),
    AP_INIT_ITERATE("Redirect307TrustedProxy", redirect307_cmd_trusted_proxy,
                    NULL, RSRC_CONF,
                    "one or more IP addresses or CIDR ranges of proxies "
                    "whose Forwarded / X-Forwarded-Proto headers are "
                    "believed"),
    {NULL}
};

static void redirect307_register_hooks(apr_pool_t *p)
{
    /* Before mod_alias, so that a Redirect307 wins over an Alias or Redirect
     * of the same path, and before mod_userdir and mod_vhost_alias, which
     * map what is left.  mod_rewrite and mod_proxy run first (HOOK_FIRST). */
    static const char *const translate_succ[] = {
        "mod_alias.c", "mod_userdir.c", "mod_vhost_alias.c", NULL
    };
    /* Before mod_alias's directory-context Redirect, and long before
     * mod_dir's trailing-slash redirect (HOOK_LAST). */
    static const char *const fixups_succ[] = { "mod_alias.c", NULL };
    /* before mod_log_config writes the access log */
    static const char *const log_succ[] = { "mod_log_config.c", NULL };

    ap_hook_translate_name(redirect307_translate_name, NULL, translate_succ,
                           APR_HOOK_MIDDLE);
    ap_hook_fixups(redirect307_fixups, NULL, fixups_succ, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(redirect307_log_transaction, NULL, log_succ,
                            APR_HOOK_MIDDLE);
    APR_REGISTER_OPTIONAL_FN(redirect307_location);
}

AP_DECLARE_MODULE(redirect307) = {
    STANDARD20_MODULE_STUFF,
    redirect307_create_dir_conf,        /* create per-directory config */
    redirect307_merge_dir_conf, /* merge per-directory config */
    redirect307_create_server_conf,     /* create per-server config */
    redirect307_merge_server_conf,      /* merge per-server config */
    redirect307_cmds,           /* directives */
    redirect307_register_hooks, /* hooks */
    AP_MODULE_FLAG_NONE         /* merge only sections that use the module */
};
