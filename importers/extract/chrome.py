"""Find a legacy page's content and strip the template chrome from it.

TYPO3 marked the editable content with ``<!--TYPO3SEARCH_begin-->`` …
``<!--TYPO3SEARCH_end-->``; everything else (header image, image menus,
latest-news box, rootline, footer) is template.  Pages without the markers
fall back to ``td#content`` and then ``<body>``, after removing the known
chrome blocks, so nothing of the template reaches a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .limits import check_time
from .sanitise import text_of

_MARKERS = re.compile(
    r"<!--\s*TYPO3SEARCH_begin\s*-->(.*?)(?:<!--\s*TYPO3SEARCH_end\s*-->|\Z)", re.S | re.I
)

#: Template blocks, by id or class, that are never content.
CHROME_SELECTORS = (
    "#news-latest",
    ".news-latest-item",
    ".news-latest-container",
    "#top",
    "#header",
    "#left",
    "#right",
    "#menu",
    "#navigation",
    "#rootline",
    ".rootline",
    "#footer",
    ".footer",
    ".news-single-backlink",
    ".news-list-more",
    ".news-latest-more",
    ".news-list-browse",
    "script",
    "style",
    "noscript",
)

_CHROME_LINK = re.compile(
    r"^\W*(read\s*more|more\s*\.*|back(\s+to\s+(news|overview|list|top))?|zur(ü|ue)ck|back\s+to\s+news)\W*$",
    re.I,
)
_WP_LINK = re.compile(r"^\W*(?:back\s+to\s+)?work\s*package\s*(\d+)\W*$", re.I)


@dataclass(frozen=True)
class NavLink:
    text: str
    href: str


def content_root(html: str) -> Tag:
    """A ``<div>`` holding the page's content (markers, else ``td#content``, else body)."""
    chunks = _MARKERS.findall(html)
    if chunks:
        soup = BeautifulSoup("<div>" + "".join(chunks) + "</div>", "lxml")
        root = soup.find("div")
        assert root is not None
        return root
    soup = BeautifulSoup(html, "lxml")
    for selector in CHROME_SELECTORS:
        for tag in soup.select(selector):
            if tag.get("id") != "content":
                tag.decompose()
    root = soup.select_one("td#content, #content") or soup.body or soup
    return root


def rootline(soup: BeautifulSoup) -> list[NavLink]:
    """Links of the rootline (breadcrumb) row, nearest parent last."""
    row = soup.select_one("#rootline, .rootline")
    if row is None:
        return []
    return [NavLink(text_of(a), a["href"]) for a in row.find_all("a", href=True)]


def pop_work_package_backlink(root: Tag) -> NavLink | None:
    """Remove and return a lone content link saying "(Back to) Work Package N".

    Several such links in lists are a menu of work packages, not a back link,
    and stay.
    """
    found = [
        a
        for a in root.find_all("a", href=True)
        if _WP_LINK.match(text_of(a)) and a.find_parent(["ul", "ol"]) is None
    ]
    if len(found) != 1:
        return None
    a = found[0]
    link = NavLink(text_of(a), a["href"])
    parent = a.parent
    a.decompose()
    if isinstance(parent, Tag) and parent.name in ("p", "div") and not text_of(parent):
        parent.decompose()
    return link


def wp_number(text: str) -> int | None:
    match = _WP_LINK.match(text)
    return int(match.group(1)) if match else None


@dataclass
class _Subtree:
    """What the image-menu test needs to know about a tag's subtree, gathered bottom-up."""

    links: int = 0  # ``<a href>`` elements
    links_without_image: int = 0
    text: bool = False  # visible text anywhere inside
    image: bool = False


def _image_menus(root: Tag) -> list[Tag]:
    """Tags holding a run of links whose only content is an image: TYPO3 GMENUs.

    One pass from the leaves up (children come after their parent in document
    order, so reversed order sees them first): linear in the page's size,
    however deeply it nests.
    """
    tags = root.find_all(True)
    stats: dict[int, _Subtree] = {}
    for count, tag in enumerate(reversed(tags)):
        if count % 1024 == 0:
            check_time()
        own = stats.setdefault(id(tag), _Subtree())
        own.text = own.text or any(
            isinstance(child, NavigableString) and not isinstance(child, Comment)
            and child.replace("\xa0", " ").strip()
            for child in tag.children
        )
        own.image = own.image or tag.name == "img"
        if tag.name == "a" and tag.get("href"):
            own.links += 1
            own.links_without_image += not own.image
        parent = stats.setdefault(id(tag.parent), _Subtree())
        parent.links += own.links
        parent.links_without_image += own.links_without_image
        parent.text = parent.text or own.text
        parent.image = parent.image or own.image
    return [
        tag
        for tag in tags
        if tag.name in ("div", "td", "p")
        and (own := stats[id(tag)]).links >= 2
        and not own.links_without_image
        and not own.text
    ]


def strip_chrome(root: Tag) -> None:
    """Remove template leftovers from a content root, in place."""
    for selector in CHROME_SELECTORS:
        for tag in root.select(selector):
            tag.decompose()
    for a in root.find_all("a"):
        if a.decomposed:
            continue
        text = text_of(a)
        if _CHROME_LINK.match(text) or text.startswith("<-"):
            parent = a.parent
            a.decompose()
            emptied = isinstance(parent, Tag) and parent.name in ("p", "div")
            if emptied and not text_of(parent) and parent.find("img") is None:
                parent.decompose()
        elif not a.get("href") and not text and a.find("img") is None:
            a.decompose()  # TYPO3's <a id="c123"></a> anchors
    for img in root.find_all("img"):
        src = img.get("src", "")
        if "typo3temp/menu/" in src or "/template/" in src:
            link = img.find_parent("a")
            (link or img).decompose()
    for tag in _image_menus(root):
        if not tag.decomposed:  # an outer menu took it with it
            tag.decompose()


def title_heading(root: Tag) -> Tag | None:
    """The visible page title: the first ``<h1>`` of the content (csc-header or news item)."""
    return root.find("h1")
