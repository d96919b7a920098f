"""The website's search page: public pages only, paginated, never a 500."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsPage, StandardPage


def results(client, query, status=200):
    response = client.get("/search/", query)
    assert response.status_code == status, response.content[:500]
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, [a.get_text(strip=True) for a in soup.select(".search-result h2 a")]


def test_finds_a_public_page_by_a_word_of_its_title_and_of_its_body(client, website):
    _soup, found = results(client, {"q": "Riga"})
    assert found == ["Riga"]
    soup, found = results(client, {"q": "WISTA"})
    assert found == ["Cluster conference in Berlin"]
    [result] = soup.select(".search-result")
    assert result.select_one("time")["datetime"] == "2007-06-13"
    assert "Partners met in Berlin." in result.get_text()  # the teaser
    assert result.select_one("a")["href"] == website["news"].url


def test_never_finds_a_hidden_page(client, website, hidden_news):
    # Every hidden news item has "item" in its title.
    _soup, found = results(client, {"q": "item"})
    assert found == []
    for page in hidden_news.values():
        _soup, found = results(client, {"q": page.title})
        assert page.title not in found


def test_results_are_paginated(client, tree, publish):
    for n in range(23):
        publish(tree.news, NewsPage(title=f"Harbour report {n}", summary="Port news."))
    soup, first = results(client, {"q": "harbour"})
    assert len(first) == 10
    assert "Results 1–10 for “harbour”" in soup.select_one(".search-count").get_text()
    assert soup.select_one('a[rel="next"]')["href"] == "?q=harbour&page=2"
    assert soup.select_one('a[rel="prev"]') is None
    second_soup, second = results(client, {"q": "harbour", "page": "2"})
    third_soup, third = results(client, {"q": "harbour", "page": "3"})
    assert len(second) == 10 and len(third) == 3
    assert len(set(first + second + third)) == 23
    assert second_soup.select_one('a[rel="next"]')["href"] == "?q=harbour&page=3"
    assert second_soup.select_one('a[rel="prev"]')["href"] == "?q=harbour&page=1"
    assert "Results 21–23" in third_soup.select_one(".search-count").get_text()
    assert third_soup.select_one('a[rel="next"]') is None  # the last page says so
    results(client, {"q": "harbour", "page": "4"}, status=404)


def test_a_full_last_page_offers_no_more(client, tree, publish):
    for n in range(20):
        publish(tree.news, NewsPage(title=f"Harbour report {n}", summary="Port news."))
    soup, _found = results(client, {"q": "harbour", "page": "2"})
    assert soup.select_one('a[rel="next"]') is None
    results(client, {"q": "harbour", "page": "3"}, status=404)


def test_results_are_read_once_never_counted(client, tree, publish):
    """Counting the matches was a second full-text query as costly as ranking them."""
    for n in range(12):
        publish(tree.news, NewsPage(title=f"Harbour report {n}", summary="Port news."))
    with CaptureQueriesContext(connection) as queries:
        results(client, {"q": "harbour"})
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_an_empty_query_asks_for_words(client, tree):
    soup, found = results(client, {})
    assert found == [] and "Type a word" in soup.get_text()
    soup, found = results(client, {"q": "nothing-matches-this"})
    assert found == [] and "No results for" in soup.select_one(".search-count").get_text()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 201},
        {"q": "riga\x00"},
        {"q": "\x1b[31m"},
        {"q": "riga", "page": "abc"},
        {"q": "riga", "page": "0"},
        {"q": "riga", "page": "-1"},
        {"q": "riga", "page": "²"},
        {"q": "riga", "page": "9" * 40},
        {"q": "riga", "page": "1.5"},
        {"q": "riga", "site\x00": "1"},
    ],
)
def test_malformed_queries_are_a_400(client, tree, query):
    soup, _found = results(client, query, status=400)
    assert soup.select_one(".error").get_text()


def test_every_page_has_the_search_form_in_its_header(client, website):
    for page in website.values():
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        form = soup.select_one("header form[role='search']")
        assert form["action"] == "/search/" and form["method"] == "get"
        assert form.select_one("input[name='q']")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_on_postgresql_words_are_stemmed(client, tree, publish):
    publish(tree.home, StandardPage(title="Partners", body="<p>The partners were meeting.</p>"))
    _soup, found = results(client, {"q": "meetings"})
    assert found == ["Partners"]
