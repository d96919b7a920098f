"""The README says where ``make demo`` serves, as the Makefile does."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def makefile_default(name):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{name} \?= (\S+)$", makefile, re.MULTILINE).group(1)


def test_the_readme_names_the_demos_address_and_how_to_change_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    host, port = makefile_default("HOST"), makefile_default("PORT")
    assert f"serves on `{host}:{port}` unless told" in readme
    assert re.search(r"`make demo PORT=\d+`", readme) and "`HOST=`" in readme
