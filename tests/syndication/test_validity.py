"""Structural rules of RSS 2.0 (RSS Advisory Board profile), Atom (RFC 4287)
and JSON Feed 1.1, checked on the documents actually served."""

import json
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.syndication.conftest import FEED_URLS
from tests.syndication.feedxml import ATOM, NS, xml

HOSTILE_BODY = (
    '<p onclick="steal()">Hi]]>there<script>alert(1)</script>'
    '<img src="/media/x.jpg" onerror="steal()"><a href="javascript:steal()">js</a>'
    '<a href="relative/page/">rel</a><a href="#part">anchor</a>\x01\x0b\x1f</p>'
)


@pytest.fixture
def news(make_news, make_image):
    return [
        make_news("Plain", day=1, summary="One", body="<p>One</p>"),
        make_news(
            'Quotes " & <tags> \x07bell', day=2, summary="Two\x0c", body=HOSTILE_BODY,
            image=make_image(), tags=["A & B"],
        ),
    ]


def absolute(url):
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def content_urls(html):
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [v for el in tree.iter() for k, v in el.attrib.items() if k in {"href", "src"}]


def test_rss_channel_and_items_have_required_elements(client, news):
    channel = xml(client.get(FEED_URLS["rss"])).find("channel")
    for name in ("title", "link", "description", "lastBuildDate", "language", "generator"):
        assert channel.findtext(name), name
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        assert item.findtext("title")
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        assert guid.text.startswith("tag:")
        assert absolute(item.findtext("link"))
        assert item.findtext("pubDate").endswith("+0000")
    enclosure = items[0].find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length").isdigit()
    assert absolute(enclosure.get("url"))


def test_rss_guids_are_unique(client, make_news):
    for day in range(1, 6):
        make_news("Same title", day=day)
    guids = [g.text for g in xml(client.get(FEED_URLS["rss"])).iter("guid")]
    assert len(guids) == len(set(guids)) == 5


def test_atom_has_required_elements_and_unique_ids(client, news):
    feed = xml(client.get(FEED_URLS["atom"]))
    q = f"{{{ATOM}}}"
    for name in ("id", "title", "updated"):
        assert feed.findtext(q + name), name
    assert feed.find(f"{q}author/{q}name").text
    entries = feed.findall(q + "entry")
    ids = [e.findtext(q + "id") for e in entries] + [feed.findtext(q + "id")]
    assert len(ids) == len(set(ids))
    for entry in entries:
        for name in ("id", "title", "updated", "published"):
            assert entry.findtext(q + name), name


@pytest.mark.parametrize("path", ["", "entry/"])
def test_atom_has_one_alternate_link_per_type(client, news, path):
    feed = xml(client.get(FEED_URLS["atom"]))
    q = f"{{{ATOM}}}"
    parents = feed.findall(f"{q}entry") if path else [feed]
    for parent in parents:
        alternates = [
            link.get("type") for link in parent.findall(q + "link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1
        assert len(alternates) == len(set(alternates))


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_content_has_no_relative_urls(client, news, fmt):
    response = client.get(FEED_URLS[fmt])
    if fmt == "json":
        bodies = [item["content_html"] for item in json.loads(response.content)["items"]]
    elif fmt == "rss":
        bodies = [el.text for el in xml(response).iterfind(".//content:encoded", NS)]
    else:
        bodies = [el.text for el in xml(response).iterfind(".//atom:content", NS)]
    urls = [url for body in bodies for url in content_urls(body)]
    assert urls, "the bodies have links and images"
    assert all(absolute(url) for url in urls), urls
    assert "http://localhost/news/quotes-tags-bell/relative/page/" in urls
    assert "http://localhost/news/quotes-tags-bell/#part" in urls
    assert "http://testserver/media/x.jpg" in urls


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_hostile_content_is_sanitised(client, news, fmt):
    body = client.get(FEED_URLS[fmt]).content.decode()
    for bad in ("<script", "&lt;script", "onerror", "onclick", "javascript:", "\x01", "\x07"):
        assert bad not in body, bad
    assert "]]>" not in body.replace("]]&gt;", "")
    if fmt != "json":
        assert "\\u000" not in body


def test_titles_keep_quotes_and_lose_control_characters(client, news):
    channel = xml(client.get(FEED_URLS["rss"])).find("channel")
    assert channel.find("item").findtext("title") == 'Quotes " & <tags> bell'
    data = json.loads(client.get(FEED_URLS["json"]).content)
    assert data["items"][0]["title"] == 'Quotes " & <tags> bell'
    assert data["items"][0]["summary"] == "Two"


def test_json_feed_is_valid_utf8_json_with_required_members(client, news):
    response = client.get(FEED_URLS["json"])
    data = json.loads(response.content.decode("utf-8"))
    assert set(data) >= {"version", "title", "items"}
    for item in data["items"]:
        assert set(item) >= {"id"}
        assert "content_html" in item or "content_text" in item
        assert absolute(item["url"])


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_same_news_gives_identical_bytes(client, news, fmt):
    from syndication.cache import invalidate

    first = client.get(FEED_URLS[fmt])
    invalidate()  # render again, later
    second = client.get(FEED_URLS[fmt])
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_channel_updated_is_newest_item_change_not_now(client, news, fmt):
    import email.utils

    newest = max(page.last_published_at for page in news)
    doc = xml(client.get(FEED_URLS[fmt]))
    if fmt == "rss":
        text = doc.find("channel").findtext("lastBuildDate")
        assert email.utils.parsedate_to_datetime(text) == newest.replace(microsecond=0)
    else:
        assert doc.findtext(f"{{{ATOM}}}updated") == newest.isoformat()


def test_item_id_survives_title_slug_date_and_domain_changes(client, make_news, settings):
    page = make_news("Before", day=1)
    before = json.loads(client.get(FEED_URLS["json"]).content)["items"][0]["id"]

    page.title, page.slug = "After", "after"
    page.date = page.date.replace(day=9)
    page.save_revision().publish()
    settings.WAGTAIL_FRONTEND_BASE_URL = "https://www.example.org"
    from syndication.cache import invalidate

    invalidate()
    item = json.loads(client.get(FEED_URLS["json"], HTTP_HOST="127.0.0.1").content)["items"][0]
    assert item["title"] == "After"
    assert item["url"] == "https://www.example.org/news/after/"
    assert item["id"] == before == f"tag:baltmet-inno,2025:news/{page.pk}"


def test_id_authority_is_a_setting_not_the_request_domain(client, make_news, settings):
    settings.SYNDICATION_TAG_AUTHORITY = "baltmet.org"
    settings.SYNDICATION_TAG_DATE = "2008"
    page = make_news("Item")
    item = json.loads(client.get(FEED_URLS["json"], HTTP_HOST="127.0.0.1").content)["items"][0]
    assert item["id"] == f"tag:baltmet.org,2008:news/{page.pk}"
