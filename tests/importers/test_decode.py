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


# -- every WHATWG label; Baltic and Central European pages --------------------------

from importers.charsets import CODECS, WHATWG_LABELS  # noqa: E402

#: A few labels from the WHATWG table, with the encoding a browser uses for them.
SPEC_EXAMPLES = {
    "latin4": "iso8859_4", "ISO_8859-4:1988": "iso8859_4", "csisolatin4": "iso8859_4",
    "iso885913": "iso8859_13", "x-cp1257": "cp1257", "cp1257": "cp1257",
    "iso-ir-101": "iso8859_2", "l2": "iso8859_2", "x-cp1250": "cp1250",
    "latin5": "cp1254", "iso-8859-9": "cp1254", "tis-620": "cp874", "sjis": "cp932",
    "x-mac-roman": "mac_roman", "gb2312": "gb18030", " Windows-1257\t": "cp1257",
}


@pytest.mark.parametrize("label,codec", sorted(SPEC_EXAMPLES.items()))
def test_whatwg_labels_name_the_browsers_encoding(label, codec):
    assert codec_for_label(label) == codec


@pytest.mark.parametrize(
    "label", sorted({label for labels in WHATWG_LABELS.values() for label in labels})
)
def test_every_whatwg_label_has_a_python_codec(label):
    codec = codec_for_label(label)
    if label in WHATWG_LABELS["replacement"]:
        assert codec is None  # browsers refuse to decode these: a wrong declaration
    else:
        assert codec is not None and codecs.lookup(codec)
        assert decode(b"<p>BaltMet Inno</p>", label).text == "<p>BaltMet Inno</p>"


def test_the_label_table_is_the_whole_standard():
    assert len(WHATWG_LABELS) == 40 == len(CODECS)
    assert sum(len(labels) for labels in WHATWG_LABELS.values()) == 228


BALTIC = "Vilniaus universitetas, Rīga, Klaipėda, Šiauliai, Pärnu, Tallinn"
CENTRAL = "Łódź, Mazowsze, Gdańsk, Kraków, Brno, Plzeň"
TYPOGRAPHY = "Tallinn–Helsinki „Žalioji“ “ekonomika” 5 €"
POLISH_TYPOGRAPHY = "Tallinn–Helsinki „Województwo” ‘Łódź’ 5 €"

#: (codec, label a page uses, text) — only what each encoding can hold.
PAGES = [
    ("cp1257", "windows-1257", f"{BALTIC}, {TYPOGRAPHY}"),
    ("iso8859_13", "ISO-8859-13", f"{BALTIC}, „Žalioji“ ekonomika"),
    ("iso8859_4", "iso-8859-4", BALTIC),
    ("iso8859_2", "iso-8859-2", CENTRAL),
    ("cp1250", "windows-1250", f"{CENTRAL}, {POLISH_TYPOGRAPHY}"),
]


def meta_page(text: str, label: str | None = None) -> str:
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={label}" />'
            if label else "")
    return f"<html><head>{meta}<title>{text[:20]}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("codec,label,text", PAGES)
def test_baltic_and_central_european_pages_declared_in_the_header(codec, label, text):
    decoded = decode(meta_page(text).encode(codec), label)
    assert f"<p>{text}</p>" in decoded.text
    assert decoded.encoding == codec and decoded.warnings == []


@pytest.mark.parametrize("codec,label,text", PAGES)
def test_baltic_and_central_european_pages_declared_in_a_meta(codec, label, text):
    decoded = decode(meta_page(text, label).encode(codec), None)
    assert f"<p>{text}</p>" in decoded.text
    assert decoded.encoding == codec and decoded.warnings == []


@pytest.mark.parametrize(
    "codec,declared,where,text,language",
    [
        ("cp1257", "utf-8", "header", f"Vilniaus universitetas, Klaipėda, Šiauliai, {TYPOGRAPHY}",
         "Lithuanian"),
        ("cp1257", "utf-8", "meta", "Rīgas Tehniskā universitāte, Daugavpils, Jūrmala, Liepāja",
         "Latvian"),
        ("cp1250", "iso-8859-2", "meta", f"{CENTRAL}, {POLISH_TYPOGRAPHY}", "Polish"),
        ("cp1250", "windows-1257", "header", "Łódź – Mazowsze, Częstochowa, Białystok, Kraków",
         "Polish"),
    ],
)
def test_a_wrong_declaration_is_overruled_by_the_texts_language(
    codec, declared, where, text, language
):
    body = meta_page(text, declared if where == "meta" else None).encode(codec)
    decoded = decode(body, declared if where == "header" else None)
    assert f"<p>{text}</p>" in decoded.text
    assert decoded.encoding == codec
    assert any("not valid" in w and language in w for w in decoded.warnings), decoded.warnings


def test_undeclared_baltic_page_is_read_by_its_language():
    decoded = decode(meta_page(f"{BALTIC}, {TYPOGRAPHY}").encode("cp1257"), None)
    assert f"<p>{BALTIC}, {TYPOGRAPHY}</p>" in decoded.text
    assert any("no charset declared" in w for w in decoded.warnings)


def test_undeclared_western_page_stays_windows_1252():
    decoded = decode(page().encode("cp1252"), None)
    assert TEXT in decoded.text and decoded.encoding == "cp1252" and decoded.warnings == []
