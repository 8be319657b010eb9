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
 * Usage statistics without httpd: the identity of a rule, the table that
 * gives every rule and map entry its counter, carrying counts over to a new
 * configuration, the state file, and choosing the rows of a page.  The
 * counters themselves live in the shared memory the glue creates.
 */

#include "apr_atomic.h"
#include "apr_file_io.h"
#include "apr_md5.h"
#include "apr_strings.h"
#include "apr_time.h"

#define APR_WANT_STRFUNC
#define APR_WANT_MEMFUNC
#include "apr_want.h"

#include <stdlib.h>

#include "redirect307_private.h"

/* The state file: a header, records, and the MD5 of both. */
#define REDIRECT307_STATE_MAGIC   "R307STAT"
#define REDIRECT307_STATE_VERSION 1
#define REDIRECT307_STATE_HEADER  32    /* magic, version, 0, since, count */
#define REDIRECT307_STATE_RECORD  24    /* identity, hits, last */

/* --------------------------------------------------------------------
 * Identities
 */

const char *redirect307_kind_name(redirect307_kind kind)
{
    switch (kind) {
    case REDIRECT307_PREFIX:
        return "prefix";
    case REDIRECT307_SECTION:
        return "section";
    case REDIRECT307_REGEX:
        return "regex";
    default:
        return "map";
    }
}

/* APR's hashes are 32 bits (apr_hashfunc_default), too few for millions of
 * map entries, or digests (apr_md5, apr_sha1), slower than a restart of a
 * large map should be: FNV-1a over 64 bits. */
apr_uint64_t redirect307_stats_hash(apr_uint64_t h, const char *s)
{
    const unsigned char *c = (const unsigned char *)(s ? s : "");

    do {
        h ^= *c;
        h *= APR_UINT64_C(1099511628211);
    } while (*c++);
    return h;
}

apr_uint64_t redirect307_stats_identity(const char *scope_key,
                                        redirect307_kind kind,
                                        const char *match,
                                        const char *target)
{
    apr_uint64_t h = REDIRECT307_HASH_START;

    h = redirect307_stats_hash(h, scope_key);
    h = redirect307_stats_hash(h, redirect307_kind_name(kind));
    h = redirect307_stats_hash(h, match);
    return redirect307_stats_hash(h, target);
}

apr_uint64_t redirect307_stats_entry_identity(apr_uint64_t map_identity,
                                              const char *key,
                                              const char *target)
{
    return redirect307_stats_hash(redirect307_stats_hash(map_identity, key),
                                  target);
}

/* --------------------------------------------------------------------
 * The table of counters
 */

redirect307_stats_table *redirect307_stats_make(apr_pool_t *p, int n)
{
    redirect307_stats_table *t = apr_pcalloc(p, sizeof(*t));

    t->rules = apr_array_make(p, n > 0 ? n : 16,
                              sizeof(redirect307_stats_rule));
    return t;
}

const char *redirect307_stats_match(const redirect307_stats_rule *row)
{
    const redirect307_rule *rule = row->rule;

    switch (rule->kind) {
    case REDIRECT307_PREFIX:
        return rule->url_path;
    case REDIRECT307_REGEX:
        return rule->pattern;
    case REDIRECT307_SECTION:
        return *row->place->sections ? row->place->sections : "(server)";
    case REDIRECT307_MAP:
        return rule->map->file;
    default:
        return "";
    }
}

const char *redirect307_stats_target(const redirect307_stats_rule *row)
{
    return row->rule->kind == REDIRECT307_MAP ? NULL : row->rule->written;
}

const redirect307_map *
redirect307_stats_map(const redirect307_stats_rule *row)
{
    return row->rule->kind == REDIRECT307_MAP ? row->rule->map : NULL;
}

apr_uint32_t redirect307_stats_count_of(const redirect307_stats_rule *row)
{
    return row->rule->kind == REDIRECT307_MAP
        ? redirect307_map_size(row->rule->map) : 1;
}

