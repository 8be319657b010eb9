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

/* Redirect307Map options. */
#define REDIRECT307_MAP_NOCASE  0x1     /* ASCII case of paths ignored */
#define REDIRECT307_MAP_NOSLASH 0x2     /* one trailing '/' ignored */

/* One entry of a map, as redirect307_map_entry_at() and
 * redirect307_map_lookup() give it: the key as normalised when the file
 * was read (decoded, folded, trailing slash off, query parameters sorted),
 * the target as written (checked when the file was read) and where it is
 * written (the line; the row of a CSV file). */
typedef struct {
    const char *key;
    const char *target;
    apr_uint32_t line;
    apr_uint32_t ordinal;       /* 0, 1, ...: its place among the entries */
} redirect307_map_item;

/* A map file, kept compact: the file's text in one buffer with each key and
 * its target NUL-terminated in it, one 32-bit offset an entry, and an
 * open-addressing hash table (linear probing, at most two thirds full) of
 * 6-byte slots: the entry's number and a 16-bit tag of its key's hash, so
 * that a probe reads one cache line.  Nothing points anywhere else, so ten
 * million entries cost their text and about 14 bytes each, shared by all
 * children. */
typedef struct {
    const char *file;
    const char *file_colon;     /* "file:", the start of an entry's origin */
    int flags;                  /* REDIRECT307_MAP_NOCASE, _NOSLASH */
    int csv;                    /* read as CSV: lines are rows */
    char *text;                 /* the file, keys and targets in it */
    apr_uint32_t count;         /* entries */
    apr_uint32_t *offsets;      /* ordinal -> offset of its key in text */
    apr_uint32_t mask;          /* slots - 1 (a power of two, minus 1) */
    apr_uint16_t *slots;        /* 3 a slot: ordinal + 1 (0: empty) in
                                 * two halves, low first, then a tag of
                                 * the key's hash */
    apr_uint32_t runs;          /* runs of entries on consecutive lines */
    apr_uint32_t *run_first;    /* the first ordinal of each run */
    apr_uint32_t *run_line;     /* line of the run's first entry */
    apr_uint32_t max_params;    /* most parameters in a query key */
} redirect307_map;

/* Redirect307IgnoreParams: names and "prefix*" patterns of query
 * parameters that never decide a query-key match. */
typedef struct {
    const char *const *names;
    int count;
} redirect307_ignore_list;

/* A rule; what only one kind of rule has shares the space of the others
 * (anonymous structs and unions: a prefix rule costs what it uses). */
#define REDIRECT307_LITERAL_MAX ((1U << 28) - 1)
typedef struct {
    unsigned int kind : 4;      /* redirect307_kind */
    unsigned int literal_len : 28;      /* REGEX: length of literal, at
                                         * most REDIRECT307_LITERAL_MAX
                                         * (longer: none is used) */
    int position;               /* configuration order within its scope */
    apr_uint32_t counter;       /* its first hit counter, or
                                 * REDIRECT307_NO_COUNTER */
    apr_uint32_t line;          /* of the directive */
    const char *file;           /* of the directive; NULL: not from a file
                                 * (the pointer httpd shares among the
                                 * directives of a file, not a copy) */
    const char *written;        /* the target (MAP: the file) as written */
    union {
        struct {                /* PREFIX */
            const char *url_path;       /* the decoded URL-path */
            redirect307_url url;
        };
        struct {                /* REGEX and SECTION */
            void *regex;        /* REGEX: the glue's compiled regex */
            const char *pattern;        /* REGEX: as written, for logs */
            const char *literal;        /* REGEX: what every match starts
                                         * with */
            redirect307_template *target;
        };
        redirect307_map *map;   /* MAP */
    };
} redirect307_rule;

/* The rules written in one place: the main server, a virtual host or one
 * directory section. */
