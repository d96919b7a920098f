"""gunicorn's own lines about a request carry its request id, as the site's
do: "Error handling request" when the application fails before it answers or
while its body is sent, beside the access line of the same request."""

import http.client
import json

import pytest

from tests.production.servers import Gunicorn, production_env


def ask(server, path, request_id):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Request-ID": request_id})
        try:
            response = connection.getresponse()
            response.read()
            return response.status
        except (http.client.HTTPException, ConnectionError):
            return None  # the answer broke off: what the failure does to a client
    finally:
        connection.close()


@pytest.fixture(scope="module", params=["sync", "gthread"])
def served(request, site_database, static_root, tmp_path_factory):
    """Requests that fail in gunicorn's hands, then gunicorn's whole output."""
    args = ["--worker-class", request.param] + (
        ["--threads", "2"] if request.param == "gthread" else [])
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, SECURE_SSL_REDIRECT=0,
            LOG_LEVEL="INFO",
        ),
        tmp_path_factory.mktemp("server-errors") / "gunicorn.log",
        app="tests.production.failing_wsgi", args=args,
    )
    try:
        statuses = {
            "before": ask(server, "/fails-before-answer/", "lb-before-1"),
            "while": ask(server, "/fails-while-sending/", "lb-while-2"),
            "after": ask(server, "/no-such-page/", "lb-after-3"),
            "fresh": ask(server, "/fails-before-answer/", "not a usable id!"),
        }
    finally:
        server.stop()
    records = [json.loads(line) for line in server.output().splitlines() if line.strip()]
    return statuses, records


def errors(records):
    return [r for r in records if r["message"].startswith("Error handling request")]


def test_an_application_failing_before_it_answers_is_logged_with_the_request_id(served):
    statuses, records = served
    assert statuses["before"] == 500
    before = [r for r in errors(records) if "/fails-before-answer/" in r["message"]]
    assert len(before) == 2, records
    assert before[0]["request_id"] == "lb-before-1"
    assert "SendingFailed" in before[0]["exc_info"]
    # An unusable id is replaced, as the site's own lines replace it.
    assert len(before[1]["request_id"]) == 32 and "usable" not in before[1]["request_id"]


def test_a_body_failing_while_it_is_sent_is_logged_with_the_requests_id(served):
    _statuses, records = served
    [access] = [r for r in records
                if r["logger"] == "config.access" and r["path"] == "/fails-while-sending/"]
    [failed] = [r for r in errors(records) if "request_id" in r
                and r["request_id"] == access["request_id"]]
    assert access["request_id"] == "lb-while-2"
    assert failed["level"] == "ERROR" and "SendingFailed" in failed["exc_info"]


def test_every_line_about_a_request_has_its_id_and_no_other_line_has_one(served):
    _statuses, records = served
    assert all("request_id" in r for r in errors(records)), errors(records)
    [after] = [r for r in records if r["logger"] == "config.access"
               and r["path"] == "/no-such-page/"]
    assert after["request_id"] == "lb-after-3"
    # Lines about the server, not a request (booting, stopping), name none.
    server_lines = [r for r in records if r["logger"].startswith("gunicorn")
                    and not r["message"].startswith("Error handling request")]
    assert server_lines and not [r for r in server_lines if "request_id" in r]
