"""The load stage on its own: records in, Wagtail pages, revisions, redirects out (real DB)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from cms.models import Milestone, NewsPage, StandardPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.editor_html import finish_record
from importers.files import Files, ReadFile
from importers.load import Loader
from importers.load.redirects import Redirects
from importers.models import ImportRecord
from importers.plan import Plan
from importers.records import Kind, MilestoneRecord, NewsItemRecord, PageRecord
from importers.report import Report

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def url(n: int, extra: str = "") -> str:
    return f"{ORIGIN}index.php?id={n}{extra}"


def load(*records: PageRecord, force=False, images=None, loader_class=Loader) -> Report:
    """Load ``records``; ``images`` are the bytes the read stage read, by URL."""
    plan = Plan()
    for record in records:
        finish_record(record)  # as the read stage hands it on
        plan.add(record)
    report = Report(origin=ORIGIN)
    files = Files(images={url: ReadFile.holding(url, data) for url, data in (images or {}).items()})
    return loader_class(report, force=force, files=files).load(plan.ordered(), plan)


def page_record(n: int, title: str, body: str = "<p>Text.</p>", **kw) -> PageRecord:
    return PageRecord(url=url(n), kind=Kind.PAGE, title=title, body=body, **kw)


def work_package(n: int, number: int, title: str, parent: int | None = None, milestones=()):
    return PageRecord(
        url=url(n), kind=Kind.WORK_PACKAGE, title=title, work_package=number,
        parent_url=url(parent) if parent else None, intro="<p>Intro.</p>",
        milestones=list(milestones), status="On track.",
    )


def milestone(number: int, text: str = "Work.") -> MilestoneRecord:
    return MilestoneRecord(number, "2005-01", "2005-06", f"<p>{text}</p>")


def revisions(page: Page) -> int:
    return Revision.objects.filter(object_id=str(page.pk)).count()


def png(color: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (4, 4), color).save(out, "PNG")
    return out.getvalue()


# -- pages, tree, slugs -----------------------------------------------------------------


def test_pages_go_where_their_kind_belongs():
    report = load(
        work_package(208, 2, "Work Package 2"),
        work_package(209, 2, "Marketing Strategies", parent=208, milestones=[milestone(1)]),
        page_record(300, "Riga"),
    )
    assert report.exit_code == 0
    wp = WorkPackagePage.objects.get(number=2)
    part = WorkPackagePage.objects.get(title="Marketing Strategies")
    assert part.get_parent().pk == wp.pk and part.number is None
    assert wp.get_parent().specific.__class__.__name__ == "WorkPackageIndexPage"
    assert StandardPage.objects.get(title="Riga").get_parent().specific.__class__.__name__ == (
        "ProjectHomePage"
    )
    assert [(m.number, m.period_start, m.period_end) for m in part.milestones.all()] == [
        (1, datetime.date(2005, 1, 1), datetime.date(2005, 6, 1))
    ]


def test_slugs_are_readable_and_unique_among_siblings():
    load(page_record(1, "Riga – Capital"), page_record(2, "Riga – capital!"), page_record(3, "Ä"))
    slugs = sorted(StandardPage.objects.values_list("slug", flat=True))
    assert slugs == ["riga-capital", "riga-capital-2", "ä"]


def test_a_part_whose_work_package_was_never_read_gets_a_stub():
    report = load(work_package(209, 7, "Part of seven", parent=207))
    stub = WorkPackagePage.objects.get(number=7)
    assert stub.title == "Work Package 7" and stub.legacy_url == url(207)
    assert WorkPackagePage.objects.get(title="Part of seven").get_parent().pk == stub.pk
    assert report.pages[url(207)].action == "created"
    assert any("stub" in w for w in report.pages[url(207)].warnings)
    # Reading the work package's own page later fills the stub in; no second page.
    report = load(work_package(207, 7, "Cluster development"),
                  work_package(209, 7, "Part of seven", parent=207))
    assert report.pages[url(207)].action == "updated"
    assert WorkPackagePage.objects.filter(number=7).count() == 1
    assert WorkPackagePage.objects.get(number=7).title == "Cluster development"


def test_a_part_whose_parent_link_is_not_a_work_package_stays_in_work_packages():
    load(page_record(300, "Partners"))
    report = load(work_package(209, 2, "Loose part", parent=300))
    part = WorkPackagePage.objects.get(title="Loose part")
    assert part.get_parent().specific.__class__.__name__ == "WorkPackageIndexPage"
    assert any("not a work package" in w for w in report.pages[url(209)].warnings)


def test_a_page_that_changed_kind_fails_clearly_and_keeps_its_page():
    load(page_record(300, "Partners"))
    report = load(work_package(300, 4, "Work Package 4"))
    result = report.pages[url(300)]
    assert result.action == "failed"
    assert "was imported as page, is now work_package" in result.errors[0]
    assert StandardPage.objects.get(title="Partners")


# -- news ---------------------------------------------------------------------------------


def test_news_item_is_one_page_however_many_pages_show_it():
    item = url(12, "&gid=2&lid=97")
    listing = PageRecord(
        url=url(12), kind=Kind.NEWS_INDEX, title="News",
        news_items=[NewsItemRecord(item, "Conference", summary="The teaser.",
                                   date=datetime.date(2007, 11, 13))],
    )
    detail = PageRecord(
        url=item, kind=Kind.NEWS, title="Conference", body="<p>The body.</p>",
        news_items=[NewsItemRecord(item, "Conference", summary="The body.",
                                   body="<p>The body.</p>", location="Berlin")],
    )
    load(listing, detail)
    page = NewsPage.objects.get()
    assert (page.summary, page.body, page.date, page.location) == (
        "The teaser.", "<p>The body.</p>", datetime.date(2007, 11, 13), "Berlin"
    )
    assert page.live


def test_news_without_a_date_is_a_draft_with_a_warning():
    item = url(12, "&lid=5")
    report = load(PageRecord(url=item, kind=Kind.NEWS, title="Undated",
                             news_items=[NewsItemRecord(item, "Undated", body="<p>x</p>")]))
    page = NewsPage.objects.get()
    assert not page.live and page.date is None
    assert revisions(page) == 1
    assert any("draft" in w for w in report.pages[item].warnings)


# -- links and images ---------------------------------------------------------------------


def test_links_to_imported_pages_become_page_links_without_a_second_revision():
    first = page_record(1, "First", f'<p>See <a href="{url(2)}">second</a>.</p>')
    second = page_record(2, "Second", f'<p>Back to <a href="{url(1)}">first</a>, '
                                      '<a href="http://example.org/">out</a>.</p>')
    load(first, second)
    a, b = StandardPage.objects.get(title="First"), StandardPage.objects.get(title="Second")
    assert a.body == f'<p>See <a linktype="page" id="{b.pk}">second</a>.</p>'
    assert f'<a linktype="page" id="{a.pk}">first</a>' in b.body
    assert 'href="http://example.org/"' in b.body
    assert revisions(a) == revisions(b) == 1
    assert Revision.objects.get(pk=a.latest_revision_id).as_object().body == a.body
    # and the next run finds nothing to do
    report = load(first, second)
    assert {r.action for r in report.pages.values()} == {"unchanged"}


def test_images_are_imported_once_per_content_and_a_missing_one_is_a_warning(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = {"http://inno.baltmet.org/pub/a.png": png("red"),
             "http://inno.baltmet.org/pub/copy-of-a.png": png("red")}
    body = ('<p>x</p><p><img src="http://inno.baltmet.org/pub/{}" alt="Logo"></p>')
    report = load(
        page_record(1, "One", body.format("a.png"), images=[ORIGIN + "a.png"]),
        page_record(2, "Two", body.format("copy-of-a.png"), images=[ORIGIN + "copy-of-a.png"]),
        page_record(3, "Three", body.format("gone.png"), images=[ORIGIN + "gone.png"]),
        images=files,
    )
    image = get_image_model().objects.get()
    for title in ("One", "Two"):
        assert StandardPage.objects.get(title=title).body == (
            f'<p>x</p><embed alt="Logo" embedtype="image" format="fullwidth" id="{image.pk}"/>'
        )
    assert StandardPage.objects.get(title="Three").body == "<p>x</p>"
    assert report.pages[url(3)].action == "created"
    assert any("gone.png" in w for w in report.pages[url(3)].warnings)


# -- re-runs, edits, force ---------------------------------------------------------------


def test_changed_source_is_a_new_published_revision():
    load(page_record(1, "Riga", "<p>Old.</p>"), page_record(2, "Tallinn"))
    report = load(page_record(1, "Riga", "<p>New.</p>"), page_record(2, "Tallinn"))
    assert report.pages[url(1)].action == "updated"
    assert report.pages[url(2)].action == "unchanged"
    page = StandardPage.objects.get(title="Riga")
    assert page.body == "<p>New.</p>" and revisions(page) == 2
    assert page.live_revision_id == page.latest_revision_id
    assert ImportRecord.objects.get(legacy_url=url(1)).revision_id == page.latest_revision_id


def _edit(page, **fields):
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    return page.save_revision()


def test_an_editors_change_survives_a_rerun_and_is_reported():
    load(page_record(1, "Riga", "<p>Old.</p>"))
    page = StandardPage.objects.get()
    _edit(page, body="<p>Editor's text.</p>").publish()
    report = load(page_record(1, "Riga", "<p>New source.</p>"))
    result = report.pages[url(1)]
    assert result.action == "skipped_edited" and result.page_id == page.pk
    assert StandardPage.objects.get().body == "<p>Editor's text.</p>"
    # unchanged source too: still the editor's page, still reported
    assert load(page_record(1, "Riga", "<p>Old.</p>")).pages[url(1)].action == "skipped_edited"


def test_an_editors_unpublished_draft_also_counts_as_an_edit():
    load(page_record(1, "Riga", "<p>Old.</p>"))
    _edit(StandardPage.objects.get(), body="<p>Draft.</p>")
    report = load(page_record(1, "Riga", "<p>New.</p>"))
    assert report.pages[url(1)].action == "skipped_edited"
    assert StandardPage.objects.get().get_latest_revision_as_object().body == "<p>Draft.</p>"


def test_force_updates_an_edited_page_and_keeps_the_editors_revision():
    load(page_record(1, "Riga", "<p>Old.</p>"))
    page = StandardPage.objects.get()
    editors = _edit(page, body="<p>Editor's text.</p>")
    editors.publish()
    report = load(page_record(1, "Riga", "<p>New.</p>"), force=True)
    assert report.pages[url(1)].action == "updated"
    page.refresh_from_db()
    assert page.body == "<p>New.</p>" and revisions(page) == 3
    assert Revision.objects.get(pk=editors.pk).as_object().body == "<p>Editor's text.</p>"


def test_a_page_an_editor_deleted_stays_deleted_unless_forced():
    load(page_record(1, "Riga"))
    StandardPage.objects.get().delete()
    assert Redirect.objects.get(old_path="/pub/index.php?id=1").redirect_page_id is None  # 410
    assert load(page_record(1, "Riga")).pages[url(1)].action == "skipped_edited"
    assert not StandardPage.objects.exists()
    report = load(page_record(1, "Riga"), force=True)
    assert report.pages[url(1)].action == "created"
    page = StandardPage.objects.get()
    assert Redirect.objects.get(old_path="/pub/index.php?id=1").redirect_page_id == page.pk


def test_the_legacy_home_redirects_to_the_home_page(client):
    load(page_record(1, "Riga"))
    home = ensure_site_tree().home
    for path in ("/pub", "/pub/index.php"):
        assert Redirect.objects.get(old_path=path).redirect_page_id == home.pk
    load(page_record(1, "Riga"))  # a re-run changes nothing
    assert Redirect.objects.count() == 3


@pytest.mark.parametrize("origin,paths", [
    ("http://legacy.example.org/old/site/", ["/old/site/", "/old/site", "/old/site/index.php"]),
    ("http://legacy.example.org/", ["/index.php"]),
])
def test_the_legacy_home_is_wherever_the_origin_is(client, origin, paths):
    home = ensure_site_tree().home
    Redirects(home.get_site()).point_origin(origin, home)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 301 and response["Location"] == home.url, path
    assert not Redirect.objects.filter(old_path="/").exists()


def test_an_editors_redirect_for_the_legacy_home_is_kept():
    tree = ensure_site_tree()
    Redirect.objects.create(old_path="/pub/index.php", redirect_page=tree.news,
                            site=tree.home.get_site())
    load(page_record(1, "Riga"))
    assert Redirect.objects.get(old_path="/pub/index.php").redirect_page_id == tree.news.pk


# -- failures: one page at a time ----------------------------------------------------------


def _nothing_left_of(title: str) -> None:
    assert not Page.objects.filter(title=title).exists()
    assert not ImportRecord.objects.filter(legacy_url=url(99)).exists()
    assert not Redirect.objects.filter(old_path="/pub/index.php?id=99").exists()


def test_a_page_failing_half_way_on_a_db_constraint_leaves_nothing_behind():
    broken = work_package(99, 3, "Broken package", milestones=[milestone(1), milestone(-1)])
    before = Milestone.objects.count()
    report = load(page_record(1, "Before"), broken, page_record(2, "After"))
    result = report.pages[url(99)]
    assert result.action == "failed" and "IntegrityError" in result.errors[0]
    _nothing_left_of("Broken package")
    assert Milestone.objects.count() == before
    assert report.pages[url(1)].action == report.pages[url(2)].action == "created"
    assert report.exit_code == 1


def test_a_page_failing_after_its_revision_was_written_leaves_nothing_behind():
    def explode(sender, instance, **kwargs):
        if instance.title == "Explodes":
            raise RuntimeError("publish hook failed")

    page_published.connect(explode)
    try:
        report = load(page_record(1, "Before"), page_record(99, "Explodes"),
                      page_record(2, "After"))
    finally:
        page_published.disconnect(explode)
    assert report.pages[url(99)].errors == ["RuntimeError: publish hook failed"]
    _nothing_left_of("Explodes")
    assert not Revision.objects.filter(content__title="Explodes").exists()
    assert StandardPage.objects.filter(title__in=["Before", "After"]).count() == 2
    # the next run imports it, with the slug it would have had
    assert load(page_record(99, "Explodes")).pages[url(99)].action == "created"
    assert StandardPage.objects.get(title="Explodes").slug == "explodes"


# -- two runs at once ---------------------------------------------------------------------------


def test_the_database_refuses_a_second_record_for_a_legacy_url():
    load(page_record(1, "Riga"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportRecord.objects.create(legacy_url=url(1), kind="page", last_action="created")


def test_a_run_overtaken_by_another_creates_no_duplicate():
    """Run A reads the ID map, run B imports the same pages, then A writes: the unique
    constraint on the legacy URL turns A's writes into reported failures, not duplicates."""
    records = [page_record(1, "Riga"), page_record(2, "Tallinn")]

    class Overtaken(Loader):
        def _read_id_map(self):
            super()._read_id_map()
            load(*records)  # the other run, committed before A writes

    report = load(*records, loader_class=Overtaken)
    assert StandardPage.objects.count() == 2
    assert ImportRecord.objects.count() == 2
    for result in report.pages.values():
        assert result.action == "failed"
        assert "another import run" in result.errors[0]
