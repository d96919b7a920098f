"""SQLite without lock errors: editors publishing at the same moment through
several server processes all succeed. Transactions take the write lock when
they begin (``transaction_mode: IMMEDIATE``), so a second writer waits for
the first instead of failing with "database is locked" half-way through."""

import shutil
import threading

import pytest
import requests
from django.db import connection

from tests.production.editor import Editor
from tests.production.servers import Gunicorn, production_env

EDITORS = 8

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="about SQLite: runs in CI's SQLite leg"
)


@pytest.fixture
def site(site_database, static_root, tmp_path):
    # A copy: the pages these editors add stay out of the other tests' database.
    path = tmp_path / "site.sqlite3"
    shutil.copy(site_database.removeprefix("sqlite:///"), path)
    server = Gunicorn(
        production_env(
            DATABASE_URL=f"sqlite:///{path}", STATIC_ROOT=static_root,
            SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0,
        ),
        tmp_path / "gunicorn.log",
        workers=4,
    )
    yield server
    server.stop()


def test_concurrent_publishing_waits_instead_of_failing(site):
    [index] = requests.get(
        site.url + "/api/v2/pages/?type=cms.NewsIndexPage", timeout=30
    ).json()["items"]
    editor = Editor(site.url, "editor", "editor-pw")
    editors = [editor.another_tab() for _ in range(EDITORS)]
    start, failures = threading.Barrier(EDITORS), []

    def publish(number):
        start.wait()
        try:
            editors[number].publish_news(index["id"], f"Together {number}", f"together-{number}")
        except AssertionError as error:
            failures.append(str(error)[:200])

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert "database is locked" not in site.output()
    news = requests.get(
        site.url + "/api/v2/pages/?type=cms.NewsPage&limit=50", timeout=30
    ).json()
    assert news["meta"]["total_count"] == EDITORS
