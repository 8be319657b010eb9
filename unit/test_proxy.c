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
 * Unit tests of redirect307_proxy.c: the scheme in Forwarded and
 * X-Forwarded-Proto values.
 */

#include "unit.h"

static void forwarded_last_element(void **state)
{
    assert_str(redirect307_forwarded_proto("proto=https"), "https");
    assert_str(redirect307_forwarded_proto("proto=http, proto=https"),
               "https");
    assert_str(redirect307_forwarded_proto("proto=https, for=1.2.3.4"),
               NULL);
    assert_str(redirect307_forwarded_proto("for=1.2.3.4;proto=HTTPS"),
               "https");
    assert_str(redirect307_forwarded_proto(" for=x ; proto=http "), "http");
}

static void forwarded_quoted_strings(void **state)
{
    assert_str(redirect307_forwarded_proto("for=1.2.3.4;proto=https;"
                                           "host=\"a,b\""), "https");
    assert_str(redirect307_forwarded_proto("for=\"a,b\";proto=http, "
                                           "for=1.2.3.4;proto=https"),
               "https");
    assert_str(redirect307_forwarded_proto("host=\"x;proto=http\";"
                                           "proto=https"), "https");
    assert_str(redirect307_forwarded_proto("proto=https;host=\"x\\\"y,z\""),
               "https");
    assert_str(redirect307_forwarded_proto("proto=\"https\""), "https");
    assert_str(redirect307_forwarded_proto("proto=https, for=\"x,proto=http"
                                           "\""), NULL);
    /* an unterminated quote runs to the end */
    assert_str(redirect307_forwarded_proto("proto=https;host=\"a,b"),
               "https");
}

static void forwarded_refused_values(void **state)
{
    assert_str(redirect307_forwarded_proto("proto=ftp"), NULL);
    assert_str(redirect307_forwarded_proto("proto=javascript"), NULL);
    assert_str(redirect307_forwarded_proto("proto="), NULL);
    assert_str(redirect307_forwarded_proto("proto=\"\""), NULL);
    assert_str(redirect307_forwarded_proto("proto=https x"), NULL);
    assert_str(redirect307_forwarded_proto(""), NULL);
    assert_str(redirect307_forwarded_proto(","), NULL);
    assert_str(redirect307_forwarded_proto("xproto=https"), NULL);
}

static void x_forwarded_proto(void **state)
{
    assert_str(redirect307_x_forwarded_proto("https"), "https");
    assert_str(redirect307_x_forwarded_proto("http, https"), "https");
    assert_str(redirect307_x_forwarded_proto("https, http"), "http");
    assert_str(redirect307_x_forwarded_proto(" HTTPS "), "https");
    assert_str(redirect307_x_forwarded_proto("https;x"), NULL);
    assert_str(redirect307_x_forwarded_proto("https,"), NULL);
    assert_str(redirect307_x_forwarded_proto(""), NULL);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(forwarded_last_element),
    UNIT_TEST(forwarded_quoted_strings),
    UNIT_TEST(forwarded_refused_values),
    UNIT_TEST(x_forwarded_proto),
};

UNIT_MAIN("redirect307_proxy", tests)
