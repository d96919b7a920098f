"""A rich-text link from a public page to a hidden one (draft, private,
expired, scheduled...) names nothing of the hidden page on any public
surface: the website, API v2 and v3 in every rich text format, the feeds.
The link is its anchor text, without an address; editors still see the
link in the admin's editor."""

import json

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from cms.models import NewsPage, StandardPage

#: Every rich text format the API answers in (``?rich_text_format=``).
FORMATS = [None, "html", "db_html", "markdown", "db_markdown"]
#: The formats of stored rich text: a linked page is named by its id, which an
#: API client with a token writes back; an id gives no address away.
STORED = {"db_html", "db_markdown"}


def links(pages):
    return "".join(
        f'<p>Link {n}: <a linktype="page" id="{page.pk}">anchor {n}</a>.</p>'
        for n, page in enumerate(pages)
    )


@pytest.fixture
def linking(tree, publish, hidden_news, make_news):
    """A public page and a public news item whose bodies link to every hidden
    page and to one public page."""
    visible = make_news("Visible item", day=20)
    targets = [*hidden_news.values(), visible]
    page = publish(tree.home, StandardPage(title="Linking page", body=links(targets)))
    item = make_news("Linking news", day=21, body=links(targets))
    return {"page": page, "item": item, "hidden": list(hidden_news.items()),
            "visible": visible}


def leaks(what, content, linking, stored=False):
    """What ``content`` names of a hidden page (its address); also checks it
    still links the public page (by address, or by id when ``stored``) and
    keeps every anchor text."""
    text = content.decode() if isinstance(content, bytes) else content
    found = [f"{what}: names {name} ({page.slug})" for name, page in linking["hidden"]
             if page.slug in text]
    visible = linking["visible"]
    if (str(visible.pk) if stored else visible.slug) not in text:
        found.append(f"{what}: does not link the public page")
    for n in range(len(linking["hidden"]) + 1):
        if f"anchor {n}" not in text:
            found.append(f"{what}: lost anchor text {n}")
    return found


def test_the_website_shows_links_to_hidden_pages_as_text(client, linking):
    response = client.get(linking["page"].url)
    assert response.status_code == 200
    assert leaks("website", response.content, linking) == []


def test_a_link_to_a_hidden_page_is_an_anchor_without_address(linking):
    hidden = dict(linking["hidden"])["draft"]
    html = expand_db_html(f'<p>See <a linktype="page" id="{hidden.pk}">the plan</a>.</p>')
    assert html == "<p>See <a>the plan</a>.</p>"


@pytest.mark.parametrize("rich_text_format", FORMATS)
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_api_shows_links_to_hidden_pages_as_text(client, linking, version, rich_text_format):
    params = {"rich_text_format": rich_text_format} if rich_text_format else {}
    if version == "v2":
        params["fields"] = "body"
    found = []
    for page in (linking["page"], linking["item"]):
        response = client.get(f"/api/{version}/pages/{page.pk}/", params)
        assert response.status_code == 200, response.content
        found += leaks(f"{version} {rich_text_format} {page.title}",
                       response.json()["body"], linking, stored=rich_text_format in STORED)
    assert found == []


@pytest.mark.skipif(not apps.is_installed("syndication"), reason="feeds are syndication's")
@pytest.mark.parametrize("path", ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json"])
def test_the_feeds_show_links_to_hidden_pages_as_text(client, linking, path):
    response = client.get(path)
    assert response.status_code == 200
    content = response.content
    if path.endswith(".json"):
        [item] = [i for i in response.json()["items"] if i["title"] == "Linking news"]
        content = item["content_html"]
    assert leaks(path, content, linking) == []


def test_editors_still_see_the_links_in_the_admin(client, linking, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    response = client.get(f"/admin/pages/{linking['page'].pk}/edit/")
    assert response.status_code == 200
    for _name, page in linking["hidden"]:
        assert json.dumps(page.url).strip('"') in response.content.decode()


def test_a_body_costs_the_same_queries_whatever_its_number_of_links(tree, publish, hidden_news):
    """The links of a body are looked up together: one link or nine, public or
    not, cost the same queries."""
    pages = [*hidden_news.values(), publish(tree.news, NewsPage(title="Public"))]
    Site.get_site_root_paths()  # cached, as every request has them

    def cost(body):
        with CaptureQueriesContext(connection) as queries:
            expand_db_html(body)
        return len(queries)

    assert cost(links(pages)) == cost(links(pages[-1:]))
