"""The read stage never imports the load stage: only the pipeline orchestrates both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

IMPORTERS = Path(__file__).resolve().parents[2] / "importers"
READ_STAGE = [
    *(IMPORTERS / name for name in ("reading.py", "crawl.py", "fetch.py", "decode.py",
                                    "charsets.py", "sources.py", "archive.py", "mirror.py",
                                    "urls.py", "snapshots.py", "reader.py", "plan.py",
                                    "files.py", "crawl_memory.py")),
    *sorted((IMPORTERS / "extract").glob("*.py")),
]


def imported(path: Path, package: str | None = None) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    if package is None:
        package = "importers" + ("" if path.parent == IMPORTERS else "." + path.parent.name)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", [p for p in READ_STAGE if p.exists()], ids=lambda p: p.name)
def test_read_stage_modules_do_not_import_the_load_stage(path):
    forbidden = {n for n in imported(path)
                 if n == "importers.load" or n.startswith("importers.load.")}
    assert forbidden == set()


def test_the_check_sees_a_load_import(tmp_path):
    module = tmp_path / "reading.py"
    module.write_text("from importers.load.queries import snapshots\nfrom .load import Plan\n")
    assert {"importers.load.queries", "importers.load"} <= imported(module, "importers")


def test_extraction_does_not_import_django():
    for path in sorted((IMPORTERS / "extract").glob("*.py")):
        assert not any(n.split(".")[0] == "django" for n in imported(path)), path.name


#: What reads the legacy site: the load stage stores what the read stage hands it and never
#: reaches a source itself (no fetching, no readers, no crawling, no parsing of pages).
SOURCE_MODULES = {"importers.reader", "importers.fetch", "importers.mirror", "importers.archive",
                  "importers.sources", "importers.crawl", "importers.reading", "importers.decode",
                  "importers.extract.sanitise", "importers.extract.news",
                  "requests", "bs4"}


@pytest.mark.parametrize("path", sorted((IMPORTERS / "load").glob("*.py")), ids=lambda p: p.name)
def test_the_load_stage_reads_no_source(path):
    names = imported(path, "importers.load")
    reached = {m for m in SOURCE_MODULES if m in names or any(n.startswith(m + ".") for n in names)}
    assert reached == set()


#: Parsing HTML or matching patterns over it: the read stage's work. The load stage joins the
#: parts the read stage cut (importers.rich_text) and parses nothing.
PARSING_MODULES = {"re", "regex", "bs4", "lxml", "html5lib", "html.parser", "nh3",
                   "wagtail.admin.rich_text", "importers.editor_html", "importers.extract"}


@pytest.mark.parametrize("path", sorted((IMPORTERS / "load").glob("*.py")), ids=lambda p: p.name)
def test_the_load_stage_parses_no_html(path):
    names = imported(path, "importers.load")
    reached = {m for m in PARSING_MODULES
               if m in names or any(n.startswith(m + ".") for n in names)}
    assert reached == set()


def test_the_parsing_check_sees_a_regular_expression(tmp_path):
    module = tmp_path / "content.py"
    module.write_text("import re\nfrom bs4 import BeautifulSoup\n")
    assert {"re", "bs4"} <= imported(module, "importers.load")
