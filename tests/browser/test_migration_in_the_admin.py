"""The migration and the news in the Wagtail admin, end to end in Chromium.

The site is served by ``manage.py runserver`` on 127.0.0.1, as ``make demo``
serves it, over a database of its own (a fresh migrated copy of the kind the
suite runs on: see ``tests.serving``); the test sets it up and re-imports
with ``manage.py`` in further processes, as an operator would, and reads the
API and the feeds over HTTP.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
import requests
from selenium.common.exceptions import ElementClickInterceptedException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.serving import Runserver, base_environment, manage

REPO = Path(__file__).resolve().parents[2]
SAMPLE = str(REPO / "sample" / "legacy-site")
ORIGIN = "http://inno.baltmet.org/pub/"
MARKETING = ORIGIN + "index.php?id=209"
EDITOR, PASSWORD = "editor", "correct horse"
NEWS_TITLE = "Partners meet in Tallinn"


@pytest.fixture
def site(site_databases, tmp_path):
    """The demo as ``make demo`` makes and serves it: (base URL, environment)."""
    env = base_environment(
        DATABASE_URL=site_databases.fresh(), MEDIA_ROOT=str(tmp_path / "media"),
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    manage(env, "create_project_site", "--hostname", "127.0.0.1")
    manage(env, "import_legacy", SAMPLE, "--origin", ORIGIN, "--started-by", "make demo")
    manage({**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, "createsuperuser", "--noinput",
           "--username", EDITOR, "--email", "editor@example.org")
    server = Runserver(env, tmp_path / "runserver.log")
    yield server.url, env
    server.stop()


def wait(browser, condition, timeout=20):
    return WebDriverWait(browser, timeout).until(condition)


def clicked(element) -> bool:
    try:
        element.click()
    except ElementClickInterceptedException:
        return False
    return True


def log_in(browser, base):
    browser.get(f"{base}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(EDITOR)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, lambda driver: "/admin/login/" not in driver.current_url)


def publish(browser):
    """Publishing sits behind the action menu's toggle."""
    browser.find_element(By.CSS_SELECTOR, "button.w-dropdown__toggle.button").click()
    browser.find_element(By.NAME, "action-publish").click()
    wait(browser, expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, ".messages .success")
    ))


def orm(env, code: str) -> str:
    """What ``code`` prints, run with the ORM in a process of its own."""
    return manage(env, "shell", "--no-imports", "-c", code).stdout.strip()


def latest_run(env) -> int:
    return int(orm(env, "from importers.models import ImportRun; "
                        "print(ImportRun.objects.first().pk)"))


def api_news(base) -> list[dict]:
    response = requests.get(f"{base}/api/v2/pages/",
                            params={"type": "cms.NewsPage", "fields": "*"}, timeout=10)
    assert response.status_code == 200
    return response.json()["items"]


def feed_titles(base, fmt, **params) -> tuple[int, list[str]]:
    response = requests.get(f"{base}/feeds/news.{fmt}", params=params, timeout=10)
    if response.status_code != 200:
        return response.status_code, []
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return 200, [entry.title for entry in parsed.entries]


