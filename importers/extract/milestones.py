"""Split a work package's blocks into intro, milestones and status line.

Headings "Milestone N (period)" come as a bold paragraph, an ``<h3>``, bold
text at the start of a paragraph, or bold text inside one long paragraph
separated by ``<br /><br />`` (already split by :mod:`.blocks`).  The closing
italic sentence ("Actual implementation of actions is delayed.") is the
status, not part of the last milestone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import PageElement

from .sanitise import has_content, text_of, wrap_nodes

HEADING = re.compile(
    r"^\s*milestone\s*(?:no\.?\s*)?(\d+)\s*(?:\(\s*([^)]*?)\s*\)|[:\-\u2013]\s*([^:]*?\d{4}))?\s*[:.]?\s*$",
    re.I,
)
STATUS = re.compile(
    r"\bimplementation\b.*\b(delayed|on schedule|completed|finished|postponed)\b", re.I
)


@dataclass
class MilestoneDraft:
    number: int | None
    period: str | None
    blocks: list[Tag] = field(default_factory=list)


@dataclass
class WorkPlan:
    intro: list[Tag] = field(default_factory=list)
    milestones: list[MilestoneDraft] = field(default_factory=list)
    status: str = ""


def heading_match(text: str) -> tuple[int, str | None] | None:
    """``(number, period text)`` when ``text`` is a milestone heading."""
    found = HEADING.match(text)
    if not found:
        return None
    return int(found.group(1)), found.group(2) or found.group(3)


def _is_emphasis(node: PageElement) -> bool:
    return isinstance(node, Tag) and node.name in ("b", "strong", "h3", "h4", "u")


def isolate_headings(blocks: list[Tag]) -> list[Tag]:
    """Split paragraphs where a bold milestone heading sits among other text.

    ``<p><b>Milestone 1 (…)</b><br />Text</p>`` → heading block + text block.
    """
    out: list[Tag] = []
    for block in blocks:
        if block.name != "p" or heading_match(text_of(block)):
            out.append(block)
            continue
        children = list(block.children)
        cuts = [
            i
            for i, child in enumerate(children)
            if _is_emphasis(child)
            and heading_match(text_of(child))
            and not _next_text_starts_with_paren(children, i)
        ]
        if not cuts:
            out.append(block)
            continue
        bounds = sorted({0, *[c for i in cuts for c in (i, i + 1)], len(children)})
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            piece = wrap_nodes(children[lo:hi])
            if piece is not None:
                out.append(piece)
    return out


def _next_text_starts_with_paren(children: list[PageElement], i: int) -> bool:
    for node in children[i + 1 :]:
        if isinstance(node, NavigableString) and not str(node).strip():
            continue
        return text_of(node).startswith("(")
    return False


def _is_italic_only(block: Tag) -> bool:
    text = text_of(block)
    if not text:
        return False
    outer = [t for t in block.find_all(["i", "em"]) if not t.find_parent(["i", "em"])]
    italic = "".join(text_of(t) for t in outer)
    return italic.replace(" ", "") == text.replace(" ", "")


def is_status(block: Tag, *, after_milestones: bool) -> bool:
    """A status line: the trailing italic sentence, or one about implementation progress."""
    text = text_of(block)
    if not text or len(text) > 300 or heading_match(text):
        return False
    if STATUS.search(text):
        return True
    return after_milestones and _is_italic_only(block)


def split_work_plan(blocks: list[Tag]) -> WorkPlan:
    """Intro blocks, milestones and the status line of a work package page."""
    plan = WorkPlan()
    for block in isolate_headings(blocks):
        heading = heading_match(text_of(block)) if block.name != "ul" else None
        if heading:
            plan.milestones.append(MilestoneDraft(heading[0], heading[1]))
        elif plan.milestones:
            plan.milestones[-1].blocks.append(block)
        else:
            plan.intro.append(block)
    tail = plan.milestones[-1].blocks if plan.milestones else plan.intro
    while tail and not has_content(tail[-1]):
        tail.pop()
    if tail and is_status(tail[-1], after_milestones=bool(plan.milestones)):
        plan.status = text_of(tail.pop())
    return plan