typedef struct {
    const char *name;           /* where the rules are written, for logs */
    int count;                  /* rules so far: the next position */
    apr_uint32_t prefixes;      /* prefix rules in the table */
    apr_uint32_t mask;          /* slots - 1 */
    const redirect307_rule **slots;     /* prefix rules by URL-path */
    apr_hash_t *regexes;        /* literal's whole segments -> rules */
    apr_array_header_t *sequential;     /* the other rules, in order */
    int indexed;                /* regex rules in the index */
} redirect307_scope;

/* What one scope offers a request path: the first prefix rule that covers
 * it, and the other rules that may match before it, in configuration
 * order (regexes whose literal start the path passes through, and the
 * rules tried for every path). */
typedef struct {
    const redirect307_rule *prefix;     /* NULL: none */
    const char *remainder;      /* the path after the prefix rule's */
    const redirect307_rule **candidates;
    int ncandidates;
} redirect307_lookup;

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

/* Writes every '#' of s as "%23" (a fragment holds none).  Returns s
 * itself when it has none. */
const char *redirect307_escape_hash(apr_pool_t *p, const char *s);

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

/* "file:line" of the rule's directive, or "(unknown file)", for logs and
 * the status page: made when asked for, since a rule keeps only the file
 * name httpd shares and its line. */
const char *redirect307_rule_origin(apr_pool_t *p,
                                    const redirect307_rule *rule);

/* Gives rule the next position of scope and files it: prefix rules in the
 * index, regex rules whose literal start begins with '/' at the node of
 * its whole segments, the others in order.  Returns the earlier prefix
 * rule with the same URL-path, which hides the new one, or NULL. */
const redirect307_rule *redirect307_scope_add(apr_pool_t *p,
                                              redirect307_scope *scope,
                                              redirect307_rule *rule);

/* Makes room for n prefix rules in a scope that has none yet (a hint: more
 * may be added). */
void redirect307_scope_reserve(apr_pool_t *p, redirect307_scope *scope,
                               apr_uint32_t n);

/* The first prefix rule, in configuration order, whose URL-path covers
 * path, or NULL; sets *remainder to the path after the URL-path.  Works in
 * the scratch pool p. */
const redirect307_rule *redirect307_index_find(apr_pool_t *p,
                                               const redirect307_scope *scope,
                                               const char *path,
                                               const char **remainder);

/* The prefix rule of redirect307_index_find() and the candidates that
 * come before it (see redirect307_lookup).  Works in the pool p. */
void redirect307_scope_lookup(apr_pool_t *p, const redirect307_scope *scope,
                              const char *path, redirect307_lookup *out);

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

/* Reads the next record of CSV text (RFC 4180: ',' between fields,
 * '"' around a field, "" for a '"' in it, LF or CRLF after it) at *pos,
 * before end, in place.  Sets fields[0, min(n, max)) to its first fields
 * (NUL-terminated; blanks around an unquoted field dropped) and *nfields
 * to n, or to max + 1 when there are more; moves *pos past the record.
 * Returns NULL or an error. */
const char *redirect307_csv_record(char **pos, char *end, char **fields,
                                   int max, int *nfields);

/* Reads a map file (CSV when its name ends in ".csv"; flags:
 * REDIRECT307_MAP_*).  The returned error starts with "file:line: " when
 * it is about one line. */
const char *redirect307_map_load(apr_pool_t *p, apr_pool_t *scratch,
                                 const char *file, int flags,
                                 redirect307_map_warning_fn *warn, void *baton,
                                 redirect307_map **out);

/* An empty map of file, to be filled by redirect307_map_parse(). */
redirect307_map *redirect307_map_make(apr_pool_t *p, const char *file,
                                      int flags, int csv);

/* Parses a map from text (size bytes from p, changed in place and kept
 * by the map; text[size] must be writable and is set to NUL). */
const char *redirect307_map_parse(apr_pool_t *p, apr_pool_t *scratch,
                                  redirect307_map *map, char *text,
                                  apr_size_t size,
                                  redirect307_map_warning_fn *warn, void *baton);

/* The entry for a request: path is the decoded URL-path (as r->uri),
 * query the raw query string (NULL: none).  A key with a query is tried
 * first when the map has one, then the path's plain key.  Returns 0 when
 * no entry matches; else fills *item and sets *rest_query to the query
 * that remains to be merged into the Location (NULL: none): all of query
 * for a plain key, the parameters ignore set aside, in request order, for
 * a query key.  Request-time semantics exactly; allocates from p. */
