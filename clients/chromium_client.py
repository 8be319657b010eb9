#!/usr/bin/python3
"""Headless Chromium driver: loads clients/page.html (served by the test
httpd) once over HTTP/1.1 and once over TLS, where Chromium speaks HTTP/2.
The page's script PUTs a JSON body with fetch() and POSTs a form into a
frame, each to a 307 rule and to a 303 control (mod_alias), and writes what
the echo endpoint received into the page; --dump-dom prints the page when
the virtual-time budget is used up (pending network requests stop virtual
time, so it covers the requests).  Writes one record per request
(clientlib.emit).  Chromium's own chatter goes to out/clients/logs/."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
# Running as root needs --no-sandbox; the rest keeps Chromium from reaching
# out to hosts this machine cannot reach, and from QUIC.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-extensions", "--disable-default-apps",
         "--virtual-time-budget=30000"]

# what the page does, per origin: (case suffix = last path segment, rule,
# method, how)
PAGE_CASES = [
    ("fetch-put-307", "307", "PUT", "fetch()"),
    ("form-post-307", "307", "POST", "form"),
    ("fetch-put-303", "303", "PUT", "fetch()"),
    ("form-post-303", "303", "POST", "form"),
]


def version():
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True,
                         text=True, timeout=60).stdout
    m = re.search(r"Chromium\s+(\S+)", out)
    return m.group(1) if m else out.strip()


def run_page(via):
    """Load the page over via ("http" or "https"); returns (parsed page
    results or None, error)."""
    tag = "chromium-" + via
    if via == "https":
        page = cl.origin("https", "tls") + "/clients/page.html?" + urlencode(
            {"tag": tag, "p307": "/tls/old", "p303": "/r303/old"})
        extra = ["--ignore-certificate-errors"]
    else:
        page = cl.origin("http", "http") + "/clients/page.html?" + urlencode(
            {"tag": tag, "p307": "/r307/old", "p303": "/r303/old"})
        extra = []
    profile = os.path.join(cl.OUT, "work", "chromium-profile-" + via)
    os.makedirs(profile, exist_ok=True)
    cmd = [CHROMIUM, *FLAGS, *extra, "--user-data-dir=" + profile,
           "--dump-dom", page]
    print(" ".join(cmd), flush=True)
    log = os.path.join(cl.OUT, "logs", "chromium-%s.stderr" % via)
    try:
        with open(log, "wb") as err:
            res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err,
                                 timeout=90)
    except subprocess.TimeoutExpired:
        return None, "chromium did not finish in 90 s (see %s)" % log
    finally:
        shutil.rmtree(profile, ignore_errors=True)   # some MB, not needed
    dom = res.stdout.decode("utf-8", "replace")
    with open(os.path.join(cl.OUT, "work", "chromium-%s.html" % via), "w",
              encoding="utf-8") as f:
        f.write(dom)
    m = re.search(r'<pre id="results" data-done="1">(.*?)</pre>', dom, re.S)
    if res.returncode != 0 or not m:
        return None, ("chromium exit %d, page not finished (see %s)"
                      % (res.returncode, log))
    return json.loads(html.unescape(m.group(1))), None


def main():
    ver = version()
    for via in ("http", "https"):
        page, error = run_page(via)
        results = {r["case"]: r for r in (page or {}).get("results", [])}
        for suffix, rule, method, how in PAGE_CASES:
            case = "chromium-%s-%s" % (via, suffix)
            r = results.get(case, {})
            if how == "form":
                # what the browser must send for the page's form fields:
                # application/x-www-form-urlencoded, UTF-8
                fields = [tuple(f) for f in r.get("fields") or []]
                body = urlencode(fields).encode("utf-8")
            else:
                body = r.get("body", "").encode("utf-8")
            # over TLS Chromium negotiates HTTP/2 (ALPN): required there
            want = "2" if via == "https" else None
            rec = cl.new_case("chromium", ver, case, rule, via, method, body,
                              r.get("content_type"), want, how, tail=suffix)
            # nextHopProtocol: "http/1.1", "h2"
            rec["client_protocol"] = {"h2": "2", "http/1.1": "1.1"}.get(
                r.get("protocol"), r.get("protocol"))
            rec["final_url"] = r.get("final_url")
            rec["client_status"] = r.get("status")
            if page:
                rec["user_agent"] = page.get("user_agent")
            if error or not r:
                rec["error"] = error or "case missing from the page"
            elif r.get("error"):
                rec["error"] = "page: " + r["error"]
            else:
                try:
                    rec["echo"] = cl.parse_echo(r.get("echo_text", ""))
                except Exception as e:
                    rec["error"] = "%s: %s" % (type(e).__name__, e)
            cl.emit(rec)


if __name__ == "__main__":
    main()
