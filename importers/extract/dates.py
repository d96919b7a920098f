"""Dates written in prose: "9th October 2007", "13-15 June 2007", "April 4-5, 2007".

Returns *mentions* whose year may be missing ("On November 13th"): the year
is filled in by the caller from context (another date in the same item) or
from neighbouring news items (:mod:`.news`), never guessed here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .periods import MONTHS

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?<![\d.])(?:[0-3]?\d)(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"(?:(?:19|20)\d\d)(?!\d)"
_DASH = r"\s*(?:-|\u2010|\u2011|\u2012|\u2013|\u2014|to|until|till)\s*"
_AND = r"\s*(?:and|&)\s*"
_OF = r"(?:\s+of)?"
_COMMA = r",?\s*"


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


D1, D2, M1, M2 = _g("d1", _DAY), _g("d2", _DAY), _g("m1", _MONTH), _g("m2", _MONTH)
Y1, Y2 = _g("y1", _YEAR), _g("y2", _YEAR)
_WB = r"\b"

#: Most specific first; overlaps are resolved by earliest start, then longest match.
PATTERNS = [
    # 13 June 2007 – 15 June 2007 · 30 June - 2 July 2007
    rf"{D1}{_OF}\s+{M1}(?:{_COMMA}{Y1})?{_DASH}{D2}{_OF}\s+{M2}(?:{_COMMA}{Y2})?",
    # June 13, 2007 – June 15, 2007 · June 30 - July 2, 2007
    rf"{_WB}{M1}\s+{D1}(?:{_COMMA}{Y1})?{_DASH}{M2}\s+{D2}(?:{_COMMA}{Y2})?",
    # 13-15 June 2007 · From 13 - 15 June · 4th and 5th of April
    rf"{D1}(?:{_DASH}|{_AND}){D2}{_OF}\s+{M2}(?:{_COMMA}{Y2})?",
    # April 4-5, 2007 · April 4 and 5
    rf"{_WB}{M2}\s+{D1}(?:{_DASH}|{_AND}){D2}(?:{_COMMA}{Y2})?",
    # 9th October 2007 · 13th of November
    rf"{D1}{_OF}\s+{M1}(?:{_COMMA}{Y1})?",
    # November 13th · June 13, 2007
    rf"{_WB}{M1}\s+{D1}(?:{_COMMA}{Y1})?",
    # 13.11.2007
    r"(?<![\d.])(?P<d1>[0-3]?\d)\.\s?(?P<n1>[01]?\d)\.\s?(?P<y1>(?:19|20)\d\d)(?!\d)",
]
_COMPILED = [re.compile(p) for p in PATTERNS]
_BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int
    day: int

    def with_year(self, year: int) -> datetime.date | None:
        try:
            return datetime.date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class DateMention:
    """A date or day range found in text; ``year`` is ``None`` when the text omits it."""

    start: PartialDate
    end: PartialDate
    text: str
    position: int

    @property
    def has_year(self) -> bool:
        return self.start.year is not None

    def resolve(self, year: int | None = None) -> tuple[datetime.date, datetime.date] | None:
        """Start and end dates, taking ``year`` for the start when the text has none."""
        start_year = self.start.year if self.start.year is not None else year
        if start_year is None:
            return None
        start = self.start.with_year(start_year)
        if start is None:
            return None
        end_year = self.end.year
        if end_year is None:
            end_year = start_year + (1 if self.end.month < self.start.month else 0)
        end = self.end.with_year(end_year)
        if end is None or end < start:
            return None
        return start, end


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _mention(match: re.Match[str]) -> DateMention | None:
    g = match.groupdict()
    if g.get("n1"):
        m1 = m2 = int(g["n1"])
    else:
        m2 = _month(g["m2"]) if g.get("m2") else _month(g["m1"])
        m1 = _month(g["m1"]) if g.get("m1") else m2
    d1 = _day(g["d1"])
    d2 = _day(g["d2"]) if g.get("d2") else d1
    y2 = int(g["y2"]) if g.get("y2") else None
    y1 = int(g["y1"]) if g.get("y1") else None
    if y1 is None and y2 is not None:
        y1 = y2 - (1 if m1 > m2 else 0)
    if y2 is None and y1 is not None and not g.get("d2"):
        y2 = y1
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
        return None
    mention = DateMention(
        PartialDate(y1, m1, d1), PartialDate(y2, m2, d2), match.group(0).strip(), match.start()
    )
    if mention.has_year and mention.resolve() is None:
        return None
    return mention


def find_dates(text: str) -> list[DateMention]:
    """All date mentions in ``text``, in reading order, without overlaps."""
    text = text.replace("\xa0", " ")
    candidates: list[tuple[int, int, DateMention]] = []
    for pattern in _COMPILED:
        for match in pattern.finditer(text):
            mention = _mention(match)
            if mention is not None:
                candidates.append((match.start(), match.end(), mention))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[DateMention] = []
    last_end = -1
    for start, end, mention in candidates:
        if start >= last_end:
            chosen.append(mention)
            last_end = end
    return chosen


def bare_year(text: str) -> int | None:
    """A lone year ("… in 2007") that can date a mention written without one."""
    found = _BARE_YEAR.search(text)
    return int(found.group(1)) if found else None


def on_or_after(month: int, day: int, not_before: datetime.date) -> datetime.date | None:
    """First (month, day) at or after a date (within four years, for 29 February)."""
    for year in range(not_before.year, not_before.year + 5):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate >= not_before:
            return candidate
    return None


def on_or_before(month: int, day: int, not_after: datetime.date) -> datetime.date | None:
    """Last (month, day) at or before a date."""
    for year in range(not_after.year, not_after.year - 5, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate <= not_after:
            return candidate
    return None
