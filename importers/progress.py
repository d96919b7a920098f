"""How a run shows its progress: a rich progress bar on a terminal, plain lines otherwise.

Both have the same small interface the pipeline and the loader call:
``start_reading()``, ``read(url)``, ``start_writing(total)``,
``advance(url, action)``, ``note(message)`` and ``close()``.
"""

from __future__ import annotations

import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from importers.records import Action
from importers.report import Report

#: What the read stage says of a page read again whose bytes are those of
#: the last run (its snapshot). Not "unchanged": that is what writing may
#: find, and ``--force`` updates such a page still.
NOT_MODIFIED = "read, not modified since the last run:"


class LineProgress:
    """One line per page and step: for logs, pipes and CI."""

    def __init__(self, stream: TextIO, *, verbose: bool = True) -> None:
        self.stream = stream
        self.verbose = verbose
        self.started = time.monotonic()
        self.read_count = 0
        self.not_modified = 0
        self.written = 0
        self.total = 0

    def _line(self, text: str) -> None:
        self.stream.write(f"[{time.monotonic() - self.started:7.1f}s] {text}\n")
        self.stream.flush()

    def start_reading(self) -> None:
        self._line("reading the legacy site")

    def read(self, url: str, what: str = "read") -> None:
        # A page not modified since the last run was read too (its bytes compared).
        self.read_count += what == "read" or what == NOT_MODIFIED
        self.not_modified += what == NOT_MODIFIED
        if self.verbose:
            self._line(f"{what} {url}")

    def start_writing(self, total: int) -> None:
        self.total = total
        same = ""
        if self.not_modified:
            same = f" ({self.not_modified} not modified since the last run)"
        # Each page is then created, updated or left unchanged: "writing" would promise writes.
        self._line(f"read {self.read_count} pages{same}; comparing {total} with the site")

    def advance(self, url: str, action: str) -> None:
        self.written += 1
        if self.verbose:
            self._line(f"{self.written}/{self.total} {Action(action).label} {url}")

    def note(self, message: str) -> None:
        self._line(message)

    def close(self) -> None:
        pass


class BarProgress:
    """A rich progress display: a counter while reading, then a bar while writing."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[url]}", style="dim"),
            console=console,
            transient=False,
        )
        self.reading = None
        self.writing = None

    def start_reading(self) -> None:
        self.progress.start()
        self.reading = self.progress.add_task("reading", total=None, url="")

    def read(self, url: str, what: str = "read") -> None:
        self.progress.update(self.reading, advance=1, url=f"{what} {url[-60:]}")

    def start_writing(self, total: int) -> None:
        if self.reading is not None:
            done = self.progress.tasks[self.reading].completed
            self.progress.update(self.reading, total=done, url="")
        self.writing = self.progress.add_task("writing", total=total, url="")

    def advance(self, url: str, action: str) -> None:
        label = Action(action).label
        self.progress.update(self.writing, advance=1, url=f"{label} {url[-50:]}")

    def note(self, message: str) -> None:
        self.progress.console.log(message)

    def close(self) -> None:
        self.progress.stop()


def make_progress(stream: TextIO, *, verbosity: int = 1):
    """A bar on a terminal, lines otherwise; ``None`` when asked to be quiet (-v 0)."""
    if verbosity == 0:
        return None
    if stream.isatty():
        return BarProgress(Console(file=stream))
    return LineProgress(stream, verbose=verbosity >= 1)


def summary_table(report: Report) -> Table:
    title = "Import summary (dry run: nothing was written)" if report.dry_run else "Import summary"
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("pages")
    table.add_column("count", justify="right")
    styles = {Action.FAILED.label: "red", Action.SKIPPED_EDITED.label: "yellow",
              "dead links": "magenta"}
    for label, count in report.summary_rows():
        style = styles.get(label) if count else None
        table.add_row(label, str(count), style=style)
    return table
