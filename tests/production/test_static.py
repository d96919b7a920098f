"""``gunicorn config.wsgi`` alone serves a working admin with DEBUG off:
WhiteNoise serves the collected static files, under hashed names cached
for ever, compressed for clients that accept it."""

import re

import pytest
import requests

from tests.production.servers import Gunicorn, production_env

ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def site(static_root, site_database, tmp_path_factory):
    server = Gunicorn(
        production_env(
            DATABASE_URL=site_database, STATIC_ROOT=static_root, TRUST_X_FORWARDED_PROTO=1
        ),
        tmp_path_factory.mktemp("static-site") / "gunicorn.log",
    )
    yield server
    server.stop()


#: What the TLS-terminating proxy in front adds to every request.
BEHIND_HTTPS = {"X-Forwarded-Proto": "https"}


def test_the_admins_css_is_served_with_debug_off(site):
    login = requests.get(site.url + "/admin/login/", headers=BEHIND_HTTPS, timeout=30)
    assert login.status_code == 200
    hashed = r'href="(/static/wagtailadmin/css/core\.[0-9a-f]{12}\.css)"'
    stylesheets = re.findall(hashed, login.text)
    assert stylesheets, "the admin links its stylesheet under a hashed name"

    css = requests.get(site.url + stylesheets[0], headers=BEHIND_HTTPS, timeout=30)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert len(css.content) > 10_000
    cache_control = css.headers["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= ONE_YEAR

    packed = requests.get(
        site.url + stylesheets[0],
        headers={**BEHIND_HTTPS, "Accept-Encoding": "gzip"},
        stream=True, timeout=30,
    )
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) < len(css.content)
    assert "Accept-Encoding" in packed.headers["Vary"]


def test_a_missing_static_file_is_a_404(site):
    response = requests.get(site.url + "/static/wagtailadmin/css/nope.css", headers=BEHIND_HTTPS)
    assert response.status_code == 404
