"""The crawl's frontier: what a killed crawl kept stands in for reading those pages again,
and the crawl replayed from it goes on exactly as an uninterrupted one."""

from __future__ import annotations

from dataclasses import asdict

from importers.crawl import Frontier
from importers.crawl_memory import Answer
from importers.reading import read_pages
from importers.sources import open_source

from .conftest import ORIGIN, SAMPLE_DIR


class Memory:
    """A crawl memory in a dict, counting what the source was asked."""

    def __init__(self, kept: dict[str, Answer] | None = None) -> None:
        self.kept = dict(kept or {})
        self.written: dict[str, Answer] = {}

    def recall(self, url: str) -> Answer | None:
        return self.kept.get(url)

    def keep(self, url: str, answer: Answer) -> None:
        self.written.setdefault(url, answer)

    def flush(self) -> None:
        pass


def crawl_sample(memory: Memory, stop_after: int | None = None):
    source = open_source([SAMPLE_DIR], ORIGIN)
    asked: list[str] = []
    read = source.reader.fetch
    source.reader.fetch = lambda url, *a, **k: asked.append(url) or read(url, *a, **k)
    items = read_pages(source, snapshots={}, frontier=Frontier(source.start_urls, memory))
    out = []
    for item in items:
        out.append(item)
        if stop_after is not None and len(out) == stop_after:
            break  # as a kill would: what was kept so far is all the next run has
    source.close()
    return [_plain(i) for i in out], asked


def _plain(item) -> dict:
    data = asdict(item)
    data.pop("from_snapshot", None)  # read, or taken from what was kept
    data.pop("source_url", None)
    return {"type": type(item).__name__, **data}


def test_a_crawl_continued_from_what_a_killed_one_kept_reads_only_the_rest():
    whole, asked_whole = crawl_sample(Memory())
    killed = Memory()
    crawl_sample(killed, stop_after=len(whole) // 2)
    assert killed.written

    continued = Memory(killed.written)
    items, asked = crawl_sample(continued)
    assert items == whole
    source = open_source([SAMPLE_DIR], ORIGIN)
    source.close()
    assert not [url for url in asked if source.to_origin(url) in killed.written]
    assert len(asked) < len(asked_whole)
