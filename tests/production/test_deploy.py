"""Secure by default in production: with DEBUG off and only SECRET_KEY and
ALLOWED_HOSTS set, Django's deploy checks are silent and the server
redirects to HTTPS, sends HSTS and marks cookies secure; each protection
can be relaxed by its own variable; ``/healthz`` stays reachable over plain
HTTP from a balancer that polls by IP address."""

import pytest
import requests

from tests.production.servers import Gunicorn, manage, production_env, wait_until

DEPLOY_CHECK = ["check", "--deploy", "--fail-level", "WARNING"]


def test_deploy_check_is_silent_with_only_the_key_and_the_hosts(static_root):
    result = manage(*DEPLOY_CHECK, env=production_env(ALLOWED_HOSTS="cms.example.org",
                                                      STATIC_ROOT=static_root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_static_files_not_collected_are_a_deploy_error_not_a_500_on_every_page(tmp_path):
    """Without ``collectstatic`` every page, the 404 page too, would raise for its
    stylesheet; the deploy check says so before the site is served."""
    result = manage(*DEPLOY_CHECK, env=production_env(STATIC_ROOT=tmp_path))
    assert result.returncode != 0
    assert "cms.E006" in result.stderr and "collectstatic" in result.stderr
    assert "cms/site.css" in result.stderr


@pytest.mark.parametrize(
    ("variable", "warnings"),
    [
        ("SECURE_SSL_REDIRECT", {"security.W008"}),
        ("SECURE_HSTS_SECONDS", {"security.W004"}),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", {"security.W005"}),
        ("SECURE_HSTS_PRELOAD", {"security.W021"}),
        ("SECURE_COOKIES", {"security.W012", "security.W016"}),
    ],
)
def test_each_protection_can_be_relaxed_on_purpose(variable, warnings):
    result = manage(*DEPLOY_CHECK, env=production_env(**{variable: "0"}))
    assert result.returncode != 0
    words = result.stderr.split()
    reported = {word.strip("():") for word in words if word.startswith("(security.")}
    assert reported == warnings, result.stderr


@pytest.fixture(scope="module")
def site(site_database, static_root, tmp_path_factory):
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, TRUST_X_FORWARDED_PROTO=1,
            # gunicorn itself trusts X-Forwarded-Proto from 127.0.0.1; here
            # only the site's setting may, as with a balancer on another machine.
            FORWARDED_ALLOW_IPS="192.0.2.1",
        ),
        tmp_path_factory.mktemp("deploy") / "gunicorn.log",
    )
    yield server
    server.stop()


def test_plain_http_is_redirected_to_https(site):
    response = requests.get(site.url + "/admin/login/", allow_redirects=False, timeout=30)
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{site.port}/admin/login/"


def test_https_from_the_proxy_gets_hsts_and_secure_cookies(site):
    response = requests.get(
        site.url + "/admin/login/", headers={"X-Forwarded-Proto": "https"}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    [csrf] = [cookie for cookie in response.cookies if cookie.name == "csrftoken"]
    assert csrf.secure


def test_the_health_check_answers_plain_http_from_any_address(site):
    for host in ("127.0.0.1", "10.1.2.3"):  # a balancer polls by the instance's IP
        response = requests.get(
            site.url + "/healthz", headers={"Host": host}, allow_redirects=False, timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok"}
        assert "Set-Cookie" not in response.headers


def test_each_worker_connects_before_its_first_request(site_databases, tmp_path):
    """Each gunicorn worker answers a health probe of its own when it starts,
    so the first reader it serves does not wait for its database connection."""
    url = site_databases.fresh()
    if not url.startswith("postgres"):
        pytest.skip("counts the server's sessions in pg_stat_activity: PostgreSQL")
    import psycopg

    env = production_env(DATABASE_URL=url, SECURE_SSL_REDIRECT=0)
    server = Gunicorn(env, tmp_path / "server.log", workers=2)
    try:
        name = url.rpartition("/")[2]

        def sessions():
            with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as db:
                return db.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
                ).fetchone()[0]

        # One request so far (the start-up check, answered by one worker): a
        # second session is the other worker's, opened before any request.
        wait_until(lambda: sessions() >= 2, 60, f"one worker stayed cold:\n{server.output()}")
    finally:
        server.stop()