int redirect307_map_lookup(apr_pool_t *p, const redirect307_map *map,
                           const char *path, const char *query,
                           const redirect307_ignore_list *ignore,
                           redirect307_map_item *item,
                           const char **rest_query);

/* How many entries the map has (duplicates not counted), and the entry
 * with ordinal i (0 <= i < size), in file order. */
apr_uint32_t redirect307_map_size(const redirect307_map *map);
redirect307_map_item redirect307_map_entry_at(const redirect307_map *map,
                                              apr_uint32_t i);

/* --------------------------------------------------------------------
 * Query strings of map keys and requests (redirect307_query.c)
 */

/* The default of Redirect307IgnoreParams: marketing and click ids. */
extern const redirect307_ignore_list redirect307_ignore_default;

/* Is the decoded parameter name (len bytes) on the list? */
int redirect307_ignored(const redirect307_ignore_list *ignore,
                        const char *name, apr_size_t len);

/* A query string normalised: the parameters not set aside, decoded ('+'
 * is a space), written canonically ('%', '&', '=' and NUL encoded, "=" left
 * out for an empty value) and sorted, joined with '&'; and the parameters
 * set aside, as they arrived, in their order. */
typedef struct {
    const char *canonical;      /* NULL when more than limit are kept */
    apr_size_t canonical_len;
    apr_uint32_t kept;          /* parameters in canonical */
    const char *set_aside;      /* NULL: none */
    int bad_escape;             /* a '%' that starts no escape was kept */
} redirect307_query;

/* Normalises query (len bytes) for a lookup: parameters on ignore (NULL:
 * none) are set aside; when more than limit others remain, canonical is
 * NULL (no key has as many). */
void redirect307_query_normalise(apr_pool_t *p, const char *query,
                                 apr_size_t len,
                                 const redirect307_ignore_list *ignore,
                                 apr_uint32_t limit,
                                 redirect307_query *out);

/* --------------------------------------------------------------------
 * Headers of trusted proxies (redirect307_proxy.c)
 */

/* "http" or "https" from the proto= of the last element of a Forwarded
 * header (RFC 7239), or NULL. */
const char *redirect307_forwarded_proto(const char *header);

/* "http" or "https" from the last value of X-Forwarded-Proto, or NULL. */
const char *redirect307_x_forwarded_proto(const char *header);

/* --------------------------------------------------------------------
 * Usage statistics (redirect307_stats.c): rule identities, the table of
 * counters, the state file and the output formats of the status page.
 * Shared memory, atomics and the handler are the glue's
 * (mod_redirect307_stats.c).
 */

/* A rule without a counter: statistics are off, or it is in .htaccess. */
#define REDIRECT307_NO_COUNTER 0xffffffffU

/* One counter in shared memory: hits, and the second of the last one
 * (0: never).  Children add with apr_atomic_inc64 and store with
 * apr_atomic_set64; readers use apr_atomic_read64. */
typedef struct {
    volatile apr_uint64_t hits;
    volatile apr_uint64_t last;
} redirect307_counter;

/* What a counter was, for carrying it over: from the previous generation's
 * shared memory or from the state file. */
typedef struct {
    apr_uint64_t identity;
    apr_uint64_t hits;
    apr_uint64_t last;
    apr_uint32_t slot;          /* the counter it was read from, in the
                                 * table that made it; REDIRECT307_NO_COUNTER
                                 * for a record of the state file */
} redirect307_stats_record;

/* Where rules with counters are written: one per scope, shared by its
 * rules. */
typedef struct {
    const char *scope;          /* the scope's name, for people */
    const char *scope_key;      /* the same without line numbers */
    const char *sections;       /* the enclosing sections, "" for none: the
                                 * match of a SECTION rule */
} redirect307_stats_place;

/* A rule that has counters: one, or one per entry of a map.  What the
 * status page shows of it is read from the rule itself, so that a row
 * costs two pointers; its first counter is rule->counter. */
