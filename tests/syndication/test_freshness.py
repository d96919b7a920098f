"""Fresh from every process, with any cache: a second process publishes,
unpublishes and imports while gunicorn (two workers, each with its own
memory) serves the feeds.

Where Django's cache is local to each process (local memory, the default)
the change shows within a second (a feed lives a second there); with a
shared cache or Redis, within ``SYNDICATION_SHARED_RECHECK`` (each process
reads the generation from it again at most that often): every request sent
later than that after the change shows it.
"""

import json
import os
import time
import uuid

import pytest

from syndication.conf import shared_recheck
from tests.serving import base_environment, get, gunicorn, manage, shell

#: The servers' own default (the environment sets no SYNDICATION_SHARED_RECHECK).
SHARED = "shared recheck"
MODES = {
    "local memory": ({"CACHE_BACKEND": "locmem"}, 1.0),
    "database cache": ({"CACHE_BACKEND": "database"}, SHARED),
    "file cache": ({"CACHE_BACKEND": "file"}, SHARED),
    "redis": ({"REDIS_URL": os.environ.get("REDIS_URL", "")}, SHARED),
}
#: Where a feed lives a second in each worker: what one request may take on
#: a busy machine beyond it (the second starts when the worker rendered it).
SLACK = 0.5
#: Consecutive fresh answers that show both workers have the change.
STREAK = 8

SETUP = """
import datetime
from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
tree = ensure_site_tree()
page = NewsPage(title="Before", date=datetime.date(2030, 1, 1))
tree.news.add_child(instance=page)
page.save_revision().publish()
"""
PUBLISH = """
import datetime
from cms.models import NewsIndexPage, NewsPage
news = NewsIndexPage.objects.get()
page = NewsPage(title="Published elsewhere", date=datetime.date(2030, 1, 2))
news.add_child(instance=page)
page.save_revision().publish()
"""
UNPUBLISH = """
from cms.models import NewsPage
NewsPage.objects.get(title="Published elsewhere").unpublish()
"""
IMPORTED = "BaltMet Inno Workshops in St. Petersburg, 13-15 June 2007"


def titles(base):
    status, _headers, body = get(base + "/feeds/news.json")
    assert status == 200, body[:300]
    return [item["title"] for item in json.loads(body)["items"]]


def assert_fresh(base, shows_change, changed_at, delay):
    """Every request sent more than ``delay`` after the change shows it: with
    a shared cache, exactly (a worker's generation read before the change is
    used for at most the recheck, counted from before the request was sent);
    where a feed lives a second in each worker, give or take :data:`SLACK`."""
    if delay == SHARED:
        delay, slack = shared_recheck(), 0.0
    else:
        slack = SLACK
    streak, last_stale = 0, None
    deadline = changed_at + delay + slack + 10
    while streak < STREAK:
        asked = time.monotonic()
        assert asked < deadline, "the change never showed"
        if shows_change(titles(base)):
            streak += 1
        else:
            streak, last_stale = 0, asked - changed_at
    assert last_stale is None or last_stale <= delay + slack, f"stale after {last_stale:.3f}s"


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_changes_from_another_process_reach_every_worker(site_databases, tmp_path, mode):
    settings, delay = MODES[mode]
    if "REDIS_URL" in settings and not settings["REDIS_URL"]:
        pytest.skip("needs Redis (REDIS_URL)")
    env = base_environment(
        DATABASE_URL=site_databases.fresh(), CACHE_KEY_PREFIX=f"fresh-{uuid.uuid4().hex}",
        CACHE_LOCATION=str(tmp_path / "cache") if mode == "file cache" else "",
        MEDIA_ROOT=str(tmp_path / "media"), **settings,
    )
    if mode != "file cache":
        env.pop("CACHE_LOCATION")
    shell(env, SETUP)
    with gunicorn(env, tmp_path / "server.log", workers=2) as base:
        for _ in range(STREAK):  # both workers render and keep the feed
            assert titles(base) == ["Before"]

        shell(env, PUBLISH)
        assert_fresh(base, lambda t: "Published elsewhere" in t, time.monotonic(), delay)

        shell(env, UNPUBLISH)
        assert_fresh(base, lambda t: "Published elsewhere" not in t, time.monotonic(), delay)

        manage(env, "import_legacy", "sample/legacy-site", "--origin",
               "http://inno.baltmet.org/pub/", timeout=300)
        assert_fresh(base, lambda t: IMPORTED in t, time.monotonic(), delay)
