"""Legacy page HTML → :class:`~importers.records.PageRecord` (pure: no Django, no I/O).

The read stage calls :func:`extract` once for every fetched page: one parse
gives the record and the page's link targets the crawl follows.  ``url``
must be the page's legacy (origin) URL — crawl results give it — so that
links in pages without ``<base href>`` still resolve under the origin.
"""

from __future__ import annotations

from typing import NamedTuple

from bs4 import BeautifulSoup, Tag

from ..records import Kind, MilestoneRecord, PageRecord
from ..urls import absolute, canonicalize, is_under
from . import chrome
from .blocks import flatten, text_of
from .hygiene import fit_title, remove_invisible
from .limits import check_nesting
from .links import hrefs
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
from .sanitise import plain_text, references, resolve_link, sanitise_blocks
from .titles import page_title, work_package_number

__all__ = ["Extracted", "extract", "extract_page", "merge_news", "plain_text"]


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
        body = sanitise_blocks(flatten(single), base, origin)
        record.body = body.html
        draft = item_draft(page_url, title, body.html)
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
        record.body = sanitise_blocks(flatten(root), base, origin).html
        return record

    parent_number, parent_url = _parent_link(soup, root, base, origin, page_url)
    blocks = flatten(root)
    record.body = sanitise_blocks(blocks, base, origin).html
    plan = split_work_plan(blocks)
    number = work_package_number(title) or parent_number
    if number is None and not plan.milestones:
        return record

    record.kind = Kind.WORK_PACKAGE
    record.body = ""  # all of it is in the intro, the milestones or the status
    record.work_package = number
    record.parent_url = parent_url
    record.intro = sanitise_blocks(plan.intro, base, origin).html
    record.status = plan.status
    for draft in plan.milestones:
        start, end = parse_period(draft.period, project_start)
        if draft.period and start is None:
            record.warnings.append(f"milestone {draft.number}: cannot read period {draft.period!r}")
        description = sanitise_blocks(draft.blocks, base, origin).html
        record.milestones.append(MilestoneRecord(draft.number, start, end, description))
    if number is None:
        record.warnings.append("work package page without a work package number")
    return record
