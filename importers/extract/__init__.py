"""Legacy page HTML → :class:`~importers.records.PageRecord` (pure: no Django, no I/O).

The read stage calls :func:`extract` once for every fetched page: one parse
gives the record and the page's link targets the crawl follows.  ``url``
must be the page's legacy (origin) URL — crawl results give it — so that
links in pages without ``<base href>`` still resolve under the origin.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bs4 import BeautifulSoup, Tag

from ..records import Kind, MilestoneRecord, PageRecord
from ..urls import absolute, canonicalize, is_under
from . import chrome
from .limits import check_nesting
from .milestones import split_work_plan
from .news import (
    date_items,
    date_single_item,
    item_draft,
    latest_box_drafts,
    list_drafts,
    merge_news,
)
from .periods import parse_period
from .sanitise import flatten, hrefs, plain_text, references, resolve_link, sanitise_blocks, text_of
from .titles import page_title, work_package_number

__all__ = ["Extracted", "extract", "extract_page", "fit_title", "hrefs", "merge_news", "plain_text"]

# C0 control characters cannot be typed by an editor and break XML feeds; bidi
# overrides and isolates reorder what a reader sees (a title can show text other
# than what it holds).  Both are removed before the page is parsed, with a warning;
# titles over Wagtail's limit are cut at a word boundary so the page still imports.

#: C0 controls except tab, line feed and carriage return; DEL; bidi embeddings,
#: overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

#: ``Page.title``'s ``max_length``.
TITLE_LIMIT = 255
_ELLIPSIS = "…"


def remove_invisible(text: str) -> tuple[str, str | None]:
    """``text`` without control characters and bidi overrides, and a warning if any were."""
    cleaned, removed = _INVISIBLE.subn("", text)
    if not removed:
        return text, None
    return cleaned, f"removed {removed} control character(s) or bidi override(s)"


def fit_title(title: str, limit: int = TITLE_LIMIT) -> tuple[str, str | None]:
    """``title`` cut at the last word boundary that fits ``limit`` (with "…"), and a warning."""
    if len(title) <= limit:
        return title, None
    room = title[: limit - len(_ELLIPSIS) + 1]
    cut = room.rstrip().rfind(" ")
    head = room[:cut] if cut > limit // 2 else room[: limit - len(_ELLIPSIS)]
    short = head.rstrip(" ,;:-–") + _ELLIPSIS
    return short, f"title of {len(title)} characters shortened to {len(short)}"


def _document_base(soup: BeautifulSoup, page_url: str) -> str:
    tag = soup.find("base", href=True)
    return absolute(tag["href"], page_url) if tag else page_url


def _drop_heading(heading: Tag | None) -> None:
    if heading is None:
        return
    parent = heading.parent
    heading.decompose()
    is_header = isinstance(parent, Tag) and "csc-header" in (parent.get("class") or [])
    if is_header and not text_of(parent):
        parent.decompose()


def _parent_link(soup: BeautifulSoup, root: Tag, base: str, origin: str, page_url: str):
    """(number, canonical URL) of the "Work Package N" this page hangs under, if any."""
    candidates = [chrome.pop_work_package_backlink(root)]
    candidates += reversed(chrome.rootline(soup))
    for link in candidates:
        if link is None:
            continue
        number = chrome.wp_number(link.text)
        url = resolve_link(link.href, base, origin)
        if number is not None and url != page_url:
            return number, url
    return None, None


class Extracted(NamedTuple):
    record: PageRecord
    hrefs: list[str]  # absolute targets of every link and frame, menus included


def extract(html: str, url: str, origin: str, *, project_start: str = "2005-01") -> Extracted:
    """Everything the import needs from one legacy page, from one parse of it.

    Raises :class:`~importers.extract.limits.UnreadablePage` for a page nested
    too deeply or over its time budget.
    """
    html, invisible = remove_invisible(html)
    soup = BeautifulSoup(html, "lxml")
    check_nesting(soup)
    found = hrefs(soup, canonicalize(url))
    record = _extract(html, soup, url, origin, project_start)
    if invisible:
        record.warnings.insert(0, invisible)
    _fit_titles(record)
    return Extracted(record, found)


def extract_page(html: str, url: str, origin: str, *, project_start: str = "2005-01") -> PageRecord:
    """The record of one legacy page (:func:`extract` without the link targets)."""
    return extract(html, url, origin, project_start=project_start).record


def _fit_titles(record: PageRecord) -> None:
    record.title, warning = fit_title(record.title)
    if warning:
        record.warnings.append(warning)
    for item in record.news_items:
        item.title, warning = fit_title(item.title)
        if warning:
            item.warnings.append(warning)
            if warning not in record.warnings:
                record.warnings.append(warning)


def _extract(
    html: str, soup: BeautifulSoup, url: str, origin: str, project_start: str
) -> PageRecord:
    page_url = canonicalize(url)
    base = _document_base(soup, page_url)
    root = chrome.content_root(html)
    chrome.strip_chrome(root)
    links, images = references(root, base, origin)

    single = root.select_one(".news-single-item")
    news_list = root.select_one(".news-list-container")
    heading = (single.find(["h1", "h2", "h3"]) if single else None) or chrome.title_heading(root)
    title = page_title(heading, soup)
    _drop_heading(heading)
    record = PageRecord(url=page_url, kind=Kind.PAGE, title=title, links=links, images=images)
    if not is_under(page_url, origin):
        record.warnings.append(f"page URL {page_url} is not under the origin {origin}")

    if single is not None:
        record.kind = Kind.NEWS
        record.body = sanitise_blocks(flatten(single), base, origin)
        draft = item_draft(page_url, title, record.body)
        item = date_single_item(draft, latest_box_drafts(soup, base, origin))
        record.news_items = [item]
        record.warnings += item.warnings
        return record

    if news_list is not None:
        record.kind = Kind.NEWS_INDEX
        items = date_items(list_drafts(news_list, base, origin, "news-list-item"))
        record.news_items = items
        record.warnings += [w for item in items for w in item.warnings]
        news_list.decompose()
        record.body = sanitise_blocks(flatten(root), base, origin)
        return record

    parent_number, parent_url = _parent_link(soup, root, base, origin, page_url)
    blocks = flatten(root)
    record.body = sanitise_blocks(blocks, base, origin)
    plan = split_work_plan(blocks)
    number = work_package_number(title) or parent_number
    if number is None and not plan.milestones:
        return record

    record.kind = Kind.WORK_PACKAGE
    record.body = ""  # all of it is in the intro, the milestones or the status
    record.work_package = number
    record.parent_url = parent_url
    record.intro = sanitise_blocks(plan.intro, base, origin)
    record.status = plan.status
    for draft in plan.milestones:
        start, end = parse_period(draft.period, project_start)
        if draft.period and start is None:
            record.warnings.append(f"milestone {draft.number}: cannot read period {draft.period!r}")
        description = sanitise_blocks(draft.blocks, base, origin)
        record.milestones.append(MilestoneRecord(draft.number, start, end, description))
    if number is None:
        record.warnings.append("work package page without a work package number")
    return record
