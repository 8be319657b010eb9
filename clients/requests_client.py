#!/usr/bin/python3
"""Python requests driver (Debian's python3-requests, so run it with
/usr/bin/python3): POST and PUT with a body to redirecting URLs, over
HTTP/1.1 and HTTP/1.1 over TLS, plus the 303/302 controls.  requests follows
redirects by default; it writes one record per request (clientlib.emit)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402
import requests  # noqa: E402

# (case, rule, via, method)
CASES = [
    ("requests-post-http11", "307", "http", "POST"),
    ("requests-put-http11", "307", "http", "PUT"),
    ("requests-post-https11", "307", "https", "POST"),
    ("requests-put-https11", "307", "https", "PUT"),
    # controls: the method must change
    ("requests-post-303", "303", "http", "POST"),
    ("requests-put-303", "303", "http", "PUT"),
    ("requests-post-302", "302", "http", "POST"),
    ("requests-post-https-303", "303", "https", "POST"),
]


def main():
    ver = requests.__version__
    session = requests.Session()
    for case, rule, via, method in CASES:
        if method == "POST":
            body, ctype = cl.POST_BODY, cl.POST_TYPE
        else:
            body, ctype = cl.PUT_BODY, cl.PUT_TYPE
        rec = cl.new_case("requests", ver, case, rule, via, method, body,
                          ctype, how="data=bytes")
        try:
            # allow_redirects=True is requests' default for every method
            r = session.request(method, rec["url"], data=body,
                                headers={"Content-Type": ctype},
                                verify=cl.ca_file(), timeout=20)
            rec["client_status"] = r.status_code
            rec["redirects"] = len(r.history)
            rec["history"] = [h.status_code for h in r.history]
            rec["final_url"] = r.url
            rec["client_protocol"] = {10: "1.0", 11: "1.1"}.get(
                r.raw.version, str(r.raw.version))
            if r.status_code != 200:
                rec["error"] = "final status %d" % r.status_code
            else:
                rec["echo"] = cl.parse_echo(r.content)
        except Exception as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
        cl.emit(rec)


if __name__ == "__main__":
    main()
