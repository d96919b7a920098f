"""A server that sends one byte at a time and never ends cannot hold a run: every answer
has a deadline for the whole of it, beside the timeout of each read."""

from __future__ import annotations

import io
import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importers.fetch import Fetcher
from importers.models import ImportedDocument
from importers.reader import DOCUMENT_TYPES, FetchError, Want

from .conftest import ORIGIN

PAGE = (b"<html><head><title>BaltMet Inno: Outputs</title></head><body><!--TYPO3SEARCH_begin-->"
        b'<h1>Outputs</h1><p><a href="files/slow.pdf">D1</a></p><!--TYPO3SEARCH_end-->'
        b"</body></html>")


class DripServer:
    """Answers ``/pub/index.php…`` at once and anything else one byte every 20 ms, forever
    (until the client hangs up)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sent: list[int] = []  # bytes of body sent per dripped answer
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/pub/{path}"

    def _serve(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            path = request.split(b" ")[1]
            if path.startswith(b"/pub/index.php"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(PAGE)).encode() + b"\r\nConnection: close\r\n\r\n" + PAGE)
                return
            if path == b"/robots.txt":
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            if path.endswith(b".pdf"):  # a length within the cap, never reached
                head = b"Content-Type: application/pdf\r\nContent-Length: 50000000"
            else:  # no length: the answer ends when the connection does
                head = b"Content-Type: text/html\r\nConnection: close"
            conn.sendall(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n\r\n%PDF-1.4\n")
            index = len(self.sent)
            self.sent.append(0)
            try:
                while not self.closed.is_set():
                    conn.sendall(b"x")
                    self.sent[index] += 1
                    time.sleep(0.02)
            except OSError:
                return

    def close(self) -> None:
        self.closed.set()
        self.listener.close()


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


def in_thread(call):
    """Run ``call`` (which must end by itself) and give what it raised; a hang fails."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the read never ended"
    return outcome


def test_a_page_that_never_ends_stops_at_its_deadline(drip):
    fetcher = Fetcher.for_sources([drip.url("index.php?id=1")], timeout=5, answer_time=0.5)
    outcome = in_thread(lambda: fetcher.fetch(drip.url("dripping.html")))
    fetcher.close()
    error = outcome.get("error")
    assert isinstance(error, FetchError), outcome
    assert "0.5 s" in error.reason and "stopped" in error.reason
    assert drip.sent[0] < 200  # a few seconds' worth, not the 50 MB announced


def test_a_document_that_never_ends_stops_at_its_own_deadline(drip):
    fetcher = Fetcher.for_sources([drip.url("index.php?id=1")], timeout=5, answer_time=0.2)
    want = Want(DOCUMENT_TYPES, 100_000_000, deadline=0.6)
    outcome = in_thread(lambda: fetcher.fetch(drip.url("files/slow.pdf"), want))
    fetcher.close()
    error = outcome.get("error")
    assert isinstance(error, FetchError) and "0.6 s" in error.reason, outcome


@pytest.mark.django_db
def test_the_run_ends_and_reports_the_document(drip, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()

    def run():
        try:
            call_command("import_legacy", drip.url("index.php?id=208"), "--origin", ORIGIN,
                         "--document-time-limit", "0.5", "--report", str(tmp_path / "r.json"),
                         stdout=out)
        except CommandError as error:
            return error.returncode
        return 0

    # the database stays in this thread: a watchdog ends the drip instead, should the run hang
    watchdog = threading.Timer(60, drip.close)
    watchdog.start()
    try:
        code = run()
    finally:
        watchdog.cancel()
    assert not drip.closed.is_set(), "the run waited for the drip to end"
    assert code == 0, out.getvalue()
    assert not ImportedDocument.objects.exists()
    report = (tmp_path / "r.json").read_text()
    assert "files/slow.pdf" in report and "0.5 s" in report