apr_uint64_t
redirect307_stats_rule_identity(const redirect307_stats_rule *row)
{
    return redirect307_stats_identity(row->place->scope_key, row->rule->kind,
                                      redirect307_stats_match(row),
                                      redirect307_stats_target(row));
}

/* What the table reads of a map entry: the map's interface in one place. */
static void redirect307_stats_entry(const redirect307_map *map,
                                    apr_uint32_t ordinal, const char **key,
                                    const char **target, apr_uint32_t *line)
{
    redirect307_map_item item = redirect307_map_entry_at(map, ordinal);

    *key = item.key;
    *target = item.target;
    *line = item.line;
}

void redirect307_stats_layout(redirect307_stats_table *t)
{
    apr_uint32_t slot = 0;
    int r;

    for (r = 0; r < t->rules->nelts; r++) {
        redirect307_stats_rule *row =
            &APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule);

        row->rule->counter = slot;
        slot += redirect307_stats_count_of(row);
    }
    t->slots = slot;
}

/* The identity of a row's counter ordinal (0 for a rule, the entry's
 * for a map), given the row's identity. */
static apr_uint64_t
redirect307_stats_slot_id(const redirect307_stats_rule *row,
                          apr_uint32_t ordinal, apr_uint64_t row_identity)
{
    const redirect307_map *map = redirect307_stats_map(row);
    const char *key, *target;
    apr_uint32_t line;

    if (!map) {
        return row_identity;
    }
    redirect307_stats_entry(map, ordinal, &key, &target, &line);
    return redirect307_stats_entry_identity(row_identity, key, target);
}

/* The rule that owns counter slot: the last one whose first counter is
 * not above. */
static const redirect307_stats_rule *
redirect307_stats_owner(const redirect307_stats_table *t, apr_uint32_t slot)
{
    int lo = 0, hi = t->rules->nelts - 1;

    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;

        if (APR_ARRAY_IDX(t->rules, mid, redirect307_stats_rule).rule->counter
            <= slot) {
            lo = mid;
        }
        else {
            hi = mid - 1;
        }
    }
    return &APR_ARRAY_IDX(t->rules, lo, redirect307_stats_rule);
}

void redirect307_stats_item_at(const redirect307_stats_table *t,
                               apr_uint32_t slot,
                               redirect307_stats_item *item)
{
    const redirect307_stats_rule *row = redirect307_stats_owner(t, slot);

    item->rule = row;
    if (row->rule->kind == REDIRECT307_MAP) {
        item->file = row->rule->map->file;
        redirect307_stats_entry(row->rule->map, slot - row->rule->counter,
                                &item->match, &item->target, &item->line);
    }
    else {
        item->file = row->rule->file;
        item->line = row->rule->line;
        item->match = redirect307_stats_match(row);
        item->target = redirect307_stats_target(row);
    }
    if (t->counters) {
        item->hits = apr_atomic_read64(&t->counters[slot].hits);
        item->last = apr_atomic_read64(&t->counters[slot].last);
    }
    else {
        item->hits = item->last = 0;
    }
}

apr_uint64_t redirect307_stats_identity_at(const redirect307_stats_table *t,
                                           apr_uint32_t slot)
{
    const redirect307_stats_rule *row = redirect307_stats_owner(t, slot);

    return redirect307_stats_slot_id(row, slot - row->rule->counter,
                                     redirect307_stats_rule_identity(row));
}

const char *redirect307_stats_item_origin(apr_pool_t *p,
                                          const redirect307_stats_item *item)
{
    return apr_psprintf(p, "%s:%u", item->file ? item->file
                        : "(unknown file)", (unsigned)item->line);
}

/* --------------------------------------------------------------------
 * Carrying counts over
 */

