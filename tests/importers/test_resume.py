"""``kill -9`` a real ``manage.py import_legacy`` reading a distant site over HTTP, at several
points, then run it again: the second run fetches no page the killed one kept, and the result
(pages, redirects, report totals) is the one a clean import makes.  And a kill while images
are stored leaves no file that no image names."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from bench.importer.sitegen import generate
from importers.lookahead import AHEAD_PER_CONNECTION
from tests.importers.legacy_server import LegacyServer
from tests.importers.test_crash import pages_now, written
from tests.serving import PYTHON, REPO, base_environment, manage, shell, wait_until

PAGES = 40
ORIGIN = "http://inno.baltmet.org/pub/"  # given: else each run reads the first page to find it
LATENCY = 0.06  # seconds per answer: a server far away (the crawl keeps each answer then)
FRONTIER = "SELECT url FROM projectsite_importers_importrunfrontier"
IMAGES = "SELECT count(*) FROM wagtailimages_image"

REDIRECTS = r"""
import json
from wagtail.contrib.redirects.models import Redirect
from importers.models import ImportRecord
urls = {r.page_id: r.legacy_url for r in ImportRecord.objects.exclude(page=None)}
print(json.dumps(sorted([r.old_path, urls.get(r.redirect_page_id), r.redirect_link]
                        for r in Redirect.objects.all())))
"""


def query(db_url: str, sql: str) -> list[tuple]:
    if db_url.startswith("sqlite"):
        with closing(sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=10)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(db_url) as db:
        return db.execute(sql).fetchall()


def pages_requested(paths: list[str]) -> list[str]:
    return [p for p in paths if not p.endswith("robots.txt")]


def start(env, source: str, concurrency: int) -> subprocess.Popen:
    args = ["--concurrency", str(concurrency)]
    return subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "import_legacy", source, "--origin", ORIGIN, "-v", "0", *args],
        cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill(run: subprocess.Popen) -> None:
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL


def result(env, report: Path) -> tuple:
    totals = json.loads(report.read_text())["totals"]
    return pages_now(env), json.loads(shell(env, REDIRECTS).strip().splitlines()[-1]), totals


@pytest.fixture
def distant_site(tmp_path):
    generate(tmp_path / "site", PAGES)
    with LegacyServer(tmp_path / "site") as server:
        server.latency = LATENCY
        yield server


@pytest.mark.parametrize(("point", "concurrency"), [("reading", 1), ("reading", 4), ("writing", 4)])
def test_a_killed_run_is_continued_without_fetching_its_pages_again(
    site_databases, tmp_path, distant_site, point, concurrency
):
    server, source = distant_site, distant_site.url("index.php?id=1")
    killed_db, clean_db = site_databases.fresh(), site_databases.fresh()
    killed = base_environment(DATABASE_URL=killed_db, MEDIA_ROOT=str(tmp_path / "media-1"))
    clean = base_environment(DATABASE_URL=clean_db, MEDIA_ROOT=str(tmp_path / "media-2"))

    manage(clean, "import_legacy", source, "--origin", ORIGIN, "-v", "0",
           "--report", str(tmp_path / "clean.json"), timeout=600)
    expected = result(clean, tmp_path / "clean.json")
    everything = len(pages_requested(server.requests))
    del server.requests[:]

    run = start(killed, source, concurrency)
    try:
        if point == "reading":  # a third of the pages fetched
            wait_until(lambda: len(pages_requested(server.requests)) >= everything // 3, 120,
                       "the run never fetched pages")
        else:
            wait_until(lambda: written(killed_db) >= 3, 120, "the run never wrote pages")
    finally:
        kill(run)
    first = pages_requested(server.requests)
    kept = {url for (url,) in query(killed_db, FRONTIER)}
    assert 3 <= len(first) < everything or point == "writing"
    del server.requests[:]

    manage(killed, "import_legacy", source, "--origin", ORIGIN, "-v", "0",
           "--report", str(tmp_path / "resumed.json"), timeout=600)
    again = [p for p in pages_requested(server.requests) if p in first]
    # Pages are written as they are read: killed while writing, the crawl may still read.
    # At most the answers on their way, or read ahead, when the run was killed, and the
    # page in hand (read, not yet written) are fetched again.
    lost = 1 if concurrency == 1 else AHEAD_PER_CONNECTION * concurrency + 1
    assert len(again) <= lost and set(again) <= set(first[-lost:])
    assert len(kept) >= len(first) - lost
    assert len(pages_requested(server.requests)) + len(first) - len(again) == everything
    assert result(killed, tmp_path / "resumed.json") == expected
    # the run completed: its frontier is gone, and the next run reads everything again
    assert query(killed_db, FRONTIER) == []
    del server.requests[:]
    manage(killed, "import_legacy", source, "--origin", ORIGIN, "-v", "0", timeout=600)
    assert len(pages_requested(server.requests)) == everything


def noise_png(seed: int, side: int = 900) -> bytes:
    """An image no compression makes small: its file takes a while to store."""
    from PIL import Image

    data = os.urandom(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), data).save(out, "PNG", compress_level=0)
    return out.getvalue()


def test_a_kill_while_images_are_stored_leaves_no_file_that_no_image_names(
    site_databases, tmp_path
):
    """The file of an image whose row never committed is removed by the next run."""
    folder = tmp_path / "site" / "inno.baltmet.org" / "pub"
    folder.mkdir(parents=True)
    count = 12
    images = "".join(f'<p><img src="fileadmin/pic{n}.png" alt="p{n}"></p>' for n in range(count))
    (folder / "index.php?id=1.html").write_text(
        '<html><head><base href="http://inno.baltmet.org/pub/">'
        "<title>BaltMet Inno: Home</title></head><body><!--TYPO3SEARCH_begin-->"
        f"<h1>Home</h1>{images}<!--TYPO3SEARCH_end--></body></html>"
    )
    (folder / "fileadmin").mkdir()
    for n in range(count):
        (folder / "fileadmin" / f"pic{n}.png").write_bytes(noise_png(n))
    media = tmp_path / "media"
    db = site_databases.fresh()
    env = base_environment(DATABASE_URL=db, MEDIA_ROOT=str(media))
    originals = media / "original_images"

    def orphan_now() -> bool:  # a file is stored whose image has not committed
        files = len(list(originals.iterdir())) if originals.exists() else 0
        return files > query(db, IMAGES)[0][0]

    run = start(env, str(tmp_path / "site"), 1)
    try:
        wait_until(orphan_now, 300, "no image file was ever stored ahead of its row",
                   interval=0.001)
    finally:
        kill(run)
    assert orphan_now()

    manage(env, "import_legacy", str(tmp_path / "site"), "--origin", ORIGIN, "-v", "0",
           timeout=600)
    stored = sorted(f"original_images/{f.name}" for f in originals.iterdir())
    named = shell(env, "from wagtail.images.models import Image\n"
                       "print(sorted(Image.objects.values_list('file', flat=True)))")
    assert str(stored) == named.strip().splitlines()[-1]
    assert len(stored) == count
