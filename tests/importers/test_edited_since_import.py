"""Whatever an editor does to an imported page, the importer, the page's provenance panel
and the admin listing (column and filter) give the same answer to "edited in Wagtail since
the import?": the importer's own rule, asked through the admin as an editor sees it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
from tests.cms.test_admin_listings import rows as listing_rows

from .test_editor_actions import imported, load, news, url

pytestmark = pytest.mark.django_db

NEWS = "/admin/news_listing/"
LATER = datetime.timedelta(days=30)


def unpublish(page, editor):
    page.unpublish(user=editor)


def move(page, editor):
    # news live under the news page only: moved to the top of it
    page.move(ensure_site_tree().news, pos="first-child", user=editor)


def rename(page, editor):
    page.title += ", renamed"
    page.save_revision(user=editor, log_action=True).publish(user=editor)


def schedule_go_live(page, editor):
    page.go_live_at = timezone.now() + LATER
    page.save_revision(user=editor, log_action=True).publish(user=editor)


def schedule_expiry(page, editor):
    page.expire_at = timezone.now() + LATER
    page.save_revision(user=editor, log_action=True).publish(user=editor)


def restrict(page, editor):
    # as the admin's privacy view saves it
    PageViewRestriction(page=page, restriction_type="password", password="x").save(user=editor)


def redraft(page, editor):
    page.body = "<p>A draft on top.</p>"
    page.save_revision(user=editor, log_action=True)


def publish_edit(page, editor):
    page.body = "<p>The editor's text.</p>"
    page.save_revision(user=editor, log_action=True).publish(user=editor)


#: one imported news item per way of editing it (None: left untouched), by city
EDITS = {
    "Riga": None,
    "Tallinn": unpublish,
    "Vilnius": move,
    "Tartu": rename,
    "Kaunas": schedule_go_live,
    "Turku": schedule_expiry,
    "Gdansk": restrict,
    "Malmo": redraft,
    "Oslo": publish_edit,
}
EXPECTED = {city: how is not None for city, how in EDITS.items()}


def legacy_news(body: str, cities=EDITS, first: int = 1):
    return [news(n, body, title=f"Seminar in {city}") for n, city in enumerate(cities, first)]


def import_and_edit(editor, cities=EDITS, first: int = 1) -> dict[str, int]:
    load(*legacy_news("<p>Old.</p>", cities, first))
    pages = {}
    for n, city in enumerate(cities, first):
        page = imported(n)
        if EDITS.get(city):
            EDITS[city](page, editor)
        pages[city] = page.pk
    return pages


def panel_says(admin_client, page_id: int) -> bool:
    body = admin_client.get(f"/admin/pages/{page_id}/edit/").content.decode()
    [said] = re.findall(r"<p data-edited>(.*?)</p>", body, flags=re.S)
    if "Changed in Wagtail since the import" in said:
        return True
    assert "Not changed since the import" in said, said
    return False


def panel_reasons(admin_client, page_id: int) -> str:
    body = admin_client.get(f"/admin/pages/{page_id}/edit/").content.decode()
    [reasons] = re.findall(r"<span data-edit-reasons>(.*?)</span>", body, flags=re.S)
    return reasons


def listing_says(admin_client) -> dict[str, bool]:
    said = {}
    for row in listing_rows(admin_client.get(NEWS)):
        city = next(city for city in EDITS if city in row)
        if "Imported, edited in Wagtail" in row:
            said[city] = True
        else:
            assert "Imported" in row, row
            said[city] = False
    return said


def filter_finds(admin_client, origin: str) -> set[str]:
    rows = listing_rows(admin_client.get(NEWS, {"origin": origin}))
    return {city for city in EDITS for row in rows if city in row}


def assert_all_agree(admin_client, pages: dict[str, int]) -> None:
    assert {city: panel_says(admin_client, pk) for city, pk in pages.items()} == EXPECTED
    assert listing_says(admin_client) == EXPECTED
    assert filter_finds(admin_client, "edited") == {c for c, edited in EXPECTED.items() if edited}
    assert filter_finds(admin_client, "imported") == {c for c, e in EXPECTED.items() if not e}


def test_importer_panel_and_listing_agree_for_every_way_of_editing(admin_user, admin_client):
    pages = import_and_edit(admin_user)
    assert_all_agree(admin_client, pages)

    report = load(*legacy_news("<p>New legacy text.</p>"))
    skipped = {
        city: report.pages[url(n)].action == "skipped_edited"
        for n, city in enumerate(EDITS, 1)
    }
    assert skipped == EXPECTED
    assert report.pages[url(1)].action == "updated"
    assert NewsPage.objects.get(pk=pages["Riga"]).body == "<p>New legacy text.</p>"
    # and the panel says why, as the report does
    for n, city in enumerate(EDITS, 1):
        if EXPECTED[city]:
            assert panel_reasons(admin_client, pages[city]) == report.pages[url(n)].reason
    # the importer's own update is not an editor's: all three still agree
    assert_all_agree(admin_client, pages)


def test_the_listing_column_costs_the_same_however_many_imported_pages(admin_user,
                                                                       admin_client):
    import_and_edit(admin_user, cities=["Riga", "Tallinn", "Oslo"])
    admin_client.get(NEWS)  # warm the session and the content types
    with CaptureQueriesContext(connection) as three:
        admin_client.get(NEWS)
    import_and_edit(admin_user, cities=["Tartu", "Gdansk", "Malmo", "Vilnius"], first=4)
    with CaptureQueriesContext(connection) as seven:
        response = admin_client.get(NEWS)
    assert len(listing_rows(response)) == 7
    assert len(seven.captured_queries) == len(three.captured_queries)
