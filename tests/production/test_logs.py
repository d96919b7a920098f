"""Logs: one JSON object per line and per event, gunicorn's own lines
included; every line of a request carries its request id (the proxy's
``X-Request-ID`` when it sends a usable one); fields a log call passes in
``extra=`` (an import's ``run_id``) are fields of the line."""

import json

import pytest
import requests

from tests.production.servers import Gunicorn, manage, production_env


def lines(text):
    """Every line as JSON: a line that is not fails here."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def served(site_database, static_root, tmp_path_factory):
    """A gunicorn instance after a few requests, stopped: its whole output."""
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, SECURE_SSL_REDIRECT=0,
            LOG_LEVEL="INFO",
        ),
        tmp_path_factory.mktemp("logs") / "gunicorn.log",
    )
    try:
        get = lambda path, **headers: requests.get(server.url + path, headers=headers, timeout=30)  # noqa: E731
        assert get("/admin/login/", **{"X-Request-ID": "lb-7f3a"}).status_code == 200
        assert get("/no-such-page/", **{"X-Request-ID": "bad id; drop table"}).status_code == 404
        assert get("/api/v2/pages/?type=no.Such").status_code == 400
    finally:
        server.stop()
    return lines(server.output())


def access_lines(records, path):
    return [r for r in records if r["logger"] == "config.access" and r["path"] == path]


def test_every_line_is_json_gunicorns_included(served):
    assert {"time", "level", "logger", "message"} <= set(served[0])
    assert any(r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in served)


def test_one_line_per_request_with_the_proxys_request_id(served):
    [login] = access_lines(served, "/admin/login/")
    assert login["request_id"] == "lb-7f3a"
    assert login["status"] == 200 and login["method"] == "GET"
    assert login["duration_ms"] >= 0


def test_an_unusable_request_id_is_replaced(served):
    [missing] = access_lines(served, "/no-such-page/")
    assert missing["status"] == 404
    assert len(missing["request_id"]) == 32 and "drop" not in missing["request_id"]


def test_nothing_is_logged_twice(served):
    messages = [(r["logger"], r["message"], r.get("request_id")) for r in served]
    assert len(messages) == len(set(messages))
    # A client error is one line, the access line: not also Django's warning.
    [bad] = [r for r in served if "/api/v2/pages/" in r["message"]]
    assert bad["status"] == 400


def test_extra_fields_of_a_log_call_become_fields(tmp_path):
    """What the importer does with its run id: the formatter needs nothing more."""
    script = (
        "import logging\n"
        "log = logging.getLogger('importers.load')\n"
        "log.info('Page imported', extra={'run_id': 'run-42', 'legacy_url': 'http://x/?id=1'})\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n    log.exception('Page failed', extra={'run_id': 'run-42'})\n"
    )
    result = manage("shell", "--no-imports", "-c", script,
                    env=production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"))
    assert result.returncode == 0, result.stderr
    imported, failed = lines(result.stderr)
    assert imported["run_id"] == "run-42"
    assert imported["legacy_url"] == "http://x/?id=1"
    assert imported["logger"] == "importers.load" and imported["level"] == "INFO"
    assert failed["run_id"] == "run-42" and failed["level"] == "ERROR"
    assert "ZeroDivisionError" in failed["exc_info"]


def test_each_logger_reaches_exactly_one_handler(tmp_path):
    """Django's own console handler and the root's printed every line twice."""
    script = (
        "import json, logging\n"
        "counts = {}\n"
        "for name in ['django.request', 'django.security.csrf', 'syndication.tasks',\n"
        "             'importers.load', 'gunicorn.error', 'django_tasks', 'wagtail']:\n"
        "    logger, count = logging.getLogger(name), 0\n"
        "    while logger is not None:\n"
        "        count += len(logger.handlers)\n"
        "        logger = logger.parent if logger.propagate else None\n"
        "    counts[name] = count\n"
        "print(json.dumps(counts))\n"
    )
    for debug in ("0", "1"):
        result = manage("shell", "--no-imports", "-c", script, env=production_env(
            DEBUG=debug, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"
        ))
        assert result.returncode == 0, result.stderr
        assert set(json.loads(result.stdout).values()) == {1}, (debug, result.stdout)
