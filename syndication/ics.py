"""The events calendar as iCalendar (RFC 5545), written with the ``icalendar`` library.

All-day events (``VALUE=DATE``, the end exclusive), stable UIDs (the feed
items' ``tag:`` ids), DTSTAMP and LAST-MODIFIED from the last publication,
never from the clock: the same news gives the same bytes.
"""

import datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

PRODUCT = "-//Wagtail project site//Events//EN"


def utc(moment):
    return moment.astimezone(datetime.UTC)


def add_event(calendar, uid, title, start, end, updated, url, description="", location=""):
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", utc(updated))
    event.add("last-modified", utc(updated))
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("url", url)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return event


def render_ics(document):
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", document.title)
    calendar.add("x-wr-caldesc", document.description)
    for item in document.items:
        event = item.event
        add_event(
            calendar, item.id, item.title, event.start, event.end + datetime.timedelta(days=1),
            item.updated, item.url, description=item.summary, location=event.location,
        )
    for period in document.periods:
        component = add_event(
            calendar, period.id, period.title, period.start, period.end, period.updated,
            period.url, description=period.description,
        )
        component.add("categories", ["Milestone"])
    return calendar.to_ical()
