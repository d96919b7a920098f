"""Honest import errors: an unreachable legacy host is reported for what it is.

DNS failure, a refused connection, a TLS error and a host that never answers
each get their own reason naming the host; robots.txt is blamed only when it
was fetched and disallows.  Real sockets on 127.0.0.1 throughout.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError

from importers.fetch import Fetcher
from importers.models import ImportRun
from importers.pipeline import ImportOptions, run_import
from importers.reader import FetchError

from .test_command import run

UNRESOLVABLE = "nonexistent.invalid"  # RFC 6761: never resolves


@pytest.fixture
def refused_port() -> int:
    """A port nothing listens on: bound, then closed, so the kernel refuses connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A port that takes connections (the kernel's backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


class _Plain(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<p>here</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a TLS ClientHello is not HTTP: expected here


def serve(port: int = 0) -> _QuietServer:
    server = _QuietServer(("127.0.0.1", port), _Plain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def plain_http_port():
    """A plain HTTP server, to be spoken to with https:// (a TLS error)."""
    server = serve()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def fetch_error(url: str, **options) -> str:
    fetcher = Fetcher.for_sources([url], timeout=0.3, retries=1, backoff_factor=0.01, **options)
    with fetcher, pytest.raises(FetchError) as err:
        fetcher.fetch(url)
    return err.value.reason


def test_an_unresolvable_host_is_a_dns_failure():
    reason = fetch_error(f"http://{UNRESOLVABLE}/pub/")
    assert "does not resolve (DNS)" in reason and UNRESOLVABLE in reason
    assert "robots" not in reason


def test_a_refused_port_is_a_refused_connection(refused_port):
    reason = fetch_error(f"http://127.0.0.1:{refused_port}/pub/")
    assert f"127.0.0.1:{refused_port} refused the connection" in reason
    assert "robots" not in reason


def test_a_port_that_never_answers_is_a_timeout(silent_port):
    reason = fetch_error(f"http://127.0.0.1:{silent_port}/pub/")
    assert f"127.0.0.1:{silent_port} timed out" in reason and "no answer within 0.3 s" in reason
    assert "robots" not in reason


def test_https_to_a_plain_http_server_is_a_tls_error(plain_http_port):
    reason = fetch_error(f"https://127.0.0.1:{plain_http_port}/pub/")
    assert f"TLS handshake with 127.0.0.1:{plain_http_port} failed" in reason
    assert "robots" not in reason


@pytest.mark.parametrize("respect_robots", [True, False])
def test_the_reason_is_the_same_whether_robots_txt_is_asked_or_not(refused_port, respect_robots):
    reason = fetch_error(f"http://127.0.0.1:{refused_port}/pub/", respect_robots=respect_robots)
    assert reason.startswith(f"127.0.0.1:{refused_port} refused the connection")


def test_a_failing_robots_txt_says_so_and_blames_no_rule(legacy_server):
    """RFC 9309: a robots.txt answering 5xx disallows all; the reason says so, not "disallowed"."""
    legacy_server.set_route("/robots.txt", status=503, body="down")
    reason = fetch_error(legacy_server.url("index.php?id=209"))
    assert "answered HTTP 503 for robots.txt" in reason
    assert "disallowed by robots.txt" not in reason
    assert legacy_server.hits("index.php?id=209") == 0


def test_a_host_that_comes_back_is_asked_for_robots_txt_again(refused_port):
    url = f"http://127.0.0.1:{refused_port}/pub/"
    with Fetcher.for_sources([url], timeout=0.3, retries=0) as fetcher:
        with pytest.raises(FetchError, match="refused the connection"):
            fetcher.fetch(url)
        server = serve(refused_port)
        try:
            assert fetcher.fetch(url).status == 200
        finally:
            server.shutdown()
            server.server_close()


@pytest.mark.django_db
def test_the_kept_run_names_the_true_reason(admin_client, refused_port, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    origin = f"http://127.0.0.1:{refused_port}/pub/"
    report = run_import(ImportOptions(sources=[origin], origin=origin, timeout=0.3, retries=0))
    kept = ImportRun.objects.get(pk=report.run_id)
    reason = kept.pages.get(action="failed").errors[0]
    assert reason.startswith(f"127.0.0.1:{refused_port} refused the connection")
    listed = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/", {"action": "failed"})
    assert f"127.0.0.1:{refused_port} refused the connection".encode() in listed.content
    assert b"robots.txt" not in listed.content


@pytest.mark.django_db
def test_the_command_without_origin_names_the_dns_failure():
    with pytest.raises(CommandError) as err:
        run(f"http://{UNRESOLVABLE}/pub/", "--timeout", "0.3")
    message = str(err.value)
    assert "does not resolve (DNS)" in message and UNRESOLVABLE in message
    assert "robots" not in message
