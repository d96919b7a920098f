"""Bounds on the work one page may cost, so no page can stall a run.

Extraction walks the tree recursively in places and parses whatever the
legacy server sent, so a page gets two limits: a nesting depth (checked once,
in linear time, before anything recursive runs) and a time budget, checked
cooperatively by the extraction loops (nothing is interrupted from outside).
The budget lives in a context variable so the pure extraction functions need
no extra parameter; without a budget, :func:`check_time` does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bs4 import Tag

#: Deeper than any template (layout tables included) nests; well inside Python's recursion.
MAX_NESTING = 256
DEFAULT_TIME_BUDGET = 10.0

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("page_deadline", default=None)


class UnreadablePage(ValueError):
    """The page cannot be extracted; the message says why, for the report."""

    #: The failure depends on the time budget: a larger one may read the page.
    over_budget = False


class OverBudget(UnreadablePage):
    over_budget = True


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Extraction inside the block fails once it ran ``seconds`` (``None``: no limit)."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise OverBudget(f"took longer than the time budget of {deadline[1]:g} s per page")


def check_nesting(root: Tag, limit: int = MAX_NESTING) -> None:
    """Fail with a clear reason when elements nest deeper than ``limit`` (one linear pass)."""
    depth = {id(root): 0}
    for count, tag in enumerate(root.find_all(True)):
        level = depth.get(id(tag.parent), 0) + 1
        if level > limit:
            raise UnreadablePage(f"nesting deeper than {limit} levels")
        depth[id(tag)] = level
        if count % 1024 == 0:
            check_time()
