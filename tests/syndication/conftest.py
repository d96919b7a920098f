"""Fixtures of the feed tests: a real site tree, real cache, real database."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from cms.models import NewsPage
from syndication.address import FORMATS, FeedAddress
from syndication.cache import feed_key, forget
from syndication.models import FeedSettings

FEED_URLS = {"rss": "/feeds/news.rss", "atom": "/feeds/news.atom", "json": "/feeds/news.json"}


def reset_cache():
    """Forget cached feeds and Wagtail's site root paths, and nothing else:
    the Redis cache is shared with other test runs, so never flush it. The
    feeds the tests ask most are deleted, not only made stale: a stale feed
    still holds up Last-Modified, and one rendered while a test travelled in
    time would hold it in the future."""
    forget()
    cache.delete_many([
        feed_key(FeedAddress("testserver", "http://testserver", fmt)) for fmt in FORMATS
    ])
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def clean_cache(db):
    """Each test starts with no cached feed."""
    reset_cache()
    yield
    reset_cache()


@pytest.fixture(autouse=True)
def tag_uri_settings(settings):
    """The ids the tests expect, whatever authority the project configures."""
    settings.SYNDICATION_TAG_AUTHORITY = "baltmet-inno"
    settings.SYNDICATION_TAG_DATE = "2025"


@pytest.fixture
def make_news(tree, publish):
    def _make(title="News item", day=1, tags=(), **fields):
        fields.setdefault("date", datetime.date(2024, 6, day))
        page = NewsPage(title=title, **fields)
        for tag in tags:
            page.tags.add(tag)
        return publish(tree.news, page)

    return _make


@pytest.fixture
def make_image(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def _make(title="Picture"):
        buffer = io.BytesIO()
        PILImage.new("RGB", (8, 6), "red").save(buffer, "JPEG")
        return Image.objects.create(
            title=title, file=ImageFile(buffer, name="picture.jpg")
        )

    return _make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change with its commit hooks, e.g. ``with committed(): page.unpublish()``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def set_feed_settings(tree, **fields):
    """Change the site's feed settings (Wagtail creates them on first read)."""
    options = FeedSettings.for_site(tree.home.get_site())
    for name, value in fields.items():
        setattr(options, name, value)
    options.save()
    return options