redirect307_stats_record *redirect307_stats_records(apr_pool_t *p,
                                    const redirect307_stats_table *t,
                                    apr_size_t *n)
{
    redirect307_stats_record *recs;
    apr_uint32_t i;
    apr_size_t used = 0;

    *n = 0;
    if (!t || !t->counters || !t->rules) {
        return NULL;
    }
    for (i = 0; i < t->slots; i++) {
        if (apr_atomic_read64(&t->counters[i].hits)) {
            used++;
        }
    }
    recs = apr_palloc(p, sizeof(*recs) * (used ? used : 1));
    for (i = 0; i < t->slots && *n < used; i++) {
        apr_uint64_t hits = apr_atomic_read64(&t->counters[i].hits);

        if (hits) {
            recs[*n].identity = redirect307_stats_identity_at(t, i);
            recs[*n].hits = hits;
            recs[*n].last = apr_atomic_read64(&t->counters[i].last);
            recs[*n].slot = i;
            (*n)++;
        }
    }
    return recs;
}

/* Gives counter slot, of identity id, the counts of its record, if any. */
static int redirect307_stats_carry_one(redirect307_stats_table *t,
                                       apr_uint32_t slot, apr_uint64_t id,
                                       const redirect307_stats_record *prev,
                                       const apr_uint32_t *place,
                                       apr_size_t mask)
{
    apr_size_t j;

    for (j = id & mask; place[j] != 0xffffffffU; j = (j + 1) & mask) {
        const redirect307_stats_record *rec = &prev[place[j]];

        if (rec->identity == id) {
            apr_atomic_set64(&t->counters[slot].hits, rec->hits);
            apr_atomic_set64(&t->counters[slot].last, rec->last);
            return 1;
        }
    }
    return 0;
}

/* An open-addressing table of the records' identities: twice as many
 * places as records, so that a lookup takes a step or two.  The counters'
 * identities are made row by row, a row's own once. */
apr_uint32_t redirect307_stats_carry(apr_pool_t *scratch,
                                     redirect307_stats_table *t,
                                     const redirect307_stats_record *prev,
                                     apr_size_t n)
{
    apr_size_t size = 16, mask, i, j;
    apr_uint32_t *place, carried = 0;
    int r;

    if (!n || !t->counters) {
        return 0;
    }
    while (size < 2 * n) {
        size *= 2;
    }
    mask = size - 1;
    place = apr_palloc(scratch, sizeof(*place) * size);
    memset(place, 0xff, sizeof(*place) * size);
    for (i = 0; i < n; i++) {
        for (j = prev[i].identity & mask; place[j] != 0xffffffffU;
             j = (j + 1) & mask) {
            if (prev[place[j]].identity == prev[i].identity) {
                break;          /* the same identity twice: the first */
            }
        }
        if (place[j] == 0xffffffffU) {
            place[j] = (apr_uint32_t)i;
        }
    }
    for (r = 0; r < t->rules->nelts; r++) {
        const redirect307_stats_rule *row =
            &APR_ARRAY_IDX(t->rules, r, redirect307_stats_rule);
        apr_uint64_t identity = redirect307_stats_rule_identity(row);
        apr_uint32_t e, count = redirect307_stats_count_of(row);

        for (e = 0; e < count; e++) {
            carried += redirect307_stats_carry_one(t, row->rule->counter + e,
                redirect307_stats_slot_id(row, e, identity), prev, place,
                mask);
        }
    }
    return carried;
}

/* --------------------------------------------------------------------
 * The state file: little-endian numbers, so that a file means the same
 * on every machine
 */

static void redirect307_put64(unsigned char *b, apr_uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
}

static apr_uint64_t redirect307_get64(const unsigned char *b)
{
    apr_uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = (v << 8) | b[i];
    }
    return v;
}

static apr_status_t redirect307_stats_put(apr_file_t *f, apr_md5_ctx_t *md5,
                                          const unsigned char *b,
                                          apr_size_t len)
{
    apr_md5_update(md5, b, len);
    return apr_file_write_full(f, b, len, NULL);
}