typedef struct {
    redirect307_rule *rule;
    const redirect307_stats_place *place;
} redirect307_stats_rule;

typedef struct {
    apr_array_header_t *rules;  /* redirect307_stats_rule, by counter */
    apr_uint32_t slots;         /* counters in all */
    redirect307_counter *counters;      /* NULL until the glue sets it */
    apr_uint64_t since;         /* second the counts started */
} redirect307_stats_table;

/* One row: a rule, or an entry of a map. */
typedef struct {
    const redirect307_stats_rule *rule;
    const char *file;           /* a map entry: the map file */
    apr_uint32_t line;
    const char *match;
    const char *target;
    apr_uint64_t hits;
    apr_uint64_t last;
} redirect307_stats_item;

/* Which rows a page or an export shows. */
typedef enum {
    REDIRECT307_BY_ORIGIN,      /* configuration order */
    REDIRECT307_BY_HITS,
    REDIRECT307_BY_LAST
} redirect307_sort;

typedef struct {
    const char *q;              /* rows whose match contains it; NULL: all */
    apr_uint64_t before;        /* rows not hit since; 0: all */
    redirect307_sort sort;
    int desc;
    apr_uint32_t offset;        /* the page: from row offset ... */
    apr_uint32_t limit;         /* ... so many rows */
} redirect307_stats_view;

/* Where the formats write to: the glue's ap_rwrite, a test's buffer. */
typedef void redirect307_write_fn(void *baton, const char *text,
                                  apr_size_t len);

typedef struct {
    redirect307_write_fn *write;
    void *baton;
    apr_pool_t *pool;           /* for what is written; cleared per row */
} redirect307_out;

/* What the explain form found. */
typedef struct {
    const char *url;            /* the request explained, absolute */
    const char *method;
    const char *rule;           /* "file:line", NULL: none */
    const char *location;       /* NULL: not redirected */
    const char *reason;
} redirect307_explanation;

/* The status page: what the glue knows about the request. */
typedef struct {
    const char *server;         /* "Apache/2.4.x ... ", for the heading */
    int enabled;                /* Redirect307Stats On */
    const char *error;          /* a filter that could not be read */
    const redirect307_stats_view *view;
    const char *q_text;         /* the filters as typed, for the forms */
    const char *before_text;
    const redirect307_explanation *explained;   /* NULL: none asked */
    const char *explain_path;   /* the explain form's fields as typed */
    const char *explain_method;
    const char *explain_host;
    apr_uint64_t now;
} redirect307_stats_page;

const char *redirect307_kind_name(redirect307_kind kind);

/* FNV-1a (64 bits) over s and its NUL, continuing from h. */
#define REDIRECT307_HASH_START APR_UINT64_C(14695981039346656037)
apr_uint64_t redirect307_stats_hash(apr_uint64_t h, const char *s);

/* The identity of a rule: its scope, kind, match and target, not its line;
 * of a map entry: its map's, its key and its target. */
apr_uint64_t redirect307_stats_identity(const char *scope_key,
                                        redirect307_kind kind,
                                        const char *match,
                                        const char *target);
apr_uint64_t redirect307_stats_entry_identity(apr_uint64_t map_identity,
                                              const char *key,
                                              const char *target);

/* A table for about n rules (more may be added). */
redirect307_stats_table *redirect307_stats_make(apr_pool_t *p, int n);

/* What a row shows: its URL-path, regex, sections ("(server)" for none)
 * or map file; its target as written (NULL for a map); its map (NULL for
 * the other kinds); how many counters it has. */
const char *redirect307_stats_match(const redirect307_stats_rule *row);
const char *redirect307_stats_target(const redirect307_stats_rule *row);
const redirect307_map *
redirect307_stats_map(const redirect307_stats_rule *row);
apr_uint32_t redirect307_stats_count_of(const redirect307_stats_rule *row);

/* The identity of a row's rule (see redirect307_stats_identity). */
apr_uint64_t
redirect307_stats_rule_identity(const redirect307_stats_rule *row);

