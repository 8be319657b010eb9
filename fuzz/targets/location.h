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
 * The properties of every Location, as the wire fuzzer (fuzz/fuzz307.c)
 * checks them on responses, for the targets that put Locations together:
 * no byte outside 0x21-0x7e, no '%' without two hex digits after it, at
 * most one '#', and the scheme and authority are exactly the ones the
 * target wrote (or this server's, for a path target), so that request data
 * can never change the host; the path is empty (absolute targets only) or
 * starts with '/'.
 */

#ifndef REDIRECT307_FUZZ_LOCATION_H
#define REDIRECT307_FUZZ_LOCATION_H

#include "fuzz.h"

#include "apr_lib.h"
#include "apr_uri.h"

/* The origin a Location built from a path target has. */
#define FUZZ_SELF_ORIGIN "https://self.example:8443"

static const char *fuzz_self_origin(void *baton)
{
    (void)baton;
    return FUZZ_SELF_ORIGIN;
}

/* Checks that text has only bytes 0x21-0x7e and no '%' without two hex
 * digits after it; returns how many '#' it has. */
static int fuzz_check_bytes(const char *text, const char *input)
{
    apr_size_t i;
    int hashes = 0;

    for (i = 0; text[i]; i++) {
        unsigned char c = text[i];

        FUZZ_CHECK(c >= 0x21 && c <= 0x7e, "byte 0x%02x at %zu of '%s' "
                   "from '%s'", c, i, text, input);
        FUZZ_CHECK(c != '%' || (apr_isxdigit(text[i + 1])
                                && apr_isxdigit(text[i + 2])),
                   "'%%' at %zu of '%s' starts no escape; from '%s'", i,
                   text, input);
        hashes += (c == '#');
    }
    return hashes;
}

/* Checks the bytes of location; origin (origin_len bytes) is the
 * "scheme://authority" it must start with, NULL for a path target. */
static void fuzz_check_location(const char *location, const char *origin,
                                apr_size_t origin_len, const char *input)
{
    apr_size_t len = strlen(location);
    int hashes = fuzz_check_bytes(location, input), self = !origin;
    char next;

    FUZZ_CHECK(hashes <= 1, "%d '#' in '%s' from '%s'", hashes, location,
               input);
    if (self) {
        origin = FUZZ_SELF_ORIGIN;
        origin_len = strlen(origin);
    }
    FUZZ_CHECK(len >= origin_len && !memcmp(location, origin, origin_len),
               "'%s' does not start with '%.*s'; from '%s'", location,
               (int)origin_len, origin, input);
    next = location[origin_len];
    FUZZ_CHECK(next == '\0' || next == '/' || next == '?' || next == '#',
               "'%s' extends the authority '%.*s'; from '%s'", location,
               (int)origin_len, origin, input);
    FUZZ_CHECK(next == '/' || !self,
               "the path of '%s' does not start with '/'; from '%s'",
               location, input);
}

#endif /* REDIRECT307_FUZZ_LOCATION_H */