static apr_status_t redirect307_stats_write(apr_file_t *f,
                                            apr_uint64_t since,
                                            const redirect307_stats_record
                                            *recs, apr_size_t n)
{
    unsigned char b[REDIRECT307_STATE_HEADER];
    unsigned char digest[APR_MD5_DIGESTSIZE];
    apr_md5_ctx_t md5;
    apr_status_t rv;
    apr_size_t i;

    apr_md5_init(&md5);
    memcpy(b, REDIRECT307_STATE_MAGIC, 8);
    redirect307_put64(b + 8, REDIRECT307_STATE_VERSION);
    redirect307_put64(b + 16, since);
    redirect307_put64(b + 24, n);
    rv = redirect307_stats_put(f, &md5, b, REDIRECT307_STATE_HEADER);
    for (i = 0; i < n && rv == APR_SUCCESS; i++) {
        redirect307_put64(b, recs[i].identity);
        redirect307_put64(b + 8, recs[i].hits);
        redirect307_put64(b + 16, recs[i].last);
        rv = redirect307_stats_put(f, &md5, b, REDIRECT307_STATE_RECORD);
    }
    apr_md5_final(digest, &md5);
    if (rv == APR_SUCCESS) {
        rv = apr_file_write_full(f, digest, sizeof(digest), NULL);
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_flush(f);
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_sync(f);
    }
    return rv;
}

const char *redirect307_stats_save(apr_pool_t *p, const char *path,
                                   apr_uint64_t since,
                                   const redirect307_stats_record *recs,
                                   apr_size_t n)
{
    const char *tmp = apr_pstrcat(p, path, ".tmp", NULL);
    apr_file_t *f;
    apr_status_t rv, closed;

    rv = apr_file_open(&f, tmp, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                       | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY
                       | APR_FOPEN_BUFFERED, APR_FPROT_UREAD
                       | APR_FPROT_UWRITE, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot write %s: %pm", tmp, &rv);
    }
    rv = redirect307_stats_write(f, since, recs, n);
    closed = apr_file_close(f);
    if (rv == APR_SUCCESS) {
        rv = closed;
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_rename(tmp, path, p);
        if (rv != APR_SUCCESS) {
            apr_file_remove(tmp, p);
            return apr_psprintf(p, "cannot rename %s to %s: %pm", tmp, path,
                                &rv);
        }
        return NULL;
    }
    apr_file_remove(tmp, p);
    return apr_psprintf(p, "cannot write %s: %pm", tmp, &rv);
}

const char *redirect307_stats_parse(apr_pool_t *p, const char *data,
                                    apr_size_t size, apr_uint64_t *since,
                                    redirect307_stats_record **recs,
                                    apr_size_t *n)
{
    const unsigned char *b = (const unsigned char *)data;
    unsigned char digest[APR_MD5_DIGESTSIZE];
    apr_uint64_t version, count;
    apr_size_t i;

    *recs = NULL;
    *n = 0;
    if (size < 8 || memcmp(b, REDIRECT307_STATE_MAGIC, 8)) {
        return "not a mod_redirect307 state file";
    }
    if (size < REDIRECT307_STATE_HEADER + APR_MD5_DIGESTSIZE) {
        return "truncated: too short for its header";
    }
    version = redirect307_get64(b + 8);
    if (version != REDIRECT307_STATE_VERSION) {
        return apr_psprintf(p, "format version %" APR_UINT64_T_FMT ", this "
                            "module reads version %d", version,
                            REDIRECT307_STATE_VERSION);
    }
    count = redirect307_get64(b + 24);
    if (count > (size - REDIRECT307_STATE_HEADER - APR_MD5_DIGESTSIZE)
        / REDIRECT307_STATE_RECORD
        || size != REDIRECT307_STATE_HEADER + APR_MD5_DIGESTSIZE
        + count * REDIRECT307_STATE_RECORD) {
        return apr_psprintf(p, "truncated or extended: %" APR_SIZE_T_FMT
                            " bytes for %" APR_UINT64_T_FMT " counters",
                            size, count);
    }
    apr_md5(digest, b, size - APR_MD5_DIGESTSIZE);
    if (memcmp(digest, b + size - APR_MD5_DIGESTSIZE, APR_MD5_DIGESTSIZE)) {
        return "damaged: the checksum does not match";
    }
    *since = redirect307_get64(b + 16);
    *recs = apr_palloc(p, sizeof(**recs) * (count ? count : 1));
    for (i = 0, b += REDIRECT307_STATE_HEADER; i < count;
         i++, b += REDIRECT307_STATE_RECORD) {
        (*recs)[i].identity = redirect307_get64(b);
        (*recs)[i].hits = redirect307_get64(b + 8);
        (*recs)[i].last = redirect307_get64(b + 16);
        (*recs)[i].slot = REDIRECT307_NO_COUNTER;
    }
    *n = (apr_size_t)count;
    return NULL;
}