/* Gives the rules their counters (rule->counter), once all are added. */
void redirect307_stats_layout(redirect307_stats_table *t);

/* The identity of counter slot, made from its rule (and map entry) when
 * asked for: a table keeps no identities, which would cost 8 bytes a
 * counter for as long as it is used. */
apr_uint64_t redirect307_stats_identity_at(const redirect307_stats_table *t,
                                           apr_uint32_t slot);

/* The row of counter slot. */
void redirect307_stats_item_at(const redirect307_stats_table *t,
                               apr_uint32_t slot,
                               redirect307_stats_item *item);

/* The "file:line" of a row, or "(unknown file):line". */
const char *redirect307_stats_item_origin(apr_pool_t *p,
                                          const redirect307_stats_item *item);

/* The counters that were hit, as records (with their slots). */
redirect307_stats_record *redirect307_stats_records(apr_pool_t *p,
                                    const redirect307_stats_table *t,
                                    apr_size_t *n);

/* Gives every counter of t the counts of the record of its identity.
 * Returns how many counters got counts. */
apr_uint32_t redirect307_stats_carry(apr_pool_t *scratch,
                                     redirect307_stats_table *t,
                                     const redirect307_stats_record *prev,
                                     apr_size_t n);

/* The state file: written to path.tmp, then renamed to path.  Reading
 * returns NULL, or why the file is not used; *missing is set when there
 * is no file at all. */
const char *redirect307_stats_save(apr_pool_t *p, const char *path,
                                   apr_uint64_t since,
                                   const redirect307_stats_record *recs,
                                   apr_size_t n);
const char *redirect307_stats_parse(apr_pool_t *p, const char *data,
                                    apr_size_t size, apr_uint64_t *since,
                                    redirect307_stats_record **recs,
                                    apr_size_t *n);
const char *redirect307_stats_load(apr_pool_t *p, const char *path,
                                   int *missing, apr_uint64_t *since,
                                   redirect307_stats_record **recs,
                                   apr_size_t *n);

/* Escaping for where a value lands.  APR has apr_pescape_entity for HTML;
 * JSON strings (APR 1.7 has no JSON escape), CSV fields and Prometheus
 * label values are written here. */
const char *redirect307_html(apr_pool_t *p, const char *s);
const char *redirect307_json(apr_pool_t *p, const char *s);
const char *redirect307_csv(apr_pool_t *p, const char *s);
const char *redirect307_label(apr_pool_t *p, const char *s);

/* "2026-01-31T12:00:00Z"; and the second of such a text or of a date
 * "2026-01-31" (0: not one). */
const char *redirect307_iso8601(apr_pool_t *p, apr_uint64_t sec);
apr_uint64_t redirect307_parse_date(const char *text);

/* Does a row pass the filters of view (q and before)? */
int redirect307_stats_keep(const redirect307_stats_view *view,
                           const redirect307_stats_item *item);

/* The rows of a view, in its order: the page's slots.  *total is the
 * number of rows the filters keep. */
apr_uint32_t *redirect307_stats_select(apr_pool_t *p,
                                       const redirect307_stats_table *t,
                                       const redirect307_stats_view *view,
                                       apr_uint32_t *total,
                                       apr_uint32_t *count);

/* The formats of the status page. */
void redirect307_stats_csv(redirect307_out *out,
                           const redirect307_stats_table *t,
                           const redirect307_stats_view *view);
void redirect307_stats_json(redirect307_out *out,
                            const redirect307_stats_table *t,
                            const redirect307_stats_view *view);
void redirect307_stats_prometheus(redirect307_out *out,
                                  const redirect307_stats_table *t);
void redirect307_explain_json(redirect307_out *out,
                              const redirect307_explanation *e);
void redirect307_stats_html(redirect307_out *out,
                            const redirect307_stats_table *t,
                            const redirect307_stats_page *page);

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
    redirect307_map_item entry; /* MAP, when mapped */
    int mapped;
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
    const redirect307_ignore_list *ignore;      /* in force; NULL: none */
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
