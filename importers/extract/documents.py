"""Links to deliverables (PDF, Office files, archives) in a page's rich text (pure: no Django).

A project site is mostly its deliverables; the read stage reads every file
these functions find, and the load stage stores it as a Wagtail document.  What
counts as a document is decided by the link (a document extension on a
source host), what counts as a *real* one by the bytes that came back: a
legacy server that answers "not found" with an HTML page and status 200 for a
``.pdf`` URL gives no document, it gives a dead link.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..reader import soft_404
from ..urls import file_name, host_of

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, Excel, PowerPoint
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # OOXML, OpenDocument and plain ZIP files
#: Extension → byte signatures a real file of that kind starts with (empty: text, see below).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ppt": (_OLE,),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "zip": _ZIP,
    "rtf": (b"{\\rtf",),
    "csv": (),
    "txt": (),
}
DOCUMENT_EXTENSIONS = frozenset(SIGNATURES)

#: Link texts that say how to get a file, not what it is: the file name titles it instead.
GENERIC_LINK_TEXTS = frozenset(
    {
        "download", "download file", "download pdf", "download here", "pdf", "doc", "docx",
        "word", "excel", "xls", "xlsx", "ppt", "pptx", "powerpoint", "zip", "file", "here",
        "click here", "more", "link", "open", "read more", "full text", "document",
    }
)

_BRACKETS = re.compile(r"^[\[(]\s*|\s*[\])]$")
_SIZE_NOTE = re.compile(r"\s*[\[(][^\])]*\b[kKmM]i?[bB]\b[^\])]*[\])]\s*$")


def extension(url: str) -> str:
    """``pdf`` for ``…/D3.1%20Report.PDF``; "" when the path has none."""
    last = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    return posixpath.splitext(last)[1].lower().lstrip(".")


def is_document_url(url: str, source_hosts: frozenset[str] | set[str]) -> bool:
    """A file of a document type on one of the source hosts (only those are fetched)."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and host_of(url) in source_hosts
        and extension(url) in DOCUMENT_EXTENSIONS
    )


def document_title(link_text: str, url: str) -> str:
    """The link text, unless it only says "Download"/"PDF": then the file's name, readable."""
    text = _SIZE_NOTE.sub("", link_text).strip()
    if text and _BRACKETS.sub("", text).lower().rstrip(".:") not in GENERIC_LINK_TEXTS:
        return text[:255]
    name = file_name(url, "document")
    stem = posixpath.splitext(name)[0]
    return (" ".join(stem.replace("_", " ").split()) or name)[:255]


def content_problem(url: str, content_type: str, data: bytes) -> str | None:
    """Why the bytes answered for ``url`` are not the document it names, or None.

    Both must agree: the answer must be no HTML page (a soft 404,
    :func:`~importers.reader.soft_404`), and the bytes must start the way
    files of the link's extension do.
    """
    ext = extension(url)
    if not data:
        return "empty file"
    html = soft_404(content_type, data, f"a .{ext} file")
    if html:
        return html
    signatures = SIGNATURES.get(ext, ())
    if signatures and not data.startswith(signatures):
        return f"the bytes are not a .{ext} file ({content_type or 'no Content-Type'})"
    if not signatures and b"\x00" in data[:4096]:
        return f"binary bytes, not a .{ext} text file"
    return None
