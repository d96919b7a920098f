"""Uploaded images served by the app itself, for a site with neither a web
server nor object storage in front of it (``SERVE_MEDIA``).

Only Wagtail's image folders are served: original images and renditions.
Documents live beside them in MEDIA_ROOT but are left to Wagtail's document
view, which keeps a private collection's files private. The file system
answers the conditional GET (size and modification time make the ETag), and
gunicorn sends the file itself (``wsgi.file_wrapper``).
"""

import datetime
import mimetypes
import os
import re
import stat

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.urls import re_path
from django.views.decorators.http import condition, require_safe

#: Wagtail's folders of original images and of renditions.
IMAGE_FOLDERS = ("original_images", "images")
#: A day in browsers and shared caches, then a revalidation (a deleted
#: image's name may be taken again by another upload).
CACHE_CONTROL = "public, max-age=86400"
#: An image opened on its own runs nothing (an SVG's scripts, say).
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def image_file(name):
    """``os.stat`` and path of the image file ``name`` names; 404 for
    anything else: a folder, a missing file, a path that climbs out."""
    folder, _slash, rest = name.partition("/")
    parts = rest.split("/")
    if folder not in IMAGE_FOLDERS or any(
        part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts
    ):
        raise Http404
    try:
        path = default_storage.path(name)  # joins safely, or refuses
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        raise Http404 from None
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        raise Http404 from None
    if not stat.S_ISREG(status.st_mode):
        raise Http404
    return status, path


def etag(request, name):
    status, _path = image_file(name)
    return f'"{status.st_size:x}-{status.st_mtime_ns:x}"'


def last_modified(request, name):
    status, _path = image_file(name)
    return datetime.datetime.fromtimestamp(status.st_mtime, tz=datetime.UTC)


@require_safe
@condition(etag_func=etag, last_modified_func=last_modified)
def serve_image_file(request, name):
    status, path = image_file(name)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if request.method == "HEAD":
        # The headers alone: a WSGI server must not be handed a body to drop.
        response = HttpResponse(content_type=content_type)
        response["Content-Length"] = str(status.st_size)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def urlpatterns():
    """The route under MEDIA_URL when the app serves media; none when media
    have a URL of their own (object storage, another host)."""
    prefix = settings.MEDIA_URL
    if not settings.SERVE_MEDIA or not prefix.startswith("/") or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<name>.+)$", serve_image_file)]
