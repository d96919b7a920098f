"""No page can stall or poison a run: nesting, time budget, bodies that are no HTML.

Each page is served by a real HTTP server on 127.0.0.1 beside the sample site.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from cms.models import StandardPage, WorkPackagePage
from importers.extract import extract_page
from importers.extract.limits import MAX_NESTING, UnreadablePage, time_budget
from importers.models import ContentFailure
from importers.pipeline import ImportOptions, run_import
from importers.urls import canonicalize

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
DEEP = "index.php?id=900"
DEEP_URL = canonicalize(ORIGIN + DEEP)


def page(body: str, title: str = "Deep") -> str:
    return (
        f"<html><head><title>BaltMet Inno: {title}</title></head><body>"
        f"<!--TYPO3SEARCH_begin--><h1>{title}</h1>{body}<!--TYPO3SEARCH_end--></body></html>"
    )


def nested(levels: int) -> str:
    return page("<div>" * levels + "<p>At the bottom</p>" + "</div>" * levels)


def import_from(server, *paths, **options):
    sources = [server.url(p) for p in paths]
    return run_import(ImportOptions(sources=sources, origin=ORIGIN, **options))


def test_a_page_nested_100000_levels_fails_with_its_reason_and_the_run_goes_on(legacy_server):
    legacy_server.set_route(DEEP, body=nested(100_000))
    report = import_from(legacy_server, DEEP, "index.php?id=208")
    result = report.pages[DEEP_URL]
    assert result.action == "failed"
    assert result.errors == [f"nesting deeper than {MAX_NESTING} levels"]
    assert WorkPackagePage.objects.filter(legacy_url=ORIGIN + "index.php?id=209").exists()
    assert report.totals["failed"] == 1
    again = import_from(legacy_server, DEEP, "index.php?id=208")
    assert again.pages[DEEP_URL].errors == result.errors
    assert "not read again: its bytes are the same as when it failed before" in (
        again.pages[DEEP_URL].warnings
    )
    assert again.totals["unchanged"] == report.totals["created"]


def test_nesting_up_to_the_limit_imports():
    record = extract_page(nested(MAX_NESTING - 10), ORIGIN + DEEP, ORIGIN)
    assert record.body == "<p>At the bottom</p>"


def test_a_failed_page_is_not_parsed_again_until_its_bytes_change(legacy_server):
    legacy_server.set_route(DEEP, body=nested(5_000))
    import_from(legacy_server, DEEP)
    failure = ContentFailure.objects.get(legacy_url=DEEP_URL)
    assert failure.reason == f"nesting deeper than {MAX_NESTING} levels"

    again = import_from(legacy_server, DEEP).pages[DEEP_URL]
    assert again.action == "failed" and again.errors == [failure.reason]
    assert "not read again: its bytes are the same as when it failed before" in again.warnings

    legacy_server.set_route(DEEP, body=nested(20))  # the legacy page was repaired
    fixed = import_from(legacy_server, DEEP).pages[DEEP_URL]
    assert fixed.action == "created"
    assert StandardPage.objects.get(legacy_url=DEEP_URL).title == "Deep"
    assert not ContentFailure.objects.exists()


def test_only_reads_a_remembered_failure_again(legacy_server):
    legacy_server.set_route(DEEP, body=nested(5_000))
    import_from(legacy_server, DEEP)
    again = import_from(legacy_server, DEEP, only=[legacy_server.url(DEEP)]).pages[DEEP_URL]
    assert again.action == "failed"
    assert not any("not read again" in w for w in again.warnings)


def test_a_page_over_its_time_budget_fails_and_the_run_goes_on(legacy_server):
    # a budget already spent when extraction looks at the clock: every page runs out
    report = import_from(legacy_server, "index.php?id=208", page_time_budget=1e-9)
    assert report.totals["failed"] >= 1
    for result in report.failed:
        assert result.errors == ["took longer than the time budget of 1e-09 s per page"]
    again = import_from(legacy_server, "index.php?id=208", page_time_budget=1e-9)
    assert again.totals["failed"] == report.totals["failed"]  # same bytes, same budget
    assert all(any("not read again" in w for w in r.warnings) for r in again.failed)
    larger = import_from(legacy_server, "index.php?id=208")  # a larger budget reads them
    assert larger.totals["failed"] == 0
    assert not ContentFailure.objects.exists()


def test_the_time_budget_is_checked_inside_extraction():
    with time_budget(0), pytest.raises(UnreadablePage, match="time budget of 0 s"):
        extract_page(nested(50), ORIGIN + DEEP, ORIGIN)
    assert extract_page(nested(50), ORIGIN + DEEP, ORIGIN).title == "Deep"  # no budget: none


def test_the_timer_stops_work_that_never_checks_the_clock():
    """Parsing a page of megabytes into a tree, or one long pass of a library over
    it, has no place for the extraction's own checks (a 22 MB page ran about 19 s
    against a budget of 1 s). The loop below never checks: only the timer ends it."""
    gave_up_at = time.monotonic() + 60
    with pytest.raises(UnreadablePage, match="time budget of 0.2 s"), time_budget(0.2):
        while time.monotonic() < gave_up_at:
            pass  # without the timer: 60 s, then "DID NOT RAISE"


def test_a_timer_someone_else_set_is_left_alone():
    """A host program's own SIGALRM timer (a test runner's timeout, say) keeps working:
    the budget then relies on the extraction's own checks."""
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with time_budget(5):
            assert extract_page(nested(5), ORIGIN + DEEP, ORIGIN).title == "Deep"
        deadline = time.monotonic() + 5
        while not fired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_random_bytes_served_as_html_are_not_an_html_document(legacy_server):
    legacy_server.set_route(DEEP, body=os.urandom(20_000), content_type="text/html")
    report = import_from(legacy_server, DEEP, "index.php?id=208")
    assert report.pages[DEEP_URL].errors == ["not an HTML document"]
    assert WorkPackagePage.objects.filter(legacy_url=ORIGIN + "index.php?id=208").exists()
