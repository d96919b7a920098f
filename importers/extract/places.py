"""Where a news event happened: a city the text names.

A fixed list of Baltic Sea Region and EU cities the project met in; spelling
variants map to one name.  "took place in X" beats "hosted by the City of X"
beats "in X" beats a bare mention, so "hosted by TSB Innovationsagentur
Berlin GmbH … took place in Berlin" and "field visits to Helsinki" behave.
"""

from __future__ import annotations

import re

CITIES: dict[str, tuple[str, ...]] = {
    "Berlin": (),
    "Brussels": ("Bruxelles", "Brussel"),
    "St. Petersburg": ("St Petersburg", "Saint Petersburg", "Sankt Petersburg", "St.Petersburg"),
    "Riga": ("Rīga",),
    "Tallinn": (),
    "Helsinki": (),
    "Stockholm": (),
    "Copenhagen": ("København", "Kopenhagen"),
    "Oslo": (),
    "Vilnius": (),
    "Warsaw": ("Warszawa", "Warschau"),
    "Hamburg": (),
    "Gdansk": ("Gdańsk", "Danzig"),
    "Gdynia": (),
    "Malmö": ("Malmo",),
    "Gothenburg": ("Göteborg", "Goteborg"),
    "Turku": ("Åbo",),
    "Tampere": (),
    "Espoo": (),
    "Kaunas": (),
    "Klaipeda": ("Klaipėda",),
    "Tartu": (),
    "Lübeck": ("Luebeck", "Lubeck"),
    "Rostock": (),
    "Kiel": (),
    "Szczecin": ("Stettin",),
    "Kaliningrad": (),
    "Minsk": (),
    "Aarhus": ("Århus",),
    "Bergen": (),
    "Uppsala": (),
    "Reykjavik": ("Reykjavík",),
    "Luxembourg": (),
    "Strasbourg": (),
    "Vienna": ("Wien",),
    "Prague": ("Praha",),
    "Budapest": (),
    "Bratislava": (),
    "Ljubljana": (),
    "Amsterdam": (),
    "The Hague": (),
    "Paris": (),
    "London": (),
    "Madrid": (),
    "Lisbon": (),
    "Rome": (),
    "Athens": (),
    "Dublin": (),
    "Bonn": (),
    "Munich": ("München",),
    "Frankfurt": (),
    "Dresden": (),
    "Potsdam": (),
}

_SPELLINGS = sorted(
    ((spelling, name) for name, extra in CITIES.items() for spelling in (name, *extra)),
    key=lambda pair: -len(pair[0]),
)
_NAME = {spelling.lower(): name for spelling, name in _SPELLINGS}
_ANY = "|".join(re.escape(spelling) for spelling, _ in _SPELLINGS)
_CITY = rf"(?P<city>{_ANY})(?![\w])"

#: Phrases in order of trust.
PHRASES = [
    re.compile(
        rf"\b(?:took|takes|will\s+take)\s+place\s+in\s+(?:the\s+city\s+of\s+)?{_CITY}", re.I
    ),
    re.compile(rf"\b(?:hosted|organi[sz]ed)\s+by\s+the\s+city\s+of\s+{_CITY}", re.I),
    re.compile(rf"\bcity\s+of\s+{_CITY}\s+(?:hosted|hosts|will\s+host)", re.I),
    re.compile(rf"\b(?:in|at)\s+{_CITY}", re.I),
    re.compile(rf"(?<![\w]){_CITY}", re.I),
]


def find_location(*texts: str) -> str:
    """The best-supported city named in ``texts`` (title first), or ``""``."""
    for phrase in PHRASES:
        for text in texts:
            found = phrase.search(text or "")
            if found:
                return _NAME[found.group("city").lower()]
    return ""
