"""A tiny headless frontend on 127.0.0.1, as the README's example: its
``/preview/`` route reads the draft from the CMS with the preview token."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests


class Frontend(BaseHTTPRequestHandler):
    api = None  # the CMS's base URL, set by serve_frontend

    def do_GET(self):  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        status, html = 404, "<h1>Nothing to preview</h1>"
        if parts.path == "/preview/":
            draft = requests.get(f"{self.api}/api/v2/page_preview/", params=query, timeout=10)
            if draft.status_code == 200:
                page = draft.json()
                status, html = 200, f"<h1>{page['title']}</h1><p>{page.get('summary', '')}</p>"
        body = f'<!DOCTYPE html><html lang="en"><title>Preview</title>{html}</html>'.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve_frontend(api):
    """Serve the frontend for the CMS at ``api``; yields its base URL."""
    handler = type("TestFrontend", (Frontend,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
