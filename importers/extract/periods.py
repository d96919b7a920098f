"""Milestone periods such as "(Start - June 2005)" → ``("2005-01", "2005-06")``.

The work plans name half-years in prose.  "Start" is the project's start (a
parameter, because the legacy text never says it); a first month without a
year borrows the second one's year, or the year before when the first month
comes later in the calendar ("November - March 2006" → 2005-11 … 2006-03).
Anything else we cannot read yields ``(None, None)`` rather than a guess.
"""

from __future__ import annotations

import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_DASH = re.compile(r"\s*(?:[-\u2010-\u2015]+|\bto\b|\buntil\b|\btill\b)\s*", re.I)
_START = re.compile(r"^(?:project\s+)?(?:start|beginning|begin)$", re.I)
_END = re.compile(r"^(?:project\s+)?(?:end|finish)$", re.I)
_NAMED = re.compile(r"^([a-z]+)\.?\s*,?\s*((?:19|20)\d\d)?$", re.I)
_NUMERIC = re.compile(r"^(\d{1,2})\s*[./]\s*((?:19|20)\d\d)$")
_YEAR = re.compile(r"^((?:19|20)\d\d)$")

Month = tuple[int | None, int]  # (year or None, month)


def month_str(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _side(text: str) -> Month | str | None:
    """One end of a period: ``(year, month)``, ``"start"``/``"end"`` or ``None``."""
    text = text.strip().strip(".,;:")
    if _START.match(text):
        return "start"
    if _END.match(text):
        return "end"
    named = _NAMED.match(text)
    if named and named.group(1).lower() in MONTHS:
        year = int(named.group(2)) if named.group(2) else None
        return (year, MONTHS[named.group(1).lower()])
    numeric = _NUMERIC.match(text)
    if numeric and 1 <= int(numeric.group(1)) <= 12:
        return (int(numeric.group(2)), int(numeric.group(1)))
    return None


def parse_period(text: str | None, project_start: str = "2005-01") -> tuple[str | None, str | None]:
    """First and last month ``"YYYY-MM"`` of a period like "July - December 2005"."""
    if not text:
        return None, None
    text = text.strip().strip("()").strip()
    # "Start - June2005": make sure a glued year is separable
    text = re.sub(r"([a-z])((?:19|20)\d\d)\b", r"\1 \2", text, flags=re.I)
    pieces = [p for p in _DASH.split(text) if p.strip()]
    if len(pieces) == 1:
        only = _side(pieces[0])
        if isinstance(only, tuple) and only[0] is not None:
            month = month_str(only[0], only[1])
            return month, month
        year = _YEAR.match(pieces[0].strip())
        if year:
            return f"{year.group(1)}-01", f"{year.group(1)}-12"
        return None, None
    if len(pieces) != 2:
        return None, None
    first, last = _side(pieces[0]), _side(pieces[1])
    if first is None or last is None or last == "start" or first == "end":
        return None, None
    end: str | None = None
    if isinstance(last, tuple):
        if last[0] is None:
            if not isinstance(first, tuple) or first[0] is None:
                return None, None
            year = first[0] + (1 if last[1] < first[1] else 0)
            last = (year, last[1])
        end = month_str(last[0], last[1])
    if first == "start":
        return project_start, end
    assert isinstance(first, tuple)
    if first[0] is None:
        if not isinstance(last, tuple):
            return None, None
        year = last[0] - (1 if first[1] > last[1] else 0)
        first = (year, first[1])
    return month_str(first[0], first[1]), end
