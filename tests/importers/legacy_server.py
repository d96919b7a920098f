"""A real HTTP server on 127.0.0.1 standing in for the legacy site.

It serves a wget-mirror-like directory (``/pub/index.php?id=209`` → file
``pub/index.php?id=209.html``; parameter order and session ids ignored, as
the PHP site did), per-path overrides (status, headers, body, delay, a
number of failures before success) and a set of built-in special routes
under ``/pub/_test/`` for the fetcher's failure modes.  It never contacts
anything itself.

Reusable: ``legacy_server`` fixture (see ``conftest.py``) →
``server.base_url``, ``server.serve_directory(path)``, ``server.set_route(...)``,
``server.requests`` (paths requested, in order), ``server.responses``
((path, status) as answered), ``server.starts`` (when each request arrived,
``time.monotonic()``), ``server.latency`` (seconds added to every answer, as
a distant server takes) and what was open at once: ``max_connections``
(TCP connections), ``max_in_flight`` (requests being answered) and
``connections_opened``.  A route sending ``ETag`` or ``Last-Modified``
answers a conditional GET that names them with 304 and no body, as Apache did.
"""

from __future__ import annotations

import datetime
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from importers.urls import canonicalize, url_from_mirror_path

CP1252_PAGE = (
    "<html><head><title>BaltMet Inno: Malmö</title></head><body>"
    "<!--TYPO3SEARCH_begin--><h1>Malmö</h1>"
    "<p>The city’s budget: 5 € – Tønsberg, Århus, Köln</p><!--TYPO3SEARCH_end-->"
    "</body></html>"
).encode("cp1252")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    fail_times: int = 0  # answer fail_status (500) this many times first
    fail_status: int = 500
    fail_headers: dict[str, str] = field(default_factory=dict)
    send_length: bool = True
    hits: int = 0


