from django.core.management.base import BaseCommand

from cms.site_tree import ensure_site_tree


class Command(BaseCommand):
    help = "Create the site's Home, News and Work Packages pages where they are missing."

    def add_arguments(self, parser):
        parser.add_argument("--title", default="Home", help="Title of a new home page.")
        parser.add_argument("--hostname", help="Set the default site's hostname.")
        parser.add_argument("--port", type=int, help="Set the default site's port.")

    def handle(self, *args, title, hostname, port, **options):
        tree = ensure_site_tree(title=title)
        if hostname or port:
            site = tree.home.get_site()
            site.hostname = hostname or site.hostname
            site.port = port or site.port
            site.save()
        for page in (tree.home, tree.news, tree.work_packages):
            self.stdout.write(f"{page.title}: {page.url or page.url_path} (id {page.pk})")
