"""The read stage's last step: every image and document the pages to write need, read once.

The load stage writes to the database and reads nothing, so the bytes of a
page's images and of the files it links to (deliverables) are read here,
through the run's source (the same host confinement, robots.txt and
redirect rules as pages; a larger size cap for documents), and handed over
as :class:`ReadFile` data.  Bytes are spooled to temporary files past a
small size, so a run with many large deliverables stays within its memory.

Files are read over the reader's connections at once (``--concurrency``, as
pages are read ahead), in the order the pages name them; at most
``DOCUMENT_MEMORY`` bytes of documents are held at a time, since a
document's bytes are whole in memory until they are spooled.

What needs no reading is not read: an image imported before, a document
whose server says it did not change (asked with what it sent last time), a
document an editor deleted in Wagtail (unless ``--force``), and nothing at
all in a dry run.  A file's bytes are judged here too (a "not found" page
sent for a ``.pdf`` is no document).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO

from importers.extract.documents import content_problem, document_title, is_document_url
from importers.plan import LegacyPage
from importers.reader import DOCUMENT_TYPES, IMAGE_TYPES, FetchError, Validators, Want
from importers.rich_text import Link, RichText
from importers.urls import Source

DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
DEFAULT_DOCUMENT_TIME = 600.0  # seconds to receive one document: 50 MB at under 100 KB/s
SPOOL_BYTES = 512 * 1024  # larger files wait on disk for the load stage
#: Bytes of documents read at once at most (two of the largest by default).
DOCUMENT_MEMORY = 2 * DEFAULT_MAX_DOCUMENT_BYTES


@dataclass
class ReadFile:
    """One image or linked document as the read stage found it: bytes, or why there are none."""

    url: str  # its origin URL
    content_type: str = ""
    size: int = 0
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False  # the server said the copy imported before is current
    problem: str = ""
    dead: bool = False  # the file is not there (404, soft 404): a dead link
    data: IO[bytes] | None = field(default=None, repr=False)

    @classmethod
    def holding(cls, url: str, body: bytes, content_type: str = "", **about) -> ReadFile:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (Files closes)
        spool.write(body)
        return cls(url, content_type, len(body), data=spool, **about)

    def open(self) -> IO[bytes]:
        """The bytes from their start (read them before the run's files are closed)."""
        assert self.data is not None, self.problem
        self.data.seek(0)
        return self.data


@dataclass
class Files:
    """What :func:`read_files` read: images by their URL, documents by their origin URL."""

    images: dict[str, ReadFile] = field(default_factory=dict)
    documents: dict[str, ReadFile] = field(default_factory=dict)

    def close(self) -> None:
        for read in [*self.images.values(), *self.documents.values()]:
            if read.data is not None:
                read.data.close()


@dataclass(frozen=True)
class FileRead:
    """The file stage (:class:`~importers.stages.FileStage`) over the run's source."""

    source: Source
    imported_images: Iterable[str] = ()
    imported_documents: Callable[[], Mapping[str, tuple[str, str] | None]] = dict
    dry_run: bool = False
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    document_time: float = DEFAULT_DOCUMENT_TIME

    def read(self, pages: list[LegacyPage]) -> Files:
        return read_files(pages, self.source, imported_images=self.imported_images,
                          imported_documents=self.imported_documents, dry_run=self.dry_run,
                          max_document_bytes=self.max_document_bytes,
                          document_time=self.document_time)


def read_files(
    pages: Iterable[LegacyPage],
    source: Source,
    *,
    imported_images: Iterable[str] = (),
    imported_documents: Callable[[], Mapping[str, tuple[str, str] | None]] = dict,
    dry_run: bool = False,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    document_time: float = DEFAULT_DOCUMENT_TIME,
) -> Files:
    """Read the images and documents of ``pages``; each page learns its document links.

    ``imported_documents()``, asked only when a page links a file, gives by
    origin URL the (ETag, Last-Modified) of files imported before, ``None``
    for one an editor deleted.
    """
    skip_images = set(imported_images)
    known: Mapping[str, tuple[str, str] | None] | None = None
    images: dict[str, None] = {}  # the URLs to read, in the pages' order
    documents: dict[str, Want] = {}
    for page in pages:
        _learn_documents(page, source)
        if dry_run:
            continue  # a dry run reads no files: it says they would be imported
        images.update((url, None) for url in page.images if url not in skip_images)
        for legacy, _ in page.documents.values():
            if known is None:
                known = imported_documents()
            if legacy in documents or (legacy in known and known[legacy] is None):
                continue
            sent = known.get(legacy)
            validators = Validators(*sent) if sent else None
            documents[legacy] = Want(DOCUMENT_TYPES, max_document_bytes, validators,
                                     document_time)
    at_once = threading.BoundedSemaphore(max(1, DOCUMENT_MEMORY // max(1, max_document_bytes)))

    def read_document(url: str, want: Want) -> ReadFile:
        with at_once:
            return _read_document(url, source, want)

    with _Reading(source.reader.concurrency) as reading:
        read_images = {url: reading.start(_read_image, url, source) for url in images}
        read_documents = {url: reading.start(read_document, url, want)
                          for url, want in documents.items()}
    return Files({url: read.result() for url, read in read_images.items()},
                 {url: read.result() for url, read in read_documents.items()})


class _Reading:
    """Reads started over ``concurrency`` threads (none for a reader that reads in
    place, one file at a time); leaving the block waits for them all."""

    def __init__(self, concurrency: int) -> None:
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="legacy-file") \
            if concurrency > 1 else None

    def start(self, read: Callable[..., ReadFile], *args) -> Future[ReadFile]:
        if self._pool is not None:
            return self._pool.submit(read, *args)
        done: Future[ReadFile] = Future()
        done.set_result(read(*args))
        return done

    def __enter__(self) -> _Reading:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)


def document_links(text: RichText, hosts: frozenset[str] | set[str]) -> list[Link]:
    """The links of ``text`` to files of a document type on ``hosts``, once each (with text)."""
    found: dict[str, Link] = {}
    for link in text.links:
        if is_document_url(link.url, hosts) and not (link.url in found and found[link.url].text):
            found[link.url] = link
    return list(found.values())


def _learn_documents(page: LegacyPage, source: Source) -> None:
    """``page.documents``: the files its fields link to (milestones link no documents)."""
    texts: dict[str, str] = {}
    for name in page.kind.spec.rich_text:
        for link in document_links(page.fields[name], source.file_hosts):
            texts[link.url] = texts.get(link.url) or link.text
    for url, text in texts.items():
        origin_url = source.to_origin(url)
        page.documents.setdefault(url, (origin_url, document_title(text, origin_url)))


def _read_image(url: str, source: Source) -> ReadFile:
    if not source.file_hosts:
        return ReadFile(url, problem="images are not imported from this source")
    try:
        result = source.read_file(url, Want(IMAGE_TYPES))
    except Exception as exc:  # the reader's own errors: report, never fail the page
        return ReadFile(url, problem=f"image could not be fetched: {exc}")
    if not result.body:
        return ReadFile(url, problem="image not found")
    return ReadFile.holding(url, result.body, result.content_type)


def _read_document(url: str, source: Source, want: Want) -> ReadFile:
    try:
        result = source.read_file(url, want)
    except FetchError as exc:
        return ReadFile(url, problem=exc.reason, dead=exc.dead)
    except Exception as exc:  # the reader's own failure: this file only, never the run
        return ReadFile(url, problem=f"could not be read: {type(exc).__name__}: {exc}")
    about = {"etag": result.etag[:255], "last_modified": result.last_modified[:64]}
    if result.not_modified:
        return ReadFile(url, not_modified=True, **about)
    problem = content_problem(url, result.content_type, result.body)
    if problem:
        return ReadFile(url, problem=f"not a document: {problem}", dead=True)
    return ReadFile.holding(url, result.body, result.content_type, **about)
