"""Characters and lengths no page should carry into Wagtail.

C0 control characters cannot be typed by an editor and break XML feeds;
bidi overrides and isolates reorder what a reader sees (a title can show
text other than what it holds).  Both are removed from the page before it is
parsed, with a warning.  Titles longer than Wagtail's limit are shortened at
a word boundary, with a warning, so the page is still imported.
"""

from __future__ import annotations

import re

#: C0 controls except tab, line feed and carriage return; DEL; bidi embeddings,
#: overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

#: ``Page.title``'s ``max_length``.
TITLE_LIMIT = 255
_ELLIPSIS = "…"


def remove_invisible(text: str) -> tuple[str, str | None]:
    """``text`` without control characters and bidi overrides, and a warning if any were."""
    cleaned, removed = _INVISIBLE.subn("", text)
    if not removed:
        return text, None
    return cleaned, f"removed {removed} control character(s) or bidi override(s)"


def fit_title(title: str, limit: int = TITLE_LIMIT) -> tuple[str, str | None]:
    """``title`` cut at the last word boundary that fits ``limit`` (with "…"), and a warning."""
    if len(title) <= limit:
        return title, None
    room = title[: limit - len(_ELLIPSIS) + 1]
    cut = room.rstrip().rfind(" ")
    head = room[:cut] if cut > limit // 2 else room[: limit - len(_ELLIPSIS)]
    short = head.rstrip(" ,;:-–") + _ELLIPSIS
    return short, f"title of {len(title)} characters shortened to {len(short)}"
