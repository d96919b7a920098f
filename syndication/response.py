"""A rendered feed with everything its HTTP responses need, computed once.

Compressing, hashing for the ETag and formatting dates are done when the
feed is rendered, not per request, so a warm request only picks a body and
assigns headers. The rules are Django's own (``GZipMiddleware`` and
``get_conditional_response``), applied to precomputed values; requests with
the rarer preconditions (``If-Match``, ``If-Unmodified-Since``) are handed
to Django.
"""

import gzip
import hashlib
import re
import time
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

#: As in GZipMiddleware: which clients accept gzip, and the least worth it.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
MIN_GZIP_LENGTH = 200
VARY = "Accept-Encoding"


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
    #: Wall-clock time the feed stops being valid (an item expires).
    expires_at: float

    def fresh(self, generation):
        return self.generation == generation and time.time() < self.expires_at

    def respond(self, request):
        """The response to ``request``: 304, gzipped or plain bytes."""
        meta = request.META
        gzipped = self.gzipped is not None and ACCEPTS_GZIP.search(
            meta.get("HTTP_ACCEPT_ENCODING", "")
        )
        # GZipMiddleware weakens the ETag of what it compresses; so do we.
        etag = "W/" + self.etag if gzipped else self.etag
        if "HTTP_IF_MATCH" in meta or "HTTP_IF_UNMODIFIED_SINCE" in meta:
            return get_conditional_response(
                request, etag=etag, last_modified=self.last_modified,
                response=self.full(gzipped, etag),
            )
        none_match = meta.get("HTTP_IF_NONE_MATCH")
        if none_match is not None:
            if none_match == etag or self.matches(none_match):
                return self.not_modified(etag)
        else:
            since = meta.get("HTTP_IF_MODIFIED_SINCE")
            if since is not None and (
                since == self.last_modified_http
                or (parse_http_date_safe(since) or -1) >= self.last_modified
            ):
                return self.not_modified(etag)
        return self.full(gzipped, etag)

    def matches(self, none_match):
        """Weak comparison, as for GET: any listed tag with our opaque value."""
        if none_match.strip() == "*":
            return True
        return any(
            tag.strip().removeprefix("W/") == self.etag for tag in none_match.split(",")
        )

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

    def not_modified(self, etag):
        response = HttpResponseNotModified()
        headers = response.headers
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


def rendered_feed(generation, body, last_modified, content_type, max_age, timeout):
    """Everything a response needs, from a freshly rendered body."""
    last_modified = int(last_modified)
    return RenderedFeed(
        generation=generation,
        body=body,
        gzipped=compressed(body),
        etag=etag_for(body),
        last_modified=last_modified,
        last_modified_http=http_date(last_modified),
        content_type=content_type,
        cache_control=f"public, max-age={max_age}",
        expires_at=time.time() + timeout,
    )


def missing_feed(generation, timeout):
    """The cached answer that there is no such feed (a 404)."""
    return RenderedFeed(generation, None, None, "", 0, "", "", "", time.time() + timeout)
