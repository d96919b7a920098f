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


def promo_mirror(folder: Path) -> Path:
    """The sample mirror as Promo's legacy site: another host, other titles and text."""
    target = folder / "promo-legacy"
    shutil.copytree(SAMPLE_DIR, target)
    (target / "inno.baltmet.org").rename(target / "promo.baltmet.org")
    for path in target.rglob("*"):
        if path.suffix in (".html", ".json"):
            # As bytes: the pages keep their legacy encoding (windows-1252).
            data = path.read_bytes().replace(b"inno.baltmet.org", b"promo.baltmet.org")
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
