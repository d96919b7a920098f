"""Read the legacy site from a web archive: WARC files, a folder of them, or a WACZ.

A finished project's site is often gone and only its archive survives (wget
``--warc-file``, Heritrix, Webrecorder, the Internet Archive).  The archive
is a :class:`~importers.reader.Reader` like the live host: by canonical original URL, with the HTTP
status and headers stored in the record (so its ``charset`` counts as the
server's), redirects followed inside the archive, and ``dead`` for a URL the
archive does not hold.  Opening it streams over every record once to index
URL → capture (file, offset, date); a read seeks to one record, so memory
does not grow with the archive.  Of several captures of a URL the newest
wins, or the one nearest to ``at``; a revisit record stands for the capture
it refers to (by target URI and date, else by payload digest).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol, TypeVar

from warcio.archiveiterator import ArchiveIterator

from .reader import (
    DEFAULT_MAX_BYTES,
    HTML_TYPES,
    PAGE,
    REDIRECT_STATUSES,
    Damage,
    FetchError,
    FetchResult,
    Redirect,
    SourceError,
    Want,
    answer,
    follow,
    parse_content_type,
    require_type,
)
from .urls import canonicalize, host_of

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_archive(path: Path) -> bool:
    """A WARC or WACZ file, or a folder holding WARC files (and no mirror's host folders)."""
    name = path.name.lower()
    if path.is_file():
        return name.endswith((*WARC_SUFFIXES, ".wacz"))
    return path.is_dir() and any(_warc_files(path))


def _warc_files(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.iterdir())
            if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES))


class EndsAtPadding(io.RawIOBase):
    """A member's bytes as warcio reads them, ending where only NUL bytes are left.

    warcio reads what follows a record as one line, and a line of NULs grows
    without end (gigabytes of them stalled a run), so a run of NULs that
    reaches the end of the stream is not handed on (a few are: a gzip member
    may end in them); NULs followed by more bytes are (they lie inside a
    record), counted rather than held.  ``size`` is what was handed on.
    """

    PADDING = 4096  # trailing NULs fewer than this are the data's own

    def __init__(self, stream: IO[bytes], block: int = 1 << 16):
        self.stream = stream
        self.block = block
        self.size = 0
        self._pieces: deque[bytes | int] = deque()  # bytes, or a number of NULs
        self._held = 0  # NULs read last, handed on only if something follows

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.size

    def readinto(self, buffer) -> int:
        if not self._pieces:
            self._fill()
        if not self._pieces:
            return 0
        piece = self._pieces[0]
        if isinstance(piece, int):
            n = min(len(buffer), piece)
            buffer[:n] = bytes(n)
            rest: bytes | int = piece - n
        else:
            n = min(len(buffer), len(piece))
            buffer[:n] = piece[:n]
            rest = piece[n:]
        if rest:
            self._pieces[0] = rest
        else:
            self._pieces.popleft()
        self.size += n
        return n

    def _fill(self) -> None:
        while data := self.stream.read(self.block):
            body = data.strip(b"\0")
            if not body:
                self._held += len(data)
                continue
            lead = len(data) - len(data.lstrip(b"\0"))
            if self._held + lead:
                self._pieces.append(self._held + lead)
            self._pieces.append(body)
            self._held = len(data) - lead - len(body)
            return
        if 0 < self._held < self.PADDING:
            self._pieces.append(self._held)
        self._held = 0


@dataclass(frozen=True)
class Capture:
    """Where one response or revisit record of a URL lies, and what it says about itself."""

    when: datetime.datetime
    member: str  # WARC file path, or entry name inside the WACZ
    offset: int
    revisit: bool
    status: int
    content_type: str
    digest: str
    refers_to: tuple[str, str] | None = None  # (target URI, WARC date) of a revisit


def _date(value: str | None) -> datetime.datetime:
    if not value:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    parsed = datetime.datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _uri(value: str | None) -> str:
    return canonicalize((value or "").strip().strip("<>"))


