"""Legacy content as one flat list of blocks, and those blocks as Wagtail rich text.

TYPO3 content mixes layout tables, wrapper divs, loose text and paragraphs
that use ``<br /><br />`` as paragraph breaks.  Milestone detection and
sanitising both want one flat list of paragraphs/headings/lists:
:func:`flatten` descends containers, wraps loose inline runs in ``<p>`` and
splits every paragraph at runs of two or more ``<br>``.

Wagtail's rich text, with the pages' features, knows paragraphs, h2–h4, bold, italic, links, lists,
line breaks, images, blockquote and hr — no tables, no h1, no styling.
:func:`sanitise_blocks` rewrites the soup first (absolute and canonical links, ``strong``→``b``,
``em``→``i``, ``h1``→``h2``, ``h5``/``h6``→``h4``, no-break spaces that are mere spacing → spaces)
and lets nh3 enforce the allow-list last, so nothing unsafe survives even if
the rewriting misses a case.  The blocks' helpers and the sanitiser live together
so that one page's extraction reads them in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PageElement

from ..urls import absolute, canonicalize, is_page_url, is_under
from .limits import check_time

BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "hr", "pre"}
)
CONTAINER_TAGS = frozenset(
    {
        "div",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "section",
        "article",
        "center",
        "form",
        "body",
        "html",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "fieldset",
    }
)
DROP_TAGS = frozenset({"script", "style", "noscript", "iframe", "object", "embed", "head", "title"})

_FACTORY = BeautifulSoup("", "lxml")


def new_tag(name: str) -> Tag:
    return _FACTORY.new_tag(name)


def _is_blank(node: PageElement) -> bool:
    if isinstance(node, NavigableString):
        return not str(node).replace("\xa0", " ").strip()
    return isinstance(node, Tag) and node.name == "br"


def has_content(node: PageElement) -> bool:
    """Visible text or an image inside ``node``."""
    if isinstance(node, Comment):
        return False
    if isinstance(node, NavigableString):
        return bool(str(node).replace("\xa0", " ").strip())
    if not isinstance(node, Tag):
        return False
    if node.name in ("img", "hr"):
        return True
    if node.find("img") is not None:
        return True
    return bool(node.get_text().replace("\xa0", " ").strip())


def wrap_nodes(nodes: list[PageElement], name: str = "p") -> Tag | None:
    while nodes and _is_blank(nodes[0]):
        nodes.pop(0)
    while nodes and _is_blank(nodes[-1]):
        nodes.pop()
    if not any(has_content(n) for n in nodes):
        return None
    tag = new_tag(name)
    for node in nodes:
        tag.append(node.extract())
    return tag


def split_at_double_br(p: Tag) -> list[Tag]:
    """Split a paragraph at runs of ≥2 ``<br>`` (whitespace between them allowed)."""
    segments: list[list[PageElement]] = [[]]
    children = list(p.children)
    i = 0
    while i < len(children):
        node = children[i]
        if isinstance(node, Tag) and node.name == "br":
            j, brs = i, 0
            while j < len(children) and _is_blank(children[j]):
                if isinstance(children[j], Tag):
                    brs += 1
                j += 1
            if brs >= 2:
                segments.append([])
                i = j
                continue
        segments[-1].append(node)
        i += 1
    if len(segments) == 1:
        return [p] if has_content(p) else []
    out = []
    for seg in segments:
        tag = wrap_nodes(seg, p.name)
        if tag is not None:
            out.append(tag)
    return out


def _holds_blocks(tag: Tag) -> bool:
    return tag.find(list(BLOCK_TAGS | CONTAINER_TAGS)) is not None


def flatten(node: Tag) -> list[Tag]:
    """Block elements of ``node`` in document order (nodes are moved, not copied)."""
    check_time()
    out: list[Tag] = []
    run: list[PageElement] = []

    def flush() -> None:
        if run:
            tag = wrap_nodes(list(run))
            run.clear()
            if tag is not None:
                out.extend(split_at_double_br(tag))

    for child in list(node.children):
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            run.append(child)
            continue
        if not isinstance(child, Tag) or child.name in DROP_TAGS:
            continue
        if child.name == "p":
            flush()
            if _holds_blocks(child):
                out.extend(flatten(child))
            else:
                out.extend(split_at_double_br(child))
        elif child.name in BLOCK_TAGS:
            flush()
            if has_content(child):
                out.append(child)
        elif child.name in CONTAINER_TAGS or _holds_blocks(child):
            flush()
            out.extend(flatten(child))
        else:
            run.append(child)
    flush()
    return out


def text_of(node: PageElement) -> str:
    """Visible text with whitespace (and no-break spaces) collapsed."""
    if isinstance(node, Tag):
        parts = []
        for item in node.descendants:
            if isinstance(item, Comment):
                continue
            if isinstance(item, NavigableString):
                parts.append(str(item))
            elif isinstance(item, Tag) and item.name in ("br", "p", "li", "td", "div"):
                parts.append(" ")
        text = "".join(parts)
    else:
        text = str(node)
    return " ".join(text.replace("\xa0", " ").split())

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


def resolve_link(href: str, base: str, origin: str) -> str:
    """Absolute URL for ``href``; links under the origin are canonicalized."""
    url = absolute(href, base)
    return canonicalize(url) if is_under(url, origin) else url


def _rewrite(block: Tag, base: str, origin: str) -> None:
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
        a.attrs = {"href": resolve_link(href, base, origin)}
    for img in block.find_all("img"):
        src = (img.get("src") or "").strip()
        if not src or src.lower().startswith(("javascript:", "data:")):
            img.decompose()
            continue
        img.attrs = {"src": absolute(src, base), "alt": img.get("alt", "")}
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


def sanitise_blocks(blocks: Iterable[Tag], base: str, origin: str) -> str:
    """Sanitised HTML for ``blocks``; the blocks are modified in place."""
    parts = []
    for block in blocks:
        check_time()
        if not has_content(block):
            continue
        _rewrite(block, base, origin)
        parts.append(str(block))
    return clean("".join(parts))


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
    """``html`` without the lists that only link to ``targets`` (a menu of them).

    A work package's page lists its parts, which Wagtail shows as the page's
    children: kept as rich text the menu would be a second, drifting copy.
    Nothing else changes: ``html`` was finished for the editor already.
    """
    if not targets or "<a " not in html:
        return html
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
    return str(soup)


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
    return text_of(BeautifulSoup(html_or_tag, "lxml"))
