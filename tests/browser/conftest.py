"""Browser tests drive Debian's Chromium (packages chromium and chromium-driver).

Screenshots are saved as test artifacts in ``test-artifacts/screenshots/``
(ignored by git); the run's summary prints the folder.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
#: No network but this machine: every host but loopback (which Chromium never
#: proxies) goes to a closed proxy port.
OFFLINE_FLAGS = ("--proxy-server=http://127.0.0.1:9",)


def make_driver(extra_flags=()):
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("Chromium and chromedriver must be installed on CI (make test does it).")
        pytest.skip("Chromium is not installed: apt-get install chromium chromium-driver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + tuple(extra_flags):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def offline_browser():
    """A browser that reaches only 127.0.0.1 and localhost."""
    driver = make_driver(OFFLINE_FLAGS)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(request):
    """``screenshot(driver, name)`` saves a PNG into the artifacts folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _save(driver, name):
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        driver.save_screenshot(str(path))
        request.config.stash.setdefault(screenshots_key, []).append(path)
        return path

    return _save


screenshots_key = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    saved = config.stash.get(screenshots_key, [])
    if saved:
        terminalreporter.write_line(f"Browser screenshots ({len(saved)}): {SCREENSHOTS}")


@pytest.fixture
def editor_login(django_user_model):
    """Log a superuser "editor" into the admin at ``base``; returns once the admin shows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def _log_in(browser, base):
        django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse")
        browser.get(f"{base}/admin/login/")
        browser.find_element(By.NAME, "username").send_keys("editor")
        browser.find_element(By.NAME, "password").send_keys("correct horse")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # The login page's own URL has "/admin/" in it: wait until it is gone.
        WebDriverWait(browser, 15).until(lambda driver: "/admin/login/" not in driver.current_url)

    return _log_in


@pytest.fixture
def axe_violations():
    """Run the vendored axe-core in the page; the serious and critical violations."""
    source = AXE.read_text(encoding="utf-8")

    def _run(driver):
        driver.execute_script(source)
        driver.set_script_timeout(60)
        violations = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(result => done(result.violations), error => done([{id: String(error)}]));"
        )
        return [
            {"id": v["id"], "impact": v.get("impact"), "help": v.get("help"),
             "nodes": [node["html"][:120] for node in v.get("nodes", [])][:3]}
            for v in violations
            if v.get("impact") in {"serious", "critical", None}
        ]

    return _run
