"""Reports → Legacy imports and the "Last legacy import" panel per site: an editor with rights
on one site (and "Can view import run") sees that site's runs alone; superusers see all.

A run without a Site (made on a database that had no Site yet) counts as the default Site's.
"""

import datetime

import pytest
from django.utils import timezone

from importers.models import ImportRun, ImportRunDeadLink, ImportRunPage
from tests.project_sites import INNO_ORIGIN, PROMO_ORIGIN, site_editor, two_sites

RUNS = "/admin/reports/legacy-imports/"


@pytest.fixture
def runs(db):
    inno, promo = two_sites()
    now = timezone.now()

    def run(site, origin, who, minutes_ago):
        started = now - datetime.timedelta(minutes=minutes_ago)
        kept = ImportRun.objects.create(site=site, origin=origin, started_by=who,
                                        started_at=started, finished_at=started, created=1)
        ImportRunPage.objects.create(run=kept, position=0, legacy_url=f"{origin}index.php?id=209",
                                     title=f"{who} page", action="created")
        ImportRunDeadLink.objects.create(run=kept, position=0, url=f"{origin}gone-{who}.pdf",
                                         reason="404", linked_from=[origin])
        return kept

    return {
        "first": run(None, INNO_ORIGIN, "first-importer", 30),
        "promo": run(promo.site, PROMO_ORIGIN, "promo-importer", 20),
        "inno": run(inno.site, INNO_ORIGIN, "inno-importer", 10),
        "sites": (inno, promo),
    }


WHO = ("first-importer", "promo-importer", "inno-importer")


def named(body):
    return {who for who in WHO if who in body}


@pytest.fixture
def promo_editor(runs, client):
    client.force_login(site_editor(runs["sites"][1].site, "promo-editor",
                                   codenames=["view_importrun"]))
    return client


@pytest.fixture
def inno_editor(runs, client):
    client.force_login(site_editor(runs["sites"][0].site, "inno-editor",
                                   codenames=["view_importrun"]))
    return client


def test_the_report_lists_the_editors_sites_runs_alone(runs, promo_editor, admin_client):
    assert named(promo_editor.get(RUNS).content.decode()) == {"promo-importer"}
    assert named(admin_client.get(RUNS).content.decode()) == set(WHO)
    export = promo_editor.get(RUNS, {"export": "csv"})
    assert named(b"".join(export.streaming_content).decode()) == {"promo-importer"}


def test_a_run_without_a_site_is_the_default_sites(runs, inno_editor):
    assert named(inno_editor.get(RUNS).content.decode()) == {"first-importer", "inno-importer"}


def test_the_site_filter_offers_the_editors_sites_alone(runs, promo_editor, admin_client):
    inno, promo = runs["sites"]
    body = promo_editor.get(RUNS).content.decode()
    assert inno.site.site_name not in body  # one site: neither a Site column nor another choice
    everyone = admin_client.get(RUNS, {"site": promo.site.pk}).content.decode()
    assert named(everyone) == {"promo-importer"} and inno.site.site_name in everyone


@pytest.mark.parametrize("suffix", ["", "dead-links/"])
def test_another_sites_run_is_not_found(runs, promo_editor, suffix):
    own = promo_editor.get(f"{RUNS}{runs['promo'].pk}/{suffix}")
    assert own.status_code == 200 and "promo" in own.content.decode()
    for other in ("inno", "first"):
        assert promo_editor.get(f"{RUNS}{runs[other].pk}/{suffix}").status_code == 404
        export = promo_editor.get(f"{RUNS}{runs[other].pk}/{suffix}", {"export": "csv"})
        assert export.status_code == 404


def test_the_dashboard_panel_shows_the_editors_last_run(runs, promo_editor, admin_client):
    body = promo_editor.get("/admin/").content.decode()
    assert f"{RUNS}{runs['promo'].pk}/" in body
    assert f"{RUNS}{runs['inno'].pk}/" not in body
    assert f"{RUNS}{runs['inno'].pk}/" in admin_client.get("/admin/").content.decode()
