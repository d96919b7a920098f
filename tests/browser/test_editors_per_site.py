"""An editor with rights on one project site only, in the admin in Chromium: the dashboard,
the listings and Reports → Legacy imports show that site's pages and runs, not the other
site's, and the other site's page does not open for editing."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from importers.models import ImportRun
from tests.project_sites import editors_work, site_editor, two_sites

PASSWORD = "correct horse battery"  # noqa: S105 - a test user's


def text_of(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def log_in(browser, base, username):
    browser.get(f"{base}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda driver: "/admin/login/" not in driver.current_url)


@pytest.mark.django_db(transaction=True)
def test_an_editor_of_one_site_works_on_that_site_alone(browser, live_server, screenshot):
    inno, promo = two_sites()
    inno_pages, promo_pages = editors_work(inno), editors_work(promo)
    for project, who in ((inno, "inno-importer"), (promo, "promo-importer")):
        ImportRun.objects.create(site=project.site, origin=project.origin, started_by=who,
                                 started_at=timezone.now(), finished_at=timezone.now())
    site_editor(promo.site, "promo-editor", PASSWORD, codenames=["view_importrun"])
    log_in(browser, live_server.url, "promo-editor")

    dashboard = text_of(browser)
    screenshot(browser, "dashboard")
    assert "Promo draft" in dashboard and "Promo scheduled" in dashboard
    assert "Inno" not in dashboard

    for listing, own in (("news_listing", "Promo seminar"),
                         ("work_package_listing", "Promo work package")):
        browser.get(f"{live_server.url}/admin/{listing}/")
        shown = text_of(browser)
        assert own in shown and "Inno" not in shown, listing

    browser.get(f"{live_server.url}/admin/reports/legacy-imports/")
    report = text_of(browser)
    assert "promo-importer" in report and "inno-importer" not in report

    browser.get(f"{live_server.url}/admin/pages/{promo_pages['seminar'].pk}/edit/")
    assert browser.find_element(By.ID, "id_title").get_attribute("value") == "Promo seminar"

    edit_inno = f"/admin/pages/{inno_pages['seminar'].pk}/edit/"
    browser.get(f"{live_server.url}{edit_inno}")
    WebDriverWait(browser, 15).until(lambda driver: "do not have permission" in text_of(driver))
    screenshot(browser, "another-sites-page")
    assert not browser.find_elements(By.ID, "id_title")
    assert "Inno seminar" not in text_of(browser)
