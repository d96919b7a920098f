"""An editor writes a news item in the admin; the API shows it at once."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from cms.models import NewsPage
from cms.site_tree import ensure_site_tree


@pytest.mark.django_db(transaction=True)
def test_editor_publishes_news_in_the_admin(browser, live_server, editor_login, client):
    tree = ensure_site_tree()
    editor_login(browser, live_server.url)

    browser.get(f"{live_server.url}/admin/pages/add/cms/newspage/{tree.news.pk}/")
    browser.find_element(By.ID, "id_title").send_keys("Kick-off meeting in Riga")
    browser.find_element(By.ID, "id_summary").send_keys("Partners met in Riga.")
    browser.find_element(By.ID, "id_location").send_keys("Riga")
    # Publishing sits behind the action menu's toggle.
    browser.find_element(By.CSS_SELECTOR, "button.w-dropdown__toggle.button").click()
    browser.find_element(By.NAME, "action-publish").click()
    WebDriverWait(browser, 15).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".messages .success"))
    )

    page = NewsPage.objects.get(title="Kick-off meeting in Riga")
    assert page.live
    assert page.date == page.first_published_at.date()
    [item] = client.get("/api/v2/pages/", {"type": "cms.NewsPage", "fields": "*"}).json()["items"]
    assert (item["title"], item["summary"], item["location"]) == (
        "Kick-off meeting in Riga",
        "Partners met in Riga.",
        "Riga",
    )
    assert item["date"] == page.date.isoformat()
