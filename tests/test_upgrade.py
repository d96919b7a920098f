"""A database made by an earlier release migrates to this one with nothing lost.

The feeds and importer apps moved to new labels and the home page type was
renamed. The test builds a database with the release before that change (its
code taken from git history), imports the sample and sets feed settings
there, then migrates it with today's code and reads everything back.
"""

import io
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
#: The last release under the former labels ("syndication", "importers", cms.HomePage).
FORMER_RELEASE = "0496f3a2a9172ee8121d8ad7fe4265475a649578"
ORIGIN = "http://inno.baltmet.org/pub/"

READ_BACK = """
import json
from django.contrib.contenttypes.models import ContentType
from django.apps import apps
from wagtail.models import Page
pages = sorted(
    (p.pk, p.title, p.content_type.app_label + "." + p.content_type.model)
    for p in Page.objects.select_related("content_type")
)
feeds = apps.get_model("%(feeds)s", "FeedSettings").objects.values_list("title", flat=True)
records = apps.get_model("%(importers)s", "ImportRecord").objects.values_list(
    "legacy_url", "page_id")
images = apps.get_model("%(importers)s", "ImportedImage").objects.count()
labels = sorted(set(ContentType.objects.values_list("app_label", flat=True)))
print(json.dumps({"pages": pages, "feeds": list(feeds), "records": sorted(records),
                  "images": images, "labels": labels}))
"""

#: The default site's feed news, and all news: migration cms.0005 gives every
#: news page its home, which the feed reads them by.
FEED_NEWS = """
from wagtail.models import Site
from cms.models import NewsPage
from syndication.query import public_news
print(public_news(Site.objects.get(is_default_site=True)).count(), NewsPage.objects.count())
"""


def manage(cwd, env, *args, python=(sys.executable,)):
    result = subprocess.run(
        [*python, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def former_release(tmp_path):
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", FORMER_RELEASE],
        capture_output=True,
        check=True,
    ).stdout
    tree = tmp_path / "former"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    # The former release alone: the editable install of the working tree (a
    # meta path finder) would lend it modules it never had, such as a newer
    # app's wagtail_hooks, which Wagtail discovers by name.
    (tree / "sitecustomize.py").write_text(
        "import sys\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
    )
    return tree


@pytest.fixture
def database_url(tmp_path):
    """A database of its own, of the kind the suite runs on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"] or "postgres"
    yield f"postgres://{user}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_former_release_keeps_its_data(tmp_path, database_url):
    former = former_release(tmp_path)
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env.update(DEBUG="1", SECRET_KEY="upgrade-test", DATABASE_URL=database_url,
               MEDIA_ROOT=str(tmp_path / "media"))
    # The former release alone: without site's .pth files, the editable install
    # of today's code cannot lend it modules the former release does not have.
    site_packages = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    former_env = {**env, "PYTHONPATH": os.pathsep.join([str(former), *site_packages])}

    def manage_former(*args):
        return manage(former, former_env, *args, python=(sys.executable, "-S"))

    manage_former("migrate", "--noinput")
    manage_former("create_project_site")
    manage_former("import_legacy", "importers/sample", "--origin", ORIGIN)
    manage_former(
        "shell", "--no-imports", "-c",
        "from wagtail.models import Site; from syndication.models import FeedSettings;"
        "FeedSettings.objects.create(site=Site.objects.get(is_default_site=True),"
        " title='BaltMet Inno news', item_count=7)",
    )
    before = json.loads(manage_former(
        "shell", "--no-imports", "-c",
        READ_BACK % {"feeds": "syndication", "importers": "importers"},
    ))
    assert before["records"] and before["feeds"] == ["BaltMet Inno news"]

    manage(ROOT, env, "migrate", "--noinput")
    after = json.loads(manage(
        ROOT, env, "shell", "--no-imports", "-c",
        READ_BACK % {"feeds": "projectsite_feeds", "importers": "projectsite_importers"},
    ))

    renamed = {"cms.homepage": "cms.projecthomepage"}
    assert after["pages"] == [
        [pk, title, renamed.get(kind, kind)] for pk, title, kind in before["pages"]
    ]
    assert after["feeds"] == before["feeds"]
    assert after["records"] == before["records"]
    assert after["images"] == before["images"]
    assert "syndication" not in after["labels"] and "importers" not in after["labels"]
    assert {"projectsite_feeds", "projectsite_importers"} <= set(after["labels"])
    shown, news = map(int, manage(ROOT, env, "shell", "--no-imports", "-c", FEED_NEWS).split())
    assert shown == news > 0

    # The import records still map the legacy pages: a re-run creates only the pages
    # today's sample has and the former release's had not.
    added = set(json.loads((ROOT / "sample/legacy-site/manifest.json").read_text())) - set(
        json.loads((former / "importers/sample/manifest.json").read_text()))
    report = tmp_path / "report.json"
    manage(ROOT, env, "import_legacy", "sample/legacy-site", "--origin", ORIGIN,
           "--report", str(report))
    done = json.loads(report.read_text())
    totals = done["totals"]
    assert totals["created"] == len(added) and totals["failed"] == 0, totals
    created = {page["legacy_url"] for page in done["pages"] if page["action"] == "created"}
    assert created == added
