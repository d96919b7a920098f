"""From extracted records to the pages to write: one :class:`LegacyPage` per legacy URL.

Pure Python, no ORM: the read stage's merge step, whose pages the load stage
writes as they are, their rich text cut into the parts load joins
(:class:`~importers.rich_text.RichText`).  News items are merged here: a news list shows an
item's teaser, the item's own page its body, and the latest-news box of any
page may show it again; all of them become one ``LegacyPage`` keyed by the
item's canonical URL.  The source hash is taken over the merged page, so a
re-run over an unchanged site sees exactly the same hashes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from importers.extract import merge_news
from importers.extract.news import distinct_teaser
from importers.extract.sanitise import without_menus_of
from importers.records import Kind, MilestoneRecord, NewsItemRecord, PageRecord
from importers.rich_text import RichText
from importers.snapshots import to_snapshot

NO_DATE_WARNING = "news date could not be determined: imported as a draft, not published"
NO_TEXT_WARNING = (
    "news item has no text (no teaser, no body): published with its title only, "
    "as the legacy site showed it; add text in Wagtail"
)


@dataclass
class LegacyPage:
    """One page to write: its identity, where it goes and its content before link rewriting."""

    url: str
    kind: Kind
    title: str
    # content fields, as the page type names them; rich text carries legacy hrefs/srcs,
    # as HTML while the plan merges, as RichText once ordered
    fields: dict = field(default_factory=dict)
    number: int | None = None  # work package number (None for parts)
    work_package: int | None = None  # for parts: the number of their work package
    parent_url: str | None = None  # for parts: the legacy URL of their work package
    milestones: list[MilestoneRecord] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other legacy URLs showing this page
    # linked files, filled in by the read stage: URL as linked → (origin URL, document title)
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    publish: bool = True
    order: int = 0  # discovery order, kept for stable writes

    @property
    def is_part(self) -> bool:
        """A part of a work package: it links back to its work package's page."""
        return self.kind == Kind.WORK_PACKAGE and self.parent_url is not None

    def sort_key(self) -> tuple[int, int]:
        rank = self.kind.spec.order + (1 if self.is_part else 0)
        return rank, self.order

    def source_hash(self) -> str:
        return digest(
            {
                "url": self.url,
                "kind": str(self.kind),
                "title": self.title,
                "fields": self.fields,
                "number": self.number,
                "work_package": self.work_package,
                "parent_url": self.parent_url,
                "milestones": [
                    [m.number, m.period_start, m.period_end, m.description] for m in self.milestones
                ],
                "links": sorted(set(self.links)),
                "images": sorted(set(self.images)),
                "publish": self.publish,
            }
        )


def _json_default(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, RichText):
        return value.source()
    raise TypeError(f"cannot hash {type(value).__name__}")


