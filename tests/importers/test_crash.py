"""``kill -9`` a real ``manage.py import_legacy`` mid-run: nothing half-written is public,
the lock is not left stuck, and a re-run converges to the pages a clean import makes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from contextlib import closing

from bench.importer.sitegen import generate
from tests.serving import PYTHON, REPO, base_environment, manage, shell, wait_until

PAGES = 40
WRITTEN = ("SELECT count(*) FROM projectsite_importers_importrecord "
           "WHERE revision_id IS NOT NULL")

# Each imported page as it stands, with page links named by the legacy URL they point to
# (page IDs differ between two databases; everything else must not).
PAGES_NOW = r"""
import json, re
from wagtail.models import Revision
from importers.models import ImportRecord
records = list(ImportRecord.objects.exclude(kind="news_index").select_related("page"))
urls = {r.page_id: r.legacy_url for r in ImportRecord.objects.exclude(page=None)}
def named(html):
    return re.sub(r'linktype="page" id="(\d+)"',
                  lambda m: 'linktype="page" url="%s"' % urls[int(m.group(1))], html or "")
pages = {}
for r in records:
    p = r.page.specific
    parent = p.get_parent()
    pages[r.legacy_url] = {
        "kind": r.kind, "type": type(p).__name__, "title": p.title, "slug": p.slug,
        "parent": urls.get(parent.pk, parent.url_path), "live": p.live,
        "draft": p.has_unpublished_changes, "importers": r.revision_id == p.latest_revision_id,
        "body": named(getattr(p, "body", "")), "intro": named(getattr(p, "intro", "")),
        "milestones": [m.description for m in getattr(p, "milestones", []).all()]
        if hasattr(p, "milestones") else [],
        "revisions": Revision.objects.filter(object_id=str(p.pk)).count(),
    }
print(json.dumps(pages, sort_keys=True))
"""

PUBLIC_STUBS = r"""
from wagtail.models import Page
from importers.models import ImportRecord
ids = ImportRecord.objects.exclude(page=None).values("page_id")
print(Page.objects.filter(pk__in=ids, live=True, latest_revision=None).count())
"""


def written(db_url: str) -> int:
    """Pages whose content the importer wrote, read straight from the run's database."""
    if db_url.startswith("sqlite"):
        with closing(sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=10)) as db:
            return db.execute(WRITTEN).fetchone()[0]
    import psycopg

    with psycopg.connect(db_url) as db:
        return db.execute(WRITTEN).fetchone()[0]


def pages_now(env) -> dict:
    return json.loads(shell(env, PAGES_NOW).strip().splitlines()[-1])


def test_a_run_killed_mid_write_is_completed_by_the_next_as_a_clean_import(
    site_databases, tmp_path
):
    generate(tmp_path / "site" / "inno.baltmet.org", PAGES)  # a wget mirror: a folder per host
    source = str(tmp_path / "site")
    killed_db, clean_db = site_databases.fresh(), site_databases.fresh()
    killed = base_environment(DATABASE_URL=killed_db, MEDIA_ROOT=str(tmp_path / "media-1"))
    clean = base_environment(DATABASE_URL=clean_db, MEDIA_ROOT=str(tmp_path / "media-2"))

    run = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "import_legacy", source, "-v", "0"], cwd=REPO, env=killed,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: written(killed_db) >= 3, 120, "the run never started writing pages")
        run.send_signal(signal.SIGKILL)
    finally:
        run.kill()
        run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    at_kill = written(killed_db)

    manage(clean, "import_legacy", source, "-v", "0", timeout=600)
    expected = pages_now(clean)
    assert 3 <= at_kill < len(expected)  # killed half-way through writing content
    assert shell(killed, PUBLIC_STUBS).strip().splitlines()[-1] == "0"

    # the lock died with the process: the re-run is not refused, and converges
    manage(killed, "import_legacy", source, "-v", "0", timeout=600)
    assert pages_now(killed) == expected
    assert all(page["revisions"] == 1 and page["importers"] for page in expected.values())
