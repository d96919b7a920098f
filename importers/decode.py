"""Bytes → text the way a browser decodes a legacy page, then mojibake repair.

Order (WHATWG "encoding sniffing", simplified): byte order mark, HTTP
``charset``, ``<meta>`` prescan, default.  Labels map through the WHATWG table
(:mod:`importers.charsets`) because Python's codec names differ
(``iso-8859-1`` *means* windows-1252 on the web, which is why the site's €
and curly quotes survive in browsers).  Bytes invalid in the declared
encoding (undefined bytes, or C1 controls from an ISO-8859 declaration that
hides a Windows code page) fall back to "UTF-8 if it decodes strictly, else
the 8-bit encoding the text's language makes likely", with a warning; so do
pages declaring nothing.  Finally ftfy repairs double-encoded text
(``Ã¶`` → ``ö``) with its text-altering fixes turned off.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import ftfy

from importers.charsets import C1_PASSTHROUGH, codec_for_whatwg_label, encoding_name, guess

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_PRESCAN_BYTES = 4096
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)

#: A UTF-8 lead byte read as windows-1252/latin-1, followed by a continuation byte read so.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6"
    "\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc"
    "\u2122\u0161\u203a\u0153\u017e\u0178]"
)
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=False,  # "Ã " is real text more often than a lost no-break space
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


class Decoded(NamedTuple):
    text: str
    encoding: str  # Python codec name actually used
    warnings: list[str]


def codec_for_label(label: str | None) -> str | None:
    """Python codec for a WHATWG label; ``None`` when unknown, missing or "replacement"."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    known, codec = codec_for_whatwg_label(key)
    if known:
        return codec
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def prescan_meta(body: bytes) -> str | None:
    """The charset label a ``<meta charset>`` or ``http-equiv`` declares near the top."""
    for tag in _META.finditer(body[:_PRESCAN_BYTES]):
        found = _META_CHARSET.search(tag.group(0))
        if found:
            return found.group(1).decode("ascii", "replace")
    return None


_C1 = re.compile("[\x80-\x9f]")


def _strict(body: bytes, codec: str) -> str | None:
    errors = C1_PASSTHROUGH if codec == "cp1252" else "strict"
    try:
        text = body.decode(codec, errors)
    except (UnicodeDecodeError, LookupError):
        return None
    if codec.startswith("iso8859") and _C1.search(text):
        return None  # C1 controls are no text: the page is in a Windows code page
    return text


def _fallback(body: bytes) -> tuple[str, str, str]:
    """UTF-8 when the bytes are valid UTF-8, else the likeliest 8-bit encoding."""
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8", ""
    return guess(body)


def decode(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a page body; ``(text, encoding, warnings)``."""
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(codec, "replace")
            return Decoded(_repair(text, warnings), codec, warnings)

    declared: str | None = None
    origin = ""
    for label, where in ((http_charset, "HTTP header"), (prescan_meta(body), "<meta>")):
        if label:
            declared = codec_for_label(label)
            if declared:
                origin = f"{where} charset={label}"
                break
            warnings.append(f"unknown or unsafe charset label {label!r} in {where}")

    text = _strict(body, declared) if declared else None
    encoding = declared or ""
    if text is None:
        text, encoding, language = _fallback(body)
        because = f" (the text reads as {language})" if language else ""
        decoded_as = f"decoded as {encoding_name(encoding)}{because}"
        if declared:
            warnings.append(f"bytes are not valid for {origin}; {decoded_as}")
        elif encoding not in ("utf-8", "cp1252"):
            warnings.append(f"no charset declared; {decoded_as}")
    return Decoded(_repair(text, warnings), encoding, warnings)


def _repair(text: str, warnings: list[str]) -> str:
    """ftfy, but only when UTF-8-read-as-1252 signatures are present.

    ftfy alone turns a correct "Ã " into "à"; requiring a lead byte followed
    by a continuation-byte character keeps correct text untouched.
    """
    if not _MOJIBAKE.search(text):
        return text
    fixed = ftfy.fix_text(text, _FTFY)
    if fixed != text:
        warnings.append("repaired mis-decoded characters (mojibake)")
    return fixed


_BASE_HREF = re.compile(r"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)


def base_href(body: bytes, charset: str | None = None) -> str | None:
    """The http(s) URL of a page's ``<base href>`` (read from its first 8 KiB), if it has one."""
    match = _BASE_HREF.search(decode(body[:8192], charset).text)
    if match and urlsplit(match.group(1)).scheme in ("http", "https"):
        return match.group(1)
    return None


class NotHtml(ValueError):
    """The body is not text at all (random or binary bytes served as ``text/html``)."""


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_MARKUP = re.compile(r"<[a-zA-Z!/?]")


def require_html(text: str) -> None:
    """Refuse decoded text that holds no markup or is more than 1 % control characters.

    Real pages hold at most a stray control character (they are removed, with
    a warning, during extraction); binary bytes decode to one in ten.
    """
    sample = text[:65536]
    if not _MARKUP.search(sample) or len(_BINARY.findall(sample)) > len(sample) / 100:
        raise NotHtml("not an HTML document")
