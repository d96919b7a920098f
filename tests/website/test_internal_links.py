"""No broken link inside the site: a crawl of the demo site from its home page
follows every internal link (``a``, ``link``, ``img``, ``script``) and finds
none answering 4xx or 5xx."""

from collections import deque
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from wagtail.models import Site

from cms.conf import api_base_url
from cms.models import NewsPage, WorkPackagePage

#: Where each kind of element names what it links to.
LINKS = {"a": "href", "link": "href", "img": "src", "script": "src"}


def internal_links(html, base, hosts):
    soup = BeautifulSoup(html, "html.parser")
    for tag, attribute in LINKS.items():
        for element in soup.find_all(tag):
            value = element.get(attribute)
            candidates = [value] if value else []
            if tag == "img" and element.get("srcset"):
                candidates += [part.split()[0] for part in element["srcset"].split(",")]
            for candidate in candidates:
                url = urljoin(base, candidate.strip())
                parts = urlsplit(url)
                if parts.scheme in ("http", "https") and parts.netloc in hosts:
                    yield parts.path + (f"?{parts.query}" if parts.query else "")


def file_exists(path):
    """Static and media files: the test client serves neither, so look them up where
    the web server would (the static finders, the media storage)."""
    for url, exists in ((settings.STATIC_URL, finders.find),
                        (settings.MEDIA_URL, default_storage.exists)):
        if path.startswith(url):
            return bool(exists(path[len(url):]))
    return None


def test_no_internal_link_of_the_demo_site_is_broken(client, demo):
    site = Site.objects.get(is_default_site=True)
    # the Site's own host (canonical links) and the API's (the feeds it advertises)
    hosts = {"testserver", urlsplit(site.root_url).netloc, urlsplit(api_base_url()).netloc}
    seen, queue, broken = {"/"}, deque([("/", None)]), []
    while queue:
        path, linked_from = queue.popleft()
        on_disk = file_exists(urlsplit(path).path)
        if on_disk is not None:
            if not on_disk:
                broken.append((path, "missing file", linked_from))
            continue
        response = client.get(path)
        if response.status_code >= 400:
            broken.append((path, response.status_code, linked_from))
            continue
        found = []
        if response.status_code in (301, 302):
            found = internal_links(f'<a href="{response["Location"]}">',
                                   "http://testserver" + path, hosts)
        elif response["Content-Type"].startswith("text/html"):
            found = internal_links(response.content, "http://testserver" + path, hosts)
        for link in found:
            if link not in seen:
                seen.add(link)
                queue.append((link, path))
    assert broken == []
    reached = {urlsplit(link).path for link in seen}
    for page in [*NewsPage.objects.live(), *WorkPackagePage.objects.live()]:
        assert page.url in reached
    assert {"/feeds/news.rss", "/static/cms/site.css"} <= reached
