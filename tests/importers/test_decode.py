"""Decoding as browsers do, plus mojibake repair that leaves good text alone."""

from __future__ import annotations

import codecs

import pytest

from importers.decode import codec_for_label, decode, prescan_meta

TEXT = "<p>Malmö’s “Öresund” – 5 € – Tønsberg, Århus, naïve</p>"


def page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body>{TEXT}</body></html>"


@pytest.mark.parametrize(
    "label,codec",
    [
        ("iso-8859-1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("ascii", "cp1252"),
        ("windows-1252", "cp1252"),
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("utf-16", "utf-8"),
        ("iso-8859-15", "iso8859_15"),
        ("no-such-charset", None),
        (None, None),
    ],
)
def test_labels(label, codec):
    assert codec_for_label(label) == codec


@pytest.mark.parametrize(
    "meta,label",
    [
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />',
            "iso-8859-1",
        ),
        ('<meta charset="utf-8">', "utf-8"),
        (
            "<META CONTENT='text/html; charset=windows-1252' HTTP-EQUIV='content-type'>",
            "windows-1252",
        ),
        ('<meta name="generator" content="TYPO3 4.0 CMS" />', None),
    ],
)
def test_prescan(meta, label):
    assert prescan_meta(page(meta).encode()) == label


def test_windows_1252_declared_latin1_in_header():
    text, encoding, warnings = decode(page().encode("cp1252"), "iso-8859-1")
    assert TEXT in text
    assert encoding == "cp1252"
    assert warnings == []


def test_windows_1252_declared_latin1_in_meta():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />'
    text, encoding, _ = decode(page(meta).encode("cp1252"), None)
    assert TEXT in text and encoding == "cp1252"


def test_header_wins_over_meta():
    text, encoding, _ = decode(page('<meta charset="utf-8">').encode("cp1252"), "windows-1252")
    assert TEXT in text and encoding == "cp1252"


def test_utf8_header_on_windows_1252_bytes_falls_back_with_warning():
    text, encoding, warnings = decode(page().encode("cp1252"), "utf-8")
    assert TEXT in text
    assert encoding == "cp1252"
    assert any("not valid" in w for w in warnings)


def test_utf8_bytes_without_declaration():
    text, encoding, warnings = decode(page().encode("utf-8"), None)
    assert TEXT in text and encoding == "utf-8" and warnings == []


@pytest.mark.parametrize(
    "bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]
)
def test_bom_wins(bom, codec):
    text, encoding, _ = decode(bom + page().encode(codec), "iso-8859-1")
    assert TEXT in text and encoding == codec


def test_double_encoded_text_is_repaired():
    mojibake = page().encode("utf-8").decode("latin-1").encode("utf-8")
    text, _, warnings = decode(mojibake, "utf-8")
    assert TEXT in text
    assert any("mojibake" in w for w in warnings)


def test_utf8_bytes_declared_latin1_are_repaired():
    text, _, _ = decode(page().encode("utf-8"), "iso-8859-1")
    assert TEXT in text


@pytest.mark.parametrize(
    "good",
    [
        "Curly ‘quotes’ and “double” stay curly",
        "Kööpenhamina, Gdańsk, Rīga, Klaipėda, São Paulo",
        "Prices: 5 €, £3, ¥4 — naïve café",
        "Ligatures ﬁ stay, fullwidth Ａ stays",
        "Ã is a letter in Portuguese: São João",
    ],
)
def test_good_text_is_left_alone(good):
    text, _, warnings = decode(good.encode("utf-8"), "utf-8")
    assert text == good
    assert warnings == []


def test_undefined_windows_1252_bytes_do_not_crash():
    text, encoding, _ = decode(b"<p>a\x81b\x8dc</p>", "iso-8859-1")
    assert encoding == "cp1252"
    assert text.startswith("<p>a") and text.endswith("c</p>")
