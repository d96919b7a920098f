"""``/healthz``: 200 ``ok`` when the database and the cache answer, 200
``degraded`` naming the cache when only it does not, 503 when the database
does not; no session, no cookie, no write, one query."""

import logging

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.production.servers import Gunicorn, free_port, production_env


@pytest.fixture
def closed_port():
    return free_port()


def test_healthy_answers_200_with_one_read_and_nothing_else(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert [query["sql"] for query in queries] == ["SELECT 1"]
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert client.head("/healthz").status_code == 200


def test_nothing_but_get_and_head(client, db):
    assert client.post("/healthz").status_code == 405


def test_any_host_and_plain_http_are_answered(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["cms.example.org"]
    assert client.get("/healthz", headers={"Host": "10.0.0.7"}).status_code == 200
    # ...while every other page still insists on both.
    assert client.get("/admin/", headers={"Host": "cms.example.org"}).status_code == 301
    assert client.get("/admin/", headers={"Host": "10.0.0.7"}).status_code == 400


@pytest.mark.parametrize("backend", [
    "cms.fail_soft_cache.FailSoftRedisCache", "django.core.cache.backends.redis.RedisCache",
])
def test_an_unreachable_cache_is_degraded_not_down(
    client, db, settings, closed_port, caplog, backend
):
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": f"redis://127.0.0.1:{closed_port}/0"}
    }
    with caplog.at_level(logging.WARNING, logger="config.health"):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "failed": ["cache"]}
    [line] = [r for r in caplog.records if r.name == "config.health"]
    assert line.check == "cache" and "refused" in line.getMessage().lower()


def test_gunicorn_serves_and_is_degraded_when_its_cache_is_a_closed_port(
    site_database, static_root, closed_port, tmp_path
):
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, SECURE_SSL_REDIRECT=0,
            REDIS_URL=f"redis://127.0.0.1:{closed_port}/0",
        ),
        tmp_path / "gunicorn.log",
    )
    try:
        response = requests.get(server.url + "/healthz", timeout=30)
        assert response.status_code == 200
        assert response.json() == {"status": "degraded", "failed": ["cache"]}
        for path in ("/", "/feeds/news.rss", "/api/v2/pages/", "/api/v3/pages/"):
            assert requests.get(server.url + path, timeout=30).status_code == 200, path
    finally:
        server.stop()
    output = server.output()
    assert '"check": "cache"' in output
    assert "Traceback" not in output
    # Logged once for the outage, not once per request.
    assert output.count("serving without it") == 1


def test_gunicorn_answers_503_when_its_database_is_unreachable(static_root, tmp_path):
    server = Gunicorn(
        production_env(
            DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/nothing",
            STATIC_ROOT=static_root,
        ),
        tmp_path / "gunicorn.log",
    )
    try:
        response = requests.get(server.url + "/healthz", timeout=30)
        assert response.status_code == 503
        assert response.json() == {"status": "failed", "failed": ["database"]}
    finally:
        server.stop()
