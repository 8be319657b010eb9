#!/usr/bin/python3
"""Judge the client runs (clients/run.sh): reads out/clients/results/*.jsonl
(what each client sent and what the echo endpoint received at the end of
the redirect) and out/clients/access_log (what httpd answered), prints a
table and exits 1 when any request failed.

  307 rows ("kept"): the echo endpoint must have received the original
  method, the exact body and Content-Type, at the target path with the
  query; httpd must have answered the first request with 307 and the
  absolute Location built from the connection (https:// on TLS); where
  HTTP/2 is required, client and server must both have used it.

  303/302 rows ("changed", the controls): the echo endpoint must have
  received a GET without a body -- proof that the check above notices a
  client that changes the method.
"""

import base64
import json
import os
import re
import sys

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "out", "clients")


def load_log(path):
    """case id -> list of access-log entries (in order)."""
    by_case = {}
    try:
        f = open(path, encoding="utf-8", errors="replace")
    except OSError:
        return by_case
    with f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 8:
                continue
            method, path, query, status, proto, location, rule, port = parts[:8]
            q = query[1:] if query.startswith("?") else query
            case = None
            for kv in q.split("&"):
                if kv.startswith("case="):
                    case = kv[5:]
            if case is None:
                continue
            by_case.setdefault(case, []).append({
                "method": method, "path": path, "query": q, "status": status,
                "protocol": proto, "location": location, "rule": rule,
                "port": port})
    return by_case


SERIOUS = re.compile(r"\[(?:[\w.]+:)?(?:error|crit|alert|emerg)\]"
                     r"|Segmentation fault|exit signal|AddressSanitizer")


