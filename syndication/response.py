"""HTTP for the feeds: a rendered feed with everything its responses need,
computed once, and the responses themselves.

Compressing, hashing for the ETag and formatting dates are done when the
feed is rendered, not per request, so a warm request only picks a body and
its headers, all made at render time. Conditional requests (``If-None-Match``,
``If-Modified-Since`` and the rarer preconditions) are Django's own
``get_conditional_response``, as the API's are. A feed is the same for
every reader, whoever asks, so it is always ``public``.
"""

import gzip
import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from syndication import conf

#: As in GZipMiddleware: the least worth compressing.
MIN_GZIP_LENGTH = 200
VARY = "Accept-Encoding"
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
)
#: What a 304 keeps of its 200 (RFC 9110 15.4.5, and Last-Modified as Django keeps it).
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary")


@lru_cache(maxsize=256)
def accepts_gzip(accept_encoding):
    """Whether an ``Accept-Encoding`` header (RFC 9110 12.5.3) accepts gzip:
    named, or covered by ``*``, with a quality above 0 (``gzip;q=0`` refuses)."""
    qualities = {}
    for part in accept_encoding.lower().split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _equals, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding] = quality
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


@dataclass(frozen=True)
class RenderedFeed:
    generation: str
    body: bytes | None  # None: there is no such feed (cached too)
    gzipped: bytes | None  # None: not worth compressing
    last_modified: int
    #: The headers of a 200 with the plain body and with the gzipped one.
    plain_headers: dict
    gzipped_headers: dict
    #: Wall-clock time the feed stops being current (see cache.lifetime).
    expires_at: float
    #: No such feed any more: a tag feed whose tag is deleted (410, not 404).
    gone: bool = False

    def fresh(self, generation):
        return self.generation == generation and time.time() < self.expires_at

    def respond(self, request):
        """The response to ``request``: 304 (or 412), gzipped or plain bytes.

        Django's ``get_conditional_response`` decides on the validators
        alone, and a 200 is built only when it is the answer; a 304 carries
        the validators and caching headers of the 200 it stands for, as
        Django's own 304s do, and no representation headers.
        """
        meta = request.META
        gzipped = self.gzipped is not None and accepts_gzip(meta.get("HTTP_ACCEPT_ENCODING", ""))
        headers = self.gzipped_headers if gzipped else self.plain_headers
        if not meta.keys().isdisjoint(CONDITIONAL_HEADERS):
            answer = get_conditional_response(
                request, etag=headers["ETag"], last_modified=self.last_modified
            )
            if answer is not None:
                if answer.status_code == 304:
                    for name in NOT_MODIFIED_HEADERS:
                        answer.headers[name] = headers[name]
                return answer
        return HttpResponse(self.gzipped if gzipped else self.body, headers=headers)


def etag_for(body):
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def compressed(body):
    """The gzipped body, if compressing is worth it (mtime 0: same bytes each time)."""
    if len(body) < MIN_GZIP_LENGTH:
        return None
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return packed if len(packed) < len(body) else None


def rendered_feed(generation, body, content_type, expires_at, last_modified):
    """Everything a response needs, from a freshly rendered body."""
    gzipped = compressed(body)
    etag = etag_for(body)
    plain_headers = {
        "Content-Type": content_type,
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": f"public, max-age={conf.max_age()}",
        "Vary": VARY,
    }
    # GZipMiddleware weakens the ETag of what it compresses; so do we.
    gzipped_headers = {**plain_headers, "Content-Encoding": "gzip", "ETag": "W/" + etag}
    return RenderedFeed(
        generation=generation,
        body=body,
        gzipped=gzipped,
        last_modified=last_modified,
        plain_headers=plain_headers,
        gzipped_headers=gzipped_headers if gzipped is not None else plain_headers,
        expires_at=expires_at,
    )


def missing_feed(generation, expires_at, gone=False):
    """The cached answer that there is no such feed: a 404, or a 410 when ``gone``."""
    return RenderedFeed(generation, None, None, 0, {}, {}, expires_at, gone)


def respond(feed, request):
    """The response to ``request`` for ``feed``: 404 or 410, 304, gzipped or plain bytes."""
    if feed.gone:
        return gone()
    if feed.body is None:
        return HttpResponse(
            "No such feed.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    return feed.respond(request)


def gone():
    """A tag feed whose tag is deleted: readers drop the subscription on a 410."""
    return HttpResponse(
        "This feed's tag is deleted.\n", status=410, content_type="text/plain; charset=utf-8"
    )


def bad_request(error):
    """A malformed feed query: a 400 with its one-line reason."""
    return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")
