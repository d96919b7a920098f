"""Links to follow when crawling: site pages only, as canonical origin URLs.

Pages carry ``<base href>`` pointing at the origin; links spelled with the
source's address (a staging host) are mapped back to the origin so each page
has one identity.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from ..urls import absolute, canonicalize, is_page_url, is_under, to_origin

_SKIP_SCHEMES = ("mailto:", "javascript:", "tel:", "ftp:", "data:", "news:")


def page_links(html: str, page_url: str, origin: str, source_base: str | None = None) -> list[str]:
    """Canonical origin URLs of the site pages ``html`` links to, in document order."""
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = absolute(base_tag["href"], page_url) if base_tag else page_url
    found: list[str] = []
    for tag in soup.find_all(["a", "area", "frame", "iframe"]):
        href = (tag.get("href") or tag.get("src") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = absolute(href, base)
        url = to_origin(url, source_base, origin) if source_base else url
        if is_under(url, origin) and is_page_url(url) and url not in found:
            found.append(canonicalize(url))
    return list(dict.fromkeys(found))