def _html(text: str) -> bytes:
    return (
        f"<html><head><title>BaltMet Inno: {text}</title></head><body>"
        f"<!--TYPO3SEARCH_begin--><h1>{text}</h1><!--TYPO3SEARCH_end--></body></html>"
    ).encode()


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up on a kept-alive connection are normal, not tracebacks to print."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LegacyServer:
    """Threaded ``http.server`` bound to 127.0.0.1 on a free port."""

    def __init__(self, directory: str | Path | None = None, prefix: str = "/pub/"):
        self.prefix = prefix
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.responses: list[tuple[str, int]] = []
        self.starts: list[float] = []
        self.latency = 0.0
        self.connections = self.max_connections = self.connections_opened = 0
        self.in_flight = self.max_in_flight = 0
        self._files: dict[str, tuple[Path, str]] = {}
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        if directory is not None:
            self.serve_directory(directory)
        self._install_special_routes()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle -----------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + self.prefix

    def url(self, path: str) -> str:
        """Absolute URL for a path relative to the base (``index.php?id=209``) or the root."""
        return self.root_url + path if path.startswith("/") else self.base_url + path

    def start(self) -> LegacyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LegacyServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- content ---------------------------------------------------------
    def serve_directory(self, directory: str | Path, content_type: str = "text/html") -> None:
        """Serve a mirror folder whose top level is the site root (``<dir>/pub/…``).

        ``content_type`` is what its files are sent as (the legacy server said
        ``text/html; charset=iso-8859-1``).
        """
        root = Path(directory)
        for path in root.rglob("*"):
            if path.is_file():
                rel = path.relative_to(root).as_posix()
                self._files[self._key(url_from_mirror_path("h/" + rel))] = (path, content_type)

    def set_route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes | str = b"",
        content_type: str | None = "text/html",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        fail_times: int = 0,
        fail_status: int = 500,
        fail_headers: dict[str, str] | None = None,
        send_length: bool = True,
    ) -> Route:
        """Override what ``path`` (relative to the base, or absolute from ``/``) answers."""
        all_headers = dict(headers or {})
        if content_type and "Content-Type" not in all_headers:
            all_headers["Content-Type"] = content_type
        data = body.encode() if isinstance(body, str) else body
        route = Route(status, data, all_headers, delay, fail_times, fail_status,
                      dict(fail_headers or {}), send_length)
        self.routes[self._key(self.url(path))] = route
        return route

    @staticmethod
    def wall_clock(start: float) -> datetime.datetime:
        """A time of :attr:`starts` (``time.monotonic()``) as the database's clock gives it."""
        return datetime.datetime.fromtimestamp(
            time.time() - (time.monotonic() - start), tz=datetime.UTC
        )

    def statuses(self, path: str) -> list[int]:
        """Statuses answered for ``path`` (relative to the base, or absolute), in order."""
        key = self._key(self.url(path))
        return [status for p, status in self.responses if self._key(self.root_url + p) == key]

    @staticmethod
    def _unchanged(route: Route, request_headers) -> bool:
        """The client's copy is current (RFC 9110: If-None-Match wins over If-Modified-Since)."""
        if route.status != 200:
            return False
        etag, asked = route.headers.get("ETag"), request_headers.get("If-None-Match")
        if etag and asked:
            return etag in [tag.strip() for tag in asked.split(",")]
        modified = route.headers.get("Last-Modified")
        return bool(modified) and request_headers.get("If-Modified-Since") == modified

    def hits(self, path: str) -> int:
        key = self._key(self.url(path))
        return sum(1 for p in self.requests if self._key(self.root_url + p) == key)

    def started(self, path: str) -> list[float]:
        """When the requests for ``path`` arrived (``time.monotonic()``), in order."""
        key = self._key(self.url(path))
        with self._lock:
            return [t for p, t in zip(self.requests, self.starts, strict=True)
                    if self._key(self.root_url + p) == key]

    def _count(self, what: str, change: int) -> None:
        with self._lock:
            now = getattr(self, what) + change
            setattr(self, what, now)
            top = "max_" + what
            setattr(self, top, max(getattr(self, top), now))
            if what == "connections" and change > 0:
                self.connections_opened += 1

    @staticmethod
    def _key(url: str) -> str:
        parts = urlsplit(canonicalize(url))
        return parts.path + ("?" + parts.query if parts.query else "")

    def _install_special_routes(self) -> None:
        t = "_test/"
        self.set_route(t + "flaky", body=_html("Recovered"), fail_times=1)
        self.set_route(t + "always-500", status=500, body=b"Internal Server Error")
        self.set_route(t + "slow", body=_html("Slow"), delay=0.5)
        self.set_route(t + "huge", body=b"<html>" + b"x" * 200_000 + b"</html>")
        self.set_route(t + "huge-unannounced", body=b"<p>" + b"x" * 200_000, send_length=False)
        self.set_route(t + "image.png", body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
        self.set_route(t + "report.pdf", body=b"%PDF-1.4", content_type="application/pdf")
        for n in range(1, 8):
            target = self.prefix + t + (f"redirect/{n - 1}" if n > 1 else "landed")
            self.set_route(t + f"redirect/{n}", status=302, headers={"Location": target})
        self.set_route(t + "landed", body=_html("Landed"))
        self.set_route(
            t + "redirect-away", status=301, headers={"Location": "http://legacy.invalid/pub/"}
        )
        self.set_route(t + "gone", status=410, body=b"Gone")
        self.set_route(t + "latin1", body=CP1252_PAGE, content_type="text/html; charset=iso-8859-1")
        self.set_route(t + "utf8-lie", body=CP1252_PAGE, content_type="text/html; charset=utf-8")

    # -- serving -------------------------------------------------------------
    def _respond(self, raw_path: str) -> tuple[Route, bool]:
        key = self._key(self.root_url + raw_path)
        with self._lock:
            self.requests.append(raw_path)
            self.starts.append(time.monotonic())
            route = self.routes.get(key)
            if route is not None:
                route.hits += 1
                if route.hits <= route.fail_times:
                    return Route(route.fail_status, b"temporary failure",
                                 {"Content-Type": "text/plain", **route.fail_headers}), True
                return route, True
        served = self._files.get(key)
        if served is not None:
            path, content_type = served
            return Route(body=path.read_bytes(), headers={"Content-Type": content_type}), True
        return Route(
            404, b"<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
        ), False

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY: else each keep-alive response waits ~40 ms on the client's delayed ACK
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                server._count("connections", 1)

            def finish(self) -> None:
                server._count("connections", -1)
                super().finish()

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                # In flight until the answer starts: a client never has the answer of a
                # request still counted, so the count is exact, whatever the timing.
                server._count("in_flight", 1)
                try:
                    route, _ = server._respond(self.path)
                    if route.delay or server.latency:
                        time.sleep(route.delay + server.latency)  # a distant or slow server
                finally:
                    server._count("in_flight", -1)
                if server._unchanged(route, self.headers):
                    validators = {k: v for k, v in route.headers.items()
                                  if k in ("ETag", "Last-Modified")}
                    route = Route(304, b"", validators)
                with server._lock:
                    server.responses.append((self.path, route.status))
                try:
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if route.send_length:
                        self.send_header("Content-Length", str(len(route.body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                pass

        return Handler
