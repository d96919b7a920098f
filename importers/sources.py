"""Turn the command's SOURCE arguments and ``--origin`` into a readable source.

Builds on :mod:`importers.fetch` (readers and the crawl) and adds what the
command needs around it: clear configuration errors before anything is read,
the origin guessed from the pages' ``<base href>`` when not given, a mirror
folder given at any depth (``importers/sample`` or
``importers/sample/inno.baltmet.org/pub``), and reading images through the
same reader (allowed hosts only, or the mirror's files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from importers.decode import decode
from importers.fetch import (
    DEFAULT_MAX_BYTES,
    Fetcher,
    FetchError,
    FileReader,
    MirrorReader,
    Source,
    open_sources,
)
from importers.urls import base_dir, canonicalize, default_source_base, to_origin, to_source

_HOST_DIR = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$|^localhost(:\d+)?$", re.I)
_BASE_HREF = re.compile(r"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)


class ImportConfigError(Exception):
    """A usage or configuration problem: the command exits 2 with this one-line message."""


@dataclass
class SourceSetup:
    origin: str
    source: Source
    image_source: Callable[[str], bytes | None] | None

    def close(self) -> None:
        if isinstance(self.source.reader, Fetcher):
            self.source.reader.close()


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


def open_source(sources: list[str], origin: str | None, **fetch_options) -> SourceSetup:
    if not sources:
        raise ImportConfigError("give at least one SOURCE (a URL, a mirror directory or a file)")
    urls = [s for s in sources if _is_url(s)]
    if urls and len(urls) != len(sources):
        raise ImportConfigError("give either source URLs, or one mirror directory, or one file")
    if origin is not None:
        origin = check_origin(origin)
    if urls:
        return _open_site(urls, origin, fetch_options)
    if len(sources) != 1:
        raise ImportConfigError("give one mirror directory or one HTML file (not several)")
    path = Path(sources[0])
    if path.is_dir():
        return _open_mirror(path, origin, fetch_options)
    if path.is_file():
        return _open_file(path, origin, fetch_options)
    raise ImportConfigError(f"{path}: no such file or directory (nor an http(s) URL)")


def _open_site(urls: list[str], origin: str | None, fetch_options) -> SourceSetup:
    if origin is None:
        with Fetcher.for_sources(urls, **fetch_options) as probe:
            try:
                first = probe.fetch(urls[0])
            except FetchError as exc:
                raise ImportConfigError(
                    f"cannot read {urls[0]} to find the origin ({exc.reason}); give --origin"
                ) from exc
        origin = _base_href(first.body, first.charset) or base_dir(urls[0])
    source = open_sources(urls, origin, **fetch_options)
    fetcher = source.reader

    def image_source(url: str) -> bytes | None:
        return fetch_image(fetcher, to_source(url, origin, source.base))

    return SourceSetup(origin, source, image_source)


def _mirror_root(path: Path) -> tuple[Path, str]:
    """The mirror's top folder (holding host folders) and the part of it asked for."""
    path = path.resolve()
    if (path / "manifest.json").is_file() or any(
        child.is_dir() and _HOST_DIR.match(child.name) for child in path.iterdir()
    ):
        return path, ""
    for ancestor in [path, *path.parents]:
        if _HOST_DIR.match(ancestor.name):
            return ancestor.parent, path.relative_to(ancestor.parent).as_posix()
    raise ImportConfigError(
        f"{path} is not a wget mirror: expected a folder per host (e.g. inno.baltmet.org/)"
    )


def _open_mirror(path: Path, origin: str | None, fetch_options) -> SourceSetup:
    root, inside = _mirror_root(path)
    reader = MirrorReader(root, max_bytes=fetch_options.get("max_bytes", DEFAULT_MAX_BYTES))
    pages = reader.urls()
    if inside:
        host, _, folder = inside.partition("/")
        prefix = f"http://{host}/{folder}".rstrip("/") + "/"
        pages = [u for u in pages if u.startswith(prefix) or u == prefix.rstrip("/")]
    if not pages:
        raise ImportConfigError(f"{path}: no HTML pages in this mirror")
    if origin is None:
        first = reader.fetch(pages[0])
        origin = _base_href(first.body, first.charset) or base_dir(pages[0])
    base = default_source_base(pages[0], origin)
    start = tuple(sorted(to_origin(u, base, origin) for u in pages))
    source = Source(reader, base, start)

    def image_source(url: str) -> bytes | None:
        return read_mirror_file(root, to_source(url, origin, base))

    return SourceSetup(origin, source, image_source)


def _open_file(path: Path, origin: str | None, fetch_options) -> SourceSetup:
    if origin is None:
        origin = _base_href(path.read_bytes()[:8192], None)
        if origin is None:
            raise ImportConfigError(f"{path} has no <base href>; give --origin")
    try:
        source = open_sources([str(path)], origin, **fetch_options)
    except ValueError as exc:
        raise ImportConfigError(str(exc)) from exc
    assert isinstance(source.reader, FileReader)
    return SourceSetup(origin, source, None)


def with_start(source: Source, start: tuple[str, ...]) -> Source:
    return replace(source, start_urls=start)


def read_mirror_file(root: Path, url: str) -> bytes | None:
    """An image (or any file) of a wget mirror, by URL: ``root/host/path[?query]``."""
    parts = urlsplit(canonicalize(url))
    name = unquote(parts.path).lstrip("/")
    if parts.query:
        name = f"{name}?{parts.query}"
    path = (root / parts.netloc / name).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path.read_bytes()


def fetch_image(fetcher: Fetcher, url: str) -> bytes | None:
    """An image through the run's fetcher: source hosts only, robots.txt, size cap, image/*."""
    if not fetcher.is_allowed(url):
        raise FetchError(url, "image host is not a source host; not contacted")
    robots_allow = getattr(fetcher, "_robots_allow", None)
    if robots_allow is not None and not robots_allow(url):
        raise FetchError(url, "disallowed by robots.txt")
    response = fetcher.session.get(url, timeout=fetcher.timeout, stream=True, allow_redirects=False)
    with response:
        if response.status_code != 200:
            return None
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not content_type.startswith("image/"):
            raise FetchError(url, f"not an image ({content_type or 'no Content-Type'})")
        data = b""
        for chunk in response.iter_content(65536):
            data += chunk
            if len(data) > fetcher.max_bytes:
                raise FetchError(url, f"image exceeds the {fetcher.max_bytes} byte cap")
        return data
