"""Several app machines, one object storage: two gunicorn instances, each
with a MEDIA_ROOT of its own, keep uploads in one S3 bucket (django-storages'
S3 backend, configured from the environment as the README shows) on a real
S3-compatible server this test starts (moto in server mode). An image an
editor uploads through one instance renders, with its renditions, through
the other; neither writes a file to its own folder. Documents pass through
the app (after Wagtail's privacy checks), never as a redirect to the bucket."""

import io
import json
import re
import shutil
import sys
from pathlib import Path

import boto3
import pytest
import requests
from PIL import Image as Picture

from tests.production.editor import Editor
from tests.production.servers import Gunicorn, free_port, production_env, wait_until
from tests.serving import Process

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
#: The README's storage options and bucket policy, as printed there.
README_OPTIONS = json.loads(re.search(r"^MEDIA_STORAGE_OPTIONS='(.+)'$", README, re.M).group(1))
BUCKET = README_OPTIONS["bucket_name"]
PUBLIC_IMAGES = json.loads(re.search(r'```json\n(\{"Version".+?)```', README, re.S).group(1))
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "site-test-key", "AWS_SECRET_ACCESS_KEY": "site-test-secret"}


@pytest.fixture(scope="module")
def object_storage(tmp_path_factory):
    """An S3-compatible server on 127.0.0.1 with an empty bucket; its URL."""
    port = free_port()
    server = Process(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        {**production_env(), **CREDENTIALS},
        tmp_path_factory.mktemp("s3") / "moto.log",
    )
    url = f"http://127.0.0.1:{port}"

    def answers():
        assert server.alive(), server.output()
        try:
            return requests.get(url + "/moto-api/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_until(answers, 60, "the S3-compatible server did not start")
        s3 = boto3.client(
            "s3", endpoint_url=url, region_name="us-east-1",
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_IMAGES))
        yield url, s3
    finally:
        server.stop()


@pytest.fixture
def instances(object_storage, static_root, site_database, tmp_path):
    """Instances A and B on one database and one bucket, each with its own
    (empty) MEDIA_ROOT; stopped whatever happens."""
    url, _s3 = object_storage
    database = tmp_path / "site.sqlite3"
    shutil.copyfile(site_database.removeprefix("sqlite:///"), database)
    servers = []
    try:
        for name in ("a", "b"):
            media_root = tmp_path / f"media-{name}"
            media_root.mkdir()
            env = production_env(
                DATABASE_URL=f"sqlite:///{database}", STATIC_ROOT=static_root,
                MEDIA_ROOT=media_root, SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0,
                MEDIA_STORAGE_BACKEND="storages.backends.s3.S3Storage",
                MEDIA_STORAGE_OPTIONS=json.dumps({
                    **README_OPTIONS, "endpoint_url": url, "region_name": "us-east-1",
                    "addressing_style": "path",
                }),
                **CREDENTIALS,
            )
            server = Gunicorn(env, tmp_path / f"{name}.log")
            server.media_root = media_root
            servers.append(server)
        yield servers
    finally:
        for server in servers:
            server.stop()
    for server in servers:
        assert "Traceback" not in server.output(), server.output()


def png(width, height):
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def image_urls(html, storage_url):
    return sorted(set(re.findall(re.escape(storage_url) + r'/[^"\s]+', html)))


def test_an_image_uploaded_through_one_instance_renders_through_the_other(
    object_storage, instances
):
    storage_url, s3 = object_storage
    a, b = instances
    original = png(400, 300)

    editor_a = Editor(a.url, "editor", "editor-pw")
    form = editor_a.form("/admin/images/add/")
    form["title"] = "Harbour"
    uploaded = editor_a.session.post(
        a.url + "/admin/images/add/", data=form, files={"file": ("harbour.png", original)},
        headers={"Referer": a.url + "/admin/images/add/"}, timeout=60,
    )
    assert uploaded.status_code == 200, uploaded.text[:2000]
    stored = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert any(key.startswith("original_images/harbour") for key in stored), stored

    editor_b = Editor(b.url, "editor", "editor-pw")
    listing = editor_b.session.get(b.url + "/admin/images/", timeout=60)
    assert listing.status_code == 200
    [image_id] = set(re.findall(r"/admin/images/(\d+)/", listing.text))
    thumbnails = image_urls(listing.text, storage_url)
    assert thumbnails, "the listing on B shows the thumbnail from the bucket"

    # The edit page's preview is a rendition B makes from the original in the bucket.
    edit = editor_b.session.get(f"{b.url}/admin/images/{image_id}/", timeout=60)
    assert edit.status_code == 200
    renditions = image_urls(edit.text, storage_url) + thumbnails
    specs = set(re.findall(r"/images/harbour\.max-(\d+)x\d+\.png", " ".join(renditions)))
    assert specs == {"165", "800"}, renditions
    for url in renditions:
        spec = re.search(r"/site-media/images/harbour\.(original|max-(\d+)x\d+)\.png", url)
        assert spec, url
        response = requests.get(url.replace("&amp;", "&"), timeout=30)
        assert response.status_code == 200, url
        width = min(400, int(spec.group(2) or 400))
        assert Picture.open(io.BytesIO(response.content)).size[0] == width, url
    [key] = [key for key in stored if key.startswith("original_images/harbour")]
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == original

    document = editor_a.session.post(
        a.url + "/admin/documents/add/", data=editor_a.form("/admin/documents/add/") | {
            "title": "Plan"}, files={"file": ("plan.pdf", b"%PDF-1.4 plan")},
        headers={"Referer": a.url + "/admin/documents/add/"}, timeout=60,
    )
    assert document.status_code == 200, document.text[:2000]
    documents = editor_b.session.get(b.url + "/admin/documents/", timeout=60).text
    [download] = set(re.findall(r'"(/documents/\d+/plan[^"]*\.pdf)"', documents))
    served = editor_b.session.get(b.url + download, allow_redirects=False, timeout=60)
    assert served.status_code == 200, served.headers
    assert served.content == b"%PDF-1.4 plan"
    [key] = [
        o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]
        if o["Key"].startswith("documents/plan")
    ]
    assert requests.get(f"{storage_url}/{BUCKET}/{key}", timeout=30).status_code == 403

    for server in instances:
        assert not any(server.media_root.iterdir()), f"{server.url} wrote to its own folder"
