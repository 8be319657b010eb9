/* Per-allocation pool memory for the sanitizer build of mod_redirect307.
 *
 * APR pools hand out memory from large blocks, so AddressSanitizer cannot
 * see a read or write past the end of one pool allocation (it lands in the
 * next one) nor the use of pool memory after the pool was cleared (the
 * block is recycled, not freed).  sanitize/build-asan.sh compiles the module
 * with "-include sanitize/pool-debug.h": every apr_palloc (and so apr_pcalloc),
 * apr_pstrdup, apr_pstrmemdup and apr_pmemdup the module itself calls gets
 * its own malloc()ed block, freed by a cleanup of the pool it was asked
 * from.  ASan then reports an overflow of any of them, and a use after the
 * pool is cleared or destroyed.  Allocations made inside APR and httpd
 * (apr_psprintf, apr_pstrcat, tables, hashes) are unchanged.
 *
 * Only for that build: it costs a malloc and a cleanup per allocation.
 */
#ifndef R307_POOL_DEBUG_H
#define R307_POOL_DEBUG_H

#include <stdlib.h>
#include <string.h>

#include "apr_pools.h"
#include "apr_strings.h"

static apr_status_t r307_dbg_free(void *mem)
{
    free(mem);
    return APR_SUCCESS;
}

/* the new block is passed to apr_pool_cleanup_register as "const void *"
 * data; it is only stored there, not read */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
static void *r307_dbg_palloc(apr_pool_t *p, apr_size_t size)
{
    void *mem = malloc(size ? size : 1);

    if (!mem) {
        abort();
    }
    apr_pool_cleanup_register(p, mem, r307_dbg_free, apr_pool_cleanup_null);
    return mem;
}
#pragma GCC diagnostic pop

static void *r307_dbg_pmemdup(apr_pool_t *p, const void *m, apr_size_t n)
{
    void *mem;

    if (!m) {
        return NULL;
    }
    mem = r307_dbg_palloc(p, n);
    memcpy(mem, m, n);
    return mem;
}

static char *r307_dbg_pstrmemdup(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *mem;

    if (!s) {
        return NULL;
    }
    mem = r307_dbg_palloc(p, n + 1);
    memcpy(mem, s, n);
    mem[n] = '\0';
    return mem;
}

static char *r307_dbg_pstrdup(apr_pool_t *p, const char *s)
{
    return s ? r307_dbg_pstrmemdup(p, s, strlen(s)) : NULL;
}

#undef apr_palloc
#define apr_palloc(p, size)          r307_dbg_palloc((p), (size))
#define apr_pmemdup(p, m, n)         r307_dbg_pmemdup((p), (m), (n))
#define apr_pstrmemdup(p, s, n)      r307_dbg_pstrmemdup((p), (s), (n))
#define apr_pstrdup(p, s)            r307_dbg_pstrdup((p), (s))

#endif /* R307_POOL_DEBUG_H */
