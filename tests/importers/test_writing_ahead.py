"""Pages are written while the crawl still reads, and the whole site's plan is checked at the end.

A distant server keeps the crawl waiting; the load writes the pages read so far
in that time.  What a later read changes (a news list showing a page read as a
plain page, another address of a news item) is put right at the end, and a
page whose forecast held is written once.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from bench.importer.sitegen import generate
from cms.models import NewsPage, StandardPage, WorkPackagePage
from importers.editor_html import finish_record
from importers.load import Loader
from importers.models import ImportRecord
from importers.pipeline import ImportOptions, run_import
from importers.plan import Plan
from importers.records import Kind, NewsItemRecord, PageRecord
from importers.report import Report
from tests.importers.legacy_server import LegacyServer

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
DATE = datetime.date(2007, 11, 13)


def url(n: int, extra: str = "") -> str:
    return f"{ORIGIN}index.php?id={n}{extra}"


class Reading:
    """Records handed to the load as the read stage hands them: each settled page at once."""

    def __init__(self) -> None:
        self.plan = Plan()
        self.report = Report(origin=ORIGIN)
        self.loader = Loader(self.report)

    def read(self, *records: PageRecord) -> Reading:
        for record in records:
            finish_record(record)
            self.plan.add(record)
            page = self.plan.settled(record)
            if page is not None:
                self.loader.place_read(page, self.plan)
        return self

    def end(self) -> Report:
        return self.loader.load(self.plan.ordered(), self.plan)


def listing(*items: tuple[str, str]) -> PageRecord:
    return PageRecord(url=url(12), kind=Kind.NEWS_INDEX, title="News", news_items=[
        NewsItemRecord(item, title, summary=f"Teaser of {title}.", date=DATE)
        for item, title in items
    ])


def detail(item: str, title: str, at: str | None = None) -> PageRecord:
    body = f"<p>Body of {title}.</p>"
    return PageRecord(url=at or item, kind=Kind.NEWS, title=title, body=body, news_items=[
        NewsItemRecord(item, title, summary=f"Body of {title}.", body=body)
    ])


def test_a_news_item_read_whole_is_live_before_the_crawl_ends_and_written_once():
    item = url(12, "&news=1")
    reading = Reading().read(listing((item, "Conference")), detail(item, "Conference"))
    page = NewsPage.objects.get()
    assert page.live and page.summary == "Teaser of Conference."  # before the end
    report = reading.end()
    assert report.pages[item].action == "created"
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    assert Redirect.objects.get(redirect_page=page).old_path == "/pub/index.php?id=12&news=1"


def test_a_page_whose_link_is_not_read_yet_waits_for_the_linked_page():
    reading = Reading().read(
        PageRecord(url=url(1), kind=Kind.PAGE, title="Riga",
                   body=f'<p>See <a href="{url(2)}">Tallinn</a>.</p>'),
    )
    riga = StandardPage.objects.get(title="Riga")
    assert not riga.live and riga.latest_revision is None  # a stub: its link waits
    reading.read(PageRecord(url=url(2), kind=Kind.PAGE, title="Tallinn",
                            body=f'<p>See <a href="{url(3)}">Vilnius</a>.</p>'))
    riga.refresh_from_db()
    tallinn = StandardPage.objects.get(title="Tallinn")
    assert riga.live and f'<a linktype="page" id="{tallinn.pk}">' in riga.body  # not the end
    assert not tallinn.live  # Vilnius is never read: Tallinn waits for the end
    reading.end()
    tallinn.refresh_from_db()
    assert tallinn.live and f'href="{url(3)}"' in tallinn.body
    for page in (riga, tallinn):
        assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1


def test_a_work_package_is_written_once_its_parts_are_placed_without_their_menu():
    menu = "".join(f'<li><a href="{url(n)}">Part {n}</a></li>' for n in (21, 22))
    package = PageRecord(url=url(20), kind=Kind.WORK_PACKAGE, title="Work Package 2",
                         work_package=2, intro=f"<p>Intro.</p><ul>{menu}</ul>",
                         status="On track.")
    parts = [PageRecord(url=url(n), kind=Kind.WORK_PACKAGE, title=f"Part {n}", work_package=2,
                        parent_url=url(20), intro="<p>A part.</p>") for n in (21, 22)]
    reading = Reading().read(package, parts[0])
    assert not WorkPackagePage.objects.get(number=2).live  # part 22 is not read yet
    reading.read(parts[1])
    wp = WorkPackagePage.objects.get(number=2)
    assert wp.live and wp.intro == "<p>Intro.</p>"  # before the end, the menu cut
    reading.end()
    assert Revision.page_revisions.filter(object_id=str(wp.pk)).count() == 1
    assert [p.title for p in wp.get_children()] == ["Part 21", "Part 22"]


def test_a_page_a_later_news_list_shows_as_an_item_is_made_anew_as_news():
    reading = Reading().read(PageRecord(url=url(5), kind=Kind.PAGE, title="Riga",
                                        body="<p>Riga hosts the kick-off.</p>"))
    early = StandardPage.objects.get()
    assert early.live
    report = reading.read(listing((url(5), "Kick-off in Riga"))).end()
    assert not StandardPage.objects.exists()
    news = NewsPage.objects.get()
    assert (news.title, news.summary, news.date) == ("Kick-off in Riga",
                                                     "Teaser of Kick-off in Riga.", DATE)
    assert ImportRecord.objects.get(legacy_url=url(5)).page_id == news.pk
    assert Redirect.objects.get(old_path="/pub/index.php?id=5").redirect_page_id == news.pk
    assert report.pages[url(5)].action == "created"
    assert report.totals["created"] == 2  # the item and the list (the News page)


def test_another_address_of_an_item_written_early_redirects_too():
    item = url(12, "&news=1")
    reading = Reading().read(listing((item, "Conference")), detail(item, "Conference"))
    page = NewsPage.objects.get()
    reading.read(detail(item, "Conference", at=url(12, "&news=1&print=1"))).end()
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    redirected = {r.old_path for r in Redirect.objects.filter(redirect_page=page)}
    assert redirected == {"/pub/index.php?id=12&news=1", "/pub/index.php?id=12&news=1&print=1"}


def later_detail(item: str, body: str) -> PageRecord:
    """The item's page read again at another address, with another text."""
    return PageRecord(url=f"{item}&print=1", kind=Kind.NEWS, title="Conference", body=body,
                      news_items=[NewsItemRecord(item, "Conference", summary="", body=body)])


