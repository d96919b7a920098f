"""Read the crawl's next pages ahead of time, over a few connections, in the crawl's order.

A live legacy server takes 100–300 ms an answer; read one page at a time, a
crawl mostly waits.  The crawl stays one breadth-first loop: :class:`Lookahead`
starts the reads of the next URLs of its queue on a small pool of threads and
hands each answer over when the crawl comes to that URL, so what the crawl
yields, and in what order, is what it yields reading one page at a time
(plans, reports and written pages do not depend on timing).  A reader that
reads in place (a mirror, a web archive: ``concurrency`` 1) gets no thread;
each read is made when asked, as before.

Memory is bounded: at most ``window`` answers (each within the reader's
byte cap) are being read or waiting for the crawl.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice

from .reader import FetchResult

#: Answers read ahead per connection: enough to keep every connection busy while the
#: crawl works on the page before.
AHEAD_PER_CONNECTION = 2


class Lookahead:
    """Reads of the crawl's queue head made ahead, handed over in the crawl's order.

    ``read(url)`` reads one URL (raising as it does); it is called from the
    pool's threads, so it must be thread-safe when ``concurrency`` > 1.
    """

    def __init__(self, read: Callable[[str], FetchResult], concurrency: int) -> None:
        self._read = read
        self.window = AHEAD_PER_CONNECTION * concurrency if concurrency > 1 else 0
        self._ahead: dict[str, Future[FetchResult]] = {}
        self._took: dict[str, float] = {}  # seconds each read ahead took, set in its thread
        self.took = 0.0  # seconds the read just handed over took, wherever it was made
        self._pool = None
        if self.window:
            self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="legacy-read")
            # The crawl may be dropped half-way (a generator closed, a run stopped):
            # reads not started then are cancelled, and the threads end.
            self._stop = weakref.finalize(self, _stop, self._pool, self._ahead)

    def plan(self, upcoming: Iterable[str]) -> None:
        """Start reading the first URLs of ``upcoming`` (the queue, head first).

        What was started before is the head of the queue still: the crawl
        takes from the front and appends at the back.
        """
        if self._pool is None:
            return
        for url in islice(upcoming, self.window):
            if len(self._ahead) >= self.window:
                break
            if url not in self._ahead:
                self._ahead[url] = self._pool.submit(self._timed, url)

    def read(self, url: str) -> FetchResult:
        """The answer for ``url``, read ahead or now; raises as ``read`` raised.

        ``took`` then says how long the read itself took (not the wait for it):
        a crawl that keeps its answers counts the fetching it would lose."""
        future = self._ahead.pop(url, None)
        if future is None:
            try:
                return self._timed(url)
            finally:
                self.took = self._took.pop(url, 0.0)
        try:
            return future.result()
        finally:
            self.took = self._took.pop(url, 0.0)

    def _timed(self, url: str) -> FetchResult:
        began = time.monotonic()
        try:
            return self._read(url)
        finally:
            self._took[url] = time.monotonic() - began

    def close(self) -> None:
        if self._pool is not None:
            self._stop()


def _stop(pool: ThreadPoolExecutor, ahead: dict[str, Future[FetchResult]]) -> None:
    ahead.clear()
    pool.shutdown(wait=False, cancel_futures=True)
