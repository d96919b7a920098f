"""The skeleton every project site has: a home with News and Work Packages.

Used by the ``create_project_site`` command, the demo and the importer, so a
fresh Wagtail install and an existing one end up with the same tree. The
indexes go under a Site's root page (the default Site's unless another is
named); a host project's pages are never changed. :func:`add_project_site`
adds a further Site, with a home of its own under the tree's root, for an
instance that runs several project websites.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug, get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import NewsIndexPage, ProjectHomePage, WorkPackageIndexPage

#: Title of the page Wagtail's first migration creates; replaced when untouched.
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


class SiteTreeError(Exception):
    """The site's home page does not allow the indexes under it."""


@dataclass(frozen=True)
class SiteTree:
    home: Page  # the Site's root page: ours, or a host project's own
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


def _is_untouched_welcome_page(page):
    """Wagtail's placeholder from its first migration, never edited or used."""
    return (
        type(page.specific) is Page
        and page.title == WAGTAIL_WELCOME_TITLE
        and page.latest_revision_id is None
        and not page.get_children().exists()
    )


def home_title():
    """A new home page's title: the site's name, which its heading shows."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Home"


def home_intro(title):
    """A new home page's intro, for an editor to change: readers see it at once."""
    return (
        f"<p>Welcome to {escape(title)}: the project's news and events, and its work "
        "packages with their milestones.</p>"
    )


def _new_home(title, slug="home", reuse=True):
    """A published project home under the tree's root; ``reuse``: the one already there."""
    root = _tree_root()
    home = ProjectHomePage.objects.child_of(root).first() if reuse else None
    if home is None:
        slug = find_available_slug(root, slug)
        home = root.add_child(instance=ProjectHomePage(
            title=title, slug=slug, show_in_menus=True, intro=home_intro(title),
        ))
        home.save_revision().publish()
    return home


def _site_home(site, title):
    """The Site's root page, which holds the indexes.

    A host project's own home page (of any type) is kept as it is. Only
    Wagtail's untouched welcome page is replaced by a :class:`ProjectHomePage`.
    """
    if not _is_untouched_welcome_page(site.root_page):
        return site.root_page.specific
    welcome = site.root_page
    # Free the slug "home" that Wagtail's welcome page holds. A queryset
    # update sends no save signal, so no search or reference index update is
    # queued for a page deleted a moment later (the worker would fail on it).
    welcome.slug = f"welcome-{welcome.pk}"
    Page.objects.filter(pk=welcome.pk).update(slug=welcome.slug)
    home = _new_home(title)
    site.root_page = home
    site.save(update_fields=["root_page"])
    welcome.delete()
    return home


def _default_site_home(title):
    """The default Site's root page; a database without any Site gets one."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        home = _new_home(title)
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=title,
        )
        return home
    return _site_home(site, title)


def _child(parent, model, title, slug):
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        return existing
    if not model.can_create_at(parent):
        raise SiteTreeError(
            f"A {model._meta.verbose_name} cannot be created under "
            f"{parent.title!r} ({parent.specific_class._meta.label}): allow "
            f"{model._meta.label!r} in its subpage_types."
        )
    page = parent.add_child(
        instance=model(title=title, slug=find_available_slug(parent, slug), show_in_menus=True)
    )
    page.save_revision().publish()
    return page


#: Key of the advisory lock that serialises site setup (any fixed 64-bit number).
SITE_SETUP_LOCK = 0x50524F4A53495445


def _lock_site_setup():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SITE_SETUP_LOCK])


def _tree_under(home):
    return SiteTree(
        home=home,
        news=_child(home, NewsIndexPage, "News", "news"),
        work_packages=_child(home, WorkPackageIndexPage, "Work Packages", "work-packages"),
    )


@transaction.atomic
def ensure_site_tree(title=None, site=None):
    """Return the Site's Home, News and Work Packages pages, creating what is missing.

    ``site``: the Site whose tree it is; the default Site when not given.
    A new home page is titled ``title``, else with the site's name.
    Two processes setting up the site at once (two first imports) take turns
    through a PostgreSQL advisory lock, which works even on an empty database;
    SQLite serialises writers on its own.
    """
    _lock_site_setup()
    title = title or home_title()
    if site is None:
        return _tree_under(_default_site_home(title))
    site = Site.objects.select_related("root_page").get(pk=site.pk)
    return _tree_under(_site_home(site, title))


#: What Wagtail's first migration gives the default Site: no real address yet.
PLACEHOLDER_ADDRESS = ("localhost", 80)


@transaction.atomic
def add_project_site(hostname, port=80, site_name="", title=None):
    """The tree of the Site at ``hostname:port``, made when no Site has that address.

    While the default Site still has Wagtail's placeholder address (a fresh
    install) it becomes that Site. Otherwise a new Site is added, with a
    project home of its own under the tree's root, so an existing site is
    never renamed or moved. Idempotent; ``site_name`` is set when given.
    Returns ``(site, tree)``.
    """
    _lock_site_setup()
    site = Site.objects.filter(hostname=hostname, port=port).first()
    changed = site is None or bool(site_name and site.site_name != site_name)
    if site is None:
        default = Site.objects.filter(is_default_site=True).first()
        if default is None or (default.hostname, default.port) == PLACEHOLDER_ADDRESS:
            ensure_site_tree(title=title or site_name or None)  # the default Site, made
            site = Site.objects.get(is_default_site=True)
            site.hostname, site.port = hostname, port
        else:
            home = _new_home(title or site_name or hostname, slug=slugify(site_name or hostname),
                             reuse=False)
            site = Site(hostname=hostname, port=port, root_page=home)
    if changed:
        site.site_name = site_name or site.site_name
        site.save()
    return site, ensure_site_tree(site=site)
