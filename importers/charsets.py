"""Every WHATWG encoding label, and telling an 8-bit page's encoding from its language.

Legacy pages name their charset with whatever label their CMS wrote
(``latin4``, ``x-cp1257``, ``iso_8859-2:1987``); browsers read them through
the WHATWG Encoding Standard's label table, so the importer does too, with
each encoding's Python codec.  When the declared charset is wrong, the bytes
alone cannot tell windows-1257 from windows-1250 or windows-1252: the
letters each decoding produces can.  A Lithuanian page read as the right
code page is all Lithuanian letters; read as another it is full of letters
no one language uses together (``Rîga``, ``Ðiauliai``), so the decoding whose
letters best fit one language wins.
"""

from __future__ import annotations

import codecs
import unicodedata

#: Error handler for windows-1252: WHATWG maps its five undefined bytes to
#: C1 controls, where Python refuses them.
C1_PASSTHROUGH = "importers-c1"


def _c1_passthrough(error: UnicodeDecodeError) -> tuple[str, int]:
    return chr(error.object[error.start]), error.start + 1


codecs.register_error(C1_PASSTHROUGH, _c1_passthrough)

#: WHATWG encoding → its labels (https://encoding.spec.whatwg.org/#names-and-labels).
WHATWG_LABELS: dict[str, tuple[str, ...]] = {
    "UTF-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
              "x-unicode20utf8"),
    "IBM866": ("866", "cp866", "csibm866", "ibm866"),
    "ISO-8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                   "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"),
    "ISO-8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                   "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"),
    "ISO-8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                   "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"),
    "ISO-8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
                   "iso88595", "iso_8859-5", "iso_8859-5:1988"),
    "ISO-8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                   "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                   "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"),
    "ISO-8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                   "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987",
                   "sun_eu_greek"),
    "ISO-8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                   "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988",
                   "visual"),
    "ISO-8859-8-I": ("csiso88598i", "iso-8859-8-i", "logical"),
    "ISO-8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6",
                    "latin6"),
    "ISO-8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "ISO-8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "ISO-8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15",
                    "l9"),
    "ISO-8859-16": ("iso-8859-16",),
    "KOI8-R": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "KOI8-U": ("koi8-ru", "koi8-u"),
    "macintosh": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "windows-874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620",
                    "windows-874"),
    "windows-1250": ("cp1250", "windows-1250", "x-cp1250"),
    "windows-1251": ("cp1251", "windows-1251", "x-cp1251"),
    "windows-1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
                     "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
                     "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"),
    "windows-1253": ("cp1253", "windows-1253", "x-cp1253"),
    "windows-1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9",
                     "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5",
                     "windows-1254", "x-cp1254"),
    "windows-1255": ("cp1255", "windows-1255", "x-cp1255"),
    "windows-1256": ("cp1256", "windows-1256", "x-cp1256"),
    "windows-1257": ("cp1257", "windows-1257", "x-cp1257"),
    "windows-1258": ("cp1258", "windows-1258", "x-cp1258"),
    "x-mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "GBK": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
            "iso-ir-58", "x-gbk"),
    "gb18030": ("gb18030",),
    "Big5": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "EUC-JP": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "ISO-2022-JP": ("csiso2022jp", "iso-2022-jp"),
    "Shift_JIS": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
                  "windows-31j", "x-sjis"),
    "EUC-KR": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
               "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    "replacement": ("csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext",
                    "iso-2022-kr", "replacement"),
    "UTF-16BE": ("unicodefffe", "utf-16be"),
    "UTF-16LE": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                 "utf-16le"),
    "x-user-defined": ("x-user-defined",),
}

