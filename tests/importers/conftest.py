"""Fixtures shared by the importer tests: paths to the sample and a live legacy server."""

from __future__ import annotations

from pathlib import Path

import pytest

from .legacy_server import LegacyServer

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO / "sample" / "legacy-site"
SAMPLE_SITE = SAMPLE_DIR / "inno.baltmet.org"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VARIANTS = FIXTURES / "variants"
ORIGIN = "http://inno.baltmet.org/pub/"


@pytest.fixture
def legacy_server():
    """A running :class:`LegacyServer` serving the sample mirror at ``/pub/``.

    ``legacy_server.base_url`` stands in for the origin; use
    ``serve_directory(path)`` for another mirror (top level = site root) and
    ``set_route(path, status=…, body=…, headers=…, delay=…)`` for overrides.
    """
    server = LegacyServer(SAMPLE_SITE)
    with server:
        yield server