def error_log_problems(path):
    """Lines of httpd's error_log that show a failure: an [error] or worse,
    or a child that died on a signal."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in f if SERIOUS.search(line)]
    except OSError:
        return ["error_log missing"]


def transport(rec):
    echo = rec.get("echo") or {}
    proto = echo.get("protocol", "")
    tls = echo.get("https") == "on"
    if proto == "HTTP/2.0":
        return "h2 (TLS)" if tls else "h2c"
    if proto.startswith("HTTP/1"):
        return proto + (" TLS" if tls else "")
    return ("TLS" if rec["tls"] else "cleartext") + " ?"


def judge(rec, log):
    """(method kept, body kept, problems) for one record."""
    problems = []
    echo = rec.get("echo")
    if rec.get("error"):
        problems.append(rec["error"])
    if not echo:
        problems.append("no echo response")
        return "-", "-", problems

    sent = base64.b64decode(rec["body_base64"])
    got = base64.b64decode(echo.get("body_base64", ""))
    method_kept = echo.get("method") == rec["method"]
    body_kept = got == sent
    mk = "yes" if method_kept else "no (%s)" % echo.get("method")
    if body_kept:
        bk = "yes (%d B)" % len(sent)
    elif not got:
        bk = "no (empty)"
    else:
        bk = "no (%d of %d B differ)" % (len(got), len(sent))

    if echo.get("path") != rec["target_path"]:
        problems.append("echo saw path %r, expected %r"
                        % (echo.get("path"), rec["target_path"]))
    if echo.get("query") != rec["query"]:
        problems.append("echo saw query %r, expected %r"
                        % (echo.get("query"), rec["query"]))

    if rec["expect"] == "kept":
        if not method_kept:
            problems.append("method changed: sent %s, target got %s"
                            % (rec["method"], echo.get("method")))
        if not body_kept:
            problems.append("body changed: sent %d bytes, target got %d"
                            % (len(sent), len(got)))
        ctype = echo.get("content_type", "")
        if rec.get("content_type") and ctype.split(";")[0].strip().lower() \
                != rec["content_type"].lower():
            problems.append("Content-Type %r, sent %r"
                            % (ctype, rec["content_type"]))
    else:
        # the control: these redirects make clients switch to GET
        if echo.get("method") != "GET":
            problems.append("control: method after %s is %s, expected GET"
                            % (rec["rule"], echo.get("method")))
        if got:
            problems.append("control: body of %d bytes after %s, expected none"
                            % (len(got), rec["rule"]))

    if rec["tls"] and echo.get("https") != "on":
        problems.append("target was not reached over TLS")
    if rec.get("want_protocol") == "2":
        if echo.get("protocol") != "HTTP/2.0":
            problems.append("server saw %s, expected HTTP/2"
                            % echo.get("protocol"))
        if str(rec.get("client_protocol")) != "2":
            problems.append("client reports HTTP version %r, expected 2"
                            % rec.get("client_protocol"))

    # what httpd itself answered and logged
    entries = log.get(rec["case"], [])
    first = [e for e in entries if e["path"] == rec["start_path"]]
    final = [e for e in entries if e["path"] == rec["target_path"]]
    if len(first) != 1:
        problems.append("access_log: %d requests for %s, expected 1"
                        % (len(first), rec["start_path"]))
    else:
        e = first[0]
        if e["method"] != rec["method"]:
            problems.append("access_log: first request was %s, sent %s"
                            % (e["method"], rec["method"]))
        if e["status"] != rec["rule"]:
            problems.append("access_log: status %s, expected %s"
                            % (e["status"], rec["rule"]))
        if e["location"] != rec["location"]:
            problems.append("access_log: Location %r, expected %r"
                            % (e["location"], rec["location"]))
        if rec["rule"] == "307" and e["rule"] in ("", "-"):
            problems.append("access_log: REDIRECT307_RULE not set")
        if rec.get("want_protocol") == "2" and e["protocol"] != "HTTP/2.0":
            problems.append("access_log: first request over %s, expected "
                            "HTTP/2" % e["protocol"])
    if len(final) != 1:
        problems.append("access_log: %d requests for %s, expected 1"
                        % (len(final), rec["target_path"]))
    elif final[0]["status"] != "200":
        problems.append("access_log: target answered %s" % final[0]["status"])
    return mk, bk, problems


def judge_superseded(rec, log):
    """Problems of an attempt that was repeated: it may only have failed in
    the client with an HTTP/2 framing error, after httpd had answered it
    with the right status and Location."""
    problems = []
    if rec.get("client_errno") not in (16, 92):
        problems.append("repeated after %r, which is no HTTP/2 framing error"
                        % rec.get("error"))
    first = [e for e in log.get(rec["case"], [])
             if e["path"] == rec["start_path"]]
    if len(first) != 1:
        problems.append("access_log: %d requests for %s, expected 1"
                        % (len(first), rec["start_path"]))
    else:
        e = first[0]
        if (e["method"], e["status"], e["location"]) != \
                (rec["method"], rec["rule"], rec["location"]):
            problems.append("access_log: %s answered %s with Location %r, "
                            "expected %s, %s, %r"
                            % (e["method"], e["status"], e["location"],
                               rec["method"], rec["rule"], rec["location"]))
    return problems


def main(argv):
    clients = argv[1:] or ["curl", "requests", "php", "chromium"]
    log = load_log(os.path.join(OUT, "access_log"))
    rows, details = [], []
    npass = nfail = nretried = 0
    for client in clients:
        recs = []
        path = os.path.join(OUT, "results", client + ".jsonl")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                recs = [json.loads(line) for line in f if line.strip()]
        try:
            with open(os.path.join(OUT, "results", client + ".rc")) as f:
                rc = f.read().strip()
        except OSError:
            rc = "not run"
        for rec in [r for r in recs if r.get("superseded")]:
            problems = judge_superseded(rec, log)
            if problems:
                nfail += 1
                rows.append((rec["client"], rec["version"], transport(rec),
                             rec["rule"], rec["method"] + " " + rec.get("how", ""),
                             "-", "-", "FAIL (repeated attempt)"))
                details.extend("%s: %s" % (rec["case"], p) for p in problems)
        recs = [r for r in recs if not r.get("superseded")]
        if rc != "0" or not recs or not any(r["expect"] == "kept" for r in recs) \
                or not any(r["expect"] == "changed" for r in recs):
            nfail += 1
            rows.append((client, "?", "-", "-", "-", "-", "-", "FAIL"))
            details.append("%s: driver exit status %s, %d records (see "
                           "out/clients/logs/%s.log)" % (client, rc, len(recs),
                                                         client))
        for rec in recs:
            mk, bk, problems = judge(rec, log)
            ok = not problems
            npass += ok
            nfail += not ok
            rule = rec["rule"] + ("" if rec["expect"] == "kept" else " control")
            result = "PASS" if ok else "FAIL"
            if rec.get("retries"):
                result += " (try %d)" % (len(rec["retries"]) + 1)
                nretried += 1
            rows.append((rec["client"], rec["version"], transport(rec), rule,
                         rec["method"] + " " + rec.get("how", ""),
                         mk, bk, result))
            for p in problems:
                details.append("%s: %s" % (rec["case"], p))

    bad_lines = error_log_problems(os.path.join(OUT, "error_log"))
    if bad_lines:
        nfail += 1
        rows.append(("httpd", "-", "-", "-", "error_log", "-", "-", "FAIL"))
        details.extend("error_log: " + line for line in bad_lines[:20])

    head = ("client", "version", "transport", "redirect", "request",
            "method kept", "body kept", "result")
    rows = [tuple(s.strip() for s in r) for r in rows]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
             for r in [head, tuple("-" * w for w in widths)] + rows]
    table = "\n".join(lines)
    with open(os.path.join(OUT, "summary.txt"), "w", encoding="utf-8") as f:
        f.write(table + "\n")
    print()
    print(table)
    print()
    print("A 307 row passes when the target received the same method, body and")
    print("Content-Type, and httpd answered 307 with the absolute Location; a")
    print("control row (303/302) passes when the client switched to GET and")
    print("dropped the body, which shows the check detects a changed method.")
    if nretried:
        print()
        print("(try N): the attempts before failed in the client with an HTTP/2")
        print("framing error after httpd had answered them correctly (curl 7.88")
        print("drops a response when the server resets the stream of an upload")
        print("it answered early; see clients/clientlib.py):")
        for client in clients:
            path = os.path.join(OUT, "results", client + ".jsonl")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        r = json.loads(line)
                        if r.get("superseded"):
                            print("  %s: %s" % (r["case"], r["error"]))
    if details:
        print()
        print("failures:")
        for d in details:
            print("  " + d)
    print()
    print("clients: %d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
