from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page, Site

from cms.site_tree import PLACEHOLDER_ADDRESS, SiteTreeError, add_project_site, ensure_site_tree


class Command(BaseCommand):
    help = (
        "Create a project site: News and Work Packages under a Site's home page where they "
        "are missing (and a home page on a fresh Wagtail install). With --hostname, the "
        "Site at that address: a new Site with a home of its own when none has it (on a "
        "fresh install, the default Site gets the address). Idempotent; never changes "
        "existing pages or another Site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--title", help="Title of a new home page (default: the site name, "
                            "else WAGTAIL_SITE_NAME).")
        parser.add_argument(
            "--hostname", help="The Site's hostname (page and feed URLs use it); without it, "
            "the default Site."
        )
        parser.add_argument("--port", type=int, help="The Site's port (default: the port of "
                            "the one Site with this hostname, else 80).")
        parser.add_argument("--site-name", default="", help="The Site's name, as the admin "
                            "and the feeds show it.")

    def handle(self, *args, title, hostname, port, site_name, **options):
        if port is not None and not hostname:
            raise CommandError("--port needs --hostname: the Site is named by both")
        try:
            if hostname:
                if port is None:
                    ports = list(Site.objects.filter(hostname=hostname).values_list("port",
                                                                                    flat=True))
                    port = ports[0] if len(ports) == 1 else 80
                site, tree = add_project_site(hostname, port, site_name=site_name, title=title)
            else:
                tree = ensure_site_tree(title=title or site_name or None)
                site = tree.home.get_site()
                if site_name and site.site_name != site_name:
                    site.site_name = site_name
                    site.save(update_fields=["site_name"])
        except SiteTreeError as error:
            raise CommandError(str(error)) from error
        # Read again: a page instance keeps the Site addresses it saw first,
        # which on a fresh install are the ones just replaced.
        ids = [tree.home.pk, tree.news.pk, tree.work_packages.pk]
        pages = Page.objects.in_bulk(ids)
        for page in map(pages.get, ids):
            self.stdout.write(f"{page.title}: {page.full_url or page.url_path} (id {page.pk})")
        if (site.hostname, site.port) == PLACEHOLDER_ADDRESS:
            self.stderr.write(
                self.style.WARNING(
                    "The default Site is still localhost:80, so page URLs in the API and the "
                    "feeds read http://localhost/...: run again with --hostname and --port "
                    "(or edit it under Settings → Sites)."
                )
            )
