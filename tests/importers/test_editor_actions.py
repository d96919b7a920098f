"""Whatever an editor did to an imported page survives a re-run, and the report says why.

Decided from Wagtail's own history (revisions and the page's log entries),
so actions that write no revision (unpublish, move, view restriction) count.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Revision

from cms.models import NewsPage, StandardPage
from importers.editor_html import finish_record
from importers.load import Loader
from importers.models import ImportRecord
from importers.plan import Plan
from importers.records import Kind, NewsItemRecord, PageRecord
from importers.report import Report

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def url(n: int) -> str:
    return f"{ORIGIN}index.php?id={n}"


def news(n: int, body: str, title: str = "Seminar in Riga") -> PageRecord:
    item = NewsItemRecord(url=url(n), title=title, body=body, date=datetime.date(2007, 10, 9))
    return PageRecord(url=url(n), kind=Kind.NEWS, title=title, news_items=[item])


def page(n: int, title: str, body: str = "<p>Text.</p>") -> PageRecord:
    return PageRecord(url=url(n), kind=Kind.PAGE, title=title, body=body)


def load(*records: PageRecord, force: bool = False, loader_class=Loader) -> Report:
    plan = Plan()
    for record in records:
        finish_record(record)  # as the read stage hands it on
        plan.add(record)
    return loader_class(Report(origin=ORIGIN), force=force).load(plan.ordered(), plan)


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser(
        "eva", "eva@example.org", "x", first_name="Eva", last_name="Editor"
    )


def imported(n: int) -> Page:
    return ImportRecord.objects.get(legacy_url=url(n)).page.specific


def revisions(obj: Page) -> int:
    return Revision.objects.filter(object_id=str(obj.pk)).count()


# -- 1. an unpublished page does not come back ------------------------------------------------


def test_an_unpublished_page_stays_unpublished_when_its_legacy_text_changes(editor):
    load(news(1, "<p>Old.</p>"))
    item = imported(1)
    item.unpublish(user=editor)  # no revision: only a log entry says so
    report = load(news(1, "<p>New legacy text.</p>"))
    result = report.pages[url(1)]
    assert result.action == "skipped_edited"
    assert result.reason == "unpublished by an editor"
    item = imported(1)
    assert not item.live and item.body == "<p>Old.</p>"
    assert report.as_dict()["pages"][0]["reason"] == "unpublished by an editor"
    # and it stays so on every later run
    assert load(news(1, "<p>New legacy text.</p>")).pages[url(1)].action == "skipped_edited"
    assert not imported(1).live


def test_force_republishes_an_unpublished_page(editor):
    load(news(1, "<p>Old.</p>"))
    imported(1).unpublish(user=editor)
    report = load(news(1, "<p>New.</p>"), force=True)
    assert report.pages[url(1)].action == "updated"
    assert "unpublished by an editor" in report.pages[url(1)].warnings[-1]
    item = imported(1)
    assert item.live and item.body == "<p>New.</p>"


@pytest.mark.parametrize(
    ("act", "reason"),
    [
        ("move", "moved"),
        ("restrict", "view restriction added"),
        ("retitle", "title changed"),
        ("reslug", "slug changed"),
        ("expire", "expiry scheduled"),
        ("draft", "newer revision by Eva Editor"),
    ],
)
def test_every_editor_action_is_respected_and_reported(editor, act, reason):
    load(page(1, "Riga", "<p>Old.</p>"), page(2, "Tallinn"))
    obj, other = imported(1), imported(2)
    before = obj.body
    if act == "move":
        obj.move(other, pos="last-child", user=editor)
    elif act == "restrict":
        restriction = PageViewRestriction(page=obj, restriction_type="password", password="x")
        restriction.save(user=editor)
    elif act in ("retitle", "reslug", "expire", "draft"):
        if act == "retitle":
            obj.title = "Riga, the capital"
        elif act == "reslug":
            obj.slug = "riga-city"
        elif act == "expire":
            obj.expire_at = timezone.now() + datetime.timedelta(days=30)
        revision = obj.save_revision(user=editor, log_action=True)
        if act != "draft":
            revision.publish(user=editor)
    report = load(page(1, "Riga", "<p>New.</p>"), page(2, "Tallinn"))
    result = report.pages[url(1)]
    assert result.action == "skipped_edited"
    assert reason in result.reason.split("; ")
    assert StandardPage.objects.get(pk=obj.pk).body == before
    assert report.pages[url(2)].action == "unchanged"


def test_a_deleted_page_is_recreated_only_with_force():
    load(page(1, "Riga"))
    imported(1).delete()
    result = load(page(1, "Riga")).pages[url(1)]
    assert result.action == "skipped_edited"
    assert result.reason == "deleted in Wagtail (re-created only with --force)"
    assert not StandardPage.objects.exists()
    assert load(page(1, "Riga"), force=True).pages[url(1)].action == "created"
    assert StandardPage.objects.get().live


def test_comments_alone_are_not_edits(editor):
    """A log entry that changes no content (a comment) does not freeze the page."""
    from wagtail.log_actions import log

    load(page(1, "Riga", "<p>Old.</p>"))
    log(instance=imported(1), action="wagtail.comments.create", user=editor)
    assert load(page(1, "Riga", "<p>New.</p>")).pages[url(1)].action == "updated"


# -- 2. an editor publishing while the run writes ----------------------------------------------


class EditorBetweenSteps(Loader):
    """Calls ``editor_acts`` after the stubs are placed and before content is written."""

    editor_acts = staticmethod(lambda: None)

    def write_all(self, pages):
        self.editor_acts()
        super().write_all(pages)


def _in_another_connection(action) -> None:
    """Run ``action`` in a thread with its own database connection, as an editor's request."""
    errors = []

    def run():
        try:
            action()
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and errors == []


