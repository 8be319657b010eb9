#!/usr/bin/python3
"""curl driver: `curl -L` POSTs (--data-binary) and PUTs (-T) to redirecting
URLs over HTTP/1.1, HTTP/1.1 over TLS, HTTP/2 over TLS (ALPN) and h2c
(prior knowledge), plus the 303/302 controls.  Writes one record per
request (clientlib.emit); check.py judges them."""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

CURL = os.environ.get("CURL", "curl")


def version():
    first = subprocess.run([CURL, "--version"], capture_output=True, text=True,
                           timeout=10).stdout.splitlines()[0]
    return first.split()[1]


H11 = ["--http1.1"]
H2 = ["--http2"]                      # over TLS: ALPN h2
H2C = ["--http2-prior-knowledge"]     # cleartext h2c

# (case, rule, via, method, curl protocol options, required HTTP version)
CASES = [
    ("curl-post-http11", "307", "http", "POST", H11, None),
    ("curl-put-http11", "307", "http", "PUT", H11, None),
    ("curl-post-https11", "307", "https", "POST", H11, None),
    ("curl-put-https11", "307", "https", "PUT", H11, None),
    ("curl-post-h2", "307", "https", "POST", H2, "2"),
    ("curl-put-h2", "307", "https", "PUT", H2, "2"),
    ("curl-post-h2c", "307", "h2c", "POST", H2C, "2"),
    ("curl-put-h2c", "307", "h2c", "PUT", H2C, "2"),
    # controls: the same client, a 303 or 302 -- the method must change
    ("curl-post-303", "303", "http", "POST", H11, None),
    ("curl-put-303", "303", "http", "PUT", H11, None),
    ("curl-post-302", "302", "http", "POST", H11, None),
    ("curl-post-h2-303", "303", "https", "POST", H2, "2"),
]


def main():
    ver = version()
    work = tempfile.mkdtemp(dir=os.path.join(cl.OUT, "work"))
    post_file = os.path.join(work, "post.bin")
    put_file = os.path.join(work, "put.bin")
    with open(post_file, "wb") as f:
        f.write(cl.POST_BODY)
    with open(put_file, "wb") as f:
        f.write(cl.PUT_BODY)

    for case, rule, via, method, proto, want in CASES:
        if method == "POST":
            body, ctype, how = cl.POST_BODY, cl.POST_TYPE, "--data-binary"
            send = ["--data-binary", "@" + post_file]
        else:
            body, ctype, how = cl.PUT_BODY, cl.PUT_TYPE, "-T"
            send = ["-T", put_file]
        retries = []
        tries = cl.HTTP2_TRIES if proto != H11 else 1
        for n in range(1, tries + 1):
            rec = cl.new_case("curl", ver, cl.attempt_id(case, n), rule, via,
                              method, body, ctype, want, how)
            exit_code = run(rec, work, proto, send, ctype)
            if exit_code not in cl.CURL_HTTP2_ERRORS or n == tries:
                break
            rec["client_errno"] = exit_code
            retries.append("%s: %s" % (rec["case"], rec["error"]))
            rec["superseded"] = True
            cl.emit(rec)
        rec["retries"] = retries
        cl.emit(rec)


def run(rec, work, proto, send, ctype):
    """One curl run for rec; fills in what curl and the echo reported and
    returns curl's exit status (None when curl could not be run)."""
    out_file = os.path.join(work, rec["case"] + ".out")
    # no -X: curl itself decides the method after each redirect
    cmd = [CURL, "-sS", "-L", "--max-redirs", "3", "--max-time", "20",
           "--cacert", cl.ca_file(), *proto, *send,
           "-H", "Content-Type: " + ctype,
           "-o", out_file, "-w", "%{json}", rec["url"]]
    rec["command"] = " ".join(c if " " not in c else "'%s'" % c for c in cmd)
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=30)
    except Exception as e:  # a broken run is a failed case, not a crash
        rec["error"] = "%s: %s" % (type(e).__name__, e)
        return None
    try:
        info = json.loads(res.stdout.decode("utf-8") or "{}")
        rec["client_protocol"] = str(info.get("http_version", ""))
        rec["client_status"] = info.get("response_code")
        rec["redirects"] = info.get("num_redirects")
        rec["final_url"] = info.get("url_effective")
        if res.returncode != 0:
            rec["error"] = "curl exit %d: %s" % (
                res.returncode, res.stderr.decode("utf-8", "replace").strip())
        else:
            with open(out_file, "rb") as f:
                rec["echo"] = cl.parse_echo(f.read())
    except Exception as e:
        rec["error"] = "%s: %s" % (type(e).__name__, e)
    return res.returncode

if __name__ == "__main__":
    main()
