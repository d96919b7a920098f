"""Read legacy pages from a copy on disk: a ``wget --mirror`` folder or one saved file.

Migrators often have a mirror long after the live site is gone, and the tests
and the demo run offline, so a copy is a :class:`~importers.reader.Reader`
like the live host: by canonical URL, with the same refusals (media type,
size cap) and :class:`~importers.reader.FetchError` with ``dead`` for a file
the copy does not hold.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path

from .decode import base_href
from .reader import (
    DEFAULT_MAX_BYTES,
    HTML_TYPES,
    PAGE,
    Damage,
    FetchError,
    FetchResult,
    ImportConfigError,
    SourceError,
    Want,
    parse_content_type,
    require_type,
)
from .urls import base_dir, canonicalize, host_of, url_from_mirror_path

# wget names a mirror's top folders after the hosts: inno.baltmet.org, 127.0.0.1:8000
_HOST_FOLDER = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$|^localhost(:\d+)?$", re.I)


def mirror_root(path: Path) -> tuple[Path, str]:
    """The mirror's top folder and the part of it asked for (``inno.baltmet.org/pub``, or "").

    Users point at the folder they see pages in as often as at the top, and
    the top is where the host names are, so both are taken.
    """
    path = path.resolve()
    if (path / "manifest.json").is_file() or any(
        child.is_dir() and _HOST_FOLDER.match(child.name) for child in path.iterdir()
    ):
        return path, ""
    for folder in [path, *path.parents]:
        if _HOST_FOLDER.match(folder.name):
            return folder.parent, path.relative_to(folder.parent).as_posix()
    raise SourceError(
        f"{path} is not a wget mirror: expected a folder per host (e.g. inno.baltmet.org/)"
    )


class MirrorReader:
    """Files of a ``wget --mirror --adjust-extension`` directory, looked up by canonical URL.

    ``path`` is the mirror's top folder, holding one folder per host
    (``root/inno.baltmet.org/pub/…``), or any folder inside it.  The whole
    mirror can be read (pages link across folders); :meth:`urls` lists the
    pages inside the folder asked for.  A ``manifest.json``
    (``{url: {"file", "content_type"}}``) in the top folder wins over guessing
    URLs and types from file names.
    """

    def __init__(
        self, path: str | Path, *, scheme: str = "http", max_bytes: int = DEFAULT_MAX_BYTES
    ):
        self.root, inside = mirror_root(Path(path))
        self.within = canonicalize(f"{scheme}://{inside}").rstrip("/") + "/" if inside else ""
        self.max_bytes = max_bytes
        self._files: dict[str, tuple[Path, str]] = {}
        manifest = self.root / "manifest.json"
        if manifest.is_file():
            for url, info in json.loads(manifest.read_text(encoding="utf-8")).items():
                self._files[canonicalize(url)] = (
                    self.root / info["file"],
                    info.get("content_type", ""),
                )
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path == manifest:
                continue
            url = canonicalize(url_from_mirror_path(path.relative_to(self.root).as_posix(), scheme))
            self._files.setdefault(url, (path, ""))
        # Asked for every URL a run reads, so found once (the mirror does not change).
        self.hosts = frozenset(host_of(url) for url in self._files)

    kind = "mirror"
    holds_other_sites = False
    damage: tuple[Damage, ...] = ()
    concurrency = 1

    def close(self) -> None:
        """Nothing stays open between reads."""

    def pages(self) -> list[str]:
        """Canonical URLs of every page (HTML file) in the folder asked for."""
        return [
            url
            for url, (path, declared) in self._files.items()
            if _file_type(path, declared)[0] in HTML_TYPES
            and (url + "/").startswith(self.within)
        ]

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        """The file for ``url``, of a media type ``want`` takes.

        A file on disk has no validators to compare: it is always read.
        """
        entry = self._files.get(canonicalize(url))
        if entry is None or not entry[0].is_file():
            raise FetchError(
                url, "not in the mirror (a dead link when the mirror is complete)", dead=True
            )
        return _read_file(url, entry[0], entry[1], want.max_bytes or self.max_bytes, want.accept)


class FileReader:
    """One saved HTML file standing for one legacy URL (it holds nothing else)."""

    kind = "file"
    holds_other_sites = False
    damage: tuple[Damage, ...] = ()
    concurrency = 1
    hosts: frozenset[str] = frozenset()

    def __init__(self, path: str | Path, url: str, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.path = Path(path)
        self.url = canonicalize(url)
        self.max_bytes = max_bytes

    @classmethod
    def saved_page(cls, path: Path, origin: str | None, *, max_bytes: int = DEFAULT_MAX_BYTES
                   ) -> FileReader:
        """One saved page stands for the origin URL its name spells (``index.php?id=209.html``),
        under the origin given or its own ``<base href>``."""
        if origin is None:
            origin = base_href(path.read_bytes()[:8192])
            if origin is None:
                raise ImportConfigError(f"{path} has no <base href>; give --origin")
        guess = url_from_mirror_path("host/" + path.name)
        return cls(path, base_dir(origin) + guess.split("/host/", 1)[1], max_bytes=max_bytes)

    def pages(self) -> list[str]:
        return [self.url]

    def close(self) -> None:
        """Nothing stays open between reads."""

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        if canonicalize(url) != self.url:
            raise FetchError(url, f"only {self.url} is available from {self.path.name}", dead=True)
        return _read_file(url, self.path, "", want.max_bytes or self.max_bytes, want.accept)


def _file_type(path: Path, declared: str) -> tuple[str, str | None]:
    if declared:
        return parse_content_type(declared)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return "text/html", None
    return (mimetypes.guess_type(path.name)[0] or "application/octet-stream"), None


def _read_file(
    url: str, path: Path, declared: str, max_bytes: int, accept: Iterable[str]
) -> FetchResult:
    content_type, charset = _file_type(path, declared)
    require_type(url, content_type, accept)
    size = path.stat().st_size
    if size > max_bytes:
        raise FetchError(url, f"file of {size} bytes exceeds the {max_bytes} byte cap")
    return FetchResult(canonicalize(url), 200, content_type, charset, path.read_bytes(), url)
