"""The one way to open the command's SOURCE arguments as a :class:`~importers.urls.Source`.

A SOURCE is live URLs, a wget mirror (or a folder in it), one saved HTML
file, or a web archive (a WARC, a folder of WARCs, a WACZ).  Each becomes a
:class:`~importers.reader.Reader`; the Source around it knows the
origin it stands for, the folder on it that holds the origin's pages, and
the pages to start from.  Problems are clear errors before anything is read;
the origin is guessed from the first page's ``<base href>`` when not given.
A page's images and linked documents are read through the same source
(``Source.read_file``), so they come from where the pages come from and
nowhere else.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from importers.archive import ArchiveReader, is_archive
from importers.decode import decode
from importers.fetch import Fetcher
from importers.mirror import FileReader, MirrorReader
from importers.reader import DEFAULT_MAX_BYTES, FetchError, Reader, SourceError
from importers.urls import (
    Source,
    base_dir,
    canonicalize,
    default_source_base,
    is_under,
    url_from_mirror_path,
)

_BASE_HREF = re.compile(r"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)


class ImportConfigError(Exception):
    """A usage or configuration problem: the command exits 2 with this one-line message."""


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def check_origin(origin: str) -> str:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportConfigError(f"--origin must be an http(s) URL, not {origin!r}")
    return base_dir(origin)


def _base_href(body: bytes, charset: str | None) -> str | None:
    match = _BASE_HREF.search(decode(body[:8192], charset).text)
    if match and _is_url(match.group(1)):
        return base_dir(match.group(1))
    return None


def open_source(
    sources: Iterable[str | Path],
    origin: str | None,
    *,
    at: datetime.date | None = None,
    **fetch_options,
) -> Source:
    """Open SOURCE arguments; ``at`` picks archive captures nearest to that day.

    Raises :class:`SourceError` for SOURCEs that cannot be read as a site and
    :class:`ImportConfigError` for a bad ``--origin`` or ``--at``.
    """
    items = [str(s) for s in sources]
    if not items:
        raise SourceError("give at least one SOURCE (a URL, a mirror directory, a web archive "
                          "or a file)")
    urls = [s for s in items if _is_url(s)]
    if urls and len(urls) != len(items):
        raise SourceError("give either source URLs, or one mirror directory, web archive or file")
    if origin is not None:
        origin = check_origin(origin)
    path = Path(items[0])
    archive = not urls and is_archive(path)
    if at is not None and not archive:
        raise ImportConfigError("--at chooses among a web archive's captures; "
                                "SOURCE is no web archive")
    if not urls and len(items) != 1:
        raise SourceError("give one mirror directory, web archive or HTML file (not several)")
    max_bytes = fetch_options.get("max_bytes", DEFAULT_MAX_BYTES)
    if urls:
        reader: Reader = Fetcher.for_sources(urls, **fetch_options)
    elif archive:
        reader = ArchiveReader(path, at=at, max_bytes=max_bytes)
    elif path.is_dir():
        reader = MirrorReader(path, max_bytes=max_bytes)
    elif path.is_file():
        reader, origin = _file_reader(path, origin, max_bytes)
    else:
        raise SourceError(f"{path}: no such file or directory (nor an http(s) URL)")
    try:
        return _source(reader, path, origin)
    except BaseException:
        reader.close()
        raise


def _file_reader(path: Path, origin: str | None, max_bytes: int) -> tuple[FileReader, str]:
    """One saved page stands for the origin URL its name spells (``index.php?id=209.html``)."""
    if origin is None:
        origin = _base_href(path.read_bytes()[:8192], None)
        if origin is None:
            raise ImportConfigError(f"{path} has no <base href>; give --origin")
    guess = url_from_mirror_path("host/" + path.name)
    url = canonicalize(base_dir(origin) + guess.split("/host/", 1)[1])
    return FileReader(path, url, max_bytes=max_bytes), origin


def _source(reader: Reader, path: Path, origin: str | None) -> Source:
    """The reader's pages as start pages (sorted, so every run reads in the same order),
    under the origin given or read from the reader's first page."""
    pages = reader.pages()
    if not pages:
        raise SourceError(f"{path}: no HTML pages in this {reader.kind}")
    if origin is None:
        try:
            first = reader.fetch(pages[0])
        except FetchError as exc:
            raise ImportConfigError(
                f"cannot read {pages[0]} to find the origin ({exc.reason}); give --origin"
            ) from exc
        origin = _base_href(first.body, first.charset) or base_dir(pages[0])
    origin = base_dir(origin)
    base = default_source_base(pages[0], origin)
    if reader.holds_other_sites:
        pages = [u for u in pages if is_under(u, base)]
    source = Source(reader, origin, base, ())
    return source.with_start(tuple(sorted({source.to_origin(u) for u in pages})))
