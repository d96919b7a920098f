"""Flatten legacy content into a list of block elements.

TYPO3 content mixes layout tables, wrapper divs, loose text and paragraphs
that use ``<br /><br />`` as paragraph breaks.  Milestone detection and
sanitising both want one flat list of paragraphs/headings/lists, so this
module produces it: containers are descended, loose inline runs are wrapped
in ``<p>``, and every paragraph is split at runs of two or more ``<br>``.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PageElement

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
