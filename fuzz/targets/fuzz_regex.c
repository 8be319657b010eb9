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
 * Fuzz target: the literal start of a regex (redirect307_regex_literal).
 * The input is a regex, up to a '\n', then a subject.  When the function
 * returns a literal L, the regex compiled as httpd compiles it (PCRE2 with
 * DOTALL and DOLLAR_ENDONLY, httpd's default RegexDefaultOptions) must not
 * match any subject that does not start with L: the comparison with L
 * must never rule out a path the regex matches.  Tried on the subject,
 * and on the subject after every start of L, after L with one byte
 * changed or its case flipped, and after L itself.  A regex that does not
 * compile is skipped, as httpd -t refuses it.
 */

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fuzz.h"

#include "apr_lib.h"

typedef struct {
    pcre2_code *code;
    pcre2_match_data *match;
    pcre2_match_context *limits;
    const char *regex;
    const char *literal;
    apr_size_t literal_len;
} fuzz_regex;

/* A match of subject must start with the literal. */
static void fuzz_try(const fuzz_regex *re, const char *subject)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject,
                         PCRE2_ZERO_TERMINATED, 0, 0, re->match,
                         re->limits);

    FUZZ_CHECK(rc < 0 || !strncmp(subject, re->literal, re->literal_len),
               "'%s' matches '%s', which does not start with '%s'",
               re->regex, subject, re->literal);
}

static void fuzz_subjects(apr_pool_t *p, const fuzz_regex *re,
                          const char *rest)
{
    char *changed = apr_pstrcat(p, re->literal, rest, NULL);
    apr_size_t i;

    fuzz_try(re, rest);
    fuzz_try(re, changed);
    for (i = 0; i < re->literal_len; i++) {
        char c = changed[i];

        fuzz_try(re, apr_pstrcat(p, apr_pstrmemdup(p, re->literal, i),
                                 rest, NULL));
        changed[i] = (char)(c + 1);
        fuzz_try(re, changed);
        if (apr_isalpha(c)) {
            changed[i] = (char)(apr_isupper(c) ? apr_tolower(c)
                                : apr_toupper(c));
            fuzz_try(re, changed);
        }
        changed[i] = c;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *regex = fuzz_string(p, data, size), *rest;
    fuzz_regex re;
    int error;
    PCRE2_SIZE offset;

    if ((rest = strchr(regex, '\n'))) {
        *rest++ = '\0';
    }
    else {
        rest = "";
    }
    FUZZ_CHECK(!redirect307_regex_literal(p, regex, 1, &re.literal)
               && !re.literal, "'%s' with options set", regex);
    re.literal_len = redirect307_regex_literal(p, regex, 0, &re.literal);
    FUZZ_CHECK(re.literal_len ? strlen(re.literal) == re.literal_len
               : (!re.literal || !*re.literal), "literal of '%s'", regex);
    if (!re.literal_len) {
        return 0;
    }
    re.regex = regex;
    re.code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                            PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY, &error,
                            &offset, NULL);
    if (!re.code) {
        return 0;
    }
    re.match = pcre2_match_data_create_from_pattern(re.code, NULL);
    re.limits = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(re.limits, 100000);
    pcre2_set_depth_limit(re.limits, 1000);
    fuzz_subjects(p, &re, rest);
    pcre2_match_context_free(re.limits);
    pcre2_match_data_free(re.match);
    pcre2_code_free(re.code);
    return 0;
}
