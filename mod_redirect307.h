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

/**
 * @file mod_redirect307.h
 * @brief Interface other modules can use to ask mod_redirect307 where a
 * request would be redirected, without redirecting it.
 *
 * Usage from another module:
 * @code
 * static APR_OPTIONAL_FN_TYPE(redirect307_location) *location_fn;
 *
 * static void retrieve(void)
 * {
 *     location_fn = APR_RETRIEVE_OPTIONAL_FN(redirect307_location);
 * }
 * ...  ap_hook_optional_fn_retrieve(retrieve, NULL, NULL, APR_HOOK_MIDDLE);
 *
 * const char *rule;
 * const char *where = location_fn ? location_fn(r, &rule) : NULL;
 * @endcode
 */

#ifndef MOD_REDIRECT307_H
#define MOD_REDIRECT307_H

#include "apr_optional.h"
#include "httpd.h"

/**
 * The Location mod_redirect307 would send for a request, or NULL.
 *
 * The rules of the request's virtual host are tried first, then those of
 * the per-directory configuration the request has at the time of the call
 * (call it from a hook that runs after the directory walk, such as fixups or
 * a handler, to see every rule).  Redirect307Engine, Redirect307QueryString,
 * Redirect307TrustedProxy and the loop guard apply as for a real redirect.
 * Nothing is sent, no header and no environment variable is set.
 *
 * @param r The request
 * @param rule If not NULL, receives the origin of the matching rule
 *        ("file:line"), or NULL when nothing matches
 * @return The absolute URL, allocated from r->pool, or NULL
 */
APR_DECLARE_OPTIONAL_FN(const char *, redirect307_location,
                        (request_rec *r, const char **rule));

#endif /* MOD_REDIRECT307_H */
