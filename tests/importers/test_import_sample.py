"""The bundled sample mirror imports to exactly expected.json, and a re-run writes nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Revision

from cms.models import NewsIndexPage, NewsPage, StandardPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.models import ImportRecord
from importers.pipeline import ImportOptions, run_import
from importers.urls import canonicalize

from .conftest import ORIGIN, SAMPLE_DIR

EXPECTED = json.loads((SAMPLE_DIR.parent / "expected.json").read_text(encoding="utf-8"))
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
#: Every run is kept (Reports → Legacy imports): the rows a run writes whatever it did.
#: Taking and releasing the one-run-at-a-time lock (SQLite's is a file lock: no query).
RUN_LOCK_QUERIES = {"postgresql": 2, "sqlite": 0}
#: The crawl's frontier is the run's too: written as it reads, deleted as it completes.
RUN_TABLES = re.compile(r'"projectsite_importers_importrun(page|deadlink|frontier)?"')
RUN_RECORDS = {"projectsite_importers.ImportRun", "projectsite_importers.ImportRunPage",
               "projectsite_importers.ImportRunDeadLink"}


def plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html or "")
    return " ".join(text.replace("&amp;", "&").replace("&quot;", '"').split())


def spaces(value):
    """expected.json keeps the legacy no-break spaces that are mere spacing; the import
    writes them as spaces (as extract's own sample test compares)."""
    if isinstance(value, str):
        return value.replace("\xa0", " ")
    if isinstance(value, list):
        return [spaces(v) for v in value]
    if isinstance(value, dict):
        return {k: spaces(v) for k, v in value.items()}
    return value


def as_expected(record: ImportRecord) -> dict:
    """A page as expected.json describes it, read back from Wagtail."""
    page = record.page.specific
    out = {"url": record.legacy_url, "kind": record.kind, "title": page.title}
    if isinstance(page, WorkPackagePage):
        parent = page.get_parent().specific
        is_part = isinstance(parent, WorkPackagePage)
        out["work_package"] = parent.number if is_part else page.number
        out["parent"] = parent.legacy_url if is_part else None
        out["milestones"] = [
            {
                "number": m.number,
                "start": m.period_start.strftime("%Y-%m") if m.period_start else None,
                "end": m.period_end.strftime("%Y-%m") if m.period_end else None,
                "text_starts": plain(m.description)[:40],
            }
            for m in page.milestones.order_by("sort_order")
        ]
        out["status"] = page.status or None
        out["intro_starts"] = plain(page.intro)[:40]
    elif isinstance(page, NewsPage):
        out.update(
            date=page.date.isoformat() if page.date else None,
            event_start=page.event_start.isoformat() if page.event_start else None,
            event_end=page.event_end.isoformat() if page.event_end else None,
            location=page.location,
            summary=page.summary,
        )
    elif isinstance(page, StandardPage):
        out["parent"] = page.get_parent().specific.legacy_url or None
        out["body_starts"] = plain(page.body)[:40]
    return out


def compared_fields(want: dict) -> list[str]:
    """What a page of expected.json is compared on: "teaser" is what the legacy list
    says (extraction); "summary" is what the page is written with."""
    return [k for k in want if k not in ("url", "teaser")]


def import_sample(**options):
    return run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN, **options))


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.label not in RUN_RECORDS}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_sample_imports_to_exactly_expected_json(media):
    report = import_sample()
    assert report.exit_code == 0
    assert report.totals["failed"] == 0
    records = {r.legacy_url: r for r in ImportRecord.objects.select_related("page")}
    expected = {canonicalize(p["url"]): p for p in EXPECTED["pages"]}
    assert set(records) == set(expected)
    for url, want in expected.items():
        got = as_expected(records[url])
        compared = compared_fields(want)
        assert {k: got.get(k) for k in compared} == spaces({k: want[k] for k in compared}), url


@pytest.mark.django_db
def test_the_partner_page_is_a_plain_page_under_home_with_its_letters(media):
    """The sample's partner city: its title only in ``<title>``, its bytes
    windows-1252 under an iso-8859-1 declaration, linked from the menu."""
    import_sample()
    page = StandardPage.objects.get(legacy_url=ORIGIN + "index.php?id=232")
    assert page.title == "Helsinki Region"
    assert page.get_parent().specific == ensure_site_tree().home
    assert page.live and page.show_in_menus
    body = plain(page.body)
    letters = ("The region\u2019s nine universities", "added \u2013 per inhabitant", "km\u00b2")
    for text in letters:
        assert text in body


@pytest.mark.django_db
def test_no_imported_teaser_repeats_its_body(media):
    """Three of the sample's four news items have one text: it stays the body,
    and the teaser is its opening words, or empty when the body is that short."""
    import_sample()
    for page in NewsPage.objects.all():
        body = " ".join(plain(page.body).split())
        assert not body or " ".join(page.summary.split()) != body, page.title


