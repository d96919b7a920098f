"""A schemathesis run against the v3 OpenAPI document, anonymous and with an
editor's token: no server error, and every response conforms to the schema.

Each mode gets a fresh fixture site on a database of its own, served by
gunicorn, so the editor's run (which may copy, move or delete anything)
cannot destroy the site the anonymous run reads. Bounded in time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import base_environment, gunicorn, shell

#: Seconds of generated requests per mode.
BUDGET = int(os.environ.get("SCHEMATHESIS_SECONDS", "60"))
SCHEMATHESIS = str(Path(sys.executable).parent / "st")

FIXTURE_SITE = """
import datetime
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken, PageViewRestriction
from cms.models import Milestone, NewsPage, StandardPage, WorkPackagePage
from cms.site_tree import ensure_site_tree

tree = ensure_site_tree()
image = get_image_model().objects.create(title="Riga", file=get_test_image_file("riga.png"))
document = get_document_model()(title="Minutes")
document.file.save("minutes.txt", ContentFile(b"minutes"))
news = NewsPage(
    title="Workshops in St. Petersburg", date=datetime.date(2007, 6, 13), summary="Workshops.",
    body=f'<p><a linktype="document" id="{document.pk}">Minutes</a></p>', image=image,
    event_start=datetime.date(2007, 6, 13), event_end=datetime.date(2007, 6, 15),
    location="St. Petersburg",
)
news.tags.add("workshops")
tree.news.add_child(instance=news)
news.save_revision().publish()
draft = NewsPage(title="Draft", live=False)
tree.news.add_child(instance=draft)
draft.save_revision()
private = StandardPage(title="Members")
tree.home.add_child(instance=private)
private.save_revision().publish()
PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
package = WorkPackagePage(title="Work Package 2", number=2)
package.milestones = [Milestone(number=1, period_start=datetime.date(2005, 1, 1))]
tree.work_packages.add_child(instance=package)
package.save_revision().publish()
Redirect.objects.create(old_path="/pub/index.php?id=12", redirect_page=news)
editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
print(APIToken.create_token(user=editor, name="schemathesis")[1])
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["anonymous", "editor"])
def test_v3_answers_every_generated_request_without_a_server_error(
    site_databases, tmp_path, mode
):
    env = base_environment(
        DATABASE_URL=site_databases.fresh(), MEDIA_ROOT=str(tmp_path / "media"),
        CACHE_BACKEND="locmem", DEBUG="0",
        # Served over plain HTTP on 127.0.0.1: no redirect to HTTPS.
        SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0",
    )
    token = shell({**env, "DEBUG": "1"}, FIXTURE_SITE).strip().splitlines()[-1]
    headers = ["-H", f"Authorization: Bearer {token}"] if mode == "editor" else []
    with gunicorn(env, tmp_path / "server.log", workers=2) as base:
        result = subprocess.run(
            [SCHEMATHESIS, "run", f"{base}/api/v3/openapi.json", "--url", base,
             "--checks", "not_a_server_error,response_schema_conformance",
             "--max-time", str(BUDGET), "--seed", "11",
             # One request at a time: SQLite refuses a second writer at once
             # ("database is locked"), whatever the API does.
             "--workers", "1",
             "--suppress-health-check", "all", "--request-timeout", "30",
             # No snippet model is registered: the schema names no snippet type
             # to generate, so those operations cannot be called at all.
             "--exclude-path-regex", "/snippets/",
             "--report-dir", str(tmp_path / "report"), *headers],
            # In the test's folder: schemathesis keeps a cache where it runs.
            cwd=tmp_path, env={**env, "NO_COLOR": "1"}, capture_output=True, text=True,
            timeout=BUDGET * 3 + 120,
        )
    server_log = (tmp_path / "server.log").read_text()
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr + server_log[-10000:]
