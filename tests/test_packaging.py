"""The wheel holds the three apps only, and installs into real host projects
by the README's recipe alone.

The recipe is read from the README's "Installing into an existing Wagtail
project" section, so the two cannot drift apart. Each host project is made by
the real ``wagtail start`` in a fresh virtual environment that has only the
wheel (and what it depends on) installed.
"""

import os
import re
import shlex
import subprocess
import sys
import tarfile
import textwrap
import time
import venv
import zipfile
from pathlib import Path

import feedparser
import pytest
import requests
from django.db import connection
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from wagtail import __version__ as wagtail_version

from tests.serving import free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "legacy-site"
ORIGIN = "http://inno.baltmet.org/pub/"
SECTION = "## Installing into an existing Wagtail project"
APPS = {"cms", "importers", "syndication"}

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="host projects run on SQLite: this runs in CI's SQLite leg",
)


def run(args, cwd, env=None, timeout=900):
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{shlex.join(map(str, args))}\n{result.stdout}{result.stderr}"
    return result


def readme_recipe():
    """The install section's code blocks: (language, first line, body), in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```(\w+)\n(.*?)^\1```", section, flags=re.M | re.S)
    return [
        (language, textwrap.dedent(indent_body(indent, body)))
        for indent, language, body in blocks
    ]


def indent_body(indent, body):
    return "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=ROOT)
    return out


def top_level(names):
    return {name.split("/", 1)[0] for name in names if name}


def test_the_wheel_holds_the_three_apps_only(dist):
    [wheel] = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = {name for name in top_level(names) if name.endswith(".dist-info")}
    assert top_level(names) - dist_info == APPS
    for app in APPS:
        assert f"{app}/migrations/0001_initial.py" in names
    assert "syndication/templates/syndication/index.html" in names
    assert not [name for name in names if "?" in name or "/tests/" in name]


def test_the_wheel_requires_the_wagtail_releases_the_readme_names(dist):
    """``cms.compat`` relies on the v3 preview's internals: the wheel requires
    the releases its workarounds were checked against, as the README says, and
    the suite runs on one of them."""
    [wheel] = dist.glob("*.whl")
    archive = zipfile.ZipFile(wheel)
    [metadata] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    [wagtail] = [
        requirement
        for line in archive.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
        and (requirement := Requirement(line.split(":", 1)[1])).name == "wagtail"
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [stated] = set(re.findall(r"`wagtail(>=[\d.]+,<[\d.]+)`", readme))
    assert wagtail.specifier == SpecifierSet(stated)
    assert any(spec.operator == "<" for spec in wagtail.specifier), "no upper bound"
    assert wagtail_version in wagtail.specifier


def test_the_sdist_holds_the_apps_readme_and_licence(dist):
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]
    allowed = APPS | {
        "PKG-INFO", "README.md", "LICENSE", "pyproject.toml", "setup.cfg", "MANIFEST.in"
    }
    extra = top_level(names) - allowed
    assert {name for name in extra if not name.endswith(".egg-info")} == set()


@pytest.fixture(scope="module")
def host_python(dist, tmp_path_factory):
    """A fresh virtual environment with the wheel installed by the README's pip line."""
    [wheel] = dist.glob("*.whl")
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    [pip_line] = [
        line for language, body in readme_recipe() if language == "sh"
        for line in body.splitlines() if line.startswith("pip install")
    ]
    # The README installs a checkout; here the wheel built from it stands in.
    args = shlex.split(pip_line)[:-1] + [str(wheel)]
    result = run([python, "-m", *args], cwd=env_dir)
    warnings = [
        line for line in (result.stdout + result.stderr).splitlines()
        if re.match(r"\s*(warning|deprecat)", line, re.I)
        # pip's own notice about an index configured on the machine, not ours
        and "is neither a file nor a directory" not in line
    ]
    assert warnings == []
    return python


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def make_host_project(python, workdir, package, extra_apps):
    """``wagtail start PACKAGE``, then the README's steps applied to it."""
    run([python.parent / "wagtail", "start", package, str(workdir)], cwd=workdir.parent)
    for language, body in readme_recipe():
        if language != "python":
            continue
        first, _, code = body.partition("\n")
        target = re.match(r"# (\S+)", first).group(1).replace("mysite/", f"{package}/", 1)
        with open(workdir / target, "a", encoding="utf-8") as file:
            file.write("\n" + code)
    if extra_apps:
        with open(workdir / package / "settings" / "base.py", "a", encoding="utf-8") as file:
            file.write(f"\nINSTALLED_APPS += {extra_apps!r}\n")


