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
 * The core of mod_redirect307, shared by its files: the code that decides
 * a redirect (reading targets and map files, percent-encoding, the prefix
 * index, putting the Location together).  It uses APR only, no httpd
 * header, so that it is unit-tested and fuzzed in-process; regexes and
 * ap_expr expressions stay in the glue (mod_redirect307.c), which the core
 * reaches through the callbacks declared here.
 */

#ifndef REDIRECT307_PRIVATE_H
#define REDIRECT307_PRIVATE_H

#include "apr_hash.h"
#include "apr_network_io.h"
#include "apr_pools.h"
#include "apr_tables.h"

/* --------------------------------------------------------------------
 * Rules and targets
 */

/* Captures of a regex rule: $0-$9. */
#define REDIRECT307_MAX_CAPTURES 10

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

/* How the text of a target is read. */
typedef enum {
    REDIRECT307_LITERAL,        /* Redirect307 URL-path URL, map entries */
    REDIRECT307_CAPTURES,       /* Redirect307Match: $0-$9 */
    REDIRECT307_EXPRESSIONS     /* one-argument Redirect307: %{...} */
} redirect307_syntax;

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
    void *expr;                 /* %{...}: what the glue's parser made */
    const char *text;           /* literal text, already cleaned */
} redirect307_piece;

typedef struct {
    const char *origin;         /* "scheme://authority", NULL: this server */
    apr_array_header_t *pieces; /* redirect307_piece */
    int has_query;
    int has_fragment;
} redirect307_template;

typedef struct {
    const char *key;            /* the decoded URL-path */
    redirect307_url url;
    apr_uint32_t line;
    apr_uint32_t ordinal;       /* 0, 1, ...: its place among the entries */
} redirect307_map_entry;

typedef struct {
    const char *file;
    const char *file_colon;     /* "file:", the start of an entry's origin */
    apr_hash_t *entries;        /* decoded URL-path -> redirect307_map_entry */
    apr_array_header_t *order;  /* redirect307_map_entry *, in file order */
} redirect307_map;