@pytest.mark.django_db(transaction=True)
def test_an_editors_publish_during_the_run_wins(editor):
    load(news(1, "<p>Old.</p>"), page(2, "Tallinn"))
    item_id = imported(1).pk

    def publish():
        item = NewsPage.objects.get(pk=item_id)
        item.body = "<p>The editor's text.</p>"
        item.save_revision(user=editor, log_action=True).publish(user=editor)

    EditorBetweenSteps.editor_acts = staticmethod(lambda: _in_another_connection(publish))
    report = load(news(1, "<p>New legacy text.</p>"), page(2, "Tallinn"),
                  loader_class=EditorBetweenSteps)
    result = report.pages[url(1)]
    assert result.action == "skipped_edited"
    assert result.reason == "newer revision by Eva Editor"
    item = NewsPage.objects.get(pk=item_id)
    editors = item.get_latest_revision()
    assert editors.user == editor and item.live_revision_id == editors.pk
    # the live row, the live revision and every later run agree: the editor's text
    assert item.body == editors.as_object().body == "<p>The editor's text.</p>"
    assert revisions(item) == 2
    assert ImportRecord.objects.get(legacy_url=url(1)).revision_id != editors.pk
    assert load(news(1, "<p>New legacy text.</p>")).pages[url(1)].action == "skipped_edited"
    assert NewsPage.objects.get(pk=item_id).body == "<p>The editor's text.</p>"


@pytest.mark.django_db(transaction=True)
def test_an_editor_who_publishes_a_stub_first_keeps_it(editor):
    """A new page's stub exists before its content: an editor's publish of it wins too."""

    def publish_stub():
        stub = StandardPage.objects.get(legacy_url=url(3))
        assert not stub.live and stub.latest_revision_id is None
        stub.body = "<p>Written by hand.</p>"
        stub.save_revision(user=editor, log_action=True).publish(user=editor)

    EditorBetweenSteps.editor_acts = staticmethod(lambda: _in_another_connection(publish_stub))
    report = load(page(3, "Vilnius", "<p>Legacy.</p>"), loader_class=EditorBetweenSteps)
    assert report.pages[url(3)].action == "skipped_edited"
    obj = StandardPage.objects.get(legacy_url=url(3))
    assert obj.body == "<p>Written by hand.</p>" and obj.live and revisions(obj) == 1


def test_links_to_pages_created_later_are_resolved_in_one_revision():
    """Stubs first: a page linking forward gets its link in its only revision."""
    report = load(page(1, "Riga", f'<p><a href="{url(2)}">Tallinn</a></p>'), page(2, "Tallinn"))
    assert report.totals["created"] == 2
    riga, tallinn = imported(1), imported(2)
    assert riga.body == f'<p><a linktype="page" id="{tallinn.pk}">Tallinn</a></p>'
    assert revisions(riga) == revisions(tallinn) == 1
    assert riga.get_latest_revision().as_object().body == riga.body
    assert load(page(1, "Riga", f'<p><a href="{url(2)}">Tallinn</a></p>'),
                page(2, "Tallinn")).totals["unchanged"] == 2