def test_an_item_a_later_read_changed_gets_a_second_revision_of_this_runs():
    item = url(12, "&news=1")
    reading = Reading().read(listing((item, "Conference")), detail(item, "Conference"))
    page = NewsPage.objects.get()
    report = reading.read(later_detail(item, "<p>The final programme.</p>")).end()
    page.refresh_from_db()
    assert page.body == "<p>The final programme.</p>" and page.live
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2
    assert report.pages[item].action == "created"
    assert ImportRecord.objects.get(legacy_url=item).last_action == "created"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("eva", "eva@example.org", "x")


def test_an_editors_change_after_the_early_write_is_kept(editor):
    item = url(12, "&news=1")
    reading = Reading().read(listing((item, "Conference")), detail(item, "Conference"))
    page = NewsPage.objects.get()
    page.summary = "Edited by the editor."
    page.save_revision(user=editor).publish(user=editor)
    report = reading.read(later_detail(item, "<p>The final programme.</p>")).end()
    page.refresh_from_db()
    assert page.summary == "Edited by the editor." and page.body == "<p>Body of Conference.</p>"
    assert report.pages[item].action == "skipped_edited"


def test_a_dry_run_writes_nothing_while_it_reads():
    item = url(12, "&news=1")
    reading = Reading()
    reading.loader = Loader(reading.report, dry_run=True)
    reading.read(listing((item, "Conference")), detail(item, "Conference"))
    assert not Page.objects.filter(depth__gt=2).exists()
    assert reading.end().pages[item].action == "created"
    assert not NewsPage.objects.exists()


def test_pages_are_written_while_a_distant_server_is_still_read(tmp_path, settings):
    """The whole pipeline over HTTP: most pages have their one revision before the
    crawl asks for its last page."""
    settings.MEDIA_ROOT = tmp_path / "media"
    generate(tmp_path / "site", 60)
    with LegacyServer(tmp_path / "site") as server:
        server.latency = 0.02
        report = run_import(ImportOptions(sources=[server.url("index.php?id=1")],
                                          origin=ORIGIN))
        last_asked = max(server.starts)
        asked_at = server.wall_clock(last_asked)
    assert report.exit_code == 0
    created = report.totals["created"]
    early = Revision.page_revisions.filter(created_at__lt=asked_at).count()
    assert early >= created // 2, (early, created)
    imported = ImportRecord.objects.exclude(kind=Kind.NEWS_INDEX).values_list("page_id", flat=True)
    twice = (Revision.page_revisions.filter(object_id__in=[str(pk) for pk in imported])
             .values("object_id").annotate(n=Count("id")).filter(n__gt=1))
    assert list(twice) == []  # (the News page, which carries the lists' addresses, aside)