const char *redirect307_stats_load(apr_pool_t *p, const char *path,
                                   int *missing, apr_uint64_t *since,
                                   redirect307_stats_record **recs,
                                   apr_size_t *n)
{
    apr_file_t *f;
    apr_finfo_t finfo;
    apr_size_t got = 0;
    apr_status_t rv;
    char *data;

    *missing = 0;
    *recs = NULL;
    *n = 0;
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, p);
    if (APR_STATUS_IS_ENOENT(rv)) {
        *missing = 1;
        return NULL;
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&finfo, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    }
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot read it: %pm", &rv);
    }
    if (finfo.filetype != APR_REG) {
        apr_file_close(f);
        return "not a regular file";
    }
    data = apr_palloc(p, (apr_size_t)finfo.size + 1);
    rv = apr_file_read_full(f, data, (apr_size_t)finfo.size, &got);
    apr_file_close(f);
    if (rv != APR_SUCCESS && !(APR_STATUS_IS_EOF(rv) && got == 0)) {
        return apr_psprintf(p, "cannot read it: %pm", &rv);
    }
    return redirect307_stats_parse(p, data, got, since, recs, n);
}

/* --------------------------------------------------------------------
 * Choosing the rows of a page
 */

typedef struct {
    apr_uint32_t slot;
    apr_uint64_t key;
} redirect307_sort_key;

static int redirect307_key_cmp(const void *a, const void *b)
{
    const redirect307_sort_key *x = a, *y = b;

    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return x->slot < y->slot ? -1 : (x->slot > y->slot);
}

static int redirect307_key_cmp_desc(const void *a, const void *b)
{
    const redirect307_sort_key *x = a, *y = b;

    if (x->key != y->key) {
        return x->key > y->key ? -1 : 1;
    }
    return x->slot < y->slot ? -1 : (x->slot > y->slot);
}

/* Does the row pass the filters of view? */
int redirect307_stats_keep(const redirect307_stats_view *view,
                           const redirect307_stats_item *item)
{
    if (view->before && item->last >= view->before) {
        return 0;
    }
    return !view->q || !*view->q
        || (item->match && strstr(item->match, view->q));
}

apr_uint32_t *redirect307_stats_select(apr_pool_t *p,
                                       const redirect307_stats_table *t,
                                       const redirect307_stats_view *view,
                                       apr_uint32_t *total,
                                       apr_uint32_t *count)
{
    redirect307_sort_key *keys;
    apr_uint32_t *page, slot, kept = 0, i;

    keys = apr_palloc(p, sizeof(*keys) * (t->slots ? t->slots : 1));
    for (slot = 0; slot < t->slots; slot++) {
        redirect307_stats_item item;

        redirect307_stats_item_at(t, slot, &item);
        if (redirect307_stats_keep(view, &item)) {
            keys[kept].slot = slot;
            keys[kept].key = view->sort == REDIRECT307_BY_HITS ? item.hits
                : view->sort == REDIRECT307_BY_LAST ? item.last : slot;
            kept++;
        }
    }
    if (view->sort != REDIRECT307_BY_ORIGIN || view->desc) {
        qsort(keys, kept, sizeof(*keys), view->desc
              ? redirect307_key_cmp_desc : redirect307_key_cmp);
    }
    *total = kept;
    *count = 0;
    page = apr_palloc(p, sizeof(*page) * (view->limit ? view->limit : 1));
    for (i = view->offset; i < kept && *count < view->limit; i++) {
        page[(*count)++] = keys[i].slot;
    }
    return page;
}
