"""News about events, and work-package milestones, in terms every format shares.

An event's dates and place go at the top of its content in RSS, Atom and
JSON Feed (and as ``_event`` in JSON Feed); the calendar (``events.ics``)
lists the events themselves and, on request, the milestones as periods.
"""

import datetime
from dataclasses import dataclass

from django.utils.dateformat import format as format_date
from django.utils.html import escape, strip_tags

from syndication.content import clean_text, clean_title


@dataclass(frozen=True)
class Event:
    start: datetime.date
    #: The last day (inclusive); the start for a one-day event.
    end: datetime.date
    location: str


@dataclass(frozen=True)
class Period:
    """A milestone: whole months, ``end`` exclusive (the next month's 1st)."""

    id: str
    title: str
    description: str
    url: str
    start: datetime.date
    end: datetime.date
    updated: datetime.datetime


def news_event(page):
    """The event a news page is about, or None."""
    if page.event_start is None:
        return None
    end = page.event_end if page.event_end and page.event_end >= page.event_start else None
    return Event(page.event_start, end or page.event_start, clean_title(page.location, ""))


def dates_text(event):
    """'13 June 2007', '13–15 June 2007', '30 June – 2 July 2007', ..."""
    start, end = event.start, event.end
    if start == end:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} – {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} – {format_date(end, 'j F Y')}"


def event_html(event):
    """The line at the top of an event's content."""
    place = f", {escape(event.location)}" if event.location else ""
    return f"<p><strong>Event:</strong> {escape(dates_text(event))}{place}</p>"


def month_after(day):
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def milestone_period(milestone, page_url, item_id):
    """A milestone with at least one month, as a :class:`Period`; else None."""
    first = milestone.period_start or milestone.period_end
    last = milestone.period_end or milestone.period_start
    if first is None:
        return None
    first, last = min(first, last), max(first, last)
    page = milestone.page
    name = f"Milestone {milestone.number}" if milestone.number else "Milestone"
    return Period(
        id=item_id,
        title=clean_title(f"{page.title}: {name}"),
        description=" ".join(clean_text(strip_tags(milestone.description)).split()),
        url=page_url,
        start=first.replace(day=1),
        end=month_after(last),
        updated=page.last_published_at or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
    )
