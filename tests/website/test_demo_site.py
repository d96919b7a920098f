"""The demo tree as a visitor sees it: no URL answers 500, every legacy URL
lands on a rendered page."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.models import (
    NewsIndexPage,
    NewsPage,
    ProjectHomePage,
    StandardPage,
    WorkPackageIndexPage,
    WorkPackagePage,
)

PAGE_TYPES = [ProjectHomePage, NewsIndexPage, NewsPage, WorkPackageIndexPage, WorkPackagePage,
              StandardPage]


def main_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.select_one("main").get_text(" ", strip=True).split())


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_each_page_type_of_the_demo_renders_with_its_content(client, demo, model):
    pages = model.objects.live()
    assert pages.exists()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        text = main_text(response)
        assert page.title in text
        for field in ("intro", "body", "summary", "status", "location"):
            value = getattr(page, field, "")
            if value:
                plain = " ".join(BeautifulSoup(value, "html.parser").get_text(" ").split())
                assert plain[:40] in text, (page.url, field)


def test_every_page_of_the_demo_answers_without_error(client, demo):
    for page in Page.objects.filter(depth__gt=1):
        assert client.get(page.url).status_code in {200, 404}, page.url


def test_every_imported_legacy_url_answers_301_to_a_rendered_page(client, demo):
    redirects = Redirect.objects.filter(old_path__contains="?")  # the legacy home: see below
    assert redirects.count() >= 8
    for redirect in redirects:
        old = redirect.old_path  # path and query, e.g. /pub/index.php?id=209
        assert old.startswith("/pub/index.php?")
        response = client.get(old)
        assert response.status_code == 301, old
        target = urlsplit(response["Location"])
        landed = client.get(target.path)
        assert landed.status_code == 200, (old, response["Location"])
        assert redirect.redirect_page.title in main_text(landed)


def test_the_legacy_work_package_link_lands_on_marketing_strategies(client, demo):
    response = client.get("/pub/index.php?id=209", follow=True)
    assert response.redirect_chain[0][1] == 301
    assert response.status_code == 200
    text = main_text(response)
    assert text.startswith("Marketing Strategies")
    assert "Milestone 6" in text and "Jul 2007" in text


def test_on_a_headless_site_legacy_links_lead_to_the_frontend(client, demo, settings):
    settings.WAGTAIL_FRONTEND_BASE_URL = "https://www.example.org"
    legacy = client.get("/pub/index.php?id=209")
    assert legacy.status_code == 301
    wagtail = client.get(legacy["Location"])
    assert wagtail.status_code == 302
    assert wagtail["Location"] == (
        "https://www.example.org/work-packages/work-package-2/marketing-strategies/"
    )
