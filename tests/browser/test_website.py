"""A visitor and an editor in Chromium, on the demo site served by a live server."""

import datetime

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from cms.models import NewsPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from tests.headless_frontend import serve_frontend
from tests.website.conftest import add_partner_page, import_sample

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    import_sample()
    add_partner_page()
    return live_server.url


def visible_text(browser, selector="main"):
    return browser.find_element(By.CSS_SELECTOR, selector).text


def test_a_legacy_link_lands_on_the_rendered_work_package(browser, demo, screenshot):
    browser.get(f"{demo}/pub/index.php?id=209")
    WebDriverWait(browser, 15).until(expected_conditions.title_contains("Marketing Strategies"))
    assert browser.current_url.endswith("/work-packages/work-package-2/marketing-strategies/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Marketing Strategies"
    milestones = browser.find_elements(By.CSS_SELECTOR, "ol.timeline > li")
    assert len(milestones) == 6
    assert "Jan 2005 – Jun 2005" in milestones[0].text
    screenshot(browser, "marketing-strategies")


def test_the_home_page_lists_the_latest_news(browser, demo, screenshot):
    browser.get(f"{demo}/")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".news-item__title a")]
    newest = NewsPage.objects.live().order_by("-date", "-pk")
    assert titles == [page.title for page in newest[:5]]
    assert len(titles) == 4
    screenshot(browser, "home")
    browser.set_window_size(390, 844)  # a phone
    browser.get(f"{demo}/")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(browser, "home-phone")


def pages_to_check():
    tree = ensure_site_tree()
    return {
        "home": "/",
        "news-index": tree.news.url,
        "news-page": NewsPage.objects.live().order_by("-date").first().url,
        "work-package": WorkPackagePage.objects.get(title="Marketing Strategies").url,
    }


def test_axe_finds_no_serious_violation(browser, demo, axe_violations, screenshot):
    found = {}
    for name, path in pages_to_check().items():
        browser.get(demo + path)
        found[name] = axe_violations(browser)
        screenshot(browser, name)
    assert found == {name: [] for name in found}


@pytest.fixture
def draft_news(demo):
    page = NewsPage.objects.live().order_by("-date").first()
    page.title = "Draft: the conference in numbers"
    page.save_revision()
    return page


@pytest.fixture
def frontend(live_server, settings):
    with serve_frontend(live_server.url) as base:
        settings.WAGTAIL_FRONTEND_BASE_URL = base
        yield base


def preview_heading(browser, demo, page):
    """Open the edit view's preview panel; the heading the preview shows."""
    browser.get(f"{demo}/admin/pages/{page.pk}/edit/")
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="preview"]').click()

    def heading_in_preview(driver):
        # The panel swaps in a fresh iframe on each load: look it up every time.
        driver.switch_to.default_content()
        frames = driver.find_elements(By.ID, "w-preview-iframe")
        if not frames:
            return None
        try:
            driver.switch_to.frame(frames[0])
            headings = driver.find_elements(By.TAG_NAME, "h1")
            return headings[0].text if headings else None
        except WebDriverException:
            return None

    driver_wait = WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,))
    return driver_wait.until(heading_in_preview)


def test_an_editor_previews_a_draft_news_item(browser, demo, draft_news, editor_login,
                                              screenshot):
    editor_login(browser, demo)
    assert preview_heading(browser, demo, draft_news) == "Draft: the conference in numbers"
    assert browser.find_element(By.CSS_SELECTOR, "link[rel=canonical]")
    browser.switch_to.default_content()
    screenshot(browser, "admin-preview")


def test_an_editor_previews_a_draft_on_the_headless_frontend(
    browser, demo, frontend, draft_news, editor_login, screenshot
):
    editor_login(browser, demo)
    assert preview_heading(browser, demo, draft_news) == "Draft: the conference in numbers"
    assert browser.execute_script("return location.origin") == frontend
    browser.switch_to.default_content()
    screenshot(browser, "admin-preview-headless")


def test_api_docs_show_swagger_ui_with_the_network_blocked(
    offline_browser, live_server, screenshot, db
):
    # The block works: a public host does not answer.
    with pytest.raises(WebDriverException, match="ERR_PROXY_CONNECTION_FAILED"):
        offline_browser.get("http://example.org/")

    offline_browser.get(f"{live_server.url}/api/v3/docs/")
    WebDriverWait(offline_browser, 30).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, ".swagger-ui .info"))
    )
    assert "Wagtail API" in offline_browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info").text
    assert offline_browser.find_elements(By.CSS_SELECTOR, ".opblock")
    loaded = offline_browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    assert loaded and all(url.startswith(live_server.url) for url in loaded), loaded
    screenshot(offline_browser, "api-docs-offline")


def test_dates_in_the_demo_are_the_news_dates(demo):
    # Guards the fixtures above: the demo's newest news is from 2007.
    assert NewsPage.objects.live().order_by("-date").first().date < datetime.date(2008, 1, 1)
