"""Read a dead legacy site from a Wayback-compatible archive: its CDX API and raw replay.

What survives of many project sites is in web archives: the Internet
Archive's Wayback Machine, national libraries, pywb installations.  They all
answer the CDX API (``…/cdx?url=SITE&matchType=prefix``: every capture
under the site, with its date, status, media type and payload digest) and
replay a capture unchanged (``…/TIMESTAMPid_/URL``: the archived status,
headers and bytes, no rewriting).  :class:`WaybackReader` is a
:class:`~importers.reader.Reader` over those two: one CDX listing when it
opens, then one replay per page or file, through a
:class:`~importers.fetch.Fetcher` confined to the archive's host (so the
same size cap, deadlines, retries and pause hold).

Of a URL's captures it takes the one nearest to ``at`` (or the newest),
skipping captures that are errors when it has any other; a revisit stands
for the capture with its payload digest; an archived redirect is followed
inside the archive.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from .archive import ArchivedPages, nearest, noon
from .fetch import Fetcher
from .reader import (
    PAGE,
    FetchError,
    FetchResult,
    Redirect,
    SourceError,
    Want,
    answer,
    follow,
)
from .urls import canonicalize, host_of

#: Bytes a CDX listing may take: some 200 bytes a capture, so a few hundred thousand captures.
MAX_LISTING_BYTES = 100 * 1024 * 1024
CDX_TYPES = ("application/", "text/")
_REPLAY_PATH = re.compile(r"^(\d{1,14})(?:[a-z]{2}_)?/(.+)$")


@dataclass(frozen=True)
class Capture:
    """One line of the CDX listing."""

    when: datetime.datetime
    timestamp: str  # as the archive spells it: 14 digits, UTC
    original: str  # the URL as it was captured (replay asks for this spelling)
    status: int  # 0 for a revisit, whose status is its original's
    content_type: str
    digest: str

    @property
    def revisit(self) -> bool:
        return self.content_type == "warc/revisit"

    @property
    def error(self) -> bool:
        return self.status >= 400


def _when(timestamp: str) -> datetime.datetime:
    digits = (timestamp + "00000101000000"[len(timestamp):])[:14]
    return datetime.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=datetime.UTC)


def parse_listing(text: str) -> list[Capture]:
    """Captures of a CDX answer in JSON: the Internet Archive's one array whose first row
    names the fields, or pywb's one object per line (their field names differ too)."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        rows = json.loads(text)
        rows = [dict(zip(rows[0], row, strict=False)) for row in rows[1:]] if rows else []
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    captures = []
    for row in rows:
        status = str(row.get("statuscode") or row.get("status") or "")
        captures.append(Capture(
            when=_when(row["timestamp"]),
            timestamp=row["timestamp"],
            original=row.get("original") or row["url"],
            status=int(status) if status.isdigit() else 0,
            content_type=(row.get("mimetype") or row.get("mime") or "").lower(),
            digest=row.get("digest") or "",
        ))
    return captures


class WaybackReader(ArchivedPages):
    """The captures under ``site`` in the Wayback archive whose replay prefix is ``replay``
    (``https://web.archive.org/web/``, ``http://host/collection/``).

    ``cdx`` is the archive's CDX endpoint (default: ``replay`` + ``cdx``, as
    pywb serves it); ``at`` a day whose captures are preferred; the other
    options are the :class:`~importers.fetch.Fetcher`'s.
    """

    kind = "Wayback archive"
    holds_other_sites = True  # a capture may redirect anywhere: the Source keeps to the origin
    damage = ()

    def __init__(
        self,
        replay: str,
        site: str,
        *,
        cdx: str | None = None,
        at: datetime.date | None = None,
        **fetch_options,
    ):
        self.replay = replay if replay.endswith("/") else replay + "/"
        self.cdx = cdx or self.replay + "cdx"
        self.site = canonicalize(site)
        self.at = noon(at)
        self.fetcher = Fetcher(allowed_hosts={host_of(self.replay), host_of(self.cdx)},
                               **fetch_options)
        self._captures: dict[str, list[Capture]] = {}
        try:
            listing = self._list()
        except BaseException:
            self.fetcher.close()
            raise
        for capture in listing:
            self._captures.setdefault(canonicalize(capture.original), []).append(capture)
        self._by_digest = {c.digest: c for c in listing if c.digest and not c.revisit
                           and not c.error}

    def _list(self) -> list[Capture]:
        query = urlencode({"url": self.site, "matchType": "prefix", "output": "json"})
        try:
            found = self.fetcher.fetch(f"{self.cdx}?{query}",
                                       Want(CDX_TYPES, MAX_LISTING_BYTES))
            return parse_listing(found.body.decode("utf-8"))
        except FetchError as exc:
            raise SourceError(f"{self.cdx}: the archive's CDX API did not answer "
                              f"({exc.reason})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"{self.cdx}: not a CDX listing in JSON ({exc})") from None

    # -- choosing a capture -------------------------------------------------
    def _chosen(self, url: str) -> Capture | None:
        """The capture to read for ``url``: errors only when there is nothing else."""
        captures = self._captures.get(url, ())
        good = [c for c in captures if not c.error]
        return nearest(good or captures, self.at)

    def _resolve(self, url: str, capture: Capture) -> Capture:
        """The capture a revisit stands for: the one with its payload digest."""
        if not capture.revisit:
            return capture
        found = self._by_digest.get(capture.digest) if capture.digest else None
        if found is None:
            raise FetchError(url, "the archive's revisit refers to a capture it lacks")
        return found

    # -- the Reader protocol -------------------------------------------------
    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({host_of(self.site)})

    @property
    def concurrency(self) -> int:
        """As many replays at once as the fetcher has connections: the captures are
        chosen from the listing, which no replay changes."""
        return self.fetcher.concurrency

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        """The archived answer for ``url``, archived redirects followed inside the archive.

        An archive cannot be asked whether a file changed: ``want.validators`` are ignored.
        """
        want = Want(want.accept, want.max_bytes, None, want.deadline)
        return follow(canonicalize(url), lambda at: self._replay(at, want))

    def _replay(self, url: str, want: Want) -> FetchResult | Redirect:
        chosen = self._chosen(url)
        if chosen is None:
            raise FetchError(url, "not in the Wayback archive (a dead link when the archive "
                             "is complete)", dead=True)
        capture = self._resolve(url, chosen)
        if capture.error:  # no need to replay what the listing says
            answer(url, capture.status, where="(archived answer)")
        at = f"{self.replay}{capture.timestamp}id_/{capture.original}"
        for _ in range(3):  # the archive may send us to the exact capture first
            got = self.fetcher.step(at, want)
            if isinstance(got, FetchResult):
                return FetchResult(url, got.status, got.content_type, got.charset, got.body)
            target = self._original(got.location or "")
            if canonicalize(target) != url or target == got.location:
                return Redirect(got.status, target)  # the site's own redirect, as archived
            at = got.location or ""
        raise FetchError(url, "the archive kept redirecting to its own captures")

    def _original(self, location: str) -> str:
        """The archived URL a ``Location`` names: archives may point it at their replay."""
        if location.startswith(self.replay):
            found = _REPLAY_PATH.match(location[len(self.replay):])
            if found:
                return found.group(2)
        return location

    def close(self) -> None:
        self.fetcher.close()

