"""The README's Node.js preview route, run as printed with Node against the CMS.

It must outlive a CMS it cannot reach (a 502, not a crash) and render an
undated draft without printing ``null``.
"""

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from cms import preview
from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
from tests.serving import free_port, wait_until

README = Path(__file__).resolve().parents[1] / "README.md"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def readme_script() -> str:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```js\n(.*?)```", text, flags=re.S)
    (script,) = [b for b in blocks if b.startswith("// preview.mjs")]
    return script


@pytest.fixture
def frontend(tmp_path):
    """Start the README's preview.mjs with ``CMS`` set; yields (base URL, process)."""
    started = []

    def start(cms: str):
        script = tmp_path / "preview.mjs"
        script.write_text(readme_script(), encoding="utf-8")
        port = free_port()
        log = (tmp_path / "node.log").open("w")
        process = subprocess.Popen(
            [NODE, str(script)], env={**os.environ, "CMS": cms, "PORT": str(port)},
            stdout=log, stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"

        def listening():
            assert process.poll() is None, (tmp_path / "node.log").read_text()
            try:
                return requests.get(f"{base}/", timeout=2).status_code == 404
            except requests.ConnectionError:
                return False

        wait_until(listening, 30, "the preview route never listened")
        return base, process

    yield start
    for process, log in started:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_a_cms_it_cannot_reach_is_a_502_and_the_frontend_lives_on(frontend):
    base, process = frontend(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    for _ in range(2):
        answer = requests.get(f"{base}/preview/?content_type=cms.newspage&token=t", timeout=10)
        assert answer.status_code == 502
        assert "could not be reached" in answer.text
    assert process.poll() is None


@pytest.mark.django_db(transaction=True)
def test_an_undated_draft_is_shown_without_null(frontend, live_server):
    tree = ensure_site_tree()
    draft = NewsPage(title="Undated draft", live=False, location="Riga")
    tree.news.add_child(instance=draft)
    draft.save_revision()
    dated = NewsPage(title="Dated draft", live=False, date=datetime.date(2007, 6, 13))
    tree.news.add_child(instance=dated)
    dated.save_revision()
    base, _process = frontend(live_server.url)

    def shown(page):
        token = preview.issue(page)
        answer = requests.get(f"{base}/preview/", timeout=10,
                              params={"content_type": "cms.newspage", "token": token})
        assert answer.status_code == 200, answer.text
        return answer.text

    undated = shown(draft)
    assert "<h1>Undated draft</h1>" in undated and "Riga" in undated
    assert "null" not in undated and "undefined" not in undated and "<time" not in undated
    assert '<time datetime="2007-06-13">2007-06-13</time>' in shown(dated)
