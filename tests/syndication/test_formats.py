"""Readers parse all three formats and get the news back.

RSS and Atom go through feedparser (never bozo). The installed feedparser
(6.0) has no JSON Feed support, so JSON is read by :func:`read_json_feed`
into the same shape.
"""

import datetime
import json

import feedparser
import pytest

from tests.syndication.conftest import FEED_URLS, set_feed_settings

BODY = '<p>Read <a href="/news/other/">more</a>.</p>'


@pytest.fixture
def news(make_news, make_image):
    image = make_image()
    first = make_news(
        "Kick-off in Riga", day=3, tags=["Climate", "Energy"], summary="We met.",
        body=BODY, image=image,
    )
    second = make_news("Second meeting", day=5, summary="Again.", body="<p>Two</p>")
    return first, second


def read_json_feed(data):
    """A JSON Feed 1.1 document in feedparser's shape, for the shared assertions."""

    def entry(item):
        date = datetime.datetime.fromisoformat
        return feedparser.FeedParserDict(
            id=item["id"], title=item["title"], link=item["url"],
            author=item["authors"][0]["name"],
            published_parsed=date(item["date_published"]).astimezone(datetime.UTC).timetuple(),
            updated_parsed=date(item["date_modified"]).astimezone(datetime.UTC).timetuple(),
            tags=[feedparser.FeedParserDict(term=tag) for tag in item.get("tags", [])],
            content=[feedparser.FeedParserDict(value=item.get("content_html", ""))],
            summary=item.get("summary", ""),
            # feedparser derives .enclosures from links with rel="enclosure"
            links=[
                feedparser.FeedParserDict(rel="enclosure", href=a["url"], type=a["mime_type"])
                for a in item.get("attachments", [])
            ],
        )

    feed = feedparser.FeedParserDict(
        title=data["title"], link=data["home_page_url"], language=data["language"],
        subtitle=data["description"], author=data["authors"][0]["name"],
    )
    return feedparser.FeedParserDict(
        feed=feed, entries=[entry(item) for item in data["items"]], bozo=0
    )


def parsed(client, fmt, query=""):
    response = client.get(FEED_URLS[fmt] + query)
    assert response.status_code == 200
    if fmt == "json":
        return response, read_json_feed(json.loads(response.content))
    result = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert not result.bozo, result.get("bozo_exception")
    return response, result


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_feedparser_round_trips_items(client, news, fmt):
    first, second = news
    _response, result = parsed(client, fmt)

    assert [e.title for e in result.entries] == ["Second meeting", "Kick-off in Riga"]
    entry = result.entries[1]
    assert entry.id == f"tag:baltmet-inno,2025:news/{first.pk}"
    assert entry.link == first.get_full_url()
    assert entry.link.startswith("http://localhost/")
    assert datetime.date(*entry.published_parsed[:3]) == datetime.date(2024, 6, 3)
    assert datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC) == (
        first.last_published_at.replace(microsecond=0)
    )
    assert sorted(tag.term for tag in entry.tags) == ["Climate", "Energy"]
    content = entry.content[0].value
    assert 'href="http://localhost/news/other/"' in content
    assert entry.summary == "We met."


def test_rss_has_summary_as_description_and_body_as_content_encoded(client, news):
    response, result = parsed(client, "rss")
    entry = result.entries[1]
    assert entry.description == "We met."
    assert "Read" in entry.content[0].value


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_channel_fields(client, news, fmt, tree):
    _response, result = parsed(client, fmt)
    feed = result.feed
    assert feed.title == "BaltMet Inno"
    assert feed.link == tree.news.get_full_url()
    assert feed.language == "en"
    assert "news" in (feed.get("subtitle") or feed.get("description"))
    if fmt != "json":
        assert feed.generator == "Wagtail project site feeds"
        self_links = [link.href for link in feed.links if link.rel == "self"]
        assert self_links == [f"http://testserver{FEED_URLS[fmt]}"]
    assert feed.author == "BaltMet Inno"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_image_is_an_enclosure(client, news, fmt):
    _response, result = parsed(client, fmt)
    enclosures = result.entries[1].enclosures
    assert len(enclosures) == 1
    assert enclosures[0].href.startswith("http://testserver/media/original_images/")
    assert enclosures[0].type == "image/jpeg"
    assert result.entries[0].get("enclosures", []) == []


def test_json_feed_1_1_required_members(client, news):
    data = json.loads(client.get(FEED_URLS["json"]).content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["feed_url"] == "http://testserver/feeds/news.json"
    assert data["home_page_url"].startswith("http://localhost/")
    for item in data["items"]:
        assert isinstance(item["id"], str)
        assert "content_html" in item or "content_text" in item
        datetime.datetime.fromisoformat(item["date_published"])
        datetime.datetime.fromisoformat(item["date_modified"])
    assert data["items"][1]["tags"] == ["Climate", "Energy"]
    assert data["items"][1]["image"].endswith(".jpg")


def test_summary_only_when_full_text_is_off(client, news, tree):
    set_feed_settings(tree, full_text=False)
    for fmt in ("rss", "atom", "json"):
        _response, result = parsed(client, fmt)
        entry = result.entries[1]
        assert "content" not in entry or "Read" not in entry.content[0].value
        assert entry.summary == "We met."


def test_site_settings_change_title_description_and_item_count(client, news, tree):
    set_feed_settings(tree, title="Project news", description="What we do",
        item_count=1, author="The team",
    )
    _response, result = parsed(client, "atom")
    assert result.feed.title == "Project news"
    assert result.feed.subtitle == "What we do"
    assert result.feed.author == "The team"
    assert [e.title for e in result.entries] == ["Second meeting"]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_tag_feed_lists_only_tagged_news(client, news, fmt):
    _response, result = parsed(client, fmt, "?tag=climate")
    assert [e.title for e in result.entries] == ["Kick-off in Riga"]


def test_unknown_tag_is_404(client, news):
    assert client.get("/feeds/news.rss?tag=nothing-like-this").status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_tag_used_by_no_public_news_answers_like_an_unknown_one(client, news, make_news, fmt):
    """Draft tag names cannot be probed: same status, same bytes."""
    hidden = make_news("Hidden", tags=["Secret plans"])
    hidden.unpublish()
    unknown = client.get(FEED_URLS[fmt] + "?tag=no-such-tag")
    for tag in ("secret-plans", "Secret%20plans"):
        response = client.get(FEED_URLS[fmt] + "?tag=" + tag)
        assert (response.status_code, response.content) == (unknown.status_code, unknown.content)
        assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("tag", ["smart-cities", "Smart%20Cities", "smart%20cities"])
def test_tag_feeds_by_name_or_slug_titled_with_the_name(client, make_news, fmt, tag):
    make_news("Tagged", tags=["Smart Cities"])
    make_news("Other", day=2, tags=["Energy"])
    _response, result = parsed(client, fmt, "?tag=" + tag)
    assert [e.title for e in result.entries] == ["Tagged"]
    assert result.feed.title == "BaltMet Inno: Smart Cities"
