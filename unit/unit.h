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
 * What every unit test of the core shares: cmocka, APR, a pool per test
 * (cleared after it) and UNIT_MAIN, which runs a file's tests.  Each
 * unit/test_*.c is a program of its own; `make unit` runs them all and
 * adds their counts up.
 */

#ifndef REDIRECT307_UNIT_H
#define REDIRECT307_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "../redirect307_private.h"

/* The pool of the running test. */
extern apr_pool_t *unit_pool;

/* A test: void name(void **state); the state is unused, use unit_pool. */
#define UNIT_TEST(name) cmocka_unit_test_setup_teardown(name, \
    unit_setup, unit_teardown)

int unit_setup(void **state);
int unit_teardown(void **state);

/* main() of a test file: runs tests[] as the group name. */
#define UNIT_MAIN(name, tests) \
    apr_pool_t *unit_pool; \
    static apr_pool_t *unit_root; \
    int unit_setup(void **state) \
    { \
        (void)state; \
        return apr_pool_create(&unit_pool, unit_root) != APR_SUCCESS; \
    } \
    int unit_teardown(void **state) \
    { \
        (void)state; \
        apr_pool_destroy(unit_pool); \
        unit_pool = NULL; \
        return 0; \
    } \
    int main(void) \
    { \
        int failed; \
        apr_initialize(); \
        apr_pool_create(&unit_root, NULL); \
        failed = cmocka_run_group_tests_name(name, tests, NULL, NULL); \
        apr_pool_destroy(unit_root); \
        apr_terminate(); \
        return failed ? 1 : 0; \
    }

/* Compares two strings, either of which may be NULL. */
#define assert_str(actual, expected) do { \
        const char *unit_a = (actual), *unit_e = (expected); \
        if (unit_a == NULL || unit_e == NULL) { \
            assert_ptr_equal(unit_a, unit_e); \
        } \
        else { \
            assert_string_equal(unit_a, unit_e); \
        } \
    } while (0)

#endif /* REDIRECT307_UNIT_H */