def readme_commands():
    return [
        line for language, body in readme_recipe() if language == "sh"
        for line in body.splitlines() if line.startswith("python manage.py")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("package", "extra_apps"),
    [
        ("mysite", []),
        ("mysite", ["django.contrib.syndication"]),
        ("config", []),
    ],
    ids=["wagtail-start", "with-django-syndication", "settings-package-named-config"],
)
def test_the_readme_recipe_works_on_a_fresh_wagtail_project(
    host_python, tmp_path, package, extra_apps
):
    project = tmp_path / "project"
    project.mkdir()
    make_host_project(host_python, project, package, extra_apps)
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PYTHONPATH"}
    }
    env["DJANGO_SUPERUSER_PASSWORD"] = "editor-password"

    def manage(*args):
        return run([host_python, "manage.py", *args], cwd=project, env=env)

    manage("check", "--fail-level", "WARNING")
    port = free_port()
    for command in readme_commands():
        args = shlex.split(command)[2:]
        if args[0] == "create_project_site":
            # The README's example address, made one this test can serve.
            args = [args[0], "--hostname", "127.0.0.1", "--port", str(port)]
        if "USERNAME" in args:
            manage("createsuperuser", "--noinput", "--username", "editor",
                   "--email", "editor@example.org")
            args = ["editor" if arg == "USERNAME" else arg for arg in args]
        manage(*args)
    manage("import_legacy", str(SAMPLE), "--origin", ORIGIN)

    # The host's own home page stays, and holds the indexes.
    tree = manage("shell", "--no-imports", "-c", (
        "from wagtail.models import Site; home = Site.objects.get(is_default_site=True)"
        ".root_page.specific; print(type(home).__module__, type(home).__name__,"
        " sorted(p.specific_class.__name__ for p in home.get_children()))"
    )).stdout
    assert tree.startswith("home.models HomePage"), tree
    assert "NewsIndexPage" in tree and "WorkPackageIndexPage" in tree

    server = subprocess.Popen(
        [host_python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        news = wait_for(f"{base}/api/v2/pages/?type=cms.NewsPage&fields=date,legacy_url", server)
        assert news.status_code == 200, news.text
        items = news.json()["items"]
        assert len(items) == 4
        assert all(item["meta"]["html_url"].startswith(base + "/") for item in items)
        index = requests.get(
            f"{base}/api/v2/pages/?type=cms.NewsIndexPage&fields=feeds", timeout=10
        ).json()["items"][0]
        assert index["feeds"]["rss"] == f"{base}/feeds/news.rss"
        rss = requests.get(index["feeds"]["rss"], timeout=10)
        assert rss.status_code == 200
        feed = feedparser.parse(rss.content)
        assert not feed.bozo and len(feed.entries) == 4
        html_urls = {item["meta"]["html_url"] for item in items}
        assert {entry.link for entry in feed.entries} == html_urls

        # The website: the apps' templates render the host's pages, old links land on them.
        for url in html_urls:
            page = requests.get(url, timeout=10)
            assert page.status_code == 200 and 'rel="canonical"' in page.text, url
        # Found: the sitemap lists the pages, the search page finds them.
        sitemap = requests.get(f"{base}/sitemap.xml", timeout=10)
        assert sitemap.status_code == 200
        assert all(url in sitemap.text for url in html_urls)
        assert f"Sitemap: {base}/sitemap.xml" in requests.get(f"{base}/robots.txt", timeout=10).text
        found = requests.get(f"{base}/search/", {"q": "Marketing"}, timeout=10)
        assert found.status_code == 200 and "Marketing Strategies" in found.text
        legacy = requests.get(f"{base}/pub/index.php?id=209", timeout=10)
        assert [r.status_code for r in legacy.history] == [301]
        assert legacy.status_code == 200 and "<h1>Marketing Strategies</h1>" in legacy.text
    finally:
        server.terminate()
        server.wait(timeout=30)
