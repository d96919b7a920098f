"""Every page type renders on the one base template, with its content."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.apps import apps
from django.template.loader import render_to_string

from cms.models import NewsPage, WorkPackagePage

FEEDS_INSTALLED = apps.is_installed("syndication")


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def text(soup, selector):
    return " ".join(soup.select_one(selector).get_text(" ", strip=True).split())


CONTENT = {
    "home": ["Innovation in Baltic metropolises.", "Latest news", "Cluster conference in Berlin",
             "Work Package 2"],
    "news_index": ["Cluster conference in Berlin", "Partners met in Berlin.", "13 June 2007"],
    "news": ["Cluster conference in Berlin", "13 June 2007", "15 June 2007", "Berlin",
             "The conference took place at WISTA.", "Clusters", "Events"],
    "work_package_index": ["Work Package 2", "Actual implementation of actions is delayed."],
    "work_package": ["Work Package 2", "Marketing the metropolises.", "Milestone 1",
                     "Jan 2005", "Data gathered.", "Actual implementation of actions is delayed.",
                     "Marketing Strategies", "Closing remarks."],
    "part": ["Marketing Strategies"],
    "standard": ["Riga", "Capital of Latvia."],
}


@pytest.mark.parametrize("kind", list(CONTENT))
def test_each_page_type_renders_its_content(client, website, kind):
    page = website[kind]
    soup = get_html(client, page.url)
    main = text(soup, "main")
    for expected in CONTENT[kind]:
        assert expected in main, (kind, expected)
    assert text(soup, "h1").endswith(page.title)
    assert len(soup.select("h1")) == 1


@pytest.mark.parametrize("kind", list(CONTENT))
def test_every_head_has_canonical_url_and_feeds_and_nothing_external(client, website, kind):
    page = website[kind]
    soup = get_html(client, page.url)
    [canonical] = soup.select('link[rel="canonical"]')
    assert canonical["href"] == page.full_url
    feeds = {link["type"]: link["href"] for link in soup.select('link[rel="alternate"]')}
    if FEEDS_INSTALLED:
        assert set(feeds) == {
            "application/rss+xml", "application/atom+xml", "application/feed+json"
        }
        assert feeds["application/rss+xml"].endswith("/feeds/news.rss")
    else:
        assert feeds == {}
    # Nothing is loaded from another host: stylesheets, scripts, images, frames, fonts.
    loaded = [tag.get("src") or tag.get("href") for tag in
              soup.select('script, img, iframe, link[rel="stylesheet"], link[rel="preload"]')]
    assert loaded
    assert [url for url in loaded if urlsplit(url).netloc] == []
    assert "@import" not in str(soup) and "fonts.googleapis" not in str(soup)


def test_breadcrumbs_lead_from_home_to_the_page(client, website):
    soup = get_html(client, website["part"].url)
    crumbs = [li.get_text(strip=True) for li in soup.select("nav[aria-label=Breadcrumb] li")]
    assert crumbs == ["BaltMet Inno", "Work Packages", "Work Package 2", "Marketing Strategies"]
    assert soup.select_one('nav[aria-label=Breadcrumb] [aria-current="page"]').get_text() == (
        "Marketing Strategies"
    )
    links = [a["href"] for a in soup.select("nav[aria-label=Breadcrumb] a")]
    assert links == [website["home"].url, website["work_package_index"].url,
                     website["work_package"].url]


def test_main_menu_shows_the_sections_and_marks_the_current_one(client, website):
    soup = get_html(client, website["news"].url)
    menu = {a.get_text(strip=True): a.get("aria-current")
            for a in soup.select(".site-header a")}
    # Riga is not shown in menus; the news page lies below News.
    assert menu == {"BaltMet Inno": None, "News": "true", "Work Packages": None}
    soup = get_html(client, website["news_index"].url)
    assert soup.select_one('.main-menu a[aria-current="page"]').get_text() == "News"


def test_news_page_shows_its_image_as_a_rendition_with_alt_text(client, website):
    soup = get_html(client, website["news"].url)
    image = soup.select_one("main figure img")
    assert image["alt"] == "The conference hall in Berlin"
    assert "/images/" in image["src"] and ".width-" in image["src"]


def test_tags_link_to_the_tags_listing(client, website, make_news):
    make_news("Unrelated item", day=20)
    soup = get_html(client, website["news"].url)
    link = soup.find("a", string="Clusters")
    assert link["href"] == f"{website['news_index'].url}?tag=clusters"
    listing = get_html(client, link["href"])
    assert text(listing, "h1") == "News: Clusters"
    titles = [a.get_text(strip=True) for a in listing.select(".news-item__title a")]
    assert titles == ["Cluster conference in Berlin"]
    assert listing.select_one('link[rel="canonical"]')["href"].endswith("/news/?tag=clusters")


def test_work_package_milestones_are_a_timeline_by_period(client, website):
    soup = get_html(client, website["work_package"].url)
    periods = [li.select_one(".milestone__number").get_text() for li in
               soup.select("ol.timeline > li")]
    assert periods == ["Milestone 1", "Milestone 2"]
    assert soup.select("ol.timeline [aria-current]") == []


@time_machine.travel(datetime.datetime(2005, 9, 14, 12, tzinfo=datetime.UTC))
def test_the_current_milestone_is_marked(client, website):
    soup = get_html(client, website["work_package"].url)
    [current] = soup.select('ol.timeline > li[aria-current="step"]')
    assert "Milestone 2" in current.get_text()
    assert "Current" in current.get_text()


def test_news_index_is_newest_first_and_paginated(client, tree, make_news):
    for day in range(1, 26):
        make_news(f"Item {day:02}", day=day)
    first = get_html(client, tree.news.url)
    titles = [a.get_text(strip=True) for a in first.select(".news-item__title a")]
    assert titles == [f"Item {day:02}" for day in range(25, 5, -1)]
    assert first.select_one('a[rel="next"]')["href"] == "?page=2"
    second = get_html(client, f"{tree.news.url}?page=2")
    titles = [a.get_text(strip=True) for a in second.select(".news-item__title a")]
    assert titles == [f"Item {day:02}" for day in range(5, 0, -1)]
    assert second.select_one('link[rel="canonical"]')["href"].endswith("/news/?page=2")


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=3", "page=abc", "page=-1", "page=1e3", "tag=unknown", "tag=%00",
     "tag=" + "x" * 500, "page=%00"],
)
def test_hostile_or_stale_query_strings_are_not_found(client, tree, make_news, query):
    make_news("Only item")
    response = client.get(f"{tree.news.url}?{query}")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_site_parameter_does_not_change_what_is_listed(client, tree, make_news):
    make_news("Only item")
    soup = get_html(client, f"{tree.news.url}?site=999")
    assert "Only item" in text(soup, "main")


def test_the_home_page_lists_the_latest_five_news(client, tree, make_news):
    for day in range(1, 8):
        make_news(f"Item {day}", day=day)
    soup = get_html(client, tree.home.url)
    titles = [a.get_text(strip=True) for a in soup.select(".news-item__title a")]
    assert titles == ["Item 7", "Item 6", "Item 5", "Item 4", "Item 3"]


def test_not_found_page_is_ours(client, tree):
    soup = get_html(client, "/no-such-page/", status=404)
    assert text(soup, "h1") == "Page not found"
    assert soup.select_one('link[rel="stylesheet"]')["href"].endswith("cms/site.css")
    assert soup.select_one("main")


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    soup = BeautifulSoup(html, "html.parser")
    assert text(soup, "h1") == "Something went wrong"
    assert soup.select_one("html")["lang"] == "en"


def test_a_host_overrides_a_template_the_usual_django_way(client, website, settings, tmp_path):
    (tmp_path / "cms").mkdir()
    (tmp_path / "cms" / "standard_page.html").write_text(
        '{% extends "cms/base.html" %}{% block content %}<h1>Our own {{ page.title }}</h1>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    soup = get_html(client, website["standard"].url)
    assert text(soup, "h1") == "Our own Riga"
    assert soup.select_one('link[rel="canonical"]')


def test_news_dates_are_shown_for_a_page_without_event(client, tree, make_news):
    page = make_news("Plain news", day=3, body="<p>Body</p>")
    assert not NewsPage.objects.get(pk=page.pk).is_event
    soup = get_html(client, page.url)
    assert soup.select("dl.event") == []
    assert "3 June 2007" in text(soup, "main")


@pytest.mark.parametrize(("title", "number", "heading", "listed"), [
    ("Work Package 2", 2, "Work Package 2", "Work Package 2"),
    ("WP 3 – Marketing", 3, "WP 3 – Marketing", "WP 3 – Marketing"),
    ("Marketing Strategies", 4, "Work Package 4: Marketing Strategies",
     "WP 4: Marketing Strategies"),
])
def test_a_work_package_heading_names_its_number_once(client, tree, publish, title, number,
                                                       heading, listed):
    page = publish(tree.work_packages, WorkPackagePage(title=title, number=number))
    assert text(get_html(client, page.url), "h1") == heading
    assert listed in text(get_html(client, tree.work_packages.url), "main")
    assert f"{heading}: {title}" not in text(get_html(client, page.url), "main")
