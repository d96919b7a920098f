"""Bounds on the work one page may cost, so no page can stall a run.

Extraction walks the tree recursively in places and parses whatever the
legacy server sent, so a page gets two limits: a nesting depth (checked once,
in linear time, before anything recursive runs) and a time budget, checked
cooperatively by the extraction loops (nothing is interrupted from outside).
The budget lives in a context variable so the pure extraction functions need
no extra parameter; without a budget, :func:`check_time` does nothing.

Cooperative checks alone overshot the budget several times over: parsing a
page of a few megabytes into a tree, or one long pass of a library over
it, has no place to check. In the main thread, a timer signal
(``SIGALRM``) also ends the extraction when its time is up, at the next
Python instruction, so a page stops within a few milliseconds of its
budget. The timer is only set when no other timer or ``SIGALRM`` handler is
in use (a test runner's timeout, say); otherwise the cooperative checks
remain.
"""

from __future__ import annotations

import signal
import threading
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


class _Expired(BaseException):
    """Raised by the timer signal; a BaseException, so no ``except Exception`` on
    the way (a library's own, or a loop's that goes on past a bad element) takes it."""


def _expire(signum, frame):
    raise _Expired


def _may_use_timer() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Extraction inside the block fails once it ran ``seconds`` (``None``: no limit)."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    timed = seconds is not None and seconds > 0 and _may_use_timer()
    try:
        if timed:
            signal.signal(signal.SIGALRM, _expire)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            if timed:  # the signal may still come until the timer is off: caught below
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise OverBudget(over_budget_reason(seconds)) from None
    finally:
        if timed:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _deadline.reset(token)


def over_budget_reason(seconds: float) -> str:
    return f"took longer than the time budget of {seconds:g} s per page"


def check_time() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise OverBudget(over_budget_reason(deadline[1]))


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