def test_migration_and_news_in_the_admin(browser, site, screenshot):
    base, env = site
    first_run = latest_run(env)

    # 1. The editor finds "Marketing Strategies" by its legacy page id; provenance shows.
    log_in(browser, base)
    browser.get(f"{base}/admin/pages/search/")
    search = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    search.send_keys("id=209", Keys.ENTER)
    link = wait(browser, expected_conditions.element_to_be_clickable(
        (By.LINK_TEXT, "Marketing Strategies")
    ))
    screenshot(browser, "1-search-id-209")
    link.click()
    panel = wait(browser, expected_conditions.visibility_of_element_located(
        (By.CSS_SELECTOR, "[data-provenance]")
    ))
    assert panel.find_element(By.CSS_SELECTOR, "[data-legacy-url]").get_attribute("href") == \
        MARKETING
    assert f"Legacy import run {first_run}" in panel.text
    assert "Not changed since the import" in panel.text
    page_id = int(re.search(r"/admin/pages/(\d+)/edit/", browser.current_url).group(1))
    screenshot(browser, "1-provenance")

    # 2. The editor changes a milestone's description and publishes; a re-import
    # leaves the page alone and the report says so.
    editor = browser.find_element(
        By.CSS_SELECTOR, "[id^=inline_child_milestones] .Draftail-Editor [contenteditable=true]"
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", editor)

    # Draftail takes the keys once its editor is up; type until it shows them.
    def typed(driver):
        if "Revised by the editor." not in editor.text:
            editor.send_keys(Keys.END, " Revised by the editor.")  # focuses: no click needed
        return "Revised by the editor." in editor.text

    wait(browser, typed)
    # ... and hands them to the form a moment later: publish once the form has them.
    stored = browser.find_element(By.CSS_SELECTOR, "input[name=milestones-0-description]")
    wait(browser, lambda driver: "Revised by the editor." in stored.get_attribute("value"))
    publish(browser)
    milestones = requests.get(f"{base}/api/v2/pages/{page_id}/", timeout=10).json()["milestones"]
    assert "Revised by the editor." in milestones[0]["description"]

    manage(env, "import_legacy", SAMPLE, "--origin", ORIGIN, "--started-by", "the test")
    second_run = latest_run(env)
    assert second_run != first_run
    milestones = requests.get(f"{base}/api/v2/pages/{page_id}/", timeout=10).json()["milestones"]
    assert "Revised by the editor." in milestones[0]["description"]

    browser.get(f"{base}/admin/reports/legacy-imports/")
    wait(browser, expected_conditions.element_to_be_clickable(
        (By.LINK_TEXT, f"Legacy import run {second_run}")
    )).click()
    row = wait(browser, expected_conditions.visibility_of_element_located(
        (By.XPATH, "//tr[.//a[normalize-space()='Marketing Strategies']]")
    ))
    assert "skipped because edited" in row.text
    assert "1 skipped because edited" in browser.find_element(
        By.CSS_SELECTOR, "[data-run-summary]"
    ).text
    screenshot(browser, "2-report-skipped-because-edited")

    # 3. The editor writes a news item with a tag, event dates and a location.
    news_index = requests.get(f"{base}/api/v2/pages/", params={"type": "cms.NewsIndexPage"},
                              timeout=10).json()["items"][0]["id"]
    browser.get(f"{base}/admin/pages/add/cms/newspage/{news_index}/")
    browser.find_element(By.ID, "id_title").send_keys(NEWS_TITLE)
    browser.find_element(By.ID, "id_summary").send_keys("The partners met in Tallinn.")
    browser.find_element(By.ID, "id_location").send_keys("Tallinn")
    for field, day in (("id_event_start", "2027-03-10"), ("id_event_end", "2027-03-11")):
        date_input = browser.find_element(By.ID, field)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", date_input)
        date_input.send_keys(day, Keys.TAB)
    tag_input = browser.find_element(By.CSS_SELECTOR, "#id_tags + * input, .tagit-new input")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", tag_input)
    tag_input.send_keys("Partner meetings", Keys.ENTER)
    # No date picker may be left open over the action menu: click elsewhere, once the
    # page has settled enough for the click to land (a scroll or a closing list may be under way).
    location = browser.find_element(By.ID, "id_location")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", location)
    wait(browser, lambda driver: clicked(location))
    pickers = (By.CSS_SELECTOR, ".xdsoft_datetimepicker")
    wait(browser, lambda driver: not any(p.is_displayed() for p in driver.find_elements(*pickers)))
    publish(browser)

    browser.get(f"{base}/admin/news_listing/")
    row = wait(browser, expected_conditions.visibility_of_element_located(
        (By.XPATH, f"//tr[.//a[normalize-space()='{NEWS_TITLE}']]")
    ))
    for shown in ("Tallinn", "Partner meetings", "2027-03-10 – 2027-03-11", "Written in Wagtail"):
        assert shown in row.text, (shown, row.text)
    first_row = browser.find_element(By.CSS_SELECTOR, "table.listing tbody tr")
    assert NEWS_TITLE in first_row.text  # newest first by news date
    screenshot(browser, "3-news-listing")

    [item] = [i for i in api_news(base) if i["title"] == NEWS_TITLE]
    assert (item["location"], item["event_start"], item["tags"]) == (
        "Tallinn", "2027-03-10", ["Partner meetings"]
    )
    for fmt in ("rss", "atom"):
        assert NEWS_TITLE in feed_titles(base, fmt)[1], fmt
    assert feed_titles(base, "rss", tag="partner-meetings") == (200, [NEWS_TITLE])

    # 4. The editor unpublishes it: gone from the API and the feeds on the next request.
    browser.get(f"{base}/admin/pages/{item['id']}/unpublish/")
    browser.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    wait(browser, expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, ".messages .success")
    ))
    screenshot(browser, "4-unpublished")
    assert NEWS_TITLE not in [i["title"] for i in api_news(base)]
    for fmt in ("rss", "atom"):
        status, titles = feed_titles(base, fmt)
        assert status == 200 and NEWS_TITLE not in titles and titles, fmt
    # The tag still exists: its feed stays, empty, so readers keep the subscription.
    assert feed_titles(base, "rss", tag="partner-meetings") == (200, [])
    assert json.loads(orm(env, (
        "import json; from cms.models import NewsPage; "
        f"print(json.dumps(NewsPage.objects.get(pk={item['id']}).live))"
    ))) is False
