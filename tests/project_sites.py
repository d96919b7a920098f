"""Two project sites in one instance, each with its own legacy mirror using the same paths.

Inno is the bundled sample; Promo is a copy of it on another legacy host with
other titles and text, so every legacy path (``/pub/index.php?id=209``)
exists on both.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from wagtail.models import Site

from cms.site_tree import SiteTree, add_project_site

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample" / "legacy-site"
INNO_ORIGIN = "http://inno.baltmet.org/pub/"
PROMO_ORIGIN = "http://promo.baltmet.org/pub/"
INNO_HOST, PROMO_HOST = "inno.example.test", "promo.example.test"


def promo_mirror(folder: Path, legacy_folder: str = "pub") -> Path:
    """The sample mirror as Promo's legacy site: another host, other titles and text (and
    its pages in ``legacy_folder`` instead of ``pub``, when given)."""
    target = folder / "promo-legacy"
    shutil.copytree(SAMPLE_DIR, target)
    (target / "inno.baltmet.org").rename(target / "promo.baltmet.org")
    if legacy_folder != "pub":
        (target / "promo.baltmet.org" / "pub").rename(target / "promo.baltmet.org" / legacy_folder)
    for path in target.rglob("*"):
        if path.suffix in (".html", ".json"):
            # As bytes: the pages keep their legacy encoding (windows-1252).
            data = path.read_bytes().replace(b"inno.baltmet.org", b"promo.baltmet.org")
            data = data.replace(b"/pub/", f"/{legacy_folder}/".encode())
            path.write_bytes(data.replace(b"Inno", b"Promo"))
    return target


@dataclass(frozen=True)
class ProjectSite:
    site: Site
    tree: SiteTree
    origin: str

    @property
    def host(self) -> str:
        return self.site.hostname


def two_sites() -> tuple[ProjectSite, ProjectSite]:
    """Inno (the default Site) and Promo, each with its own home, News and Work Packages."""
    inno, inno_tree = add_project_site(INNO_HOST, 80, site_name="BaltMet Inno")
    promo, promo_tree = add_project_site(PROMO_HOST, 80, site_name="BaltMet Promo")
    return (ProjectSite(inno, inno_tree, INNO_ORIGIN),
            ProjectSite(promo, promo_tree, PROMO_ORIGIN))


def site_editor(site: Site, username: str, password: str = "", *, codenames=()):
    """A user whose group may add, edit and publish under ``site``'s home page only (as the
    README says to give a group rights on one site), with the admin and ``codenames``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name=f"{site.site_name or site.hostname} editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"),
                          *Permission.objects.filter(codename__in=codenames))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page=site.root_page,
                                           permission=Permission.objects.get(
                                               content_type__app_label="wagtailcore",
                                               codename=codename))
    user = get_user_model().objects.create_user(username, password=password or None)
    user.groups.add(group)
    return user


def editors_work(project: ProjectSite) -> dict:
    """What an editor of ``project`` works on, titled by its site's name: a live news item
    with a tag, a draft, a news item scheduled to go live next year, a work package."""
    import datetime

    from django.utils import timezone

    from cms.models import NewsPage, WorkPackagePage

    name = project.site.site_name.split()[-1]

    def published(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    seminar = published(project.tree.news, NewsPage(title=f"{name} seminar",
                                                    date=datetime.date(2024, 6, 1)))
    seminar.tags.add(f"{name.lower()}-meetings")
    seminar.save_revision().publish()
    draft = published(project.tree.news, NewsPage(title=f"{name} draft",
                                                  date=datetime.date(2024, 6, 2)))
    draft.title = f"{name} draft"
    draft.save_revision()  # unpublished changes: "news needing attention"
    scheduled = NewsPage(title=f"{name} scheduled", date=datetime.date(2024, 6, 3))
    project.tree.news.add_child(instance=scheduled)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=365)
    scheduled.save_revision().publish()
    package = published(project.tree.work_packages,
                        WorkPackagePage(title=f"{name} work package", number=1))
    return {"seminar": seminar, "draft": draft, "scheduled": scheduled, "package": package}