def digest(data) -> str:
    """SHA-256 of ``data`` as canonical JSON (sorted keys, dates as ISO strings)."""
    text = json.dumps(data, sort_keys=True, default=_json_default, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_unique(target: list[str], items: Iterable[str]) -> None:
    seen = set(target)
    for item in items:
        if item and item not in seen:
            target.append(item)
            seen.add(item)


class Plan:
    """Collects records as extraction yields them; merges news items by URL."""

    def __init__(self, only: set[str] | None = None) -> None:
        self.only = only  # write just these URLs (the rest is read for merging only)
        self.pages: dict[str, LegacyPage] = {}
        # what was fetched at each URL: (page hash, record, crawl links), for snapshots
        self.fetched: dict[str, tuple[str, PageRecord, list[str]]] = {}
        self._news_detail: dict[str, NewsItemRecord] = {}  # from the item's own page
        self._news_lists: dict[str, NewsItemRecord] = {}  # from a news list

    def add(self, record: PageRecord, page_hash: str = "", links: list[str] | None = None) -> None:
        if page_hash:
            self.fetched[record.url] = (page_hash, record, list(links or []))
        if record.kind == Kind.NEWS:
            self._add_news_page(record)
        elif record.kind == Kind.NEWS_INDEX:
            self._put(
                LegacyPage(
                    url=record.url, kind=Kind.NEWS_INDEX, title=record.title,
                    links=list(record.links), warnings=list(record.warnings),
                )
            )
            for item in record.news_items:
                self._merge_item(item)
        elif record.kind == Kind.WORK_PACKAGE:
            part = record.parent_url is not None
            self._put(
                LegacyPage(
                    url=record.url,
                    kind=Kind.WORK_PACKAGE,
                    title=record.title,
                    fields={name: getattr(record, name) for name in Kind.WORK_PACKAGE.spec.fields},
                    number=None if part else record.work_package,
                    work_package=record.work_package,
                    parent_url=record.parent_url,
                    milestones=list(record.milestones),
                    links=list(record.links),
                    images=list(record.images),
                    warnings=list(record.warnings),
                )
            )
        else:
            self._put(
                LegacyPage(
                    url=record.url, kind=Kind.PAGE, title=record.title,
                    fields={name: getattr(record, name) for name in Kind.PAGE.spec.fields},
                    links=list(record.links),
                    images=list(record.images), warnings=list(record.warnings),
                )
            )

    def settled(self, record: PageRecord) -> LegacyPage | None:
        """The page ``record`` was read for, if what it is and where it goes are known now.

        The load stage makes its stub as soon as this says so, while the crawl
        reads on.  A page read for itself is settled, and so is a news item once
        its own page has given it a title (that title wins over a list's); nothing
        is while ``only`` is set.  A later read may still change a settled page (a
        news list can show it as an item): the load stage compares it at the end.
        """
        if self.only is not None:
            return None
        if record.kind == Kind.NEWS:
            items = [item for item in record.news_items if item.title]
            page = self.pages.get(items[0].url) if len(items) == 1 else None
        else:
            page = self.pages.get(record.url)
        return page if page is not None and page.kind == record.kind else None

    def finished(self, page: LegacyPage) -> LegacyPage | None:
        """``page`` as :meth:`ordered` will hand it on, if what the crawl has still to read
        is not expected to change it: a news item once its own page and a dated news
        list entry were read; any other page but a news list (the site's News page).

        A work package's menu of its parts is cut with the parts read so far: the
        load stage writes it once every link in it has its page (its parts too).
        It is a forecast: the load stage compares it with the whole site's at the end.
        """
        if self.only is not None or page.kind == Kind.NEWS_INDEX:
            return None
        if page.kind == Kind.NEWS:
            listed = self._news_lists.get(page.url)
            if listed is None or listed.date is None or page.url not in self._news_detail:
                return None
            self._finish_news(page)
        elif page.kind == Kind.WORK_PACKAGE and not page.is_part:
            _cut_menus(page, {p.url for p in self.pages.values()
                              if p.is_part and p.parent_url == page.url})
        _cut_rich_text(page)
        return page

    def page_hash(self, url: str) -> str | None:
        """The hash of the bytes fetched at ``url``, if it was."""
        fetched = self.fetched.get(url)
        return fetched[0] if fetched is not None else None

    def snapshot(self, url: str) -> tuple[str, dict] | None:
        """(page hash, snapshot) of the page fetched at ``url``, if it was."""
        fetched = self.fetched.get(url)
        if fetched is None:
            return None
        page_hash, record, links = fetched
        return page_hash, to_snapshot(record, links)

    def _put(self, page: LegacyPage) -> None:
        page.order = len(self.pages)
        old = self.pages.get(page.url)
        if old is not None:  # the same URL read twice (two sources): the later read wins
            page.order = old.order
        self.pages[page.url] = page

    def _add_news_page(self, record: PageRecord) -> None:
        for item in record.news_items:  # extraction gives an item's page its one item
            page = self._news_page(item)
            self._news_detail[item.url] = item
            page.title = item.title or page.title  # the item's own title wins (merge_news)
            add_unique(page.warnings, record.warnings)  # decoding, hygiene, dates
            add_unique(page.links, record.links)
            add_unique(page.images, record.images)
            if record.url != page.url:
                add_unique(page.aliases, [record.url])

    def _merge_item(self, item: NewsItemRecord) -> None:
        """A news list shows the item: keep the first list entry (a dated one over an undated)."""
        self._news_page(item)
        seen = self._news_lists.get(item.url)
        if seen is None or (seen.date is None and item.date is not None):
            self._news_lists[item.url] = item

    def _news_page(self, item: NewsItemRecord) -> LegacyPage:
        page = self.pages.get(item.url)
        if page is None or page.kind != Kind.NEWS:
            page = LegacyPage(url=item.url, kind=Kind.NEWS, title=item.title)
            self._put(page)
        return page

    def _finish_news(self, page: LegacyPage) -> None:
        item = merge_news(self._news_lists.get(page.url), self._news_detail.get(page.url))
        page.title = item.title or page.title
        page.fields = {
            "summary": distinct_teaser(item.summary, item.body_text),
            "body": item.body,
            "date": item.date,
            "event_start": item.event_start,
            "event_end": item.event_end,
            "location": item.location,
        }
        add_unique(page.warnings, item.warnings)
        page.publish = item.date is not None
        if not item.summary and not item.body_text and "<img" not in item.body:
            add_unique(page.warnings, [NO_TEXT_WARNING])
        if not page.publish:
            add_unique(page.warnings, [NO_DATE_WARNING])

    def ordered(self) -> list[LegacyPage]:
        """Pages in write order, news items merged from every page that shows them."""
        pages = sorted(self.pages.values(), key=LegacyPage.sort_key)
        if self.only is not None:
            pages = [page for page in pages if page.url in self.only]
        parts: dict[str, set[str]] = {}
        for page in self.pages.values():
            if page.is_part:
                parts.setdefault(page.parent_url, set()).add(page.url)
        for page in pages:
            if page.kind == Kind.NEWS:
                self._finish_news(page)
            elif page.url in parts:
                _cut_menus(page, parts[page.url])
            _cut_rich_text(page)
        return pages


def _cut_menus(page: LegacyPage, parts: set[str]) -> None:
    """A work package's text without its menus of ``parts`` (Wagtail lists its children)."""
    for name in ("intro", "body"):
        value = page.fields[name]  # cut into RichText already if it was finished before
        html = value.source() if isinstance(value, RichText) else value
        page.fields[name] = without_menus_of(html, parts)


def _cut_rich_text(page: LegacyPage) -> None:
    """The page's rich text as the parts load joins (once: ``ordered`` may be asked again)."""
    for name in page.kind.spec.rich_text:
        value = page.fields.get(name)
        if isinstance(value, str):
            page.fields[name] = RichText.of(value, page.url)
    page.milestones = [
        replace(m, description=RichText.of(m.description, page.url))
        if isinstance(m.description, str) else m
        for m in page.milestones
    ]
