"""What only `explainer serve` adds to the site: a page that reloads itself after a good build,
a banner naming the problems of a failed one, and a 404 for a missing page.

None of it is written to the output folder: the reload script is answered from here and its
tag is added to HTML responses as they are sent, so the published site never carries it. The
tag loads an external script, as the site's Content-Security-Policy (`script-src 'self'`)
allows no inline one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlsplit

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

PREFIX = "/__explainer/"
SCRIPT_URL = PREFIX + "reload.js"
STATUS_URL = PREFIX + "status"
EVENTS_URL = PREFIX + "events"
KEEPALIVE_SECONDS = 15.0

RELOAD_JS = """\
// Added by `explainer serve` only: reload after a good build, show the problems of a failed one.
(function () {
  "use strict";
  var tag = document.querySelector('script[src^="/__explainer/reload.js"]');
  var match = tag && /[?&]build=(\\d+)/.exec(tag.getAttribute("src"));
  var since = match ? match[1] : "0";
  var banner = null;

  function show(status) {
    if (banner) { banner.remove(); banner = null; }
    if (status.ok) { return; }
    banner = document.createElement("div");
    banner.id = "explainer-build-problems";
    banner.setAttribute("role", "alert");
    var s = banner.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "2147483647";
    s.maxHeight = "50vh"; s.overflow = "auto"; s.margin = "0"; s.padding = "0.75em 1em";
    s.background = "#fff4f4"; s.color = "#5c0000"; s.borderTop = "3px solid #b00020";
    s.font = "14px/1.4 ui-monospace, monospace";
    var title = document.createElement("strong");
    title.textContent = "The last build failed; this page is from the build before. Fix and save:";
    banner.appendChild(title);
    var list = document.createElement("ul");
    list.style.margin = "0.5em 0 0"; list.style.paddingLeft = "1.5em";
    (status.problems.length ? status.problems : [status.message || "see the terminal"])
      .forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
    banner.appendChild(list);
    document.body.appendChild(banner);
  }

  function check() {
    fetch("/__explainer/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () {});
  }

  var events = new EventSource("/__explainer/events?since=" + since);
  events.addEventListener("build", function (event) {
    var status = JSON.parse(event.data);
    if (status.ok) { window.location.reload(); } else { show(status); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }
})();
"""


@dataclass(frozen=True)
class BuildStatus:
    """The last build as the page sees it: numbered, good or not, and its problems."""

    build: int = 0
    ok: bool = True
    problems: tuple[str, ...] = ()
    message: str = ""

    def as_json(self) -> str:
        return json.dumps(
            {
                "build": self.build,
                "ok": self.ok,
                "problems": list(self.problems),
                "message": self.message,
            }
        )


@dataclass
class BuildEvents:
    """The last build's status, and a wait for the next one, shared by the builder and every
    open page's event stream."""

    status: BuildStatus = field(default_factory=BuildStatus)
    closed: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def publish(self, *, ok: bool, problems: list[str], message: str = "") -> BuildStatus:
        with self._changed:
            self.status = BuildStatus(self.status.build + 1, ok, tuple(problems), message)
            self._changed.notify_all()
            return self.status

    def current(self) -> BuildStatus:
        with self._changed:
            return self.status

    def next_after(self, build: int, timeout: float) -> BuildStatus | None:
        """The status once a build newer than `build` has finished; None on timeout or close."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.status.build > build, timeout)
            return self.status if self.status.build > build and not self.closed else None

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


class ProblemLines(logging.Handler):
    """The problems a build logs through the "explainer" logger, as the terminal shows them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = getattr(record, "problem_line", None)
        self.lines.append(line if isinstance(line, str) else record.getMessage())


def with_reload_script(html: bytes, build: int) -> bytes:
    """The page with the reload script's tag before `</head>` (or `</body>`, or at the end)."""
    tag = f'<script src="{SCRIPT_URL}?build={build}" defer></script>'.encode()
    for closing in (rb"</head\s*>", rb"</body\s*>"):
        found = re.search(closing, html, re.IGNORECASE)
        if found:
            return html[: found.start()] + tag + html[found.start() :]
    return html + tag


class PreviewHandler(ComplexHTTPRequestHandler):  # type: ignore[misc]  # pelican is untyped
    """Pelican's handler, plus the preview's endpoints, the script tag in HTML, and 404s."""

    server: PreviewServer
    path: str

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urlsplit(self.path)
        if url.path.startswith(PREFIX):
            self.preview_endpoint(url.path, parse_qs(url.query))
            return
        found = self.get_path_that_exists(url.path)
        if not found:
            self.not_found()
            return
        file = self.translate_path(found)
        if os.path.isfile(file) and file.endswith((".html", ".htm")):
            with open(file, "rb") as page:
                self.send_bytes(HTTPStatus.OK, "text/html; charset=utf-8", page.read(), html=True)
            return
        self.path = found
        super().do_GET()

    def preview_endpoint(self, path: str, query: dict[str, list[str]]) -> None:
        events = self.server.events
        if path == SCRIPT_URL:
            self.send_bytes(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        elif path == STATUS_URL:
            body = events.current().as_json().encode()
            self.send_bytes(HTTPStatus.OK, "application/json", body)
        elif path == EVENTS_URL:
            self.event_stream(query)
        else:
            self.send_bytes(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n")

    def event_stream(self, query: dict[str, list[str]]) -> None:
        """Server-sent events: one `build` event per finished build, until the page closes."""
        since = self.header_number("Last-Event-ID")
        if since is None:
            given = query.get("since", [""])[0]
            since = int(given) if given.isdigit() else self.server.events.current().build
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        try:
            while True:
                status = self.server.events.next_after(since, KEEPALIVE_SECONDS)
                if self.server.events.closed:
                    return
                if status is None:
                    self.wfile.write(b": still here\n\n")  # finds a page closed meanwhile
                else:
                    since = status.build
                    message = f"id: {status.build}\nevent: build\ndata: {status.as_json()}\n\n"
                    self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def header_number(self, name: str) -> int | None:
        value = (self.headers.get(name) or "").strip()
        return int(value) if value.isdigit() else None

    def not_found(self) -> None:
        """404, with the site's own 404 page when it has one (Pelican answers nothing)."""
        page = os.path.join(self.base_path, "404.html")
        if os.path.isfile(page):
            with open(page, "rb") as file:
                body = file.read()
            self.send_bytes(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, html=True)
        else:  # a page still, so it reloads itself once the first build has made the site
            body = b"<!DOCTYPE html><title>Not found</title><p>Not found (yet?).</p>\n"
            self.send_bytes(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, html=True)

    def send_bytes(
        self, status: HTTPStatus, content_type: str, body: bytes, *, html: bool = False
    ) -> None:
        if html:
            body = with_reload_script(body, self.server.events.current().build)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class PreviewServer(ThreadingMixIn, RootedHTTPServer):  # type: ignore[misc]  # pelican is untyped
    """Pelican's server, one thread a request, so open event streams never block a page."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: str, address: tuple[str, int], events: BuildEvents) -> None:
        self.events = events  # first: a failed bind calls server_close() from the constructor
        super().__init__(root, address, PreviewHandler)

    def server_close(self) -> None:
        self.events.close()
        super().server_close()
