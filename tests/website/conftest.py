"""The demo site: the bundled legacy sample, imported as ``make demo`` does."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample" / "legacy-site"
ORIGIN = "http://inno.baltmet.org/pub/"


def import_sample():
    call_command(
        "import_legacy", str(SAMPLE), "--origin", ORIGIN,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )


def add_partner_page():
    """A plain page an editor adds beside the imported ones."""
    from cms.models import StandardPage
    from cms.site_tree import ensure_site_tree

    home = ensure_site_tree().home
    page = StandardPage(title="Partner cities", body="<p>Berlin, Riga, Tallinn and Vilnius.</p>")
    home.add_child(instance=page)
    page.save_revision().publish()


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    import_sample()
    add_partner_page()
