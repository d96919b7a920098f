"""Snapshots: what extraction made of one fetched page, kept to skip parsing it again.

A re-run over an unchanged site must be much faster than the first run, so
the ID map keeps, per legacy URL, the hash of the fetched bytes and the
record extracted from them (plus the links the crawl follows).  When the
bytes (and the extractor, and its settings) are the same, the snapshot
stands in for decoding and extracting.  Pure data conversion: no Django.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from importers.records import Kind, MilestoneRecord, NewsItemRecord, PageRecord

_EXTRACTOR_FILES = ("decode.py", "urls.py", "records.py", "extract", "editor_html.py")


def _extractor_fingerprint() -> str:
    """Changes whenever the code that turns bytes into records changes (Wagtail's editor too)."""
    digest = hashlib.sha256(version("wagtail").encode())
    package = Path(__file__).resolve().parent
    for name in _EXTRACTOR_FILES:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()


EXTRACTOR = _extractor_fingerprint()


def page_hash(body: bytes, *, origin: str, project_start: str, charset: str | None) -> str:
    """Identity of "this page, extracted this way": bytes, charset, settings, extractor."""
    digest = hashlib.sha256(body)
    digest.update(f"\0{charset}\0{origin}\0{project_start}\0{EXTRACTOR}".encode())
    return digest.hexdigest()


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def to_snapshot(record: PageRecord, links: list[str]) -> dict:
    data = asdict(record)
    for item in data["news_items"]:
        for name in ("date", "event_start", "event_end"):
            item[name] = item[name].isoformat() if item[name] else None
    data["kind"] = str(record.kind)
    return {"record": data, "links": list(links)}


def from_snapshot(snapshot: dict) -> tuple[PageRecord, list[str]]:
    data = dict(snapshot["record"])
    data["kind"] = Kind(data["kind"])
    data["milestones"] = [MilestoneRecord(**m) for m in data["milestones"]]
    data["news_items"] = [
        NewsItemRecord(**{**item, **{n: _date(item[n]) for n in ("date", "event_start",
                                                                 "event_end")}})
        for item in data["news_items"]
    ]
    return PageRecord(**data), list(snapshot["links"])
