"""Plain records passed between the pipeline's stages.

``extract`` turns HTML into these; ``load`` turns them into Wagtail pages.
They carry no Django types so extraction stays pure and easy to fuzz.
Dates are ``datetime.date``; months are ``"YYYY-MM"`` strings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a legacy page is: decides its Wagtail page type and place in the tree."""

    NEWS = "news"
    NEWS_INDEX = "news_index"
    WORK_PACKAGE = "work_package"
    PAGE = "page"

    @property
    def label(self) -> str:
        return KINDS[self].label

    @property
    def spec(self) -> KindSpec:
        return KINDS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, as a model field's ``choices`` want them."""
        return [(kind.value, kind.label) for kind in cls]


@dataclass(frozen=True)
class KindSpec:
    """How every stage treats one kind of page: the one table to edit for a new kind.

    ``model`` is the Wagtail page type (``app_label.ModelName``; named, not
    imported, so the records stay free of Django; the news list has none: the
    News page stands for it); ``parent`` is the index of :class:`cms.site_tree.SiteTree`
    it goes under; ``order`` is the write order (parents before children, a
    work package's parts one step after it); ``fields`` are the record's content
    fields the page is written with as they are (a news item's fields are merged
    from its own page and the news lists that show it instead); ``rich_text`` are
    the page's rich text fields (finished for the editor as the page is read,
    their links and images resolved as it is written).
    """

    label: str
    model: str | None
    parent: str
    order: int
    fields: tuple[str, ...] = ()
    rich_text: tuple[str, ...] = ()


KINDS = {
    Kind.NEWS_INDEX: KindSpec("news list", None, "home", 0),
    Kind.WORK_PACKAGE: KindSpec("work package", "cms.WorkPackagePage", "work_packages", 1,
                                ("intro", "status", "body"), ("intro", "body")),
    Kind.PAGE: KindSpec("other page", "cms.StandardPage", "home", 3, ("body",), ("body",)),
    Kind.NEWS: KindSpec("news item", "cms.NewsPage", "news", 4, rich_text=("body",)),
}


class Action(StrEnum):
    """What an import run did with one legacy page (the report, the ID map, the command)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED_EDITED = "skipped_edited"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """As the summary table and the admin name it."""
        return _ACTION_WORDS[self][0]

    @property
    def verb(self) -> str:
        """As a dry run announces it: "would <verb> …"."""
        return _ACTION_WORDS[self][1]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(action.value, action.label) for action in cls]


_ACTION_WORDS = {
    Action.CREATED: ("created", "create"),
    Action.UPDATED: ("updated", "update"),
    Action.UNCHANGED: ("unchanged", "leave unchanged"),
    Action.SKIPPED_EDITED: ("skipped because edited", "skip (edited)"),
    Action.FAILED: ("failed", "fail"),
}


@dataclass(frozen=True)
class MilestoneRecord:
    number: int | None
    period_start: str | None  # "YYYY-MM"
    period_end: str | None  # "YYYY-MM"
    description: str  # sanitised HTML (a RichText once planned: importers.rich_text)


@dataclass
class NewsItemRecord:
    """One legacy news item, as far as one page shows it.

    A news list shows the teaser, the item's own page shows the body; ``load``
    merges both records by ``url`` into a single ``NewsPage``.
    """

    url: str  # canonical legacy URL of the item's detail page
    title: str
    summary: str = ""  # plain text teaser
    body: str = ""  # sanitised HTML, empty when only the teaser was seen
    body_text: str = ""  # the body's plain text, as extraction read it
    date: datetime.date | None = None
    event_start: datetime.date | None = None
    event_end: datetime.date | None = None
    location: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class PageRecord:
    """Everything extracted from one legacy page."""

    url: str  # canonical legacy URL (under the origin)
    kind: Kind
    title: str
    body: str = ""  # sanitised HTML of the page content, chrome removed
    # work packages
    work_package: int | None = None  # number of the work package it belongs to
    parent_url: str | None = None  # canonical URL of the work package a part belongs to
    intro: str = ""  # sanitised HTML
    milestones: list[MilestoneRecord] = field(default_factory=list)
    status: str = ""
    # news: on an item's page one item, on a news list every item it shows
    news_items: list[NewsItemRecord] = field(default_factory=list)
    # canonical URLs of pages of the legacy site this page links to
    links: list[str] = field(default_factory=list)
    # absolute URLs of images used in the body, intro or milestones
    images: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
