"""The skeleton every project site has: Home, News and Work Packages.

Used by the ``create_project_site`` command, the demo and the importer, so a
fresh Wagtail install and an existing one end up with the same tree.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from wagtail.coreutils import find_available_slug, get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, NewsIndexPage, WorkPackageIndexPage

#: Title of the page Wagtail's first migration creates; replaced when untouched.
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


@dataclass(frozen=True)
class SiteTree:
    home: HomePage
    news: NewsIndexPage
    work_packages: WorkPackageIndexPage


def _tree_root():
    """The tree's root, made (with the default locale) on a database that has none."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _default_site_home(title):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.first()
    root = _tree_root()
    if home is None:
        welcome = (
            site.root_page
            if site and site.root_page.title == WAGTAIL_WELCOME_TITLE
            and type(site.root_page.specific) is Page
            else None
        )
        if welcome is not None:
            # Free the slug "home" that Wagtail's welcome page holds.
            welcome.slug = f"welcome-{welcome.pk}"
            welcome.save(update_fields=["slug"])
        slug = find_available_slug(root, "home")
        home = root.add_child(instance=HomePage(title=title, slug=slug))
        home.save_revision().publish()
        if welcome is not None:
            if site is not None:
                site.root_page = home
                site.save(update_fields=["root_page"])
            welcome.delete()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=title,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home


def _child(parent, model, title, slug):
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(title=title, slug=slug))
    page.save_revision().publish()
    return page


#: Key of the advisory lock that serialises site setup (any fixed 64-bit number).
SITE_SETUP_LOCK = 0x50524F4A53495445


def _lock_site_setup():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SITE_SETUP_LOCK])


@transaction.atomic
def ensure_site_tree(title="Home"):
    """Return the site's Home, News and Work Packages pages, creating what is missing.

    Two processes setting up the site at once (two first imports) take turns
    through a PostgreSQL advisory lock, which works even on an empty database;
    SQLite serialises writers on its own.
    """
    _lock_site_setup()
    home = _default_site_home(title)
    return SiteTree(
        home=home,
        news=_child(home, NewsIndexPage, "News", "news"),
        work_packages=_child(home, WorkPackageIndexPage, "Work Packages", "work-packages"),
    )
