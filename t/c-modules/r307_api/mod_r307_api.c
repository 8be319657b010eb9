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

/* mod_r307_api: a module of the test suite (t/ship_api.t) that uses
 * mod_redirect307's optional function redirect307_location the way another
 * module would.  Apache::Test builds it with apxs from t/c-modules/ and
 * loads it into the test server.
 *
 * Its handler "r307-api" answers GET with text/plain:
 *
 *     location: <what the function returned, or NULL>
 *     rule: <what it stored in *rule, or NULL>
 *     asked: request | subrequest <URI>
 *     status: <the status of the sub-request>       (subrequest only)
 *     without-rule: same | differs                  (rule argument NULL)
 *     env: <REDIRECT307_RULE of this request, or NULL>
 *     location-header: <Location of this response so far, or NULL>
 *
 * With a query string, it is percent-decoded into a URI (with its own
 * query, if any) and the function is asked about a sub-request for it
 * (ap_sub_req_lookup_uri).  The sub-request runs translate_name to fixups,
 * so a rule that matches it has already set its status to 307 by then;
 * the function answers all the same.  Without a query string the function
 * is asked about this request itself.
 */

#include "apr_optional.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "../../../mod_redirect307.h"

module AP_MODULE_DECLARE_DATA r307_api_module;

static APR_OPTIONAL_FN_TYPE(redirect307_location) *r307_api_location_fn;

/* a value the function must overwrite, NULL included */
static const char r307_api_unset[] = "(not set by the function)";

static void r307_api_retrieve(void)
{
    r307_api_location_fn = APR_RETRIEVE_OPTIONAL_FN(redirect307_location);
}

static const char *r307_api_show(const char *value)
{
    return value ? value : "NULL";
}

static int r307_api_handler(request_rec *r)
{
    request_rec *asked = r;
    const char *location, *again, *rule = r307_api_unset;
    char *uri = NULL;

    if (!r->handler || strcmp(r->handler, "r307-api")) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!r307_api_location_fn) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "r307_api: the optional function redirect307_location "
                      "is not registered (is mod_redirect307 loaded?)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (r->args && *r->args) {
        uri = apr_pstrdup(r->pool, r->args);
        if (ap_unescape_all(uri) != OK || uri[0] != '/') {
            return HTTP_BAD_REQUEST;
        }
        asked = ap_sub_req_lookup_uri(uri, r, NULL);
    }

    location = r307_api_location_fn(asked, &rule);
    again = r307_api_location_fn(asked, NULL);

    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "location: %s\n", r307_api_show(location));
    ap_rprintf(r, "rule: %s\n", r307_api_show(rule));
    if (asked == r) {
        ap_rputs("asked: request\n", r);
    }
    else {
        ap_rprintf(r, "asked: subrequest %s\n", uri);
        ap_rprintf(r, "status: %d\n", asked->status);
    }
    ap_rprintf(r, "without-rule: %s\n",
               (location == again
                || (location && again && !strcmp(location, again)))
               ? "same" : "differs");
    ap_rprintf(r, "env: %s\n",
               r307_api_show(apr_table_get(r->subprocess_env,
                                           "REDIRECT307_RULE")));
    ap_rprintf(r, "location-header: %s\n",
               r307_api_show(apr_table_get(r->headers_out, "Location")));
    if (asked != r) {
        ap_destroy_sub_req(asked);
    }
    return OK;
}

static void r307_api_register_hooks(apr_pool_t *p)
{
    ap_hook_optional_fn_retrieve(r307_api_retrieve, NULL, NULL,
                                 APR_HOOK_MIDDLE);
    ap_hook_handler(r307_api_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(r307_api) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* create per-directory config */
    NULL,                       /* merge per-directory config */
    NULL,                       /* create per-server config */
    NULL,                       /* merge per-server config */
    NULL,                       /* directives */
    r307_api_register_hooks,    /* hooks */
    AP_MODULE_FLAG_NONE
};
