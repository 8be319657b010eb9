"""Shared pieces of the client drivers and the check (clients/run.sh).

Every driver sends requests to a redirecting URL, lets its client follow
the redirect, and appends one JSON record per request to
$CLIENTS_OUT/results/<client>.jsonl: what was sent (method, body, URLs)
and what the echo endpoint at the end of the redirect reported back.
check.py judges the records; drivers only report.
"""

import base64
import json
import os
from urllib.parse import urlsplit

OUT = os.environ.get("CLIENTS_OUT", "")
HOST = "127.0.0.1"

# Bodies sent by the non-browser clients.  POST: a form with characters
# that are percent-encoded on the wire.  PUT: 16 KiB of every byte value
# (NUL, CR, LF, 0xFF ...) in a fixed pseudo-random order, so a body that is
# truncated, re-encoded or replaced shows.  16 KiB fits into HTTP/2's
# initial flow-control window (64 KiB), so a client can send all of it
# without waiting for the server; a larger upload is always still running
# when the 307 arrives, which curl 7.88 cannot cope with over HTTP/2 (see
# HTTP2_TRIES below).
POST_BODY = b"name=r307&text=caf%C3%A9+%26+cr%C3%A8me+%3D+100%25&n=307"
POST_TYPE = "application/x-www-form-urlencoded"


def _put_body(size=16384):
    x = 307
    out = bytearray()
    for _ in range(size):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


PUT_BODY = _put_body()
PUT_TYPE = "application/octet-stream"


def port(name):
    """name: http (HTTP/1.1 and h2c), tls (HTTP/1.1 and h2), h2c (the
    second cleartext listener, target of the h2c rule)."""
    return int(os.environ["CLIENTS_%s_PORT" % name.upper()])


def ca_file():
    return os.environ["CLIENTS_CA"]


def origin(scheme, name):
    return "%s://%s:%d" % (scheme, HOST, port(name))


def route(rule, via, tail):
    """(start URL without query, expected Location without query, path the
    echo endpoint should see) for a rule reached via a listener.

    via "http":  Redirect307 /r307/old /echo/r307 (server level)
    via "https": Redirect307 /tls/old /tls/new (TLS virtual host)
    via "h2c":   Redirect307 /h2c/old http://127.0.0.1:<h2c port>/h2c/new
    rule "303"/"302", any via: mod_alias Redirect 30x /r30x/old /echo/r30x
    """
    start_origin = origin("https", "tls") if via == "https" else origin("http", "http")
    if rule == "307":
        if via == "https":
            return (start_origin + "/tls/old/" + tail,
                    start_origin + "/tls/new/" + tail, "/tls/new/" + tail)
        if via == "h2c":
            target = origin("http", "h2c")
            return (start_origin + "/h2c/old/" + tail,
                    target + "/h2c/new/" + tail, "/h2c/new/" + tail)
        return (start_origin + "/r307/old/" + tail,
                start_origin + "/echo/r307/" + tail, "/echo/r307/" + tail)
    if rule in ("302", "303"):
        return (start_origin + "/r%s/old/%s" % (rule, tail),
                start_origin + "/echo/r%s/%s" % (rule, tail),
                "/echo/r%s/%s" % (rule, tail))
    raise ValueError(rule)


def new_case(client, version, case, rule, via, method, body, content_type,
             want_protocol=None, how="", tail=None):
    """A record with everything known before the request is sent.  case is
    "<client>-<rest>"; <rest> becomes the last path segment unless tail is
    given."""
    if tail is None:
        tail = case.split("-", 1)[1]
    start, location, target_path = route(rule, via, tail)
    query = "case=" + case
    return {
        "client": client,
        "version": version,
        "case": case,
        "how": how,                       # e.g. "fetch()", "form"
        "rule": rule,
        "expect": "kept" if rule == "307" else "changed",
        "tls": via == "https",
        "want_protocol": want_protocol,   # "2" where HTTP/2 is required
        "method": method,
        "body_base64": base64.b64encode(body).decode("ascii"),
        "body_length": len(body),
        "content_type": content_type,
        "start_path": urlsplit(start).path,
        "target_path": target_path,
        "query": query,
        "url": start + "?" + query,
        "location": location + "?" + query,
        "echo": None,
        "error": None,
    }


# curl 7.88 (Debian 12's curl and libcurl, so PHP's cURL too) drops a
# complete HTTP/2 response when the server resets the stream of an upload it
# answered before reading the body (RFC 9113 8.1 allows exactly that, with
# RST_STREAM NO_ERROR, and httpd does it for every early answer, mod_alias's
# too): the transfer fails with CURLE_HTTP2 (16) or CURLE_HTTP2_STREAM (92)
# although httpd answered correctly.  It is a race (curl sends the headers
# and the body in two steps; httpd answers after the headers), lost in 10 to
# 50 % of the attempts on an idle machine, more often under load and over
# h2c.  Such an attempt is repeated with a new case id, at most HTTP2_TRIES
# times in all (each costs some 20 ms); check.py still checks every
# superseded attempt: curl failed with one of these errors, and httpd had
# answered it with the right status and Location.
HTTP2_TRIES = 40
CURL_HTTP2_ERRORS = (16, 92)


def attempt_id(case, n):
    return case if n == 1 else "%s.%d" % (case, n)


def parse_echo(data):
    """The echo endpoint's JSON from response bytes, or raise ValueError."""
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    obj = json.loads(data)
    if not isinstance(obj, dict) or "method" not in obj:
        raise ValueError("not an echo response: %r" % data[:200])
    return obj


def emit(rec):
    path = os.path.join(OUT, "results", rec["client"] + ".jsonl")
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, sort_keys=True) + "\n")
