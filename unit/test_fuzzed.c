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
 * Inputs the fuzz targets of fuzz/targets/ found broken, each kept as a
 * unit test of the behaviour that was fixed (the inputs themselves stay in
 * fuzz/corpus/).
 */

#include "unit.h"

static const char *unit_self(void *baton)
{
    return "https://self.example";
}

/* The Location of a literal target, with a remainder and a query. */
static const char *unit_location(const char *target, const char *args,
                                 const char *remainder,
                                 redirect307_parts *parts)
{
    redirect307_url url;
    redirect307_request req;

    memset(&req, 0, sizeof(req));
    req.pool = unit_pool;
    req.args = args;
    req.self_origin = unit_self;
    assert_null(redirect307_parse_url(unit_pool, unit_pool, target, &url));
    redirect307_url_parts(&url, parts);
    return redirect307_assemble(&req, parts, remainder);
}

/* fuzz/corpus/target/literal-userinfo-percent: the origin ended 2 bytes
 * early once the '%' was cleaned, so the loop guard and the chain check
 * read the wrong host */
static void userinfo_percent_keeps_the_origin(void **state)
{
    redirect307_parts parts;

    assert_str(unit_location("http://u%@e.example/u", NULL, "x", &parts),
               "http://u%25@e.example/u/x");
    assert_int_equal(parts.origin_len, strlen("http://u%25@e.example"));
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
    assert_str(unit_location("http://u%@e.example", "q=1", NULL, &parts),
               "http://u%25@e.example?q=1");
    assert_true(redirect307_origin_has_host(&parts, "e.example"));
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(userinfo_percent_keeps_the_origin),
};

UNIT_MAIN("fuzzed", tests)
