"""The one way to open the command's SOURCE arguments as a :class:`~importers.urls.Source`.

A SOURCE is live URLs, a wget mirror (or a folder in it), one saved HTML
file, a web archive (a WARC, a folder of WARCs, a WACZ), or the URL of a
site as a Wayback-compatible archive holds it (``wayback``: its replay prefix).  Each becomes a
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
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from importers.archive import ArchiveReader, is_archive
from importers.fetch import Fetcher
from importers.mirror import FileReader, MirrorReader
from importers.reader import DEFAULT_MAX_BYTES, ImportConfigError, Reader, SourceError
from importers.urls import Source
from importers.wayback import WaybackReader

__all__ = ["ImportConfigError", "SourceError", "open_source"]


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def _check_origin(origin: str) -> None:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportConfigError(f"--origin must be an http(s) URL, not {origin!r}")


def open_source(
    sources: Iterable[str | Path],
    origin: str | None,
    *,
    at: datetime.date | None = None,
    wayback: str | None = None,
    cdx: str | None = None,
    default_origin: Callable[[], str | None] = lambda: None,
    **fetch_options,
) -> Source:
    """Open SOURCE arguments; ``at`` picks archive captures nearest to that day.

    Without ``origin``, ``default_origin()`` is asked for it (the Site's legacy
    origin setting), once the SOURCEs are known to be a site's: a SOURCE that is
    none fails before the database is used. Neither gives one: the pages' own.

    With ``wayback`` (an archive's replay prefix, ``cdx`` its CDX endpoint
    when not under it), the one SOURCE URL is the site as that archive holds it.

    Raises :class:`SourceError` for SOURCEs that cannot be read as a site and
    :class:`ImportConfigError` for a bad ``--origin`` or ``--at``.  The reader
    is chosen first; the URLs (origin, its folder on the source, the start
    pages) are worked out once, by :meth:`Source.opened`.
    """
    items = [str(s) for s in sources]
    if not items:
        raise SourceError("give at least one SOURCE (a URL, a mirror directory, a web archive "
                          "or a file)")
    urls = [s for s in items if _is_url(s)]
    if urls and len(urls) != len(items):
        raise SourceError("give either source URLs, or one mirror directory, web archive or file")
    if not urls and wayback is None and not Path(items[0]).exists():
        raise _no_such(items[0])
    if origin is None:
        origin = default_origin()
    if origin is not None:
        _check_origin(origin)
    if wayback is not None:
        if not _is_url(wayback) or (cdx is not None and not _is_url(cdx)):
            raise ImportConfigError("--wayback and --cdx take the archive's http(s) URLs")
        if len(urls) != 1 or len(items) != 1:
            raise SourceError("with --wayback, give the one URL of the site as it was "
                              "(e.g. http://inno.baltmet.org/pub/)")
        reader: Reader = WaybackReader(wayback, urls[0], cdx=cdx, at=at, **fetch_options)
        return _opened(reader, origin, urls[0])
    if cdx is not None:
        raise ImportConfigError("--cdx names a Wayback archive's CDX API: give --wayback too")
    path = Path(items[0])
    archive = not urls and is_archive(path)
    if at is not None and not archive:
        raise ImportConfigError("--at chooses among a web archive's captures; "
                                "SOURCE is no web archive (nor is --wayback given)")
    if not urls and len(items) != 1:
        raise SourceError("give one mirror directory, web archive or HTML file (not several)")
    max_bytes = fetch_options.get("max_bytes", DEFAULT_MAX_BYTES)
    if urls:
        reader = Fetcher.for_sources(urls, **fetch_options)
    elif archive:
        reader = ArchiveReader(path, at=at, max_bytes=max_bytes)
    elif path.is_dir():
        reader = MirrorReader(path, max_bytes=max_bytes)
    elif path.is_file():
        reader = FileReader.saved_page(path, origin, max_bytes=max_bytes)
    else:
        raise _no_such(path)
    return _opened(reader, origin, str(path))


def _no_such(path) -> SourceError:
    return SourceError(f"{path}: no such file or directory (nor an http(s) URL)")


def _opened(reader: Reader, origin: str | None, where: str) -> Source:
    try:
        return Source.opened(reader, origin, where)
    except BaseException:
        reader.close()
        raise
