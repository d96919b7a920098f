from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from cms.site_tree import SiteTreeError, ensure_site_tree

#: What Wagtail's first migration gives the default Site: no real address.
PLACEHOLDER_SITE = ("localhost", 80)


class Command(BaseCommand):
    help = (
        "Create News and Work Packages under the default Site's home page where they are "
        "missing (and a home page on a fresh Wagtail install). Idempotent; never changes "
        "existing pages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--title", help="Title of a new home page (default: WAGTAIL_SITE_NAME)."
        )
        parser.add_argument(
            "--hostname", help="Set the default Site's hostname (page and feed URLs use it)."
        )
        parser.add_argument("--port", type=int, help="Set the default Site's port.")

    def handle(self, *args, title, hostname, port, **options):
        try:
            tree = ensure_site_tree(title=title)
        except SiteTreeError as error:
            raise CommandError(str(error)) from error
        site = tree.home.get_site()
        if hostname or port:
            site.hostname = hostname or site.hostname
            site.port = port or site.port
            site.save(update_fields=["hostname", "port"])
        # Read again: a page instance keeps the Site addresses it saw first,
        # which on a fresh install are the ones just replaced.
        ids = [tree.home.pk, tree.news.pk, tree.work_packages.pk]
        pages = Page.objects.in_bulk(ids)
        for page in map(pages.get, ids):
            self.stdout.write(f"{page.title}: {page.full_url or page.url_path} (id {page.pk})")
        if (site.hostname, site.port) == PLACEHOLDER_SITE:
            self.stderr.write(
                self.style.WARNING(
                    "The default Site is still localhost:80, so page URLs in the API and the "
                    "feeds read http://localhost/...: run again with --hostname and --port "
                    "(or edit it under Settings → Sites)."
                )
            )
