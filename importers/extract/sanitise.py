"""Turn legacy blocks into HTML that Wagtail rich text accepts.

Wagtail's rich text, with the pages' features, knows paragraphs, h2–h4, bold, italic, links, lists,
line breaks, images, blockquote and hr — no tables, no h1, no styling.  We
rewrite the soup first (absolute and canonical links, ``strong``→``b``,
``em``→``i``, ``h1``→``h2``, ``h5``/``h6``→``h4``, no-break spaces that are mere spacing → spaces)
and let nh3 enforce the allow-list last, so nothing unsafe survives even if
the rewriting misses a case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3
from bs4 import Comment, NavigableString, Tag

from ..urls import absolute, canonicalize, is_page_url, is_under
from .blocks import has_content, text_of
from .limits import check_time

#: What the pages' rich text features allow (``cms.models.base.RICH_TEXT_FEATURES``;
#: a test holds the two together).
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "br",
    "img",
    "blockquote",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
URL_SCHEMES = {"http", "https", "mailto"}

_RENAME = {
    "strong": "b", "em": "i", "h1": "h2", "h5": "h4", "h6": "h4", "dt": "p", "dd": "p", "pre": "p",
}
_UNWRAP = frozenset(
    {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "span", "font", "div", "u"}
)
_NBSP_SPACING = re.compile(r"(?<!\d)\xa0|\xa0(?!\d)")
_AROUND_BLOCK = re.compile(r"\s*(</?(?:p|h[2-6]|ul|ol|li|blockquote)>|<br>|<hr>)\s*")
_EMPTY_P = re.compile(r"<(p|li|h[2-6]|b|i)>(?:\s|<br>)*</\1>")


@dataclass
class Sanitised:
    html: str
    links: list[str] = field(default_factory=list)  # canonical site-page URLs
    images: list[str] = field(default_factory=list)  # absolute image URLs


def resolve_link(href: str, base: str, origin: str) -> str:
    """Absolute URL for ``href``; links under the origin are canonicalized."""
    url = absolute(href, base)
    return canonicalize(url) if is_under(url, origin) else url


def _rewrite(block: Tag, base: str, origin: str, out: Sanitised) -> None:
    for comment in block.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in block.find_all(["script", "style", "noscript", "iframe", "object"]):
        tag.decompose()
    for tag in [block, *block.find_all(True)]:
        if tag.name in _RENAME:
            tag.name = _RENAME[tag.name]
        if tag is not block and tag.name in _UNWRAP:
            tag.unwrap()
    for a in block.find_all("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "vbscript:", "data:")):
            a.unwrap()
            continue
        if href.startswith("#"):
            a.unwrap()
            continue
        url = resolve_link(href, base, origin)
        a.attrs = {"href": url}
        if is_under(url, origin) and is_page_url(url) and url not in out.links:
            out.links.append(url)
    for img in block.find_all("img"):
        src = (img.get("src") or "").strip()
        if not src or src.lower().startswith(("javascript:", "data:")):
            img.decompose()
            continue
        url = absolute(src, base)
        img.attrs = {"src": url, "alt": img.get("alt", "")}
        if url not in out.images:
            out.images.append(url)
    for text in block.find_all(string=True):
        if isinstance(text, NavigableString) and "\xa0" in text:
            text.replace_with(_NBSP_SPACING.sub(" ", str(text)))


def references(root: Tag, base: str, origin: str) -> tuple[list[str], list[str]]:
    """Canonical site-page links and absolute image URLs in ``root`` (read only)."""
    links: list[str] = []
    images: list[str] = []
    for a in root.find_all("a", href=True):
        href = a["href"].strip()
        if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
            continue
        url = resolve_link(href, base, origin)
        if is_under(url, origin) and is_page_url(url) and url not in links:
            links.append(url)
    for img in root.find_all("img", src=True):
        src = img["src"].strip()
        url = absolute(src, base)
        if not src.lower().startswith(("javascript:", "data:")) and url not in images:
            images.append(url)
    return links, images


def sanitise_blocks(blocks: Iterable[Tag], base: str, origin: str) -> Sanitised:
    """Sanitised HTML for ``blocks``; the blocks are modified in place."""
    out = Sanitised("")
    parts = []
    for block in blocks:
        check_time()
        if not has_content(block):
            continue
        _rewrite(block, base, origin, out)
        parts.append(str(block))
    out.html = clean("".join(parts))
    return out


def clean(html: str) -> str:
    """nh3 with Wagtail's allow-list; collapses whitespace and drops empty paragraphs."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    cleaned = re.sub(r"\s+", " ", cleaned)
    cleaned = _AROUND_BLOCK.sub(r"\1", cleaned)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _EMPTY_P.sub("", cleaned)
    return cleaned.strip()


def without_menus_of(html: str, targets: set[str]) -> str:
    """Sanitised ``html`` without the lists that only link to ``targets`` (a menu of them).

    A work package's page lists its parts, which Wagtail shows as the page's
    children: kept as rich text the menu would be a second, drifting copy.
    """
    if not targets or "<a " not in html:
        return html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    menus = [
        menu
        for menu in soup.find_all(["ul", "ol"])
        if (items := menu.find_all("li", recursive=False))
        and all(_only_link_to(item, targets) for item in items)
    ]
    if not menus:
        return html
    for menu in menus:
        menu.decompose()
    return clean(str(soup))


def _only_link_to(item: Tag, targets: set[str]) -> bool:
    links = item.find_all("a")
    return (
        len(links) == 1
        and canonicalize(links[0].get("href", "")) in targets
        and text_of(links[0]) == text_of(item)
    )


def plain_text(html_or_tag: str | Tag) -> str:
    """Text of sanitised HTML or a tag, whitespace collapsed."""
    if isinstance(html_or_tag, Tag):
        return text_of(html_or_tag)
    from bs4 import BeautifulSoup

    return text_of(BeautifulSoup(html_or_tag, "lxml"))
