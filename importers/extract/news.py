"""News items: from a news list, an item's page, and dated from their prose.

The legacy news carries no date field: the date is in the title or teaser,
sometimes without a year ("On November 13th").  Lists are newest first, so a
yearless date is the first such day at or after the item below it (or, at
the bottom of a list, the last one at or before the item above).  An item's
own page has no list, but every page carries the latest-news box, which is
used as the list for dating.  What cannot be determined stays ``None`` with a
warning.

Merge rule (for ``load``, implemented by :func:`merge_news`): a list record
and a page record with the same ``url`` describe one item.  ``summary``: the
list's teaser wins when non-empty, else the page's first paragraph.
``body``: the page's.  ``title``: the page's heading, else the list's.  Date,
event range and location: the list's when it has a date, else the page's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from bs4 import BeautifulSoup, Tag

from ..records import NewsItemRecord
from .dates import DateMention, bare_year, find_dates, on_or_after, on_or_before
from .places import find_location
from .sanitise import resolve_link, text_of

_NOT_TEASER = {"news-list-more", "news-latest-more", "news-latest-title"}


@dataclass
class NewsDraft:
    url: str
    title: str
    summary: str = ""
    body: str = ""
    body_text: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def texts(self) -> tuple[str, str, str]:
        return self.title, self.summary, self.body_text


def _mention(draft: NewsDraft) -> DateMention | None:
    for text in draft.texts:
        found = find_dates(text)
        if found:
            return found[0]
    return None


def _context_year(draft: NewsDraft, mention: DateMention) -> int | None:
    """A year the item itself gives: another dated mention (same month first), or a lone year."""
    others = [m for text in draft.texts for m in find_dates(text) if m.has_year]
    for other in others:
        if other.start.month == mention.start.month:
            return other.start.year
    if others:
        return others[0].start.year
    for text in draft.texts[:2]:
        year = bare_year(text)
        if year:
            return year
    return None


def date_items(drafts: list[NewsDraft]) -> list[NewsItemRecord]:
    """Records for ``drafts`` (a newest-first list), dates resolved across neighbours."""
    mentions = [_mention(d) for d in drafts]
    spans: list[tuple[datetime.date, datetime.date] | None] = []
    for draft, mention in zip(drafts, mentions, strict=True):
        if mention is None:
            spans.append(None)
            continue
        year = None if mention.has_year else _context_year(draft, mention)
        spans.append(mention.resolve(year))

    def neighbour(i: int, step: int) -> datetime.date | None:
        j = i + step
        while 0 <= j < len(spans):
            if spans[j] is not None:
                return spans[j][0]  # type: ignore[index]
            j += step
        return None

    # bottom-up, so a yearless item can lean on one resolved just below it
    for i in reversed(range(len(drafts))):
        mention = mentions[i]
        if spans[i] is not None or mention is None:
            continue
        older, newer = neighbour(i, +1), neighbour(i, -1)
        if older is not None:
            day = on_or_after(mention.start.month, mention.start.day, older)
        elif newer is not None:
            day = on_or_before(mention.start.month, mention.start.day, newer)
        else:
            day = None
        if day is not None and (newer is None or day <= newer) and (older is None or day >= older):
            spans[i] = mention.resolve(day.year)

    records = []
    for draft, mention, span in zip(drafts, mentions, spans, strict=True):
        warnings = list(draft.warnings)
        if mention is None:
            warnings.append(f"no date found in news item {draft.title!r}")
        elif span is None:
            warnings.append(
                f"date {mention.text!r} in news item {draft.title!r} has no year "
                "and no neighbouring item gives one"
            )
        records.append(
            NewsItemRecord(
                url=draft.url,
                title=draft.title,
                summary=draft.summary,
                body=draft.body,
                body_text=draft.body_text,
                date=span[0] if span else None,
                event_start=span[0] if span else None,
                event_end=span[1] if span else None,
                location=find_location(*draft.texts),
                warnings=warnings,
            )
        )
    return records


def _teaser(item: Tag) -> str:
    paragraphs = [
        text_of(p) for p in item.find_all("p") if not set(p.get("class") or []) & _NOT_TEASER
    ]
    return " ".join(t for t in paragraphs if t)


def list_drafts(container: Tag, base: str, origin: str, item_class: str) -> list[NewsDraft]:
    """Drafts for the items of a news list (or the latest-news box)."""
    drafts = []
    for item in container.select(f".{item_class}"):
        link = item.find("a", href=True)
        heading = item.find(["h2", "h3"]) or item.select_one(".news-latest-title") or link
        if link is None or heading is None:
            continue
        drafts.append(
            NewsDraft(
                url=resolve_link(link["href"], base, origin),
                title=text_of(heading),
                summary=_teaser(item),
            )
        )
    return drafts


def latest_box_drafts(soup: BeautifulSoup, base: str, origin: str) -> list[NewsDraft]:
    box = soup.select_one("#news-latest, .news-latest-container")
    return list_drafts(box, base, origin, "news-latest-item") if box else []


def item_draft(url: str, title: str, body_html: str) -> NewsDraft:
    """Draft for an item's own page: summary is the body's first paragraph."""
    soup = BeautifulSoup(body_html, "lxml")
    first = soup.find("p")
    summary = text_of(first) if first is not None else ""
    return NewsDraft(url, title, summary, body_html, text_of(soup))


def date_single_item(draft: NewsDraft, latest: list[NewsDraft]) -> NewsItemRecord:
    """Date one item page, using the page's latest-news box as its list context."""
    context = [draft if d.url == draft.url else d for d in latest]
    if draft not in context:
        context = [draft]
    records = date_items(context)
    return next(r for r in records if r.url == draft.url)


#: A teaser cut from a body is at most this long: a line or two in a listing or a feed reader.
TEASER_LENGTH = 160


def distinct_teaser(summary: str, body_text: str) -> str:
    """The teaser a page is written with, never its whole body again.

    Where the legacy item has one text only (its teaser is its body word for
    word), the body keeps it whole and the teaser becomes its opening words,
    cut at a word, with "…"; a body no longer than that has no teaser (the
    listings, the API and the feeds show the body, or the title, instead).
    """
    text = " ".join(body_text.split())
    if " ".join(summary.split()) != text:
        return summary
    if len(text) <= TEASER_LENGTH:
        return ""
    return text[: TEASER_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def merge_news(
    list_record: NewsItemRecord | None, page_record: NewsItemRecord | None
) -> NewsItemRecord:
    """One item from its list record and its page record (see the module docstring)."""
    if list_record is None or page_record is None:
        record = list_record or page_record
        if record is None:
            raise ValueError("merge_news needs at least one record")
        return record
    dated = list_record if list_record.date is not None else page_record
    warnings = [
        w
        for w in (*list_record.warnings, *page_record.warnings)
        if dated.date is None or "date" not in w
    ]
    return replace(
        page_record,
        title=page_record.title or list_record.title,
        summary=list_record.summary or page_record.summary,
        body=page_record.body or list_record.body,
        body_text=page_record.body_text if page_record.body else list_record.body_text,
        date=dated.date,
        event_start=dated.event_start,
        event_end=dated.event_end,
        location=dated.location or list_record.location or page_record.location,
        warnings=list(dict.fromkeys(warnings)),
    )