typedef struct {
    redirect307_kind kind;
    int position;               /* configuration order within its scope */
    const char *origin;         /* "file:line" of the directive */
    const char *url_path;       /* PREFIX: the decoded URL-path */
    redirect307_url url;        /* PREFIX */
    void *regex;                /* REGEX: the glue's compiled regex */
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

/* --------------------------------------------------------------------
 * URL text (redirect307_url.c)
 */

/* Is s[0..2] an encoded slash, "%2F" or "%2f"? */
int redirect307_is_2f(const char *s);

/* Writes every encoded slash of s as "%2F", in place. */
void redirect307_upper_2f(char *s);

/* Decodes a URL-path in place, as httpd's AllowEncodedSlashes NoDecode
 * does: every escape but "%2F", which is kept and written in upper case.
 * Returns 0 on a bad escape or an encoded NUL. */
int redirect307_decode_path(char *path);

/* Text that is already a URL or part of one: percent-encodes the bytes that
 * may not appear raw and a '%' that starts no escape.  Returns s itself
 * when there is nothing to do. */
const char *redirect307_clean(apr_pool_t *p, const char *s, apr_size_t len);

/* Request data for the part of the URL it lands in.  With keep_2f
 * (AllowEncodedSlashes NoDecode) each "%2F" stays exactly one escape. */
const char *redirect307_encode(apr_pool_t *p, const char *data,
                               redirect307_part part, int keep_2f);

/* Can name be the host of a URL?  Is port (the text after ':') a TCP port,
 * or empty? */
int redirect307_is_host(apr_pool_t *p, const char *name);
int redirect307_is_port(const char *port);

/* Checks the start of a target; sets *origin_len to the length of its
 * "scheme://authority" (0 for a path).  Returns NULL or an error. */
const char *redirect307_split_origin(apr_pool_t *p, const char *text,
                                     redirect307_syntax syntax,
                                     apr_size_t *origin_len);

/* A target without request data.  The cleaned text comes from p. */
const char *redirect307_parse_url(apr_pool_t *p, apr_pool_t *scratch,
                                  const char *text, redirect307_url *url);

/* --------------------------------------------------------------------
 * Targets with request data and the Location (redirect307_location.c)
 */

/* Parses the %{...} at the start of text (len bytes, braces included) for
 * the glue: sets *expr, or returns an error. */
typedef const char *redirect307_expr_parser_fn(void *baton, const char *text,
                                            apr_size_t len, void **expr);

/* The value of an expression of a target for the request, or NULL (the
 * glue logs why). */
typedef const char *redirect307_expr_value_fn(void *baton, const void *expr);

/* "scheme://host[:port]" of this server as the client sees it. */
typedef const char *redirect307_self_origin_fn(void *baton);

/* A target with request data.  With ncaptures >= 0 it is the URL of
 * Redirect307Match ($0-$9, \$); with ncaptures < 0 the string of a
 * one-argument Redirect307 (%{...}, parsed by parse_expr). */
const char *redirect307_parse_template(apr_pool_t *p, apr_pool_t *scratch,
                                       const char *text, int ncaptures,
                                       redirect307_expr_parser_fn *parse_expr,
                                       void *baton,
                                       redirect307_template **out);

/* Where a capture of the subject starts and ends; -1 when the group did
 * not take part in the match. */
typedef struct {
    int so;
    int eo;
} redirect307_span;

/* What putting a Location together needs to know about the request. */
typedef struct {
    apr_pool_t *pool;
    const char *args;           /* the query to merge, NULL: none */
    int keep_2f;                /* AllowEncodedSlashes NoDecode */
    redirect307_self_origin_fn *self_origin;       /* for path targets */
    redirect307_expr_value_fn *expr_value;
    void *baton;                /* for both callbacks */
} redirect307_request;

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

/* The parts of a target without request data. */
void redirect307_url_parts(const redirect307_url *url,
                           redirect307_parts *parts);

/* Fills in the captures (spans into subject) or expression values of a
 * template.  Returns 0 when an expression has no value. */
int redirect307_expand(const redirect307_request *req,
                       const redirect307_template *t, const char *subject,
                       const redirect307_span *spans,
                       redirect307_parts *parts);

/* Joins origin, path, remainder, query and fragment into the Location. */
const char *redirect307_assemble(const redirect307_request *req,
                                 const redirect307_parts *parts,
                                 const char *remainder);

/* Is host the host of an absolute target's "scheme://[user@]host[:port]"? */
int redirect307_origin_has_host(const redirect307_parts *parts,
                                const char *host);

/* --------------------------------------------------------------------
 * Scopes and the prefix index (redirect307_index.c)
 */

redirect307_scope *redirect307_scope_make(apr_pool_t *p, const char *name);

/* Gives rule the next position of scope and files it: prefix rules in the
 * index, the others in order.  Returns the earlier prefix rule with the
 * same URL-path, which hides the new one, or NULL. */
const redirect307_rule *redirect307_scope_add(apr_pool_t *p,
                                              redirect307_scope *scope,
                                              redirect307_rule *rule);

/* The first prefix rule, in configuration order, whose URL-path covers
 * path, or NULL; sets *remainder to the path after the URL-path.  Works in
 * the scratch pool p. */
const redirect307_rule *redirect307_index_find(apr_pool_t *p,
                                               const redirect307_scope *scope,
                                               const char *path,
                                               const char **remainder);

/* --------------------------------------------------------------------
 * The literal start of a regex (redirect307_regex.c)
 */

/* The literal text a regex anchored with '^' requires at the start of the
 * subject, so that a comparison can rule the regex out before it runs.
 * Returns its length, 0 (and *literal NULL) when there is none or the
 * regex holds anything not fully understood.  options_set: the regex is
 * compiled with options beyond httpd's defaults (RegexDefaultOptions). */
apr_size_t redirect307_regex_literal(apr_pool_t *p, const char *regex,
                                     int options_set, const char **literal);

/* --------------------------------------------------------------------
 * Map files (redirect307_map.c)
 */

/* Called for each duplicate key (and once with the count past the tenth). */
typedef void redirect307_map_warning_fn(void *baton, const char *msg);

/* Splits a map line (NUL-terminated, without its '\n') into its key and
 * target in place.  Sets *key to NULL for a blank or comment line; returns
 * 0 when the line is not "URL-path URL [# comment]". */
int redirect307_map_fields(char *s, char **key, char **target);

/* Reads a map file.  The returned error starts with "file:line: " when it
 * is about one line. */
const char *redirect307_map_load(apr_pool_t *p, apr_pool_t *scratch,
                                 const char *file,
                                 redirect307_map_warning_fn *warn, void *baton,
                                 redirect307_map **out);

/* Parses a map from text (size bytes, changed in place; text[size] must be
 * writable and is set to NUL). */
const char *redirect307_map_parse(apr_pool_t *p, apr_pool_t *scratch,
                                  redirect307_map *map, char *text,
                                  apr_size_t size,
                                  redirect307_map_warning_fn *warn, void *baton);

/* The entry of a decoded request path, or NULL. */
const redirect307_map_entry *redirect307_map_find(const redirect307_map *map,
                                                  const char *path);

/* How many entries the map has (duplicates not counted), and the entry
 * with ordinal i (0 <= i < size), in file order. */
apr_uint32_t redirect307_map_size(const redirect307_map *map);
const redirect307_map_entry *redirect307_map_entry_at(const redirect307_map
                                                      *map, apr_uint32_t i);

/* --------------------------------------------------------------------
 * Headers of trusted proxies (redirect307_proxy.c)
 */

/* "http" or "https" from the proto= of the last element of a Forwarded
 * header (RFC 7239), or NULL. */
const char *redirect307_forwarded_proto(const char *header);

/* "http" or "https" from the last value of X-Forwarded-Proto, or NULL. */
const char *redirect307_x_forwarded_proto(const char *header);

/* --------------------------------------------------------------------
 * Chains and loops (redirect307_chain.c)
 */

/* The longest Location a walk follows: httpd's default LimitRequestLine.
 * A loop whose URL grows with every pass (Redirect307 /a /a/b) is cut
 * there. */
#define REDIRECT307_CHAIN_MAX_URL 8190

/* What a server answers to: the Locations that come back to it. */
typedef struct {
    const char *scheme;         /* "http" or "https" */
    const char *origin;         /* "scheme://host[:port]" of path targets */
    apr_array_header_t *names;  /* const char *: ServerName, ServerAlias */
    apr_array_header_t *wild_names;     /* const char *: patterns, or NULL */
    apr_port_t port;            /* the server's own port, 0: none */
} redirect307_chain_self;

/* A request the walk followed: the state (decoded path and query), the
 * rule that answers it and where its Location leads. */
typedef struct redirect307_chain_hop redirect307_chain_hop;
struct redirect307_chain_hop {
    const char *path;           /* decoded, as rules match it */
    const char *query;          /* NULL: none */
    const redirect307_rule *rule;
    const redirect307_map_entry *entry; /* MAP */
    const char *fragment;       /* "#..." of its Location, or NULL */
    const redirect307_chain_hop *next;  /* the request the Location makes,
                                         * NULL: no rule answers it, or it
                                         * is not for this server */
    const char *final;          /* where the request ends up (no loop) */
    apr_uint32_t hops;          /* redirects until there (0: a loop) */
    unsigned int mark:2;        /* being followed, done */
    unsigned int loop:1;        /* it is in a loop or leads into one */
    unsigned int reported:1;
};

typedef struct {
    int loop;                   /* 0: a chain */
    int grows;                  /* a loop whose URL grows with each pass */
    const redirect307_chain_hop *first;
    apr_uint32_t hops;          /* first and the hops after it */
    const char *final;          /* a chain: where first ends up */
} redirect307_chain_report;

/* Does the regex of rule match path?  (The glue runs ap_regexec.) */
typedef int redirect307_chain_regex_fn(void *baton,
                                       const redirect307_rule *rule,
                                       const char *path);

typedef void redirect307_chain_report_fn(void *baton,
                                         const redirect307_chain_report *r);

/* The rules of one server, as its requests see them. */
typedef struct {
    const redirect307_scope *const *scopes;     /* own first, then main */
    int nscopes;
    const redirect307_chain_self *self;
    int merge_query;            /* Redirect307QueryString Merge */
    int keep_2f;                /* AllowEncodedSlashes NoDecode */
    apr_size_t max_url;         /* 0: REDIRECT307_CHAIN_MAX_URL */
    redirect307_chain_regex_fn *regex_matches;
    redirect307_chain_report_fn *report;
    void *baton;                /* for both callbacks */
} redirect307_chain_input;

/* Follows the request for every rule and map entry of scopes[0] (and the
 * literal start of its capture-free regexes) through the server's rules;
 * reports each start that takes two or more redirects and each loop once.
 * Adds the numbers of chains and loops to *chains and *loops.  Works in
 * the pool p, which the caller clears. */
void redirect307_chain_check(apr_pool_t *p, const redirect307_chain_input *in,
                             apr_uint32_t *chains, apr_uint32_t *loops);

/* "file:line" of the rule or map entry that answers hop. */
const char *redirect307_chain_origin(apr_pool_t *p,
                                     const redirect307_chain_hop *hop);

#endif /* REDIRECT307_PRIVATE_H */
