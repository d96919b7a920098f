"""HEAD on every kind of URL, through gunicorn: the status and headers of
GET, no body from the app (so gunicorn logs no "WSGI app sent body bytes on
a no-body response" warning), and every line the requests log carries
their request id."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.production.servers import Gunicorn, production_env

PATHS = [
    "/", "/news/", "/no-such-page/", "/healthz", "/feeds/", "/feeds/news.rss",
    "/feeds/news.atom", "/feeds/news.json", "/feeds/events.ics", "/api/v2/pages/",
    "/api/v2/pages/?type=no.Such", "/api/v3/pages/", "/api/v3/openapi.json", "/api/v3/docs",
    "/admin/login/",
]


def ask(url, method, path):
    """(status, headers, body bytes) of one request on a connection of its own."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(site_database, static_root, tmp_path_factory):
    """GET and HEAD of every path, then gunicorn's whole output."""
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, SECURE_SSL_REDIRECT=0,
            LOG_LEVEL="INFO",
        ),
        tmp_path_factory.mktemp("head") / "gunicorn.log",
        workers=2,
    )
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"]["wagtailadmin/js/core.js"]
    answers = {}
    try:
        for path in [*PATHS, static]:
            answers[path] = (ask(server.url, "GET", path), ask(server.url, "HEAD", path))
    finally:
        server.stop()
    return answers, [json.loads(line) for line in server.output().splitlines() if line.strip()]


def test_head_has_the_status_and_headers_of_get(served):
    answers, _lines = served
    differ = []
    for path, ((status, headers, body), (head_status, head_headers, _)) in answers.items():
        length = int(head_headers.get("Content-Length", len(body)))
        if (head_status, head_headers.get("Content-Type"), length) != (
            status, headers.get("Content-Type"), len(body)
        ):
            differ.append((path, status, head_status, head_headers))
    assert differ == []


def test_no_body_sent_and_no_warning_logged(served):
    _answers, lines = served
    assert not [line for line in lines if "no-body response" in line["message"]]
    assert not [line for line in lines if line["level"] in ("WARNING", "ERROR")], lines


def test_every_line_about_a_request_carries_its_id(served):
    answers, lines = served
    about_requests = [line for line in lines if line["logger"] != "gunicorn.error"]
    heads = [line for line in about_requests if line.get("method") == "HEAD"]
    # healthz is logged at DEBUG only while it passes
    assert len(heads) == len(answers) - 1
    assert all(line.get("request_id") for line in about_requests), about_requests


@pytest.mark.parametrize("path", ["/api/v3/pages/", "/api/v3/pages/{news}/", "/api/v3/images/"])
def test_api_v3_answers_head_as_get(client, tree, path):
    path = path.format(news=tree.news.pk)
    get, head = client.get(path), client.head(path)
    assert (head.status_code, head["Content-Type"]) == (get.status_code, get["Content-Type"])
    assert get.status_code == 200
