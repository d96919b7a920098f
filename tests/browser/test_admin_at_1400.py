"""The admin's dashboard, listings and the Legacy imports report at 1,400 px
in Chromium, as an editor sees them after ``make demo``: every table fits
its page, no column wraps word by letter, and the screenshots show it."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.test_migration_in_the_admin import latest_run, log_in, site  # noqa: F401

WIDTH = 1400

#: Whether the page's listing table is wider than the space it is given.
OVERFLOW = """
const table = document.querySelector('table.listing');
if (!table) return null;
return {table: Math.ceil(table.getBoundingClientRect().width),
        room: Math.floor(table.parentElement.getBoundingClientRect().width),
        page: document.documentElement.scrollWidth, window: window.innerWidth};
"""


def fits(browser, what):
    sizes = browser.execute_script(OVERFLOW)
    assert sizes is not None, f"{what}: no listing table"
    assert sizes["table"] <= sizes["room"], (what, sizes)
    assert sizes["page"] <= sizes["window"], (what, sizes)


def test_dashboard_listings_and_report_fit_1400_px(browser, site, screenshot):  # noqa: F811
    base, env = site
    browser.set_window_size(WIDTH, 1000)
    log_in(browser, base)
    run = latest_run(env)

    browser.get(f"{base}/admin/")
    browser.find_element(By.ID, "news-drafts-section")
    screenshot(browser, "1-dashboard")

    browser.get(f"{base}/admin/news_listing/")
    fits(browser, "news listing")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "2007-11-13 – 2007-11-13" not in body  # a one-day event is one date
    screenshot(browser, "2-news-listing")

    browser.get(f"{base}/admin/work_package_listing/")
    fits(browser, "work package listing")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.listing th")]
    assert any("Parent" in header for header in headers)
    screenshot(browser, "3-work-package-listing")

    browser.get(f"{base}/admin/reports/legacy-imports/")
    fits(browser, "legacy imports")
    link = browser.find_element(By.CSS_SELECTOR, f'a[href$="/legacy-imports/{run}/"]')
    box = link.rect
    assert box["width"] > 2 * box["height"], box  # "Legacy import run N" on one or two lines
    screenshot(browser, "4-legacy-imports")

    browser.get(f"{base}/admin/reports/legacy-imports/{run}/")
    fits(browser, "one run")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "news list" in body and "news_index" not in body
    screenshot(browser, "5-legacy-import-run")
