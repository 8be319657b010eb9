#!/usr/bin/python3
"""PHP cURL driver: each request is made by php_client.php (PHP's cURL
extension, CURLOPT_FOLLOWLOCATION) -- POST with CURLOPT_POSTFIELDS, PUT as
libcurl's upload (CURLOPT_UPLOAD) and as CURLOPT_CUSTOMREQUEST "PUT" with
CURLOPT_POSTFIELDS -- over HTTP/1.1, HTTP/1.1 over TLS and HTTP/2 over TLS,
plus the 303/302 controls.  This wrapper builds the cases and writes one
record per request (clientlib.emit)."""

import base64
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PHP = os.environ.get("PHP", "php")

# (case, rule, via, method, style, HTTP version asked for)
CASES = [
    ("php-post-http11", "307", "http", "POST", "postfields", "1.1"),
    ("php-put-http11", "307", "http", "PUT", "upload", "1.1"),
    ("php-putcustom-http11", "307", "http", "PUT", "postfields", "1.1"),
    ("php-post-https11", "307", "https", "POST", "postfields", "1.1"),
    ("php-post-h2", "307", "https", "POST", "postfields", "2"),
    ("php-putcustom-h2", "307", "https", "PUT", "postfields", "2"),
    # No UPLOAD over HTTP/2: libcurl sends the body at once there (no
    # "Expect: 100-continue" as with HTTP/1.1) and must rewind it for the
    # second request, which PHP cannot (no seek callback for CURLOPT_INFILE):
    # cURL error 65, whatever the redirect.
    # controls: the method must change (a CURLOPT_CUSTOMREQUEST method is
    # kept by libcurl whatever the status, so it has no control)
    ("php-post-303", "303", "http", "POST", "postfields", "1.1"),
    ("php-put-303", "303", "http", "PUT", "upload", "1.1"),
    ("php-post-302", "302", "http", "POST", "postfields", "1.1"),
]

HOW = {("POST", "postfields"): "POSTFIELDS",
       ("PUT", "upload"): "UPLOAD",
       ("PUT", "postfields"): "CUSTOMREQUEST+POSTFIELDS"}


def version():
    out = subprocess.run(
        [PHP, "-r", 'echo curl_version()["version"], " ", PHP_VERSION;'],
        capture_output=True, text=True, timeout=20).stdout.split()
    return "%s (PHP %s)" % (out[0], out[1])


def run(rec, work, style, http_version):
    body = base64.b64decode(rec["body_base64"])
    body_file = os.path.join(work, rec["case"] + ".body")
    spec_file = os.path.join(work, rec["case"] + ".json")
    with open(body_file, "wb") as f:
        f.write(body)
    with open(spec_file, "w", encoding="utf-8") as f:
        json.dump({"url": rec["url"], "method": rec["method"], "style": style,
                   "body_file": body_file, "content_type": rec["content_type"],
                   "cafile": cl.ca_file(), "http_version": http_version}, f)
    rec["command"] = "%s %s %s" % (PHP, os.path.join(HERE, "php_client.php"),
                                   spec_file)
    try:
        res = subprocess.run([PHP, os.path.join(HERE, "php_client.php"),
                              spec_file], capture_output=True, timeout=30)
        info = json.loads(res.stdout.decode("utf-8"))
    except Exception as e:
        rec["error"] = "%s: %s" % (type(e).__name__, e)
        return None
    rec["client_protocol"] = info["http_version"]
    rec["client_status"] = info["status"]
    rec["redirects"] = info["redirects"]
    rec["final_url"] = info["final_url"]
    try:
        if info["errno"]:
            rec["error"] = "cURL error %d: %s" % (info["errno"], info["error"])
        elif info["status"] != 200:
            rec["error"] = "final status %d" % info["status"]
        else:
            rec["echo"] = cl.parse_echo(base64.b64decode(info["body_base64"]))
    except Exception as e:
        rec["error"] = "%s: %s" % (type(e).__name__, e)
    return info["errno"]


def main():
    ver = version()
    work = tempfile.mkdtemp(dir=os.path.join(cl.OUT, "work"))
    for case, rule, via, method, style, http_version in CASES:
        if method == "POST":
            body, ctype = cl.POST_BODY, cl.POST_TYPE
        else:
            body, ctype = cl.PUT_BODY, cl.PUT_TYPE
        want = "2" if http_version == "2" else None
        retries = []
        tries = cl.HTTP2_TRIES if want else 1
        for n in range(1, tries + 1):
            rec = cl.new_case("php", ver, cl.attempt_id(case, n), rule, via,
                              method, body, ctype, want, HOW[method, style])
            errno = run(rec, work, style, http_version)
            if errno not in cl.CURL_HTTP2_ERRORS or n == tries:
                break
            rec["client_errno"] = errno
            retries.append("%s: %s" % (rec["case"], rec["error"]))
            rec["superseded"] = True
            cl.emit(rec)
        rec["retries"] = retries
        cl.emit(rec)


if __name__ == "__main__":
    main()
