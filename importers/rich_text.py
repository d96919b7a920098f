"""A page's rich text as the load stage writes it: literal HTML and the references to resolve.

The read stage finished the HTML for the editor (:mod:`importers.editor_html`);
here, as the plan hands its pages on, the HTML is cut once into
:class:`RichText`: literal strings, and :class:`Link` and :class:`Image`
references whose Wagtail targets (a page, a document, an image) are known
only when the page is written.  The load stage joins the parts: a join, never
a parse.  :meth:`RichText.source` gives the HTML back unchanged, which is
what a page's source hash is taken over.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from importers.urls import absolute, canonicalize

_REFERENCE = re.compile(r"<a\b([^>]*)>|<img\b([^>]*?)/?>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_END_A = re.compile(r"</a\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_NOT_RESOLVED = ("#", "mailto:", "tel:")  # such links are written as they are


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


@dataclass(frozen=True)
class Link:
    """A link to resolve: to an imported page, a stored document, or kept as ``tag``."""

    url: str  # the canonical absolute target
    tag: str  # the opening tag as the read stage wrote it
    text: str  # the link's text, whitespace collapsed (a document's title may come from it)


@dataclass(frozen=True)
class Image:
    """An image to embed once imported; left out (and reported) when it was not."""

    url: str
    alt: str
    tag: str  # as the read stage wrote it


Part = str | Link | Image


@dataclass(frozen=True)
class RichText:
    parts: tuple[Part, ...] = ()

    @classmethod
    def of(cls, value: str, page_url: str) -> RichText:
        """``value`` (finished HTML) cut at its links and images, hrefs read from ``page_url``."""
        parts: list[Part] = []
        position = 0
        for match in _REFERENCE.finditer(value):
            reference = _reference(match, value, page_url)
            if reference is None:
                continue
            parts += [value[position:match.start()], reference]
            position = match.end()
        parts.append(value[position:])
        return cls(tuple(part for part in parts if part != ""))

    def source(self) -> str:
        """The HTML this was cut from."""
        return "".join(part if isinstance(part, str) else part.tag for part in self.parts)

    @property
    def links(self) -> Iterator[Link]:
        return (part for part in self.parts if isinstance(part, Link))

    def __bool__(self) -> bool:
        return bool(self.parts)


def _reference(match: re.Match, value: str, page_url: str) -> Link | Image | None:
    if match.group(2) is not None or match.group(0)[:4].lower() == "<img":
        attrs = _attrs(match.group(2) or "")
        src = attrs.get("src", "")
        url = canonicalize(absolute(src, page_url)) if src else ""
        return Image(url, attrs.get("alt", ""), match.group(0))
    href = _attrs(match.group(1)).get("href", "")
    if not href or href.startswith(_NOT_RESOLVED):
        return None
    end = _END_A.search(value, match.end())
    inner = value[match.end():end.start()] if end else ""
    text = " ".join(html.unescape(_TAG.sub(" ", inner)).split())
    return Link(canonicalize(absolute(href, page_url)), match.group(0), text)
