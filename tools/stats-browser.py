#!/usr/bin/python3
"""The redirect307-status page in headless Chromium, driven over the
DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended
by NUL on fds 3 and 4; no library needed).

    tools/stats-browser.py URL SCREENSHOT

Loads URL (the status page), checks the rows, sorts by hits with the
column heading's link, filters with the "Path contains" form, explains a
URL with the explain form, and saves a screenshot of the explained page to
SCREENSHOT.  Prints one "ok" or "not ok" line per check and exits 1 when a
check failed.  Used by tools/test-stats.sh."""

import base64
import json
import os
import subprocess
import sys
import time

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--hide-scrollbars",
         "--remote-debugging-pipe"]


class Browser:
    def __init__(self, profile, log):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands from fd 3 and writes answers to fd 4
        def fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--user-data-dir=" + profile, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            preexec_fn=fds, pass_fds=(3, 4, to_chrome_r, from_chrome_w))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, timeout=30, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError("%s: %s" % (method, answer["error"]))
                return answer.get("result", {})
            self.events.append(answer)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == name:
                    del self.events[i]
                    return event
            self.events.append(self._read(deadline))

    def open(self, url):
        target = self.call("Target.createTarget", url="about:blank")
        self.session = self.call("Target.attachToTarget",
                                 targetId=target["targetId"],
                                 flatten=True)["sessionId"]
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1280,
                  height=1000, deviceScaleFactor=1, mobile=False)
        self.navigate(url)

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression,
                           returnByValue=True)
        return result.get("result", {}).get("value")

    def act(self, expression):
        """Runs script that submits a form or follows a link, and waits
        for the page it loads."""
        self.events.clear()
        self.js(expression)
        self.wait_event("Page.loadEventFired")

    def screenshot(self, path):
        height = self.js("document.documentElement.scrollHeight") or 1000
        self.call("Emulation.setDeviceMetricsOverride", width=1280,
                  height=min(int(height), 4000), deviceScaleFactor=1,
                  mobile=False)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


FAILED = []


def check(name, got, want):
    if got == want:
        print("ok - %s" % name)
    else:
        print("not ok - %s: got %r, want %r" % (name, got, want))
        FAILED.append(name)


ROWS = """Array.from(document.querySelectorAll('#rules tr')).slice(1)
    .map(tr => Array.from(tr.cells).map(td => td.textContent))"""


def main():
    url, shot = sys.argv[1], sys.argv[2]
    out = os.path.dirname(os.path.abspath(shot))
    os.makedirs(out, exist_ok=True)
    profile = os.path.join(out, "chromium-profile")
    with open(os.path.join(out, "chromium.log"), "wb") as log:
        browser = Browser(profile, log)
        try:
            run(browser, url, shot)
        finally:
            browser.close()
    if FAILED:
        sys.exit(1)


def run(browser, url, shot):
    browser.open(url)
    check("the page loads", browser.js("document.title"),
          "mod_redirect307 status")
    rows = browser.js(ROWS)
    check("a row per rule and map entry", len(rows), 7)
    check("the first row: the prefix rule", rows[0][1:5],
          ["prefix", "/old", "https://new.example/new", "5"])
    check("a map entry never hit", rows[4][4:6], ["0", "never"])
    # sort by hits: the column heading's link
    browser.act("document.getElementById('sort-hits').click()")
    rows = browser.js(ROWS)
    check("sorted by hits, most first", [r[4] for r in rows[:3]],
          ["7", "5", "2"])
    check("the arrow shows the order",
          browser.js("document.getElementById('sort-hits').textContent"),
          "Hits \u25bc")
    # filter: the "Path contains" form
    browser.act("""(() => {
        const f = document.getElementById('filter-form');
        f.elements.q.value = '/shop/';
        f.submit(); })()""")
    rows = browser.js(ROWS)
    check("filtered by path", sorted(r[2] for r in rows),
          ["/shop/a", "/shop/b", "/shop/c"])
    check("the filter stays in the form",
          browser.js("document.getElementById('filter-form').elements.q"
                     ".value"), "/shop/")
    # explain: the form, with a hostile path
    browser.act("""(() => {
        const f = document.getElementById('explain-form');
        f.elements.explain.value = '/old/<b>x</b>?q=1';
        f.elements.method.value = 'POST';
        f.submit(); })()""")
    explained = browser.js("""Array.from(document.querySelectorAll(
        '#explained td')).map(td => td.textContent)""")
    check("explain: the request", explained[0],
          "POST " + url.split("/redirect307-status")[0]
          + "/old/%3Cb%3Ex%3C/b%3E?q=1")
    check("explain: the Location", explained[2],
          "307 https://new.example/new/%3Cb%3Ex%3C/b%3E?q=1")
    check("explain: no element was injected",
          browser.js("document.querySelectorAll('#explained b').length"), 0)
    browser.screenshot(shot)
    check("the screenshot is saved", os.path.getsize(shot) > 10000, True)


if __name__ == "__main__":
    main()
