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
 * Fuzz target: Forwarded and X-Forwarded-Proto values.  The answer is
 * always NULL, "http" or "https", and "https" only when the text holds
 * the word.
 */

#include "fuzz.h"

static void check(const char *value, const char *input)
{
    FUZZ_CHECK(!value || !strcmp(value, "http") || !strcmp(value, "https"),
               "'%s' from '%s'", value, input);
    FUZZ_CHECK(!value || strcasestr(input, value), "'%s' from '%s'", value,
               input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *header = fuzz_string(p, data, size);

    check(redirect307_forwarded_proto(header), header);
    check(redirect307_x_forwarded_proto(header), header);
    return 0;
}
