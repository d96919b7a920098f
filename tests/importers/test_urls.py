"""Canonical URLs and origin/source/mirror mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.mirror import FileReader
from importers.urls import (
    Source,
    canonicalize,
    default_source_base,
    is_page_url,
    is_under,
    url_from_mirror_path,
)

ORIGIN = "http://inno.baltmet.org/pub/"


@pytest.mark.parametrize(
    "url,expected",
    [
        (
            "http://inno.baltmet.org/pub/index.php?id=209",
            "http://inno.baltmet.org/pub/index.php?id=209",
        ),
        (
            "HTTP://Inno.BaltMet.org:80/pub/index.php?id=209#c503",
            "http://inno.baltmet.org/pub/index.php?id=209",
        ),
        ("https://inno.baltmet.org:443/pub/", "https://inno.baltmet.org/pub/"),
        ("http://inno.baltmet.org:8080/pub/", "http://inno.baltmet.org:8080/pub/"),
        ("http://inno.baltmet.org", "http://inno.baltmet.org/"),
        (
            "http://inno.baltmet.org/pub/index.php?lid=97&id=12&gid=2",
            "http://inno.baltmet.org/pub/index.php?id=12&gid=2&lid=97",
        ),
        ("http://h/pub/index.php?b=2&a=1&a=0", "http://h/pub/index.php?a=0&a=1&b=2"),
        (
            "http://inno.baltmet.org/pub/index.php?id=209&PHPSESSID=0f3e9a7b2c&cHash=abc",
            "http://inno.baltmet.org/pub/index.php?id=209",
        ),
        ("http://h/pub/index.php?sid=1&id=5&session=x&SessionID=y", "http://h/pub/index.php?id=5"),
        ("http://h/app;jsessionid=ABC?id=5", "http://h/app?id=5"),
        ("http://h/pub/index.php?tx_news[id]=5&id=3", "http://h/pub/index.php?id=3&tx_news[id]=5"),
        ("http://h/pub/a%20b.html?q=a+b", "http://h/pub/a%20b.html?q=a%20b"),
        ("http://h/pub/index.php?x=&id=1", "http://h/pub/index.php?id=1&x="),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected
    assert canonicalize(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "url,base,under",
    [
        ("http://inno.baltmet.org/pub/index.php?id=1", ORIGIN, True),
        ("http://inno.baltmet.org/pub", ORIGIN, True),
        ("http://INNO.baltmet.org:80/pub/x/y.html", ORIGIN, True),
        ("http://inno.baltmet.org/public/index.php", ORIGIN, False),
        ("http://inno.baltmet.org/other/", ORIGIN, False),
        ("https://inno.baltmet.org/pub/index.php", ORIGIN, False),
        ("http://www.baltmet.org/pub/", ORIGIN, False),
        ("http://127.0.0.1:8000/pub/index.php?id=1", "http://127.0.0.1:8000/pub/", True),
        ("http://127.0.0.1:8001/pub/index.php?id=1", "http://127.0.0.1:8000/pub/", False),
        (
            "http://inno.baltmet.org/pub/index.php",
            "http://inno.baltmet.org/pub/index.php?id=1",
            True,
        ),
    ],
)
def test_is_under(url, base, under):
    assert is_under(url, base) is under


def test_origin_and_source_mapping():
    source = "http://127.0.0.1:8000/pub/"
    assert default_source_base("http://127.0.0.1:8000/pub/index.php?id=208", ORIGIN) == source
    assert default_source_base(ORIGIN + "index.php?id=208", ORIGIN) == ORIGIN
    origin_url = ORIGIN + "index.php?id=12&gid=2&lid=97&PHPSESSID=x"
    mapping = Source(FileReader("page.html", ORIGIN), ORIGIN, source, ())
    fetched = mapping.to_source(origin_url)
    assert fetched == "http://127.0.0.1:8000/pub/index.php?id=12&gid=2&lid=97"
    assert mapping.to_origin(fetched) == canonicalize(origin_url)
    assert mapping.to_source("http://www.example.org/x") == "http://www.example.org/x"


@pytest.mark.parametrize(
    "path,url",
    [
        (
            "inno.baltmet.org/pub/index.php?id=209.html",
            "http://inno.baltmet.org/pub/index.php?id=209",
        ),
        ("inno.baltmet.org/pub/x.php.html", "http://inno.baltmet.org/pub/x.php"),
        ("inno.baltmet.org/pub/about.html", "http://inno.baltmet.org/pub/about.html"),
    ],
)
def test_url_from_mirror_path(path, url):
    assert url_from_mirror_path(path) == url


@pytest.mark.parametrize(
    "url,page",
    [
        ("http://h/pub/index.php?id=5", True),
        ("http://h/pub/about.html", True),
        ("http://h/pub/partners/", True),
        ("http://h/pub/partners", True),
        ("http://h/pub/fileadmin/report.pdf", False),
        ("http://h/pub/uploads/pics/map.JPG", False),
        ("http://h/pub/typo3temp/stylesheet.css", False),
        ("mailto:office@baltmet.org", False),
    ],
)
def test_is_page_url(url, page):
    assert is_page_url(url) is page


_PARAM = st.sampled_from(["id", "gid", "lid", "PHPSESSID", "cHash", "L", "x y", "ä"])


@given(
    host=st.sampled_from(["inno.baltmet.org", "INNO.baltmet.org", "127.0.0.1:8000", "h:80"]),
    path=st.sampled_from(["", "/", "/pub/", "/pub/index.php", "/a b/c.html"]),
    params=st.lists(st.tuples(_PARAM, st.text(max_size=5)), max_size=4),
    fragment=st.text(max_size=5),
)
def test_canonicalize_is_idempotent_and_drops_sessions(host, path, params, fragment):
    from urllib.parse import urlencode

    url = f"http://{host}{path}?{urlencode(params)}#{fragment}"
    canon = canonicalize(url)
    assert canonicalize(canon) == canon
    assert "PHPSESSID" not in canon and "cHash" not in canon and "#" not in canon
