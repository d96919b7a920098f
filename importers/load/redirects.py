"""Old URLs keep working: a Wagtail redirect from each legacy path+query to its page.

``/pub/index.php?id=209`` (normalised by ``Redirect.normalise_path``, which
keeps and sorts the query string) → the imported page.  Redirects belong to
the site the pages live on, so ``(old_path, site)`` is unique in the database.
A redirect an editor pointed elsewhere is left alone.  An imported file's
old URL redirects to its Wagtail document (a redirect to a link, the
document's URL, so Wagtail's document serving and its hooks still decide
who may download it).  The origin itself (``/pub/``, ``/pub/index.php``)
redirects to the home page: the legacy home, linked without a page id.  A
redirect whose page an editor deleted has no target (it answers 410, see
:mod:`cms.redirects`); importing the page again points it at the new page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

#: The file the legacy site's folder serves when a link names none.
INDEX_FILE = "index.php"


def old_path(legacy_url: str) -> str:
    parts = urlsplit(legacy_url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Redirect.normalise_path(path)


class Redirects:
    def __init__(self, site: Site) -> None:
        self.site = site
        self._existing: dict[str, tuple[int, int | None]] | None = None
        self._gone: set[int] = set()  # redirects with no target: their page was deleted

    def _load(self) -> dict[str, tuple[int, int | None]]:
        if self._existing is None:
            self._existing = {}
            self._gone = set()
            for pk, path, page_id, link in Redirect.objects.filter(site=self.site).values_list(
                "pk", "old_path", "redirect_page_id", "redirect_link"
            ):
                self._existing[path] = (pk, page_id)
                if page_id is None and not link:
                    self._gone.add(pk)
        return self._existing

    def point(self, legacy_url: str, page: Page, previous_page_id: int | None = None) -> str | None:
        """Make the legacy URL redirect to ``page``; returns a warning when it cannot."""
        path = old_path(legacy_url)
        existing = self._load().get(path)
        if existing is None:
            redirect = Redirect.objects.create(
                old_path=path, site=self.site, redirect_page=page, is_permanent=True
            )
            self._existing[path] = (redirect.pk, page.pk)
            return None
        pk, target = existing
        if target == page.pk:
            return None
        if pk in self._gone or (target is not None and target == previous_page_id):
            Redirect.objects.filter(pk=pk).update(redirect_page=page, redirect_link="")
            self._existing[path] = (pk, page.pk)
            self._gone.discard(pk)
            return None
        return f"redirect from {path} kept: an editor points it at another page"

    def point_origin(self, origin: str, home: Page) -> None:
        """Make the legacy home, the origin's folder and its index file, redirect to
        ``home`` where nothing redirects yet (an imported page at that path, or an
        editor's choice, wins).  An origin at the host's root leaves ``/`` to the new
        site's own home page."""
        folder = urlsplit(origin).path.rstrip("/")
        for url in [folder + "/" + INDEX_FILE] + ([folder + "/"] if folder else []):
            if old_path(url) not in self._load():
                self.point(url, home)

    def point_link(self, legacy_url: str, link: str, previous: str | None = None) -> str | None:
        """Make the legacy URL redirect to ``link`` (an imported file's document).

        ``previous`` is where the importer pointed it before (the file's earlier
        document) and may be moved on; a warning when an editor points it elsewhere.
        """
        path = old_path(legacy_url)
        current = Redirect.objects.filter(old_path=path, site=self.site).first()
        if current is None:
            Redirect.objects.create(
                old_path=path, site=self.site, redirect_link=link, is_permanent=True
            )
            return None
        ours = current.redirect_page_id is None
        if ours and current.redirect_link == link:
            return None
        if ours and previous and current.redirect_link == previous:
            Redirect.objects.filter(pk=current.pk).update(redirect_link=link)
            return None
        return f"redirect from {path} kept: an editor points it elsewhere"

    def forget(self) -> None:
        self._existing = None