def noon(day: datetime.date | None) -> datetime.datetime | None:
    """The moment ``--at`` stands for: noon (UTC) of the day."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC) if day else None


class Dated(Protocol):
    @property
    def when(self) -> datetime.datetime: ...


C = TypeVar("C", bound=Dated)


def nearest(captures: Iterable[C], at: datetime.datetime | None) -> C | None:
    """Of several captures of a URL, the newest, or the one nearest to ``at`` (the later of
    two as near): the one choice every archive source makes."""
    captures = list(captures)
    if not captures:
        return None
    if at is None:
        return max(captures, key=lambda c: c.when)
    return min(captures, key=lambda c: (abs(c.when - at), -c.when.timestamp()))


class ArchivedPages:
    """What every archive source lists alike; ``_captures`` (canonical URL → its
    captures), ``_chosen`` and ``_resolve`` are each source's own."""

    def pages(self) -> list[str]:
        """Canonical URLs of every page (HTML answered with 200), in the archive's order."""
        pages = []
        for url in self._captures:
            try:
                capture = self._resolve(url, self._chosen(url))
            except FetchError:
                continue
            if capture.status == 200 and capture.content_type in HTML_TYPES:
                pages.append(url)
        return pages


class ArchiveReader(ArchivedPages):
    """Pages and files of a web archive, looked up by canonical original URL.

    ``at`` (a date) picks, of several captures, the one nearest to that day
    instead of the newest.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        at: datetime.date | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.at = noon(at)
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            members = [str(p) for p in _warc_files(self.path)]
        elif self.path.name.lower().endswith(".wacz"):
            try:
                self._zip = zipfile.ZipFile(self.path)
            except zipfile.BadZipFile as exc:
                raise SourceError(f"{self.path} is not a WACZ (zip) file: {exc}") from None
            members = sorted(n for n in self._zip.namelist()
                             if n.startswith("archive/") and n.lower().endswith(WARC_SUFFIXES))
        else:
            members = [str(self.path)]
        if not members:
            raise SourceError(f"{self.path} holds no WARC files")
        self._captures: dict[str, list[Capture]] = {}
        self._by_digest: dict[str, Capture] = {}
        self.damage: list[Damage] = []
        for member in members:
            self._index(member)
        # Asked for every URL a run reads, so found once (the index is complete here).
        self.hosts = frozenset(host_of(url) for url in self._captures)

    # -- index ---------------------------------------------------------------
    @contextmanager
    def _open(self, member: str) -> Iterator[IO[bytes]]:
        stream = self._zip.open(member) if self._zip is not None else open(member, "rb")  # noqa: SIM115
        with stream:
            yield stream

    def _index(self, member: str) -> None:
        """Index ``member``'s records; damage after the first record is kept in ``damage``.

        A record shorter than its Content-Length (a cut file), one whose length
        lies (the next record does not start where it ends) and bytes after the
        last record that are no record all stop the member there: the records
        before are read, the archive is reported as damaged at that byte.
        """
        with self._open(member) as raw, contextlib.redirect_stderr(io.StringIO()):
            stream = EndsAtPadding(raw)  # warcio would read trailing NULs as one endless line
            records = ArchiveIterator(stream)
            end = 0  # where the last whole record ended
            problem = ""
            try:
                for record in records:
                    if record.format != "warc":  # warcio would read any text as an old ARC
                        raise ValueError(f"{record.format} record, not WARC")
                    offset = records.get_record_offset()  # reads the record to its end
                    if record.raw_stream.limit:
                        uri = record.rec_headers.get_header("WARC-Target-URI")
                        problem = f"the record for {uri} ends before its Content-Length"
                        end = offset
                        break
                    if records.err_count:
                        problem = "a record's Content-Length does not end where the next begins"
                        end = offset
                        break
                    self._add(member, record, offset)
                    end = records.offset  # past the blank lines that close it
            except Exception as exc:  # noqa: BLE001 - warcio fails on bad bytes in many ways
                # (ArchiveLoadFailed, ValueError, AttributeError on a header cut short)
                reason = " ".join(str(exc).split())  # warcio explains over many lines
                if len(reason) > 600:  # it quotes the bad line, which may be megabytes long
                    reason = reason[:200] + "…"
                # a file gzipped whole is whole, yet unreadable until recompressed (warcio says how)
                if not end or "recompress" in reason:
                    raise SourceError(f"{member}: not a readable WARC ({reason})") from None
                problem = f"no WARC record ({reason})"
            if not problem and end < stream.size:
                problem = f"{stream.size - end} bytes follow the last whole record"
        if problem:
            self.damage.append(Damage(member, end, problem))

    def _add(self, member: str, record, offset: int) -> None:
        if record.rec_type not in ("response", "revisit"):
            return
        headers = record.rec_headers
        http = record.http_headers
        if http is None:  # a revisit or response of a non-HTTP capture
            return
        # the media type alone, cheaply: pages are told from files by it
        content_type = (http.get_header("Content-Type") or "").split(";")[0]
        revisit = record.rec_type == "revisit"
        target = headers.get_header("WARC-Refers-To-Target-URI")
        capture = Capture(
            when=_date(headers.get_header("WARC-Date")),
            member=member,
            offset=offset,
            revisit=revisit,
            status=int(http.get_statuscode() or 0),
            content_type=content_type.strip().lower(),
            digest=headers.get_header("WARC-Payload-Digest") or "",
            refers_to=(
                (_uri(target), headers.get_header("WARC-Refers-To-Date") or "")
                if revisit and target else None
            ),
        )
        uri = _uri(headers.get_header("WARC-Target-URI"))
        self._captures.setdefault(uri, []).append(capture)
        if not revisit and capture.digest:
            self._by_digest.setdefault(capture.digest, capture)

    # -- choosing a capture ---------------------------------------------------
    def _chosen(self, url: str) -> Capture | None:
        return nearest(self._captures.get(url, ()), self.at)

    def _resolve(self, url: str, capture: Capture) -> Capture:
        """The response record a revisit stands for (a response stands for itself)."""
        if not capture.revisit:
            return capture
        if capture.refers_to is not None:
            target, date = capture.refers_to
            for candidate in self._captures.get(target, ()):
                if not candidate.revisit and (not date or candidate.when == _date(date)):
                    return candidate
        found = self._by_digest.get(capture.digest) if capture.digest else None
        if found is None:
            raise FetchError(url, "the archive's revisit record refers to a capture it lacks")
        return found

    # -- reading -------------------------------------------------------------
    kind = "web archive"
    holds_other_sites = True  # a crawl archives whatever it was allowed to reach
    concurrency = 1  # read in place, from one file handle

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        """The archived answer for ``url``, redirects followed inside the archive.

        An archive cannot be asked whether a file changed: ``want.validators`` are ignored.
        """
        max_bytes = want.max_bytes or self.max_bytes
        return follow(canonicalize(url), lambda at: self._read_capture(at, want.accept, max_bytes))

    def _read_capture(self, url: str, accept: Iterable[str], max_bytes: int):
        """The answer stored for ``url``: a redirect, or its media type and (capped) body."""
        url = canonicalize(url)
        capture = self._chosen(url)
        if capture is None:
            raise FetchError(
                url, "not in the web archive (a dead link when the archive is complete)",
                dead=True,
            )
        capture = self._resolve(url, capture)
        with self._open(capture.member) as stream:
            stream.seek(capture.offset)
            record = next(iter(ArchiveIterator(stream)))
            headers = record.http_headers
            status = int(headers.get_statuscode() or 0)
            if status in REDIRECT_STATUSES:
                return Redirect(status, headers.get_header("Location"))
            answer(url, status, where="(archived answer)")
            content_type, charset = parse_content_type(headers.get_header("Content-Type"))
            require_type(url, content_type, accept)
            body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FetchError(url, f"body exceeds the {max_bytes} byte cap; stopped")
        return FetchResult(url, status, content_type, charset, body)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