@pytest.mark.django_db
def test_sample_pages_are_published_in_the_tree(media):
    import_sample()
    news = NewsIndexPage.objects.get()
    assert NewsPage.objects.child_of(news).live().count() == 4
    wp2 = WorkPackagePage.objects.get(number=2)
    parts = WorkPackagePage.objects.child_of(wp2)
    assert sorted(p.title for p in parts) == ["Community building", "Marketing Strategies"]
    assert all(p.number is None for p in parts)
    assert sorted(p.slug for p in parts) == ["community-building", "marketing-strategies"]
    for record in ImportRecord.objects.exclude(kind="news_index"):
        page = record.page.specific
        assert page.legacy_url == record.legacy_url
        assert page.live and not page.has_unpublished_changes
        assert record.revision_id == page.latest_revision_id == page.live_revision_id


@pytest.mark.django_db
def test_news_list_maps_to_the_news_page_and_gives_it_only_its_legacy_url(media):
    import_sample()
    news = NewsIndexPage.objects.get()
    record = ImportRecord.objects.get(legacy_url=ORIGIN + "index.php?id=12")
    assert record.page_id == news.pk
    assert news.legacy_url == ORIGIN + "index.php?id=12"
    assert news.title == "News" and news.intro == "" and news.live
    assert not news.has_unpublished_changes
    # one revision from the site tree, one carrying the legacy URL (so an editor keeps it)
    assert Revision.objects.filter(object_id=str(news.pk)).count() == 2
    assert news.get_latest_revision().content["legacy_url"] == news.legacy_url
    import_sample()
    assert Revision.objects.filter(object_id=str(news.pk)).count() == 2


@pytest.mark.django_db
def test_second_run_over_unchanged_site_writes_nothing(media):
    import_sample()
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        report = import_sample()
    writes = [q["sql"] for q in queries.captured_queries
              if WRITES.match(q["sql"]) and not RUN_TABLES.search(q["sql"])]
    assert writes == []
    assert row_counts() == before
    assert report.totals["unchanged"] == len(EXPECTED["pages"])
    assert report.totals["created"] == report.totals["updated"] == 0


@pytest.mark.django_db
def test_second_run_takes_a_fixed_number_of_queries(media, django_assert_max_num_queries):
    """Unchanged pages are decided from the ID map alone: no per-page queries."""
    import_sample()
    # Keeping the run: insert it; then in one transaction (savepoint, release) update
    # it, look up its pages, insert its pages and its dead links.
    run_record = 7
    # Once per run, not per page: the Site the run imports into, and that its origin is its own.
    target_site = 2
    # Once per run: whether the last run completed (else this one continues it), files a
    # killed run left to remove (none), the frontier written in one batch, and deleted
    # (two: Django reads the rows it deletes, as delete signals are connected).
    resumable = 5
    with django_assert_max_num_queries(
        11 + target_site + RUN_LOCK_QUERIES[connection.vendor] + run_record + resumable
    ):
        import_sample()


@pytest.mark.django_db
def test_the_sample_folder_given_at_its_page_folder_imports_the_same(media):
    report = run_import(ImportOptions(sources=[str(SAMPLE_DIR / "inno.baltmet.org" / "pub")]))
    assert report.origin == ORIGIN
    assert report.totals["created"] == len(EXPECTED["pages"])


@pytest.mark.django_db
def test_images_come_from_a_mirror_given_at_its_page_folder(media, tmp_path):
    import io

    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from cms.models import StandardPage

    site = tmp_path / "inno.baltmet.org" / "pub"
    (site / "fileadmin").mkdir(parents=True)
    logo = io.BytesIO()
    PILImage.new("RGB", (8, 8), "blue").save(logo, "PNG")
    (site / "fileadmin" / "logo.png").write_bytes(logo.getvalue())
    (site / "index.php?id=900.html").write_text(
        f'<html><head><base href="{ORIGIN}" /><title>BaltMet Inno: Partners</title></head>'
        "<body><!--TYPO3SEARCH_begin--><h1>Partners</h1><p>Our logo:</p>"
        '<p><img src="fileadmin/logo.png" alt="Logo" /></p>'
        '<p><img src="fileadmin/missing.png" alt="" /></p><!--TYPO3SEARCH_end--></body></html>'
    )
    report = run_import(ImportOptions(sources=[str(site)]))
    image = get_image_model().objects.get()
    assert f'id="{image.pk}"' in StandardPage.objects.get(title="Partners").body
    warnings = report.pages[ORIGIN + "index.php?id=900"].warnings
    assert any("missing.png" in w and "not in the mirror" in w for w in warnings)
