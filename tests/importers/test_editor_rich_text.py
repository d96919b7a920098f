"""Imported rich text is what Wagtail's editor keeps: nothing changes on an editor's first save."""

from __future__ import annotations

import re

import pytest
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from cms.models import StandardPage, WorkPackagePage
from cms.models.base import RICH_TEXT_FEATURES
from cms.models.work_packages import MILESTONE_FEATURES
from importers.editor_html import finish
from importers.extract.sanitise import ALLOWED_TAGS, clean
from importers.pipeline import ImportOptions, run_import
from importers.urls import canonicalize

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
PAGE = "index.php?id=902"


def editor_saves(html: str, features) -> str:
    """What the Draftail editor stores when an editor opens and saves ``html``."""
    converter = ContentstateConverter(features)
    saved = converter.to_database_format(converter.from_database_format(html))
    return re.sub(r' data-block-key="[^"]*"', "", saved)


def legacy(body: str, title: str = "Partners") -> bytes:
    return (
        f"<html><head><title>BaltMet Inno</title></head><body><!--TYPO3SEARCH_begin-->"
        f"<h1>{title}</h1>{body}<!--TYPO3SEARCH_end--></body></html>"
    ).encode()


def import_page(server, body: str, title: str = "Partners"):
    server.set_route(PAGE, body=legacy(body, title))
    report = run_import(ImportOptions(sources=[server.url(PAGE)], origin=ORIGIN))
    return report.pages[canonicalize(ORIGIN + PAGE)]


def test_the_sanitisers_allow_list_is_what_the_pages_features_keep():
    simple = sorted(ALLOWED_TAGS - {"a", "br", "hr", "img", "li", "ul", "ol"})
    html = clean("".join(f"<{tag}>x</{tag}>" for tag in simple) + '<p><a href="https://example.org/">l</a><br>b</p><hr><ul><li>i</li></ul><ol><li>o</li></ol>'
    )
    finished, removed = finish(html, tuple(RICH_TEXT_FEATURES))
    assert removed == []
    assert editor_saves(finished, RICH_TEXT_FEATURES) == finished


def test_h5_and_h6_become_headings_the_editor_keeps(legacy_server):
    result = import_page(legacy_server, "<h5>Riga</h5><p>One.</p><h6>Tallinn</h6><p>Two<br>x</p>")
    body = StandardPage.objects.get(pk=result.page_id).body
    assert body == "<h4>Riga</h4><p>One.</p><h4>Tallinn</h4><p>Two<br/>x</p>"
    assert editor_saves(body, RICH_TEXT_FEATURES) == body
    assert not any("rich text editor" in w for w in result.warnings)


def test_what_the_editor_would_remove_is_removed_and_reported(legacy_server):
    body = ("<p>Division of work:</p><p><b>Milestone 1 (Start - June 2005)</b></p>"
            "<h4>Tasks</h4><p>Gather data.</p>")
    result = import_page(legacy_server, body, title="Work Package 7")
    page = WorkPackagePage.objects.get(pk=result.page_id)
    description = page.milestones.get().description
    assert description == "<p>Tasks</p><p>Gather data.</p>"
    assert editor_saves(description, MILESTONE_FEATURES) == description
    assert ("milestone 1: the rich text editor does not allow <h4>: removed (text kept)"
            in result.warnings)
