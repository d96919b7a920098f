"""Page titles: the visible heading, else ``<title>`` minus the site's prefix."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .sanitise import text_of

SITE_PREFIX = re.compile(r"^\s*Balt\s*Met\s*Inno\s*(?:[:|\u2013\u2014-]\s*|$)", re.I)
WORK_PACKAGE = re.compile(r"^\s*work\s*package\s*(?:no\.?\s*)?(\d+)\b", re.I)


def from_title_tag(soup: BeautifulSoup) -> str:
    tag = soup.find("title")
    text = text_of(tag) if tag else ""
    return SITE_PREFIX.sub("", text).strip()


def page_title(heading: Tag | None, soup: BeautifulSoup) -> str:
    """Visible heading text, falling back to the ``<title>`` element."""
    text = text_of(heading) if heading is not None else ""
    return text or from_title_tag(soup)


def work_package_number(title: str) -> int | None:
    """N in a title "Work Package N" (also "Work Package 2: Marketing")."""
    found = WORK_PACKAGE.match(title)
    return int(found.group(1)) if found else None
