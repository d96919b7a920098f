"""``gunicorn config.wsgi`` alone (no web server in front, no object
storage) serves uploaded images and their renditions from MEDIA_ROOT, as
a static file server would: content types, caching headers, conditional
GET, no directory listings, nothing outside the image folders (documents
go through Wagtail's view, which keeps private collections private)."""

import http.client
import re
import shutil

import pytest
import requests

from tests.production.servers import Gunicorn, manage, production_env

UPLOAD = (
    "import io\n"
    "from django.core.files.images import ImageFile\n"
    "from django.core.files.base import ContentFile\n"
    "from PIL import Image as Picture\n"
    "from wagtail.images.models import Image\n"
    "from wagtail.documents.models import Document\n"
    "buffer = io.BytesIO()\n"
    "Picture.new('RGB', (40, 30), 'red').save(buffer, 'JPEG')\n"
    "image = Image.objects.create(title='Red', file=ImageFile(buffer, name='red.jpg'))\n"
    "document = Document.objects.create(\n"
    "    title='Plan', file=ContentFile(b'%PDF-1.4', name='plan.pdf'))\n"
    "print(image.file.url, image.get_rendition('fill-20x20').url, document.file.name)\n"
)


@pytest.fixture(scope="module")
def site(static_root, site_database, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    # A copy: the images made here stay out of other tests' database.
    database = tmp_path_factory.mktemp("media-db") / "site.sqlite3"
    shutil.copyfile(site_database.removeprefix("sqlite:///"), database)
    env = production_env(
        DATABASE_URL=f"sqlite:///{database}", STATIC_ROOT=static_root, MEDIA_ROOT=media_root,
        SECURE_SSL_REDIRECT=0,
    )
    result = manage("shell", "--no-imports", "-c", UPLOAD, env=env)
    assert result.returncode == 0, result.stderr
    original, rendition, document_name = result.stdout.split()
    server = Gunicorn(env, tmp_path_factory.mktemp("media-site") / "gunicorn.log")
    server.media_root, server.original, server.rendition = media_root, original, rendition
    server.document_name = document_name
    yield server
    server.stop()
    assert "Traceback" not in server.output(), server.output()


def raw_get(site, path, method="GET"):
    """A request with the path exactly as given (no client normalises it)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_an_uploaded_image_and_its_rendition_are_served(site):
    for url in (site.original, site.rendition):
        assert url.startswith("/media/")
        response = requests.get(site.url + url, timeout=30)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.content == (site.media_root / url.removeprefix("/media/")).read_bytes()
        assert int(response.headers["Content-Length"]) == len(response.content)
        assert "public" in response.headers["Cache-Control"]
        assert re.search(r"max-age=\d+", response.headers["Cache-Control"])
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_conditional_requests_are_answered_304(site):
    first = requests.get(site.url + site.original, timeout=30)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        again = requests.get(site.url + site.original, headers=headers, timeout=30)
        assert again.status_code == 304, headers
        assert again.content == b""


def test_head_answers_the_headers_without_a_body(site):
    get = requests.get(site.url + site.original, timeout=30)
    status, body = raw_get(site, site.original, method="HEAD")
    assert status == 200 and body == b""
    head = requests.head(site.url + site.original, timeout=30)
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert head.headers["ETag"] == get.headers["ETag"]
    assert "no-body response" not in site.output()


@pytest.mark.parametrize("path", [
    "/media/", "/media/original_images/", "/media/images", "/media/original_images/nope.jpg",
    "/media/original_images/../../config/settings.py",
    "/media/original_images/%2e%2e/%2e%2e/manage.py",
    "/media/original_images/..%2f..%2fmanage.py", "/media/images/..%5c..%5cmanage.py",
    "/media/%2fetc/passwd", "/media/original_images//etc/passwd",
    "/media/original_images/red.jpg%00.txt",
])
def test_no_listings_nothing_missing_nothing_outside(site, path):
    status, body = raw_get(site, path)
    # 301: Django's APPEND_SLASH, to a folder that is a 404 in turn.
    assert status in (301, 400, 404), (path, status)
    assert b"DJANGO" not in body and b"SECRET" not in body


def test_documents_are_not_served_as_media(site):
    """Only Wagtail's document view serves them, and only when public."""
    assert (site.media_root / site.document_name).exists()
    status, _body = raw_get(site, "/media/" + site.document_name)
    assert status == 404
