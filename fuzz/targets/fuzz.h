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
 * What the in-process fuzz targets share: APR set up once, a pool cleared
 * after every input, and FUZZ_CHECK, which aborts with a message when a
 * property does not hold (libFuzzer and the replay driver then report the
 * input).
 */

#ifndef REDIRECT307_FUZZ_H
#define REDIRECT307_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "../../redirect307_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A pool for one input: created on the first call, cleared on the next. */
static apr_pool_t *fuzz_pool(void)
{
    static apr_pool_t *pool;

    if (!pool) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
    }
    else {
        apr_pool_clear(pool);
    }
    return pool;
}

/* The input as a NUL-terminated string from the pool (NUL bytes in it end
 * it early, as they would in a header or a configuration line). */
static char *fuzz_string(apr_pool_t *p, const uint8_t *data, size_t size)
{
    return apr_pstrmemdup(p, (const char *)data, size);
}

#define FUZZ_CHECK(cond, ...) do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fputc('\n', stderr); \
            abort(); \
        } \
    } while (0)

#endif /* REDIRECT307_FUZZ_H */
