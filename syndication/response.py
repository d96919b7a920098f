"""HTTP for the feeds: a rendered feed with everything its responses need,
computed once, and the responses themselves.

Compressing, hashing for the ETag and formatting dates are done when the
feed is rendered, not per request, so a warm request only picks a body and
assigns headers. Conditional requests (``If-None-Match``,
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
    etag: str
    last_modified: int
    last_modified_http: str
    content_type: str
    cache_control: str
    #: Wall-clock time the feed stops being current (see cache.lifetime).
    expires_at: float

    def fresh(self, generation):
        return self.generation == generation and time.time() < self.expires_at

    def respond(self, request):
        """The response to ``request``: 304, gzipped or plain bytes."""
        meta = request.META
        gzipped = self.gzipped is not None and accepts_gzip(meta.get("HTTP_ACCEPT_ENCODING", ""))
        # GZipMiddleware weakens the ETag of what it compresses; so do we.
        etag = "W/" + self.etag if gzipped else self.etag
        response = self.full(gzipped, etag)
        if any(header in meta for header in CONDITIONAL_HEADERS):
            return get_conditional_response(
                request, etag=etag, last_modified=self.last_modified, response=response
            )
        return response

    def full(self, gzipped, etag):
        response = HttpResponse(
            self.gzipped if gzipped else self.body, content_type=self.content_type
        )
        headers = response.headers
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        headers["ETag"] = etag
        headers["Last-Modified"] = self.last_modified_http
        headers["Cache-Control"] = self.cache_control
        headers["Vary"] = VARY
        return response


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
    return RenderedFeed(
        generation=generation,
        body=body,
        gzipped=compressed(body),
        etag=etag_for(body),
        last_modified=last_modified,
        last_modified_http=http_date(last_modified),
        content_type=content_type,
        cache_control=f"public, max-age={conf.max_age()}",
        expires_at=expires_at,
    )


def missing_feed(generation, expires_at):
    """The cached answer that there is no such feed (a 404)."""
    return RenderedFeed(generation, None, None, "", 0, "", "", "", expires_at)


def respond(feed, request):
    """The response to ``request`` for ``feed``: 404, 304, gzipped or plain bytes."""
    if feed.body is None:
        return HttpResponse(
            "No such feed.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    return feed.respond(request)


def bad_request(error):
    """A malformed feed query: a 400 with its one-line reason."""
    return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")