#: WHATWG encoding → the Python codec that decodes it as browsers do.
#: ``None`` for "replacement": browsers show such a page as one U+FFFD (the
#: encodings are unsafe to guess), so the label counts as a wrong declaration.
CODECS: dict[str, str | None] = {
    "UTF-8": "utf-8", "IBM866": "cp866",
    **{f"ISO-8859-{n}": f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    "ISO-8859-8-I": "iso8859_8", "KOI8-R": "koi8_r", "KOI8-U": "koi8_u",
    "macintosh": "mac_roman", "windows-874": "cp874",
    **{f"windows-{n}": f"cp{n}" for n in range(1250, 1259)},
    "x-mac-cyrillic": "mac_cyrillic",
    "GBK": "gb18030", "gb18030": "gb18030",  # WHATWG decodes GBK with the gb18030 decoder
    "Big5": "big5hkscs", "EUC-JP": "euc_jp", "ISO-2022-JP": "iso2022_jp",
    "Shift_JIS": "cp932", "EUC-KR": "cp949", "replacement": None,
    # A page declaring UTF-16 without a byte order mark is a lie in an 8-bit
    # page (WHATWG's prescan rule); a real UTF-16 page has a BOM, which wins.
    "UTF-16BE": "utf-8", "UTF-16LE": "utf-8",
    "x-user-defined": "cp1252",  # as the HTML prescan maps it
}

#: Label (lowercase) → WHATWG encoding name.
ENCODING_OF_LABEL: dict[str, str] = {
    label: name for name, labels in WHATWG_LABELS.items() for label in labels
}

#: The 8-bit encodings an EU project's partners wrote in, tried when a declaration is wrong.
#: Order breaks ties: the web's default (which :func:`guess` relies on) first.
CANDIDATES: tuple[str, ...] = (
    "cp1252", "cp1257", "cp1250", "iso8859_13", "iso8859_2", "iso8859_4", "iso8859_15",
)

#: Letters beyond ASCII each language writes (lowercase): (frequent, occasional).
#: Frequency matters: read as windows-1252, Latvian's ā ī ū become French's
#: â î û, letters French writes rarely, where Latvian writes them all the time.
LANGUAGES: dict[str, tuple[str, str]] = {
    "Lithuanian": ("ąčęėįšųūž", ""),
    "Latvian": ("āčēģīķļņšūž", ""),
    "Estonian": ("õäöü", "šž"),
    "Finnish or Swedish": ("äöå", ""),
    "Danish or Norwegian": ("æøå", "é"),
    "Polish": ("ąćęłńóśźż", ""),
    "Czech or Slovak": ("áčéěířšýžúů", "ďňťäĺľôŕ"),
    "Hungarian": ("áéíóöőúüű", ""),
    "German": ("äöüß", "é"),
    "French": ("éèàçê", "âîôûëïüÿœæ"),
    "Spanish": ("áéíóúñ", "ü"),
    "Portuguese": ("ãáéçõíóú", "âêôà"),
    "Italian": ("àèéìòù", "íóú"),
    # pages naming places all round the Baltic Sea mix their letters
    "a Baltic language": ("", "ąčęėįšųūžāēģīķļņõäöüå"),
    "a Central European language": ("", "ąćęłńóśźżáčéěířšýžúůďňťäĺľôŕöőüű"),
    "a Western European language": ("", "àâæçèéêëîïôœùûüÿáíóúñãõåøäöß"),
}
#: Non-letters that legacy pages use everywhere (typography, currency, signs).
COMMON_SIGNS = frozenset("\xa0–—‘’‚“”„…€•·«»°§©®™£×²³½¼¾")


def codec_for_whatwg_label(label: str) -> tuple[bool, str | None]:
    """``(known, codec)``: whether ``label`` is a WHATWG label, and its Python codec."""
    name = ENCODING_OF_LABEL.get(label.strip("\t\n\f\r ").lower())
    if name is None:
        return False, None
    return True, CODECS[name]


def encoding_name(codec: str) -> str:
    """The name users know for a Python codec (``cp1257`` → ``windows-1257``)."""
    for name, python in CODECS.items():
        if python == codec and not name.startswith("UTF-16"):
            return name
    return codec


def _fit(text: str) -> tuple[int, str]:
    """How well the non-ASCII characters of ``text`` fit one language: (score, language)."""
    counts: dict[str, int] = {}
    for char in text:
        if char >= "\x80":
            counts[char] = counts.get(char, 0) + 1
    best = (-(10**9), "")
    for language, (frequent, occasional) in LANGUAGES.items():
        score = 0
        for char, n in counts.items():
            if char in COMMON_SIGNS:
                score += n
            elif char.lower() in frequent:
                score += 2 * n
            elif char.lower() in occasional:
                score += n
            elif unicodedata.category(char).startswith("L"):
                score -= 3 * n  # a letter this language does not write
            else:
                score -= 5 * n  # controls and rare signs are what wrong decodings make
        best = max(best, (score, language))
    return best


def guess(body: bytes) -> tuple[str, str, str]:
    """``(text, codec, language)``: the candidate decoding whose letters best fit a language.

    windows-1252 comes first and decodes any bytes (as browsers do), so there
    is always an answer; a later candidate must fit strictly better to win.
    """
    text = body.decode("cp1252", C1_PASSTHROUGH)
    score, language = _fit(text)
    best = (score, text, "cp1252", language)
    for codec in CANDIDATES[1:]:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        score, language = _fit(text)
        if score > best[0]:
            best = (score, text, codec, language)
    return best[1], best[2], best[3]
