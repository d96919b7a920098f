"""Where a page's links and frames point, as absolute URLs (the crawl picks the site pages)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ..urls import absolute

_SKIP_SCHEMES = ("mailto:", "javascript:", "tel:", "ftp:", "data:", "news:")


def hrefs(soup: BeautifulSoup, page_url: str) -> list[str]:
    """Absolute targets of the page's links, areas and frames, in document order, once each."""
    base_tag = soup.find("base", href=True)
    base = absolute(base_tag["href"], page_url) if base_tag else page_url
    found: dict[str, None] = {}
    for tag in soup.find_all(["a", "area", "frame", "iframe"]):
        href = (tag.get("href") or tag.get("src") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        found.setdefault(absolute(href, base))
    return list(found)
