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
 * What a trusted proxy says about the scheme the client used: the
 * Forwarded header of RFC 7239 and X-Forwarded-Proto.
 */

#include "apr_lib.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* "http" or "https" for a forwarded value, NULL for anything else. */
static const char *redirect307_proto_value(const char *value, apr_size_t len)
{
    while (len && apr_isspace(*value)) {
        value++;
        len--;
    }
    while (len && apr_isspace(value[len - 1])) {
        len--;
    }
    if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
        value++;
        len -= 2;
    }
    if (len == 4 && !strncasecmp(value, "http", 4)) {
        return "http";
    }
    if (len == 5 && !strncasecmp(value, "https", 5)) {
        return "https";
    }
    return NULL;
}

/* The end of a list item of a Forwarded header (RFC 7239): the first of
 * the bytes in stops outside a quoted-string, or the end of the text. */
static const char *redirect307_forwarded_end(const char *s, const char *stops)
{
    int quoted = 0;

    for (; *s; s++) {
        if (quoted && *s == '\\' && s[1]) {
            s++;
        }
        else if (*s == '"') {
            quoted = !quoted;
        }
        else if (!quoted && strchr(stops, *s)) {
            break;
        }
    }
    return s;
}

/* "http" or "https" from the proto= of the last element of a Forwarded
 * header (the one the proxy next to us added), or NULL.  Elements are separated by ',' and pairs by
 * ';', outside quoted-strings. */
const char *redirect307_forwarded_proto(const char *header)
{
    const char *element = header, *end, *pair;

    while (*(end = redirect307_forwarded_end(element, ","))) {
        element = end + 1;
    }
    for (pair = element; pair < end; pair++) {
        const char *stop = redirect307_forwarded_end(pair, ";,");

        while (apr_isspace(*pair)) {
            pair++;
        }
        if (!strncasecmp(pair, "proto=", 6)) {
            return redirect307_proto_value(pair + 6, stop - (pair + 6));
        }
        pair = stop;
    }
    return NULL;
}

/* "http" or "https" from the last value of X-Forwarded-Proto, or NULL. */
const char *redirect307_x_forwarded_proto(const char *header)
{
    const char *value = strrchr(header, ',');

    value = value ? value + 1 : header;
    return redirect307_proto_value(value, strlen(value));
}
