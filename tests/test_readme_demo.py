"""The README says where ``make demo`` serves, as the Makefile does."""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def makefile_default(name):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{name} \?= (\S+)$", makefile, re.MULTILINE).group(1)


def test_the_readme_names_the_demos_address_and_how_to_change_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    host, port = makefile_default("HOST"), makefile_default("PORT")
    assert f"serves on `{host}:{port}` unless told" in readme
    assert re.search(r"`make demo PORT=\d+`", readme) and "`HOST=`" in readme


def make(*args, timeout=60):
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={sys.prefix}", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_a_second_demo_says_its_port_is_taken_and_does_not_fail():
    """The first demo serves on the port; the second updates the data and
    says where the first one is, rather than failing at the end."""
    with socket.socket() as first:
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        # -o demo-data: the setup is not what this test is about.
        result = make("-o", "demo-data", "demo", "HOST=127.0.0.1", f"PORT={port}")
    assert result.returncode == 0, result.stderr
    assert f"127.0.0.1:{port} is in use" in result.stdout
    assert "runserver" not in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_demos_import_lock_is_ignored_and_cleaned():
    # One lock file per Site: the demo's is its default Site's.
    assert "db.sqlite3.import*.lock" in make("-n", "clean").stdout.split()
    lock = "db.sqlite3.import-site-1.lock"
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", lock], cwd=ROOT, check=False, capture_output=True
    )
    assert ignored.returncode == 0, f"{lock} would show as untracked"


def test_the_readme_documents_the_demos_targets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "demo-data", "clean"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)
        assert f"`make {target}`" in readme


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_demos_setup_prints_progress_not_migrations_and_task_logs():
    """The setup's own output: errors, warnings and the importer's progress.
    (A fresh setup after install: 42 lines, down from 439.)"""
    commands = make("-n", "-o", "install", "demo-data").stdout.splitlines()
    django = [line for line in commands if "manage.py" in line]
    assert django and all("LOG_LEVEL=WARNING" in line for line in django)
    for quiet in ("migrate", "createcachetable"):
        [line] = [line for line in django if f"manage.py {quiet}" in line]
        assert "-v 0" in line
